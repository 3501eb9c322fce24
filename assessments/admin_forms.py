"""The quiz editing form in the Wagtail admin: refuses a question that could never be answered right."""

from __future__ import annotations

from wagtail.admin.forms import WagtailAdminModelForm

from .validation import question_problems


def _live_forms(formset):
    return [form for form in formset.forms if not (formset.can_delete and formset._should_delete_form(form))]


class QuizAdminForm(WagtailAdminModelForm):
    def is_valid(self) -> bool:
        if not super().is_valid():
            return False
        valid = True
        for question_form in _live_forms(self.formsets["questions"]):
            data = question_form.cleaned_data
            if not data:
                continue
            options = [
                form.cleaned_data for form in _live_forms(question_form.formsets["options"]) if form.cleaned_data
            ]
            problems = question_problems(
                kind=data.get("kind"),
                options=[(option.get("label", ""), bool(option.get("is_correct"))) for option in options],
                answer=data.get("answer"),
                has_images=[option.get("image") is not None for option in options],
            )
            for problem in problems:
                question_form.add_error("kind", problem)
                valid = False
        return valid
