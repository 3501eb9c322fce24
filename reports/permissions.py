"""Who may see what in the reports screens (the matrix is pinned by tests/reports/test_permissions.py).

- The dashboard shows counts and rates, never names: programme staff (the Editors group,
  through ``reports.view_dashboard``) and admins.
- Anything that carries names — the roster import, the exports, an artisan's data-access
  file, anonymisation — needs ``reports.manage_personal_data``: superusers, or a group an
  admin grants it to. Facilitators see their own cohorts in their own screens, not here.
"""

from __future__ import annotations

from people.roles import AnyUser

VIEW_DASHBOARD = "reports.view_dashboard"
MANAGE_PERSONAL_DATA = "reports.manage_personal_data"


def can_manage_personal_data(user: AnyUser) -> bool:
    return bool(user.is_authenticated and user.is_active and user.has_perm(MANAGE_PERSONAL_DATA))


def can_view_dashboard(user: AnyUser) -> bool:
    return bool(
        user.is_authenticated and user.is_active and (user.has_perm(VIEW_DASHBOARD) or can_manage_personal_data(user))
    )
