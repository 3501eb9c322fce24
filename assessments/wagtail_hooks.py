"""Admin wiring for quizzes: the snippet editor (questions and options inline) and the spreadsheet screens."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    PageChooserPanel,
    TabbedInterface,
)
from wagtail.admin.ui.tables import Column
from wagtail.admin.widgets import Button
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from . import admin_views
from .admin_forms import QuizAdminForm
from .models import Quiz

OPTION_PANELS = [
    FieldRowPanel([FieldPanel("label"), FieldPanel("is_correct")]),
    FieldPanel("feedback"),
    FieldRowPanel([FieldPanel("image"), FieldPanel("audio")]),
]

QUESTION_PANELS = [
    FieldPanel("kind"),
    FieldPanel("text"),
    FieldPanel("explanation"),
    FieldRowPanel([FieldPanel("image"), FieldPanel("audio")]),
    FieldRowPanel([FieldPanel("answer"), FieldPanel("tolerance"), FieldPanel("unit")], heading=_("Numeric answer")),
    InlinePanel("options", panels=OPTION_PANELS, label=_("Option"), heading=_("Options")),
]


def published(quiz: Quiz) -> str:
    """Yes or no in words (Wagtail's own column would print "True")."""
    return str(_("Yes") if quiz.live else _("No"))


class QuizViewSet(SnippetViewSet):
    model = Quiz
    icon = "tasks"
    menu_label = _("Quizzes")
    menu_order = 250
    add_to_admin_menu = True
    list_display = ["title", "page", Column("live", label=_("Published"), accessor=published)]
    list_per_page = 50
    list_filter = ["locale"]
    search_fields = ["title"]
    edit_handler = TabbedInterface(
        [
            ObjectList(
                [
                    FieldPanel("title"),
                    FieldPanel("intro"),
                    PageChooserPanel("page", ["courses.ModulePage", "courses.LessonPage"]),
                    InlinePanel(
                        "questions", panels=QUESTION_PANELS, label=_("Question"), heading=_("Questions"), min_num=1
                    ),
                ],
                heading=_("Questions"),
            ),
            ObjectList(
                [
                    MultiFieldPanel(
                        [
                            FieldRowPanel([FieldPanel("pass_mark"), FieldPanel("attempts_allowed")]),
                            FieldPanel("counting"),
                            FieldPanel("shuffle_options"),
                            FieldPanel("show_answers"),
                        ],
                        heading=_("Quiz settings"),
                    )
                ],
                heading=_("Settings"),
            ),
        ],
        base_form_class=QuizAdminForm,
    )

    def get_queryset(self, request):
        return Quiz.objects.select_related("page", "locale")


register_snippet(QuizViewSet)


@hooks.register("register_admin_urls")
def register_sheet_urls():
    urls = [
        path("<int:quiz_id>/", admin_views.quiz_sheets, name="sheets"),
        path("<int:quiz_id>/imports/<uuid:job_id>/", admin_views.quiz_sheets_job, name="sheets_job"),
        path("<int:quiz_id>/imports/<uuid:job_id>/confirm/", admin_views.quiz_sheets_confirm, name="sheets_confirm"),
        path("<int:quiz_id>/<str:what>.<str:file_format>", admin_views.quiz_sheet_export, name="export"),
    ]
    return [path("quiz-sheets/", include((urls, "assessments_admin"), namespace="assessments_admin"))]


@hooks.register("register_snippet_listing_buttons")
def quiz_sheet_button(snippet, user, next_url=None):
    if isinstance(snippet, Quiz) and user.has_perm("assessments.change_quiz"):
        yield Button(
            _("Spreadsheets (CSV / XLSX)"),
            reverse("assessments_admin:sheets", args=[snippet.pk]),
            icon_name="table",
            priority=60,
        )
