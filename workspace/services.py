"""Writes the facilitator makes from her workspace, through the people services (the one home of each write).

Only what the workspace adds lives here: adding an artisan to her cohort refuses a second artisan with
the same full name in that cohort, so a doubled tap on "Add" (or the same name typed twice) never makes
two accounts. Who may add to which cohort is the caller's policy (``people.permissions.managed_cohorts``).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.text import clean_text, fold
from people.models import ArtisanProfile, Cohort
from people.services import artisan_create


@transaction.atomic
def cohort_artisan_add(
    *, cohort: Cohort, full_name: str, preferred_name: str, preferred_language: str, consent_given: bool = False
) -> ArtisanProfile:
    """A new artisan in this cohort (``people.services.artisan_create``); she still needs a PIN.

    The cohort's row is locked first, so two requests adding the same name at once are answered one
    after the other: the second finds the first and is refused.
    """
    Cohort.objects.select_for_update().filter(pk=cohort.pk).first()
    wanted = fold(clean_text(full_name))
    names = ArtisanProfile.objects.filter(cohort=cohort).values_list("full_name", flat=True)
    if any(fold(name) == wanted for name in names):
        raise ValidationError(
            _("%(name)s is already in this group."), code="duplicate", params={"name": clean_text(full_name)}
        )
    return artisan_create(
        full_name=full_name,
        preferred_name=preferred_name,
        cohort=cohort,
        preferred_language=preferred_language,
        consent_given=consent_given,
    )
