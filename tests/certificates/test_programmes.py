"""More than one programme at once (issue 18): each its own modules, sessions, threshold and certificate.

The curriculum's programme (the six workshops, threshold 80%) runs beside a second one built here
("Economía social", two modules of two lessons, no quiz). The rule decides per programme she is
enrolled in, through the real progress, attendance and certificate tables.
"""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from certificates.models import Certificate
from certificates.rules import eligibility_by_programme, eligibility_for_users, newly_earned
from certificates.services import check_and_issue_many
from people.models import Enrolment
from people.selectors import programme_enrolments
from progress.models import LessonCompletion
from progress.selectors import all_modules_complete, programme_structures, statuses_by_programme
from tests.factories import ArtisanProfileFactory, CohortFactory, EnrolmentFactory, programme_with_modules
from tests.fixtures import forget_kept

from .conftest import after_commit, attend, make_eligible

pytestmark = pytest.mark.django_db


def done(user, lessons):
    LessonCompletion.objects.bulk_create(
        [LessonCompletion(user=user, lesson_key=lesson.translation_key, language="es") for lesson in lessons]
    )


@pytest.fixture
def economia(db):
    return programme_with_modules("Economía social", modules=2, lessons=2, threshold=60)


@pytest.fixture
def economia_cohort(economia):
    return CohortFactory(centre__name="Oxchuc", name="Grupo Economía", programme=economia)


@pytest.fixture
def in_both(cohort, economia_cohort):
    """An artisan of the workshops' cohort (her current one) who also takes the second programme."""
    user = ArtisanProfileFactory(cohort=cohort, full_name="Xunkaʼ Pérez Gómez").user
    EnrolmentFactory(user=user, cohort=economia_cohort)
    return user


def issue(users):
    with after_commit():
        return check_and_issue_many(users=users)


def test_her_programmes_are_her_enrolments_cohorts_programmes(in_both, programme, economia, cohort):
    mine = programme_enrolments([in_both.pk])[in_both.pk]
    assert list(mine) == [programme.pk, economia.pk]
    assert mine[programme.pk].cohort_ids == {cohort.pk}


def test_completing_the_first_programme_gives_exactly_one_certificate_for_it(
    in_both, cohort, modules, programme, economia
):
    make_eligible(in_both, cohort, modules)
    [certificate] = issue([in_both])
    assert certificate.programme_key == programme.translation_key
    assert certificate.programme_title == programme.title
    assert issue([in_both]) == []  # and never a second one, nor one for the programme she has not finished
    assert Certificate.objects.filter(user=in_both).count() == 1
    assert not Certificate.objects.filter(user=in_both, programme_key=economia.translation_key).exists()


def test_each_programme_has_its_own_threshold_and_sessions(in_both, cohort, economia_cohort, economia):
    done(in_both, economia.lesson_pages)
    attend(in_both, cohort, present=5)  # the workshops' sessions never count for the second programme
    assert issue([in_both]) == []
    attend(in_both, economia_cohort, present=3, absent=2)  # 60%: economía's threshold, below the workshops' 80
    [certificate] = issue([in_both])
    assert certificate.programme_key == economia.translation_key
    rule = eligibility_by_programme([in_both])[in_both.pk][economia.pk]
    assert rule.attendance_rate == Decimal("0.6") and rule.threshold == Decimal("0.6") and rule.eligible


def test_the_same_attendance_is_not_enough_where_the_threshold_is_higher(in_both, cohort, modules, programme):
    make_eligible(in_both, cohort, modules)  # workshops at exactly 80%
    programme.attendance_threshold = 90
    programme.save_revision().publish()
    assert issue([in_both]) == []
    assert eligibility_for_users([in_both], programme=programme)[in_both.pk].threshold == Decimal("0.9")


def test_a_programme_she_is_not_enrolled_in_earns_her_nothing(cohort, economia, economia_cohort):
    user = ArtisanProfileFactory(cohort=cohort).user
    done(user, economia.lesson_pages)
    attend(user, economia_cohort, present=5)  # even records there (a visit) do not enrol her
    assert issue([user]) == []
    assert economia.pk not in eligibility_by_programme([user])[user.pk]


def test_only_the_modules_that_count_are_needed(cohort):
    optional = programme_with_modules("Mercadeo", modules=2, lessons=1, threshold=80, counted={1})
    group = CohortFactory(name="Grupo Mercadeo", programme=optional)
    user = ArtisanProfileFactory(cohort=group).user
    done(user, optional.lesson_pages[:1])
    attend(user, group, present=4)
    statuses = statuses_by_programme([user.pk], programme_structures([optional]))[user.pk][optional.pk]
    assert [status.counts for status in statuses] == [True, False]
    assert all_modules_complete(statuses)
    [certificate] = issue([user])
    assert certificate.programme_key == optional.translation_key


def test_progress_stays_inside_each_programme(in_both, programme, economia, modules):
    done(in_both, economia.lesson_pages)
    structures = programme_structures([programme, economia])
    assert [module.pk for module in structures[economia.pk].modules] == [page.pk for page in economia.module_pages]
    assert [module.pk for module in structures[programme.pk].modules] == [module.pk for module in modules]
    statuses = statuses_by_programme([in_both.pk], structures)[in_both.pk]
    assert all_modules_complete(statuses[economia.pk])
    assert not any(status.lessons_done for status in statuses[programme.pk])


def test_a_new_cohort_keeps_her_earlier_enrolment(cohort, economia_cohort):
    profile = ArtisanProfileFactory(cohort=cohort)
    profile.cohort = economia_cohort
    profile.save()
    assert set(Enrolment.objects.filter(user=profile.user).values_list("cohort_id", flat=True)) == {
        cohort.pk,
        economia_cohort.pk,
    }


def _programmes(count):
    """`count` programmes of one module of one lesson, a cohort each, and two artisans in all of them."""
    programmes = [programme_with_modules(f"Programa {count}-{n}", modules=1, lessons=1) for n in range(count)]
    cohorts = [CohortFactory(name=f"Grupo P{count}-{n}", programme=page) for n, page in enumerate(programmes)]
    users = [ArtisanProfileFactory(cohort=cohorts[0]).user for _ in range(2)]
    for user in users:
        for group in cohorts[1:]:
            EnrolmentFactory(user=user, cohort=group)
    return programmes, cohorts, users


def _queries(function, *args):
    forget_kept()  # each count as a worker that has kept nothing yet
    with CaptureQueriesContext(connection) as captured:
        function(*args)
    return len(captured)


def test_the_rule_takes_the_same_queries_for_1_3_and_10_programmes(cohort):
    counts = {}
    for count in (1, 3, 10):
        programmes, cohorts, users = _programmes(count)
        not_yet = _queries(newly_earned, users)
        for user in users:
            done(user, [lesson for page in programmes for lesson in page.lesson_pages])
            for group in cohorts:
                attend(user, group, present=1)
        deciding = _queries(newly_earned, users)
        everyone = _queries(eligibility_by_programme, users)
        assert sum(len(item.user_ids) for item in newly_earned(users)) == 2 * count
        counts[count] = (not_yet, deciding, everyone)
    assert counts[1] == counts[3] == counts[10], counts
    # programmes of one module without a quiz, counted in a worker that has kept nothing (its programme
    # pages are 1 of these: kept afterwards, courses.cache)
    assert counts[1] == (6, 9, 8), counts


def test_the_verification_page_names_each_certificate_programme(client, in_both, cohort, modules, economia):
    make_eligible(in_both, cohort, modules)
    done(in_both, economia.lesson_pages)
    attend(in_both, in_both.enrolments.get(cohort__programme=economia).cohort, present=3)
    workshops, second = sorted(issue([in_both]), key=lambda certificate: certificate.programme.path)
    first_page = client.get(workshops.get_verification_path()).content.decode()
    second_page = client.get(second.get_verification_path()).content.decode()
    assert workshops.programme_title in first_page and economia.title not in first_page
    assert economia.title in second_page and workshops.programme_title not in second_page


def test_the_cohort_grid_shows_its_programme_and_its_sessions_only(in_both, cohort, economia, economia_cohort):
    from workspace.selectors import cohort_grid

    done(in_both, economia.lesson_pages)
    attend(in_both, cohort, absent=4)  # the workshops' sessions: missed
    attend(in_both, economia_cohort, present=2)
    other = ArtisanProfileFactory(cohort=economia_cohort).user
    grid = cohort_grid(economia_cohort)
    assert [module.pk for module in grid.modules] == [page.pk for page in economia.module_pages]
    rows = {row.profile.user_id: row for row in grid.rows}
    assert set(rows) == {other.pk}  # the grid lists the cohort's own artisans (her current cohort is the other)
    workshops_grid = cohort_grid(cohort)
    [row] = [row for row in workshops_grid.rows if row.profile.user_id == in_both.pk]
    assert row.percent == 0 and len(row.cells) == 6  # the economía sessions she attended do not count here
