"""Every URL × every role, with real ids: the permission policy as the server answers it (issue 14).

The URLs come from the URL configuration (``tests/lms/urlmatrix.py``), so a URL added without a
rule in ``EXPECTED`` fails ``test_every_url_has_a_rule``. Each role then requests every URL, with
ids filled from factories (her cohort, its session, her attempt, her certificate, a bundle, a
quiz...), and every answer is compared with the table. A mismatch is reported with the URL, the
role, what was expected and what came.

Set ``URL_MATRIX_PRINT=<directory>`` to write the observed table there (to review a change, never to copy blindly).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse

from tests import factories
from tests.attendance.factories import SessionFactory
from tests.fixtures import PIN_BACKEND, STAFF_BACKEND
from tests.lms.urlmatrix import Route, telar_routes

pytestmark = pytest.mark.django_db

ROLES = ("guest", "artisan", "other_artisan", "facilitator", "other_facilitator", "editor", "programme", "admin")

# Outcomes: a status code, or where a redirect goes.
SIGN_IN = "sign-in"  # 302 to the artisans' PIN sign-in
LOGIN = "login"  # 302 to the staff sign-in (/staff/sign-in/)
DENIED = "denied"  # 302 to the admin's home with "Sorry, you do not have permission"
MOVED = "302"  # any other redirect (a form that did its work, a canonical URL)

# Which outcomes hand over what the URL guards (a page, a file, a change done).
GRANTED = {200, 202, MOVED}


def outcome(response) -> str | int:
    if response.status_code in (301, 302, 303):
        location = response["Location"]
        if location.startswith("/sign-in/"):
            return SIGN_IN
        if location.startswith("/staff/sign-in/"):
            return LOGIN
        if location == "/admin/":
            return DENIED
        return MOVED
    return response.status_code


# --- The expected table -------------------------------------------------------------------------
# Columns, in order: guest, artisan, other_artisan (an artisan of the other cohort), facilitator
# (of the cohort the ids belong to), other_facilitator (of the other cohort), editor (course
# content only), programme (staff with reports.manage_personal_data), admin (superuser).
#
# The ids are those of `cohort` (the facilitator's), its artisan, her attempt and her certificate.

A, F = 200, 403  # allowed, forbidden

PUBLIC = (A, A, A, A, A, A, A, A)
SIGN_IN_PAGE = PUBLIC
# The artisan's own pages: staff are not artisans (403).
ARTISAN_OWN = (SIGN_IN, A, A, F, F, F, F, F)
# The facilitator workspace on `cohort`: hers, programme staff and admins; never editors.
WORKSPACE = (LOGIN, F, F, A, A, F, A, A)  # lists (each sees her own cohorts)
WORKSPACE_COHORT = (LOGIN, F, F, A, F, F, A, A)
WORKSPACE_COHORT_404 = (LOGIN, F, F, A, 404, F, A, A)  # a cohort not hers is "not found"
# Wagtail admin: guests and artisans go to its sign-in; a missing permission goes to its home.
ADMIN_CONTENT = (LOGIN, LOGIN, LOGIN, DENIED, DENIED, A, DENIED, A)  # quizzes: editors' work
ADMIN_ADMIN_ONLY = (LOGIN, LOGIN, LOGIN, DENIED, DENIED, DENIED, DENIED, A)
ADMIN_PERSONAL = (LOGIN, LOGIN, LOGIN, DENIED, DENIED, DENIED, A, A)  # reports.manage_personal_data
ADMIN_DASHBOARD = (LOGIN, LOGIN, LOGIN, DENIED, DENIED, A, A, A)  # counts and rates, never names
ADMIN_ANY_STAFF = (LOGIN, LOGIN, LOGIN, A, A, A, A, A)  # choosing a quiz: titles only
ADMIN_ARTISANS = (LOGIN, LOGIN, LOGIN, A, A, DENIED, DENIED, A)  # facilitators: their cohorts only
ADMIN_ARTISAN = (LOGIN, LOGIN, LOGIN, A, DENIED, DENIED, DENIED, A)  # one artisan of `cohort`

GENERIC_VIEWS = ("add", "copy", "delete", "edit", "history", "history_results", "index", "index_results", "usage")
NARRATION_VIEWS = ("add", "copy", "delete", "edit", "history", "history_results", "list", "list_results", "usage")
QUIZ_VIEWS = (
    "add",
    "copy",
    "delete",
    "edit",
    "history",
    "history_results",
    "list",
    "list_results",
    "preview_on_add",
    "preview_on_edit",
    "revisions_compare",
    "revisions_revert",
    "revisions_unschedule",
    "revisions_view",
    "unpublish",
    "usage",
)

EXPECTED: dict[str, tuple] = {
    # Public: sign-in, verification, the service worker and offline shell, content pages.
    "healthz": PUBLIC,
    "service_worker": PUBLIC,
    "offline:page": PUBLIC,
    "offline:manifest": PUBLIC,
    "offline:module": PUBLIC,
    "offline:sync": (400, 400, 400, 400, 400, 400, 400, 400),
    "people:sign_in": SIGN_IN_PAGE,
    "people:sign_in_centre": SIGN_IN_PAGE,
    "people:sign_in_cohort": SIGN_IN_PAGE,
    "people:sign_in_pin": SIGN_IN_PAGE,
    "people:sign_in_photo": (404,) * 8,  # only a link signed by her group's name screen (people.pictures)
    "people:sign_out": (SIGN_IN,) * 8,
    # Staff already signed in go on to where they start: facilitators their workspace, the others
    # the Wagtail admin's home (which `outcome` reads as DENIED: a redirect to /admin/).
    "staff:sign_in": (A, A, A, MOVED, MOVED, DENIED, DENIED, DENIED),
    "certificates:index": (MOVED,) * 8,
    "certificates:verify": PUBLIC,
    "certificates:verify_code": PUBLIC,
    "wagtail_serve": PUBLIC,
    "wagtailcore_login": PUBLIC,
    "wagtailcore_authenticate_with_password": (404,) * 8,  # Telar sets no page passwords
    "wagtaildocs_serve": (MOVED,) * 8,  # content (lesson audio): served directly from public media
    "wagtaildocs_authenticate_with_password": (404,) * 8,
    # The artisan's own.
    "progress:mine": ARTISAN_OWN,
    "progress:lesson_done": (SIGN_IN, MOVED, MOVED, F, F, F, F, F),
    "assessments:take": PUBLIC,  # the questions are content; only an artisan gets a form to answer
    "assessments:result": (SIGN_IN, A, 404, 404, 404, 404, 404, 404),  # her attempt: nobody else's to see
    "certificates:mine": (SIGN_IN, A, 404, F, F, F, F, F),
    "certificates:download": (LOGIN, A, 404, A, 404, 404, A, A),
    # The facilitator workspace.
    "attendance:cohorts": WORKSPACE,
    "attendance:cohort": WORKSPACE_COHORT,
    "attendance:cohort_import": WORKSPACE_COHORT,
    # An import job is its owner's only (the world's job id is nobody's: 404), on a cohort she may see.
    "attendance:import_job": (LOGIN, F, F, 404, F, F, 404, 404),
    "attendance:import_confirm": (LOGIN, F, F, 404, F, F, 404, 404),
    "attendance:cohort_csv": WORKSPACE_COHORT,
    "attendance:cohort_xlsx": WORKSPACE_COHORT,
    "attendance:session": WORKSPACE_COHORT,
    "attendance:session_sheet": WORKSPACE_COHORT,
    "attendance:session_csv": WORKSPACE_COHORT,
    "attendance:session_xlsx": WORKSPACE_COHORT,
    "workspace:cohort_progress": WORKSPACE_COHORT,
    # Her artisans (add, name, PIN, unlock): people.permissions.managed_cohorts — programme staff without
    # "change artisan" see the grid but change nobody.
    "workspace:artisans": (LOGIN, F, F, A, F, F, F, A),
    "workspace:artisan": (LOGIN, F, F, A, F, F, F, A),
    "assessments:paper_index": WORKSPACE,
    "assessments:paper_record": WORKSPACE_COHORT_404,
    "assessments:print": WORKSPACE,  # the questions, no names: any facilitator may print a quiz
    "certificates:cohorts": WORKSPACE,
    "certificates:cohort": WORKSPACE_COHORT_404,
    "certificates:issue": WORKSPACE_COHORT_404,
    "certificates:bundle_create": (LOGIN, F, F, MOVED, 404, F, MOVED, MOVED),
    "certificates:bundle": WORKSPACE_COHORT_404,
    "certificates:bundle_pdf": WORKSPACE_COHORT_404,
    # The Wagtail admin screens Telar adds.
    **{f"wagtailsnippets_assessments_quiz:{view}": ADMIN_CONTENT for view in QUIZ_VIEWS},
    **{f"wagtailsnippetchoosers_assessments_quiz:{view}": ADMIN_ANY_STAFF for view in ("choose", "choose_results")},
    **{f"wagtailsnippetchoosers_assessments_quiz:{view}": ADMIN_ANY_STAFF for view in ("chosen", "chosen_multiple")},
    "wagtailsnippetchoosers_assessments_quiz:create": ADMIN_CONTENT,
    # Narrations (courses.Narration): editors upload, replace and choose them; nobody else sees the admin list.
    **{f"wagtailsnippets_courses_narration:{view}": ADMIN_CONTENT for view in NARRATION_VIEWS},
    **{
        f"wagtailsnippetchoosers_courses_narration:{view}": ADMIN_ANY_STAFF  # titles and lengths, as Wagtail does
        for view in ("choose", "choose_results", "chosen", "chosen_multiple")
    },
    "wagtailsnippetchoosers_courses_narration:create": ADMIN_CONTENT,
    "assessments_admin:sheets": ADMIN_CONTENT,  # questions and options, no results
    "assessments_admin:export": ADMIN_CONTENT,
    "assessments_admin:sheets_job": (LOGIN, LOGIN, LOGIN, DENIED, DENIED, 404, DENIED, 404),  # its owner's only
    "assessments_admin:sheets_confirm": (LOGIN, LOGIN, LOGIN, DENIED, DENIED, 404, DENIED, 404),
    "telar_reports:dashboard": ADMIN_DASHBOARD,
    "telar_reports:roster_import": ADMIN_PERSONAL,
    # A roster import job is its owner's only: the world's job id is nobody's, so staff get 404.
    "telar_reports:roster_job": (LOGIN, LOGIN, LOGIN, DENIED, DENIED, DENIED, 404, 404),
    "telar_reports:roster_confirm": (LOGIN, LOGIN, LOGIN, DENIED, DENIED, DENIED, 404, 404),
    "telar_reports:roster_template": ADMIN_PERSONAL,
    "telar_reports:export": ADMIN_PERSONAL,
    "telar_reports:personal_data": ADMIN_PERSONAL,
    "telar_reports:artisan_privacy": ADMIN_PERSONAL,
    "telar_reports:artisan_data_download": ADMIN_PERSONAL,
    "people_artisans:index": ADMIN_ARTISANS,
    "people_artisans:index_results": ADMIN_ARTISANS,
    "people_artisans:add": ADMIN_ARTISANS,
    **{
        f"people_artisans:{view}": ADMIN_ARTISAN
        for view in ("copy", "edit", "history", "history_results", "pin", "unlock", "usage")
    },
    "people_artisans:delete": ADMIN_ADMIN_ONLY,
    **{f"people_cohorts:{view}": ADMIN_ADMIN_ONLY for view in GENERIC_VIEWS},
    **{f"people_centres:{view}": ADMIN_ADMIN_ONLY for view in GENERIC_VIEWS},
    **{f"wagtailusers_users:{view}": ADMIN_ADMIN_ONLY for view in GENERIC_VIEWS},
    **{f"attendance_sessions:{view}": ADMIN_ADMIN_ONLY for view in (*GENERIC_VIEWS, "inspect", "series")},
    **{
        f"certificate:{view}": ADMIN_ADMIN_ONLY
        for view in ("add", "edit", "history", "history_results", "index", "index_results", "usage")
    },
    "certificate:retry_pdfs": (LOGIN, LOGIN, LOGIN, DENIED, DENIED, DENIED, DENIED, MOVED),
}


# --- The world the ids come from ------------------------------------------------------------------


@dataclass
class World:
    cohort: object
    other_cohort: object
    artisan: object
    other_artisan: object
    facilitator: object
    other_facilitator: object
    editor: object
    programme: object
    admin: object
    session: object
    quiz: object
    attempt: object
    certificate: object
    bundle: object
    lesson: object
    module: object
    document: object
    narration: object

    def user(self, role: str):
        return None if role == "guest" else getattr(self, role if role != "programme" else "programme")


@pytest.fixture
def world(
    cohort, other_cohort, facilitator, other_facilitator, editor, programme_staff, admin_user, lesson, modules
) -> World:
    from wagtail.documents.models import Document

    from assessments.models import Quiz
    from certificates.models import CohortBundle
    from tests.certificates.conftest import issue_by_hand

    artisan = factories.ArtisanFactory(cohort=cohort, full_name="María Pérez Gómez", preferred_name="Mari")
    other_artisan = factories.ArtisanFactory(cohort=other_cohort, full_name="Petrona Santíz López")
    quiz = Quiz.objects.filter(live=True, page__modulepage__isnull=False, locale__language_code="es").first()
    quiz.save_revision()
    bundle = CohortBundle.objects.create(
        cohort=cohort, requested_by=facilitator, fingerprint="x", status=CohortBundle.Status.READY
    )
    bundle.pdf.save("bundle.pdf", ContentFile(b"%PDF-1.4 bundle"))
    document = Document.objects.create(title="Audio de prueba", file=ContentFile(b"ID3 audio", name="audio.mp3"))
    return World(
        cohort=cohort,
        other_cohort=other_cohort,
        artisan=artisan,
        other_artisan=other_artisan,
        facilitator=facilitator,
        other_facilitator=other_facilitator,
        editor=editor,
        programme=programme_staff,
        admin=admin_user,
        session=SessionFactory(cohort=cohort),
        quiz=quiz,
        attempt=factories.AttemptFactory(user=artisan.user, quiz=quiz),
        certificate=issue_by_hand(artisan.user, facilitator),
        bundle=bundle,
        lesson=lesson,
        module=modules[0],
        document=document,
        narration=lesson.narration,
    )


# Which object a `pk` names, by the URL's namespace.
PK_OF = {
    "certificates:download": "certificate",
    "certificates:bundle": "bundle",
    "certificates:bundle_pdf": "bundle",
    "people_artisans": "artisan",
    "people_cohorts": "cohort",
    "people_centres": "centre",
    "attendance_sessions": "session",
    "certificate": "certificate",
    "telar_reports": "artisan",
    "wagtailsnippets_assessments_quiz": "quiz",
    "wagtailsnippetchoosers_assessments_quiz": "quiz",
    "wagtailsnippets_courses_narration": "narration",
    "wagtailsnippetchoosers_courses_narration": "narration",
    "wagtailusers_users": "artisan_user",
}

POST = {
    "people:sign_out",
    "progress:lesson_done",
    "certificates:bundle_create",
    "offline:sync",
    "telar_reports:artisan_data_download",
    "certificate:retry_pdfs",
    "telar_reports:roster_confirm",
    "attendance:import_confirm",
    "assessments_admin:sheets_confirm",
}


def _pk(world: World, key: str):
    what = PK_OF.get(key) or PK_OF.get(key.split(":")[0])
    if what == "centre":
        return world.cohort.centre_id
    if what == "artisan_user":
        return world.artisan.user_id
    return getattr(world, what).pk


def _value(world: World, route: Route, param: str):
    values = {
        "cohort_id": world.cohort.pk,
        "centre_id": world.cohort.centre_id,
        "session_id": world.session.pk,
        "user_id": world.artisan.user_id,
        "quiz_id": world.quiz.pk,
        "attempt_id": world.attempt.pk,
        "page_id": world.lesson.pk if route.key == "progress:lesson_done" else world.module.pk,
        "code": world.certificate.display_code,
        "what": "questions",
        "token": "not-a-signed-link",
        "file_format": "csv",
        "revision_id": world.quiz.latest_revision_id,
        "revision_id_a": "earliest",
        "revision_id_b": "latest",
        "restriction_id": 999999,
        "page_view_restriction_id": 999999,
        "profile_id": world.artisan.pk,
        "job_id": "00000000-0000-4000-8000-000000000000",
    }
    if param == "pk":
        return _pk(world, route.key)
    return values[param]


def url_of(world: World, route: Route) -> str:
    if route.key == "wagtail_serve":
        return world.lesson.url
    if route.key == "wagtaildocs_serve":
        return reverse(route.key, args=[world.document.pk, world.document.filename])
    return reverse(route.key, kwargs={param: _value(world, route, param) for param in route.params})


def _client(world: World, role: str) -> Client:
    client = Client()
    if role in ("artisan", "other_artisan"):
        client.force_login(getattr(world, role).user, backend=PIN_BACKEND)
    elif role != "guest":
        client.force_login(world.user(role), backend=STAFF_BACKEND)
    return client


ROUTES = telar_routes()


def test_every_url_has_a_rule():
    keys = {route.key for route in ROUTES}
    missing = sorted(keys - set(EXPECTED))
    stale = sorted(set(EXPECTED) - keys)
    assert not missing, f"URLs without a rule in EXPECTED (say who may open them): {missing}"
    assert not stale, f"rules for URLs that no longer exist: {stale}"
    assert all(len(row) == len(ROLES) for row in EXPECTED.values())


@pytest.mark.parametrize("role", ROLES)
def test_every_url_as_every_role(role, world, settings):
    from django.core.cache import cache

    cache.clear()  # the verification limit counts per client: every role starts with a fresh count
    column = ROLES.index(role)
    observed, wrong = {}, []
    for route in ROUTES:
        client = _client(world, role)
        url = url_of(world, route)
        response = client.post(url) if route.key in POST else client.get(url)
        got = outcome(response)
        observed[route.key] = got
        expected = EXPECTED.get(route.key, (None,) * len(ROLES))[column]
        if got != expected:
            wrong.append(f"{route.key} {url} as {role}: expected {expected}, got {got}")
    if os.environ.get("URL_MATRIX_PRINT"):  # a directory: one file per role, to review a change
        with open(os.path.join(os.environ["URL_MATRIX_PRINT"], f"{role}.tsv"), "w") as out:
            out.writelines(f"{key}\t{got}\n" for key, got in observed.items())
    unexpected_grants = [line for line in wrong if line.rsplit("got ", 1)[1] in {str(g) for g in GRANTED}]
    assert not wrong, f"{len(wrong)} differ ({len(unexpected_grants)} unexpected grants):\n" + "\n".join(wrong)
