"""Wagtail admin: sessions, the bulk series creator, the attendance settings."""

import pytest
from django.urls import reverse
from wagtail.models import Site

from attendance.models import AttendanceSettings, Session

from .conftest import ROLES, login
from .factories import SessionFactory

pytestmark = pytest.mark.django_db


def admin_urls():
    site = Site.objects.get(is_default_site=True)
    return [
        reverse("attendance_sessions:index"),
        reverse("attendance_sessions:add"),
        reverse("attendance_sessions:series"),
        reverse("wagtailsettings:edit", args=["attendance", "attendancesettings", site.pk]),
    ]


@pytest.mark.parametrize("role", ROLES)
def test_admin_matrix(client, role, users):
    login(client, users[role])
    for url in admin_urls():
        response = client.get(url)
        if role == "admin":
            assert response.status_code == 200, url
        else:
            # Guests and artisans go to the admin sign-in; staff without the permission are turned away.
            assert response.status_code in (302, 403), (url, response.status_code)
            if response.status_code == 302:
                assert response["Location"] != url


def test_series_creates_one_session_per_module_weekly(client, users, cohort, modules):
    login(client, users["admin"])
    data = {
        "cohort": cohort.pk,
        "first_date": "2026-03-02",
        "start_time": "10:00",
        "every_days": 7,
        "one_per_module": "on",
        "place": "Casa ejidal",
    }
    response = client.post(reverse("attendance_sessions:series"), data)
    assert response.status_code == 302
    sessions = list(Session.objects.filter(cohort=cohort).order_by("date"))
    assert [s.module.order for s in sessions] == [1, 2, 3, 4, 5, 6]
    assert (sessions[-1].date - sessions[0].date).days == 35 and sessions[0].place == "Casa ejidal"
    client.post(reverse("attendance_sessions:series"), data)  # again: nothing new
    assert Session.objects.filter(cohort=cohort).count() == 6


def test_series_by_count_needs_a_count(client, users, cohort):
    login(client, users["admin"])
    data = {"cohort": cohort.pk, "first_date": "2026-03-02", "start_time": "10:00", "every_days": 14}
    assert client.post(reverse("attendance_sessions:series"), data).status_code == 200  # form error shown
    assert not Session.objects.exists()
    client.post(reverse("attendance_sessions:series"), {**data, "count": 3})
    assert [s.date.day for s in Session.objects.order_by("date")] == [2, 16, 30]


def test_index_offers_the_series_button(client, users, session):
    html = login(client, users["admin"]).get(reverse("attendance_sessions:index")).content.decode()
    assert reverse("attendance_sessions:series") in html


def test_settings_are_edited_in_the_admin(client, users):
    site = Site.objects.get(is_default_site=True)
    login(client, users["admin"])
    url = reverse("wagtailsettings:edit", args=["attendance", "attendancesettings", site.pk])
    response = client.post(url, {"excused": "missed"})  # late_counts unticked
    assert response.status_code == 302
    saved = AttendanceSettings.objects.get(site=site)
    assert (saved.late_counts, saved.excused) == (False, "missed")


@pytest.mark.parametrize(
    ("role", "shown"),
    [("facilitator", True), ("programme", True), ("admin", True), ("editor", False), ("other_staff", False)],
)
def test_the_admin_menu_leads_to_the_workspace(client, users, role, shown):
    from django.contrib.auth.models import Permission

    from tests.factories import StaffUserFactory

    user = users.get(role) or StaffUserFactory(username="staff-without-role")
    if not user.is_superuser:
        user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    html = login(client, user).get(reverse("wagtailadmin_home")).content.decode()
    assert ("/facilitator/" in html) is shown


def test_a_session_with_attendance_cannot_be_deleted_from_the_admin(client, users, session, members):
    from .factories import AttendanceRecordFactory

    AttendanceRecordFactory(session=session, artisan=members[0].user)
    login(client, users["admin"])
    url = reverse("attendance_sessions:delete", args=[session.pk])
    assert client.get(url).status_code == 200
    response = client.post(url)
    assert response.status_code in (302, 403)
    assert Session.objects.filter(pk=session.pk).exists()
    empty = SessionFactory(cohort=session.cohort)
    assert client.post(reverse("attendance_sessions:delete", args=[empty.pk])).status_code == 302
    assert not Session.objects.filter(pk=empty.pk).exists()
