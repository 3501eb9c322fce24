"""Reads for people that other apps build on: which programmes an artisan is enrolled in.

"Her programmes" are the programmes of her enrolments' cohorts (``Enrolment``; her profile's
cohort is always one of them). The certificate rule, Mi avance and the home page read them here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from courses.models import ProgrammePage

from .models import Enrolment


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
