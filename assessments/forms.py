"""The quiz form (built from the quiz's questions) and the facilitator's paper-results form."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from django import forms
from django.utils import timezone
from django.utils.choices import BaseChoiceIterator
from django.utils.translation import gettext_lazy as _

from core.text import clean_text

from .choices import CHOICE_KINDS, QuestionKind
from .grading import parse_number

if TYPE_CHECKING:  # type hints only: the Quiz model imports this module (its admin preview draws the form)
    from .models import Question


class OptionChoices(BaseChoiceIterator):
    """A question's options as (id, label) pairs, already in the form Django's choice fields want: given as a
    choice iterator, the field and its widget take them as they are instead of inspecting every pair (a
    submit builds seven fields; the inspection was a tenth of its time)."""

    def __init__(self, pairs: list[tuple[str, str]]):
        self.pairs = pairs

    def __iter__(self):
        return iter(self.pairs)


def field_name(question: Question) -> str:
    return f"q{question.pk}"


@dataclass
class ChoiceView:
    """What the template needs to draw one option (never whether it is correct)."""

    value: str
    label: str
    image: object | None
    checked: bool
    audio: object | None = None


@dataclass
class QuestionView:
    question: Question
    number: int
    name: str
    input_type: str
    choices: list[ChoiceView] = field(default_factory=list)
    value: str = ""
    errors: list[str] = field(default_factory=list)
    unanswered: bool = True  # drawn from an unbound form: nothing of hers in it but the order of its options

    count: int = 0  # questions in the quiz ("Question 2 of 7")

    @property
    def order(self) -> str:
        """The options in the order drawn."""
        return ",".join(choice.value for choice in self.choices)

    @property
    def drawing(self) -> str:
        """What its kept drawing depends on (quiz_document.html): the question, its number of how many, the order."""
        return f"{self.question.pk}:{self.number}:{self.count}:{self.order}"


class OneChoiceRadioSelect(forms.RadioSelect):
    """Several values for one single-choice question are passed on as a list, so validation refuses them."""

    def value_from_datadict(self, data, files, name):
        values = data.getlist(name) if hasattr(data, "getlist") else [data.get(name)]
        if len(values) > 1:
            return values
        return values[0] if values else None


class QuizForm(forms.Form):
    """One field per question, named q<question id>; answers are checked against that question's own options.

    An option id from another question, an unknown id, a missing answer or text
    in a numeric answer is a field error, so nothing reaches grading unchecked.
    """

    token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, quiz, questions: list[Question], shuffle_seed: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.quiz = quiz
        self.questions = questions
        self.shuffle_seed = shuffle_seed
        for question in questions:
            self.fields[field_name(question)] = self._field_for(question)

    @staticmethod
    def _field_for(question: Question) -> forms.Field:
        choices = OptionChoices([(str(option.pk), option.label) for option in question.option_list])
        if question.kind == QuestionKind.MULTIPLE:
            return forms.MultipleChoiceField(
                choices=choices,
                widget=forms.CheckboxSelectMultiple,
                error_messages={
                    "required": _("Choose at least one answer."),
                    "invalid_choice": _("That answer is not one of this question's options."),
                    "invalid_list": _("That answer is not one of this question's options."),
                },
            )
        if question.kind in CHOICE_KINDS:
            return forms.ChoiceField(
                choices=choices,
                widget=OneChoiceRadioSelect,
                error_messages={
                    "required": _("Choose an answer."),
                    "invalid_choice": _("That answer is not one of this question's options."),
                },
            )
        return NumberAnswerField(error_messages={"required": _("Write a number.")})

    def answers(self) -> dict[int, list[int] | Decimal]:
        """Cleaned answers by question id: option ids for choices, a Decimal for numbers."""
        result: dict[int, list[int] | Decimal] = {}
        for question in self.questions:
            value = self.cleaned_data[field_name(question)]
            if isinstance(value, Decimal):
                result[question.pk] = value
            elif isinstance(value, list):
                result[question.pk] = sorted(int(item) for item in value)
            else:
                result[question.pk] = [int(value)]
        return result

    def question_views(self, questions: list[Question] | None = None) -> list[QuestionView]:
        """The questions as the template draws them, options in display order, previous choices kept.

        ``questions``: the same questions read with their images and audio, when the form checked
        copies read without them (a posted form: ``selectors.quiz_questions_to_grade``).
        """
        return question_views(
            self.quiz, self.questions if questions is None else questions, shuffle_seed=self.shuffle_seed, form=self
        )


def question_views(
    quiz, questions: list[Question], *, shuffle_seed: str, form: QuizForm | None = None
) -> list[QuestionView]:
    """The questions as the template draws them: options in the order drawn from ``shuffle_seed``, and, from a
    bound ``form``, her choices and the errors. Without a form (a quiz page before she answers) no form is
    built: its fields are only needed to read answers."""
    bound = form is not None and form.is_bound
    views = []
    for number, question in enumerate(questions, start=1):
        name = field_name(question)
        raw = form.data.getlist(name) if bound and hasattr(form.data, "getlist") else []
        view = QuestionView(
            question=question,
            number=number,
            name=name,
            input_type={"multiple": "checkbox", "numeric": "text"}.get(question.kind, "radio"),
            errors=list(form[name].errors) if bound else [],
            unanswered=not bound,
            count=len(questions),
        )
        if question.kind == QuestionKind.NUMERIC:
            view.value = raw[0] if raw else ""
        else:
            options = list(question.option_list)
            if quiz.shuffle_options and shuffle_seed:
                random.Random(f"{shuffle_seed}:{question.pk}").shuffle(options)
            view.choices = [
                ChoiceView(
                    value=str(option.pk),
                    label=option.label,
                    image=option.image,
                    checked=str(option.pk) in raw,
                    audio=option.audio,
                )
                for option in options
            ]
        views.append(view)
    return views


class NumberAnswerField(forms.CharField):
    """Free text read as a number the way people write prices in Mexico."""

    def __init__(self, **kwargs):
        super().__init__(max_length=30, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        number = parse_number(clean_text(value))  # the text policy: NFC, no control or invisible characters
        if number is None:
            raise forms.ValidationError(_("Write a number, for example 250."), code="invalid_number")
        return number


class PaperResultsForm(forms.Form):
    """The date of the paper quiz and a score (0–100, empty to skip) for each artisan of the cohort."""

    token = forms.CharField(widget=forms.HiddenInput, required=False)
    taken_on = forms.DateField(label=_("Date of the quiz"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, artisans, **kwargs):
        super().__init__(*args, **kwargs)
        self.artisans = list(artisans)
        self.fields["taken_on"].initial = timezone.localdate()
        for profile in self.artisans:
            self.fields[f"score_{profile.user_id}"] = forms.IntegerField(
                label=profile.full_name,
                required=False,
                min_value=0,
                max_value=100,
                widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0, "max": 100}),
                error_messages={"invalid": _("Write a score from 0 to 100.")},
            )

    def clean_taken_on(self):
        value = self.cleaned_data["taken_on"]
        if value > timezone.localdate() + datetime.timedelta(days=1):
            raise forms.ValidationError(_("The date cannot be in the future."))
        return value

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not self.scores():
            raise forms.ValidationError(_("Write at least one score."))
        return cleaned

    def rows(self):
        return [(profile, self[f"score_{profile.user_id}"]) for profile in self.artisans]

    def scores(self) -> dict[int, int]:
        return {
            profile.user_id: self.cleaned_data[f"score_{profile.user_id}"]
            for profile in self.artisans
            if self.cleaned_data.get(f"score_{profile.user_id}") is not None
        }
