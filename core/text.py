"""How Telar compares and sorts people's names (and centres, cohorts, headers): one folding for all.

Names in Chiapas are typed on phones, in Excel on Windows and in the Wagtail admin: "María",
"MARIA", "Maria " and "Marı́a" (a decomposed accent) are one person to the people reading
them. ``fold`` is the one key every match and every alphabetical list uses, so the sign-in
list, the attendance list and sheet, the roster import and the anonymisation check can never
disagree about whether two names are the same or which comes first.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable
from typing import TypeVar

T = TypeVar("T")


def fold(text: str) -> str:
    """Lower case (casefold), no accents, single spaces: ``fold(" Ángela  PÉREZ") == "angela perez"``.

    Accents are removed after compatibility decomposition (NFKD), so a precomposed "é" and an
    "e" followed by a combining accent fold alike; "ñ" folds to "n", as Spanish speakers expect
    when they look a name up without the tilde.
    """
    decomposed = unicodedata.normalize("NFKD", text or "")
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(stripped.casefold().split())


def sorted_by_name(items: Iterable[T], *keys: Callable[[T], str]) -> list[T]:
    """``items`` in alphabetical order the way people read it: by each key folded, then as written.

    ``keys`` give the names to sort by, most important first (e.g. preferred name, then full name);
    only when every folded key ties does the text as written decide, so the order is stable and the
    same on SQLite and PostgreSQL, whatever the database's collation.
    """

    def sort_key(item: T) -> tuple[str, ...]:
        names = [key(item) for key in keys]
        return (*(fold(name) for name in names), *names)

    return sorted(items, key=sort_key)
