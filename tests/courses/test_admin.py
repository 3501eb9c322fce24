import pytest
from django.contrib.auth.models import Group

from tests.factories import StaffUserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    user = StaffUserFactory(username="editora-test")
    user.groups.add(Group.objects.get(name="Editors"))
    return user


def test_editor_can_edit_and_publish_course_pages(client, editor, lesson):
    client.force_login(editor)
    assert client.get("/admin/").status_code == 200
    assert client.get(f"/admin/pages/{lesson.pk}/edit/").status_code == 200
    from wagtail.models import Page

    permissions = Page.objects.get(pk=lesson.pk).permissions_for_user(editor)
    assert permissions.can_edit() and permissions.can_publish()


def test_editor_cannot_manage_users(client, editor):
    client.force_login(editor)
    response = client.get("/admin/users/")
    assert response.status_code in (302, 403)
    assert client.get("/admin/groups/").status_code in (302, 403)


def test_admin_has_preview_and_revisions(admin_client, lesson):
    lesson.save_revision()
    history = admin_client.get(f"/admin/pages/{lesson.pk}/history/")
    assert history.status_code == 200
    assert lesson.revisions.count() >= 2
    edit = admin_client.get(f"/admin/pages/{lesson.pk}/edit/").content.decode()
    assert "preview" in edit.lower()


def test_artisan_without_staff_flag_cannot_reach_admin(client):
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    response = client.get("/admin/")
    assert response.status_code == 302
