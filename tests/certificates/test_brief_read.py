"""Her certificates for the pages that list them (certificates.selectors.user_valid_certificates) are read as
SQL with a few fields: they must be her valid ones, in order, and any other field must still read right."""

import pytest

from certificates.models import Certificate
from certificates.selectors import user_valid_certificates

pytestmark = pytest.mark.django_db


def test_her_valid_certificates_read_briefly_are_hers_and_whole_when_asked(
    certificate, artisan, django_assert_num_queries
):
    with django_assert_num_queries(1):
        found = user_valid_certificates(artisan)
    stored = Certificate.objects.get(pk=certificate.pk)
    assert [c.pk for c in found] == [stored.pk]
    brief = found[0]
    assert brief.programme_key == stored.programme_key and brief.user_id == artisan.pk
    assert brief.issued_at == stored.issued_at and brief.status == Certificate.Status.VALID
    with django_assert_num_queries(1):  # a field left out loads when read, as the ORM's .only() does
        assert brief.code == stored.code
    from django.utils import timezone

    Certificate.objects.filter(pk=certificate.pk).update(
        status=Certificate.Status.REVOKED, revoked_at=timezone.now(), revoked_reason="Prueba"
    )
    assert user_valid_certificates(artisan) == []
