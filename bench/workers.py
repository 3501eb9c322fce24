"""What one gunicorn worker costs in memory after serving Telar's pages (issue 17: ≤ 90 MB PSS).

    python -m bench.workers [--scale small] [--workers 3] [--duration 5] [--posts] [--config gunicorn.conf.py]

Starts gunicorn on 127.0.0.1 as the README's production command does (``--preload``, sync workers,
``--config``), on the bench data set (bench.datagen; ``small`` is enough: memory hardly depends on
the number of artisans), then sends each worker lesson pages, quiz pages and "Mi avance" (and with
``--posts`` quiz answers and an attendance list, as bench.run's load) for ``--duration`` seconds per
page with wrk, and reads every worker's RSS and PSS from
/proc/<pid>/smaps_rollup. PSS divides the pages shared with the master and the other workers among
them: what each worker adds. ``--config ''`` runs without the configuration file, for comparison.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from bench import datagen

BASE_DIR = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=sorted(datagen.SCALES), default="small")
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--duration", type=int, default=5, help="Seconds of wrk per page (default 5).")
    parser.add_argument("--config", default="gunicorn.conf.py", help="gunicorn's --config ('' for none).")
    parser.add_argument("--posts", action="store_true", help="Also the quiz submit and the attendance save.")
    parser.add_argument("--json", action="store_true", help="Print one JSON line instead of a table.")
    args = parser.parse_args(argv)
    if not shutil.which("wrk"):
        print("wrk is not installed (apt-get install -y wrk)", file=sys.stderr)
        return 2

    meta = datagen.ensure(args.scale)
    from bench.measure import (
        LUA,
        _check_plan,
        _free_port,
        _restore_after_load,
        _wait_for,
        _worker_memory,
        _wrk,
        collect_static,
        plan_attendance_save,
        plan_lesson,
        plan_mi_avance,
        plan_quiz_page,
        plan_quiz_submit,
    )

    collect_static()
    plans = [plan_lesson(meta), plan_quiz_page(meta), plan_mi_avance(meta)]
    if args.posts:  # as bench.run's load: quiz answers graded and recorded, attendance for 40 saved (undone after)
        plans += [plan_quiz_submit(meta, max(2000, args.duration * 400)), plan_attendance_save(meta)]
    for plan in plans:
        _check_plan(plan)
    work = Path(tempfile.mkdtemp(prefix="telar-workers-"))
    script = work / "bench.lua"
    script.write_text(LUA)
    port = _free_port()
    gunicorn = shutil.which("gunicorn", path=str(BASE_DIR / ".venv" / "bin")) or "gunicorn"
    command = [gunicorn, "lms.wsgi", "--workers", str(args.workers), "--bind", f"127.0.0.1:{port}", "--preload"]
    command += ["--log-level", "warning", "--timeout", "60"]
    command += ["--config", args.config] if args.config else ["--config", os.devnull]
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings"}
    started = datetime.datetime.now(datetime.UTC)
    process = subprocess.Popen(command, cwd=BASE_DIR, env=env)
    requests = 0
    try:
        _wait_for(port, process)
        for index, plan in enumerate(plans):
            requests_file = work / f"requests-{index}.tsv"
            requests_file.write_text("\n".join(plan.lines) + "\n")
            data = _wrk(
                port,
                str(script),
                plan.row.method,
                plan.row.path,
                duration=args.duration,
                threads=2,
                connections=6,
                requests_file=requests_file,
            )
            requests += data["requests"]
            if data["errors"]:
                print(f"{plan.row.name}: {data['errors']} errors", file=sys.stderr)
        workers = _worker_memory(process.pid)
        master_kb = _master_memory(process.pid)
    finally:
        _restore_after_load(meta, started)
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        shutil.rmtree(work, ignore_errors=True)

    result = {
        "config": args.config or None,
        "requests": requests,
        "workers": [{"pid": pid, "rss_mb": round(rss, 1), "pss_mb": round(pss, 1)} for pid, rss, pss in workers],
        "worst_pss_mb": round(max(pss for _pid, _rss, pss in workers), 1) if workers else None,
        "master": master_kb,
    }
    if args.json:
        print(json.dumps(result))
    else:
        print(f"gunicorn --preload, {len(workers)} workers, config {args.config or 'none'}; {requests} requests")
        for pid, rss, pss in workers:
            print(f"  worker {pid}: RSS {rss:.1f} MB, PSS {pss:.1f} MB")
        if master_kb:
            print(f"  master: RSS {master_kb[0]:.1f} MB, PSS {master_kb[1]:.1f} MB")
        worst = result["worst_pss_mb"]
        print(f"A worker ≤ 90 MB (PSS, worst worker): {worst} MB {'✅' if worst is not None and worst <= 90 else '❌'}")
    return 0


def _master_memory(pid: int) -> tuple[float, float] | None:
    try:
        fields = dict(
            line.split(":", 1) for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines() if ":" in line
        )
    except OSError:
        return None
    return int(fields["Rss"].split()[0]) / 1024, int(fields["Pss"].split()[0]) / 1024


if __name__ == "__main__":
    sys.exit(main())
