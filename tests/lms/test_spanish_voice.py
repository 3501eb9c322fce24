"""Spanish as she would read it (issue 15, item 6): tú everywhere, capitals only at the start of a sentence
and in names, plurals through ngettext, dates as "1 de diciembre de 2026".

The catalogues are read as files (every app's and the root one), so a new string written with "usted",
"Ingrese…" or "la Evaluación" fails here whichever engineer adds it. Each detector is first shown to
catch what it must (and to leave tú and third-person sentences alone), so that it can fail.
"""

from __future__ import annotations

import datetime
import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import formats, translation

ROOT = Path(settings.BASE_DIR)
CATALOGUES = sorted(ROOT.glob("*/locale/es/LC_MESSAGES/django.po")) + [ROOT / "locale/es/LC_MESSAGES/django.po"]
# What the artisan reads: her pages, sign-in, quizzes, lessons (root: templates and courses), offline, certificates.
ARTISAN_APPS = {"progress", "people", "assessments", "offline", "certificates", "locale"}

SENTENCE_START = r"(?:^|[.!?:;]\s+|[¡¿«“\"(]\s*)"
# Usted imperatives as they open a sentence (a third-person subjunctive, "Deja que María intente…", does not).
USTED_IMPERATIVES = (
    "Ingrese|Seleccione|Escriba|Elija|Pulse|Presione|Haga|Toque|Intente|Inténtelo|Vuelva|Introduzca|Descargue|"
    "Guarde|Espere|Pregunte|Pida|Verifique|Consulte|Contacte|Comuníquese|Asegúrese|Agregue|Regrese|Indique|"
    "Confirme|Escuche|Revise|Suba|Cambie|Quite|Lea|Salga|Abra|Marque|Busque|Llene|Complete|Anote|Tome|Use|"
    "Utilice|Imprima|Acérquese|Diríjase|Recuerde|Olvide"
)
USTED = [
    re.compile(r"\b(usted|ustedes)\b", re.I),
    re.compile(r"\ble (recomendamos|pedimos|sugerimos|invitamos|agradecemos)\b", re.I),
    re.compile(SENTENCE_START + rf"(?:No\s+)?({USTED_IMPERATIVES})\b"),
    re.compile(SENTENCE_START + r"Su (cuenta|clave|contraseña)\b"),  # addressed to the reader: "Tu cuenta"
]
CONCEPTS = (
    r"Evaluaci[oó]n(es)?|M[oó]dulos?|Lecci[oó]n(es)?|Sesi[oó]n(es)?|Constancias?|Programas?|Grupos?|"
    r"Facilitadoras?|Clave|Avance|Asistencia|Artesanas?|Centro comunitario"
)
# A concept word with a capital inside a sentence: "la Evaluación de este Módulo".
MID_SENTENCE_CAPITAL = re.compile(rf"(?<=[a-záéíóúñü,;] )({CONCEPTS})\b")
PSEUDO_PLURAL = re.compile(r"\w\((s|es|as)\)")  # "sesión(es)": a plural ngettext should choose


def _entries(path: Path):
    """(msgid, msgstr) of every live entry; a plural entry yields each of its forms."""
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        if block.lstrip().startswith("#~"):
            continue
        found = re.search(r'^msgid ((?:".*"\n?)+)', block + "\n", re.M)
        if not found:
            continue
        msgid = "".join(json.loads(line) for line in found.group(1).strip().split("\n"))
        if not msgid:
            continue
        for form in re.findall(r'^msgstr(?:\[\d\])? ((?:".*"\n?)+)', block + "\n", re.M):
            yield msgid, "".join(json.loads(line) for line in form.strip().split("\n"))


def _app(path: Path) -> str:
    """The app a catalogue belongs to ("locale": the root one, templates and courses)."""
    return path.relative_to(ROOT).parts[0]


def _usted(text: str) -> list[str]:
    return [match.group(0) for pattern in USTED for match in [pattern.search(text)] if match]


@pytest.mark.parametrize(
    ("text", "caught"),
    [
        ("Ingrese su clave.", True),
        ("Seleccione una opción.", True),
        ("Escriba su nombre completo.", True),
        ("Si olvidó la clave, pregunte a la facilitadora. Toque su nombre.", True),
        ("Usted puede intentarlo otra vez.", True),
        ("Le recomendamos guardar la página.", True),
        ("Su cuenta está bloqueada.", True),
        ("¿Intente otra vez?", True),
        ("Escribe tu nombre completo.", False),
        ("Toca tu nombre. Pregunta a tu facilitadora.", False),
        ("Deja que María intente su clave otra vez ahora.", False),
        ("La artesana fue anonimizada. Su avance sigue contando en los totales.", False),
        ("Cuando una artesana pregunte qué datos suyos guarda Telar, búscala aquí.", False),
    ],
)
def test_the_usted_detector_catches_usted_and_leaves_tu_alone(text, caught):
    assert bool(_usted(text)) is caught, (text, _usted(text))


@pytest.mark.parametrize(
    ("text", "caught"),
    [
        ("Contesta la Evaluación otra vez.", True),
        ("Abre un Módulo y toca “Guardar sin conexión”.", True),
        ("id de la lección, Evaluación o Sesión", True),
        ("Evaluación: 80 %, aprobada", False),
        ("Te falta: aprobar la evaluación del módulo 3", False),
        ("Mi avance", False),
    ],
)
def test_the_capitals_detector_catches_a_capital_inside_a_sentence(text, caught):
    assert bool(MID_SENTENCE_CAPITAL.search(text)) is caught


def test_the_catalogues_are_found():
    names = {_app(path) for path in CATALOGUES}
    assert names >= ARTISAN_APPS and len(CATALOGUES) >= 8


def test_no_spanish_catalogue_speaks_usted():
    found = [
        f"{path.relative_to(ROOT)}: {msgstr!r} ({', '.join(_usted(msgstr))})"
        for path in CATALOGUES
        for _msgid, msgstr in _entries(path)
        if _usted(msgstr)
    ]
    assert not found, "use tú:\n" + "\n".join(found)


def test_capitals_only_at_sentence_start_and_in_names_on_what_she_reads():
    found = [
        f"{path.relative_to(ROOT)}: {msgstr!r}"
        for path in CATALOGUES
        if _app(path) in ARTISAN_APPS
        for _msgid, msgstr in _entries(path)
        if MID_SENTENCE_CAPITAL.search(msgstr)
    ]
    assert not found, "a lower-case word inside a sentence:\n" + "\n".join(found)


def test_plurals_go_through_ngettext_not_brackets():
    found = [
        f"{path.relative_to(ROOT)}: {msgstr!r}"
        for path in CATALOGUES
        for _msgid, msgstr in _entries(path)
        if PSEUDO_PLURAL.search(msgstr)
    ]
    assert not found, "use ngettext / blocktranslate count:\n" + "\n".join(found)


def test_dates_read_as_1_de_diciembre_de_2026():
    day = datetime.date(2026, 12, 1)
    with translation.override("es"):
        assert formats.date_format(day, "DATE_FORMAT") == "1 de diciembre de 2026"
        assert formats.date_format(day, "YEAR_MONTH_FORMAT") == "diciembre de 2026"


ARTISAN_TEMPLATES = ["progress/templates", "people/templates/people", "assessments/templates", "templates"]


def test_her_templates_format_dates_with_the_language_s_own_formats():
    """A literal format ("F Y", "j F") drops the "de" of Spanish dates: templates name Django's formats."""
    found = []
    for folder in ARTISAN_TEMPLATES:
        for template in (ROOT / folder).rglob("*.html"):
            for literal in re.findall(r'\|date:"([^"]+)"', template.read_text(encoding="utf-8")):
                if not literal.endswith("_FORMAT"):
                    found.append(f"{template.relative_to(ROOT)}: {literal}")
    assert not found


@pytest.mark.django_db
def test_the_group_screen_says_when_a_group_started_in_spanish(client, cohort):
    cohort.start_date = datetime.date(2026, 12, 1)
    cohort.save()
    html = client.get(f"/sign-in/centre/{cohort.centre_id}/").content.decode()
    assert "Empezó en diciembre de 2026" in html
