"""Structure and language checks for the second programme (courses/curriculum/economia-social/).

Plain pytest, no database. The rules every module of the first programme
follows (fields, block shapes, reading length, es/en parity, quiz rules) live
in test_curriculum_content.py; they are called here on the second programme's
files through the module, so there is one implementation of each rule and
pytest does not collect the first programme's tests twice. What is particular
to this programme is checked below: its files and slugs, four new band
colours, and the way its Spanish is written (tú, sentence case, Mexican
numbers and dates, no anglicisms).
"""

from __future__ import annotations

import json
import re

import pytest

from courses import illustrations
from tests.courses import test_curriculum_content as rules

DIRECTORY = rules.CURRICULUM / "economia-social"
PROGRAMME = json.loads((DIRECTORY / "programme.json").read_text(encoding="utf-8"))
MODULES = [json.loads(path.read_text(encoding="utf-8")) for path in sorted(DIRECTORY.glob("module_*.json"))]
MODULE_IDS = [f"module_{module['order']}" for module in MODULES]
LESSONS = [(module, lesson) for module in MODULES for lesson in module["lessons"]]
LESSON_IDS = [f"{module['order']}/{lesson['slug']}" for module, lesson in LESSONS]

# Capitalised words allowed in the middle of a sentence: names of people, places, brands and documents.
NAMES = {
    "es": {
        "Alemania", "CLABE", "CURP", "Chiapas", "Ciudad", "Cristóbal", "Europa", "Facebook", "Huixtán", "INE",
        "Marta", "México", "Monterrey", "NIP", "OXXO", "Oxchuc", "Rosa", "San", "Sofía", "WhatsApp",
    },
    "en": {
        "CLABE", "CURP", "Chiapas", "City", "Cristóbal", "December", "Europe", "Facebook", "Germany", "Huixtán",
        "I", "ID", "INE", "Marta", "Mexico", "Monterrey", "October", "OXXO", "Oxchuc", "PIN", "Rosa", "San", "Sofía",
        "Spanish", "Sundays", "WhatsApp",
    },
}  # fmt: skip
# Where Mexican Spanish has its own word, use it (the Spanish texts may still quote an English word in a glossary).
ANGLICISMS = ("link", "online", "email", "e-mail", "password", "marketing", "marketplace", "chatear", "tips")
MONTHS = "enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre"
SENTENCE_START = re.compile(r"(?:[.!?:¿¡“\"(\n]|[.!?]”)\s*$")


def strings(module: dict, code: str):
    """Every text of one language in a module: titles, summaries, lesson bodies, quiz texts and options."""
    if code == "es":
        yield from rules.spanish_strings(module)
        return
    yield from rules.all_strings(module["en"])
    for lesson in module["lessons"]:
        yield from rules.all_strings(lesson["en"])
    yield from rules.all_strings(module["quiz"]["en"])
    for question in module["quiz"]["questions"]:
        yield from rules.all_strings(question["en"])
        for option in question.get("options", []):
            yield option["en"]
            yield option.get("feedback_en", "")
        yield question.get("unit_en", "")


def plain(text: str) -> str:
    """The text without HTML tags; a list item or paragraph boundary counts as a sentence start."""
    return re.sub(r"<[^>]+>", "\n", text)


def capitalised_inside_sentences(text: str) -> list[str]:
    """Words with a capital that neither start a sentence (or list item, quote, question) nor follow a colon."""
    text = plain(text)
    return [
        match.group(0)
        for match in re.finditer(r"[A-Za-zÁÉÍÓÚÑáéíóúñü]+", text)
        if match.group(0)[0].isupper()
        and match.start() > 0
        and not SENTENCE_START.search(text[max(0, match.start() - 4) : match.start()])
    ]


# --- files, slugs and colours ------------------------------------------------------


def test_four_module_files_and_a_programme():
    names = sorted(path.name for path in DIRECTORY.iterdir() if path.is_file())
    assert names == ["module_1.json", "module_2.json", "module_3.json", "module_4.json", "programme.json"]
    assert [path.name for path in DIRECTORY.iterdir() if path.is_dir()] == ["narration"]  # its demo voices
    assert [module["order"] for module in MODULES] == [1, 2, 3, 4]


@pytest.mark.parametrize("name", ["programme.json", *[f"module_{number}.json" for number in range(1, 5)]])
def test_files_are_utf8_json_with_two_space_indent(name):
    text = (DIRECTORY / name).read_text(encoding="utf-8")
    assert text == json.dumps(json.loads(text), ensure_ascii=False, indent=2) + "\n"
    assert "\\u00" not in text


def test_programme_fields():
    assert set(PROGRAMME) == {"slug", "slug_en", "es", "en"}
    assert (PROGRAMME["slug"], PROGRAMME["slug_en"]) == ("economia-social", "social-economy")
    first = json.loads((rules.CURRICULUM / "programme.json").read_text(encoding="utf-8"))
    assert {PROGRAMME["slug"], PROGRAMME["slug_en"]}.isdisjoint({first["slug"], first["slug_en"]})
    assert PROGRAMME["es"]["title"] == "Economía social y trabajo con clientes"
    assert PROGRAMME["en"]["title"] == "Social economy and working with clients"
    for code in rules.LANGUAGES:
        assert set(PROGRAMME[code]) == {"title", "intro"}
        assert not rules.ParagraphChecker().check(PROGRAMME[code]["intro"])


def test_slugs_are_unique_here_and_differ_from_the_first_programme():
    def slugs(modules):
        return [m[key] for m in modules for key in ("slug", "slug_en")] + [
            lesson[key] for m in modules for lesson in m["lessons"] for key in ("slug", "slug_en")
        ]

    ours = slugs(MODULES)
    assert len(ours) == len(set(ours))
    common = set(ours) & set(slugs(rules.MODULES))
    assert not common, common
    assert all(rules.SLUG.match(slug) for slug in ours)


def test_colours_are_new_distinct_and_readable_with_white_text():
    ours = [module["colour"].upper() for module in MODULES]
    theirs = {module["colour"].upper() for module in rules.MODULES}
    assert len(set(ours)) == 4 and not set(ours) & theirs
    for colour in ours:
        assert rules.contrast_with_white(colour) >= 4.5, colour


def test_every_illustration_exists():
    names = {module["illustration"] for module in MODULES}
    for _module, lesson in LESSONS:
        for code in rules.LANGUAGES:
            names |= {b["value"]["illustration"] for b in lesson[code]["body"] if b["type"] == "image"}
    for module in MODULES:
        for question in module["quiz"]["questions"]:
            names |= {option["illustration"] for option in question.get("options", []) if "illustration" in option}
    assert names <= set(illustrations.MOTIFS), names - set(illustrations.MOTIFS)


# --- the rules shared with the first programme -------------------------------------


@pytest.mark.parametrize("module", MODULES, ids=MODULE_IDS)
def test_module_follows_the_curriculum_rules(module):
    rules.test_module_fields(module)
    assert 3 <= len(module["lessons"]) <= 4
    rules.test_module_colour_is_readable_with_white_text(module)
    rules.test_spanish_punctuation_and_vocabulary(module)
    rules.test_quiz_fields(module)
    assert 5 <= len(module["quiz"]["questions"]) <= 7
    rules.test_questions_follow_the_rules_of_their_type(module)


@pytest.mark.parametrize(("module", "lesson"), LESSONS, ids=LESSON_IDS)
def test_lesson_follows_the_curriculum_rules(module, lesson):
    rules.test_lesson_fields(module, lesson)
    assert 6 <= lesson["duration_minutes"] <= 10
    rules.test_spanish_and_english_bodies_have_the_same_blocks(module, lesson)
    for code in rules.LANGUAGES:
        rules.test_blocks_use_only_allowed_types_and_fields(module, lesson, code)
    rules.test_lessons_are_short_reads_and_the_translation_is_complete(module, lesson)


def test_the_programme_uses_every_question_type():
    used = {question["type"] for module in MODULES for question in module["quiz"]["questions"]}
    assert used == rules.QUESTION_TYPES


@pytest.mark.parametrize("module", MODULES, ids=MODULE_IDS)
def test_numeric_answers_are_taught_in_the_lessons_and_explained(module):
    for question in module["quiz"]["questions"]:
        if question["type"] != "numeric":
            continue
        for code in rules.LANGUAGES:
            taught = set()
            for lesson in module["lessons"]:
                taught |= rules.numbers_in(" ".join(rules.block_text(block) for block in lesson[code]["body"]))
            assert question["answer"] in taught, (code, question["answer"])
            assert question["answer"] in rules.numbers_in(question[code]["explanation"]), code


def test_the_prices_build_on_the_first_programmes_blouse():
    """Module 3 starts from the costing module's blouse: total cost $1,300, retail $1,560."""
    total = 1300
    retail, wholesale = total * 1.20, total * 1.10
    assert (retail, round(wholesale), 10 * round(wholesale), retail - retail * 0.05) == (1560, 1430, 14300, 1482)
    prices = next(module for module in MODULES if module["order"] == 3)
    answers = {q["answer"] for q in prices["quiz"]["questions"] if q["type"] == "numeric"}
    assert answers == {1430, 14300, 1482}
    first_costs = next(module for module in rules.MODULES if module["order"] == 5)
    taught = rules.numbers_in(json.dumps(first_costs, ensure_ascii=False))
    assert {1300, 1560, 1430} <= taught


# --- the way it is written ---------------------------------------------------------


@pytest.mark.parametrize("module", MODULES, ids=MODULE_IDS)
def test_spanish_speaks_to_her_as_tu(module):
    for text in strings(module, "es"):
        assert not re.search(r"\busted\b|\bud\.", text, re.IGNORECASE), text


@pytest.mark.parametrize("code", rules.LANGUAGES)
@pytest.mark.parametrize("module", MODULES, ids=MODULE_IDS)
def test_capitals_only_at_sentence_start_and_in_names(module, code):
    for text in [*strings(module, code), PROGRAMME[code]["title"], PROGRAMME[code]["intro"]]:
        unexpected = set(capitalised_inside_sentences(text)) - NAMES[code]
        assert not unexpected, (unexpected, text[:80])


def test_the_capitals_check_can_fail():
    assert capitalised_inside_sentences("Cómo Llevar La Cuenta") == ["Llevar", "La", "Cuenta"]
    assert capitalised_inside_sentences("<ul><li>Una.</li><li>Dos: Tres ¿Cuatro?</li></ul>") == []


@pytest.mark.parametrize("module", MODULES, ids=MODULE_IDS)
def test_spanish_has_no_anglicisms_and_mexican_numbers(module):
    for text in strings(module, "es"):
        lowered = text.lower()
        for word in ANGLICISMS:
            assert not re.search(rf"\b{word}\b", lowered), (word, text[:80])
        assert not re.search(r"\$\d{4,}", text), text  # $1,560, not $1560
        assert not re.search(r"\d,\d{1,2}(?!\d)", text), text  # decimals with a point: 0.05
        # Dates as "1 de diciembre de 2026": never "1 diciembre", "diciembre 1" or "1/12/2026".
        assert not re.search(rf"\d\s+({MONTHS})|\b({MONTHS})\s+\d|\d{{1,2}}/\d{{1,2}}/\d{{2,4}}", lowered), text
