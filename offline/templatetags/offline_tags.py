"""Template tags for the offline forms: the signed token a kept form carries."""

from django import template

from core.tokens import make_token

register = template.Library()


@register.simple_tag(takes_context=True)
def offline_token(context, kind: str, object_id) -> str:
    """A token naming the signed-in user and this form ("lesson", 42), or "" for a guest."""
    user = context.get("user")
    if user is None or not user.is_authenticated:
        return ""
    return make_token(user_id=user.pk, scope=f"{kind}:{object_id}")
