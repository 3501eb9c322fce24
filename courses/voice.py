"""The demo's synthetic narrations: what is read aloud, and the script that records it.

Every Spanish lesson and quiz question of courses/curriculum/ is narrated by a computer voice so the
"Escuchar" path is real on a fresh ``make run``. The files are committed (``<programme>/narration/``,
small Opus at ``audio.SYNTHETIC_BITRATE``) so they load on any machine; ``manage.py
narrate_curriculum`` regenerates them with espeak-ng (``apt-get install espeak-ng``), the one place
that needs it. ``narration/manifest.json`` records a digest of each text, so a test notices a
lesson edited without its narration being made again.
"""

from __future__ import annotations

import hashlib
import html
import io
import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

from django.utils.html import strip_tags

from . import audio

VOICE = "es-419+f3"  # espeak-ng's Latin American Spanish, a female variant
WORDS_PER_MINUTE = 150  # slower than espeak's 175: many listeners read Spanish as a second language
MANIFEST = "manifest.json"

TIP_WORDS = {"tip": "Consejo.", "warning": "Cuidado.", "example": "Ejemplo."}


def _plain(markup: str) -> str:
    text = re.sub(r"</(p|li|h[1-6])>", ".\n", markup)
    text = html.unescape(strip_tags(text))
    text = re.sub(r"\.\s*\.", ".", text)
    return re.sub(r"[ \t]+", " ", text).strip()


def _sentence(text: str) -> str:
    text = text.strip()
    return text if not text or text[-1] in '.?!:…»”"' else f"{text}."


def lesson_script(lesson: dict) -> str:
    """The words a lesson's narration says: title, introduction and every block she reads."""
    lines = [_sentence(lesson["title"])]
    if lesson.get("intro"):
        lines.append(_sentence(lesson["intro"]))
    for block in lesson.get("body", []):
        kind, value = block["type"], block["value"]
        if kind == "paragraph":
            lines.append(_plain(value))
        elif kind == "heading":
            lines.append(_sentence(value["text"]))
        elif kind == "image" and value.get("caption"):
            lines.append(_sentence(value["caption"]))
        elif kind == "steps":
            if value.get("title"):
                lines.append(_sentence(value["title"]))
            for number, step in enumerate(value["steps"], start=1):
                lines.append(f"Paso {number}. {_sentence(step)}")
        elif kind == "tip":
            lines.append(f"{TIP_WORDS.get(value.get('kind'), '')} {_sentence(value['text'])}".strip())
        elif kind == "key_idea":
            lines.append(f"Idea clave. {_sentence(value['text'])}")
    return "\n".join(line for line in lines if line)


def _option_label(option: dict) -> str:
    value = option.get("es")
    return str(value.get("label", "") if isinstance(value, dict) else value or "")


def question_script(question: dict) -> str:
    """A question read aloud with its options in the order shown, so she can answer without reading."""
    lines = [_sentence(question["es"]["text"])]
    labels = [_option_label(option) for option in question.get("options", [])]
    labels = [label for label in labels if label]
    if labels:
        lines.append("Puedes responder:")
        lines += [_sentence(label) for label in labels[:-1]]
        lines.append(f"O: {_sentence(labels[-1])}" if len(labels) > 1 else _sentence(labels[-1]))
    elif question.get("type") == "numeric":
        unit = question.get("unit_es")
        lines.append(f"Escribe un número{f', en {unit}' if unit else ''}.")
    return "\n".join(lines)


def question_name(module_slug: str, number: int) -> str:
    """The file name (without extension) of a module quiz's question ``number`` (1 for the first)."""
    return f"{module_slug}-pregunta-{number}"


def scripts(programme_modules: list[dict]) -> Iterator[tuple[str, str]]:
    """(file name, text) for every Spanish lesson and quiz question of one programme's modules."""
    for module in programme_modules:
        for lesson in module["lessons"]:
            yield lesson["slug"], lesson_script(lesson["es"])
        for number, question in enumerate((module.get("quiz") or {}).get("questions", []), start=1):
            yield question_name(module["slug"], number), question_script(question)


def digest(text: str) -> str:
    return hashlib.sha256(f"{VOICE}|{WORDS_PER_MINUTE}|{text}".encode()).hexdigest()[:16]


def read_manifest(folder: Path) -> dict[str, str]:
    path = folder / MANIFEST
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def espeak_available() -> bool:
    return shutil.which("espeak-ng") is not None


def synthesise(text: str) -> audio.Transcoded:
    """``text`` spoken by espeak-ng (WAV on stdout), transcoded to Opus like an upload, at the lower bitrate."""
    wav = subprocess.run(
        ["espeak-ng", "-v", VOICE, "-s", str(WORDS_PER_MINUTE), "-g", "3", "--stdout"],
        input=text.encode("utf-8"),
        capture_output=True,
        check=True,
    ).stdout
    return audio.transcode(io.BytesIO(wav), bitrate=audio.SYNTHETIC_BITRATE)
