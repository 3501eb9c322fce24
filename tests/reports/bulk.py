"""Many artisans fast (bulk_create), with progress, quiz attempts, attendance and certificates."""

from __future__ import annotations

import datetime
import uuid

from assessments.models import Attempt, Quiz
from attendance.models import AttendanceRecord, Session
from certificates import codes
from certificates.models import Certificate
from courses.models import ProgrammePage
from people.models import ArtisanProfile, Cohort, User
from progress.models import LessonCompletion
from progress.selectors import programme_structure
from tests import factories


def build_programme(n: int, *, cohorts: int = 3, tag: str = "b") -> list[ArtisanProfile]:
    """n artisans over `cohorts` cohorts at two centres; every second finished module 1 and passed its quiz,
    every artisan has two attendance records (one present, one absent), every tenth has a certificate."""
    centres = [factories.CommunityCentreFactory(name=f"Centro {tag}{i}") for i in range(2)]
    groups = [factories.CohortFactory(centre=centres[i % 2], name=f"Grupo {tag}{i}") for i in range(cohorts)]
    users = User.objects.bulk_create([User(username=f"{tag}-artesana-{i}", password="!") for i in range(n)])
    profiles = ArtisanProfile.objects.bulk_create(
        [
            ArtisanProfile(
                user=user,
                full_name=f"Artesana {tag} {i}",
                preferred_name=f"A{i}",
                cohort=groups[i % cohorts],
                consent_given=True,
            )
            for i, user in enumerate(users)
        ]
    )
    structure = programme_structure()
    first = structure.modules[0]
    lessons = structure.lessons[first.translation_key]
    quiz = Quiz.objects.filter(page__translation_key=first.translation_key, locale__language_code="es").first()
    completions, attempts, records, certificates = [], [], [], []
    sessions = {
        group.pk: [
            Session.objects.create(cohort=group, date=datetime.date(2026, 3, day), start_time=datetime.time(10))
            for day in (2, 9)
        ]
        for group in groups
    }
    programme = ProgrammePage.objects.filter(locale__language_code="es").first()
    for i, user in enumerate(users):
        if i % 2 == 0:
            completions += [
                LessonCompletion(user=user, lesson_key=lesson.translation_key, language="es") for lesson in lessons
            ]
            if quiz is not None:
                attempts.append(
                    Attempt(
                        user=user,
                        quiz=quiz,
                        quiz_key=quiz.translation_key,
                        module_key=first.translation_key,
                        number=1,
                        score=90,
                        passed=True,
                        token=uuid.uuid4(),
                        language="es",
                    )
                )
        first_session, second_session = sessions[profiles[i].cohort_id]
        now = datetime.datetime(2026, 3, 9, 12, tzinfo=datetime.UTC)
        records += [
            AttendanceRecord(session=first_session, artisan=user, status="present", recorded_at=now),
            AttendanceRecord(session=second_session, artisan=user, status="absent", recorded_at=now),
        ]
        if i % 10 == 0:
            certificates.append(
                Certificate(
                    user=user,
                    programme=programme,
                    programme_key=programme.translation_key,
                    programme_title=programme.title,
                    printed_name=profiles[i].full_name,
                    issued_on=datetime.date(2026, 6, 1),
                    code=codes.generate(),
                )
            )
    LessonCompletion.objects.bulk_create(completions)
    Attempt.objects.bulk_create(attempts)
    AttendanceRecord.objects.bulk_create(records)
    Certificate.objects.bulk_create(certificates)
    return profiles


def cohorts_of(profiles) -> list[Cohort]:
    return list(Cohort.objects.filter(pk__in={profile.cohort_id for profile in profiles}).order_by("pk"))
