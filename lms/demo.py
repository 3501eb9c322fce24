"""Demo people for `make run` (`manage.py load_demo`): a Huixtán centre, a cohort in each programme (the six
workshops: twelve artisans and a facilitator; the second programme, economía social: two artisans), and one
artisan in both (Micaela: the workshops' cohort is her current one, and she is enrolled in the second too).

Idempotent: everything is found by a stable key (centre and cohort names,
external ids, usernames) and created only when missing; nothing that already
exists is changed, so a facilitator's PIN resets in the demo survive a rerun.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db import transaction

from courses.models import ProgrammePage
from courses.selectors import current_programme
from people.models import ArtisanProfile, Cohort, CommunityCentre, Enrolment, User
from people.services import artisan_create, artisan_pin_set, staff_user_ensure
from progress.selectors import programme_structure
from progress.services import lesson_mark_done

CENTRE = {"name": "Centro Comunitario Huixtán", "municipality": "Huixtán", "state": "Chiapas"}
COHORT = {"name": "Bordadoras 2026", "start_date": datetime.date(2026, 2, 2)}
SECOND_COHORT = {"name": "Economía social 2026", "start_date": datetime.date(2026, 8, 3)}
SECOND_PROGRAMME_SLUG = "economia-social"
IN_BOTH = "HUX-005"  # enrolled in the second programme's cohort too, with some of its lessons done
IN_BOTH_SECOND_LESSONS = 3
# Artisans whose current cohort is the second programme's.
SECOND_ARTISANS = [
    ("HUX-013", "Sebastiana Gómez Pérez", "Sebastiana", "3841", 2),
    ("HUX-014", "Lucía Intzín Méndez", "Lucía", "6172", 0),
]
FACILITATOR = ("facilitadora", "telar-facilitadora-demo", "Rosa")

# (external id, full name as on the certificate, preferred name, PIN, lessons already finished)
ARTISANS = [
    ("HUX-001", "María Pérez Gómez", "María", "4827", 8),
    ("HUX-002", "Juana López Hernández", "Juanita", "5913", 4),
    ("HUX-003", "Rosa Gómez Sántiz", "Rosa", "7352", 2),
    ("HUX-004", "Petrona Díaz López", "Petrona", "2694", 0),
    ("HUX-005", "Micaela Hernández Pérez", "Mica", "8461", 0),
    ("HUX-006", "Catarina Jiménez Gómez", "Cata", "3175", 0),
    ("HUX-007", "Manuela Sántiz Girón", "Manuela", "9248", 0),
    ("HUX-008", "Pascuala Méndez López", "Pascuala", "6530", 0),
    ("HUX-009", "Verónica Girón Díaz", "Vero", "1796", 0),
    ("HUX-010", "Dominga Pérez Intzín", "Dominga", "4083", 0),
    ("HUX-011", "María López Sántiz", "María", "5619", 1),
    ("HUX-012", "Magdalena López Patishtán", "Magda", "7204", 0),
]


@dataclass
class DemoPeople:
    created: list[str] = field(default_factory=list)
    centre: CommunityCentre | None = None
    cohort: Cohort | None = None
    artisans: list[tuple[ArtisanProfile, str]] = field(default_factory=list)
    facilitator: User | None = None
    second_cohort: Cohort | None = None  # None when the second programme is not loaded
    second_artisans: list[tuple[ArtisanProfile, str]] = field(default_factory=list)
    in_both: ArtisanProfile | None = None


@transaction.atomic
def load_demo_people() -> DemoPeople:
    report = DemoPeople()
    centre, created = CommunityCentre.objects.get_or_create(name=CENTRE["name"], defaults=CENTRE)
    if created:
        report.created.append(f"centre {centre.name}")
    workshops = current_programme()
    cohort, created = Cohort.objects.get_or_create(
        centre=centre, name=COHORT["name"], defaults={**COHORT, "programme": workshops}
    )
    if created:
        report.created.append(f"cohort {cohort.name}")
    facilitator, created = staff_user_ensure(
        username=FACILITATOR[0], password=FACILITATOR[1], groups=("Facilitators",), first_name=FACILITATOR[2]
    )
    if created:
        report.created.append(f"facilitator {facilitator.username}")
    cohort.facilitators.add(facilitator)
    report.artisans = _demo_artisans(report, ARTISANS, cohort, facilitator)
    report.centre, report.cohort, report.facilitator = centre, cohort, facilitator
    _second_programme(report, centre, facilitator)
    return report


def _demo_artisans(
    report: DemoPeople, artisans, cohort: Cohort, facilitator: User, *, programme: ProgrammePage | None = None
) -> list[tuple[ArtisanProfile, str]]:
    """Each demo artisan of `artisans` in `cohort`, created once with her PIN and first lessons: (profile, pin)."""
    made = []
    for external_id, full_name, preferred_name, pin, lessons_done in artisans:
        profile = ArtisanProfile.objects.select_related("user").filter(external_id=external_id).first()
        if profile is None:
            profile = artisan_create(
                full_name=full_name,
                preferred_name=preferred_name,
                cohort=cohort,
                external_id=external_id,
                consent_given=True,
                privacy_notice_version="demo",
                username=f"demo-{external_id.lower()}",
            )
            artisan_pin_set(user=profile.user, pin=pin, by=facilitator)
            _finish_first_lessons(profile.user, lessons_done, programme=programme)
            report.created.append(f"artisan {full_name}")
        made.append((profile, pin))
    return made


def _second_programme(report: DemoPeople, centre: CommunityCentre, facilitator: User) -> None:
    """A cohort of the second programme at the same centre, two artisans in it and one of the workshops' in both."""
    second = ProgrammePage.objects.live().filter(slug=SECOND_PROGRAMME_SLUG, locale__language_code="es").first()
    if second is None:
        return
    cohort, created = Cohort.objects.get_or_create(
        centre=centre, name=SECOND_COHORT["name"], defaults={**SECOND_COHORT, "programme": second}
    )
    if created:
        report.created.append(f"cohort {cohort.name}")
    report.second_artisans = _demo_artisans(report, SECOND_ARTISANS, cohort, facilitator, programme=second)
    both = ArtisanProfile.objects.select_related("user").filter(external_id=IN_BOTH).first()
    if both is not None:
        _enrolment, created = Enrolment.objects.get_or_create(user=both.user, cohort=cohort)
        if created:
            _finish_first_lessons(both.user, IN_BOTH_SECOND_LESSONS, programme=second)
            report.created.append(f"enrolment of {both.full_name} in {cohort.name}")
    report.second_cohort, report.in_both = cohort, both


def _finish_first_lessons(user: User, count: int, *, programme: ProgrammePage | None = None) -> None:
    """Some progress to look at: her first `count` lessons of the programme, marked done as she would."""
    if not count:
        return
    structure = programme_structure(programme=programme, language="es")
    lessons = [lesson for module in structure.modules for lesson in structure.lessons[module.translation_key]]
    for lesson in lessons[:count]:
        lesson_mark_done(user=user, lesson=lesson)
