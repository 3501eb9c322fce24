"""The production install's size (issue 17: ≤ 250 MB), measured on a fresh one.

    python -m bench.install_size [--python python3.11] [--keep DIR] [--no-smoke] [--json]

Builds the production install exactly as the README says (``lms.install``: a venv without pip,
requirements.txt with --no-compile --no-deps, then what Telar never reads removed) in a temporary
folder, with ``--python`` (default: this interpreter; the README's is Python 3.11), and reports
its size as ``du`` does (disk blocks: what the server's disk loses; the bytes of the files are
printed beside it), the largest packages, and whether Telar runs from it (bench/install_smoke.py:
check --deploy, migrate, a lesson, a certificate PDF, an audio transcode). Python then writes the
.pyc of the modules it imports on first use: the size after that run is printed too.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from lms import install as production

BASE_DIR = Path(__file__).resolve().parent.parent
GOAL_MB = 250
MB = 1024 * 1024


def disk_usage(path: Path) -> tuple[int, int]:
    """(bytes of disk blocks, bytes of content) under ``path``, each hard link and symlink once, as du."""
    blocks = content = 0
    seen: set[tuple[int, int]] = set()
    for root, dirs, files in os.walk(path):
        for name in [*dirs, *files]:
            stat = os.lstat(os.path.join(root, name))
            if (stat.st_dev, stat.st_ino) in seen:
                continue
            seen.add((stat.st_dev, stat.st_ino))
            blocks += stat.st_blocks * 512
            content += stat.st_size
    stat = os.lstat(path)
    return blocks + stat.st_blocks * 512, content + stat.st_size


def by_package(packages: Path) -> list[tuple[str, int]]:
    """Disk blocks per distribution (the files its RECORD lists that are still there), largest first."""
    sizes: dict[str, int] = {}
    for record in packages.glob("*.dist-info/RECORD"):
        name = record.parent.name.removesuffix(".dist-info").rsplit("-", 1)[0]
        total = 0
        for line in record.read_text(encoding="utf-8").splitlines():
            path = packages / line.rsplit(",", 2)[0]
            if path.is_file() and not path.is_symlink():
                total += os.lstat(path).st_blocks * 512
        sizes[name] = total
    return sorted(sizes.items(), key=lambda item: -item[1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--python", default=sys.executable, help="The Python that builds (and runs) the install.")
    parser.add_argument("--keep", type=Path, help="Build here and keep it (default: a temporary folder, removed).")
    parser.add_argument("--no-smoke", action="store_true", help="Only measure; do not run Telar from it.")
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="telar-install-"))
    target = args.keep.resolve() if args.keep else work / "venv"
    try:
        # The same steps as `python3.11 -m lms.install DIR`, run by --python (its pip installs).
        subprocess.run(
            [args.python, "-m", "lms.install", str(target)],
            cwd=BASE_DIR,
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE if args.json else None,
        )
        packages = production.site_packages(target)
        blocks, content = disk_usage(target)
        version = subprocess.run(
            [str(target / "bin" / "python"), "-c", "import sys; print(sys.version.split()[0])"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        result: dict = {
            "python": version,
            "mb": round(blocks / MB, 1),
            "content_mb": round(content / MB, 1),
            "goal_mb": GOAL_MB,
            "met": blocks / MB <= GOAL_MB,
            "top": [(name, round(size / MB, 1)) for name, size in by_package(packages)[: args.top]],
        }
        if not args.no_smoke:
            smoke_dir = work / "smoke"
            smoke_dir.mkdir()
            env = {**os.environ, "TELAR_SMOKE_DIR": str(smoke_dir), "PYTHONPATH": str(BASE_DIR)}
            # As on a server: Python writes the .pyc of what it imports (the size after the run counts them).
            env.pop("PYTHONDONTWRITEBYTECODE", None)
            env.pop("DJANGO_SETTINGS_MODULE", None)
            smoke = subprocess.run(
                [str(target / "bin" / "python"), str(BASE_DIR / "bench" / "install_smoke.py")],
                cwd=BASE_DIR,
                env=env,
                capture_output=True,
                text=True,
            )
            result["smoke"] = [line for line in smoke.stdout.splitlines() if line.startswith(("ok ", "FAIL "))]
            result["smoke_ok"] = smoke.returncode == 0
            if smoke.returncode:
                result["smoke"] += smoke.stderr.strip().splitlines()[-15:]
            after, _content = disk_usage(target)
            result["mb_after_run"] = round(after / MB, 1)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    if args.json:
        print(json.dumps(result))
    else:
        print(f"Production install (lms.install, Python {result['python']}): {result['mb']} MB on disk")
        print(f"  ({result['content_mb']} MB of file contents; du counts whole disk blocks)")
        for name, size in result["top"]:
            print(f"  {size:6.1f} MB  {name}")
        for line in result.get("smoke", []):
            print(f"  {line}")
        if "mb_after_run" in result:
            print(f"After that run (Python wrote the .pyc of what it imported): {result['mb_after_run']} MB")
        mark = "✅" if result["met"] else "❌"
        print(f"Production install ≤ {GOAL_MB} MB: {result['mb']} MB {mark}")
    return 0 if result["met"] and result.get("smoke_ok", True) else 1


if __name__ == "__main__":
    sys.exit(main())
