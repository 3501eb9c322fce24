"""Progress views: "I finished this lesson" (one POST) and "Mi avance"."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from courses.models import LessonPage
from courses.routing import live_page, site_for_request
from courses.selectors import kept_lesson_navigation
from people.roles import artisan_required, is_artisan, sign_in_url
from people.views import PENDING_DONE_SESSION_KEY

from .selectors import programme_overviews
from .services import lesson_mark_done


@require_POST
def lesson_done(request: HttpRequest, page_id: int) -> HttpResponse:
    """Mark a lesson done and go on to the next lesson (or the module page after the last one).

    Idempotent: a second POST records nothing new and lands in the same place.
    Unknown or unpublished lessons are 404 for everyone. A guest — often an
    artisan whose session expired while she read — is sent to sign in and back
    to this lesson, where she is asked to tap the button again: her tap is
    never dropped silently, and never recorded for whoever signs in next.
    """
    # The lesson, its navigation and the site its links are on: kept per tree version (courses.routing),
    # as the lesson page itself reads them; only her completion is written and read here.
    site_for_request(request)
    lesson = live_page(request, LessonPage, page_id)
    if lesson is None:
        raise Http404
    if not request.user.is_authenticated:
        request.session[PENDING_DONE_SESSION_KEY] = lesson.pk
        messages.warning(request, _("Your session ended, so your lesson is not saved yet. Sign in to save it."))
        return redirect(sign_in_url(lesson.get_url(request)))
    if not is_artisan(request.user):
        raise PermissionDenied
    _completion, created = lesson_mark_done(user=request.user, lesson=lesson)
    navigation = kept_lesson_navigation(lesson, request)
    if created:
        messages.success(request, _("Well done! Your progress is saved."))
    if navigation["next_lesson"] is not None:
        return redirect(navigation["next_lesson"].get_url(request))
    if navigation["module"] is not None:
        messages.info(request, _("You finished the lessons of this module."))
        return redirect(navigation["module"].get_url(request))
    return redirect("progress:mine")


@never_cache
@artisan_required
def mine(request: HttpRequest) -> HttpResponse:
    """Mi avance: each of her programmes with its modules, her status in each, where to continue and its
    certificate (a fixed number of queries whatever the number of programmes)."""
    site_for_request(request)  # the links' site, kept per tree version (Wagtail would look it up again)
    overviews = programme_overviews(request.user)
    request._telar_overviews = overviews  # the page's tags reuse it (progress_tags)
    return render(request, "progress/mine.html", {"overviews": overviews, "profile": request.user.artisan})
