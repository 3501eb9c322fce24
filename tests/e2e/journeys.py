"""What the browser journeys need in the database, built through the apps' own services.

live_server runs on transactional_db, which empties the database after each test (the session
curriculum is gone, Wagtail's root page and collection too). Loading the curriculum from scratch
takes tens of seconds, so the first journey builds the baseline (curriculum, quizzes, the demo
centre with its artisans and facilitator, editors' permissions) and keeps a serialised copy;
later journeys restore that copy in a second or two, the way Django's serialized_rollback does.
"""

from __future__ import annotations

import datetime
import importlib
import json
import os
import uuid
from dataclasses import dataclass
from decimal import Decimal

from django.apps import apps
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, transaction

DEMO_ARTISANS = {  # external id → (full name, preferred name, PIN) from lms.demo
    "HUX-001": ("María Pérez Gómez", "María", "4827"),
    "HUX-002": ("Juana López Hernández", "Juanita", "5913"),
    "HUX-003": ("Rosa Gómez Sántiz", "Rosa", "7352"),
    "HUX-004": ("Petrona Díaz López", "Petrona", "2694"),
    "HUX-005": ("Micaela Hernández Pérez", "Mica", "8461"),  # also in the second programme's cohort
}
FACILITATOR = ("facilitadora", "telar-facilitadora-demo")
EDITOR = ("editora-e2e", "telar-editora-e2e-2026")

_snapshot: dict[str, str] = {}


def _wagtail_roots() -> None:
    from wagtail.models import Collection, Locale, Page

    locale, _created = Locale.objects.get_or_create(language_code="es")
    if not Page.objects.filter(depth=1).exists():
        Page.add_root(instance=Page(title="Root", slug="root", locale=locale))
    if not Collection.objects.exists():
        Collection.add_root(name="Root")


def _grant_editor_permissions() -> None:
    """Re-run the data migrations that give the Editors group its permissions (a flush removed them)."""
    for module in ("courses.migrations.0002_editor_permissions", "assessments.migrations.0002_editor_permissions"):
        try:
            migration = importlib.import_module(module)
        except ImportError:
            continue
        for name in ("grant", "forwards", "grant_permissions"):
            function = getattr(migration, name, None)
            if function is not None:
                function(apps, None)
                break


def _build_baseline() -> None:
    from lms.demo import load_demo_people
    from people.services import staff_user_ensure

    _wagtail_roots()
    with open(os.devnull, "w") as quiet:
        call_command("load_curriculum", stdout=quiet)
    _grant_editor_permissions()
    staff_user_ensure(username=EDITOR[0], password=EDITOR[1], groups=("Editors",), first_name="Editora")
    load_demo_people()


def _restore(data: str) -> None:
    from django.contrib.contenttypes.models import ContentType
    from django.core import serializers

    rows = json.loads(data)
    content_types = [row for row in rows if row["model"] == "contenttypes.contenttype"]
    with transaction.atomic():
        # What the flush left: content types and permissions recreated by post_migrate, with new ids.
        # The copy's content types go in first: building a page instance looks its type up.
        ContentType.objects.all().delete()
        for item in serializers.deserialize("json", json.dumps(content_types)):
            item.save()
        ContentType.objects.clear_cache()
        others = [row for row in rows if row["model"] != "contenttypes.contenttype"]
        connection.creation.deserialize_db_from_string(json.dumps(others))
    ContentType.objects.clear_cache()


def baseline() -> None:
    """The curriculum, its quizzes, the demo people and an editor: restored when a copy exists."""
    from people.models import ArtisanProfile

    cache.clear()
    if ArtisanProfile.objects.filter(external_id="HUX-001").exists():
        _build_baseline()  # idempotent: fills in only what is missing
    elif "data" in _snapshot:
        try:
            _restore(_snapshot["data"])
        except Exception as error:  # noqa: BLE001 - an unusable copy only costs the time of a full load
            print(f"e2e baseline: restoring the copy failed ({error!r}); loading everything again")
            _snapshot.clear()
            from django.contrib.contenttypes.models import ContentType

            ContentType.objects.clear_cache()
            _build_baseline()
    else:
        _build_baseline()
    if "data" not in _snapshot:
        _snapshot["data"] = connection.creation.serialize_db_to_string()
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
    cache.clear()


# --- People ---------------------------------------------------------------------------------------


@dataclass
class Artisan:
    user: object
    full_name: str
    preferred_name: str
    pin: str
    centre: str
    cohort: str


def artisan(external_id: str) -> Artisan:
    from people.models import ArtisanProfile

    profile = ArtisanProfile.objects.select_related("user", "cohort__centre").get(external_id=external_id)
    full_name, preferred, pin = DEMO_ARTISANS[external_id]
    return Artisan(profile.user, full_name, preferred, pin, profile.cohort.centre.name, profile.cohort.name)


def facilitator():
    from people.models import User

    return User.objects.get(username=FACILITATOR[0])


def programme_lessons():
    """The Spanish modules and their lessons, in order."""
    from progress.selectors import programme_structure

    structure = programme_structure(language="es")
    return [(module, structure.lessons[module.translation_key]) for module in structure.modules]


def module_quiz(module):
    from assessments.models import Quiz

    return Quiz.objects.filter(page=module, live=True).first()


def correct_answers(quiz) -> dict[int, list[int] | Decimal]:
    """question id → the right option ids (or the right number): what a well-prepared artisan answers."""
    from assessments.models import QuestionKind
    from assessments.selectors import quiz_questions

    answers: dict[int, list[int] | Decimal] = {}
    for question in quiz_questions(quiz):
        if question.kind == QuestionKind.NUMERIC:
            answers[question.pk] = Decimal(question.answer)
        else:
            answers[question.pk] = sorted(option.pk for option in question.options.all() if option.is_correct)
    return answers


def finish_everything_but_the_last(artisan: Artisan) -> tuple:
    """Every lesson done and every quiz passed except the last lesson and the last module's quiz.

    Returns (last module, last lesson, last quiz): what the journey does in the browser.
    """
    from assessments.services import attempt_submit
    from progress.services import lesson_mark_done

    modules = programme_lessons()
    last_module, last_lessons = modules[-1]
    for module, lessons in modules:
        for lesson in lessons:
            if lesson.pk != last_lessons[-1].pk:
                lesson_mark_done(user=artisan.user, lesson=lesson.specific if hasattr(lesson, "specific") else lesson)
        quiz = module_quiz(module)
        if quiz is not None and module.pk != last_module.pk:
            attempt_submit(user=artisan.user, quiz=quiz, answers=correct_answers(quiz), token=uuid.uuid4())
    return last_module, last_lessons[-1], module_quiz(last_module)


def held_sessions(*, count: int = 5, present: list | None = None) -> list:
    """Past sessions of the demo cohort (one a week, one per module) with everyone present."""
    from attendance.services import Entry, attendance_save, sessions_create_series
    from people.models import Cohort

    by = facilitator()
    cohort = Cohort.objects.get(facilitators=by)
    modules = [module for module, _lessons in programme_lessons()][:count]
    first = datetime.date.today() - datetime.timedelta(weeks=count)
    series = sessions_create_series(
        cohort=cohort,
        first_date=first,
        start_time=datetime.time(10, 0),
        created_by=by,
        modules=modules,
        place="Salón comunal",
    )
    members = list(cohort.artisans.values_list("user_id", flat=True))
    chosen = members if present is None else [user.pk for user in present]
    for session in series.created + series.existing:
        attendance_save(
            session=session, entries=[Entry(artisan_id=i, status="present") for i in chosen], recorded_by=by
        )
    return series.created + series.existing


# --- Accessibility: axe-core (npm ci installs it from package.json; a test-only tool) ---------------------

AXE = os.path.join(
    os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
    "node_modules",
    "axe-core",
    "axe.min.js",
)
AXE_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  return result.violations
    .filter((v) => v.impact === 'critical' || v.impact === 'serious')
    .map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
}"""


def axe_serious(page) -> list[str]:
    """The critical and serious axe-core violations of the page as it is now (JavaScript journeys only).

    axe is evaluated through the browser's debugging protocol, not added as a <script>, so the page's
    Content-Security-Policy stays as strict as it is for her.
    """
    import pytest

    if not os.path.isfile(AXE):
        pytest.skip(f"axe-core not installed at {AXE}: run `npm ci` (package.json)")
    with open(AXE, encoding="utf-8") as handle:
        page.evaluate(handle.read() + "\n;0")
    return page.evaluate(AXE_RUN)
