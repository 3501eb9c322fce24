"""Data: the site's certificate rule (threshold, signatory) moves onto the programme it applied to.

Before issue 18 the threshold and the signatory were site settings; now each programme has its own.
The programme of the single-programme days (the first live default-language programme page) takes
the values the settings had, so nobody's eligibility nor any printed certificate changes. The
settings keep the signatory as the fallback for programmes that name none. Certificates already
name their programme (``programme_key``, ``programme_title``): they are left as they are.
"""

from django.conf import settings
from django.db import migrations


def rule_onto_programme(apps, schema_editor=None):
    ProgrammePage = apps.get_model("courses", "ProgrammePage")
    CertificateSettings = apps.get_model("certificates", "CertificateSettings")
    pages = ProgrammePage.objects.filter(locale__language_code=settings.LANGUAGE_CODE).order_by("path")
    programme = pages.filter(live=True).first() or pages.first()
    config = CertificateSettings.objects.filter(site__is_default_site=True).first()
    if programme is None or config is None:
        return
    programme.attendance_threshold = config.attendance_threshold
    programme.signatory_name = programme.signatory_name or config.signatory_name
    programme.signatory_role = programme.signatory_role or config.signatory_role
    programme.signature_id = programme.signature_id or config.signature_id
    programme.save(update_fields=["attendance_threshold", "signatory_name", "signatory_role", "signature"])


class Migration(migrations.Migration):
    dependencies = [
        ("certificates", "0002_pdf_status"),
        ("courses", "0003_programme_certificate_rule"),
    ]

    operations = [migrations.RunPython(rule_onto_programme, migrations.RunPython.noop)]
