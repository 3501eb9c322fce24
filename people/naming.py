"""How an artisan's name is shown where she picks it from a list: the sign-in names and the demo's printout.

Names are sorted and compared the way people read them (core.text.fold: accents
and case do not move a name), and two women who share a preferred name are told apart by
their surname initials, never by a number.
"""

from __future__ import annotations

from core.text import fold

from .models import ArtisanProfile


def name_labels(profiles: list[ArtisanProfile]) -> dict[int, str]:
    """Her preferred name; where two share it, add surname initials until they differ ("María P.")."""
    labels = {profile.pk: profile.preferred_name for profile in profiles}
    by_label: dict[str, list[ArtisanProfile]] = {}
    for profile in profiles:
        by_label.setdefault(fold(profile.preferred_name), []).append(profile)
    for group in by_label.values():
        if len(group) < 2:
            continue
        extras = {
            profile.pk: [w for w in profile.full_name.split() if w not in profile.preferred_name.split()]
            for profile in group
        }
        longest = max(len(words) for words in extras.values())
        for count in range(1, longest + 1):
            candidate = {
                pk: " ".join([labels[pk], *(f"{word[0]}." for word in words[:count])]) for pk, words in extras.items()
            }
            if len({fold(label) for label in candidate.values()}) == len(candidate) or count == longest:
                labels.update(candidate)
                break
    return labels
