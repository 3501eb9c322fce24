"""Narration, end to end: any upload becomes small mono Opus (real PyAV, both ways), measured and shown before
she taps play; the demo narrates every Spanish lesson and question; bad files change nothing."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.utils import translation

from assessments.models import Question, Quiz
from courses import audio, voice
from courses.models import LessonPage, Narration
from courses.services import (
    CURRICULUM_DIR,
    NARRATION_FOLDER,
    load_all_curricula,
    narration_store,
    programme_directories,
    read_curriculum,
)
from tests.budgets import PAGE_BUDGET, css_bytes, gzipped, main_of, subresources
from tests.courses.sounds import KINDS, decoded, encoder_available, sine
from tests.fixtures import PIN_BACKEND

ADD_URL = "/admin/snippets/courses/narration/add/"


def narration_numbers(narrations) -> dict[str, float]:
    """Bytes a minute of listening and the bitrate, over the given narrations (the bench's audio figures)."""
    seconds = sum(narration.seconds for narration in narrations)
    size = sum(narration.size for narration in narrations)
    return {
        "count": len(narrations),
        "minutes": round(seconds / 60, 1),
        "kilobytes": round(size / 1024),
        "bytes_per_minute": round(size / seconds * 60),
        "kbit_per_second": round(size * 8 / seconds / 1000, 1),
    }


def lesson_first_visit_bytes(client, lesson) -> tuple[int, list[str]]:
    """What a first visit costs without playing: the page and its stylesheet compressed, and every URL the
    page makes the browser fetch on load (audio with preload="none" is not one of them)."""
    response = client.get(lesson.url)
    html = response.content.decode()
    return gzipped(response.content) + css_bytes(), subresources(html)


# --- Transcoding (no database) --------------------------------------------------------------------


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_kind_of_upload_becomes_small_mono_opus(kind):
    codec = KINDS[kind][1]
    if not encoder_available(codec):
        pytest.skip(f"this PyAV has no {codec} encoder to make a {kind} test file")
    source = sine(kind, seconds=3.0, stereo=True)
    result = audio.transcode(io.BytesIO(source), size=len(source))
    name, channels, _rate, seconds = decoded(result.data)
    assert (name, channels) == ("opus", 1)
    assert result.data[:4] == b"OggS"
    assert abs(seconds - 3.0) < 0.1, seconds
    assert abs(result.seconds - 3.0) < 0.1
    assert result.bits_per_second <= 24_000, result.bits_per_second


def test_a_minute_of_upload_costs_at_most_about_150_kb():
    source = sine("wav", seconds=60.0, frequency=220)
    result = audio.transcode(io.BytesIO(source), size=len(source))
    assert 59.5 < result.seconds < 60.5
    assert result.size <= 24_000 / 8 * 60  # ≤ 24 kbit/s
    assert result.size < len(source) / 20


@pytest.mark.parametrize(
    "data",
    [
        b"Hola, esto no es audio.\n" * 40,
        b"\x00" * 4096,
        bytes(range(256)) * 64,
        b"",
    ],
    ids=["text", "zeros", "noise", "empty"],
)
def test_what_is_not_sound_is_refused_with_a_message(data):
    with translation.override("es"), pytest.raises(audio.AudioError) as error:
        audio.transcode(io.BytesIO(data), size=len(data))
    assert str(error.value)


def test_a_damaged_recording_is_refused():
    source = sine("m4a", seconds=2.0)
    damaged = source[: len(source) // 3]  # the moov atom of an .m4a is at the end: cut off
    with pytest.raises(audio.AudioError):
        audio.transcode(io.BytesIO(damaged), size=len(damaged))


def test_an_image_has_no_sound():
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (32, 32), "red").save(buffer, format="PNG")
    with translation.override("es"), pytest.raises(audio.AudioError, match="no tiene sonido"):
        audio.transcode(io.BytesIO(buffer.getvalue()))


@override_settings(TELAR_NARRATION_MAX_SECONDS=2)
def test_a_recording_too_long_is_refused():
    source = sine("wav", seconds=4.0)
    with translation.override("es"), pytest.raises(audio.AudioError, match="más de 0 minutos|más larga"):
        audio.transcode(io.BytesIO(source), size=len(source))


@override_settings(TELAR_NARRATION_MAX_UPLOAD_BYTES=1024 * 1024)
def test_a_file_too_big_is_refused_before_decoding():
    with translation.override("es"), pytest.raises(audio.AudioError, match="demasiado grande"):
        audio.transcode(io.BytesIO(b"not even read"), size=2 * 1024 * 1024)


def test_labels_say_length_and_size_before_playing():
    with translation.override("es"):
        assert audio.listen_label(120, 240 * 1024) == "2 min · 240 KB"
        assert audio.listen_label(45, 5_000) == "45 s · 5 KB"
        assert audio.listen_label(151, 218_497) == "3 min · 214 KB"
        assert audio.size_label(1_300_000).endswith("MB")


# --- The committed demo narrations -----------------------------------------------------------------


def test_every_spanish_lesson_and_question_has_a_committed_narration_for_its_current_text():
    """Edit a lesson's Spanish text without running ``manage.py narrate_curriculum`` and this fails."""
    total = 0
    for directory in programme_directories():
        folder = directory / NARRATION_FOLDER
        manifest = voice.read_manifest(folder)
        _programme, modules = read_curriculum(directory)
        for name, text in voice.scripts(modules):
            path = folder / f"{name}.{audio.EXTENSION}"
            assert path.is_file(), path
            assert manifest.get(name) == voice.digest(text), f"{path.name} is stale: run manage.py narrate_curriculum"
            total += path.stat().st_size
    assert total < 8 * 1024 * 1024, total
    print(f"committed narrations: {total / 1024:.0f} KB")


def test_committed_narrations_are_low_bitrate_mono_opus():
    path = next((CURRICULUM_DIR / NARRATION_FOLDER).glob("*.ogg"))
    data = path.read_bytes()
    name, channels, _rate, seconds = decoded(data)
    assert (name, channels) == ("opus", 1)
    assert abs(audio.probe_seconds(io.BytesIO(data)) - seconds) < 0.1
    assert len(data) * 8 / seconds <= 10_000


def test_a_question_is_read_with_its_options():
    question = {"es": {"text": "¿Qué es la autoestima?"}, "options": [{"es": "A"}, {"es": "B"}, {"es": "C"}]}
    assert voice.question_script(question) == "¿Qué es la autoestima?\nPuedes responder:\nA.\nB.\nO: C."


# --- The loaded curriculum -----------------------------------------------------------------------


@pytest.mark.django_db
def test_every_spanish_lesson_and_question_plays_a_synthetic_narration():
    lessons = list(LessonPage.objects.live().filter(locale__language_code="es").select_related("narration"))
    assert len(lessons) >= 40
    for lesson in lessons:
        assert lesson.narration is not None, lesson.slug
        assert lesson.narration.synthetic and lesson.narration.seconds > 10 and lesson.narration.size > 0
        assert lesson.narration.file.storage.exists(lesson.narration.file.name)
        assert "Idea clave" in lesson.narration.transcript or lesson.narration.transcript
    questions = Question.objects.filter(quiz__locale__language_code="es", quiz__live=True)
    assert questions.count() >= 70
    assert not questions.filter(audio__isnull=True).exists()
    english = LessonPage.objects.filter(locale__language_code="en")
    assert english.exists() and not english.filter(narration__isnull=False).exists()
    print("demo narrations:", narration_numbers([lesson.narration for lesson in lessons]))


@pytest.mark.django_db
def test_loading_again_makes_nothing_and_keeps_an_editors_recording(lesson):
    count = Narration.objects.count()
    transcoded = audio.transcode(io.BytesIO(sine("mp3")))
    recorded = narration_store(narration=Narration(title="Grabación de Rosa"), transcoded=transcoded, name="r.mp3")
    lesson.narration = recorded
    lesson.save_revision().publish()
    synthetic_question = Question.objects.filter(quiz__locale__language_code="es").first()
    synthetic_question.audio = None
    synthetic_question.save()
    load_all_curricula()
    lesson.refresh_from_db()
    assert lesson.narration_id == recorded.pk
    assert Narration.objects.count() == count + 1
    assert not recorded.synthetic


@pytest.mark.django_db
def test_a_lesson_without_narration_is_narrated_by_a_new_load(lesson):
    narration = lesson.narration
    lesson.narration = None
    lesson.save_revision().publish()
    load_all_curricula()
    lesson.refresh_from_db()
    assert lesson.narration_id == narration.pk
    assert lesson.get_latest_revision().as_object().narration_id == narration.pk


@pytest.mark.django_db
def test_a_translation_starts_without_the_spanish_voice(lesson):
    from wagtail.models import Locale

    locale, _created = Locale.objects.get_or_create(language_code="tzo")
    translated = lesson.copy_for_translation(locale, copy_parents=True)
    assert lesson.narration_id is not None
    assert translated.specific.narration_id is None


# --- What she sees and spends ---------------------------------------------------------------------


@pytest.mark.django_db
def test_the_lesson_shows_a_large_listen_button_that_downloads_nothing_before_play(client, lesson):
    with translation.override("es"):
        label = lesson.narration.listen_label
    response = client.get(lesson.url)
    html = main_of(response.content.decode())
    assert html.count("<audio") == 1
    assert 'preload="none"' in html and "autoplay" not in html
    assert "Escuchar" in html and label in html
    assert html.index("Escuchar") < html.index("lesson__body")  # at the top of the lesson
    assert f'src="{lesson.narration.url}"' in html
    total, fetched = lesson_first_visit_bytes(client, lesson)
    assert not any(url.endswith(".ogg") or "/media/" in url for url in fetched)
    assert total <= PAGE_BUDGET


@pytest.mark.django_db
def test_a_lesson_without_audio_keeps_its_bytes(client, lesson):
    with_audio, _fetched = lesson_first_visit_bytes(client, lesson)
    lesson.narration = None
    lesson.save_revision().publish()  # as an editor removes it (a queryset update would skip the tree version)
    without = client.get(lesson.url).content
    assert b"<audio" not in without and b'class="listen' not in without
    without_audio = gzipped(without) + css_bytes()
    # The player is a button and an <audio> tag: a few hundred bytes of markup, never audio.
    assert 0 < with_audio - without_audio <= 260, (with_audio, without_audio)
    print(f"lesson first visit: {without_audio} B without narration, {with_audio} B with (not playing)")


@pytest.mark.django_db
def test_quiz_questions_carry_their_narration(client, artisan):
    quiz = Quiz.objects.filter(locale__language_code="es", live=True).first()
    client.force_login(artisan.user, backend=PIN_BACKEND)
    html = client.get(f"/quizzes/{quiz.pk}/").content.decode()
    assert html.count("<audio") == quiz.questions.count()
    assert html.count('preload="none"') == html.count("<audio")
    assert "Escuchar la pregunta" in html


# --- The editor's upload ---------------------------------------------------------------------------


def _upload(kind: str, data: bytes | None = None) -> SimpleUploadedFile:
    extension = KINDS[kind][2] if kind in KINDS else kind
    return SimpleUploadedFile(f"nota.{extension}", data if data is not None else sine(kind), "audio/mpeg")


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["ogg", "m4a", "amr"])
def test_an_editor_uploads_a_voice_note(client, editor, kind):
    client.force_login(editor)
    assert client.get(ADD_URL).status_code == 200
    response = client.post(ADD_URL, {"title": "Nota de voz", "upload": _upload(kind), "transcript": ""})
    assert response.status_code == 302, response.content.decode()[:2000]
    narration = Narration.objects.get(title="Nota de voz")
    assert narration.file.name.endswith(".ogg") and not narration.synthetic
    assert narration.seconds == 2 and 1_000 < narration.size < 8_000
    with narration.file.open("rb") as handle:
        assert decoded(handle.read())[:2] == ("opus", 1)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "message"),
    [(b"%PDF-1.4 not a sound", "no es una grabación"), (b"", "está vacío")],
    ids=["not-audio", "empty"],
)
def test_a_bad_upload_says_why_and_saves_nothing(client, editor, data, message):
    client.force_login(editor)
    before = Narration.objects.count()
    media = Path(Narration._meta.get_field("file").storage.location) / "narration"
    files_before = set(media.glob("*")) if media.exists() else set()
    with translation.override("es"):
        response = client.post(ADD_URL, {"title": "Mala", "upload": _upload("mp3", data)}, HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Narration.objects.count() == before
    assert (set(media.glob("*")) if media.exists() else set()) == files_before


@pytest.mark.django_db
def test_uploading_over_the_synthetic_voice_replaces_it_everywhere(client, editor, lesson):
    reader = Client()
    first = reader.get(lesson.url)  # a reader's first visit: she keeps the page and its ETag
    assert first.status_code == 200 and first.has_header("ETag")
    before = first.content.decode()
    client.force_login(editor)
    narration = lesson.narration
    assert f'src="{narration.url}"' in before
    edit = f"/admin/snippets/courses/narration/edit/{narration.pk}/"
    html = client.get(edit).content.decode()
    assert 'capture="user"' in html and 'accept="audio/*' in html
    assert narration.file.name.rsplit("/", 1)[-1] in html  # she sees (and can open) the current recording
    response = client.post(edit, {"title": narration.title, "upload": _upload("mp3"), "transcript": "Hola"})
    assert response.status_code == 302
    narration.refresh_from_db()
    assert not narration.synthetic and narration.seconds == 2
    lesson.refresh_from_db()
    assert lesson.narration_id == narration.pk
    again = reader.get(lesson.url, headers={"if-none-match": first["ETag"]})
    assert again.status_code == 200  # not "not modified": the recording she would play changed
    after = again.content.decode()
    assert f'src="{narration.url}"' in after and after != before
    with translation.override("es"):
        assert narration.listen_label in after


@pytest.mark.django_db
def test_the_narration_list_marks_synthetic_voices(client, editor):
    client.force_login(editor)
    html = client.get("/admin/snippets/courses/narration/?synthetic=true").content.decode()
    assert "Sintética: grábala" in html and "Nota de voz" not in html


@pytest.mark.django_db
def test_offline_can_list_a_modules_audio_with_its_size(modules, django_assert_num_queries):
    from courses.selectors import lesson_narrations

    lessons = list(LessonPage.objects.child_of(modules[0]).live().order_by("path"))
    with django_assert_num_queries(1):
        found = lesson_narrations(lessons)
    assert [item["lesson_id"] for item in found] == [lesson.pk for lesson in lessons]
    assert all(item["url"].endswith(".ogg") and item["size"] > 0 and "KB" in item["label"] for item in found)
