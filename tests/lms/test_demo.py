"""`make run` demo data: idempotent, and every printed sign-in works."""

import io
import re

import pytest
from django.core.management import call_command

from lms.demo import COHORT, IN_BOTH, SECOND_COHORT, SECOND_PROGRAMME_SLUG
from people.models import ArtisanProfile, Cohort, CommunityCentre, User
from people.roles import is_facilitator
from people.services import artisan_pin_check

pytestmark = pytest.mark.django_db


def run() -> str:
    out = io.StringIO()
    call_command("load_demo", "--force", stdout=out)
    return out.getvalue()


def test_load_demo_is_idempotent_and_prints_how_to_sign_in(client):
    first = run()
    counts = (
        CommunityCentre.objects.count(),
        Cohort.objects.count(),
        ArtisanProfile.objects.count(),
        User.objects.count(),
    )
    second = run()
    assert counts == (
        CommunityCentre.objects.count(),
        Cohort.objects.count(),
        ArtisanProfile.objects.count(),
        User.objects.count(),
    )
    assert "0 created" in second
    centre = CommunityCentre.objects.get(municipality="Huixtán")
    cohort = centre.cohorts.get(name=COHORT["name"])
    assert cohort.artisans.count() == 12
    second = centre.cohorts.get(name=SECOND_COHORT["name"])  # the second programme's (issue 18)
    assert second.programme.slug == SECOND_PROGRAMME_SLUG and second.artisans.count() == 2
    in_both = ArtisanProfile.objects.get(external_id=IN_BOTH)
    assert set(in_both.user.enrolments.values_list("cohort_id", flat=True)) == {cohort.pk, second.pk}
    facilitator = User.objects.get(username="facilitadora")
    assert is_facilitator(facilitator) and cohort.facilitators.filter(pk=facilitator.pk).exists()
    pins = re.findall(r"^\s+(\S+(?: \S\.)?)\s+PIN (\d{4})\s+\((.+)\)$", first, re.M)
    assert len(pins) == 12 + 2
    for _label, pin, full_name in pins:
        profile = ArtisanProfile.objects.get(full_name=full_name)
        assert artisan_pin_check(user=profile.user, pin=pin).ok
    assert "facilitadora" in first and "/sign-in/" in first and "admin" in first
    # The address printed for each demo login leads, once signed in, where she works: the facilitator
    # to her workspace, the admin and the editor to Wagtail.
    for role, username, password, lands in [
        ("Facilitator", "facilitadora", "telar-facilitadora-demo", "/facilitator/"),
        ("Admin", "admin", "telar-admin-demo", "/admin/"),
        ("Editor", "editora", "telar-editora-demo", "/admin/"),
    ]:
        start = re.search(rf"{role}\s+(\S+)", first).group(1)
        assert start == "/staff/sign-in/", role
        client.logout()
        landed = client.post(start, {"username": username, "password": password})
        assert landed.status_code == 302 and landed["Location"] == lands, role


def test_demo_artisans_have_some_progress_to_show(client):
    from progress.models import LessonCompletion

    run()
    assert LessonCompletion.objects.filter(user__artisan__external_id="HUX-001").count() == 8
