"""The bench prints each goal of issue 17 with its figure, the static baseline beside it, and met or not."""

from __future__ import annotations

import pytest

from bench import measure

pytestmark = pytest.mark.django_db


def _row(name, rps, static_rps, status=200):
    row = measure.LoadRow(name, size=100, status=status)
    row.dynamic = {"rps": rps, "p50_us": 1000, "p95_us": 2000, "errors": 0, "cpu_ms": 2.0}
    row.static = {"rps": static_rps, "p50_us": 500, "p95_us": 900, "errors": 0, "cpu_ms": 0.3}
    return row


def test_each_goal_is_printed_with_the_static_baseline_and_its_verdict():
    results = measure.Results(meta={"counts": {}})
    results.load = [
        _row("Lesson page (artisan)", 600, 2000),  # 1/3.3: met
        _row("Quiz page (artisan)", 100, 2000),  # 1/20: not met
        _row("Lesson repeat visit (artisan, If-None-Match)", 900, 2000, status=304),
    ]
    results.pages = [measure.PageRow("Lesson", "artisan", queries=5), measure.PageRow("Quiz", "artisan", queries=9)]
    results.workers = [(1, 120.0, 70.0), (2, 118.0, 95.0)]
    lines = measure.goals(results)
    table = "\n".join(lines)
    lesson = next(line for line in lines if line.startswith("| Signed-in lesson ≥ 1/5"))
    assert "600 req/s = 1/3.3 of static" in lesson and "2000 req/s" in lesson and lesson.endswith("✅ |")
    assert next(line for line in lines if line.startswith("| Quiz page ≥ 1/5")).endswith("❌ |")
    assert next(line for line in lines if line.startswith("| Signed-in lesson ≤ 8")).endswith("✅ |")
    assert next(line for line in lines if line.startswith("| Quiz page ≤ 8")).endswith("❌ |")
    assert next(line for line in lines if line.startswith("| Repeat visit to an unchanged")).endswith("✅ |")
    assert next(line for line in lines if line.startswith("| Mi avance ≥ 1/5")).endswith("— |")  # not measured
    assert next(line for line in lines if line.startswith("| Lesson done ≥ 1/10")).endswith("— |")
    assert "95 MB" in table and next(line for line in lines if "worker ≤ 90 MB" in line).endswith("❌ |")
    assert next(line for line in lines if "install ≤ 250 MB" in line).endswith("— |")  # not measured

    results.install = {"mb": 233.8, "top": [["av", 101.8], ["fonttools", 23.3]]}
    install = next(line for line in measure.goals(results) if "install ≤ 250 MB" in line)
    assert "234 MB" in install and "av 102 MB" in install and install.endswith("✅ |")
    results.install["mb"] = 251.0
    assert next(line for line in measure.goals(results) if "install ≤ 250 MB" in line).endswith("❌ |")


def test_worker_memory_reads_rss_and_pss_of_a_process_children():
    import os
    import subprocess
    import sys

    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        found = measure._worker_memory(os.getpid())
        assert child.pid in [pid for pid, _rss, _pss in found]
    finally:
        child.kill()
        child.wait()
    assert all(rss >= pss > 0 for _pid, rss, pss in measure._worker_memory(os.getpid()))


def test_the_cohort_grid_cpu_goal_is_printed_with_its_verdict():
    results = measure.Results(meta={"counts": {}})
    results.grid_cpu = {"ms": 55.0, "static_ms": 0.4, "runs": 10}
    line = next(line for line in measure.goals(results) if line.startswith("| Cohort grid for 200 ≤ 40 ms"))
    assert "55.0 ms CPU/req" in line and "0.4 ms" in line and line.endswith("❌ |")
    results.grid_cpu = {"ms": 30.0, "static_ms": 0.4, "runs": 10}
    assert next(line for line in measure.goals(results) if "Cohort grid for 200" in line).endswith("✅ |")
    results.grid_cpu = None
    assert next(line for line in measure.goals(results) if "Cohort grid for 200" in line).endswith("— |")


def test_header_bytes_count_the_status_line_every_header_cookies_and_the_servers_own():
    from django.http import HttpResponse

    response = HttpResponse(b"hola", content_type="text/plain")
    response.set_cookie("csrftoken", "x" * 32)
    counted = measure.header_bytes(response)
    sent = (
        "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
        f"Set-Cookie: {response.cookies['csrftoken'].OutputString()}\r\n"
        + "".join(f"{header}\r\n" for header in measure.SERVER_HEADERS)
        + "\r\n"
    )
    assert counted == len(sent.encode())
