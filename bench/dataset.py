"""Write the benchmark's data set (bench.datagen decides where and at which scale, then sets Django up).

Imported only once Django is set up on the data set's database: the models are imported here, at
the top, and every row is written with bulk_create following the services' rules (see bench.datagen).
"""

from __future__ import annotations

import datetime
import os
import random
import time
import uuid
from dataclasses import asdict
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from assessments import grading
from assessments.models import Attempt, QuestionKind, Quiz
from assessments.selectors import quiz_questions
from assessments.services import build_snapshot
from attendance.models import AttendanceRecord, Session
from bench.datagen import (
    DATASET_VERSION,
    FIRST_NAMES,
    MUNICIPALITIES,
    PIN,
    SEED,
    SESSIONS_PER_COHORT,
    STAFF_PASSWORD,
    STATUS_WEIGHTS,
    Scale,
    _cohort_sizes,
    _name,
    _phase,
    _say,
)
from certificates import codes
from certificates.models import Certificate
from courses.selectors import current_programme
from people.models import ArtisanProfile, Cohort, CommunityCentre, Enrolment, PinCredential, User
from progress.models import LessonCompletion
from progress.selectors import programme_structure


def _quiz_snapshots(quiz, questions) -> tuple[dict, dict]:
    """A real passing and a real failing snapshot of this quiz (graded by the quiz's own code)."""

    right, wrong = {}, {}
    for index, question in enumerate(questions):
        if question.kind == QuestionKind.NUMERIC:
            right[question.pk] = Decimal(question.answer)
            wrong[question.pk] = Decimal(question.answer) + question.tolerance + 50 if index % 2 else right[question.pk]
            continue
        options = list(question.options.all())
        correct = sorted(option.pk for option in options if option.is_correct)
        incorrect = [option.pk for option in options if not option.is_correct]
        right[question.pk] = correct
        wrong[question.pk] = [incorrect[0]] if (index % 2 and incorrect) else correct
    passing = build_snapshot(quiz=quiz, questions=questions, answers=right)
    failing = build_snapshot(quiz=quiz, questions=questions, answers=wrong)
    return passing, failing


def generate(scale: Scale, *, batch: int = 2000, prepare: bool = True) -> dict:  # noqa: C901 - one linear script
    """Write the whole data set; returns the ids and counts the benchmark needs.

    `prepare` migrates and loads the curriculum first (a test database already has both).
    """

    rng = random.Random(SEED)
    started = time.monotonic()
    if prepare:
        call_command("migrate", verbosity=0, interactive=False)
        call_command("load_curriculum", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
        _say(f"  schema and curriculum ready ({time.monotonic() - started:.0f} s)")

    structure = programme_structure(language="es")
    modules = structure.modules
    module_lessons = [[lesson.translation_key for lesson in structure.lessons[m.translation_key]] for m in modules]
    quizzes = {
        quiz.page_id: quiz
        for quiz in Quiz.objects.filter(live=True, locale__language_code="es", page__in=[m.pk for m in modules])
    }
    quiz_data = {}
    for module in modules:
        quiz = quizzes.get(module.pk)
        if quiz is not None:
            questions = quiz_questions(quiz)
            passing, failing = _quiz_snapshots(quiz, questions)
            quiz_data[module.translation_key] = (quiz, passing, failing)
    programme = current_programme()
    today = timezone.localdate()
    now = timezone.now()

    with transaction.atomic():
        facilitators_group, _ = Group.objects.get_or_create(name="Facilitators")
        editors_group, _ = Group.objects.get_or_create(name="Editors")
        staff_hash = make_password(STAFF_PASSWORD)
        pin_hash = make_password(PIN)

        admin = User.objects.create(username="bench-admin", is_staff=True, is_superuser=True, password=staff_hash)
        editor = User.objects.create(username="bench-editor", is_staff=True, password=staff_hash)
        editor.groups.add(editors_group)

        municipalities = [MUNICIPALITIES[i % len(MUNICIPALITIES)] for i in range(scale.centres)]
        centres = CommunityCentre.objects.bulk_create(
            [
                CommunityCentre(name=f"Centro Comunitario {town} {index + 1}", municipality=town, state="Chiapas")
                for index, town in enumerate(municipalities)
            ],
            batch_size=batch,
        )
        # One facilitator per two cohorts (at least one per centre).
        facilitator_count = max(scale.centres, (scale.cohorts + 1) // 2)
        facilitators = User.objects.bulk_create(
            [
                User(
                    username=f"bench-f{index:04d}",
                    first_name=rng.choice(FIRST_NAMES),
                    is_staff=True,
                    password=staff_hash,
                )
                for index in range(facilitator_count)
            ],
            batch_size=batch,
        )
        User.groups.through.objects.bulk_create(
            [User.groups.through(user_id=user.pk, group_id=facilitators_group.pk) for user in facilitators],
            batch_size=batch,
        )

        sizes = _cohort_sizes(scale)
        cohort_rows = []
        for index in range(scale.cohorts):
            phase = _phase(index)
            start = today - datetime.timedelta(weeks=phase, days=rng.randint(1, 5))
            cohort_rows.append(
                Cohort(
                    centre=centres[index % len(centres)],
                    programme=programme,  # the grid and the certificate rule read the cohort's programme
                    name=f"Grupo {index + 1:04d} · {start.year}",
                    start_date=start,
                    end_date=start + datetime.timedelta(weeks=SESSIONS_PER_COHORT + 1),
                )
            )
        cohorts = Cohort.objects.bulk_create(cohort_rows, batch_size=batch)
        cohort_facilitator = {
            cohort.pk: facilitators[index // 2 % len(facilitators)] for index, cohort in enumerate(cohorts)
        }
        Cohort.facilitators.through.objects.bulk_create(
            [
                Cohort.facilitators.through(cohort_id=cohort.pk, user_id=cohort_facilitator[cohort.pk].pk)
                for cohort in cohorts
            ],
            batch_size=batch,
        )
        _say(f"  {len(centres)} centres, {len(cohorts)} cohorts, {len(facilitators)} facilitators")

        # Artisans: a user (no usable password), a profile and a PIN each.
        users, profiles, member_of = [], [], []
        for index, cohort in enumerate(cohorts):
            for _number in range(sizes[index]):
                full_name, preferred = _name(rng)
                serial = len(users)
                users.append(User(username=f"bench-a{serial:06d}", first_name=preferred, password="!unusable"))
                profiles.append((full_name, preferred, cohort))
                member_of.append(index)
        users = User.objects.bulk_create(users, batch_size=batch)
        ArtisanProfile.objects.bulk_create(
            [
                ArtisanProfile(
                    user=user,
                    full_name=full_name,
                    preferred_name=preferred,
                    cohort=cohort,
                    preferred_language="en" if rng.random() < 0.05 else "es",
                    external_id=f"B-{user.pk:06d}",
                    consent_given=True,
                    consent_date=now,
                    privacy_notice_version="2026-01",
                )
                for user, (full_name, preferred, cohort) in zip(users, profiles, strict=True)
            ],
            batch_size=batch,
        )
        PinCredential.objects.bulk_create(
            [PinCredential(user=user, pin_hash=pin_hash, changed_at=now) for user in users], batch_size=batch
        )
        # Her enrolment in her cohort, as cohort_artisan_add writes it: "her programmes" are read from these.
        Enrolment.objects.bulk_create(
            [
                Enrolment(user=user, cohort=cohort)
                for user, (_full, _preferred, cohort) in zip(users, profiles, strict=True)
            ],
            batch_size=batch,
        )
        _say(f"  {len(users)} artisans ({time.monotonic() - started:.0f} s)")

        # Sessions: one a week per module from the cohort's start; those in the past have attendance.
        session_rows = []
        for cohort in cohorts:
            for number, module in enumerate(modules[:SESSIONS_PER_COHORT]):
                session_rows.append(
                    Session(
                        cohort=cohort,
                        module=module,
                        date=cohort.start_date + datetime.timedelta(weeks=number),
                        start_time=datetime.time(10, 0),
                        place="Salón comunal",
                    )
                )
        sessions = Session.objects.bulk_create(session_rows, batch_size=batch)
        Session.facilitators.through.objects.bulk_create(
            [
                Session.facilitators.through(session_id=session.pk, user_id=cohort_facilitator[session.cohort_id].pk)
                for session in sessions
            ],
            batch_size=batch,
        )
        sessions_by_cohort: dict[int, list] = {}
        for session in sessions:
            sessions_by_cohort.setdefault(session.cohort_id, []).append(session)

        statuses, weights = zip(*STATUS_WEIGHTS, strict=True)
        records, completions, attempts, certificates = [], [], [], []
        counts = {"attendance": 0, "completions": 0, "attempts": 0, "certificates": 0}

        def flush(force: bool = False) -> None:
            for model, rows, key in (
                (AttendanceRecord, records, "attendance"),
                (LessonCompletion, completions, "completions"),
                (Attempt, attempts, "attempts"),
                (Certificate, certificates, "certificates"),
            ):
                if rows and (force or len(rows) >= 20 * batch):
                    model.objects.bulk_create(rows, batch_size=batch)
                    counts[key] += len(rows)
                    rows.clear()

        for user, (full_name, _preferred, cohort), index in zip(users, profiles, member_of, strict=True):
            phase = _phase(index)
            finished_cohort = index == 0  # the ceremony cohort: everyone made it
            held = [s for s in sessions_by_cohort[cohort.pk] if s.date <= today][:phase]
            recorder = cohort_facilitator[cohort.pk]
            reliable = finished_cohort or rng.random() < 0.85
            attended = 0
            for session in held:
                if finished_cohort:
                    status = "present" if rng.random() < 0.95 else "late"
                else:
                    status = rng.choices(statuses, weights=weights)[0] if reliable else rng.choice(statuses)
                attended += status in ("present", "late")
                records.append(
                    AttendanceRecord(
                        session=session,
                        artisan=user,
                        status=status,
                        recorded_by=recorder,
                        recorded_at=datetime.datetime.combine(session.date, datetime.time(12, 0), tzinfo=datetime.UTC),
                    )
                )
            # Lessons: modules before her cohort's stage are (mostly) done; the next one partly.
            reached = phase if finished_cohort else max(0, phase - rng.choice((0, 0, 0, 1, 1, 2)))
            passed_all = True
            when = datetime.datetime.combine(cohort.start_date, datetime.time(17, 0), tzinfo=datetime.UTC)
            for number, keys in enumerate(module_lessons):
                if number < reached:
                    done = keys
                elif number == reached and not finished_cohort:
                    done = keys[: rng.randint(0, len(keys))]
                else:
                    done = []
                for key in done:
                    when += datetime.timedelta(hours=rng.randint(2, 40))
                    completions.append(LessonCompletion(user=user, lesson_key=key, language="es", completed_at=when))
                module = modules[number]
                if len(done) < len(keys) or module.translation_key not in quiz_data:
                    passed_all = passed_all and not (len(done) < len(keys))
                    continue
                quiz, passing, failing = quiz_data[module.translation_key]
                tries = [failing, passing] if rng.random() < 0.25 else [passing]
                if not finished_cohort and rng.random() < 0.05:
                    tries = [failing]
                for attempt_number, snapshot in enumerate(tries, start=1):
                    results = [item["right"] for item in snapshot["questions"]]
                    when += datetime.timedelta(minutes=20)
                    attempts.append(
                        Attempt(
                            user=user,
                            quiz=quiz,
                            quiz_key=quiz.translation_key,
                            module_key=module.translation_key,
                            number=attempt_number,
                            score=grading.score(results),
                            passed=grading.passed(results, quiz.pass_mark),
                            token=uuid.uuid4(),
                            language="es",
                            snapshot=snapshot,
                            taken_on=when.date(),
                            submitted_at=when,
                        )
                    )
                passed_all = passed_all and tries[-1] is passing
            rate_ok = held and attended / len(held) >= 0.8
            if programme is not None and reached >= len(modules) and passed_all and rate_ok:
                certificates.append(
                    Certificate(
                        user=user,
                        programme=programme,
                        programme_key=programme.translation_key,
                        programme_title=programme.title,
                        printed_name=full_name,
                        language="es",
                        issued_on=min(today, when.date()),
                        code=codes.generate(),
                    )
                )
            flush()
        flush(force=True)

    grid_cohort, attendance_cohort = cohorts[0], cohorts[1]
    # The session after the last one recorded: the list a facilitator fills in today (nothing recorded yet).
    attendance_session = sessions_by_cohort[attendance_cohort.pk][_phase(1)]
    some_artisan = ArtisanProfile.objects.filter(cohort=attendance_cohort).order_by("pk").first()
    certificate = Certificate.objects.filter(user__artisan__cohort=grid_cohort).order_by("pk").first()
    meta = {
        "scale": asdict(scale),
        "version": DATASET_VERSION,
        "generated_at": timezone.now().isoformat(timespec="seconds"),
        "seconds": round(time.monotonic() - started, 1),
        "counts": {
            "centres": len(centres),
            "cohorts": len(cohorts),
            "facilitators": len(facilitators),
            "artisans": len(users),
            "sessions": len(sessions),
            **counts,
        },
        "admin_id": admin.pk,
        "editor_id": editor.pk,
        "grid_cohort_id": grid_cohort.pk,
        "grid_facilitator_id": cohort_facilitator[grid_cohort.pk].pk,
        "attendance_cohort_id": attendance_cohort.pk,
        "attendance_session_id": attendance_session.pk,
        "attendance_facilitator_id": cohort_facilitator[attendance_cohort.pk].pk,
        "artisan_id": some_artisan.user_id,
        "certificate_code": certificate.display_code if certificate else None,
        "module_ids": [module.pk for module in modules],
    }
    return meta
