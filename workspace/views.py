"""The facilitator's workspace pages that need more than one app: the cohort progress grid.

Same access as the attendance pages (`attendance.access`): her own cohorts for
a facilitator, every cohort for editors and admins, a plain 403 page otherwise.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.views.decorators.http import require_GET

from attendance.access import facilitator_required, require_cohort

from .selectors import cohort_grid


@require_GET
@facilitator_required
def cohort_progress(request, cohort_id: int):
    try:
        cohort = require_cohort(request.user, cohort_id)
    except PermissionDenied:
        return render(request, "attendance/forbidden.html", status=403)
    return render(request, "workspace/progress.html", {"cohort": cohort, "grid": cohort_grid(cohort)})
