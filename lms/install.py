"""The production install: `python3.11 -m lms.install /srv/telar/venv` (README, Production; issue 17).

Standard library only: it runs with the Python that will run Telar, before anything is installed.

1. a virtual environment **without pip** (``venv --without-pip``): the server never installs
   anything itself; pip and setuptools are 25 MB;
2. ``requirements.txt`` (every package pinned, the list complete) installed into it by this Python's
   pip (``pip --python``) with ``--no-compile`` (Python writes the .pyc of what it really imports on
   first use, about a third of what pip would compile) and ``--no-deps``, so that exactly the pinned
   list is installed — which leaves out two extras no Telar code path reads: ``pillow-heif`` (Willow's
   ``[heif]``, 26 MB: HEIC images, which Wagtail accepts only when WAGTAILIMAGES_EXTENSIONS names
   them, and Telar's does not) and ``zopfli`` (fontTools' ``[woff]``: it compresses WOFF fonts, which
   WeasyPrint never writes). ``requirements-dev.txt`` installs both, so the tests run with them too;
3. what no Telar process reads is removed from site-packages (``prune``): the catalogues (and
   Pyphen's hyphenation dictionaries) of the languages Telar does not speak (LANGUAGES and
   WAGTAILADMIN_PERMITTED_LANGUAGES are es and en),
   the ``.po`` sources of the others (gettext reads the compiled ``.mo``), the packages' own
   test suites, and the folders in ``UNREAD``.

`python -m bench.install_size` builds this in a temporary folder, reports its size and checks
that Telar runs from it (check --deploy, migrate, a lesson, a certificate PDF, an audio transcode).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import venv
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
REQUIREMENTS = BASE_DIR / "requirements.txt"
KEEP_LANGUAGES = ("es", "en")  # lms/settings/base.py: LANGUAGES, WAGTAILADMIN_PERMITTED_LANGUAGES
# Folders nothing reads here: the static files of django-ninja and Django REST framework, which are
# not in INSTALLED_APPS (ninja's API docs then take theirs from a CDN; DRF serves JSON only), Wagtail's
# own test project and the template of `wagtail start`.
UNREAD = ("ninja/static", "rest_framework/static", "wagtail/test", "wagtail/project_template")


def install(target: Path, *, requirements: Path = REQUIREMENTS, python: str = sys.executable) -> Path:
    """Create the environment at ``target`` and install ``requirements`` into it; returns site-packages."""
    venv.EnvBuilder(with_pip=False, clear=True, symlinks=True).create(target)
    command = [python, "-m", "pip", "--python", str(target / "bin" / "python"), "install"]
    command += ["--no-compile", "--no-deps", "--quiet", "--disable-pip-version-check", "-r", str(requirements)]
    subprocess.run(command, check=True)
    return site_packages(target)


def site_packages(target: Path) -> Path:
    found = sorted((target / "lib").glob("python3*/site-packages"))
    if not found:
        raise FileNotFoundError(f"no site-packages under {target}")
    return found[0]


def prune(packages: Path, *, keep_languages: tuple[str, ...] = KEEP_LANGUAGES) -> int:
    """Remove from ``packages`` what Telar never reads; returns the bytes removed."""
    removed = 0

    def drop(path: Path) -> None:
        nonlocal removed
        if path.is_dir() and not path.is_symlink():
            removed += sum(item.stat().st_size for item in path.rglob("*") if item.is_file() and not item.is_symlink())
            shutil.rmtree(path)
        elif path.exists():
            removed += path.stat().st_size
            path.unlink()

    def spoken(name: str) -> bool:
        return name.replace("-", "_").split("_")[0].lower() in keep_languages

    for locale in sorted(packages.rglob("locale")):
        if not locale.is_dir():
            continue
        for language in list(locale.iterdir()):
            # A language folder holds LC_MESSAGES (gettext) or formats.py (Django's conf/locale): others stay.
            marks = (language / "LC_MESSAGES", language / "formats.py")
            if language.is_dir() and any(mark.exists() for mark in marks) and not spoken(language.name):
                drop(language)
    # Pyphen's hyphenation dictionaries (WeasyPrint's hyphens: auto), one file a language: the same two.
    for dictionary in sorted(packages.glob("pyphen/dictionaries/hyph_*.dic")):
        if not spoken(dictionary.stem.removeprefix("hyph_")):
            drop(dictionary)
    for catalogue in list(packages.rglob("*.po")):
        if catalogue.with_suffix(".mo").exists():
            drop(catalogue)
    for folder in UNREAD:
        drop(packages / folder)
    for tests in sorted(packages.glob("*/**/tests")):
        # A package's own test suite (a folder named tests inside a package); never imported by Telar.
        if tests.is_dir() and tests.parent.name != "templates" and "templates" not in tests.parts:
            drop(tests)
    return removed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Install Telar's runtime into a new virtual environment.")
    parser.add_argument("target", type=Path, help="The environment to create (emptied first if it exists).")
    parser.add_argument("--requirements", type=Path, default=REQUIREMENTS)
    parser.add_argument("--no-prune", action="store_true", help="Keep every file pip installed.")
    args = parser.parse_args(argv)
    packages = install(args.target.resolve(), requirements=args.requirements)
    if not args.no_prune:
        removed = prune(packages)
        print(f"Removed {removed / 1e6:.1f} MB Telar never reads from {packages}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
