"""Hostile input never makes a 500, and a refused input writes nothing.

Every form Telar shows is found on its page (as each role sees it), then submitted with values
Hypothesis makes hostile: control characters, bidi marks, huge and odd numbers, very long text,
missing and repeated fields. The sync endpoint gets JSON of every shape, nested thousands deep.
Runs on SQLite and on PostgreSQL (which refuses NUL in text: a 500 there if not caught).
"""

from __future__ import annotations

import json
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests import factories
from tests.fixtures import PIN_BACKEND, STAFF_BACKEND

pytestmark = pytest.mark.django_db

HOSTILE_TEXT = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        [
            "",
            "\x00",
            "a\x00b",
            "\x07\x1b[31m",
            "\u202eziuR",
            '=HYPERLINK("http://x")',
            "9" * 400,
            "-" + "9" * 30,
            "1e309",
            "nan",
            "0x1f",
            "٣",
            "2026-02-30",
            "31/12/99999",
            "25:99",
            "<script>alert(1)</script>",
            "' OR 1=1 --",
            "ʼ" * 5000,
            "x" * 100_000,
        ]
    ),
)


class Forms(HTMLParser):
    """The forms of a page: (method, action, field names, their first values)."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form":
            self.forms.append(
                {
                    "method": (attributes.get("method") or "get").lower(),
                    "action": attributes.get("action"),
                    "fields": {},
                }
            )
        elif tag in ("input", "select", "textarea", "button") and self.forms and attributes.get("name"):
            fields = self.forms[-1]["fields"]
            fields.setdefault(attributes["name"], attributes.get("value") or "")


def forms_of(client: Client, url: str) -> list[dict]:
    response = client.get(url)
    if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
        return []
    parser = Forms()
    parser.feed(response.content.decode())
    for form in parser.forms:
        form["action"] = form["action"] or url
    return parser.forms


def table_sizes() -> dict[str, int]:
    telar = ("people", "courses", "assessments", "progress", "attendance", "certificates", "core", "offline")
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label in telar and not model._meta.proxy
    }


@pytest.fixture
def world(cohort, facilitator, modules):
    from assessments.models import Quiz
    from tests.attendance.factories import SessionFactory

    artisan = factories.ArtisanFactory(cohort=cohort, full_name="Ana Ruiz", preferred_name="Ana")
    session = SessionFactory(cohort=cohort)
    session.facilitators.add(facilitator)
    quiz = Quiz.objects.filter(locale__language_code="es").first()
    lesson = modules[0].get_children().live().first()
    return {"artisan": artisan, "session": session, "quiz": quiz, "lesson": lesson, "cohort": cohort}


def pages(world) -> dict[str, list[str]]:
    cohort, artisan = world["cohort"], world["artisan"]
    return {
        "guest": [
            "/sign-in/",
            f"/sign-in/centre/{cohort.centre_id}/",
            f"/sign-in/cohort/{cohort.pk}/",
            f"/sign-in/artisan/{artisan.user_id}/",
            "/certificates/verify/",
            "/admin/login/",
        ],
        "artisan": [world["lesson"].url, f"/quizzes/{world['quiz'].pk}/", "/progress/"],
        "facilitator": [
            f"/facilitator/cohorts/{cohort.pk}/",
            f"/facilitator/sessions/{world['session'].pk}/",
            f"/facilitator/cohorts/{cohort.pk}/import/",
            "/quizzes/paper/",
            f"/quizzes/paper/{cohort.pk}/{world['quiz'].pk}/",
        ],
    }


def signed_in(role: str, world, facilitator) -> Client:
    client = Client()
    if role == "artisan":
        client.force_login(world["artisan"].user, backend=PIN_BACKEND)
    elif role == "facilitator":
        client.force_login(facilitator, backend=STAFF_BACKEND)
    return client


@pytest.mark.parametrize("role", ["guest", "artisan", "facilitator"])
def test_every_form_answers_hostile_values_without_a_500_and_writes_nothing_when_it_refuses(role, world, facilitator):
    client = signed_in(role, world, facilitator)
    found = [form for url in pages(world)[role] for form in forms_of(client, url)]
    assert found, "the pages show forms"

    @settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(data=st.data())
    def submit(data):
        form = data.draw(st.sampled_from(found))
        values = {}
        for name, value in form["fields"].items():
            if name == "csrfmiddlewaretoken":
                values[name] = value
            elif data.draw(st.booleans()):
                values[name] = data.draw(HOSTILE_TEXT)
        before = table_sizes()
        send = client.post if form["method"] == "post" else client.get
        response = send(form["action"], values)
        assert response.status_code < 500, (form["action"], values, response.status_code)
        if response.status_code >= 400 or (response.status_code == 200 and form["method"] == "post"):
            assert table_sizes() == before, (form["action"], values)

    submit()


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | HOSTILE_TEXT,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(HOSTILE_TEXT, children, max_size=4),
    max_leaves=20,
)


@pytest.mark.parametrize("role", ["guest", "artisan"])
def test_the_sync_endpoint_answers_any_json_without_a_500(role, world, facilitator):
    client = signed_in(role, world, facilitator)

    @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(
        body=st.one_of(
            JSON_VALUES.map(json.dumps),
            st.builds(lambda items: json.dumps({"items": items}), st.lists(JSON_VALUES, max_size=5)),
            st.builds(
                lambda url, body: json.dumps({"items": [{"id": 1, "url": url, "body": body, "at": "x"}]}),
                HOSTILE_TEXT,
                HOSTILE_TEXT,
            ),
            st.sampled_from(["[" * 100_000, '{"items": ' + "[" * 50_000, "\x00", "{", "\ufeff{}"]),
        )
    )
    def post(body):
        before = table_sizes()
        response = client.post("/offline/sync/", body, content_type="application/json")
        assert response.status_code < 500, (body[:200], response.status_code)
        assert table_sizes() == before

    post()


def test_a_400_digit_module_id_in_the_session_form_is_refused(client, cohort, facilitator, world):
    client.force_login(facilitator, backend=STAFF_BACKEND)
    form = next(
        form
        for form in forms_of(client, f"/facilitator/cohorts/{cohort.pk}/")
        if form["method"] == "post" and "module" in form["fields"]
    )
    before = table_sizes()
    response = client.post(form["action"], {**form["fields"], "date": "2026-12-01", "module": "9" * 400})
    assert response.status_code in (200, 400)
    assert table_sizes() == before
