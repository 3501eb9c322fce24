"""The certificate block on "Mi avance": a download button once she has earned it."""

from django import template

from people.roles import is_artisan

from ..selectors import user_valid_certificate

register = template.Library()


@register.inclusion_tag("certificates/includes/my_certificate_block.html", takes_context=True)
def my_certificate(context) -> dict:
    """Her valid certificate or a word of encouragement (1 query; nothing at all for non-artisans)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not is_artisan(user):
        return {"show": False}
    return {"show": True, "certificate": user_valid_certificate(user)}
