"""How Telar compares and sorts people's names (and centres, cohorts, headers): one folding for all.

Names in Chiapas are typed on phones, in Excel on Windows and in the Wagtail admin: "María",
"MARIA", "Maria " and "Marı́a" (a decomposed accent) are one person to the people reading
them. ``fold`` is the one key every match and every alphabetical list uses, so the sign-in
list, the attendance list and sheet, the roster import and the anonymisation check can never
disagree about whether two names are the same or which comes first.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Iterable
from typing import TypeVar

T = TypeVar("T")


@functools.lru_cache(maxsize=8192)  # names repeat (a cohort's list of 200 is folded on every page): pure, so kept
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


# --- The text policy: what Telar stores of the text people type, paste or import ------------------

# C0 and C1 control characters and DEL; tab and newline are kept where a field is multi-line.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_CONTROL_ONE_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# Characters that make text print in another order than typed (embeddings, overrides, isolates),
# and the invisible ones that only hide a name's letters (zero-width space, BOM).
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")
_INVISIBLE = str.maketrans({"\u200b": None, "\ufeff": None, "\xa0": " "})


def clean_text(value: object, *, multiline: bool = False) -> str:
    """Text as Telar stores it: Unicode NFC, no control characters, no invisible padding.

    One line (names, places, ids): every run of whitespace becomes one space, ends trimmed.
    Multi-line (notes): line ends become ``\\n``, tabs are kept, each line's right end trimmed.
    Accents, ñ and the saltillo (ʼ U+02BC, or the apostrophe she typed for it) stay exactly
    as written: only their encoding is made canonical (NFC).
    """
    text = unicodedata.normalize("NFC", "" if value is None else str(value)).translate(_INVISIBLE)
    if multiline:
        text = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
        return "\n".join(line.rstrip() for line in text.split("\n")).strip("\n ")
    return " ".join(_CONTROL_ONE_LINE.sub(" ", text).split())


def has_bidi_controls(text: str) -> bool:
    return any(char in BIDI_CONTROLS for char in text or "")


def has_control_characters(text: str, *, multiline: bool = False) -> bool:
    return bool((_CONTROL if multiline else _CONTROL_ONE_LINE).search(text or ""))
