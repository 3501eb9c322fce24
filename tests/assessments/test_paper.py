"""Paper: a printable PDF of each quiz (no answers) and the facilitator's paper results for her cohorts."""

import datetime
import io
import re
import time
import uuid

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from pypdf import PdfReader

from assessments.models import Attempt, Quiz
from assessments.services import paper_results_record
from tests import factories
from tests.assessments.conftest import STAFF_BACKEND, sign_in_as

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes) -> tuple[str, PdfReader]:
    reader = PdfReader(io.BytesIO(content))
    text = " ".join(page.extract_text() for page in reader.pages)
    return re.sub(r"\s+", " ", text), reader


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


# --- The printable quiz --------------------------------------------------------------------------


def test_every_quiz_prints_with_its_questions_and_no_answers(client, facilitator):
    client.force_login(facilitator, backend=STAFF_BACKEND)
    slowest = 0.0
    for quiz in Quiz.objects.filter(live=True).select_related("locale"):
        started = time.perf_counter()
        response = client.get(f"/quizzes/{quiz.pk}/print.pdf")
        slowest = max(slowest, time.perf_counter() - started)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        text, reader = pdf_text(response.content)
        assert squash(quiz.title) in text
        for question in quiz.questions.prefetch_related("options"):
            assert squash(question.text)[:40] in text, (quiz.title, question.text)
            if question.explanation:
                assert squash(question.explanation)[:40] not in text, "no explanation on paper"
            for option in question.options.all():
                assert squash(option.label)[:30] in text
                if option.feedback:
                    assert squash(option.feedback)[:30] not in text, "no option feedback on paper"
        assert ("Nombre" in text) == (quiz.locale.language_code == "es")
        if quiz.questions.filter(kind="picture").exists():
            assert sum(len(page.images) for page in reader.pages) >= 2, "picture options are printed"
    print(f"slowest quiz PDF: {slowest:.2f} s")


def test_the_printed_quiz_does_not_depend_on_the_answers(client, facilitator, costs_quiz):
    """Flip every correct answer: the printed text stays the same."""
    from assessments.models import Option, Question

    client.force_login(facilitator, backend=STAFF_BACKEND)
    before, _reader = pdf_text(client.get(f"/quizzes/{costs_quiz.pk}/print.pdf").content)
    for option in Option.objects.filter(question__quiz=costs_quiz):
        option.is_correct = not option.is_correct
        option.save()
    Question.objects.filter(quiz=costs_quiz, kind="numeric").update(answer=7, tolerance=3)
    after, _reader = pdf_text(client.get(f"/quizzes/{costs_quiz.pk}/print.pdf").content)
    assert before == after
    assert "pesos" in before, "numeric questions print their unit beside the blank"


# --- Paper results -------------------------------------------------------------------------------


def _form(client, cohort, quiz):
    html = client.get(f"/quizzes/paper/{cohort.pk}/{quiz.pk}/").content.decode()
    token = re.search(r'name="token" value="([^"]+)"', html).group(1)
    return html, token


def test_facilitator_records_paper_scores_once(client, facilitator, cohort, module_quiz):
    artisans = [factories.ArtisanFactory(cohort=cohort, pin=False) for _ in range(3)]
    client.force_login(facilitator, backend=STAFF_BACKEND)
    html, token = _form(client, cohort, module_quiz)
    for profile in artisans:
        assert profile.full_name in html
    data = {
        "token": token,
        "taken_on": "2026-03-10",
        f"score_{artisans[0].user_id}": "85",
        f"score_{artisans[1].user_id}": "40",
        f"score_{artisans[2].user_id}": "",
    }
    first = client.post(f"/quizzes/paper/{cohort.pk}/{module_quiz.pk}/", data)
    again = client.post(f"/quizzes/paper/{cohort.pk}/{module_quiz.pk}/", data)
    assert first.status_code == again.status_code == 303
    attempts = Attempt.objects.order_by("score")
    assert [(a.user_id, a.score, a.passed, a.source) for a in attempts] == [
        (artisans[1].user_id, 40, False, "paper"),
        (artisans[0].user_id, 85, True, "paper"),
    ]
    assert all(a.recorded_by == facilitator and a.taken_on == datetime.date(2026, 3, 10) for a in attempts)
    assert all(a.module_key == module_quiz.page.translation_key for a in attempts)
    page = client.get(f"/quizzes/paper/{cohort.pk}/{module_quiz.pk}/").content.decode()
    assert "Guardados: 2 resultados en papel." in page
    assert "85%" in page


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("score", "120"),
        ("score", "-1"),
        ("score", "mucho"),
        ("taken_on", "2099-01-01"),
        ("taken_on", "ayer"),
        ("score", ""),
    ],
)
def test_bad_paper_input_saves_nothing(client, facilitator, cohort, module_quiz, field, value):
    profile = factories.ArtisanFactory(cohort=cohort, pin=False)
    other = factories.ArtisanFactory(cohort=cohort, pin=False)
    client.force_login(facilitator, backend=STAFF_BACKEND)
    _html, token = _form(client, cohort, module_quiz)
    data = {"token": token, "taken_on": "2026-03-10", f"score_{profile.user_id}": "90", f"score_{other.user_id}": ""}
    if field == "score":
        data[f"score_{profile.user_id}"] = value
    else:
        data["taken_on"] = value
    response = client.post(f"/quizzes/paper/{cohort.pk}/{module_quiz.pk}/", data)
    assert response.status_code == 200
    assert "errorlist" in response.content.decode() or 'class="notice notice--error"' in response.content.decode()
    assert not Attempt.objects.exists()


def test_a_forged_token_saves_nothing(client, facilitator, cohort, module_quiz):
    profile = factories.ArtisanFactory(cohort=cohort, pin=False)
    client.force_login(facilitator, backend=STAFF_BACKEND)
    response = client.post(
        f"/quizzes/paper/{cohort.pk}/{module_quiz.pk}/",
        {"token": "x", "taken_on": "2026-03-10", f"score_{profile.user_id}": "90"},
    )
    assert response.status_code == 200
    assert not Attempt.objects.exists()


def test_only_artisans_of_her_cohorts(client, facilitator, cohort, module_quiz):
    other_cohort = factories.CohortFactory()
    outsider = factories.ArtisanFactory(cohort=other_cohort, pin=False)
    client.force_login(facilitator, backend=STAFF_BACKEND)
    assert client.get(f"/quizzes/paper/{other_cohort.pk}/{module_quiz.pk}/").status_code == 404
    _html, token = _form(client, cohort, module_quiz)
    member = factories.ArtisanFactory(cohort=cohort, pin=False)
    response = client.post(
        f"/quizzes/paper/{cohort.pk}/{module_quiz.pk}/",
        {"token": token, "taken_on": "2026-03-10", f"score_{outsider.user_id}": "90", f"score_{member.user_id}": "70"},
    )
    assert response.status_code == 303
    assert list(Attempt.objects.values_list("user_id", flat=True)) == [member.user_id], "a stray field is ignored"
    with pytest.raises(PermissionDenied):
        paper_results_record(
            recorded_by=facilitator,
            quiz=module_quiz,
            cohort=cohort,
            taken_on=timezone.localdate(),
            scores={outsider.user_id: 90},
            token=uuid.uuid4(),
        )
    with pytest.raises(PermissionDenied):
        paper_results_record(
            recorded_by=facilitator,
            quiz=module_quiz,
            cohort=other_cohort,
            taken_on=timezone.localdate(),
            scores={outsider.user_id: 90},
            token=uuid.uuid4(),
        )


def test_paper_results_of_an_unpublished_modules_quiz_are_a_404(client, facilitator, cohort, modules, module_quiz):
    client.force_login(facilitator, backend=STAFF_BACKEND)
    modules[0].unpublish()
    assert client.get(f"/quizzes/paper/{cohort.pk}/{module_quiz.pk}/").status_code == 404
    assert client.get(f"/quizzes/{module_quiz.pk}/print.pdf").status_code == 404


def test_paper_index_lists_her_cohorts_and_the_module_quizzes(client, facilitator, cohort):
    client.force_login(facilitator, backend=STAFF_BACKEND)
    factories.CohortFactory(name="Otro grupo")
    html = client.get("/quizzes/paper/").content.decode()
    assert cohort.name in html and "Otro grupo" not in html
    assert html.count("print.pdf") == Quiz.objects.filter(locale__language_code="es").count()  # any can be printed
    for quiz in Quiz.objects.filter(locale__language_code="es"):
        # Her cohort records the quizzes of its own programme's modules (issue 18), not the second programme's.
        under = quiz.page.get_parent().pk == cohort.programme_id
        assert (f"/quizzes/paper/{cohort.pk}/{quiz.pk}/" in html) is under
    assert html.count(f"/quizzes/paper/{cohort.pk}/") == 6
    english = client.get("/en/quizzes/paper/").content.decode()
    assert "Quiz: Costs and a fair price" in english


@pytest.mark.parametrize("role", ["guest", "artisan", "facilitator", "editor", "programme", "admin"])
def test_permission_matrix_for_paper_views(client, request, role, cohort, module_quiz):
    sign_in_as(client, role, request)
    urls = ["/quizzes/paper/", f"/quizzes/paper/{cohort.pk}/{module_quiz.pk}/", f"/quizzes/{module_quiz.pk}/print.pdf"]
    expected = {"guest": 302, "artisan": 403, "facilitator": 200, "editor": 403, "programme": 200, "admin": 200}[role]
    for url in urls:
        response = client.get(url)
        assert response.status_code == expected, (role, url)
        if role == "guest":
            assert response["Location"].startswith("/staff/sign-in/")
    post = client.post(f"/quizzes/paper/{cohort.pk}/{module_quiz.pk}/", {"taken_on": "2026-03-10"})
    assert post.status_code == (200 if expected == 200 else expected)
    assert not Attempt.objects.exists()
