"""The account area of every page's header: who is signed in, Mi avance, signing out (templates/base.html)."""

from django import template
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from courses import cache
from people.roles import artisan_profile

register = template.Library()

# Where her name and the form's CSRF token go in the kept drawing. NUL never reaches a page (core.text drops
# control characters from what people type), so no name can contain them.
NAME_MARK = "\x00telar-account-name\x00"
TOKEN_MARK = "\x00telar-account-token\x00"  # noqa: S105 - a mark, not a secret


@register.simple_tag(takes_context=True)
def account_area(context) -> str:
    """Signed in: the same for every artisan (or every staff member) in a language but her name and the
    sign-out form's CSRF token, so drawn once per tree version in each worker with those two filled in on
    each request (this runs on every page: one template's drawing in place of its nodes). A guest: the
    sign-in link, which returns to the page she was on (drawn each time: it holds the address)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return render_to_string("people/_account_guest.html", {"request": request})
    profile = artisan_profile(user)
    key = ("account-area", "artisan" if profile else "staff", translation.get_language(), request.get_host())
    drawing = cache.memo(
        request,
        key,
        lambda: render_to_string(
            "people/_account.html", {"artisan": profile is not None, "name": NAME_MARK, "token": TOKEN_MARK}
        ),
    )
    name = (profile.preferred_name if profile is not None else "") or user.get_username()
    field = format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', get_token(request))
    return mark_safe(drawing.replace(TOKEN_MARK, field).replace(NAME_MARK, escape(name)))  # noqa: S308 - both escaped
