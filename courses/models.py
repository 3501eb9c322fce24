"""The page tree: ProgrammePage → ModulePage → LessonPage, and the narrations they play."""

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList, TabbedInterface
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from . import audio, selectors
from .blocks import PARAGRAPH_FEATURES, LessonStreamBlock

colour_validator = RegexValidator(r"^#[0-9A-Fa-f]{6}$", _("Enter a colour as #RRGGBB."))


class Narration(index.Indexed, models.Model):
    """A recording she can listen to: a lesson's narration or a question's or option's audio.

    Whatever the editor uploaded is stored only as mono Opus (``courses.audio.transcode``), with its
    length and size, so the page can say "2 min · 240 KB" before she spends any data. The demo's
    narrations are a synthetic voice (``synthetic``): the admin marks them and invites a recording.
    """

    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("audio file"), upload_to="narration/", max_length=200)
    seconds = models.PositiveIntegerField(_("length (seconds)"), default=0, editable=False)
    size = models.PositiveIntegerField(_("size (bytes)"), default=0, editable=False)
    synthetic = models.BooleanField(
        _("synthetic voice"),
        default=False,
        help_text=_("A computer voice made for the demo. Upload a recording of a real voice to replace it."),
    )
    transcript = models.TextField(_("transcript"), blank=True)
    key = models.CharField(
        _("curriculum file"),
        max_length=200,
        unique=True,
        null=True,
        blank=True,
        editable=False,
        help_text=_("The committed file the curriculum loader made this from; empty for uploads."),
    )
    created_at = models.DateTimeField(_("uploaded on"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed on"), auto_now=True)

    search_fields = [index.SearchField("title"), index.AutocompleteField("title")]

    class Meta:
        ordering = ["title"]
        verbose_name = _("narration")
        verbose_name_plural = _("narrations")
        constraints = [
            models.CheckConstraint(condition=models.Q(seconds__lte=24 * 3600), name="narration_seconds_bounded"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def url(self) -> str:
        return self.file.url

    @property
    def content_type(self) -> str:
        return audio.CONTENT_TYPE

    @property
    def listen_label(self) -> str:
        return audio.listen_label(self.seconds, self.size)

    @property
    def voice_label(self) -> str:
        """In the admin list: the demo's computer voices stand out, waiting for a recording."""
        return _("Synthetic: record it") if self.synthetic else _("Real voice")

    @property
    def kilobits_per_second(self) -> float:
        return round(self.size * 8 / self.seconds / 1000, 1) if self.seconds else 0.0


class ProgrammePage(Page):
    """A programme: the landing page and catalogue of its modules, and its certificate rule.

    Telar hosts any number of programmes side by side (the six workshops, the second phase on the
    social economy, a new edition of the workshops). A cohort takes one programme
    (``people.Cohort.programme``, always the default-language page); the rule here says what earns
    its certificate: every module that counts complete and the attendance rate in her cohort's
    sessions at the threshold. A certificate refers to it by translation key.
    """

    intro = RichTextField(_("introduction"), features=PARAGRAPH_FEATURES, blank=True)
    attendance_threshold = models.PositiveSmallIntegerField(
        _("attendance threshold (%)"),
        default=80,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("The minimum attendance rate in her cohort's sessions to earn this programme's certificate."),
    )
    certificate_title = models.CharField(
        _("title on the certificate"),
        max_length=255,
        blank=True,
        help_text=_("Leave empty to print the programme's title."),
    )
    signatory_name = models.CharField(
        _("signatory name"),
        max_length=150,
        blank=True,
        help_text=_("Leave empty to use the one in the certificate settings."),
    )
    signatory_role = models.CharField(
        _("signatory role"), max_length=150, blank=True, help_text=_("For example: Programme coordinator.")
    )
    signature = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("signature image"),
        help_text=_("A scanned signature on a white or transparent background."),
    )

    content_panels = Page.content_panels + [FieldPanel("intro")]
    certificate_panels = [
        MultiFieldPanel(
            [
                FieldPanel("attendance_threshold"),
                FieldPanel("certificate_title"),
                FieldPanel("signatory_name"),
                FieldPanel("signatory_role"),
                FieldPanel("signature"),
            ],
            heading=_("Certificate rule and template"),
        ),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Content")),
            ObjectList(certificate_panels, heading=_("Constancia")),
            ObjectList(Page.promote_panels, heading=_("Promote")),
            ObjectList(Page.settings_panels, heading=_("Settings")),
        ]
    )
    search_fields = Page.search_fields + [index.SearchField("intro")]

    # The home programme (the six workshops) is the site's root; the others are its children, so that
    # every programme has a URL on the one site and the home page links them.
    parent_page_types = ["wagtailcore.Page", "courses.ProgrammePage"]
    subpage_types = ["courses.ModulePage", "courses.ProgrammePage"]
    template = "courses/programme_page.html"

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["modules"] = selectors.programme_modules(self)
        context["programmes"] = selectors.child_programmes(self)
        return context


class ModulePage(Page):
    """One workshop module: a summary, an order, an image and its lessons."""

    summary = models.TextField(_("summary"), max_length=400)
    order = models.PositiveSmallIntegerField(
        _("order"), validators=[MinValueValidator(1), MaxValueValidator(99)], help_text=_("1 for the first module.")
    )
    colour = models.CharField(
        _("colour"),
        max_length=7,
        default="#8E3B46",
        validators=[colour_validator],
        help_text=_("The band colour that makes this module recognisable without reading."),
    )
    image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("image"),
    )
    counts_for_certificate = models.BooleanField(
        _("counts for the certificate"),
        default=True,
        help_text=_("Her programme's certificate needs this module complete. Untick for an optional module."),
    )

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("order"),
        FieldPanel("colour"),
        FieldPanel("image"),
        FieldPanel("counts_for_certificate"),
    ]
    search_fields = Page.search_fields + [index.SearchField("summary")]

    parent_page_types = ["courses.ProgrammePage"]
    subpage_types = ["courses.LessonPage"]
    template = "courses/module_page.html"

    class Meta:
        verbose_name = _("module")
        verbose_name_plural = _("modules")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["lessons"] = selectors.module_lessons(self)
        return context


class LessonPage(Page):
    """A short lesson: an intro line, a body of blocks, an estimated duration, a narration.

    The narration belongs to this language's page: a translation starts without one (a Spanish voice
    on the English page would be wrong), so ``copy_for_translation`` leaves it out.
    """

    intro = models.CharField(_("introduction"), max_length=250, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(
        _("estimated duration (minutes)"), default=10, validators=[MinValueValidator(1), MaxValueValidator(240)]
    )
    body = StreamField(LessonStreamBlock(), verbose_name=_("body"), blank=True)
    narration = models.ForeignKey(
        Narration,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("narration"),
        help_text=_("The whole lesson read aloud in this page's language, played from the “Listen” button."),
    )

    content_panels = Page.content_panels + [
        FieldPanel("narration"),
        FieldPanel("intro"),
        FieldPanel("duration_minutes"),
        FieldPanel("body"),
    ]
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("body")]

    parent_page_types = ["courses.ModulePage"]
    subpage_types: list[str] = []
    template = "courses/lesson_page.html"

    class Meta:
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(selectors.kept_lesson_navigation(self, request))
        return context

    def copy_for_translation(self, locale, copy_parents=False, alias=False, exclude_fields=None):
        exclude_fields = [*(exclude_fields or []), "narration"]
        return super().copy_for_translation(
            locale, copy_parents=copy_parents, alias=alias, exclude_fields=exclude_fields
        )
