"""The test database, paid for once: migrations and the curriculum load, kept as a baseline.

Building the test database (every migration, then `load_curriculum` with its images) is the
slowest fixed cost of the suite. On SQLite it is built once into `var/test-baseline/<key>/`
(the database file and the media files it points to) and every later run, and every xdist
worker, starts from a copy. The key is a digest of everything that can change what the build
produces (migrations, the curriculum files, the code of the apps), so a change rebuilds it on
its next run; `rm -rf var/test-baseline` forces it.

PostgreSQL builds as before (per worker, with the xdist suffix pytest-django adds).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BASELINES = ROOT / "var" / "test-baseline"
# What the build reads: the apps' code and data (migrations, the curriculum, static illustrations).
APPS = ["core", "people", "courses", "assessments", "progress", "attendance", "certificates", "reports"]
APPS += ["offline", "workspace", "lms"]
SKIP_DIRS = {"__pycache__", "locale"}


def baseline_key() -> str:
    digest = hashlib.sha256()
    for app in APPS:
        for directory, dirs, files in sorted(os.walk(ROOT / app)):
            dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS)
            for name in sorted(files):
                if name.endswith((".pyc", ".mo")):
                    continue
                path = Path(directory) / name
                digest.update(str(path.relative_to(ROOT)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def baseline_dir() -> Path:
    return BASELINES / baseline_key()


def _remove_database_file(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def restore(database: Path, media_root: Path) -> bool:
    """Put the baseline in place for this run; False when there is none yet (build it, then save)."""
    source = baseline_dir()
    if not (source / "db.sqlite3").exists():
        return False
    _remove_database_file(database)
    database.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source / "db.sqlite3", database)
    shutil.rmtree(media_root, ignore_errors=True)
    if (source / "media").exists():
        shutil.copytree(source / "media", media_root)
    return True


def save(database: Path, media_root: Path) -> None:
    """Keep the freshly built database and media as the baseline (atomically: workers race here)."""
    target = baseline_dir()
    if (target / "db.sqlite3").exists():
        return
    staging = BASELINES / f".{uuid.uuid4().hex}"
    staging.mkdir(parents=True)
    # SQLite's backup API copies a consistent database even in WAL mode, with the connection open.
    with sqlite3.connect(database) as live, sqlite3.connect(staging / "db.sqlite3") as copy:
        live.backup(copy)
    copy.close()
    live.close()
    if media_root.exists():
        shutil.copytree(media_root, staging / "media")
    try:
        staging.rename(target)
    except OSError:  # another worker saved the same baseline first
        shutil.rmtree(staging, ignore_errors=True)
    # Older baselines are of no use once the code changed.
    for old in BASELINES.iterdir():
        if old.name != target.name and not old.name.startswith("."):
            shutil.rmtree(old, ignore_errors=True)
