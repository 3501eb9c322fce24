"""A realistic Telar data set at a chosen scale, in its own SQLite file under var/bench/.

    python -m bench.datagen --scale small|default|large [--fresh]

Centres, cohorts (each run of the programme at its own stage: not started, mid-way, finished),
facilitators, artisans with PINs, weekly sessions with attendance, lesson completions, quiz
attempts (with real snapshots, some failed then retried) and the certificates the rule would
have issued. Two cohorts are shaped for the page budgets: one of 200 artisans who finished
(the cohort grid and the certificate bundle) and one of 40 mid-way (taking attendance).

Rows are written with bulk_create (minutes, not hours, for 10,000 artisans); the data follow the
rules of the services (one completion per lesson, one record per session and artisan, attempt
numbers in order, one valid certificate) without going through them one row at a time. The
generator is deterministic (a fixed seed) and writes a small JSON file beside the database with
the ids the benchmark needs; an existing data set of the same scale is reused unless --fresh.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

import django

BASE_DIR = Path(__file__).resolve().parent.parent
BENCH_DIR = Path(os.environ.get("BENCH_DIR", BASE_DIR / "var" / "bench"))


@dataclass(frozen=True)
class Scale:
    name: str
    centres: int
    cohorts: int
    artisans: int


SCALES = {
    "small": Scale("small", centres=5, cohorts=20, artisans=600),
    "default": Scale("default", centres=50, cohorts=500, artisans=10_000),
    "large": Scale("large", centres=100, cohorts=1_500, artisans=30_000),
}
GRID_COHORT_SIZE = 200  # the cohort grid and the certificate bundle are measured on this cohort
ATTENDANCE_COHORT_SIZE = 40  # taking attendance is measured on this cohort
SESSIONS_PER_COHORT = 6  # one workshop per module
SEED = 20260202
# Bumped when the generator changes what it writes: a data set of an older version is generated again.
# 2: cohorts take the programme and artisans are enrolled (the grid and the rule read the cohort's programme).
DATASET_VERSION = 2
PIN = "4827"
STAFF_PASSWORD = "bench-password-2026"  # only on this throw-away database

FIRST_NAMES = [
    "María",
    "Juana",
    "Rosa",
    "Petrona",
    "Micaela",
    "Catarina",
    "Manuela",
    "Pascuala",
    "Verónica",
    "Dominga",
    "Magdalena",
    "Antonia",
    "Lucía",
    "Sebastiana",
    "Marcela",
    "Elena",
    "Josefa",
    "Angelina",
    "Teresa",
    "Martha",
    "Guadalupe",
    "Margarita",
    "Alicia",
    "Andrea",
    "Francisca",
    "Luisa",
    "Candelaria",
    "Agustina",
    "Isabel",
    "Paula",
]
SURNAMES = [
    "Pérez",
    "Gómez",
    "López",
    "Hernández",
    "Díaz",
    "Sántiz",
    "Girón",
    "Méndez",
    "Jiménez",
    "Intzín",
    "Patishtán",
    "Ruiz",
    "Gutiérrez",
    "Álvarez",
    "Vázquez",
    "Núñez",
    "Collazo",
    "Cruz",
    "Morales",
    "Bolom",
    "Pale",
    "Tzotzil",
    "Moshán",
    "Heredia",
    "Ton",
    "Chitix",
    "K'ulub",
    "Ak'abal",
    "Nájera",
    "Ordóñez",
]
MUNICIPALITIES = [
    "Huixtán",
    "Chamula",
    "Zinacantán",
    "Tenejapa",
    "Oxchuc",
    "Chenalhó",
    "Larráinzar",
    "Aldama",
    "Mitontic",
    "Pantelhó",
    "Chalchihuitán",
    "Cancuc",
    "Amatenango del Valle",
    "Venustiano Carranza",
    "Las Margaritas",
    "Ocosingo",
    "Bachajón",
    "Chilón",
    "Yajalón",
    "Tila",
    "Sitalá",
    "Teopisca",
    "Comitán",
    "Altamirano",
    "San Cristóbal de las Casas",
]
STATUS_WEIGHTS = (("present", 78), ("late", 8), ("excused", 5), ("absent", 9))


def configure(scale: str) -> Path:
    """Point Django at this scale's database file (before django.setup())."""
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    path = BENCH_DIR / f"bench-{scale}.sqlite3"
    os.environ["BENCH_DB"] = str(path)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    return path


def meta_path(scale: str) -> Path:
    return BENCH_DIR / f"bench-{scale}.json"


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _name(rng: random.Random) -> tuple[str, str]:
    first = rng.choice(FIRST_NAMES)
    surnames = rng.sample(SURNAMES, 2)
    return f"{first} {surnames[0]} {surnames[1]}", first


def _cohort_sizes(scale: Scale) -> list[int]:
    """Cohort 0 has 200 artisans, cohort 1 has 40, the rest share what is left (at least 5 each)."""
    sizes = [GRID_COHORT_SIZE, ATTENDANCE_COHORT_SIZE]
    rest = scale.cohorts - 2
    remaining = max(scale.artisans - sum(sizes), 5 * rest)
    base, extra = divmod(remaining, rest)
    sizes += [base + (1 if index < extra else 0) for index in range(rest)]
    return sizes


def _phase(index: int) -> int:
    """How many of the six modules a cohort has reached: the 200 finished, the 40 are mid-way."""
    if index == 0:
        return SESSIONS_PER_COHORT
    if index == 1:
        return 3
    return index % (SESSIONS_PER_COHORT + 1)


def ensure(scale_name: str, *, fresh: bool = False) -> dict:
    """The data set of this scale: reused when it exists, generated otherwise. Returns its meta."""
    scale = SCALES[scale_name]
    path = configure(scale_name)
    meta_file = meta_path(scale_name)
    if not fresh and path.exists() and meta_file.exists():
        meta = json.loads(meta_file.read_text())
        if meta.get("scale") == asdict(scale) and meta.get("version") == DATASET_VERSION:
            django.setup()
            return meta
    for stale in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), meta_file):
        stale.unlink(missing_ok=True)
    django.setup()
    _say(f"Generating the {scale_name} data set into {path} ...")
    # The generator imports Telar's models, which exist only once django.setup() has run on this scale's database.
    from bench.dataset import generate

    meta = generate(scale)
    meta_file.write_text(json.dumps(meta, indent=2))
    counts = ", ".join(f"{value:,} {key}" for key, value in meta["counts"].items())
    _say(f"  done in {meta['seconds']} s: {counts}")
    return meta


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=sorted(SCALES), default="default")
    parser.add_argument("--fresh", action="store_true", help="Regenerate even if a data set of this scale exists.")
    args = parser.parse_args(argv)
    meta = ensure(args.scale, fresh=args.fresh)
    print(json.dumps(meta["counts"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
