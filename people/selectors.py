"""Reads for people that other apps build on: which programmes an artisan is enrolled in.

"Her programmes" are the programmes of her enrolments' cohorts (``Enrolment``; her profile's
cohort is always one of them). The certificate rule, Mi avance and the home page read them here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone

from core.text import sorted_by_name
from courses.models import ProgrammePage

from .models import Enrolment, PinCredential


@dataclass
class ProgrammeEnrolment:
    """One artisan in one programme: the programme's page and the cohorts she took it in."""

    programme: ProgrammePage
    cohort_ids: set[int] = field(default_factory=set)


def programme_enrolments(user_ids: Iterable[int]) -> dict[int, dict[int, ProgrammeEnrolment]]:
    """Per user, her live programmes (page id → the programme and the cohorts she took it in), in the
    order she enrolled: 1 query for any number of users and programmes.

    Cohorts without a programme, or whose programme is not published, are left out (they earn
    nothing). Users without an enrolment are absent.
    """
    found: dict[int, dict[int, ProgrammeEnrolment]] = defaultdict(dict)
    rows = (
        Enrolment.objects.filter(user_id__in=list(user_ids), cohort__programme__live=True)
        .select_related("cohort__programme")
        .order_by("created_at", "pk")
    )
    for enrolment in rows:
        programme = enrolment.cohort.programme
        if programme is None:  # filtered out above; for the type checker
            continue
        entry = found[enrolment.user_id].setdefault(programme.pk, ProgrammeEnrolment(programme=programme))
        entry.cohort_ids.add(enrolment.cohort_id)
    return dict(found)


def sign_in_waits(cohort_id: int) -> list[PinCredential]:
    """Her cohort's artisans who cannot sign in now — waiting for her to unlock them, or paused for
    15 minutes — with their wrong PINs (the facilitator's cohort page): 1 query."""
    return sorted_by_name(
        PinCredential.objects.filter(user__artisan__cohort_id=cohort_id, user__is_active=True)
        .filter(Q(held=True) | Q(locked_until__gt=timezone.now()))
        .select_related("user__artisan"),
        lambda credential: credential.user.artisan.preferred_name,
    )
