import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

pytestmark = pytest.mark.django_db

ROOT = Path(settings.BASE_DIR)


def test_lesson_answers_a_conditional_repeat_with_304(client, lesson):
    first = client.get(lesson.url)
    etag = first.headers.get("ETag")
    assert etag
    repeat = client.get(lesson.url, HTTP_IF_NONE_MATCH=etag)
    assert repeat.status_code == 304
    assert repeat.content == b""


def test_html_is_compressed_when_the_client_accepts_it(client, lesson):
    response = client.get(lesson.url, HTTP_ACCEPT_ENCODING="gzip, br")
    assert response.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response.headers["Vary"]


def test_static_files_are_hashed_compressed_and_cached_for_a_year(tmp_path):
    from django.test import RequestFactory
    from whitenoise.middleware import WhiteNoiseMiddleware

    storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    with override_settings(STATIC_ROOT=tmp_path, STORAGES=storages, DEBUG=False):
        call_command("collectstatic", "--noinput", verbosity=0)
        css = list((tmp_path / "css").glob("telar.*.css"))
        assert css, "hashed stylesheet missing"
        assert Path(f"{css[0]}.gz").exists()
        assert Path(f"{css[0]}.br").exists()
        middleware = WhiteNoiseMiddleware(get_response=lambda request: None)
        url = f"/static/css/{css[0].name}"
        response = middleware(RequestFactory().get(url, HTTP_ACCEPT_ENCODING="br, gzip"))
        assert response.status_code == 200
        assert response.headers["Content-Encoding"] == "br"
        assert "immutable" in response.headers["Cache-Control"]
        assert "max-age=315360000" in response.headers["Cache-Control"]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite only")
def test_sqlite_uses_wal_and_a_busy_timeout():
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] >= 5000


def test_production_settings_pass_the_deploy_check(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "lms.settings.production",
        "SECRET_KEY": "x" * 20 + "-a-long-random-secret-for-the-deploy-check-0123456789",
        "ALLOWED_HOSTS": "telar.example.org",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/test",
        "REDIS_URL": "redis://127.0.0.1:6379/1",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_read_the_environment():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "lms.settings.production",
        "SECRET_KEY": "s" * 60,
        "ALLOWED_HOSTS": "a.example,b.example",
        "DATABASE_URL": "postgres://u@db.example:5432/telar",
        "REDIS_URL": "redis://cache.example:6379/0",
    }
    code = (
        "from django.conf import settings as s;"
        "print(s.ALLOWED_HOSTS, s.DATABASES['default']['ENGINE'], s.CACHES['default']['BACKEND'],"
        " s.TASKS['default']['BACKEND'], s.SESSION_COOKIE_SECURE, s.SECURE_HSTS_SECONDS > 0)"
    )
    out = subprocess.run(
        [sys.executable, "-c", f"import django;django.setup();{code}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout
    assert "['a.example', 'b.example']" in out
    assert "postgresql" in out and "RedisCache" in out and "DatabaseBackend" in out
    assert out.strip().endswith("True True")


def test_health_check(client):
    assert client.get("/healthz").content == b"ok"
