"""The session's account is read as SQL (people.backends._user_with_profile, people.roles._group_names_read):
it must return what the ORM returns, field for field, with the profile (or its absence) in place."""

import pytest
from django.contrib.auth.models import Group

from people.backends import StaffBackend, _user_with_profile
from people.models import ArtisanProfile, User
from people.roles import _group_names_read, artisan_profile, is_editor, is_facilitator
from tests import factories

pytestmark = pytest.mark.django_db


def _same(a, b, model) -> None:
    for field in model._meta.concrete_fields:
        assert getattr(a, field.attname) == getattr(b, field.attname), field.name
        assert type(getattr(a, field.attname)) is type(getattr(b, field.attname)), field.name


def _orm(user_id):
    return User._default_manager.select_related("artisan").filter(pk=user_id).first()


def test_staff_account_as_the_orm_reads_it(django_assert_num_queries):
    facilitator = factories.FacilitatorFactory(first_name="Rosa", last_name="Gómez Díaz")
    facilitator.groups.add(Group.objects.get_or_create(name="Editors")[0])
    with django_assert_num_queries(1):
        user = _user_with_profile(facilitator.pk)
    _same(user, _orm(facilitator.pk), User)
    assert user.last_login is None or user.last_login.tzinfo is not None
    with django_assert_num_queries(0):  # no profile, known without asking again
        assert artisan_profile(user) is None
        assert not hasattr(user, "artisan")
    assert user.password == facilitator.password and user.has_usable_password()
    assert sorted(_group_names_read(user.pk)) == sorted(facilitator.groups.values_list("name", flat=True))
    assert is_facilitator(user) and is_editor(user)


def test_artisan_account_comes_with_her_profile(django_assert_num_queries):
    artisan = factories.ArtisanFactory(preferred_name="Juana")
    with django_assert_num_queries(1):
        user = _user_with_profile(artisan.user_id)
        profile = user.artisan
        assert profile.user is user
    _same(user, _orm(artisan.user_id), User)
    _same(profile, ArtisanProfile.objects.get(pk=artisan.pk), ArtisanProfile)
    assert _group_names_read(user.pk) == []


@pytest.mark.parametrize("user_id", [987654, "x", None, "1; DROP TABLE people_user"])
def test_unknown_or_hostile_ids_are_nobody(user_id):
    assert _user_with_profile(user_id) is None


def test_inactive_staff_are_not_let_back_in():
    facilitator = factories.FacilitatorFactory()
    User.objects.filter(pk=facilitator.pk).update(is_active=False)
    assert StaffBackend().get_user(facilitator.pk) is None
