"""The attendance rule, in one place: which records count as attended and which count at all.

Everything that shows or uses an attendance rate (the cohort grid, the
certificate rule, reports) goes through `AttendanceRule.rate`, built from the
site's AttendanceSettings. A missing record means attendance was not taken for
her at that session; it is neither attended nor missed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from courses import cache as tree_cache

from .models import AttendanceSettings, ExcusedRule, Status

RATE_PLACES = Decimal("0.0001")  # a fraction of 1 with four places: 0.8333
MAX_SESSIONS_AHEAD = 500  # beyond this many more sessions, "ask your facilitator" says more than a number


@dataclass(frozen=True)
class AttendanceRule:
    attended: frozenset[str]
    counted: frozenset[str]  # the denominator: attended plus missed

    @classmethod
    def from_settings(cls, config: AttendanceSettings) -> AttendanceRule:
        attended = {Status.PRESENT}
        if config.late_counts:
            attended.add(Status.LATE)
        counted = {Status.PRESENT, Status.LATE, Status.ABSENT}
        if config.excused == ExcusedRule.ATTENDED:
            attended.add(Status.EXCUSED)
        if config.excused != ExcusedRule.LEFT_OUT:
            counted.add(Status.EXCUSED)
        return cls(attended=frozenset(str(s) for s in attended), counted=frozenset(str(s) for s in counted))

    def rate(self, counts: Mapping[str, int]) -> Decimal | None:
        """Attended ÷ counted sessions as a fraction of 1 (None when nothing counts yet)."""
        denominator = sum(n for status, n in counts.items() if status in self.counted)
        if not denominator:
            return None
        numerator = sum(n for status, n in counts.items() if status in self.attended)
        return (Decimal(numerator) / Decimal(denominator)).quantize(RATE_PLACES, rounding=ROUND_HALF_UP)

    def may_raise(self, before: str | None, after: str) -> bool:
        """Could changing one of her records from `before` (None: none yet) to `after` raise her rate?

        Never when it moves down or sideways (present to late where late counts, absent to excused where
        excused counts as missed); always from a record that did not count, since a rate may then appear.
        The certificate rule is asked only for the records where this holds (attendance.services).
        """
        if before == after:
            return False
        if before is None or before not in self.counted:
            return True
        if before in self.attended:  # attended already: any change leaves the rate equal or lower
            return False
        return after in self.attended or after not in self.counted  # a missed session attended, or left out

    def tally(self, counts: Mapping[str, int]) -> tuple[int, int]:
        """(sessions attended, sessions that count) as the rate counts them: "4 de 6 sesiones"."""
        attended = sum(n for status, n in counts.items() if status in self.attended)
        counted = sum(n for status, n in counts.items() if status in self.counted)
        return attended, counted

    def sessions_to_reach(self, counts: Mapping[str, int], threshold: Decimal) -> int | None:
        """How many more sessions she must attend, one after the other, for ``rate`` to reach `threshold`
        (0: it already does; None: it never can, e.g. 100 % after a missed session).

        Asked of the rule itself, session by session, so that it can never disagree with ``rate``.
        """
        present = str(Status.PRESENT)
        for more in range(MAX_SESSIONS_AHEAD + 1):
            rate = self.rate({**counts, present: counts.get(present, 0) + more})
            if rate is not None and rate >= threshold:
                return more
        return None


def current_rule() -> AttendanceRule:
    """The rule configured for the default site (Telar runs one site): one query, never a write; then kept
    per tree version (saving the settings renews it: ``AttendanceConfig.ready``)."""

    def read() -> AttendanceRule:
        config = AttendanceSettings.objects.filter(site__is_default_site=True).first() or AttendanceSettings()
        return AttendanceRule.from_settings(config)

    return tree_cache.memo(None, ("attendance-rule",), read)
