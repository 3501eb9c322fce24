"""Where she stands (issue 15, item 2): per module her lessons and quiz, her attendance, and ONE checklist of
what is left for her certificate — decided by the certificate rule itself (certificates.rules.standing)."""

import re
from decimal import Decimal

import pytest

from attendance.models import Status
from attendance.rules import AttendanceRule, current_rule
from certificates import rules
from progress.selectors import programme_overviews
from tests.budgets import PAGE_BUDGET, css_bytes, gzipped, main_of, query_count
from tests.certificates.conftest import attend, complete_lessons, take_quizzes

pytestmark = pytest.mark.django_db

CONGRATULATIONS = ("Felicidades", "Terminaste todo el programa", "Cuando termines")


@pytest.fixture
def her(client, artisan):
    client.force_login(artisan.user, backend="people.backends.PinBackend")
    return client


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main_of(html)))


def _checklist(html: str) -> list[str]:
    block = html.split('<ul class="checklist">', 1)[1].split("</ul>", 1)[0] if "checklist" in html else ""
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", item)).strip() for item in re.findall(r"<li>(.*?)</li>", block)]


def test_dominga_finished_every_module_but_came_to_no_session(her, artisan, modules):
    complete_lessons(artisan.user, modules)
    take_quizzes(artisan.user, modules)
    for url in ["/progress/", "/"]:
        html = her.get(url).content.decode()
        text = _text(html)
        assert not any(word in text for word in CONGRATULATIONS), (url, text)
        assert "Terminaste los módulos de este programa." in text
        assert "Asistencia: ninguna sesión registrada todavía; se necesita 80 %" in text
        assert _checklist(html) == ["Te falta: asistir a 1 sesión más"], url


def test_four_of_six_sessions_says_how_many_more(her, artisan, cohort, modules):
    complete_lessons(artisan.user, modules)
    take_quizzes(artisan.user, modules)
    attend(artisan.user, cohort, present=4, absent=2)
    html = her.get("/progress/").content.decode()
    assert "Asistencia: 4 de 6 sesiones; se necesita 80 %" in _text(html)
    # (4 + 4) / (6 + 4) = 80 %: four more sessions, and three would not be enough
    assert _checklist(html) == ["Te falta: asistir a 4 sesiones más"]


def test_lessons_and_a_failed_quiz_are_listed_by_module(her, artisan, cohort, modules):
    complete_lessons(artisan.user, modules, skip_last_of=modules[0])
    take_quizzes(artisan.user, modules, failed_module=modules[2])
    attend(artisan.user, cohort, present=5)
    html = her.get("/progress/").content.decode()
    assert _checklist(html) == [
        "Te falta: terminar 1 lección del módulo 1",
        "Te falta: aprobar la evaluación del módulo 3",
    ]
    text = _text(html)
    assert "Evaluación: 30 %, todavía no aprobada" in text and "Evaluación: 100 %, aprobada" in text
    assert "Asistencia: 5 de 5 sesiones; se necesita 80 %" in text
    assert not any(word in text for word in CONGRATULATIONS)


def test_a_new_artisan_sees_everything_left_and_quizzes_not_taken(her, artisan, modules):
    html = her.get("/progress/").content.decode()
    items = _checklist(html)
    assert items[-1] == "Te falta: asistir a 1 sesión más"
    assert items[0].startswith("Te falta: terminar ") and items[0].endswith("del módulo 1")
    assert "Evaluación: todavía no la haces" in _text(html)


def test_nothing_missing_means_the_certificate_and_only_then_congratulations(her, artisan, cohort, modules):
    from tests.certificates.conftest import after_commit

    complete_lessons(artisan.user, modules)
    take_quizzes(artisan.user, modules)
    with after_commit():
        attend(artisan.user, cohort, present=4, absent=1)
        from certificates.services import check_and_issue_many

        check_and_issue_many(users=[artisan.user.pk])
    html = her.get("/progress/").content.decode()
    assert _checklist(html) == []
    assert "Felicidades" in _text(html) and "/certificates/mine/" in html


def test_full_attendance_required_after_a_miss_is_out_of_reach(her, artisan, cohort, modules, programme):
    programme.attendance_threshold = 100
    programme.save_revision().publish()
    attend(artisan.user, cohort, present=3, absent=1)
    html = her.get("/progress/").content.decode()
    assert _checklist(html)[-1] == "Te falta: llegar a 100 % de asistencia; habla con tu facilitadora"


@pytest.mark.parametrize(
    ("counts", "threshold", "more"),
    [
        ({}, "0.80", 1),
        ({"present": 4, "absent": 2}, "0.80", 4),
        ({"present": 4, "absent": 1}, "0.80", 0),
        ({"present": 0, "absent": 3}, "0.75", 9),
        ({"present": 2, "absent": 1}, "1.00", None),
        ({"present": 2, "excused": 3}, "0.80", 0),  # excused counts as attended by default
    ],
)
def test_sessions_to_reach_agrees_with_the_rate(counts, threshold, more):
    rule = AttendanceRule(
        attended=frozenset({Status.PRESENT, Status.LATE, Status.EXCUSED}),
        counted=frozenset({Status.PRESENT, Status.LATE, Status.ABSENT, Status.EXCUSED}),
    )
    counts = {str(key): value for key, value in counts.items()}
    threshold = Decimal(threshold)
    assert rule.sessions_to_reach(counts, threshold) == more
    if more:
        present = counts.get("present", 0)
        assert rule.rate({**counts, "present": present + more}) >= threshold
        assert rule.rate({**counts, "present": present + more - 1}) is None or (
            rule.rate({**counts, "present": present + more - 1}) < threshold
        )


@pytest.mark.parametrize("lessons_done", [False, True])
@pytest.mark.parametrize("quizzes", [None, "failed", "passed"])
@pytest.mark.parametrize("sessions", [{}, {"present": 1, "absent": 1}, {"present": 4, "absent": 1}])
def test_the_checklist_is_empty_exactly_when_the_rule_says_yes(
    artisan, cohort, modules, lessons_done, quizzes, sessions
):
    if lessons_done:
        complete_lessons(artisan.user, modules)
    if quizzes:
        take_quizzes(artisan.user, modules, failed_module=modules[1] if quizzes == "failed" else None)
    if sessions:
        attend(artisan.user, cohort, **sessions)
    overviews = programme_overviews(artisan.user)
    standing = rules.standings(artisan.user, overviews)[overviews[0].programme.pk]
    eligible = rules.eligibility_by_programme([artisan.user])[artisan.user.pk][overviews[0].programme.pk]
    assert standing.eligibility == eligible
    assert (not standing.missing) == eligible.eligible
    kinds = {item.kind for item in standing.missing}
    assert (rules.SESSIONS in kinds or rules.SESSIONS_OUT_OF_REACH in kinds) == (not eligible.attendance_ok)
    assert bool(kinds & {rules.LESSONS, rules.QUIZ, rules.MODULES}) == (not eligible.modules_complete)


def test_standings_cost_two_queries_for_any_number_of_programmes_and_sessions(artisan, cohort, modules):
    overviews = programme_overviews(artisan.user)
    few = query_count(rules.standings, artisan.user, overviews)
    attend(artisan.user, cohort, present=8, absent=3, late=2)
    assert query_count(rules.standings, artisan.user, programme_overviews(artisan.user)) == few == 2
    assert current_rule() is not None


def test_mi_avance_with_everything_shown_fits_the_budget(her, artisan, cohort, modules):
    complete_lessons(artisan.user, modules, skip_last_of=modules[5])
    take_quizzes(artisan.user, modules, failed_module=modules[3])
    attend(artisan.user, cohort, present=4, absent=2)
    for url in ["/progress/", "/en/progress/", "/"]:
        response = her.get(url)
        assert gzipped(response.content) + css_bytes() <= PAGE_BUDGET, url
