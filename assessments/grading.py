"""Grading: pure functions, one per question type, and the score.

Nothing here touches the database or the request: the functions take the
correct answer and the chosen answer as plain values, so every rule can be
tested exhaustively (tests/assessments/test_grading.py, with Hypothesis for
the numeric tolerance) and the server is the only place an answer is judged.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation


def grade_single(correct: Collection[int], chosen: Collection[int]) -> bool:
    """Right when exactly one option was chosen and it is a correct one."""
    chosen = set(chosen)
    return len(chosen) == 1 and chosen <= set(correct)


def grade_true_false(correct: Collection[int], chosen: Collection[int]) -> bool:
    """True/false is a single choice between two options."""
    return grade_single(correct, chosen)


def grade_picture(correct: Collection[int], chosen: Collection[int]) -> bool:
    """A picture question is a single choice whose options are images with short labels."""
    return grade_single(correct, chosen)


def grade_multiple(correct: Collection[int], chosen: Collection[int]) -> bool:
    """Select all that apply: right only when the chosen set is exactly the correct set."""
    return bool(correct) and set(chosen) == set(correct)


def grade_numeric(answer: Decimal, expected: Decimal, tolerance: Decimal) -> bool:
    """Right when the answer is within the tolerance of the expected number (bounds included)."""
    return abs(Decimal(answer) - Decimal(expected)) <= abs(Decimal(tolerance))


CHOICE_GRADERS: dict[str, Callable[[Collection[int], Collection[int]], bool]] = {
    "single": grade_single,
    "true_false": grade_true_false,
    "picture": grade_picture,
    "multiple": grade_multiple,
}


def score(results: Iterable[bool]) -> int:
    """Percentage of right answers, rounded half up (0 for an empty quiz)."""
    results = list(results)
    if not results:
        return 0
    value = Decimal(sum(results)) * 100 / Decimal(len(results))
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def passes(*, right: int, total: int, pass_mark: int) -> bool:
    """THE pass rule, for every attempt online or on paper: right / total ≥ pass mark / 100, compared exactly.

    Exactly, not on the rounded score: 2 of 3 right (66.7 %, shown as 67 %) does not pass a
    quiz whose pass mark is 67. A paper result is already a percentage, so it is ``right=score,
    total=100``. Nothing else in Telar compares a score with a pass mark; everything else reads
    ``Attempt.passed``, which this decided when the attempt was recorded.
    """
    return total > 0 and right * 100 >= pass_mark * total


def passed(results: Iterable[bool], pass_mark: int) -> bool:
    """An online attempt's verdicts (one per question) against the pass mark (``passes``)."""
    results = list(results)
    return passes(right=sum(results), total=len(results), pass_mark=pass_mark)


def paper_passed(score: int, pass_mark: int) -> bool:
    """A paper result (a percentage the facilitator wrote) against the pass mark (``passes``)."""
    return passes(right=score, total=100, pass_mark=pass_mark)


_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
_DECIMAL_COMMA = re.compile(r"^[+-]?\d+,\d{1,2}$")


def parse_number(text: str) -> Decimal | None:
    """A number as an artisan may type it: "250", "$1,250.50", "12.5", "12,5", "1 250".

    Mexico writes a decimal point and groups thousands with commas; a single
    comma followed by one or two digits is read as a decimal comma. Anything
    else (words, two decimal points) is None, so the form can ask again.
    """
    if text is None:
        return None
    cleaned = str(text).strip().replace("$", "").replace("\u00a0", "").replace(" ", "")
    if cleaned.upper().endswith("MXN"):
        cleaned = cleaned[:-3]
    if not cleaned:
        return None
    if _THOUSANDS.match(cleaned):
        cleaned = cleaned.replace(",", "")
    elif _DECIMAL_COMMA.match(cleaned):
        cleaned = cleaned.replace(",", ".")
    if not _NUMBER.match(cleaned):
        return None
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return None
    if not value.is_finite() or abs(value) >= Decimal("1e10"):
        return None
    return value
