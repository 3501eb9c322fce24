"""Byte and query budgets for the sign-in pages (a shared phone on metered data)."""

import pytest

from tests import factories
from tests.budgets import PAGE_BUDGET, css_bytes, gzipped, page_query_count

pytestmark = pytest.mark.django_db


def _pages(profile):
    return [
        "/sign-in/",
        f"/sign-in/centre/{profile.cohort.centre_id}/",
        f"/sign-in/cohort/{profile.cohort_id}/",
        f"/sign-in/artisan/{profile.user_id}/",
    ]


def test_sign_in_pages_fit_the_budget_with_forty_names(client, cohort, artisan):
    for index in range(40):
        factories.ArtisanFactory(
            cohort=cohort, pin=False, full_name=f"Micaela Hernández Pérez {index}", preferred_name=f"Micaela {index}"
        )
    css = css_bytes()
    for url in _pages(artisan) + [f"/en{url}" for url in _pages(artisan)]:
        response = client.get(url)
        assert response.status_code == 200, url
        total = gzipped(response.content) + css
        assert total <= PAGE_BUDGET, (url, total)
    wrong = client.post(f"/sign-in/artisan/{artisan.user_id}/", {"pin": "9999"})
    assert gzipped(wrong.content) + css <= PAGE_BUDGET


def test_sign_in_queries_do_not_grow_with_artisans_cohorts_or_centres(client, cohort, artisan):
    factories.CommunityCentreFactory(name="Zinacantán")  # two centres: the start page lists centres
    before = {url: page_query_count(client, url) for url in _pages(artisan)}
    for _ in range(30):
        factories.ArtisanFactory(cohort=cohort, pin=False)
    for index in range(5):
        factories.CohortFactory(centre=cohort.centre, name=f"Grupo extra {index}")
        factories.CommunityCentreFactory(name=f"Centro extra {index}")
    after = {url: page_query_count(client, url) for url in _pages(artisan)}
    assert after == before
    assert max(before.values()) <= 4, before


def test_the_keypad_round_trip_is_small(client, artisan):
    """Each tap is a round trip on slow data: the keypad page must stay far below the page budget."""
    response = client.post(f"/sign-in/artisan/{artisan.user_id}/", {"key": "2", "n": "0"})
    assert gzipped(response.content) <= 4_096
