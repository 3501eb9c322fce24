"""Grading is pure: every rule checked without a database, numeric tolerance with Hypothesis."""

from decimal import Decimal

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from assessments import grading

money = st.decimals(
    min_value=Decimal("-100000"), max_value=Decimal("100000"), places=2, allow_nan=False, allow_infinity=False
)
tolerances = st.decimals(
    min_value=Decimal("0"), max_value=Decimal("1000"), places=2, allow_nan=False, allow_infinity=False
)


@pytest.mark.parametrize("grade", [grading.grade_single, grading.grade_true_false, grading.grade_picture])
def test_single_choice_needs_exactly_the_correct_option(grade):
    assert grade({1}, {1})
    assert not grade({1}, {2})
    assert not grade({1}, set())
    assert not grade({1}, {1, 2}), "choosing two options in a single-choice question is never right"


def test_multiple_choice_is_right_only_with_exactly_the_correct_set():
    correct = {1, 2}
    assert grading.grade_multiple(correct, {1, 2})
    assert grading.grade_multiple(correct, [2, 1])
    assert not grading.grade_multiple(correct, {1})
    assert not grading.grade_multiple(correct, {1, 2, 3}), "ticking everything is not a way to pass"
    assert not grading.grade_multiple(correct, set())
    assert not grading.grade_multiple(set(), set()), "a question with no correct option cannot be answered right"


def test_numeric_bounds_are_included():
    assert grading.grade_numeric(Decimal("240"), Decimal("250"), Decimal("10"))
    assert grading.grade_numeric(Decimal("260"), Decimal("250"), Decimal("10"))
    assert not grading.grade_numeric(Decimal("260.01"), Decimal("250"), Decimal("10"))
    assert grading.grade_numeric(Decimal("1000"), Decimal("1000"), Decimal("0"))
    assert not grading.grade_numeric(Decimal("999.99"), Decimal("1000"), Decimal("0"))


@given(expected=money, tolerance=tolerances, offset=money)
def test_numeric_is_right_exactly_within_the_tolerance(expected, tolerance, offset):
    answer = expected + offset
    assert grading.grade_numeric(answer, expected, tolerance) == (abs(offset) <= tolerance)


@given(expected=money, tolerance=tolerances, offset=money)
def test_numeric_tolerance_is_symmetric(expected, tolerance, offset):
    assert grading.grade_numeric(expected + offset, expected, tolerance) == grading.grade_numeric(
        expected - offset, expected, tolerance
    )


@given(expected=money, tolerance=tolerances)
def test_the_exact_answer_and_both_edges_are_always_right(expected, tolerance):
    assert grading.grade_numeric(expected, expected, tolerance)
    assert grading.grade_numeric(expected + tolerance, expected, tolerance)
    assert grading.grade_numeric(expected - tolerance, expected, tolerance)


@given(
    expected=money,
    tolerance=tolerances,
    extra=st.decimals(min_value=Decimal("0.01"), max_value=Decimal("1000"), places=2),
)
def test_just_outside_the_tolerance_is_wrong(expected, tolerance, extra):
    assert not grading.grade_numeric(expected + tolerance + extra, expected, tolerance)
    assert not grading.grade_numeric(expected - tolerance - extra, expected, tolerance)


@given(value=st.decimals(min_value=Decimal("0"), max_value=Decimal("9999999"), places=2))
def test_prices_typed_in_any_usual_way_read_back_as_the_same_number(value):
    plain = f"{value:.2f}"
    grouped = f"{value:,.2f}"
    assert grading.parse_number(plain) == value
    assert grading.parse_number(grouped) == value
    assert grading.parse_number(f"${grouped}") == value
    assert grading.parse_number(f"  {plain} ") == value


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("250", Decimal("250")),
        ("1,560", Decimal("1560")),
        ("$1,300.50", Decimal("1300.50")),
        ("12,5", Decimal("12.5")),
        ("-3", Decimal("-3")),
        ("25 MXN", Decimal("25")),
        (".5", Decimal("0.5")),
    ],
)
def test_parse_number_accepts(text, expected):
    assert grading.parse_number(text) == expected


@pytest.mark.parametrize(
    "text", ["", "   ", "doscientos", "12.5.1", "1e5", "NaN", "inf", "12,5,1", "$", "1 2 a", "99999999999"]
)
def test_parse_number_refuses_text(text):
    assert grading.parse_number(text) is None


@given(st.text(max_size=30))
def test_parse_number_never_raises(text):
    result = grading.parse_number(text)
    assert result is None or result.is_finite()


def test_score_is_a_rounded_percentage_and_pass_is_exact():
    assert grading.score([]) == 0
    assert grading.score([True, True, False]) == 67
    assert grading.score([True] * 7 + [False] * 3) == 70
    assert grading.passed([True] * 7 + [False] * 3, 70)
    # 2 of 3 is 66.67 %: it rounds to 67 but does not reach a 67 % pass mark.
    assert grading.score([True, True, False]) == 67
    assert not grading.passed([True, True, False], 67)
    assert not grading.passed([], 1)


@given(st.lists(st.booleans(), min_size=1, max_size=40), st.integers(min_value=1, max_value=100))
def test_passing_agrees_with_the_exact_ratio(results, pass_mark):
    assume(results)
    assert grading.passed(results, pass_mark) == (sum(results) / len(results) * 100 >= pass_mark - 1e-9)
    assert 0 <= grading.score(results) <= 100


@given(st.integers(min_value=0, max_value=100), st.integers(min_value=1, max_value=100))
def test_a_paper_result_passes_by_the_same_rule_as_online_answers(score, pass_mark):
    """One rule (grading.passes): a paper score of s % is s right answers of 100."""
    assert grading.paper_passed(score, pass_mark) == (score >= pass_mark)
    assert grading.paper_passed(score, pass_mark) == grading.passed([True] * score + [False] * (100 - score), pass_mark)
    assert grading.passes(right=score, total=100, pass_mark=pass_mark) == grading.paper_passed(score, pass_mark)


def test_nothing_to_grade_never_passes():
    assert not grading.passes(right=0, total=0, pass_mark=1)
