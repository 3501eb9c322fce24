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

from core import sql
from core.text import sorted_by_name
from courses import cache as tree_cache
from courses.models import ProgrammePage

from .models import Cohort, Enrolment, PinCredential


@dataclass
class ProgrammeEnrolment:
    """One artisan in one programme: the programme's page and the cohorts she took it in."""

    programme: ProgrammePage
    cohort_ids: set[int] = field(default_factory=set)


def programme_enrolments(user_ids: Iterable[int]) -> dict[int, dict[int, ProgrammeEnrolment]]:
    """Per user, her live programmes (page id → the programme and the cohorts she took it in), in the
    order she enrolled: 1 query for any number of users and programmes, and 1 more for the programme
    pages in a worker that has not kept them yet (kept per tree version: ``courses.cache``; a publish,
    unpublish or move renews them). The pages are shared and read only.

    Cohorts without a programme, or whose programme is not published, are left out (they earn
    nothing). Users without an enrolment are absent.
    """
    found: dict[int, dict[int, ProgrammeEnrolment]] = defaultdict(dict)
    user_ids = list(user_ids)
    if not user_ids:
        return {}
    if len(user_ids) == 1:  # one woman's, on her own page: read with her account when kept
        rows = tree_cache.kept_along(enrolments_key(user_ids[0]), lambda: _enrolment_rows(user_ids), KEPT_SECONDS)
    else:
        rows = _enrolment_rows(user_ids)
    programmes = live_programme_pages({programme_id for _user, _cohort, programme_id in rows})
    for user_id, cohort_id, programme_id in rows:
        programme = programmes.get(programme_id)
        if programme is None:  # unpublished since the row was read; for the type checker
            continue
        entry = found[user_id].setdefault(programme.pk, ProgrammeEnrolment(programme=programme))
        entry.cohort_ids.add(cohort_id)
    return dict(found)


def _enrolment_rows(user_ids: list[int]) -> list[tuple[int, int, int]]:
    """(user id, cohort id, programme id) of their enrolments in cohorts with a programme, in the order they
    enrolled (1 query). Written as SQL (Mi avance asks on every visit): the ORM took longer to build the query
    than to run it. Whether each programme is live is the kept pages' answer (``live_programme_pages``)."""
    alias = sql.read_alias(Enrolment)
    (enrolment, e), (cohort, c) = sql.names(Enrolment, alias), sql.names(Cohort, alias)
    query = (
        f"SELECT {enrolment}.{e['user']}, {enrolment}.{e['cohort']}, {cohort}.{c['programme']} "  # noqa: S608
        f"FROM {enrolment} JOIN {cohort} ON {enrolment}.{e['cohort']} = {cohort}.{c['id']} "
        f"WHERE {enrolment}.{e['user']} IN ({sql.marks(len(user_ids))}) AND {cohort}.{c['programme']} IS NOT NULL "
        f"ORDER BY {enrolment}.{e['created_at']}, {enrolment}.{e['id']}"
    )
    return [tuple(row) for row in sql.fetch(Enrolment, query, user_ids)]


# How long what is kept about her in the shared cache lasts (her account, her enrolments, her certificates):
# every write that changes it drops it at once (signals), so this only bounds a write that bypasses them
# (``QuerySet.update``; Telar makes none on these). Long enough to cover the minutes she spends reading or
# listening to one lesson: with a minute, nearly every page she opened read all three again and wrote them
# back, three write transactions on the database cache. Her enrolments: an enrolment, her profile or a
# cohort saved or deleted drops what it concerns (people.backends.connect).
KEPT_SECONDS = 15 * 60


def enrolments_key(user_id: int) -> str:
    return f"people:enrolments:{user_id}"


def forget_enrolments(user_ids: Iterable[int]) -> None:
    """Drop what is kept of these women's enrolments (``courses.cache.forget_kept``)."""
    tree_cache.forget_kept([enrolments_key(user_id) for user_id in user_ids if user_id is not None])


def live_programme_pages(ids: Iterable[int]) -> dict[int, ProgrammePage]:
    """The live programme pages with these ids (kept per tree version; 1 query when not kept yet)."""
    wanted = tuple(sorted(set(ids)))
    if not wanted:
        return {}
    return tree_cache.memo(
        None,
        ("programme-pages", wanted),
        lambda: {page.pk: page for page in ProgrammePage.objects.live().filter(pk__in=wanted)},
    )


def sign_in_waits(cohort_id: int) -> list[PinCredential]:
    """Her cohort's artisans who cannot sign in now — waiting for her to unlock them, or paused for
    15 minutes — with their wrong PINs (the facilitator's cohort page): 1 query."""
    return sorted_by_name(
        PinCredential.objects.filter(user__artisan__cohort_id=cohort_id, user__is_active=True)
        .filter(Q(held=True) | Q(locked_until__gt=timezone.now()))
        .select_related("user__artisan"),
        lambda credential: credential.user.artisan.preferred_name,
    )
