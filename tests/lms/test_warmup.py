"""lms/warmup.py: what every first request loads is loaded before the fork, without the database."""

from __future__ import annotations

import sys

from django.template import engines

from lms.warmup import _telar_templates, warm_up


def test_warm_up_loads_the_urls_and_compiles_telars_templates_without_touching_the_database():
    # No django_db mark: any query (or connection) here fails the test.
    compiled = warm_up()
    names = _telar_templates()
    assert compiled == len(names) * len(engines.all()) and len(names) > 50
    assert not any("site-packages" in name for name in names)
    assert {"lms.urls", "people.views", "assessments.views", "wagtail.admin.urls"} <= set(sys.modules)
    loader = engines["django"].engine.template_loaders[0]  # the cached loader (DEBUG off or on)
    assert "courses/lesson_page.html" in names and "courses/lesson_page.html" in loader.get_template_cache


def test_the_heavy_libraries_are_not_loaded_by_serving_code():
    # What a worker imports with the application must not pull in the libraries only uploads, exports
    # and PDFs use (their modules import them inside the functions that need them).
    import subprocess

    code = (
        "import sys, django; django.setup(); import lms.urls, lms.warmup; lms.warmup.warm_up();"
        "print(sorted(m for m in ('av', 'segno', 'openpyxl', 'weasyprint', 'pypdf') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
