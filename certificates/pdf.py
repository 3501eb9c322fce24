"""The certificate as a PDF: WeasyPrint, A4 landscape, exactly one page, bilingual.

The artisan's language comes first and the other language beneath it in a
smaller line, so the same paper serves her community and a buyer abroad. The
font is bundled (Noto Serif, OFL, subset: see fonts/README.md) so that her name
prints with its accents, ñ and the saltillo ʼ on any server, and WeasyPrint
embeds only the glyphs used: a certificate weighs a few tens of kilobytes.

Rendered through `core.pdf` (the one WeasyPrint wrapper), strictly: it reads only
the bundled fonts and the data: URIs made here, and a font that cannot be read
stops the render rather than printing her name in a fallback font.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import zip_longest

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import formats, translation
from django.utils.translation import gettext as _

from core import pdf
from courses.models import ProgrammePage
from courses.selectors import titles_in_language
from progress.selectors import Structure, programme_structure

from .models import Certificate, CertificateSettings, verification_page_url

LOGO_FILTER = "max-360x140|format-png"
SIGNATURE_FILTER = "max-360x110|format-png"


class CertificateLayoutError(RuntimeError):
    """The certificate did not fit on one page even in its compact layout."""


@dataclass
class Texts:
    """Every phrase of the certificate in one language."""

    language: str
    title: str
    awarded_to: str
    for_completing: str
    modules_heading: str
    modules: list[str]
    date_label: str
    date: str
    centre_label: str
    facilitators_label: str
    code_label: str
    verify_hint: str
    signatory_role: str


def other_language(language: str) -> str:
    """The language printed beneath: English under Spanish, Spanish under anything else."""
    return "en" if language == settings.LANGUAGE_CODE else settings.LANGUAGE_CODE


def primary_language(certificate: Certificate) -> str:
    supported = {code for code, _name in settings.LANGUAGES}
    return certificate.language if certificate.language in supported else settings.LANGUAGE_CODE


def _programme_title(certificate: Certificate, language: str) -> str:
    """Her language: the title as it was when issued (the snapshot); the other: its live translation today."""
    if language == certificate.language:
        return certificate.programme_title
    key = certificate.programme_key
    return titles_in_language([key], language=language).get(key, certificate.programme_title)


def certified_programme(certificate: Certificate) -> ProgrammePage | None:
    """The default-language page of the certificate's programme (by translation key: 1 query), if it still exists."""
    return (
        ProgrammePage.objects.filter(
            translation_key=certificate.programme_key, locale__language_code=settings.LANGUAGE_CODE
        )
        .select_related("signature")
        .first()
    )


def _texts(
    certificate: Certificate,
    language: str,
    *,
    verify_page: str,
    signatory_role: str,
    programme_page: ProgrammePage | None,
) -> Texts:
    with translation.override(language):
        structure = (
            programme_structure(programme=programme_page, language=language) if programme_page else Structure([], {})
        )
        modules = [module.title for module in structure.modules if module.translation_key in structure.counted]
        if programme_page is not None and programme_page.certificate_title.strip():
            programme = certificate.programme_title
        else:
            programme = _programme_title(certificate, language)
        return Texts(
            language=language,
            title=_("Certificate of completion"),
            awarded_to=_("Awarded to"),
            for_completing=_("for completing the %(programme)s") % {"programme": programme},
            modules_heading=_("Modules"),
            modules=modules,
            date_label=_("Date"),
            date=formats.date_format(certificate.issued_on, "DATE_FORMAT"),
            centre_label=_("Community centre"),
            facilitators_label=_("Facilitators"),
            code_label=_("Verification code"),
            verify_hint=_("Scan the code or type it at %(url)s to check that it is genuine.") % {"url": verify_page},
            signatory_role=signatory_role,
        )


def qr_svg(url: str) -> str:
    """The QR code as inline SVG (vector: sharp at any print resolution, a few kilobytes)."""
    import segno  # here, not at the top: only the PDF renderer (task worker) loads it

    return segno.make(url, error="m", micro=False).svg_inline(scale=1, border=2, omitsize=True, dark="#241815")


def _rows(items: list, per_row: int = 3) -> list[list]:
    return [items[index : index + per_row] for index in range(0, len(items), per_row)]


def certificate_context(certificate: Certificate, *, template: CertificateSettings | None = None) -> dict:
    """Everything printed on one certificate (a handful of queries, no writes but image renditions)."""
    template = template or CertificateSettings.current()
    primary = primary_language(certificate)
    secondary = other_language(primary)
    verify_url = certificate.get_verification_url()
    profile = getattr(certificate.user, "artisan", None)
    cohort = profile.cohort if profile is not None else None
    facilitators = []
    centre = ""
    if cohort is not None:
        centre = cohort.centre.name
        facilitators = [
            user.get_full_name() or user.get_username() for user in cohort.facilitators.order_by("last_name", "pk")
        ]
    programme_page = certified_programme(certificate)
    # The programme's signatory, else the site's certificate settings (the organisation's default).
    signs = programme_page if programme_page is not None and programme_page.signatory_name.strip() else template
    role = signs.signatory_role
    signature = (programme_page.signature if programme_page is not None else None) or template.signature
    length = len(certificate.printed_name)
    verify_page = verification_page_url().split("://", 1)[-1]  # the scheme is noise on paper
    first = _texts(certificate, primary, verify_page=verify_page, signatory_role=role, programme_page=programme_page)
    second = _texts(certificate, secondary, verify_page=verify_page, signatory_role=role, programme_page=programme_page)
    return {
        "certificate": certificate,
        "p": first,
        "s": second,
        "module_rows": _rows(
            [
                (number, title, other)
                for number, (title, other) in enumerate(zip_longest(first.modules, second.modules), 1)
                if title
            ]
        ),
        "name_size": "xl" if length <= 28 else "l" if length <= 42 else "m" if length <= 64 else "s",
        "centre": centre,
        "facilitators": ", ".join(facilitators),
        "organisation": template.get_organisation_name(),
        "signatory_name": signs.signatory_name,
        "logo": pdf.image_data_uri(template.logo, LOGO_FILTER),
        "signature": pdf.image_data_uri(signature, SIGNATURE_FILTER),
        "qr": qr_svg(verify_url),
        "verify_url": verify_url,
        "fonts": pdf.font_urls(),
    }


def render_html(certificate: Certificate, *, compact: bool = False, template: CertificateSettings | None = None) -> str:
    context = certificate_context(certificate, template=template)
    context["compact"] = compact
    return render_to_string("certificates/pdf/certificate.html", context)


def render_pdf(certificate: Certificate, *, template: CertificateSettings | None = None) -> bytes:
    """The PDF bytes of one certificate, guaranteed to be a single page."""
    template = template or CertificateSettings.current()
    for compact in (False, True):
        document = pdf.render(render_html(certificate, compact=compact, template=template), strict=True)
        if len(document.pages) == 1:
            return pdf.write(document)
    raise CertificateLayoutError(f"certificate {certificate.pk} does not fit on one page")
