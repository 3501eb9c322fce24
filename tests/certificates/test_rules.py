"""The certificate rule, table-driven: modules × quiz × attendance, with the edges (exactly 80%)."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments.selectors import quiz_for_page
from certificates.models import Certificate
from certificates.rules import eligibility_for_users, newly_earned
from certificates.services import certificate_revoke, check_and_issue_many
from courses.models import ProgrammePage
from people.models import User
from progress.selectors import statuses_for_users
from tests.factories import ArtisanProfileFactory
from tests.fixtures import forget_kept

from .conftest import after_commit, attend, complete_lessons, make_eligible, take_quizzes

pytestmark = pytest.mark.django_db


def test_every_module_of_the_curriculum_has_a_quiz(modules):
    """The quiz dimension of the table below is real: each module's completion needs its quiz."""
    assert modules and all(quiz_for_page(module) is not None for module in modules)


# (lessons, quizzes, attendance counts, threshold %, eligible)
CASES = {
    "everything, exactly 80%": ("all", "passed", {"present": 4, "absent": 1}, 80, True),
    "everything, 100%": ("all", "passed", {"present": 5}, 80, True),
    "late counts as attended": ("all", "passed", {"present": 3, "late": 1, "absent": 1}, 80, True),
    "excused left out of the denominator": ("all", "passed", {"present": 4, "absent": 1, "excused": 3}, 80, True),
    "75% is below 80%": ("all", "passed", {"present": 3, "absent": 1}, 80, False),
    "7 of 9 (77.8%) is below 80%": ("all", "passed", {"present": 7, "absent": 2}, 80, False),
    "no attendance taken yet": ("all", "passed", {}, 80, False),
    "only excused sessions": ("all", "passed", {"excused": 2}, 80, False),
    "a lower threshold": ("all", "passed", {"present": 3, "absent": 2}, 60, True),
    "threshold 100% needs every session": ("all", "passed", {"present": 4, "late": 0, "absent": 1}, 100, False),
    "one lesson missing": ("one_missing", "passed", {"present": 5}, 80, False),
    "no lessons": ("none", "none", {"present": 5}, 80, False),
    "one quiz failed": ("all", "one_failed", {"present": 5}, 80, False),
    "quizzes not taken": ("all", "none", {"present": 5}, 80, False),
}


@pytest.mark.parametrize("case", CASES.keys())
def test_eligibility_table(case, cohort, modules):
    lessons, quizzes, attendance, threshold, expected = CASES[case]
    ProgrammePage.objects.filter(pk=cohort.programme_id).update(attendance_threshold=threshold)
    cohort.programme.attendance_threshold = threshold
    user = ArtisanProfileFactory(cohort=cohort).user
    if lessons == "all":
        complete_lessons(user, modules)
    elif lessons == "one_missing":
        complete_lessons(user, modules, skip_last_of=modules[2])
    if quizzes == "passed":
        take_quizzes(user, modules)
    elif quizzes == "one_failed":
        take_quizzes(user, modules, failed_module=modules[4])
    attend(user, cohort, **attendance)

    assert eligibility_for_users([user], programme=cohort.programme)[user.pk].eligible is expected
    assert [item.user_ids for item in newly_earned([user])] == ([[user.pk]] if expected else [])
    with after_commit():
        issued = check_and_issue_many(users=[user])
    assert len(issued) == (1 if expected else 0)
    assert Certificate.objects.filter(user=user, status="valid").count() == (1 if expected else 0)


def test_exactly_the_threshold_is_enough(cohort, modules):
    user = ArtisanProfileFactory(cohort=cohort).user
    attend(user, cohort, present=4, absent=1)
    result = eligibility_for_users([user.pk], programme=cohort.programme)[user.pk]
    assert result.attendance_rate == Decimal("0.8")
    assert result.threshold == Decimal("0.8")
    assert result.attendance_ok
    assert result.attendance_percent == 80


def test_issuing_is_idempotent_and_renders_once(cohort, modules, artisan):
    make_eligible(artisan, cohort, modules)
    with after_commit():
        [first] = check_and_issue_many(users=[artisan])
    first.refresh_from_db()
    assert first.is_valid and first.pdf_ready
    assert first.issued_how == Certificate.IssuedHow.AUTO and first.issued_by is None
    pdf_name = first.pdf.name
    with after_commit():
        assert check_and_issue_many(users=[artisan, artisan.pk]) == []
    assert Certificate.objects.filter(user=artisan).count() == 1
    first.refresh_from_db()
    assert first.pdf.name == pdf_name and first.pdf_attempts == 1  # rendered once, never again


def test_the_check_is_cheap_when_nothing_changes(cohort, modules, artisan):
    """Most calls come after a lesson that is not her last: only the progress selector's queries run."""
    user = User.objects.select_related("artisan").get(pk=artisan.pk)
    forget_kept()  # each count as a worker that has kept nothing yet (courses.cache)
    with CaptureQueriesContext(connection) as progress_only:
        statuses_for_users([user.pk])
    forget_kept()
    with CaptureQueriesContext(connection) as not_yet:
        assert check_and_issue_many(users=[user]) == []
    # Her programmes (1 query, and their pages 1 in a worker that has not kept them), then the progress
    # selector's queries.
    assert len(not_yet) == len(progress_only) + 2 == 7, [q["sql"] for q in not_yet.captured_queries]
    make_eligible(artisan, cohort, modules)
    with after_commit():
        check_and_issue_many(users=[user])
    forget_kept()
    with CaptureQueriesContext(connection) as holding:
        assert check_and_issue_many(users=[user]) == []
    # Her programmes (and their pages), the progress selector and her certificates: nothing else once she holds one.
    assert len(holding) == len(progress_only) + 3, [q["sql"] for q in holding.captured_queries]


def test_a_revoked_certificate_is_not_reissued_by_the_rule(cohort, modules, artisan, admin_user):
    make_eligible(artisan, cohort, modules)
    with after_commit():
        [certificate] = check_and_issue_many(users=[artisan])
    certificate_revoke(certificate=certificate, by=admin_user, reason="Datos equivocados")
    with after_commit():
        assert check_and_issue_many(users=[artisan]) == []
    assert Certificate.objects.filter(user=artisan).count() == 1


def test_not_an_artisan_gets_nothing(facilitator, admin_user, cohort, modules):
    complete_lessons(facilitator, modules)  # even with every lesson marked done somehow
    take_quizzes(facilitator, modules)
    attend(facilitator, cohort, present=5)
    assert check_and_issue_many(users=[facilitator, admin_user]) == []
    assert not Certificate.objects.exists()


def test_eligibility_for_a_cohort_takes_constant_queries(cohort, modules):
    users = [ArtisanProfileFactory(cohort=cohort).user for _ in range(3)]
    for user in users:
        make_eligible(user, cohort, modules)
    forget_kept()  # each count as a worker that has kept nothing yet (courses.cache)
    with CaptureQueriesContext(connection) as few:
        eligibility_for_users(users, programme=cohort.programme)
    more = users + [ArtisanProfileFactory(cohort=cohort).user for _ in range(20)]
    forget_kept()
    with CaptureQueriesContext(connection) as many:
        result = eligibility_for_users(more, programme=cohort.programme)
    assert len(many) == len(few)
    assert sum(item.eligible for item in result.values()) == 3


def test_the_decision_takes_constant_queries_whatever_the_number_of_artisans(cohort, modules):
    few = [ArtisanProfileFactory(cohort=cohort).user for _ in range(2)]
    for user in few:
        complete_lessons(user, modules)
        take_quizzes(user, modules)
        attend(user, cohort, present=3, absent=2)  # complete, but 60%: decided, not earned
    forget_kept()  # each count as a worker that has kept nothing yet (courses.cache)
    with CaptureQueriesContext(connection) as small:
        assert newly_earned(few) == []
    more = few + [ArtisanProfileFactory(cohort=cohort).user for _ in range(25)]
    for user in more[2:]:
        complete_lessons(user, modules)
        take_quizzes(user, modules)
    forget_kept()
    with CaptureQueriesContext(connection) as large:
        assert newly_earned(more) == []
    assert len(large) == len(small)


def test_a_deactivated_artisan_is_not_an_artisan_to_the_batch_rule_either(cohort, modules):
    """Bug fixed: check_and_issue_many (every recording's subscriber) took any user with a profile, so a
    deactivated (e.g. anonymised) artisan got a certificate; people.roles says she is no longer an artisan."""
    from certificates.services import check_and_issue_many

    active, deactivated = (ArtisanProfileFactory(cohort=cohort).user for _ in range(2))
    for user in (active, deactivated):
        make_eligible(user, cohort, modules)
    deactivated.is_active = False
    deactivated.save(update_fields=["is_active"])
    issued = check_and_issue_many(users=[active.pk, deactivated.pk])
    assert [certificate.user_id for certificate in issued] == [active.pk]
    assert not Certificate.objects.filter(user=deactivated).exists()


def test_the_grid_bulk_standing_agrees_with_the_single_one_for_a_mixed_cohort(cohort, modules, programme):
    """The cohort grid's bulk path (progress.selectors.cohort_statuses: lessons counted by the database, and
    certificates.rules.standings_of_many) says exactly what Mi avance's single path says, woman by woman."""
    from assessments.selectors import best_scores
    from attendance.rules import current_rule
    from attendance.selectors import attendance_tallies_by_programme
    from certificates import rules
    from progress.selectors import cohort_statuses, programme_structure

    states = [
        ({}, None, None, {}),  # nothing yet
        ({"lessons": "all"}, None, None, {}),
        ({"lessons": "all"}, "passed", None, {"present": 4, "absent": 1}),  # eligible, exactly 80 %
        ({"lessons": "all"}, "failed", None, {"present": 4, "absent": 2}),
        ({"skip": modules[0]}, "passed", None, {"present": 2, "absent": 1}),
        ({}, "passed", None, {"late": 3}),  # quizzes but no lessons
        ({"lessons": "all"}, "passed", None, {"present": 1, "excused": 3}),  # eligible: excused counts
        ({"lessons": "some"}, "failed", None, {"present": 4, "absent": 2}),  # the same attendance as the 4th
        ({"lessons": "all"}, "passed", 40, {"present": 5}),  # a second, failing attempt at each quiz
    ]
    users = []
    for lessons, quizzes, retry, sessions in states:
        user = ArtisanProfileFactory(cohort=cohort).user
        if lessons.get("lessons") == "all":
            complete_lessons(user, modules)
        elif lessons.get("lessons") == "some":
            complete_lessons(user, modules[:2])
        elif "skip" in lessons:
            complete_lessons(user, modules, skip_last_of=lessons["skip"])
        if quizzes:
            take_quizzes(user, modules, failed_module=modules[1] if quizzes == "failed" else None)
        if retry is not None:
            take_quizzes(user, modules, score=retry)
        if sessions:
            attend(user, cohort, **sessions)
        users.append(user.pk)

    structure = programme_structure(programme=programme)
    bulk_statuses, scores = cohort_statuses(users, structure=structure)
    single_statuses = statuses_for_users(users, structure=structure)
    rule = current_rule()
    tallies = attendance_tallies_by_programme(users, rule=rule)
    mine = {user_id: tallies[user_id].get(programme.pk) for user_id in users}
    bulk = rules.standings_of_many(bulk_statuses, mine, programme=programme, rule=rule)

    def seen(status):
        return (status.module.pk, status.lessons_done, status.lessons_total, status.quiz_passed, status.status)

    for user_id in users:
        assert [seen(s) for s in bulk_statuses[user_id]] == [seen(s) for s in single_statuses[user_id]]
        assert [(s.counts, s.quiz_score) for s in bulk_statuses[user_id]] == [
            (s.counts, s.quiz_score) for s in single_statuses[user_id]
        ]
        assert bulk[user_id] == rules.standing(single_statuses[user_id], mine[user_id], programme=programme, rule=rule)
    best = best_scores(users)  # the grid's scores, in module order, are the shared counting scores
    assert scores == {user_id: [best[user_id].get(m.translation_key) for m in structure.modules] for user_id in users}
    eligible = [bulk[user_id].eligibility.eligible for user_id in users]
    assert eligible == [False, False, True, False, False, False, True, False, True]
    kinds = {item.kind for standing in bulk.values() for item in standing.missing}
    assert {rules.LESSONS, rules.QUIZ, rules.SESSIONS} <= kinds
