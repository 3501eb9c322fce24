"""Where the cohort grid for 200 spends its CPU (issue 17): a developer's tool, not part of `make bench`.

    python -m bench.profile_grid [--scale small] [--runs 10] [--profile]

On the bench data set (bench.datagen, the small scale is enough: its cohort 0 has the same 200
artisans who finished as the default one), prints the median CPU ms (time.process_time) of
``cohort_grid`` alone, of the template render alone and of the whole GET through the middleware
(what ``bench.measure.measure_grid_cpu`` reports), with the number of queries; ``--profile`` adds
cProfile's top functions of the whole GET by cumulative time.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import statistics
import sys
import time

from bench import datagen


def _median_ms(call, runs: int) -> float:
    call()
    times = []
    for _ in range(runs):
        before = time.process_time()
        call()
        times.append((time.process_time() - before) * 1000)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=sorted(datagen.SCALES), default="small")
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--top", type=int, default=40)
    args = parser.parse_args(argv)
    meta = datagen.ensure(args.scale)
    # Telar's modules exist only once django.setup() has run on the data set's database.
    from django.db import connection
    from django.template.loader import render_to_string
    from django.test.utils import CaptureQueriesContext
    from django.utils import translation

    from bench.measure import collect_static, page_cohort_grid_200
    from people.models import Cohort
    from workspace.selectors import cohort_grid

    collect_static()
    _row, client, url = page_cohort_grid_200(meta)
    cohort = Cohort.objects.select_related("centre").get(pk=meta["grid_cohort_id"])

    def get():
        response = client.get(url)
        assert response.status_code == 200, response.status_code
        return response

    with translation.override("es"):
        grid = cohort_grid(cohort)
        selector = _median_ms(lambda: cohort_grid(cohort), args.runs)
        context = {"cohort": cohort, "grid": grid, "ready_only": False}
        rendered = _median_ms(lambda: render_to_string("workspace/progress.html", context), args.runs)
    whole = _median_ms(get, args.runs)
    with CaptureQueriesContext(connection) as queries:
        response = get()
    print(f"cohort grid for {len(grid.rows)} artisans, median of {args.runs} (CPU ms):")
    print(f"  cohort_grid   {selector:6.1f}")
    print(f"  render        {rendered:6.1f}")
    print(f"  whole GET     {whole:6.1f}   ({len(queries.captured_queries)} queries, {len(response.content):,} B)")
    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(args.runs):
            get()
        profiler.disable()
        pstats.Stats(profiler, stream=sys.stdout).sort_stats("cumulative").print_stats(args.top)
        pstats.Stats(profiler, stream=sys.stdout).sort_stats("tottime").print_stats(args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
