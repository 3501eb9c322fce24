"""Structure checks for the curriculum JSON (courses/curriculum/module_*.json).

Plain pytest, no database: these files are what the artisans read, so this
guards their shape (six modules, 3-5 lessons, Spanish and English side by side
with the same blocks), the allowed HTML, the quiz rules, the module colours
(AA contrast with white text) and the size of every generated illustration.
"""

from __future__ import annotations

import json
import re
import sys
from html.parser import HTMLParser
from io import BytesIO
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CURRICULUM = ROOT / "courses" / "curriculum"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from courses import illustrations  # noqa: E402

LANGUAGES = ("es", "en")
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
HEX = re.compile(r"^#[0-9A-Fa-f]{6}$")
MODULE_KEYS = {"order", "slug", "slug_en", "colour", "illustration", "es", "en", "lessons", "quiz"}
LESSON_KEYS = {"slug", "slug_en", "duration_minutes", "es", "en"}
BLOCK_FIELDS = {
    "paragraph": None,  # an HTML string
    "heading": ({"text", "level"}, set()),
    "image": ({"illustration", "alt"}, {"caption"}),
    "tip": ({"kind", "text"}, set()),
    "steps": ({"title", "steps"}, set()),
    "key_idea": ({"text"}, set()),
}
PARAGRAPH_TAGS = {"p", "b", "i", "ul", "ol", "li"}
TIP_KINDS = {"tip", "warning", "example"}
QUESTION_TYPES = {"single", "multiple", "true_false", "picture", "numeric"}
QUESTION_KEYS = {"type", "es", "en", "options", "answer", "tolerance", "unit_es", "unit_en"}
OPTION_KEYS = {"es", "en", "correct", "feedback_es", "feedback_en", "illustration"}
# Limits of the Wagtail fields and blocks the loader writes into.
MAX_SUMMARY, MAX_INTRO, MAX_HEADING, MAX_STEP, MAX_ALT = 400, 250, 120, 300, 250
MAX_QUIZ_TITLE, MAX_QUIZ_INTRO, MAX_QUESTION, MAX_EXPLANATION = 200, 600, 500, 800
MAX_LABEL, MAX_FEEDBACK, MAX_UNIT = 200, 400, 40
# Interface words that have a fixed Spanish translation (see UX.md): never these instead.
AVOID_ES = ("cuestionario", "examen", "certificado", "cohorte", "facilitador ", "centro comunal")


def load_modules() -> list[dict]:
    paths = sorted(CURRICULUM.glob("module_*.json"))
    return [json.loads(path.read_text(encoding="utf-8")) for path in paths]


MODULES = load_modules()
MODULE_IDS = [f"module_{module['order']}" for module in MODULES]


def lessons():
    for module in MODULES:
        for lesson in module["lessons"]:
            yield module, lesson


LESSONS = list(lessons())
LESSON_IDS = [f"{module['order']}/{lesson['slug']}" for module, lesson in LESSONS]


def relative_luminance(colour: str) -> float:
    channels = []
    for index in (1, 3, 5):
        value = int(colour[index : index + 2], 16) / 255
        channels.append(value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4)
    red, green, blue = channels
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_with_white(colour: str) -> float:
    return (1.0 + 0.05) / (relative_luminance(colour) + 0.05)


class ParagraphChecker(HTMLParser):
    """Collects problems in a paragraph's HTML: unknown tags, attributes, bad nesting, stray text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.problems: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in PARAGRAPH_TAGS:
            self.problems.append(f"tag <{tag}> not allowed")
        if attrs:
            self.problems.append(f"attributes on <{tag}>")
        if not self.stack and tag not in {"p", "ul", "ol"}:
            self.problems.append(f"<{tag}> at top level")
        if tag == "li" and (not self.stack or self.stack[-1] not in {"ul", "ol"}):
            self.problems.append("<li> outside a list")
        if tag in {"p", "ul", "ol"} and self.stack:
            self.problems.append(f"<{tag}> nested in <{self.stack[-1]}>")
        self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.problems.append(f"empty tag <{tag}/>")

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"unbalanced </{tag}>")
            return
        self.stack.pop()

    def handle_data(self, data):
        if data.strip() and not any(tag in {"p", "li"} for tag in self.stack):
            self.problems.append(f"text outside <p>/<li>: {data.strip()[:30]!r}")
        self.text.append(data)

    def check(self, html: str) -> list[str]:
        self.feed(html)
        self.close()
        if self.stack:
            self.problems.append(f"unclosed {self.stack}")
        return self.problems


def block_text(block: dict) -> str:
    value = block["value"]
    kind = block["type"]
    if kind == "paragraph":
        parser = ParagraphChecker()
        parser.check(value)
        return " ".join(parser.text)
    if kind == "heading":
        return value["text"]
    if kind == "image":
        return value.get("caption", "")
    if kind == "steps":
        return " ".join([value["title"], *value["steps"]])
    return value["text"]


def words(body: list[dict]) -> int:
    return len(" ".join(block_text(block) for block in body).split())


def all_strings(node):
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from all_strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from all_strings(value)


def spanish_strings(module: dict):
    """Every Spanish text of a module (titles, bodies, quiz texts, option labels)."""
    yield from all_strings(module["es"])
    for lesson in module["lessons"]:
        yield from all_strings(lesson["es"])
    quiz = module["quiz"]
    yield from all_strings(quiz["es"])
    for question in quiz["questions"]:
        yield from all_strings(question["es"])
        for option in question.get("options", []):
            yield option["es"]
            if "feedback_es" in option:
                yield option["feedback_es"]
        if "unit_es" in question:
            yield question["unit_es"]


# --- the modules -------------------------------------------------------------------


def test_six_module_files_in_curriculum_order():
    files = sorted(path.name for path in CURRICULUM.glob("module_*.json"))
    assert files == [f"module_{number}.json" for number in range(1, 7)]
    assert [module["order"] for module in MODULES] == [1, 2, 3, 4, 5, 6]


@pytest.mark.parametrize("number", range(1, 7))
def test_files_are_utf8_json_with_two_space_indent(number):
    text = (CURRICULUM / f"module_{number}.json").read_text(encoding="utf-8")
    data = json.loads(text)
    assert data["order"] == number
    assert text == json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    assert "\\u00" not in text  # accents are written as themselves


@pytest.mark.parametrize("module", MODULES, ids=MODULE_IDS)
def test_module_fields(module):
    assert set(module) == MODULE_KEYS
    assert SLUG.match(module["slug"]) and SLUG.match(module["slug_en"])
    assert module["illustration"] in illustrations.MOTIFS
    for code in LANGUAGES:
        assert set(module[code]) == {"title", "summary"}
        assert module[code]["title"].strip()
        assert module[code]["summary"].strip()
        assert len(module[code]["summary"]) <= MAX_SUMMARY
        assert len(module[code]["title"]) <= 255
    assert 3 <= len(module["lessons"]) <= 5


def test_slugs_are_unique():
    for key in ("slug", "slug_en"):
        module_slugs = [module[key] for module in MODULES]
        assert len(set(module_slugs)) == len(module_slugs), key
        lesson_slugs = [lesson[key] for _module, lesson in LESSONS]
        assert len(set(lesson_slugs)) == len(lesson_slugs), key
        assert not set(module_slugs) & set(lesson_slugs), key


@pytest.mark.parametrize("module", MODULES, ids=MODULE_IDS)
def test_module_colour_is_readable_with_white_text(module):
    colour = module["colour"]
    assert HEX.match(colour), colour
    assert contrast_with_white(colour) >= 4.5, (colour, round(contrast_with_white(colour), 2))


def test_module_colours_are_distinct():
    colours = [module["colour"].upper() for module in MODULES]
    assert len(set(colours)) == 6


def test_contrast_formula_matches_known_values():
    assert contrast_with_white("#FFFFFF") == pytest.approx(1.0)
    assert contrast_with_white("#000000") == pytest.approx(21.0)
    assert contrast_with_white("#767676") == pytest.approx(4.54, abs=0.01)


# --- the lessons -------------------------------------------------------------------


@pytest.mark.parametrize(("module", "lesson"), LESSONS, ids=LESSON_IDS)
def test_lesson_fields(module, lesson):
    assert set(lesson) == LESSON_KEYS
    assert SLUG.match(lesson["slug"]) and SLUG.match(lesson["slug_en"])
    assert isinstance(lesson["duration_minutes"], int) and 5 <= lesson["duration_minutes"] <= 12
    for code in LANGUAGES:
        content = lesson[code]
        assert set(content) == {"title", "intro", "body"}
        assert content["title"].strip() and len(content["title"]) <= 255
        assert content["intro"].strip() and len(content["intro"]) <= MAX_INTRO
        assert content["body"]


@pytest.mark.parametrize(("module", "lesson"), LESSONS, ids=LESSON_IDS)
def test_spanish_and_english_bodies_have_the_same_blocks(module, lesson):
    es, en = lesson["es"]["body"], lesson["en"]["body"]
    assert [block["type"] for block in es] == [block["type"] for block in en]
    for block_es, block_en in zip(es, en, strict=True):
        kind = block_es["type"]
        if kind == "heading":
            assert block_es["value"]["level"] == block_en["value"]["level"]
        elif kind == "tip":
            assert block_es["value"]["kind"] == block_en["value"]["kind"]
        elif kind == "steps":
            assert len(block_es["value"]["steps"]) == len(block_en["value"]["steps"])
        elif kind == "image":
            assert block_es["value"]["illustration"] == block_en["value"]["illustration"]
        elif kind == "paragraph":
            tags = re.compile(r"</?([a-z]+)")
            assert tags.findall(block_es["value"]) == tags.findall(block_en["value"])


@pytest.mark.parametrize(("module", "lesson"), LESSONS, ids=LESSON_IDS)
@pytest.mark.parametrize("code", LANGUAGES)
def test_blocks_use_only_allowed_types_and_fields(module, lesson, code):
    body = lesson[code]["body"]
    for block in body:
        assert set(block) == {"type", "value"}
        kind, value = block["type"], block["value"]
        assert kind in BLOCK_FIELDS, kind
        if kind == "paragraph":
            assert isinstance(value, str) and value.strip()
            problems = ParagraphChecker().check(value)
            assert not problems, (problems, value[:80])
            continue
        required, optional = BLOCK_FIELDS[kind]
        assert required <= set(value) <= required | optional, (kind, sorted(value))
        for name, text in value.items():
            if name == "steps":
                assert isinstance(text, list) and len(text) >= 2
                for step in text:
                    assert isinstance(step, str) and step.strip() and len(step) <= MAX_STEP
                    assert "<" not in step and ">" not in step
            else:
                assert isinstance(text, str) and text.strip(), (kind, name)
                assert "<" not in text and ">" not in text, (kind, name)
        if kind == "heading":
            assert value["level"] in {"h2", "h3"}
            assert len(value["text"]) <= MAX_HEADING
        elif kind == "image":
            assert value["illustration"] in illustrations.MOTIFS, value["illustration"]
            assert len(value["alt"]) <= MAX_ALT and len(value.get("caption", "")) <= MAX_ALT
        elif kind == "tip":
            assert value["kind"] in TIP_KINDS
        elif kind == "steps":
            assert len(value["title"]) <= MAX_HEADING
    types = [block["type"] for block in body]
    assert types.count("image") <= 1
    assert types.count("key_idea") == 1
    assert types.index("key_idea") >= len(types) - 2, "the key idea comes near the end"
    assert len(set(types)) >= 4, "a mix of block types"


@pytest.mark.parametrize(("module", "lesson"), LESSONS, ids=LESSON_IDS)
def test_lessons_are_short_reads_and_the_translation_is_complete(module, lesson):
    counts = {code: words(lesson[code]["body"]) for code in LANGUAGES}
    for code, count in counts.items():
        assert 225 <= count <= 475, (code, count)  # about 250-450 words: a 5-12 minute read
    assert 0.8 <= counts["en"] / counts["es"] <= 1.25, counts


@pytest.mark.parametrize("module", MODULES, ids=MODULE_IDS)
def test_spanish_punctuation_and_vocabulary(module):
    for text in spanish_strings(module):
        assert text.count("¿") == text.count("?"), text
        assert text.count("¡") == text.count("!"), text
        lowered = text.lower()
        for word in AVOID_ES:
            assert word not in lowered, (word, text)


# --- the quizzes -------------------------------------------------------------------


@pytest.mark.parametrize("module", MODULES, ids=MODULE_IDS)
def test_quiz_fields(module):
    quiz = module["quiz"]
    assert set(quiz) == {"es", "en", "pass_mark", "questions"}
    assert quiz["es"]["title"].startswith("Evaluación: ")
    assert quiz["en"]["title"].startswith("Quiz: ")
    for code in LANGUAGES:
        assert set(quiz[code]) == {"title", "intro"}
        assert quiz[code]["intro"].strip()
        assert len(quiz[code]["title"]) <= MAX_QUIZ_TITLE and len(quiz[code]["intro"]) <= MAX_QUIZ_INTRO
    assert isinstance(quiz["pass_mark"], int) and 1 <= quiz["pass_mark"] <= 100
    assert len(quiz["questions"]) >= 6


def check_question(question: dict, where: str) -> None:
    kind = question.get("type")
    assert kind in QUESTION_TYPES, where
    assert set(question) <= QUESTION_KEYS, where
    for code in LANGUAGES:
        assert set(question[code]) == {"text", "explanation"}, where
        assert question[code]["text"].strip() and question[code]["explanation"].strip(), where
        assert len(question[code]["text"]) <= MAX_QUESTION, where
        assert len(question[code]["explanation"]) <= MAX_EXPLANATION, where
    if kind == "numeric":
        assert "options" not in question, where
        assert isinstance(question["answer"], int | float) and not isinstance(question["answer"], bool), where
        assert isinstance(question["tolerance"], int | float) and question["tolerance"] >= 0, where
        assert question["unit_es"].strip() and question["unit_en"].strip(), where
        assert len(question["unit_es"]) <= MAX_UNIT and len(question["unit_en"]) <= MAX_UNIT, where
        return
    assert not {"answer", "tolerance", "unit_es", "unit_en"} & set(question), where
    options = question["options"]
    for option in options:
        assert set(option) <= OPTION_KEYS and {"es", "en", "correct"} <= set(option), where
        assert option["es"].strip() and option["en"].strip(), where
        assert len(option["es"]) <= MAX_LABEL and len(option["en"]) <= MAX_LABEL, where
        assert isinstance(option["correct"], bool), where
        for name in ("feedback_es", "feedback_en"):
            if name in option:
                assert option[name].strip() and len(option[name]) <= MAX_FEEDBACK, where
        assert ("feedback_es" in option) == ("feedback_en" in option), where
        if kind == "picture":
            assert option.get("illustration") in illustrations.MOTIFS, where
        else:
            assert "illustration" not in option, where
    for code in LANGUAGES:
        labels = [option[code] for option in options]
        assert len(set(labels)) == len(labels), where
    correct = sum(option["correct"] for option in options)
    if kind == "single":
        assert len(options) >= 2 and correct == 1, where
    elif kind == "picture":
        assert 2 <= len(options) <= 4 and correct == 1, where
        illustrated = [option["illustration"] for option in options]
        assert len(set(illustrated)) == len(illustrated), where
    elif kind == "multiple":
        assert 3 <= len(options) <= 5 and correct >= 2, where
    elif kind == "true_false":
        assert [(option["es"], option["en"]) for option in options] == [("Verdadero", "True"), ("Falso", "False")]
        assert correct == 1, where


@pytest.mark.parametrize("module", MODULES, ids=MODULE_IDS)
def test_questions_follow_the_rules_of_their_type(module):
    for number, question in enumerate(module["quiz"]["questions"], start=1):
        check_question(question, f"module {module['order']}, question {number}")


def test_every_question_type_is_used():
    used = {question["type"] for module in MODULES for question in module["quiz"]["questions"]}
    assert used == QUESTION_TYPES


def test_design_trends_quiz_uses_picture_questions():
    design = next(module for module in MODULES if module["order"] == 2)
    assert sum(question["type"] == "picture" for question in design["quiz"]["questions"]) >= 2


def numbers_in(text: str) -> set[float]:
    return {float(match.replace(",", "")) for match in re.findall(r"\d[\d,]*(?:\.\d+)?", text)}


def test_costs_numeric_answers_come_from_the_worked_example():
    costs = next(module for module in MODULES if module["order"] == 5)
    numeric = [question for question in costs["quiz"]["questions"] if question["type"] == "numeric"]
    assert len(numeric) >= 3
    for code in LANGUAGES:
        taught = set()
        for lesson in costs["lessons"]:
            taught |= numbers_in(" ".join(block_text(block) for block in lesson[code]["body"]))
        for question in numeric:
            assert question["answer"] in taught, (code, question["answer"])
            assert numbers_in(question[code]["explanation"]) >= {question["answer"]}, code


def test_costs_worked_example_adds_up():
    """The embroidered blouse of module 5: the figures the lessons teach, step by step."""
    materials = 1.5 * 60 + 6 * 15 + 20
    labour = (16 + 4) * 50
    overheads = 1000 / 10
    total = materials + labour + overheads
    margin = total * 0.20
    assert (materials, labour, overheads, total, margin, total + margin) == (200, 1000, 100, 1300, 260, 1560)
    assert (800 - (materials + overheads)) / 20 == 25
    costs = next(module for module in MODULES if module["order"] == 5)
    answers = sorted(q["answer"] for q in costs["quiz"]["questions"] if q["type"] == "numeric")
    assert set(answers) <= {materials, labour, overheads, total, margin, total + margin, 25.0, total * 1.10}


# --- the illustrations -------------------------------------------------------------


def test_at_least_twelve_motifs():
    assert len(illustrations.MOTIFS) >= 12
    for name in ("swatch_warm", "swatch_cool", "swatch_earth", "pattern_dense", "pattern_minimal"):
        assert name in illustrations.MOTIFS


def test_every_illustration_named_in_the_curriculum_exists():
    names = {module["illustration"] for module in MODULES}
    for _module, lesson in LESSONS:
        for code in LANGUAGES:
            names |= {b["value"]["illustration"] for b in lesson[code]["body"] if b["type"] == "image"}
    for module in MODULES:
        for question in module["quiz"]["questions"]:
            names |= {option["illustration"] for option in question.get("options", []) if "illustration" in option}
    assert names <= set(illustrations.MOTIFS), names - set(illustrations.MOTIFS)


@pytest.mark.parametrize("name", sorted(illustrations.MOTIFS))
def test_motif_is_a_small_deterministic_webp(name):
    image = illustrations.render(name)
    assert image.size == (640, 400) and image.mode == "RGB"
    buffer = BytesIO()
    image.save(buffer, format="WEBP", quality=70)
    assert len(buffer.getvalue()) <= 40 * 1024, (name, len(buffer.getvalue()))
    assert illustrations.render(name).tobytes() == image.tobytes()


@pytest.mark.parametrize("name", ["rombo_band", "blouse", "circle_people", "swatch_earth"])
def test_render_accepts_a_colour_and_other_sizes(name):
    tinted = illustrations.render(name, colour="#2E6B46")
    assert tinted.size == (640, 400)
    assert illustrations.render(name, width=320, height=200).size == (320, 200)
    assert illustrations.render(name, width=300, height=400, colour="#6A3D78").size == (300, 400)


def test_colour_changes_the_accent_but_not_the_swatches():
    assert illustrations.render("flor").tobytes() != illustrations.render("flor", colour="#34508A").tobytes()
    plain = illustrations.render("swatch_warm").tobytes()
    assert plain == illustrations.render("swatch_warm", colour="#34508A").tobytes()


def test_unknown_motif_is_refused():
    with pytest.raises(KeyError):
        illustrations.render("no-such-motif")
