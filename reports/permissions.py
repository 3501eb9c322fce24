"""Who may see what in the reports screens (the matrix is pinned by tests/reports/test_permissions.py).

- The dashboard shows counts and rates, never names: programme staff (the Editors group,
  through ``reports.view_dashboard``) and admins.
- Anything that carries names — the roster import, the exports, an artisan's data-access
  file, anonymisation — needs ``reports.manage_personal_data``: superusers, or a group an
  admin grants it to. Facilitators see their own cohorts in their own screens, not here.
"""

from __future__ import annotations

from people.roles import MANAGE_PERSONAL_DATA, AnyUser, is_programme_staff

__all__ = ["MANAGE_PERSONAL_DATA", "VIEW_DASHBOARD", "can_manage_personal_data", "can_view_dashboard"]

VIEW_DASHBOARD = "reports.view_dashboard"


def can_manage_personal_data(user: AnyUser) -> bool:
    return is_programme_staff(user)


def can_view_dashboard(user: AnyUser) -> bool:
    return bool(
        user.is_authenticated and user.is_active and (user.has_perm(VIEW_DASHBOARD) or can_manage_personal_data(user))
    )
