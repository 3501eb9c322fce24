"""The attendance rule: one place, configured in site settings."""

from decimal import Decimal

import pytest
from wagtail.models import Site

from attendance.models import AttendanceSettings, ExcusedRule
from attendance.rules import AttendanceRule, current_rule
from attendance.selectors import attendance_rates
from tests.fixtures import forget_kept

from .factories import AttendanceRecordFactory, SessionFactory, artisans

DEFAULT = AttendanceRule.from_settings(AttendanceSettings())


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        ({}, None),
        ({"present": 4}, Decimal("1")),
        ({"present": 3, "absent": 1}, Decimal("0.75")),
        ({"present": 2, "late": 2}, Decimal("1")),  # late counts by default
        ({"present": 4, "absent": 1}, Decimal("0.8")),  # exactly 80 %
        ({"present": 2, "excused": 2}, Decimal("1")),  # excused left out of the denominator
        ({"excused": 3}, None),  # only excused: nothing counts yet
        ({"present": 1, "absent": 2}, Decimal("0.3333")),
        ({"present": 2, "absent": 1}, Decimal("0.6667")),
    ],
)
def test_default_rule(counts, expected):
    assert DEFAULT.rate(counts) == expected


def test_late_can_stop_counting():
    rule = AttendanceRule.from_settings(AttendanceSettings(late_counts=False))
    assert rule.rate({"present": 1, "late": 1}) == Decimal("0.5")


@pytest.mark.parametrize(
    ("excused", "expected"),
    [
        (ExcusedRule.LEFT_OUT, Decimal("0.5")),
        (ExcusedRule.ATTENDED, Decimal("0.75")),
        (ExcusedRule.MISSED, Decimal("0.5")),
    ],
)
def test_excused_options(excused, expected):
    rule = AttendanceRule.from_settings(AttendanceSettings(excused=excused))
    counts = {"present": 1, "absent": 1, "excused": 2}
    if excused == ExcusedRule.MISSED:
        counts = {"present": 2, "excused": 2}  # excused counted as missed: 2 of 4
    assert rule.rate(counts) == expected


@pytest.mark.django_db
def test_current_rule_reads_the_default_sites_settings():
    assert current_rule() == DEFAULT
    site = Site.objects.get(is_default_site=True)
    AttendanceSettings.objects.update_or_create(site=site, defaults={"late_counts": False, "excused": "attended"})
    rule = current_rule()
    assert "late" not in rule.attended and "excused" in rule.attended and "excused" in rule.counted


@pytest.mark.django_db
def test_attendance_rates_for_many_users_in_constant_queries(django_assert_num_queries, cohort):
    people = artisans(cohort, 6)
    sessions = [SessionFactory(cohort=cohort) for _ in range(5)]
    pattern = ["present", "late", "absent", "excused", "present"]
    for index, profile in enumerate(people[:5]):
        for number, session in enumerate(sessions):
            AttendanceRecordFactory(session=session, artisan=profile.user, status=pattern[(index + number) % 5])
    forget_kept()  # the rule (1) and the records (1), as a worker that has just started reads them
    with django_assert_num_queries(2):
        rates = attendance_rates([profile.user for profile in people])
    # Each of the first five: present ×2, late, absent, excused → 3 of 4 counted.
    assert [rates[p.user_id] for p in people[:5]] == [Decimal("0.75")] * 5
    assert rates[people[5].user_id] is None  # no records: no rate yet
    more = artisans(cohort, 30)
    forget_kept()
    with django_assert_num_queries(2):
        assert len(attendance_rates([p.user_id for p in people + more])) == 36


# --- Which changes may raise a rate (the certificate rule is asked only for those) -----------------

STATUSES = ["present", "late", "excused", "absent"]


def _all_counts():
    """Her other records: every mix of 0–2 of each status."""
    import itertools

    for numbers in itertools.product(range(3), repeat=len(STATUSES)):
        yield dict(zip(STATUSES, numbers, strict=True))


@pytest.mark.parametrize("late_counts", [True, False])
@pytest.mark.parametrize("excused", list(ExcusedRule.values))
def test_a_change_said_not_to_raise_the_rate_never_does(late_counts, excused):
    """Against the rate itself, for every rule, every change of one record and every other record she has."""
    rule = AttendanceRule.from_settings(AttendanceSettings(late_counts=late_counts, excused=excused))
    for before in [None, *STATUSES]:
        for after in STATUSES:
            if rule.may_raise(before, after):
                continue
            for others in _all_counts():
                old = rule.rate({**others, before: others[before] + 1} if before else others)
                new = rule.rate({**others, after: others[after] + 1})
                assert new is None or (old is not None and new <= old), (before, after, others)


def test_the_changes_that_do_raise_it_are_asked():
    assert DEFAULT.may_raise(None, "absent")  # a first record: a rate may appear
    assert DEFAULT.may_raise("absent", "present") and DEFAULT.may_raise("absent", "excused")
    assert not DEFAULT.may_raise("present", "late") and not DEFAULT.may_raise("late", "absent")
    assert not DEFAULT.may_raise("present", "present")
