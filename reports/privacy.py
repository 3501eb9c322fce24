"""Personal-data rights of an artisan (Mexico's LFPDPPP): access to her data and its cancellation.

**Access** (the "A" of ARCO): ``artisan_personal_data`` gathers everything Telar holds about
one artisan — account, profile, consent, centre and cohort, lessons finished, quiz attempts,
attendance, certificates and the history of changes — into one JSON-ready dict. Secrets are
described, never copied: whether a PIN is set and when, not its hash.

**Cancellation** ("C"): ``artisan_anonymise`` removes every piece of data that identifies her
and keeps the rest as anonymous statistics, so the programme's totals for funders do not
change: her progress, quiz scores and attendance stay attached to an account that no longer
says who she is. After it, no row of the database holds her name, preferred name, external id,
username or e-mail (tests/reports/test_privacy.py scans every text column of every table).

What a valid certificate keeps — the decision and why:
    The certificate row keeps its verification code, status, programme title, language and
    issue date; its printed name is replaced by ``ANONYMISED`` and its stored PDF (which shows
    her name) is deleted, as are the cohort's ceremony bundles that include it (a PDF made later,
    on a download or a retry of pending PDFs, prints ``ANONYMISED``). Anyone checking
    the code still learns that it is a genuine, valid certificate of that programme issued on
    that date; matching it to a person is done with the paper or PDF she holds, which shows her
    name next to the same code. We do not keep the name "because she was told at issue time":
    under the LFPDPPP the purpose she consented to (proving her certificate) is hers to give up,
    cancellation must reach every copy the responsible party holds once the purpose ends, and
    none of the law's exceptions to cancellation (a legal obligation, a contract still being
    performed, a court order, public interest) applies to a programme completion certificate.
    Keeping a hash of the name instead was rejected: a name is guessable, so its hash is still
    personal data. Revocation is not used either: the certificate was earned and stays valid.

Free texts that may mention her (an attendance note, the reason a certificate was issued by
hand or revoked) are cleared or replaced by ``REDACTED``. Wagtail's log keeps who did what to
her records, with the labels rewritten so that they no longer carry her name, and records the
anonymisation itself (who, when) without any of the removed data.

Her account is deactivated, her PIN deleted and her password made unusable: she can no
longer sign in. If she enrols again later she is a new artisan; a roster that still lists her
would create her again, so remove her from the programme's sheets too.
"""

from __future__ import annotations

import base64
import secrets

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry, PageLogEntry
from wagtail.search import index

from assessments.models import Attempt
from attendance.models import AttendanceRecord
from certificates.models import Certificate, CohortBundle
from courses.models import LessonPage
from people.models import ArtisanProfile, PinCredential, User
from people.services import set_artisan_photo
from progress.models import LessonCompletion

ANONYMISED = "Anonimizada"
REDACTED = "[…]"
USERNAME_PREFIX = "anonimizada-"


def is_anonymised(profile: ArtisanProfile) -> bool:
    return profile.full_name == ANONYMISED and profile.user.username.startswith(USERNAME_PREFIX)


def _iso(value):
    return value.isoformat() if value is not None else None


def _history(profile: ArtisanProfile) -> list[dict]:
    """Wagtail's log entries about her profile and her account: who changed what, when."""
    entries = (
        ModelLogEntry.objects.filter(
            Q(content_type=ContentType.objects.get_for_model(ArtisanProfile), object_id=str(profile.pk))
            | Q(content_type=ContentType.objects.get_for_model(User), object_id=str(profile.user_id))
        )
        .select_related("user")
        .order_by("timestamp", "pk")
    )
    return [
        {
            "when": _iso(entry.timestamp),
            "action": entry.action,
            "by": entry.user.get_username() if entry.user else None,
            "details": entry.data,
        }
        for entry in entries
    ]


def _photo(profile: ArtisanProfile) -> str | None:
    if not profile.photo:
        return None
    with profile.photo.open("rb") as file:
        return base64.b64encode(file.read()).decode("ascii")


def artisan_personal_data(profile: ArtisanProfile) -> dict:
    """Everything Telar holds about one artisan, for her access request (a fixed number of queries)."""
    user = profile.user
    pin = PinCredential.objects.filter(user=user).first()
    completions = list(LessonCompletion.objects.filter(user=user).order_by("completed_at", "pk"))
    titles = dict(
        LessonPage.objects.filter(
            translation_key__in=[c.lesson_key for c in completions], locale__language_code=settings.LANGUAGE_CODE
        ).values_list("translation_key", "title")
    )
    attempts = Attempt.objects.filter(user=user).order_by("submitted_at", "pk")
    records = (
        AttendanceRecord.objects.filter(artisan=user)
        .select_related("session__module")
        .order_by("session__date", "session__start_time", "pk")
    )
    certificates = Certificate.objects.filter(user=user).order_by("issued_at", "pk")
    return {
        "generated_at": _iso(timezone.now()),
        "about": "Personal data held by Telar about one artisan (LFPDPPP right of access).",
        "account": {
            "username": user.get_username(),
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email": user.email,
            "active": user.is_active,
            "joined": _iso(user.date_joined),
            "last_sign_in": _iso(user.last_login),
            "pin_set": pin is not None,
            "pin_set_at": _iso(pin.changed_at) if pin else None,
            "pin_locked_until": _iso(pin.locked_until) if pin else None,
        },
        "profile": {
            "full_name": profile.full_name,
            "preferred_name": profile.preferred_name,
            "preferred_language": profile.preferred_language,
            "external_id": profile.external_id,
            "consent_given": profile.consent_given,
            "consent_date": _iso(profile.consent_date),
            "privacy_notice_version": profile.privacy_notice_version,
            # the sign-in photo her facilitator took (a ≤ 3 KB WebP), itself: it is her data
            "photo_webp_base64": _photo(profile),
            "created_at": _iso(profile.created_at),
            "updated_at": _iso(profile.updated_at),
        },
        "community_centre": {
            "name": profile.cohort.centre.name,
            "municipality": profile.cohort.centre.municipality,
            "state": profile.cohort.centre.state,
        },
        "cohort": {
            "name": profile.cohort.name,
            "start_date": _iso(profile.cohort.start_date),
            "end_date": _iso(profile.cohort.end_date),
        },
        "lessons_finished": [
            {
                "lesson": titles.get(c.lesson_key, str(c.lesson_key)),
                "finished_at": _iso(c.completed_at),
                "language": c.language,
            }
            for c in completions
        ],
        "quiz_attempts": [
            {
                "quiz": a.snapshot.get("title", ""),
                "attempt": a.number,
                "source": a.source,
                "score": a.score,
                "passed": a.passed,
                "date": _iso(a.taken_on),
                "recorded_at": _iso(a.submitted_at),
                "language": a.language,
                "answers": a.snapshot.get("questions", []),
            }
            for a in attempts
        ],
        "attendance": [
            {
                "date": _iso(r.session.date),
                "start_time": r.session.start_time.strftime("%H:%M"),
                "module": r.session.module.title if r.session.module else None,
                "status": r.status,
                "note": r.note,
                "recorded_at": _iso(r.recorded_at),
            }
            for r in records
        ],
        "certificates": [
            {
                "code": c.display_code,
                "status": c.status,
                "name_as_printed": c.printed_name,
                "programme": c.programme_title,
                "issued_on": _iso(c.issued_on),
                "issued": c.issued_how,
                "reason": c.reason,
                "revoked_at": _iso(c.revoked_at),
                "revoked_reason": c.revoked_reason,
                "verification_url": c.get_verification_url(),
            }
            for c in certificates
        ],
        "history": _history(profile),
    }


def artisan_data_summary(profile: ArtisanProfile) -> dict[str, int]:
    """How many records of each kind she has (for the admin screen; 4 queries)."""
    return {
        "lessons": LessonCompletion.objects.filter(user_id=profile.user_id).count(),
        "attempts": Attempt.objects.filter(user_id=profile.user_id).count(),
        "attendance": AttendanceRecord.objects.filter(artisan_id=profile.user_id).count(),
        "certificates": Certificate.objects.filter(user_id=profile.user_id).count(),
    }


def _identifiers(profile: ArtisanProfile) -> list[str]:
    """The strings that identify her on their own (a lone first name does not, and is too common to search)."""
    user = profile.user
    found = [
        profile.full_name,
        profile.external_id,
        user.get_username(),
        user.email,
        f"{user.first_name} {user.last_name}".strip(),
    ]
    return [text for text in dict.fromkeys(found) if text and len(text) >= 3]


def _scrub_logs(objects_by_type: dict[type, list[int]], identifiers: list[str]) -> None:
    """Rewrite log labels and details that could name her; keep who did what and when."""
    targets = Q(pk__in=[])
    for model, pks in objects_by_type.items():
        if pks:
            content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
            targets |= Q(content_type=content_type, object_id__in=[str(pk) for pk in pks])
    ModelLogEntry.objects.filter(targets).update(label=ANONYMISED, data={})
    admin_targets = Q(pk__in=[])
    for model, pks in objects_by_type.items():
        if pks:
            content_type = ContentType.objects.get_for_model(model)
            admin_targets |= Q(content_type=content_type, object_id__in=[str(pk) for pk in pks])
    LogEntry.objects.filter(admin_targets).update(object_repr=ANONYMISED, change_message="")
    for text in identifiers:
        ModelLogEntry.objects.filter(label__icontains=text).update(label=REDACTED)
        PageLogEntry.objects.filter(label__icontains=text).update(label=REDACTED)
        LogEntry.objects.filter(object_repr__icontains=text).update(object_repr=REDACTED)


@transaction.atomic
def artisan_anonymise(*, profile: ArtisanProfile, by: User) -> ArtisanProfile:
    """Remove everything that identifies her; keep her anonymous records in the totals. See the module docstring.

    Idempotent: anonymising an anonymised artisan changes nothing and logs nothing.
    """
    profile = ArtisanProfile.objects.select_for_update().select_related("user").get(pk=profile.pk)
    if is_anonymised(profile):
        return profile
    user = profile.user
    identifiers = _identifiers(profile)

    certificates = list(Certificate.objects.select_for_update().filter(user=user))
    for certificate in certificates:
        if certificate.pdf:
            certificate.pdf.delete(save=False)
        certificate.printed_name = ANONYMISED
        certificate.reason = REDACTED if certificate.reason else ""
        certificate.revoked_reason = REDACTED if certificate.revoked_reason else ""
        certificate.pdf_status = Certificate.PdfStatus.PENDING  # no file: a download renders the anonymised one
        certificate.save(update_fields=["printed_name", "reason", "revoked_reason", "pdf", "pdf_status"])
    for bundle in CohortBundle.objects.filter(cohort_id=profile.cohort_id):
        if bundle.pdf:
            bundle.pdf.delete(save=False)
        bundle.delete()
    attendance_ids = list(AttendanceRecord.objects.filter(artisan=user).values_list("pk", flat=True))
    AttendanceRecord.objects.filter(pk__in=attendance_ids).exclude(note="").update(note="")
    PinCredential.objects.filter(user=user).delete()
    if profile.photo:
        set_artisan_photo(profile, None)  # her face: the file is deleted once this commits

    user.username = f"{USERNAME_PREFIX}{secrets.token_hex(6)}"
    user.first_name = user.last_name = user.email = ""
    user.is_active = False
    user.last_login = None
    user.set_unusable_password()
    user.save()

    profile.full_name = profile.preferred_name = ANONYMISED
    profile.external_id = ""
    profile.consent_given = False
    profile.consent_date = None
    profile.privacy_notice_version = ""
    profile.save()

    _scrub_logs(
        {
            ArtisanProfile: [profile.pk],
            User: [user.pk],
            Certificate: [certificate.pk for certificate in certificates],
            AttendanceRecord: attendance_ids,
            Attempt: list(Attempt.objects.filter(user=user).values_list("pk", flat=True)),
        },
        identifiers,
    )
    for instance in (profile, user):  # refresh any search index that copied her name
        if index.class_is_indexed(type(instance)):
            index.insert_or_update_object(instance)
    log(profile, "reports.anonymise", user=by, data={"records_kept": artisan_data_summary(profile)})
    return profile
