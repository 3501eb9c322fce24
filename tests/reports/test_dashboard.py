"""The programme dashboard: right numbers, a constant number of queries, cached, SVG without JavaScript."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reports.selectors import build_dashboard, cache_key, dashboard
from tests.reports.bulk import build_programme, cohorts_of

pytestmark = pytest.mark.django_db

# build_dashboard: the programme shown 1 (issue 18: none chosen, the first), cohorts 1, artisans 1, completions 1,
# quiz results (progress) 1, best scores 1, attendance records 1, certificates 1; the programme structure (2),
# the quiz rules (1 for each of the two reads) and the attendance rule (1), read by a worker that has just
# started, are kept per tree version (issue 17).
DASHBOARD_QUERIES = 8


def test_numbers_are_right(modules):
    profiles = build_programme(30, tag="n")
    data = build_dashboard(centre=None, cohort=None)
    mine = [row for row in data.centres if row.name.startswith("Centro n")]
    assert sum(centre.artisans for centre in mine) == 30
    assert data.artisans >= 30
    one = cohorts_of(profiles)[0]
    data = build_dashboard(cohort=one)
    assert data.artisans == 10 and [c.name for c in data.centres] == ["Centro n0"]
    assert data.modules[0].complete == 5  # the even ones of 0, 3, 6, ..., 27
    assert all(module.complete == 0 for module in data.modules[1:])
    assert data.started == 5
    assert data.modules[0].quiz_average == 90.0 and data.modules[0].quiz_takers == 5
    assert data.modules[1].quiz_average is None
    assert data.attendance_rate == pytest.approx(0.5)  # one present, one absent each
    assert data.certificates == 1  # artisans 0, 10 and 20 have one; only 0 is in this cohort
    assert len(data.modules) == 6


def test_constant_queries_whatever_the_number_of_artisans(modules, django_assert_num_queries):
    build_programme(5, tag="s")
    build_dashboard()  # warm ContentType and site caches outside the count
    with django_assert_num_queries(DASHBOARD_QUERIES):
        small = build_dashboard()
    build_programme(1000, tag="l")
    with django_assert_num_queries(DASHBOARD_QUERIES):
        large = build_dashboard()
    assert large.artisans == small.artisans + 1000
    assert large.modules[0].complete == small.modules[0].complete + 500
    assert large.certificates == small.certificates + 100


def test_the_page_with_a_thousand_artisans_is_cached(client, admin_user, modules):
    profiles = build_programme(1000, tag="p")
    client.force_login(admin_user)
    url = reverse("telar_reports:dashboard")
    with CaptureQueriesContext(connection) as first:
        response = client.get(url)
    assert response.status_code == 200
    with CaptureQueriesContext(connection) as second:
        assert client.get(url).status_code == 200
    assert len(second) <= len(first) - DASHBOARD_QUERIES  # the numbers came from the cache
    cohort = cohorts_of(profiles)[0]
    key = cache_key(cohort=cohort, language="es")
    assert cache.get(key) is None
    filtered = client.get(url, {"cohort": cohort.pk})
    assert filtered.status_code == 200 and cache.get(key) is not None  # the filters are part of the key
    assert filtered.context["data"].artisans == 334


def test_the_cache_serves_stale_numbers_until_it_expires(modules):
    build_programme(3, tag="c")
    before = dashboard().artisans
    build_programme(3, tag="d")
    assert dashboard().artisans == before
    cache.clear()
    assert dashboard().artisans == before + 3


def test_page_shows_inline_svg_charts_and_no_script_of_its_own(client, editor, modules):
    build_programme(6, tag="g")
    client.force_login(editor)
    html = client.get(reverse("telar_reports:dashboard")).content.decode()
    assert html.count('<svg xmlns="http://www.w3.org/2000/svg" class="telar-chart"') == 5
    assert "Artesanas a lo largo de los módulos" in html
    assert "Módulo 1 terminado" in html
    start = html.index('class="telar-report"')
    end = html.index("</div>", html.rindex("telar-chart"))
    assert "<script" not in html[start:end]


def test_filters_by_centre_and_reject_a_cohort_of_another_centre(client, admin_user, modules):
    profiles = build_programme(6, tag="f")
    cohorts = cohorts_of(profiles)
    client.force_login(admin_user)
    url = reverse("telar_reports:dashboard")
    response = client.get(url, {"centre": cohorts[0].centre_id})
    assert response.context["data"].artisans == 4  # cohorts 0 and 2 are at centre 0
    response = client.get(url, {"centre": cohorts[1].centre_id, "cohort": cohorts[0].pk})
    assert "Ese grupo pertenece a otro centro." in response.content.decode()


def test_admin_home_panel_for_staff_who_may_see_it(client, editor, facilitator, modules):
    build_programme(3, tag="h")
    client.force_login(editor)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert 'id="programme-summary-section"' in html and "telar-chart" in html
    client.force_login(facilitator)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "programme-summary" not in html
