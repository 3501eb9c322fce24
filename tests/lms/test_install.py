"""The production install (lms/install.py): requirements.txt is complete, and the prune keeps what Telar reads."""

from __future__ import annotations

import re
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from lms import install

BASE_DIR = Path(__file__).resolve().parents[2]


def _pinned() -> dict[str, str]:
    pins = {}
    for line in (BASE_DIR / "requirements.txt").read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, version = re.split(r"==", line, maxsplit=1)
            pins[canonicalize_name(name)] = version.strip()
    return pins


def test_requirements_txt_lists_every_dependency_of_what_it_lists_because_it_is_installed_with_no_deps():
    pins = _pinned()
    missing = []
    for name in pins:
        for text in metadata.requires(name) or []:
            requirement = Requirement(text)
            if requirement.marker is not None and not requirement.marker.evaluate({"extra": ""}):
                continue  # an extra nobody asked for, or another platform's
            if canonicalize_name(requirement.name) not in pins:
                missing.append(f"{name} needs {requirement}")
    assert missing == []
    # The extras the install leaves out on purpose (lms/install.py) are not listed, and the tests still have them.
    assert {"pillow-heif", "zopfli"}.isdisjoint(pins)
    assert metadata.version("pillow-heif") and metadata.version("zopfli")


def test_the_environment_the_tests_run_in_has_the_pinned_versions():
    wrong = {name: (version, metadata.version(name)) for name, version in _pinned().items()}
    assert {name: pair for name, pair in wrong.items() if pair[0] != pair[1]} == {}


def _file(path: Path, text: str = "x") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_prune_removes_other_languages_sources_test_suites_and_unread_folders_only(tmp_path):
    keep = [
        _file(tmp_path / "django/conf/locale/es/LC_MESSAGES/django.mo"),
        _file(tmp_path / "django/conf/locale/es_MX/formats.py"),
        _file(tmp_path / "django/conf/locale/en_GB/LC_MESSAGES/django.mo"),
        _file(tmp_path / "django/conf/locale/__init__.py"),  # LANG_INFO: not a language folder
        _file(tmp_path / "wagtail/admin/static/wagtailadmin/js/core.js"),
        _file(tmp_path / "wagtail/templates/tests/page.html"),  # a template folder named tests stays
        _file(tmp_path / "wagtail/contrib/search_promotions/tests.py"),  # a module, not a test suite folder
        _file(tmp_path / "pyphen/dictionaries/hyph_es.dic"),
        _file(tmp_path / "pyphen/dictionaries/hyph_en_US.dic"),
        _file(tmp_path / "rest_framework/templates/rest_framework/api.html"),
    ]
    gone = [
        _file(tmp_path / "django/conf/locale/fr/LC_MESSAGES/django.mo"),
        _file(tmp_path / "django/conf/locale/de/formats.py"),
        _file(tmp_path / "django/conf/locale/es/LC_MESSAGES/django.po"),  # the .mo beside it stays
        _file(tmp_path / "wagtail/admin/locale/pt_BR/LC_MESSAGES/django.mo"),
        _file(tmp_path / "wagtail/admin/tests/test_pages.py"),
        _file(tmp_path / "pyphen/dictionaries/hyph_fr.dic"),
        _file(tmp_path / "ninja/static/ninja/swagger-ui-bundle.js", "y" * 1000),
        _file(tmp_path / "wagtail/test/settings.py"),
    ]
    removed = install.prune(tmp_path)
    assert [path for path in keep if not path.exists()] == []
    assert [path for path in gone if path.exists()] == []
    assert removed == 1000 + 7 * len("x")
