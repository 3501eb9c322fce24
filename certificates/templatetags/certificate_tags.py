"""Her certificates on "Mi avance" and the home page: a download button per programme once she has earned it."""

from django import template

from people.roles import is_artisan

from ..models import Certificate
from ..rules import Standing, standings
from ..selectors import user_valid_certificates

register = template.Library()


def _mine(context) -> dict | None:
    """Her valid certificates by programme translation key, memoised on the request (1 query); None for others."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not is_artisan(user):
        return None
    cached = getattr(request, "_telar_certificates", None)
    if cached is None or cached[0] != user.pk:
        cached = (user.pk, {certificate.programme_key: certificate for certificate in user_valid_certificates(user)})
        request._telar_certificates = cached
    return cached[1]


@register.simple_tag(takes_context=True)
def programme_certificate(context, programme) -> Certificate | None:
    """Her valid certificate of `programme` (a programme page), or None."""
    mine = _mine(context)
    if not mine or not programme:
        return None
    return mine.get(programme.translation_key)


@register.inclusion_tag("certificates/includes/my_certificate_block.html", takes_context=True)
def my_certificate(context, programme=None) -> dict:
    """Her valid certificate of `programme` (her first one without it) or a word of encouragement;
    nothing at all for non-artisans."""
    mine = _mine(context)
    if mine is None:
        return {"show": False}
    if not programme:  # none named (an include without it passes "")
        programme = None
        certificate = next(iter(mine.values()), None)
    else:
        certificate = mine.get(programme.translation_key)
    # One certificate: the plain link; several: each names its programme (`certificates:mine`).
    return {"show": True, "certificate": certificate, "programme": programme, "several": len(mine) > 1}


@register.simple_tag(takes_context=True)
def certificate_standing(context, overview) -> Standing | None:
    """Where she stands for the certificate of `overview`'s programme (a ``progress.selectors.Overview``):
    what is left, her attendance. Her attendance is read once per request for all her programmes
    (2 queries, certificates.rules.standings); None for non-artisans."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not is_artisan(user) or overview is None or overview.programme is None:
        return None
    cached = getattr(request, "_telar_standings", None)
    if cached is None or cached[0] != user.pk:
        everything = getattr(request, "_telar_overviews", None) or [overview]
        cached = (user.pk, standings(user, everything))
        request._telar_standings = cached
    found = cached[1].get(overview.programme.pk)
    if found is None:  # an overview the memo did not know (another list of overviews): read it alone
        found = standings(user, [overview]).get(overview.programme.pk)
    return found


def _standing_drawing(standing: Standing | None) -> tuple | None:
    if standing is None:
        return None
    missing = tuple((item.kind, item.count, getattr(item.module, "pk", None)) for item in standing.missing)
    return (standing.eligibility.eligible, standing.attended, standing.counted, standing.threshold_percent, missing)


@register.simple_tag(takes_context=True)
def mine_drawing(context, overviews) -> tuple:
    """Everything "Mi avance" draws of her programmes, as plain values (progress/mine.html keeps the page drawn
    under it): per programme its modules and her numbers in each, where she continues, where she stands for
    the certificate, whether she has it. Pages (modules, the next lesson) by id: their titles, colours and
    addresses come with the tree version the kept page is drawn for. Never her name, nor anything that tells
    who she is: two women at the same point of the same programmes see the same page but for its holes.

    A value the page shows that this does not name would be shown to the next woman at the same point: the
    suite draws many states both ways (kept and fresh) and compares them (tests/progress/test_mine_kept.py).
    """
    mine = _mine(context) or {}
    parts = []
    for overview in overviews:
        programme = overview.programme
        certificate = programme_certificate(context, programme)
        parts.append(
            (
                getattr(programme, "pk", None),
                overview.title,
                overview.modules_complete,
                overview.programme_complete,
                overview.lessons_done,
                overview.lessons_total,
                getattr(overview.continue_page, "pk", None),
                tuple(
                    (s.module.pk, s.status, s.lessons_done, s.lessons_total, s.quiz_score, s.quiz_passed)
                    for s in overview.statuses
                ),
                _standing_drawing(certificate_standing(context, overview)),
                None if certificate is None else str(certificate.programme_key),
            )
        )
    return (len(mine) > 1, tuple(parts))
