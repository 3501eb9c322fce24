"""Certificate fixtures: artisans in a cohort, every role, and helpers that make the rule true or false.

The helpers write real rows (lesson completions, quiz attempts, attendance
records) so that the rule is decided by the real progress, quiz and attendance
selectors, never by a stub.
"""

from __future__ import annotations

import datetime
import io

import pytest
from django.contrib.auth.models import Group
from django.core.files.images import ImageFile
from django.test import TestCase
from django.utils import timezone
from PIL import Image as PILImage
from PIL import ImageDraw

from tests.factories import ArtisanProfileFactory, FacilitatorFactory, StaffUserFactory

ROLES = ["guest", "artisan", "other_artisan", "facilitator", "other_facilitator", "editor", "programme", "admin"]
NAME = "Xunkaʼ Pérez Gómez Ñuñez"  # accents, ñ and the saltillo of Tsotsil spelling


@pytest.fixture
def announced():
    """Every event the recording services emit during the test, in order (delivered after commit, like any)."""
    from certificates.apps import RECORDINGS
    from core import events

    seen = []
    for event_type in RECORDINGS:
        events.subscribe(event_type, seen.append)
    yield seen
    for event_type in RECORDINGS:
        events.unsubscribe(event_type, seen.append)


def after_commit():
    """Run, inside a `db` test, what runs after a real commit: event handlers, then the PDF render they queue.

    pytest-django's `django_capture_on_commit_callbacks(execute=True)`, usable where a fixture is not.
    """
    return TestCase.captureOnCommitCallbacks(execute=True)


def issue_by_hand(user, issued_by, reason="Prueba de constancia", **kwargs):
    """A manual issue as a request makes it: the row, then (after commit) its PDF."""
    from certificates.services import certificate_issue_manual

    with after_commit():
        certificate = certificate_issue_manual(user=user, issued_by=issued_by, reason=reason, **kwargs)
    certificate.refresh_from_db()
    return certificate


def facilitator_for(*cohorts, username: str):
    return FacilitatorFactory(username=username, first_name="Rosa", last_name="Hernández Ruiz", cohorts=cohorts)


def default_lessons(module):
    from courses.models import LessonPage

    return list(LessonPage.objects.child_of(module).live())


def complete_lessons(user, modules, *, skip_last_of=None):
    """Mark every lesson of `modules` done (but the last lesson of `skip_last_of`)."""
    from progress.models import LessonCompletion

    rows = []
    for module in modules:
        lessons = default_lessons(module)
        if skip_last_of is not None and module.pk == skip_last_of.pk:
            lessons = lessons[:-1]
        rows += [LessonCompletion(user=user, lesson_key=lesson.translation_key, language="es") for lesson in lessons]
    LessonCompletion.objects.bulk_create(rows)


def take_quizzes(user, modules, *, score=100, failed_module=None):
    """An online attempt at each module's quiz (a failing score for `failed_module`)."""
    from assessments.grading import paper_passed
    from assessments.models import Attempt
    from assessments.selectors import quiz_for_page

    for module in modules:
        quiz = quiz_for_page(module)
        if quiz is None:
            continue
        mark = 30 if failed_module is not None and module.pk == failed_module.pk else score
        Attempt.objects.create(
            user=user,
            quiz=quiz,
            quiz_key=quiz.translation_key,
            module_key=module.translation_key,
            number=Attempt.objects.filter(user=user, quiz_key=quiz.translation_key).count() + 1,
            score=mark,
            passed=paper_passed(mark, quiz.pass_mark),
            language="es",
        )


def attend(user, cohort, **counts):
    """Sessions of her cohort with her attendance: attend(u, c, present=4, absent=1, late=0, excused=0)."""
    from attendance.models import AttendanceRecord, Session

    day = datetime.date(2026, 3, 2) + datetime.timedelta(days=Session.objects.filter(cohort=cohort).count())
    for status, number in counts.items():
        for _ in range(number):
            session = Session.objects.create(cohort=cohort, date=day, start_time=datetime.time(10), place="Salón")
            day += datetime.timedelta(days=1)
            AttendanceRecord.objects.create(session=session, artisan=user, status=status, recorded_at=timezone.now())


def make_eligible(user, cohort, modules):
    complete_lessons(user, modules)
    take_quizzes(user, modules)
    attend(user, cohort, present=4, absent=1)


def make_image(title: str, size=(600, 240), colour="#8e3b46"):
    from wagtail.images import get_image_model

    buffer = io.BytesIO()
    picture = PILImage.new("RGB", size, "white")
    draw = ImageDraw.Draw(picture)
    draw.ellipse([6, 6, size[0] - 6, size[1] - 6], outline=colour, width=8)
    draw.line([0, size[1] // 2, size[0], size[1] // 3], fill=colour, width=5)
    picture.save(buffer, "PNG")
    buffer.seek(0)
    image = get_image_model()(title=title, file=ImageFile(buffer, name=f"{title}.png"))
    image.save()
    return image


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The verification rate limit lives in the cache: every test starts with an empty counter."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def artisan(cohort):
    return ArtisanProfileFactory(cohort=cohort, full_name=NAME, preferred_name="Xunkaʼ").user


@pytest.fixture
def other_artisan(other_cohort):
    return ArtisanProfileFactory(cohort=other_cohort, full_name="Petrona Santíz López").user


@pytest.fixture
def editor(db):
    user = StaffUserFactory(username="editora-cert")
    user.groups.add(Group.objects.get_or_create(name="Editors")[0])
    return user


@pytest.fixture
def admin_user(db):
    return StaffUserFactory(username="admin-cert", is_superuser=True)


@pytest.fixture
def users(artisan, other_artisan, facilitator, other_facilitator, editor, programme_staff, admin_user):
    return {
        "guest": None,
        "artisan": artisan,
        "other_artisan": other_artisan,
        "facilitator": facilitator,
        "other_facilitator": other_facilitator,
        "editor": editor,
        "programme": programme_staff,
        "admin": admin_user,
    }


@pytest.fixture
def certificate(artisan, facilitator, programme):
    """A valid certificate of `artisan` with its stored PDF (issued by hand: no rule needed)."""
    return issue_by_hand(artisan, facilitator)


@pytest.fixture
def certificate_template(db):
    """The certificate template with an organisation, a logo and a signature, as an admin sets it."""
    from wagtail.models import Site

    from certificates.models import CertificateSettings

    return CertificateSettings.objects.create(
        site=Site.objects.get(is_default_site=True),
        organisation_name="Cooperativa Telar de Chiapas",
        signatory_name="Ana López Méndez",
        signatory_role="Coordinadora del programa",
        logo=make_image("logo-telar"),
        signature=make_image("firma", size=(800, 250), colour="#1d2a66"),
    )


def login(client, user):
    if user is not None:
        client.force_login(user)
    return client
