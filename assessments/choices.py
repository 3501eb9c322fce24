"""The kinds of question and the ways an attempt counts: plain choices, importable without the models.

The quiz form (`assessments.forms`) needs them and the Quiz model needs the
form (its admin preview), so they live here, below both.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice (select all that apply)")
    TRUE_FALSE = "true_false", _("True or false")
    PICTURE = "picture", _("Picture choice")
    NUMERIC = "numeric", _("Numeric answer")


CHOICE_KINDS = frozenset({QuestionKind.SINGLE, QuestionKind.TRUE_FALSE, QuestionKind.PICTURE})


class Counting(models.TextChoices):
    HIGHEST = "highest", _("The highest score")
    LATEST = "latest", _("The latest attempt")
    FIRST = "first", _("The first attempt")
