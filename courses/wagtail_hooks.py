"""Admin wiring for narrations: a snippet editors upload to, chosen from lessons, questions and options."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, HelpPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .forms import NarrationForm
from .models import Narration


class NarrationViewSet(SnippetViewSet):
    model = Narration
    icon = "media"
    menu_label = _("Narrations")
    menu_order = 260
    add_to_admin_menu = True
    list_display = [
        "title",
        Column("listen_label", label=_("length and size")),
        Column("voice_label", label=_("voice")),
    ]
    list_filter = ["synthetic"]
    list_per_page = 50
    search_fields = ["title"]
    edit_handler = ObjectList(
        [
            HelpPanel(
                content=_(
                    "<p>A voice she can listen to before she reads. If this is a synthetic voice (made by a "
                    "computer for the demo), record the text with a real voice and upload it here: every lesson "
                    "and question that plays it will use the recording.</p>"
                ),
                heading=_("Narration"),
            ),
            FieldPanel("title"),
            FieldPanel("file", read_only=True, heading=_("Current recording")),
            FieldPanel("upload"),
            FieldPanel("recording"),
            FieldPanel("synthetic", read_only=True),
            FieldPanel("transcript"),
        ],
        base_form_class=NarrationForm,
    )


register_snippet(NarrationViewSet)
