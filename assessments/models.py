"""Quizzes (Wagtail snippets with inline questions and options) and the attempts that grade them.

A quiz is not a page: it belongs to a module (or a lesson) through a foreign key,
so the course page tree and its migrations stay untouched. Questions and options
are inline rows (ParentalKey), edited in one Wagtail form; attempts keep a JSON
snapshot of what was asked and answered so later edits never rewrite history.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.models import DraftStateMixin, Orderable, PreviewableMixin, RevisionMixin, TranslatableMixin
from wagtail.search import index

from .choices import CHOICE_KINDS, Counting, QuestionKind
from .forms import QuizForm

__all__ = ["CHOICE_KINDS", "Attempt", "Counting", "Option", "Question", "QuestionKind", "Quiz"]


class Quiz(PreviewableMixin, DraftStateMixin, RevisionMixin, TranslatableMixin, index.Indexed, ClusterableModel):
    """A quiz after a module (it counts for the module's completion) or, optionally, after a lesson."""

    title = models.CharField(_("title"), max_length=200)
    intro = models.TextField(_("introduction"), max_length=600, blank=True)
    page = models.ForeignKey(
        "wagtailcore.Page",
        on_delete=models.CASCADE,
        related_name="quizzes",
        verbose_name=_("module or lesson"),
        help_text=_("A module's quiz counts for completing the module."),
    )
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark (%)"), default=70, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    attempts_allowed = models.PositiveSmallIntegerField(
        _("attempts allowed"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Leave empty for unlimited attempts."),
    )
    counting = models.CharField(
        _("attempt that counts"), max_length=10, choices=Counting.choices, default=Counting.HIGHEST
    )
    shuffle_options = models.BooleanField(_("shuffle the options"), default=False)
    show_answers = models.BooleanField(
        _("show correct answers after submitting"),
        default=True,
        help_text=_("Show which answers were correct, the explanations and the option feedback on the result page."),
    )

    search_fields = [index.SearchField("title"), index.AutocompleteField("title")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("quiz")
        verbose_name_plural = _("quizzes")
        constraints = [
            models.UniqueConstraint(fields=["page", "locale"], name="quiz_one_per_page_and_language"),
            models.CheckConstraint(condition=Q(pass_mark__gte=1, pass_mark__lte=100), name="quiz_pass_mark_1_100"),
            models.CheckConstraint(
                condition=Q(attempts_allowed__isnull=True) | Q(attempts_allowed__gte=1),
                name="quiz_attempts_allowed_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_preview_template(self, request, mode_name):
        return "assessments/quiz_take.html"

    def get_preview_context(self, request, mode_name):
        context = super().get_preview_context(request, mode_name)
        form = QuizForm(quiz=self, questions=list(self.questions.all()), shuffle_seed="preview")
        context.update(
            {
                "quiz": self,
                "form": form,
                "items": form.question_views(),
                "preview": True,
                "module": None,
                "artisan": False,
            }
        )
        return context


class Question(Orderable, ClusterableModel):
    """One question; choice questions have options, a numeric question an answer and a tolerance."""

    quiz = ParentalKey(Quiz, on_delete=models.CASCADE, related_name="questions", verbose_name=_("quiz"))
    kind = models.CharField(_("type"), max_length=12, choices=QuestionKind.choices, default=QuestionKind.SINGLE)
    text = models.TextField(_("question"), max_length=500)
    explanation = models.TextField(_("explanation"), max_length=800, blank=True)
    image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("image"),
    )
    audio = models.ForeignKey(
        "courses.Narration",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("narration"),
        help_text=_("The question (and its options) read aloud, played only on tap."),
    )
    answer = models.DecimalField(
        _("correct number"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Numeric questions only."),
    )
    tolerance = models.DecimalField(
        _("tolerance"),
        max_digits=12,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0)],
        help_text=_("Numeric questions only: answers this far from the correct number also count as right."),
    )
    unit = models.CharField(_("unit"), max_length=40, blank=True, help_text=_("For example: pesos."))

    class Meta(Orderable.Meta):
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [
            models.CheckConstraint(condition=Q(tolerance__gte=0), name="question_tolerance_not_negative"),
            models.CheckConstraint(
                condition=~Q(kind="numeric") | Q(answer__isnull=False), name="question_numeric_has_answer"
            ),
        ]

    def __str__(self) -> str:
        return self.text

    @cached_property
    def option_list(self) -> list[Option]:
        """Its options in their order, listed once per instance: each ``options.all()`` builds a queryset (21
        of them for a quiz of 7 submitted), and the quiz kept per tree version (``selectors.quiz_kept``) is
        checked, graded and drawn on every request."""
        return list(self.options.all())

    def clean(self):
        if self.kind == QuestionKind.NUMERIC and self.answer is None:
            raise ValidationError({"answer": _("A numeric question needs the correct number.")})


class Option(Orderable):
    """An answer to choose; picture options carry an image beside their short label."""

    question = ParentalKey(Question, on_delete=models.CASCADE, related_name="options", verbose_name=_("question"))
    label = models.CharField(_("label"), max_length=200)
    is_correct = models.BooleanField(_("correct"), default=False)
    feedback = models.TextField(
        _("feedback"), max_length=400, blank=True, help_text=_("Shown after submitting when this option was chosen.")
    )
    image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("image"),
    )
    audio = models.ForeignKey(
        "courses.Narration",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("narration"),
        help_text=_("This option read aloud, played only on tap."),
    )

    class Meta(Orderable.Meta):
        verbose_name = _("option")
        verbose_name_plural = _("options")

    def __str__(self) -> str:
        return self.label


class Attempt(models.Model):
    """One graded attempt, online or on paper, with the snapshot that keeps it stable.

    `number` is the attempt's position for this artisan and quiz (all languages):
    the unique constraint on it is the database's guard on the attempts limit, and
    the unique `token` makes a repeated POST find the attempt it already made.
    """

    class Source(models.TextChoices):
        ONLINE = "online", _("Online")
        PAPER = "paper", _("Paper")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_attempts", verbose_name=_("artisan")
    )
    quiz = models.ForeignKey(
        Quiz, on_delete=models.SET_NULL, null=True, blank=True, related_name="attempts", verbose_name=_("quiz")
    )
    quiz_key = models.UUIDField(_("quiz translation key"), db_index=True)
    module_key = models.UUIDField(_("module translation key"), null=True, blank=True, db_index=True)
    number = models.PositiveSmallIntegerField(_("attempt number"), validators=[MinValueValidator(1)])
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.ONLINE)
    score = models.PositiveSmallIntegerField(_("score (%)"), validators=[MaxValueValidator(100)])
    passed = models.BooleanField(_("passed"))
    token = models.UUIDField(_("form token"), unique=True, default=uuid.uuid4, editable=False)
    language = models.CharField(_("language"), max_length=10)
    snapshot = models.JSONField(_("snapshot"), default=dict)
    taken_on = models.DateField(_("date"), default=timezone.localdate)
    submitted_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("quiz attempt")
        verbose_name_plural = _("quiz attempts")
        constraints = [
            models.UniqueConstraint(fields=["user", "quiz_key", "number"], name="attempt_unique_number"),
            models.CheckConstraint(condition=Q(score__gte=0, score__lte=100), name="attempt_score_0_100"),
            models.CheckConstraint(condition=Q(number__gte=1), name="attempt_number_positive"),
        ]
        # Her attempts by module, with what the counting rule reads of each, in the order it reads them: the
        # cohort grid's 1,500 attempts come from the index alone, already sorted (assessments.selectors).
        indexes = [
            models.Index(
                fields=["user", "module_key", "quiz_key", "submitted_at", "number", "score", "passed"],
                name="attempt_user_module_outcome",
            )
        ]

    def __str__(self) -> str:
        return f"{self.snapshot.get('title', '')} · {self.score}%"

    @property
    def is_paper(self) -> bool:
        return self.source == self.Source.PAPER
