"""Every file Telar sends is named in the interface language (issue 16): core.spreadsheets.export_filename
turns words from the catalogue into the name, so a Spanish interface never downloads "roster-template.xlsx"."""

import re

import pytest
from django.urls import reverse
from django.utils import translation
from wagtail.users.models import UserProfile

from assessments.models import Quiz

pytestmark = pytest.mark.django_db

STAFF = "people.backends.StaffBackend"


def file_name(response) -> str:
    assert response.status_code == 200, response.status_code
    return re.search(r'filename="([^"]+)"', response["Content-Disposition"]).group(1)


def in_language(client, user, language, method, url, data=None):
    """The response with the interface in this language (Wagtail's admin follows her profile's language)."""
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()
    client.force_login(user, backend=STAFF)
    with translation.override(language):
        return getattr(client, method)(url, data or {}, HTTP_ACCEPT_LANGUAGE=language)


@pytest.mark.parametrize(
    ("language", "expected"), [("es", "plantilla-del-padron.xlsx"), ("en", "roster-template.xlsx")]
)
def test_the_roster_template(client, admin_user, language, expected):
    response = in_language(client, admin_user, language, "get", reverse("telar_reports:roster_template"))
    assert file_name(response) == expected


@pytest.mark.parametrize(("language", "start"), [("es", "datos-personales-"), ("en", "personal-data-")])
def test_the_personal_data_download(client, admin_user, artisan, language, start):
    url = reverse("telar_reports:artisan_data_download", args=[artisan.pk])
    name = file_name(in_language(client, admin_user, language, "post", url))
    assert name.startswith(f"{start}{artisan.pk}-") and name.endswith(".json")


@pytest.mark.parametrize(("language", "start"), [("es", "evaluacion-"), ("en", "quiz-")])
def test_the_quiz_sheets_and_the_printed_quiz(client, editor, facilitator, language, start):
    quiz = Quiz.objects.filter(live=True).order_by("pk").first()
    questions = {"es": "preguntas", "en": "questions"}[language]
    response = in_language(client, editor, language, "get", f"/admin/quiz-sheets/{quiz.pk}/questions.csv")
    assert file_name(response) == f"{start}{quiz.pk}-{questions}.csv"
    prefix = "" if language == "es" else f"/{language}"  # the facilitator's pages: the language is in the URL
    response = in_language(client, facilitator, language, "get", f"{prefix}/quizzes/{quiz.pk}/print.pdf")
    assert file_name(response) == f"{start}{quiz.pk}.pdf"


@pytest.mark.parametrize(("language", "start"), [("es", "artesanas-"), ("en", "artisans-")])
def test_the_exports(client, admin_user, language, start):
    data = {"kind": "artisans", "file_format": "csv"}
    response = in_language(client, admin_user, language, "post", reverse("telar_reports:export"), data)
    assert file_name(response).startswith(start)
