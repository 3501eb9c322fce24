"""Certificates: the record an artisan keeps and shows, its PDF, and the template admins edit.

The database row is the certificate; the PDF is one rendering of it, made once
and stored (only a reissue renders again, as a new certificate with a new code).
The row is written first and is valid and verifiable at once; the PDF is
rendered after the row has committed, in a task (`certificates.tasks`), and
`pdf_status` says where that stands: pending (not rendered yet), ready, or
failed (the last render raised: `pdf_error` says why, and a retry — the admin's
button, `manage.py render_certificate_pdfs`, or a download — tries again).
Anyone can check a code at /certificates/verify/<code>/, which shows only the
status, the printed name, the programme and the date.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

from core.storage import private_storage

from . import codes


def certificate_pdf_path(instance: Certificate, filename: str) -> str:
    """A random name, unrelated to the code: knowing a code must not reveal where the file is."""
    return f"certificates/{instance.issued_on:%Y}/{uuid.uuid4().hex}.pdf"


def bundle_pdf_path(instance: CohortBundle, filename: str) -> str:
    return f"certificates/bundles/{uuid.uuid4().hex}.pdf"


class Certificate(models.Model):
    """One programme certificate of one artisan: who, what, when, how it was issued, and its state.

    Names and titles are snapshots: the certificate states what was printed,
    whatever happens later to her profile or the pages.
    """

    class Status(models.TextChoices):
        VALID = "valid", _("Valid")
        REVOKED = "revoked", _("Revoked")
        REPLACED = "replaced", _("Replaced")

    class PdfStatus(models.TextChoices):
        PENDING = "pending", _("Being prepared")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed: will be tried again")

    class IssuedHow(models.TextChoices):
        AUTO = "auto", _("Automatically, when she met the requirements")
        MANUAL = "manual", _("Manually, with a written reason")
        REISSUE = "reissue", _("Reissued, replacing an earlier certificate")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="certificates", verbose_name=_("artisan")
    )
    # The programme across languages is its translation key; the page link is a convenience.
    programme_key = models.UUIDField(_("programme translation key"), db_index=True)
    programme = models.ForeignKey(
        "courses.ProgrammePage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("programme"),
    )
    programme_title = models.CharField(_("programme as printed"), max_length=255)
    printed_name = models.CharField(_("name as printed"), max_length=200)
    language = models.CharField(_("language of the certificate"), max_length=10, default=settings.LANGUAGE_CODE)
    issued_on = models.DateField(_("issue date"))
    issued_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    issued_how = models.CharField(_("issued"), max_length=10, choices=IssuedHow.choices, default=IssuedHow.AUTO)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("issued by"),
        help_text=_("Empty when the system issued it automatically."),
    )
    reason = models.TextField(_("reason"), blank=True, help_text=_("Why it was issued by hand or reissued."))
    code = models.CharField(_("verification code"), max_length=codes.LENGTH, unique=True, editable=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.VALID)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_reason = models.TextField(_("reason for revoking"), blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("revoked by"),
    )
    replaced_by = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaces",
        verbose_name=_("replaced by"),
    )
    # Private storage (core.storage): the file has a name on it; only the download views serve it.
    pdf = models.FileField(
        _("PDF"), storage=private_storage, upload_to=certificate_pdf_path, blank=True, editable=False
    )
    pdf_status = models.CharField(
        _("PDF status"), max_length=10, choices=PdfStatus.choices, default=PdfStatus.PENDING, editable=False
    )
    pdf_attempts = models.PositiveSmallIntegerField(_("PDF render attempts"), default=0, editable=False)
    pdf_error = models.TextField(_("last PDF error"), blank=True, editable=False)

    class Meta:
        ordering = ["-issued_at"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "programme_key"],
                condition=Q(status="valid"),
                name="certificate_one_valid_per_artisan_programme",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["valid", "revoked", "replaced"]), name="certificate_status_known"
            ),
            models.CheckConstraint(
                condition=~Q(status="revoked") | (Q(revoked_at__isnull=False) & ~Q(revoked_reason="")),
                name="certificate_revoked_has_reason_and_date",
            ),
            models.CheckConstraint(
                condition=Q(issued_how="auto") | ~Q(reason=""), name="certificate_manual_has_reason"
            ),
            models.CheckConstraint(
                condition=Q(pdf_status__in=["pending", "ready", "failed"]), name="certificate_pdf_status_known"
            ),
            models.CheckConstraint(
                condition=~Q(pdf_status="ready") | ~Q(pdf=""), name="certificate_pdf_ready_has_file"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.printed_name} · {self.display_code}"

    @property
    def display_code(self) -> str:
        return codes.display(self.code)

    @property
    def is_valid(self) -> bool:
        return self.status == self.Status.VALID

    @property
    def pdf_ready(self) -> bool:
        return self.pdf_status == self.PdfStatus.READY and bool(self.pdf)

    def get_verification_path(self) -> str:
        """The Spanish URL (no language prefix): the shortest, and it works for everyone."""
        with translation.override(settings.LANGUAGE_CODE):
            return reverse("certificates:verify_code", args=[self.display_code])

    def get_verification_url(self) -> str:
        """The absolute public URL the QR code opens (the origin comes from settings, never from a request)."""
        return public_url(self.get_verification_path())


def public_url(path: str) -> str:
    """An absolute URL on the public site: CERTIFICATES_BASE_URL, else WAGTAILADMIN_BASE_URL, as the origin."""
    origin = getattr(settings, "CERTIFICATES_BASE_URL", "") or settings.WAGTAILADMIN_BASE_URL
    return origin.rstrip("/") + path


def verification_page_url() -> str:
    """Where to type a code by hand (printed under the QR code)."""
    with translation.override(settings.LANGUAGE_CODE):
        return public_url(reverse("certificates:verify"))


class CohortBundle(models.Model):
    """One combined PDF of a cohort's valid certificates, for the ceremony, built in the background."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Being prepared")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    cohort = models.ForeignKey(
        "people.Cohort", on_delete=models.CASCADE, related_name="certificate_bundles", verbose_name=_("cohort")
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("requested by")
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    # Which certificates (ids and codes) the bundle holds: a new request reuses a bundle with the same contents.
    fingerprint = models.CharField(max_length=64)
    certificate_count = models.PositiveIntegerField(_("certificates"), default=0)
    pdf = models.FileField(_("PDF"), storage=private_storage, upload_to=bundle_pdf_path, blank=True, editable=False)

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("cohort certificates PDF")
        verbose_name_plural = _("cohort certificates PDFs")

    def __str__(self) -> str:
        return f"{self.cohort} · {self.requested_at:%Y-%m-%d %H:%M}"


@register_setting(icon="doc-full")
class CertificateSettings(BaseSiteSetting):
    """The organisation's part of every certificate: its name and logo, and the signatory printed when a
    programme names none. Each programme's rule (threshold, modules that count, title, signatory) is on its
    page (``courses.ProgrammePage``)."""

    organisation_name = models.CharField(
        _("organisation name"), max_length=150, blank=True, help_text=_("Printed on the certificate.")
    )
    logo = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("logo"),
    )
    signature = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("signature image"),
        help_text=_("A scanned signature on a white or transparent background. Used when a programme has none."),
    )
    signatory_name = models.CharField(
        _("signatory name"), max_length=150, blank=True, help_text=_("Used when a programme names no signatory.")
    )
    signatory_role = models.CharField(
        _("signatory role"), max_length=150, blank=True, help_text=_("For example: Programme coordinator.")
    )

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("organisation_name"),
                FieldPanel("logo"),
                FieldPanel("signature"),
                FieldPanel("signatory_name"),
                FieldPanel("signatory_role"),
            ],
            heading=_("Certificate template"),
        ),
    ]

    class Meta:
        verbose_name = _("certificate settings")

    @classmethod
    def current(cls) -> CertificateSettings:
        """The settings of the default site (Telar runs one site), unsaved defaults when there are none: no writes."""
        found = cls.objects.filter(site__is_default_site=True).select_related("logo", "signature").first()
        return found or cls()

    def get_organisation_name(self) -> str:
        return self.organisation_name or settings.TELAR_ORGANISATION_NAME
