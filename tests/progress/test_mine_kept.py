"""Mi avance is drawn once per drawing (certificates.templatetags.certificate_tags.mine_drawing: what the page
shows of her programmes, as plain values), language and tree version, and kept in the worker; her name, the
account area and messages are drawn on every request.

So the kept page must be exactly the page drawn fresh, for every state of progress a woman can be in, and two
women at the same point must share the drawing but never a name. Drawn both ways and compared, never timed.
"""

import re

import pytest

from courses import cache
from tests import factories
from tests.certificates.conftest import attend, complete_lessons, default_lessons, issue_by_hand, take_quizzes
from tests.fixtures import PIN_BACKEND, forget_kept

pytestmark = pytest.mark.django_db

URLS = ("/progress/", "/en/progress/")


def _one_lesson(user, cohort, modules, staff):
    from progress.services import lesson_mark_done

    lesson_mark_done(user=user, lesson=default_lessons(modules[0])[0])


def _first_module(user, cohort, modules, staff):
    complete_lessons(user, modules[:1])


def _first_module_quiz_failed(user, cohort, modules, staff):
    complete_lessons(user, modules[:1])
    take_quizzes(user, modules[:1], score=30)


def _first_module_quiz_passed(user, cohort, modules, staff):
    complete_lessons(user, modules[:1])
    take_quizzes(user, modules[:1], score=90)


def _every_lesson_no_session(user, cohort, modules, staff):
    complete_lessons(user, modules)
    take_quizzes(user, modules)


def _sessions_only(user, cohort, modules, staff):
    attend(user, cohort, present=2, late=1)


def _almost_everything(user, cohort, modules, staff):
    complete_lessons(user, modules, skip_last_of=modules[-1])
    take_quizzes(user, modules, failed_module=modules[1])
    attend(user, cohort, present=4, absent=2)


def _eligible(present, absent):
    def bring(user, cohort, modules, staff):
        complete_lessons(user, modules)
        take_quizzes(user, modules)
        attend(user, cohort, present=present, absent=absent)

    return bring


def _with_certificate(user, cohort, modules, staff):
    complete_lessons(user, modules)
    take_quizzes(user, modules)
    attend(user, cohort, present=4, absent=1)
    issue_by_hand(user, staff)


STATES = {
    "nothing yet": lambda *args: None,
    "one lesson": _one_lesson,
    "the first module's lessons": _first_module,
    "its quiz not passed": _first_module_quiz_failed,
    "its quiz passed": _first_module_quiz_passed,
    "every lesson, no session": _every_lesson_no_session,
    "sessions only": _sessions_only,
    "almost everything": _almost_everything,
    # The same rate from different sessions: only the numbers of the attendance line tell them apart.
    "eligible, 4 of 5 sessions": _eligible(4, 1),
    "eligible, 8 of 10 sessions": _eligible(8, 2),
    "her certificate": _with_certificate,
}


def _same_tokens(html: str) -> str:
    """The page with its one-time CSRF masks made equal (a new mask on every request, by design)."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', 'name="csrfmiddlewaretoken" value="-"', html)


@pytest.fixture
def women(cohort, modules, admin_user):
    """Two women in each state (a woman and her 'twin' at the same point), each with a name of her own."""
    people = {}
    for number, (state, bring) in enumerate(STATES.items()):
        pair = []
        for twin in ("A", "B"):
            profile = factories.ArtisanFactory(cohort=cohort, preferred_name=f"Nombre{number}{twin}x")
            bring(profile.user, cohort, modules, admin_user)
            pair.append(profile)
        people[state] = pair
    return people


def _page(client, profile, url) -> str:
    client.force_login(profile.user, backend=PIN_BACKEND)
    response = client.get(url)
    assert response.status_code == 200
    return _same_tokens(response.content.decode())


@pytest.mark.parametrize("url", URLS)
def test_the_kept_page_is_the_page_drawn_fresh_in_every_state(client, women, url):
    fresh = {}
    for pair in women.values():
        for profile in pair:
            forget_kept()  # nothing kept: drawn from scratch
            fresh[profile.pk] = _page(client, profile, url)
    # Now each state drawn once is kept; every later page, hers or her twin's, comes from what is kept.
    for state, pair in women.items():
        for profile in reversed(pair):
            assert _page(client, profile, url) == fresh[profile.pk], state


@pytest.mark.parametrize("url", URLS)
def test_two_women_at_the_same_point_share_the_drawing_but_never_a_name(client, women, url):
    forget_kept()
    names = {profile.pk: profile.preferred_name for pair in women.values() for profile in pair}
    for state, (first, twin) in women.items():
        mine, theirs = _page(client, first, url), _page(client, twin, url)
        assert first.preferred_name in mine and twin.preferred_name in theirs, state
        others = [name for pk, name in names.items() if pk not in (first.pk, twin.pk)]
        assert not any(name in mine or name in theirs for name in others), state
        assert twin.preferred_name not in mine and first.preferred_name not in theirs, state
        assert mine.replace(first.preferred_name, "·") == theirs.replace(twin.preferred_name, "·"), state
    kept = [key for key in cache._state["entries"] if "mine-document" in key]
    assert len(kept) == len(STATES)  # one drawing per state, whichever woman came first


def test_progress_made_is_seen_on_the_next_request(client, artisan, modules):
    from progress.services import lesson_mark_done

    client.force_login(artisan.user, backend=PIN_BACKEND)
    before = client.get("/progress/").content.decode()
    assert 'value="1"' not in before
    lesson_mark_done(user=artisan.user, lesson=default_lessons(modules[0])[0])
    assert 'value="1"' in client.get("/progress/").content.decode()


def test_a_publish_is_visible_on_the_next_request_in_every_language(client, artisan, modules):
    client.force_login(artisan.user, backend=PIN_BACKEND)
    translations = {page.locale.language_code: page.specific for page in modules[0].get_translations(inclusive=True)}
    assert set(translations) >= {"es", "en"}
    for url in URLS:
        client.get(url)
    for code, page in translations.items():
        page.title = f"Módulo con título nuevo {code}"
        page.save_revision().publish()
    assert "Módulo con título nuevo es" in client.get("/progress/").content.decode()
    assert "Módulo con título nuevo en" in client.get("/en/progress/").content.decode()


def _has_certificate(client) -> bool:
    return "Descargar mi constancia" in client.get("/progress/").content.decode()


def test_her_kept_certificates_follow_an_issue_a_revoke_and_a_reissue_on_the_next_request(
    client, artisan, cohort, modules, admin_user
):
    from certificates.services import certificate_reissue, certificate_revoke

    other = factories.ArtisanFactory(cohort=cohort, preferred_name="Juanita")
    client.force_login(artisan.user, backend=PIN_BACKEND)
    assert not _has_certificate(client) and not _has_certificate(client)  # kept: none
    certificate = issue_by_hand(artisan.user, admin_user)
    assert _has_certificate(client)
    client.force_login(other.user, backend=PIN_BACKEND)
    assert not _has_certificate(client)  # kept per woman: never another's
    client.force_login(artisan.user, backend=PIN_BACKEND)
    new = certificate_reissue(certificate=certificate, by=admin_user, reason="Nombre corregido")
    assert _has_certificate(client)
    certificate_revoke(certificate=new, by=admin_user, reason="Error de registro")
    assert not _has_certificate(client)


def test_her_kept_certificates_cost_no_query_of_their_own(client, artisan, admin_user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    issue_by_hand(artisan.user, admin_user)
    client.force_login(artisan.user, backend=PIN_BACKEND)
    client.get("/progress/")
    with CaptureQueriesContext(connection) as context:
        assert client.get("/progress/").status_code == 200
    assert not any("certificates_certificate" in query["sql"] for query in context.captured_queries)


def test_her_kept_programmes_follow_a_new_enrolment_and_a_cohort_moved_to_another_programme(client, artisan, cohort):
    second = factories.programme_with_modules("Economía social y clientes", modules=1, lessons=1)
    third = factories.programme_with_modules("Ventas en línea", modules=1, lessons=1)
    client.force_login(artisan.user, backend=PIN_BACKEND)
    sections = lambda: client.get("/progress/").content.decode().count('class="programme-progress"')  # noqa: E731
    assert sections() == 1 and sections() == 1  # kept: one programme
    other = factories.CohortFactory(name="Grupo Economía", programme=second)
    factories.EnrolmentFactory(user=artisan.user, cohort=other)
    page = client.get("/progress/").content.decode()
    assert page.count('class="programme-progress"') == 2 and second.title in page
    other.programme = third
    other.save()
    page = client.get("/progress/").content.decode()
    assert third.title in page and second.title not in page


def test_her_kept_attempts_follow_a_new_attempt_on_the_next_request(client, artisan, modules):
    client.force_login(artisan.user, backend=PIN_BACKEND)
    assert "Evaluación: 30 %" not in client.get("/progress/").content.decode()
    take_quizzes(artisan.user, modules[:1], score=30)
    assert "Evaluación: 30 %, todavía no aprobada" in client.get("/progress/").content.decode()
    take_quizzes(artisan.user, modules[:1], score=90)
    assert "Evaluación: 90 %, aprobada" in client.get("/progress/").content.decode()
