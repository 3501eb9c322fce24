"""Quiz views: take a quiz, see a result, print a quiz, record paper results. Thin: rules live in services."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from core.spreadsheets import export_filename
from core.text import sorted_by_name
from core.tokens import make_token, read_token
from courses import cache as tree_cache
from courses.routing import site_for_request
from courses.selectors import module_after, programme_module_keys
from people.permissions import facilitator_cohorts, facilitator_required
from people.roles import is_artisan, sign_in_url

from . import selectors, services
from .forms import PaperResultsForm, QuizForm, question_views
from .pdf import quiz_pdf


def _see_other(url: str):
    response = redirect(url)
    response.status_code = 303
    return response


@require_http_methods(["GET", "POST"])
def quiz_take(request, quiz_id: int):
    """Every question on one page. Artisans answer; anyone else sees the questions without a submit button."""
    posted = request.method == "POST"
    user = request.user
    artisan = is_artisan(user)  # first: her account is read with the tree version, in one round trip
    # The quiz with its questions and options, kept per tree version: grading and drawing read nothing more.
    quiz, questions = selectors.quiz_kept(request, quiz_id)
    tree_cache.address_exists(request)  # found (a 404 otherwise): its header may be kept for its address
    language = translation.get_language()
    if quiz.locale.language_code != language:
        translated = selectors.quiz_translation(quiz, language)
        if translated is not None:
            return redirect("assessments:take", quiz_id=translated.pk)
    if request.method == "POST":
        if not user.is_authenticated:
            # Her session ended while she answered: keep the answers with their token, and after she
            # signs in the same quiz shows them again, ready to send with that same one-time token.
            services.quiz_answers_stash(request.session, quiz=quiz, data=request.POST)
            return redirect(sign_in_url(reverse("assessments:take", args=[quiz.pk])))
        if not artisan:
            raise PermissionDenied
    raw_token = ""
    restored = someone_else = False
    if posted:
        submitted = services.quiz_form_submit(user=user, quiz=quiz, data=request.POST, questions=questions)
        services.quiz_answers_unstash(request.session, quiz=quiz)
        if submitted.attempt is not None:  # recorded now, or by this same form before (a double tap, a retry)
            return _see_other(reverse("assessments:result", args=[submitted.attempt.pk]))
    site_for_request(request)  # the module link's site, kept per tree version (not read on every page)
    # Her attempts so far, read only for a page drawn (a recorded attempt went to its result above).
    summary = selectors.quiz_summary(user, quiz) if artisan else None
    limit_reached = summary is not None and summary.left == 0
    if posted:
        form = submitted.form
        raw_token = request.POST.get("token", "")
        if submitted.status == services.Submitted.EXPIRED:
            raw_token = make_token(user_id=user.pk, scope=services.quiz_scope(quiz.pk))
            if services.quiz_token_owner(request.POST.get("token", ""), quiz=quiz) not in (None, user.pk):
                # Answered by another woman on this phone: never shown to, nor sent as, the one signed in now.
                someone_else = True
                form = QuizForm(quiz=quiz, questions=questions, shuffle_seed=raw_token)
        elif submitted.status == services.Submitted.LIMIT_REACHED:
            limit_reached = True
    else:
        stashed = services.quiz_answers_restore(request.session, quiz=quiz, user=user) if artisan else None
        if stashed is not None and not limit_reached:
            raw_token, restored = stashed["token"], True
            form = QuizForm(stashed["data"], quiz=quiz, questions=questions, shuffle_seed=raw_token)
        else:
            if artisan and not limit_reached:
                raw_token = make_token(user_id=user.pk, scope=services.quiz_scope(quiz.pk))
            form = None  # nothing of hers to check or show: the questions are drawn without a form
    spare = spare_tokens(user, quiz, summary.left if summary is not None else None) if raw_token else []
    items = form.question_views(questions) if form is not None else _unanswered(request, quiz, questions, raw_token)
    return render(
        request,
        "assessments/quiz_take.html",
        {
            "quiz": quiz,
            "form": form,
            "items": items,
            # The page is the same for everyone but its holes (quiz_take.html): kept when nothing else is hers.
            "kept": form is None and not limit_reached,
            "token": raw_token,
            "spare_tokens": spare,
            "restored": restored,
            "someone_else": someone_else,
            "artisan": artisan,
            "summary": summary,
            "limit_reached": limit_reached,
            "module": quiz.page,
            "sign_in": sign_in_url(request.get_full_path()) if not user.is_authenticated else "",  # a guest's button
        },
    )


def _unanswered(request, quiz, questions, seed: str):
    """The questions as drawn before she answers. Without shuffling they are the same for everyone: kept per
    tree version in this worker, as the quiz itself is (only read by the page, never changed)."""
    if quiz.shuffle_options:
        return question_views(quiz, questions, shuffle_seed=seed)
    return tree_cache.memo(
        request, ("quiz-unanswered", quiz.pk), lambda: question_views(quiz, questions, shuffle_seed="")
    )


# A kept quiz page is answered offline as many times as she likes; each try needs a token of its own.
OFFLINE_TRIES = 5


def spare_tokens(user, quiz, left: int | None) -> list[str]:
    """More one-time tokens for the page kept on her phone: one for each attempt left after this one, and one more.

    The service worker gives each copy of the page it shows offline the first unused token
    (static/js/sw.js), so two attempts made offline are two attempts, in order; the one beyond
    her attempts arrives with a token of its own and is kept, not counted, never taken for a repeat.
    Unlimited quizzes carry OFFLINE_TRIES tokens in all.
    """
    count = OFFLINE_TRIES - 1 if left is None else min(left, OFFLINE_TRIES)
    return [make_token(user_id=user.pk, scope=services.quiz_scope(quiz.pk)) for _ in range(count)]


def _result_items(snapshot: dict) -> list[dict]:
    items = []
    for number, item in enumerate(snapshot.get("questions", []), start=1):
        entry = {"number": number, "text": item["text"], "right": item["right"], "explanation": item["explanation"]}
        if item["kind"] == "numeric":
            unit = f" {item['unit']}" if item.get("unit") else ""
            entry["chosen"] = [f"{item['value']}{unit}"]
            entry["correct"] = [f"{item['answer']}{unit}"]
            entry["feedback"] = []
        else:
            chosen = set(item["chosen"])
            entry["chosen"] = [option["label"] for option in item["options"] if option["id"] in chosen]
            entry["correct"] = [option["label"] for option in item["options"] if option["correct"]]
            entry["feedback"] = [
                option["feedback"] for option in item["options"] if option["id"] in chosen and option["feedback"]
            ]
        items.append(entry)
    return items


@require_GET
def attempt_result(request, attempt_id: int):
    """Her result, from the attempt's snapshot: the quiz may have changed since, the result has not."""
    if not request.user.is_authenticated:
        return redirect(sign_in_url(request.get_full_path()))
    attempt = selectors.attempt_for_user_or_404(request.user, attempt_id)
    quiz = attempt.quiz
    retry = None
    if quiz is not None and quiz.live and quiz.page.live:
        summary = selectors.quiz_summary(request.user, quiz)
        if summary.left != 0:
            retry = reverse("assessments:take", args=[quiz.pk])
    snapshot = attempt.snapshot
    module = quiz.page if quiz is not None and quiz.page.live else None
    explain = snapshot.get("show_answers", False)
    return render(
        request,
        "assessments/attempt_result.html",
        {
            "attempt": attempt,
            "snapshot": snapshot,
            "items": _result_items(snapshot),
            "band": score_band(attempt.score, snapshot.get("pass_mark") or (quiz.pass_mark if quiz else 100)),
            # Explanations and her own option's feedback teach at once; the right option is shown only
            # once she cannot try again (or has passed): a retry copied from the last page teaches nothing.
            "explain": explain,
            "reveal": explain and (attempt.passed or retry is None),
            "retry": None if attempt.passed else retry,
            "module": module,
            "next_module": module_after(module.specific) if module is not None and attempt.passed else None,
        },
    )


def score_band(score: int, pass_mark: int) -> str:
    """passed, close (within a quarter of the pass mark) or far: the result's message, never shaming."""
    if score >= pass_mark:
        return "passed"
    return "close" if score >= pass_mark * 0.75 else "far"


@require_GET
@facilitator_required
def quiz_print(request, quiz_id: int):
    """The quiz as a printable PDF for a session on paper: questions and options, no answers."""
    quiz = selectors.quiz_or_404(quiz_id)
    pdf = quiz_pdf(quiz, selectors.quiz_questions(quiz))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{export_filename(_("quiz"), quiz.pk, file_format="pdf")}"'
    return response


@require_GET
@facilitator_required
def paper_index(request):
    """Her cohorts and the module quizzes: where to print a quiz and record its paper results."""
    cohorts = list(facilitator_cohorts(request.user).select_related("centre", "programme"))
    quizzes = list(
        selectors.visible_quizzes()
        .filter(locale__language_code=translation.get_language(), page__modulepage__isnull=False)
        .select_related("page")
        .order_by("page__modulepage__order", "page__path")
    )
    # Each cohort records the quizzes of its own programme's modules (issue 18); any quiz can be printed.
    keys = programme_module_keys([cohort.programme for cohort in cohorts if cohort.programme is not None])
    for cohort in cohorts:
        mine = keys.get(cohort.programme_id or 0, set())
        cohort.paper_quizzes = [quiz for quiz in quizzes if quiz.page.translation_key in mine]
    return render(request, "assessments/paper_index.html", {"cohorts": cohorts, "quizzes": quizzes})


@require_http_methods(["GET", "POST"])
@facilitator_required
def paper_record(request, cohort_id: int, quiz_id: int):
    """One score per artisan of her cohort for a quiz taken on paper; saved in one tap, all or nothing."""
    cohort = facilitator_cohorts(request.user).filter(pk=cohort_id).first()
    if cohort is None:
        raise Http404
    quiz = selectors.quiz_or_404(quiz_id)
    artisans = sorted_by_name(cohort.artisans.select_related("user"), lambda profile: profile.full_name)
    scope = f"paper:{cohort.pk}:{quiz.pk}"
    if request.method == "POST":
        form = PaperResultsForm(request.POST, artisans=artisans)
        token = read_token(request.POST.get("token", ""), user_id=request.user.pk, scope=scope)
        valid = form.is_valid()
        if token is None:
            form.add_error(None, _("This form was too old to send. Please check the scores and save again."))
        elif valid:
            recorded = services.paper_results_record(
                recorded_by=request.user,
                quiz=quiz,
                cohort=cohort,
                taken_on=form.cleaned_data["taken_on"],
                scores=form.scores(),
                token=token.nonce,
            )
            count = len(recorded)
            messages.success(
                request,
                ngettext("Saved: %(count)s paper result.", "Saved: %(count)s paper results.", count) % {"count": count},
            )
            return _see_other(request.path)
        raw_token = make_token(user_id=request.user.pk, scope=scope) if token is None else request.POST["token"]
    else:
        raw_token = make_token(user_id=request.user.pk, scope=scope)
        form = PaperResultsForm(artisans=artisans, initial={"token": raw_token})
    results = selectors.cohort_quiz_results(cohort, quiz)
    rows = [
        {
            "profile": profile,
            "field": field,
            "attempts": results.get(profile.user_id, []),
            "best": selectors.counting_attempt(results.get(profile.user_id, []), quiz.counting),
        }
        for profile, field in form.rows()
    ]
    return render(
        request,
        "assessments/paper_record.html",
        {"cohort": cohort, "quiz": quiz, "form": form, "rows": rows, "token": raw_token},
    )
