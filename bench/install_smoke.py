"""Telar runs from the production install: run by bench.install_size with that environment's Python.

Production settings (DEBUG off) on a throw-away SQLite file and folders under ``TELAR_SMOKE_DIR``:
``check --deploy``, migrate, the curriculum and the demo people, collectstatic, a lesson page as a
guest, a certificate PDF (WeasyPrint, fontTools, Pyphen, segno) and an upload transcoded to Opus
(PyAV). It imports only what requirements.txt installs. Prints one line per step; exits non-zero
at the first failure.
"""

from __future__ import annotations

import io
import math
import os
import struct
import sys
import time
import wave
from pathlib import Path


def main() -> int:
    work = Path(os.environ["TELAR_SMOKE_DIR"])
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "lms.settings.production",
            "SECRET_KEY": "smoke-" + "x" * 60,
            "ALLOWED_HOSTS": "testserver",
            "DATABASE_URL": f"sqlite:///{work / 'db.sqlite3'}",
            "MEDIA_ROOT": str(work / "media"),
            "PRIVATE_MEDIA_ROOT": str(work / "private"),
            "WAGTAILADMIN_BASE_URL": "https://testserver",
        }
    )
    import django
    from django.conf import settings

    settings.STATIC_ROOT = str(work / "static")  # not the project's staticfiles/ (set before anything reads it)
    django.setup()
    from django.core.management import call_command

    def step(name, action):
        started = time.monotonic()
        try:
            result = action()
        except Exception as error:  # noqa: BLE001 — the report names the step that failed
            print(f"FAIL {name}: {type(error).__name__}: {error}", flush=True)
            raise SystemExit(1) from error
        print(f"ok   {name} ({time.monotonic() - started:.1f} s){': ' + result if result else ''}", flush=True)

    step("manage.py check --deploy", lambda: call_command("check", deploy=True, fail_level="WARNING"))
    step("migrate", lambda: call_command("migrate", interactive=False, verbosity=0))
    step("load_curriculum", lambda: call_command("load_curriculum", verbosity=0))
    step("load_demo", lambda: call_command("load_demo", force=True, verbosity=0))
    step("collectstatic", lambda: call_command("collectstatic", interactive=False, verbosity=0))
    step("lesson page", _lesson)
    step("certificate PDF", _certificate)
    step("audio upload → Opus", _audio)
    return 0


def _lesson() -> str:
    from django.test import Client

    from courses.models import LessonPage

    lesson = LessonPage.objects.live().order_by("path").first()
    response = Client().get(lesson.url, secure=True)
    assert response.status_code == 200, response.status_code
    assert lesson.title in response.content.decode(), "the lesson's title is not on its page"
    return f"{lesson.url} {len(response.content)} B"


def _certificate() -> str:
    import datetime

    from certificates import codes
    from certificates.models import Certificate
    from certificates.pdf import render_pdf
    from courses.models import ProgrammePage
    from people.models import ArtisanProfile

    artisan = ArtisanProfile.objects.select_related("user").order_by("pk").first()
    programme = ProgrammePage.objects.live().order_by("path").first()
    certificate = Certificate.objects.create(
        user=artisan.user,
        programme=programme,
        programme_key=programme.translation_key,
        programme_title=programme.title,
        printed_name="Loxaʼ Hernández Núñez",
        language="es",
        issued_on=datetime.date.today(),
        code=codes.generate(),
    )
    data = render_pdf(certificate)
    assert data.startswith(b"%PDF"), data[:8]
    return f"{len(data)} B"


def _audio() -> str:
    from courses import audio

    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as sound:  # two seconds of a 220 Hz tone, 16-bit mono 16 kHz
        sound.setnchannels(1)
        sound.setsampwidth(2)
        sound.setframerate(16_000)
        sound.writeframes(
            b"".join(struct.pack("<h", int(8000 * math.sin(2 * math.pi * 220 * n / 16_000))) for n in range(32_000))
        )
    buffer.seek(0)
    result = audio.transcode(buffer)
    assert result.data[:4] == b"OggS" and 1.5 < result.seconds < 2.5, (result.data[:4], result.seconds)
    return f"{result.size} B Opus, {result.seconds:.1f} s"


if __name__ == "__main__":
    sys.exit(main())
