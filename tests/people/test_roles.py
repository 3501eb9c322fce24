"""people.roles: who is an artisan, a facilitator, an editor; which cohorts each may follow."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.test import RequestFactory

from people.permissions import (
    can_manage_artisan,
    facilitator_cohorts,
    facilitator_required,
    managed_cohorts,
    sees_every_cohort,
)
from people.roles import artisan_required, is_artisan, is_editor, is_facilitator, is_programme_staff
from tests import factories

pytestmark = pytest.mark.django_db


def test_roles(artisan, facilitator, editor, admin_user):
    assert is_artisan(artisan.user) and not is_facilitator(artisan.user) and not is_editor(artisan.user)
    assert is_facilitator(facilitator) and not is_artisan(facilitator) and not is_editor(facilitator)
    assert is_editor(editor) and not is_facilitator(editor)
    assert is_editor(admin_user) and is_facilitator(admin_user)
    assert not is_artisan(AnonymousUser()) and not is_facilitator(AnonymousUser())


def test_inactive_users_have_no_role(artisan, facilitator):
    for user in (artisan.user, facilitator):
        user.is_active = False
    assert not is_artisan(artisan.user) and not is_facilitator(facilitator)


def test_facilitator_cohorts(cohort, facilitator, editor, programme_staff, admin_user, artisan):
    other = factories.CohortFactory()
    assert list(facilitator_cohorts(facilitator)) == [cohort]
    assert set(facilitator_cohorts(programme_staff)) == set(facilitator_cohorts(admin_user)) >= {cohort, other}
    assert not facilitator_cohorts(editor).exists()  # course content only: no cohort's people
    assert not facilitator_cohorts(artisan.user).exists()
    assert not facilitator_cohorts(AnonymousUser()).exists()


def test_who_manages_which_artisans(cohort, artisan, facilitator, editor, admin_user):
    stranger = factories.ArtisanFactory(cohort=factories.CohortFactory())
    assert can_manage_artisan(facilitator, artisan) and not can_manage_artisan(facilitator, stranger)
    assert can_manage_artisan(admin_user, stranger)
    assert not can_manage_artisan(editor, artisan)  # course editors never handle artisans' data
    assert not can_manage_artisan(artisan.user, artisan)
    assert list(managed_cohorts(facilitator)) == [cohort]
    assert not managed_cohorts(editor).exists()


def test_role_group_lookup_is_memoised(facilitator, django_assert_num_queries):
    with django_assert_num_queries(1):
        for _ in range(5):
            is_facilitator(facilitator)
            is_editor(facilitator)


def _request(user):
    request = RequestFactory().get("/somewhere/?x=1")
    request.user = user
    return request


def test_artisan_required(artisan, facilitator):
    view = artisan_required(lambda request: HttpResponse("ok"))
    assert view(_request(artisan.user)).status_code == 200
    guest = view(_request(AnonymousUser()))
    assert guest.status_code == 302 and guest["Location"].startswith("/sign-in/?next=")
    with pytest.raises(PermissionDenied):
        view(_request(facilitator))


def test_facilitator_required(artisan, facilitator, editor, programme_staff, admin_user):
    view = facilitator_required(lambda request: HttpResponse("ok"))
    for user in (facilitator, programme_staff, admin_user):
        assert view(_request(user)).status_code == 200
    guest = view(_request(AnonymousUser()))
    assert guest.status_code == 302 and guest["Location"].startswith("/staff/sign-in/")
    for user in (artisan.user, editor):
        with pytest.raises(PermissionDenied):
            view(_request(user))


def test_who_sees_every_cohort(artisan, facilitator, editor, programme_staff, admin_user):
    """Programme staff (reports.manage_personal_data) and admins; never an editor, a facilitator, a guest."""
    assert is_programme_staff(programme_staff) and not is_editor(programme_staff)
    assert sees_every_cohort(programme_staff) and sees_every_cohort(admin_user)
    for user in (artisan.user, facilitator, editor, AnonymousUser(), None):
        assert not sees_every_cohort(user)
    programme_staff.is_active = False
    assert not sees_every_cohort(programme_staff)


def test_facilitators_group_is_created_by_migration():
    from django.contrib.auth.models import Group

    group = Group.objects.get(name="Facilitators")
    assert group.permissions.filter(codename="access_admin").exists()


def test_artisan_users_is_the_queryset_of_is_artisan(artisan, facilitator, editor, admin_user):
    from people.models import User
    from people.roles import artisan_profile, artisan_users

    gone = factories.ArtisanFactory(cohort=artisan.cohort)
    gone.user.is_active = False
    gone.user.save(update_fields=["is_active"])
    assert set(artisan_users()) == {user for user in User.objects.all() if is_artisan(user)} == {artisan.user}
    assert artisan_profile(artisan.user) == artisan
    assert artisan_profile(gone.user) is None and artisan_profile(facilitator) is None
    assert artisan_profile(AnonymousUser()) is None and artisan_profile(None) is None
