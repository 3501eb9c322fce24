"""The origin printed on certificates follows the port the development server serves on."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def origin_with(environment: dict) -> str:
    code = "import django; django.setup(); from django.conf import settings; print(settings.WAGTAILADMIN_BASE_URL)"
    env = {key: value for key, value in os.environ.items() if key not in ("PORT", "WAGTAILADMIN_BASE_URL")}
    env.update(environment, DJANGO_SETTINGS_MODULE="lms.settings.dev")
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    ).stdout.strip()


def test_make_run_on_another_port_prints_that_port_in_qr_codes():
    assert origin_with({}) == "http://127.0.0.1:8000"
    assert origin_with({"PORT": "8123"}) == "http://127.0.0.1:8123"
    assert origin_with({"PORT": "8123", "WAGTAILADMIN_BASE_URL": "https://telar.example"}) == "https://telar.example"
