"""Spreadsheets of one quiz's questions and options (django-import-export, CSV or XLSX).

Two sheets, numbered the way an editor reads the quiz: questions by their
number (1, 2, 3 …) and options by question number and option number. A row
whose numbers already exist updates it; a new number adds a row. The import
is all or nothing (`import_quiz_sheets`): every invalid row is reported with
its own message and, if there is any, nothing is saved.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets
from wagtail.images import get_image_model
from wagtail.models import ReferenceIndex
from wagtail.signal_handlers import disable_reference_index_auto_update

from core.spreadsheets import CONTENT_TYPES, column_letter, export_bytes

from .models import Option, Question, QuestionKind, Quiz
from .services import quiz_problems


class NumberWidget(widgets.IntegerWidget):
    """Positions are 1, 2, 3 … in the sheet and 0, 1, 2 … in the database."""

    def clean(self, value, row=None, **kwargs):
        number = super().clean(value, row=row, **kwargs)
        if number is None or number < 1:
            raise ValueError(_("Write a number from 1 upwards."))
        return number - 1

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else value + 1


class KindWidget(widgets.Widget):
    """The question type by its code (single, multiple, true_false, picture, numeric)."""

    def clean(self, value, row=None, **kwargs):
        value = (value or "").strip().lower()
        if value not in QuestionKind.values:
            raise ValueError(_("Unknown type. Use one of: %(types)s.") % {"types": ", ".join(QuestionKind.values)})
        return value

    def render(self, value, obj=None, **kwargs):
        return value


class YesNoWidget(widgets.BooleanWidget):
    """Accepts yes/no and sí/no as well as 1/0 and true/false."""

    TRUE = {"1", "true", "yes", "y", "si", "sí", "x"}
    FALSE = {"", "0", "false", "no", "n"}

    def clean(self, value, row=None, **kwargs):
        text = str(value).strip().lower() if value is not None else ""
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise ValueError(_("Write yes or no."))

    def render(self, value, obj=None, **kwargs):
        return "yes" if value else "no"


class QuestionNumberWidget(widgets.ForeignKeyWidget):
    """An option's question, by its number within the quiz being imported."""

    def __init__(self, quiz: Quiz, **kwargs):
        self.quiz = quiz
        super().__init__(Question, field="sort_order", **kwargs)

    def get_queryset(self, value, row, *args, **kwargs):
        return Question.objects.filter(quiz=self.quiz)

    def clean(self, value, row=None, **kwargs):
        try:
            number = int(str(value).strip())
        except (TypeError, ValueError):
            raise ValueError(_("Write the number of the question."))
        try:
            return self.get_queryset(value, row).get(sort_order=number - 1)
        except ObjectDoesNotExist:
            raise ValueError(_("There is no question %(number)s in this quiz.") % {"number": number})

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else value.sort_order + 1


class QuestionResource(resources.ModelResource):
    number = fields.Field(attribute="sort_order", column_name="number", widget=NumberWidget())
    kind = fields.Field(attribute="kind", column_name="type", widget=KindWidget())
    text = fields.Field(attribute="text", column_name="text")
    explanation = fields.Field(attribute="explanation", column_name="explanation", default="")
    answer = fields.Field(attribute="answer", column_name="answer", widget=widgets.DecimalWidget())
    tolerance = fields.Field(attribute="tolerance", column_name="tolerance", widget=widgets.DecimalWidget(), default=0)
    unit = fields.Field(attribute="unit", column_name="unit", default="")

    class Meta:
        model = Question
        fields = ("number", "kind", "text", "explanation", "answer", "tolerance", "unit")
        export_order = fields
        import_id_fields = ("number",)
        clean_model_instances = True
        skip_unchanged = True
        use_transactions = False  # the caller's transaction makes the two sheets one import

    def __init__(self, *, quiz: Quiz, **kwargs):
        super().__init__(**kwargs)
        self.quiz = quiz

    def get_queryset(self):
        return Question.objects.filter(quiz=self.quiz).order_by("sort_order")

    def init_instance(self, row=None):
        return Question(quiz=self.quiz)

    def import_instance(self, instance, row, **kwargs):
        super().import_instance(instance, row, **kwargs)
        if instance.tolerance is None:
            instance.tolerance = 0
        if instance.explanation is None:
            instance.explanation = ""
        if instance.unit is None:
            instance.unit = ""


class OptionResource(resources.ModelResource):
    number = fields.Field(attribute="sort_order", column_name="number", widget=NumberWidget())
    label = fields.Field(attribute="label", column_name="label")
    is_correct = fields.Field(attribute="is_correct", column_name="correct", widget=YesNoWidget())
    feedback = fields.Field(attribute="feedback", column_name="feedback", default="")
    image = fields.Field(
        attribute="image", column_name="image", widget=widgets.ForeignKeyWidget(get_image_model(), field="title")
    )

    class Meta:
        model = Option
        fields = ("question", "number", "label", "is_correct", "feedback", "image")
        export_order = fields
        import_id_fields = ("question", "number")
        clean_model_instances = True
        skip_unchanged = True
        use_transactions = False

    def __init__(self, *, quiz: Quiz, **kwargs):
        super().__init__(**kwargs)
        self.quiz = quiz
        self.fields["question"] = fields.Field(
            attribute="question", column_name="question", widget=QuestionNumberWidget(quiz)
        )

    def get_queryset(self):
        return (
            Option.objects.filter(question__quiz=self.quiz)
            .select_related("question", "image")
            .order_by("question__sort_order", "sort_order")
        )

    def import_instance(self, instance, row, **kwargs):
        super().import_instance(instance, row, **kwargs)
        if instance.feedback is None:
            instance.feedback = ""


@dataclass
class ImportOutcome:
    """What happened: counts when saved, or one message per problem when nothing was saved."""

    errors: list[str] = field(default_factory=list)
    created: int = 0
    updated: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


class _Rollback(Exception):
    pass


class _DryRun(Exception):
    """Undo a preview's writes, keeping its counts."""


def _row_errors(sheet: str, resource, result, header_row: int, headers: list[str] | None = None) -> list[str]:
    """One message per problem, numbered as in the spreadsheet (import-export counts from under the header);
    a problem in one column also names its letter, as Excel shows it."""
    columns = {f.attribute: f.column_name for f in resource.fields.values() if f.attribute}
    headers = [str(header or "").strip() for header in headers or []]
    messages = []
    for invalid in result.invalid_rows:
        row = invalid.number + header_row
        for name, errors in invalid.error_dict.items():
            text = " ".join(str(m) for m in errors)
            column = columns.get(name, name)
            if name != "__all__" and column in headers:
                messages.append(
                    _("%(sheet)s, row %(row)s, column %(letter)s: %(details)s")
                    % {
                        "sheet": sheet,
                        "row": row,
                        "letter": column_letter(headers.index(column)),
                        "details": f"{column}: {text}",
                    }
                )
            else:
                details = text if name == "__all__" else f"{column}: {text}"
                messages.append(
                    _("%(sheet)s, row %(row)s: %(details)s") % {"sheet": sheet, "row": row, "details": details}
                )
    for number, errors in result.row_errors():
        for error in errors:
            messages.append(
                _("%(sheet)s, row %(row)s: %(details)s")
                % {"sheet": sheet, "row": number + header_row, "details": error.error}
            )
    for error in result.base_errors:
        messages.append(f"{sheet}: {error.error}")
    return messages


def import_quiz_sheets(
    *, quiz: Quiz, questions=None, options=None, user=None, dry_run: bool = False, header_row: int = 1
) -> ImportOutcome:
    """Import a questions sheet and/or an options sheet (tablib Datasets) into one quiz, all or nothing.

    After the rows, the whole quiz must still make sense (each choice question
    with its correct options, each numeric question with its number); otherwise
    nothing is kept. A successful import is published as a new revision so the
    admin's editing history includes it. A dry run (the preview) does all of it
    and then undoes it, keeping the counts and the problems.
    """
    outcome = ImportOutcome()
    try:
        with transaction.atomic(), disable_reference_index_auto_update():
            for sheet, resource, dataset in (
                (_("Questions"), QuestionResource(quiz=quiz), questions),
                (_("Options"), OptionResource(quiz=quiz), options),
            ):
                if dataset is None:
                    continue
                result = resource.import_data(dataset, dry_run=False, raise_errors=False, use_transactions=False)
                outcome.errors += _row_errors(sheet, resource, result, header_row, dataset.headers)
                outcome.created += result.totals.get("new", 0)
                outcome.updated += result.totals.get("update", 0)
            if not outcome.errors:
                outcome.errors += quiz_problems(quiz)
            if outcome.errors:
                raise _Rollback
            if dry_run:
                raise _DryRun
            fresh = Quiz.objects.get(pk=quiz.pk)
            revision = fresh.save_revision(user=user, log_action=True)
            revision.publish(user=user, log_action=True)
            ReferenceIndex.create_or_update_for_object(fresh)  # once for the quiz, not once per row
    except _DryRun:
        pass
    except _Rollback:
        outcome.created = outcome.updated = 0
    except ValidationError as error:
        outcome.errors.append("; ".join(error.messages))
        outcome.created = outcome.updated = 0
    return outcome


def export_sheet(*, quiz: Quiz, what: str, file_format: str) -> tuple[bytes | str, str]:
    """The questions or options of a quiz as CSV or XLSX: (content, content type)."""
    resource = QuestionResource(quiz=quiz) if what == "questions" else OptionResource(quiz=quiz)
    dataset = resource.export()
    return export_bytes(dataset, file_format, title=quiz.title), CONTENT_TYPES[file_format]
