"""Who may use the facilitator workspace and which cohorts she sees.

A thin seam over `people.roles` (the one place roles are defined), so the
attendance views, services and tests ask the same questions the same way.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from core import sql
from people.models import Cohort
from people.permissions import facilitator_cohorts, facilitator_required, may_use_workspace
from people.roles import is_facilitator

__all__ = ["can_record", "cohorts_for", "facilitator_required", "may_use_workspace", "require_cohort"]


def cohorts_for(user):
    """Cohorts this user may follow: all for programme staff and admins, her own for a facilitator, none for editors."""
    return facilitator_cohorts(user)


def can_record(user, cohort_id: int) -> bool:
    """May this user take attendance for sessions of this cohort?

    A facilitator of this very cohort may, whatever else she is: asked first (1 query), so her
    save never reads her permissions to learn whether she is programme staff too.
    """
    if is_facilitator(user) and _facilitates(user.pk, cohort_id):
        return True
    return cohorts_for(user).filter(pk=cohort_id).exists()


def _facilitates(user_id: int, cohort_id: int) -> bool:
    """Is she one of this cohort's facilitators? 1 query, as SQL: a save asks twice (the view, then the
    service), and the ORM took longer to build this lookup than the database took to answer it."""
    through = Cohort.facilitators.through
    table, column = sql.names(through, sql.read_alias(through))
    query = f"SELECT 1 FROM {table} WHERE {column['cohort']} = %s AND {column['user']} = %s LIMIT 1"  # noqa: S608
    return bool(sql.fetch(through, query, [cohort_id, user_id]))


def require_cohort(user, cohort_id: int) -> Cohort:
    """The cohort if it is hers (or she is staff who sees all); 404 when missing, 403 when not hers."""
    cohort = get_object_or_404(Cohort.objects.select_related("centre"), pk=cohort_id)
    if not can_record(user, cohort.pk):
        raise PermissionDenied
    return cohort
