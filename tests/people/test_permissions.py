"""The permission matrix: guest / artisan / facilitator / editor / admin against every view issue 3 adds."""

import pytest

from tests import factories

pytestmark = pytest.mark.django_db

SIGN_IN = "/sign-in/"


def _expect(response, expected):
    if expected == "sign-in":
        assert response.status_code == 302 and response["Location"].startswith(SIGN_IN), response
    elif expected == "admin-login":
        assert response.status_code == 302 and response["Location"].startswith("/staff/sign-in/"), response
    elif expected == "denied":
        # Wagtail answers a forbidden admin screen with 403, or a redirect to the dashboard with a message.
        assert response.status_code == 403 or (
            response.status_code == 302 and not response["Location"].startswith("/admin/people")
        ), response
    else:
        assert response.status_code == expected, (response.status_code, response.get("Location"))


@pytest.mark.parametrize("url", ["sign_in", "centre", "cohort", "pin"])
def test_sign_in_pages_are_open_to_everyone(role_client, artisan, url):
    _role, client, _user = role_client
    target = {
        "sign_in": SIGN_IN,
        "centre": f"/sign-in/centre/{artisan.cohort.centre_id}/",
        "cohort": f"/sign-in/cohort/{artisan.cohort_id}/",
        "pin": f"/sign-in/artisan/{artisan.user_id}/",
    }[url]
    _expect(client.get(target), 200)


def test_a_pin_attempt_is_open_to_everyone(role_client, artisan):
    _role, client, _user = role_client
    _expect(client.post(f"/sign-in/artisan/{artisan.user_id}/", {"pin": "9999"}), 200)


def test_sign_out_for_everyone(role_client):
    _role, client, _user = role_client
    _expect(client.post("/sign-out/"), 302)
    assert "_auth_user_id" not in client.session


MINE = {"guest": "sign-in", "artisan": 200, "facilitator": 403, "editor": 403, "admin": 403}


def test_mi_avance(role_client):
    role, client, _user = role_client
    _expect(client.get("/progress/"), MINE[role])
    _expect(client.get("/en/progress/"), MINE[role] if MINE[role] != "sign-in" else 302)


def test_mark_done(role_client, lesson):
    from progress.models import LessonCompletion

    role, client, _user = role_client
    expected = {"guest": "sign-in", "artisan": 302, "facilitator": 403, "editor": 403, "admin": 403}[role]
    _expect(client.post(f"/progress/lessons/{lesson.pk}/done/"), expected)
    assert LessonCompletion.objects.count() == (1 if role == "artisan" else 0)
    _expect(client.get(f"/progress/lessons/{lesson.pk}/done/"), 405)


ADMIN_LIST = {"guest": "admin-login", "artisan": "admin-login", "facilitator": 200, "editor": "denied", "admin": 200}
ADMIN_ONLY = {
    "guest": "admin-login",
    "artisan": "admin-login",
    "facilitator": "denied",
    "editor": "denied",
    "admin": 200,
}


@pytest.mark.parametrize("screen", ["index", "add", "edit", "pin", "unlock"])
def test_admin_artisan_screens(role_client, artisan, screen):
    role, client, _user = role_client
    url = {
        "index": "/admin/people_artisans/",
        "add": "/admin/people_artisans/new/",
        "edit": f"/admin/people_artisans/edit/{artisan.pk}/",
        "pin": f"/admin/people_artisans/pin/{artisan.pk}/",
        "unlock": f"/admin/people_artisans/unlock/{artisan.pk}/",
    }[screen]
    _expect(client.get(url), ADMIN_LIST[role])


@pytest.mark.parametrize("screen", ["edit", "pin", "unlock", "history"])
def test_facilitators_cannot_reach_artisans_of_other_cohorts(client, facilitator, screen):
    stranger = factories.ArtisanFactory(cohort=factories.CohortFactory())
    client.force_login(facilitator, backend="people.backends.StaffBackend")
    url = f"/admin/people_artisans/{screen}/{stranger.pk}/"
    _expect(client.get(url), "denied")
    if screen in ("pin", "unlock"):
        _expect(client.post(url, {"pin": "1357"}), "denied")


@pytest.mark.parametrize("url", ["/admin/people_artisans/delete/{pk}/"])
def test_only_admins_delete_artisans(role_client, artisan, url):
    role, client, _user = role_client
    _expect(client.get(url.format(pk=artisan.pk)), ADMIN_ONLY[role])


@pytest.mark.parametrize(
    "url",
    ["/admin/people_cohorts/", "/admin/people_centres/", "/admin/people_cohorts/new/", "/admin/people_centres/new/"],
)
def test_only_admins_manage_centres_and_cohorts(role_client, url):
    role, client, _user = role_client
    _expect(client.get(url), ADMIN_ONLY[role])
