"""The roster import measured: rows per second and peak memory of the preview and the confirmation at
10,000 rows, and how fast the spreadsheet bombs of issue 13 are refused, with how much memory.

    python -m bench.imports [--rows 10000] [--output FILE] [--fresh]

Prints a Markdown section and, with ``--output``, appends it to that file. `make bench` (bench/run.py) runs it
after the pages: each measurement runs in its own Python process, so its peak memory
(``ru_maxrss``) is its own, on its own copy of a migrated SQLite database under
``var/bench-imports/`` (built once; ``--fresh`` builds it again). Settings: bench.settings
(production-like, the immediate task backend), pointed at that copy through ``BENCH_DB``.

What is timed is the work of the two tasks (``reports.roster.roster_import``, dry run and real),
the same code the worker runs; the web request only stores the file and queues it.
"""

from __future__ import annotations

import argparse
import datetime
import io
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "var" / "bench-imports"
TEMPLATE = WORK / "migrated.sqlite3"
CENTRES = ["Huixtán", "Oxchuc", "Chamula", "Zinacantán", "Tenejapa"]
NAMES = ["María", "Loxaʼ", "Xunkaʼ", "Petrona", "Rosa", "Juana", "Micaela", "Pascuala", "Tonik", "Manuela"]
SURNAMES = ["Pérez", "Hernández", "Gómez", "López", "Santiz", "Díaz", "Ñuñez", "Jiménez", "Girón", "Méndez"]
HEADER = ["ID", "Nombre(s)", "Apellido paterno", "Apellido materno", "Centro", "Municipio", "Grupo", "Lengua"]
HEADER += ["Consentimiento", "Fecha de consentimiento"]


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


# --- The sheets ---------------------------------------------------------------------------------


def roster_csv(rows: int) -> bytes:
    """A roster as Excel on Windows saves "CSV UTF-8": BOM, semicolons, split surnames, dd/mm/yyyy, sí/x."""
    lines = [";".join(HEADER)]
    for i in range(rows):
        centre = CENTRES[i % len(CENTRES)]
        lines.append(
            ";".join(
                [
                    f"R-{i:05d}",
                    f"{NAMES[i % 10]} {NAMES[(i // 10) % 10]}",
                    SURNAMES[(i // 100) % 10],
                    SURNAMES[(i // 7) % 10],
                    centre,
                    centre,
                    f"Grupo {i % 2 + 1}",
                    ("tzo", "Tseltal", "español")[i % 3],
                    ("sí", "SI", "x", "no")[i % 4],
                    f"{i % 28 + 1:02d}/0{i % 9 + 1}/2026",
                ]
            )
        )
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8")


def _workbook_with(member: str, write) -> bytes:
    """A minimal XLSX whose ``member`` part is streamed by ``write(handle)`` (a bomb is never held in memory)."""
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/'
            'workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType='
            '"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
            '2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
            '<sheet name="Padrón" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.'
            'openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
            "</Relationships>"
        ),
        "xl/worksheets/sheet1.xml": (
            '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
            '2006/main"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>'
        ),
        "xl/sharedStrings.xml": (
            '<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/'
            'main"><si><t>Nombre completo</t></si></sst>'
        ),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, text in parts.items():
            if name == member:
                with archive.open(name, "w", force_zip64=True) as handle:
                    write(handle)
            else:
                archive.writestr(name, text)
    return out.getvalue()


def shared_string_bomb(expanded: int = 400_000_000) -> bytes:
    """One shared string of ``expanded`` bytes (issue 13: 390 KB that expanded to 400 MB)."""

    def write(handle):
        handle.write(b"<sst xmlns='http://schemas.openxmlformats.org/spreadsheetml/2006/main'><si><t>")
        chunk = b"A" * 1_000_000
        for _ in range(expanded // len(chunk)):
            handle.write(chunk)
        handle.write(b"</t></si></sst>")

    return _workbook_with("xl/sharedStrings.xml", write)


def wide_row_bomb(cells: int = 2_000_000) -> bytes:
    """One row of ``cells`` cells (issue 13: 104 KB, 2 M cells)."""

    def write(handle):
        handle.write(b"<worksheet xmlns='http://schemas.openxmlformats.org/spreadsheetml/2006/main'><sheetData><row>")
        for _ in range(cells // 10_000):
            handle.write(b"<c><v>1</v></c>" * 10_000)
        handle.write(b"</row></sheetData></worksheet>")

    return _workbook_with("xl/worksheets/sheet1.xml", write)


def long_cell_csv(size: int = 128 * 1024 + 1) -> bytes:
    return b'Nombre completo;Grupo\r\n"' + b"a" * size + b'";Grupo 1\r\n'


# --- The measurements (each in its own process) -------------------------------------------------


def _setup_django(database: Path) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    os.environ["BENCH_DB"] = str(database)
    os.environ["BENCH_DIR"] = str(WORK)
    import django

    django.setup()


def _prepare_cohorts() -> None:
    """The centres and cohorts the sheet names (cohorts exist: the bench needs no programme pages)."""
    from people.models import Cohort, CommunityCentre

    for name in CENTRES:
        centre, _ = CommunityCentre.objects.get_or_create(name=name, defaults={"municipality": name})
        for number in (1, 2):
            Cohort.objects.get_or_create(
                centre=centre, name=f"Grupo {number}", defaults={"start_date": datetime.date(2026, 2, 2)}
            )


def child(kind: str, database: Path, rows: int) -> dict:
    """Run one measurement; the result as a dict (printed as one JSON line for the parent)."""
    if kind in ("shared_string_bomb", "wide_row_bomb", "long_cell_csv"):
        content = globals()[kind]()
        _setup_django(database)
        from reports.roster import roster_import

        before = _rss_mb()
        started = time.perf_counter()
        outcome = roster_import(
            content=content, filename=f"{kind}.xlsx" if "bomb" in kind else "x.csv", user=None, dry_run=True
        )
        spent = time.perf_counter() - started
        return {
            "kind": kind,
            "bytes": len(content),
            "refused": not outcome.ok and bool(outcome.file_error),
            "message": outcome.file_error,
            "seconds": spent,
            "peak_rss_mb": _rss_mb(),
            "rss_growth_mb": _rss_mb() - before,
        }
    _setup_django(database)
    from django.db import connection

    from people.models import ArtisanProfile
    from reports.roster import roster_import

    _prepare_cohorts()
    content = roster_csv(rows)
    before = _rss_mb()
    result: dict = {"kind": kind, "rows": rows, "bytes": len(content)}
    if kind == "confirm_then_reimport":
        started = time.perf_counter()
        outcome = roster_import(content=content, filename="padron.csv", user=None, dry_run=False)
        result["confirm_seconds"] = time.perf_counter() - started
        assert outcome.ok, outcome.errors[:5] or outcome.file_error
        result["created"] = ArtisanProfile.objects.count()
        started = time.perf_counter()
        again = roster_import(content=content, filename="padron.csv", user=None, dry_run=True)
        result["reimport_preview_seconds"] = time.perf_counter() - started
        result["reimport_totals"] = again.totals
    else:
        started = time.perf_counter()
        outcome = roster_import(content=content, filename="padron.csv", user=None, dry_run=True)
        result["preview_seconds"] = time.perf_counter() - started
        assert outcome.ok, outcome.errors[:5] or outcome.file_error
        result["totals"] = outcome.totals
    result["peak_rss_mb"] = _rss_mb()
    result["rss_growth_mb"] = _rss_mb() - before
    result["database"] = connection.vendor
    return result


def _template(fresh: bool) -> Path:
    if TEMPLATE.exists() and not fresh:
        return TEMPLATE
    WORK.mkdir(parents=True, exist_ok=True)
    TEMPLATE.unlink(missing_ok=True)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings", "BENCH_DB": str(TEMPLATE), "BENCH_DIR": str(WORK)}
    print("Migrating a fresh database for the import bench ...", file=sys.stderr)
    subprocess.run([sys.executable, "-m", "django", "migrate", "--verbosity", "0"], cwd=ROOT, env=env, check=True)
    return TEMPLATE


def _run(kind: str, rows: int, template: Path) -> dict:
    database = WORK / f"{kind}.sqlite3"
    shutil.copyfile(template, database)
    process = subprocess.run(
        [sys.executable, "-m", "bench.imports", "--child", kind, "--database", str(database), "--rows", str(rows)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    database.unlink(missing_ok=True)
    if process.returncode != 0:
        return {"kind": kind, "error": (process.stderr or process.stdout).strip().splitlines()[-1:]}
    return json.loads(process.stdout.strip().splitlines()[-1])


def render(results: list[dict], rows: int) -> str:
    by_kind = {result["kind"]: result for result in results}
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        f"## Roster import ({rows:,} rows, {stamp})",
        "",
        f"`python -m bench.imports --rows {rows}` on {platform.machine()}, Python {platform.python_version()}, "
        f"{os.cpu_count()} cores, SQLite; each line its own process (peak RSS is the whole process: Django, "
        "Wagtail and the import). The tasks' work is timed (`reports.roster.roster_import`); gunicorn's 30 s "
        "timeout no longer applies to it: it runs in `db_worker`.",
        "",
        "| step | seconds | rows/s | peak RSS (MB) | growth (MB) |",
        "|---|---|---|---|---|",
    ]
    preview = by_kind.get("preview", {})
    confirm = by_kind.get("confirm_then_reimport", {})
    for label, result, key in (
        ("preview (dry run, all new)", preview, "preview_seconds"),
        ("confirm (real import, all new)", confirm, "confirm_seconds"),
        ("preview again (all unchanged)", confirm, "reimport_preview_seconds"),
    ):
        if key in result:
            seconds = result[key]
            lines.append(
                f"| {label} | {seconds:.1f} | {rows / seconds:,.0f} | {result['peak_rss_mb']:.0f} | "
                f"{result['rss_growth_mb']:.0f} |"
            )
        else:
            lines.append(f"| {label} | failed: {result.get('error')} | | | |")
    lines += ["", "| bomb | file size | refused | seconds | peak RSS (MB) | growth (MB) |", "|---|---|---|---|---|---|"]
    for kind, label in (
        ("shared_string_bomb", "XLSX, one shared string of 400 MB"),
        ("wide_row_bomb", "XLSX, one row of 2 M cells"),
        ("long_cell_csv", "CSV, one cell of 128 KB + 1"),
    ):
        result = by_kind.get(kind, {})
        if "seconds" in result:
            lines.append(
                f"| {label} | {result['bytes'] / 1000:,.0f} KB | {'yes' if result['refused'] else 'NO'} | "
                f"{result['seconds']:.3f} | {result['peak_rss_mb']:.0f} | {result['rss_growth_mb']:.1f} |"
            )
        else:
            lines.append(f"| {label} | | failed: {result.get('error')} | | | |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Measure the roster import and the spreadsheet bombs.")
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--output", type=Path, help="Append the section to this Markdown file.")
    parser.add_argument("--fresh", action="store_true", help="Migrate the bench database again.")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--database", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.child, args.database, args.rows)))
        return 0
    template = _template(args.fresh)
    kinds = ("shared_string_bomb", "wide_row_bomb", "long_cell_csv", "preview", "confirm_then_reimport")
    results = []
    for kind in kinds:
        print(f"{kind} ...", file=sys.stderr)
        results.append(_run(kind, args.rows, template))
    section = render(results, args.rows)
    print(section)
    if args.output:
        with args.output.open("a", encoding="utf-8") as handle:
            handle.write("\n" + section)
    return 0


if __name__ == "__main__":
    sys.exit(main())
