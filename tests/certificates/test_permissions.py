"""certificates.permissions: the one policy of who sees which certificates (views, admin viewset, selectors)."""

import pytest
from django.contrib.auth.models import AnonymousUser, Permission

from certificates import permissions
from certificates.selectors import certificate_for_download
from certificates.services import certificate_issue_manual
from tests.factories import ArtisanProfileFactory, StaffUserFactory

from .conftest import NAME

pytestmark = pytest.mark.django_db

INDEX = "/admin/certificate/"


@pytest.fixture
def certificates(certificate, other_artisan):
    return {"hers": certificate, "other": certificate_issue_manual(user=other_artisan, issued_by=None, reason="Prueba")}


@pytest.fixture
def coordinator(db):
    """Staff with the certificate model's permissions in the admin, but neither facilitator nor editor."""
    user = StaffUserFactory(username="coordinadora")
    for codename in ["access_admin", "view_certificate", "change_certificate", "add_certificate"]:
        user.user_permissions.add(Permission.objects.get(codename=codename))
    return user


def test_who_sees_which_certificates(users, certificates, coordinator):
    everything = {certificates["hers"].pk, certificates["other"].pk}
    expected = {
        "guest": set(),
        "artisan": set(),  # as staff; her own valid one is downloadable (below)
        "other_artisan": set(),
        "facilitator": {certificates["hers"].pk},
        "other_facilitator": {certificates["other"].pk},
        "editor": set(),  # course content only (issue 14)
        "programme": everything,
        "admin": everything,
    }
    for role, user in users.items():
        user = user or AnonymousUser()
        assert set(permissions.visible_certificates(user).values_list("pk", flat=True)) == expected[role], role
    assert not permissions.visible_certificates(coordinator).exists()


def test_who_may_download_which_certificate(users, certificates, coordinator):
    hers, other = certificates["hers"], certificates["other"]
    assert certificate_for_download(users["artisan"], hers.pk) == hers
    assert certificate_for_download(users["artisan"], other.pk) is None
    assert certificate_for_download(users["facilitator"], hers.pk) == hers
    assert certificate_for_download(users["facilitator"], other.pk) is None
    assert certificate_for_download(users["editor"], other.pk) is None
    assert certificate_for_download(users["editor"], hers.pk) is None
    assert certificate_for_download(users["programme"], other.pk) == other
    assert certificate_for_download(coordinator, hers.pk) is None
    assert certificate_for_download(AnonymousUser(), hers.pk) is None


def test_who_may_issue_by_hand_to_whom(users, cohort, other_cohort, coordinator):
    ours = set(permissions.issuable_profiles(users["facilitator"]).values_list("cohort_id", flat=True))
    assert ours == {cohort.pk}
    assert not permissions.issuable_profiles(users["editor"]).exists()
    assert set(permissions.issuable_profiles(users["programme"]).values_list("cohort_id", flat=True)) == {
        cohort.pk,
        other_cohort.pk,
    }
    assert not permissions.issuable_profiles(coordinator).exists()
    assert not permissions.issuable_profiles(users["artisan"]).exists()
    assert list(permissions.certificate_cohorts(users["facilitator"])) == [cohort]
    assert not permissions.certificate_cohorts(coordinator).exists()


def test_staff_with_certificate_permissions_but_no_role_see_no_names_in_the_admin(client, coordinator, certificates):
    """Bug fixed: the admin's own copy of the rule showed every certificate to a staff user who was neither
    editor nor facilitator (the selectors showed her none)."""
    ArtisanProfileFactory(cohort=certificates["hers"].user.artisan.cohort, full_name="Juana Sin Constancia")
    client.force_login(coordinator)
    index = client.get(INDEX)
    assert index.status_code == 200
    html = index.content.decode()
    assert NAME not in html and "Petrona Santíz López" not in html
    assert client.get(f"{INDEX}edit/{certificates['hers'].pk}/").status_code == 404
    issue = client.get(f"{INDEX}new/").content.decode()
    assert "Juana Sin Constancia" not in issue
