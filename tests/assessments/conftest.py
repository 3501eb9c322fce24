"""Quiz fixtures: the curriculum's quizzes, a small quiz with every question type, and answer builders."""

from decimal import Decimal

import pytest

from tests import factories
from tests.fixtures import PIN_BACKEND, ROLES, STAFF_BACKEND, sign_in_as  # noqa: F401 — used by the suite's tests


@pytest.fixture
def module_quiz(modules):
    """The Spanish quiz of module 1, as load_curriculum created it."""
    from assessments.models import Quiz

    return Quiz.objects.get(page=modules[0], locale__language_code="es")


@pytest.fixture
def costs_quiz(modules):
    """Module 5 (Costs): the one with numeric questions."""
    from assessments.models import Quiz

    return Quiz.objects.get(page=modules[4], locale__language_code="es")


def build_quiz(page, **settings):
    """A quiz with one question of each type, in this order: single, multiple, true_false, picture, numeric."""
    from courses.services import illustration_image

    quiz = factories.QuizFactory(page=page, **settings)
    single = factories.QuestionFactory(
        quiz=quiz,
        kind="single",
        sort_order=0,
        text="¿Cuál es el color del cielo?",
        explanation="El cielo de día es azul.",
    )
    factories.OptionFactory(question=single, label="Azul", is_correct=True, sort_order=0)
    factories.OptionFactory(question=single, label="Verde", sort_order=1, feedback="El verde es de las hojas.")
    factories.OptionFactory(question=single, label="Rojo", sort_order=2)
    multiple = factories.QuestionFactory(quiz=quiz, kind="multiple", sort_order=1, text="¿Qué son telas?")
    factories.OptionFactory(question=multiple, label="Manta", is_correct=True, sort_order=0)
    factories.OptionFactory(question=multiple, label="Lana", is_correct=True, sort_order=1)
    factories.OptionFactory(question=multiple, label="Piedra", sort_order=2)
    true_false = factories.QuestionFactory(quiz=quiz, kind="true_false", sort_order=2, text="El hilo se corta.")
    factories.OptionFactory(question=true_false, label="Verdadero", is_correct=True, sort_order=0)
    factories.OptionFactory(question=true_false, label="Falso", sort_order=1)
    picture = factories.QuestionFactory(quiz=quiz, kind="picture", sort_order=3, text="¿Cuál es de tonos tierra?")
    factories.OptionFactory(
        question=picture, label="Tierra", is_correct=True, sort_order=0, image=illustration_image("swatch_earth")
    )
    factories.OptionFactory(question=picture, label="Fríos", sort_order=1, image=illustration_image("swatch_cool"))
    factories.QuestionFactory(
        quiz=quiz,
        kind="numeric",
        sort_order=4,
        text="¿Cuánto es 200 + 50?",
        answer=Decimal("250"),
        tolerance=Decimal("10"),
        unit="pesos",
    )
    return quiz


@pytest.fixture
def quiz(modules):
    """A small quiz with every question type, on module 2 (replacing nothing: a test quiz on a lesson-free spot)."""
    from assessments.models import Quiz

    Quiz.objects.filter(page=modules[1]).delete()
    return build_quiz(modules[1])


def answers_for(quiz, *, right: bool = True) -> dict:
    """POST data answering every question right (or every one wrong)."""
    data = {}
    for question in quiz.questions.order_by("sort_order").prefetch_related("options"):
        name = f"q{question.pk}"
        if question.kind == "numeric":
            data[name] = str(question.answer if right else question.answer + question.tolerance + 100)
            continue
        options = list(question.options.all())
        correct = [str(o.pk) for o in options if o.is_correct]
        wrong = [str(o.pk) for o in options if not o.is_correct]
        if question.kind == "multiple":
            data[name] = correct if right else wrong
        else:
            data[name] = correct[0] if right else wrong[0]
    return data


def take_token(client, quiz) -> str:
    """The one-time token of a freshly rendered quiz form."""
    import re

    html = client.get(f"/quizzes/{quiz.pk}/").content.decode()
    match = re.search(r'name="token" value="([^"]+)"', html)
    assert match, "the quiz page has no form token"
    return match.group(1)


@pytest.fixture
def artisan_client(client, artisan):  # noqa: F811 — the shared fixture
    client.force_login(artisan.user, backend=PIN_BACKEND)
    return client
