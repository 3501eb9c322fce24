"""`make bench`: measure Telar's budgets on a realistic data set and write bench/RESULTS.md.

    python -m bench.run [--scale small|default|large] [--duration 10] [--skip-load] [--skip-pdf]

1. the data set (bench.datagen; reused when it exists);
2. per page: compressed bytes of HTML + CSS + JS, request count, SQL query count
   (Django test client with CaptureQueriesContext, the real collected static files), and what the
   phone receives on a first visit: every fetch with its headers, the service worker's included;
   the cohort grid for 200's CPU per request (in process, next to a static file);
3. under load: throughput and p50/p95 latency of the lesson page, the quiz submit and the
   attendance save, with wrk against gunicorn on 127.0.0.1, each next to a static file of the
   same size served by the same gunicorn in the same run;
4. certificate PDF render time (median, p95 over 50) and size, and a cohort bundle of 200;
5. the production install's size (bench.install_size: built afresh, ≤ 250 MB);
6. the roster import at 10,000 rows (rows per second, peak memory) and the spreadsheet bombs (bench.imports).

Every measurement runs in its own function: a feature that is missing (or fails) gives a row
that says so, never a crashed run.
"""

from __future__ import annotations

import argparse
import datetime
import os
import subprocess
import sys
import time
from pathlib import Path

from bench import datagen

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Measure Telar's budgets and write bench/RESULTS.md.")
    parser.add_argument("--scale", choices=sorted(datagen.SCALES), default="default")
    parser.add_argument("--fresh", action="store_true", help="Regenerate the data set.")
    parser.add_argument("--duration", type=int, default=10, help="Seconds per wrk run (default 10).")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (default 3, as in the README).")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--pdf-runs", type=int, default=50)
    parser.add_argument("--skip-load", action="store_true")
    parser.add_argument("--skip-pdf", action="store_true")
    parser.add_argument("--output", type=Path, default=RESULTS)
    parser.add_argument("--skip-install", action="store_true", help="Leave out the production install's size.")
    parser.add_argument("--skip-imports", action="store_true", help="Leave out the roster import (bench.imports).")
    parser.add_argument("--import-rows", type=int, default=10_000, help="Rows of the measured roster import.")
    args = parser.parse_args(argv)

    started = datetime.datetime.now(datetime.UTC)
    clock = time.monotonic()
    meta = datagen.ensure(args.scale, fresh=args.fresh)  # points Django at this data set and sets it up
    # The measurements import Telar's models, which exist only once Django is set up on the data set's database.
    from bench.measure import (
        Results,
        _say,
        collect_static,
        machine,
        measure_audio,
        measure_bundle,
        measure_certificate_pdf,
        measure_grid_cpu,
        measure_install,
        measure_load,
        measure_pages,
        render,
    )

    results = Results(meta=meta, notes_machine=machine())
    load_average = os.getloadavg()[0]
    if load_average > 1.0:
        results.notes.append(
            f"Not a quiet machine: load average {load_average:.1f} on {os.cpu_count()} CPUs when the measurements "
            "began (other work shared them). Throughput and latency are then low for Telar and the static file "
            "alike; judge the ratios and the CPU ms per request, and re-run on a quiet machine for the goals."
        )
    _say("Collecting static files ...")
    collect_static()
    _say("Pages ...")
    measure_pages(results)
    _say("Narration ...")
    measure_audio(results)
    _say("Cohort grid CPU ...")
    measure_grid_cpu(results)
    if args.skip_load:
        results.load_setup = "Skipped (--skip-load)."
    else:
        _say("Load ...")
        measure_load(
            results, duration=args.duration, workers=args.workers, threads=args.threads, connections=args.connections
        )
    if args.skip_pdf:
        results.pdf.append(("Certificates", "", "", "", "", "skipped (--skip-pdf)"))
    else:
        _say("Certificates ...")
        measure_certificate_pdf(results, runs=args.pdf_runs)
        measure_bundle(results)
    if not args.skip_install:
        _say("Production install ...")
        measure_install(results)
    args.output.write_text(render(results, started, time.monotonic() - clock), encoding="utf-8")
    if not args.skip_imports:
        # Rows per second, peak memory and the bombs (issue 13): each in its own process, appended below.
        _say("Roster import ...")
        command = [sys.executable, "-m", "bench.imports", "--rows", str(args.import_rows), "--output", str(args.output)]
        if subprocess.run(command, check=False).returncode:
            with args.output.open("a", encoding="utf-8") as out:
                out.write("\n## Roster import\n\nfailed: see the output of `python -m bench.imports`.\n")
    _say(f"Wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
