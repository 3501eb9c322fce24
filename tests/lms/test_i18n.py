"""Every catalogue is complete and compiled; adding a language needs only settings."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

ROOT = Path(settings.BASE_DIR)


def catalogues():
    for po in sorted(ROOT.glob("*/locale/*/LC_MESSAGES/django.po")) + sorted(ROOT.glob("locale/*/LC_MESSAGES/*.po")):
        if ".venv" not in po.parts:
            yield po


def parse_po(path: Path):
    """(msgid, msgstr list, flags) for every entry but the header."""
    entries, flags, current, field = [], "", None, None
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if line.startswith("#,"):
            flags = line
        elif line.startswith("msgid "):
            if current:
                entries.append(current)
            current = {"msgid": "", "msgstr": [], "flags": flags, "plural": False}
            flags, field = "", "msgid"
            current["msgid"] = eval(line[6:])  # noqa: S307 — a quoted literal from our own file
        elif line.startswith("msgid_plural"):
            current["plural"] = True
            field = "plural"
        elif line.startswith("msgstr"):
            field = "msgstr"
            current["msgstr"].append(eval(line.split(" ", 1)[1]))  # noqa: S307
        elif line.startswith('"') and current:
            value = eval(line)  # noqa: S307
            if field == "msgid":
                current["msgid"] += value
            elif field == "msgstr":
                current["msgstr"][-1] += value
        elif not line.strip() and current:
            entries.append(current)
            current = None
    return [e for e in entries if e["msgid"]]


def test_there_are_spanish_and_english_catalogues():
    languages = {po.parent.parent.name for po in catalogues()}
    assert {"es", "en"} <= languages


@pytest.mark.parametrize("po", list(catalogues()), ids=lambda p: str(p.relative_to(ROOT)))
def test_catalogue_is_complete_and_not_fuzzy(po):
    entries = parse_po(po)
    assert entries, f"{po} is empty"
    for entry in entries:
        assert "fuzzy" not in entry["flags"], entry["msgid"]
        assert all(entry["msgstr"]), f"untranslated in {po}: {entry['msgid']!r}"


@pytest.mark.parametrize("po", list(catalogues()), ids=lambda p: str(p.relative_to(ROOT)))
def test_compiled_catalogue_matches_its_source(po):
    mo = po.with_suffix(".mo")
    assert mo.exists(), f"{mo} is not compiled: run make messages"
    language = po.parent.parent.name
    with translation.override(language):
        for entry in parse_po(po):
            if entry["plural"] or "%" in entry["msgid"] or "{" in entry["msgid"]:
                continue
            if re.search(r"\bcontext\b", entry["flags"]):
                continue
            assert translation.gettext(entry["msgid"]) == entry["msgstr"][0], (po, entry["msgid"])


def test_spanish_is_the_default_language_and_interface_is_spanish(client, db):
    assert settings.LANGUAGE_CODE == "es"
    html = client.get("/").content.decode()
    assert "Los módulos" in html


def test_a_new_language_needs_only_settings_and_a_catalogue(client, db, lesson, settings, tmp_path):
    """Tsotsil: add it to LANGUAGES, give it a catalogue, translate pages in Wagtail: /tzo/ serves it."""
    import subprocess

    from wagtail.models import Locale

    messages = tmp_path / "tzo" / "LC_MESSAGES"
    messages.mkdir(parents=True)
    (messages / "django.po").write_text(
        'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "Skip to content"\nmsgstr "Batsʼi kʼop: skip"\n',
        encoding="utf-8",
    )
    subprocess.run(["msgfmt", "-o", messages / "django.mo", messages / "django.po"], check=True)
    settings.LOCALE_PATHS = [*settings.LOCALE_PATHS, tmp_path]
    settings.LANGUAGES = [*settings.LANGUAGES, ("tzo", "Batsʼi kʼop")]
    settings.WAGTAIL_CONTENT_LANGUAGES = settings.LANGUAGES
    tzo = Locale.objects.create(language_code="tzo")
    module = lesson.get_parent().specific
    for page in (module.get_parent().specific, module):
        page.copy_for_translation(tzo).save_revision().publish()
    translated = lesson.copy_for_translation(tzo)
    translated.title = "Jun chanubtasel"
    translated.save_revision().publish()
    translated.refresh_from_db()
    response = client.get(translated.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Jun chanubtasel" in html
    assert 'lang="tzo"' in html
    assert "Batsʼi kʼop: skip" in html
