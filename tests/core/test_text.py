"""Folding names (core.text): the one key for matching and sorting names of people, centres and cohorts."""

import unicodedata

import pytest

from core.text import fold, sorted_by_name


@pytest.mark.parametrize(
    ("typed", "folded"),
    [
        ("María", "maria"),
        ("MARÍA", "maria"),
        ("  María   José ", "maria jose"),
        (unicodedata.normalize("NFD", "María Ñuñez"), "maria nunez"),  # a decomposed accent, as some phones type it
        ("Petrona\u00a0Gómez", "petrona gomez"),  # a no-break space pasted from Excel
        ("STRASSE", "strasse"),
        ("Straße", "strasse"),  # casefold, not lower()
        ("", ""),
    ],
)
def test_fold(typed, folded):
    assert fold(typed) == folded


def test_names_sort_the_way_people_read_them():
    names = ["Zoila", "ángela", "Ángela", "Beatriz", "álvaro", "Ana"]
    assert sorted_by_name(names, str) == ["álvaro", "Ana", "Ángela", "ángela", "Beatriz", "Zoila"]
    assert sorted(names, key=str.casefold)[-1] == "Ángela"  # what casefold alone did: accents last


def test_ties_on_the_first_key_are_broken_by_the_next():
    people = [("María", "María Pérez"), ("maria", "María Gómez"), ("Ana", "Ana Ruiz")]
    ordered = sorted_by_name(people, lambda p: p[0], lambda p: p[1])
    assert ordered == [("Ana", "Ana Ruiz"), ("maria", "María Gómez"), ("María", "María Pérez")]
