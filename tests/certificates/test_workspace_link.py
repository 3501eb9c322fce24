"""The facilitator's cohort page leads to the cohort's certificates (issue by hand, ceremony PDF)."""

from django.urls import reverse
from django.utils import translation


def test_facilitator_cohort_page_links_to_its_certificates(client, facilitator, cohort):
    client.force_login(facilitator)
    with translation.override("es"):
        html = client.get(reverse("attendance:cohort", args=[cohort.pk])).content.decode()
        target = reverse("certificates:cohort", args=[cohort.pk])
    assert f'href="{target}"' in html
    assert "Constancias del grupo" in html
    assert client.get(target).status_code == 200
