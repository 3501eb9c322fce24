"""Site-wide template tags: language links, icons, the home URL."""

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse, translate_url
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from wagtail.models import Page

from courses import cache

register = template.Library()

# Small stroke icons (24×24 viewBox). Always shown beside a text label, never alone.
ICONS = {
    "arrow-left": "M15 5l-7 7 7 7",
    "arrow-right": "M9 5l7 7-7 7",
    "arrow-up": "M5 15l7-7 7 7",
    "check": "M4 12l5 5L20 6",
    "book": "M4 5h7a2 2 0 0 1 2 2v13a2 2 0 0 0-2-2H4zM20 5h-7a2 2 0 0 0-2 2v13a2 2 0 0 1 2-2h7z",
    "clock": "M12 7v5l3 2M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18z",
    "user": "M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8zM4 21a8 8 0 0 1 16 0",
    "logout": "M10 5H5v14h5M14 8l4 4-4 4M18 12H9",
    "login": "M14 5h5v14h-5M10 8l4 4-4 4M14 12H4",
    "star": "M12 3l2.7 5.6 6.3.9-4.5 4.4 1 6.1-5.5-2.9L6.5 20l1-6.1L3 9.5l6.3-.9z",
    "print": "M7 9V4h10v5M7 17H4v-7h16v7h-3M7 14h10v6H7z",
    "download": "M12 4v11M7 10l5 5 5-5M5 20h14",
    "list": "M8 6h12M8 12h12M8 18h12M4 6h.01M4 12h.01M4 18h.01",
    "globe": "M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18zM3 12h18M12 3c3 3 3 15 0 18M12 3c-3 3-3 15 0 18",
    "play": "M7 4l13 8-13 8z",
    "home": "M4 11l8-7 8 7M6 9v11h12V9",
}


@register.simple_tag
def icon(name: str) -> str:
    path = ICONS[name]
    return format_html(
        '<svg class="icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path d="{}"/></svg>', path
    )


@register.simple_tag
def home_url() -> str:
    """The programme (landing page) in the active language."""
    return reverse("wagtail_serve", args=[""])


@register.simple_tag(takes_context=True)
def language_links(context) -> str:
    """Plain links to this page in every other language: no JavaScript, no form.

    On a Wagtail page the link goes to the page's translation (slugs differ by
    language); elsewhere the same path is translated by its language prefix.
    A page without a live translation links to that language's home.

    The same for everyone, so drawn once per tree version in each worker: per page, or per view and address
    for a view whose address has no parts or whose view found what they name (``courses.cache.address_exists``:
    the quiz page), with no query; any other address (a code, a query, an unknown path) is drawn on each
    request, so no address a visitor makes up is ever kept.
    """
    request = context.get("request")
    page = context.get("page")
    key = _language_links_key(request, page)
    if key is None:
        return _draw_language_links(request, page)
    return cache.memo(
        request, (*key, translation.get_language(), request.get_host()), lambda: _draw_language_links(request, page)
    )


def _language_links_key(request, page) -> tuple | None:
    """What the links of this address are kept under, or None when they are drawn for this request only."""
    if request is None:
        return None
    if isinstance(page, Page):
        return ("language-links", page.pk)
    match = request.resolver_match
    if match is None or match.url_name == "wagtail_serve" or request.META.get("QUERY_STRING"):
        return None
    if match.args or match.kwargs:
        if not getattr(request, "_telar_address_exists", False):  # courses.cache.address_exists
            return None
        return ("language-links-view", match.view_name, match.args, tuple(sorted(match.kwargs.items())))
    return ("language-links-view", match.view_name)


def _draw_language_links(request, page) -> str:
    return render_to_string("includes/language_links.html", {"links": _language_links(request, page)})


def _language_links(request, page) -> list[dict]:
    current = translation.get_language()
    targets = {}
    if isinstance(page, Page) and request is not None:
        for translated in page.get_translations(inclusive=False).live().select_related("locale"):
            targets[translated.locale.language_code] = translated.get_url(request)
    links = []
    for code, name in settings.LANGUAGES:
        if code == current:
            continue
        url = targets.get(code)
        if url is None:
            if isinstance(page, Page):
                with translation.override(code):
                    url = reverse("wagtail_serve", args=[""])
            else:
                url = translate_url(request.get_full_path() if request else "/", code)
        links.append({"code": code, "name": name, "url": url})
    return links


class MemoNode(template.Node):
    def __init__(self, nodelist, name, keys, only_if=None):
        self.nodelist, self.name, self.keys, self.only_if = nodelist, name, keys, only_if

    def render(self, context):
        request = context.get("request")
        if request is None or (self.only_if is not None and not self.only_if.resolve(context)):
            return self.nodelist.render(context)
        where = request.__dict__.get("_telar_memo_where")
        if where is None:  # the language and host, once per request
            where = request._telar_memo_where = (translation.get_language(), request.get_host())
        key = ("fragment", self.name, *(str(key.resolve(context)) for key in self.keys), *where)
        text, holes = cache.memo(request, key, lambda: self._draw(request, context))
        if not holes:
            return text
        # Each hole is drawn now, for this request (or, inside a memo being drawn, becomes that memo's hole).
        parts = text.split(HOLE_MARK)
        filled = [parts[0]]
        for hole, rest in zip(holes, parts[1:], strict=True):
            filled += [hole.render(context), rest]
        return mark_safe("".join(filled))

    def _draw(self, request, context) -> tuple[str, tuple]:
        stack = request.__dict__.setdefault("_telar_memo_holes", [])
        stack.append([])
        try:
            text = self.nodelist.render(context)
        finally:
            holes = stack.pop()
        return text, tuple(holes)


# Where a hole's own drawing goes in a kept fragment. NUL never reaches a page (core.text drops control characters).
HOLE_MARK = "\x00telar-hole\x00"


class HoleNode(template.Node):
    def __init__(self, nodelist):
        self.nodelist = nodelist

    def render(self, context):
        request = context.get("request")
        stack = getattr(request, "_telar_memo_holes", None) if request is not None else None
        if not stack:  # not inside a memo being drawn: just draw it
            return self.nodelist.render(context)
        stack[-1].append(self)
        return HOLE_MARK


@register.tag
def memo(parser, token):
    """``{% memo "name" page.pk %}…{% endmemo %}``: a fragment drawn once per tree version, language and host
    in each worker (courses.cache); ``{% memo "name" key only_if=condition %}`` keeps it only when the
    condition holds. Only for what is the same for everyone: never a name, a form, a CSRF
    token or anything read from who is signed in — except inside a ``{% hole %}``."""
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("memo takes a name and the keys the fragment depends on")
    only_if = None
    if bits[-1].startswith("only_if="):  # kept only when this is true; drawn as it is otherwise
        only_if = parser.compile_filter(bits.pop()[len("only_if=") :])
    nodelist = parser.parse(("endmemo",))
    parser.delete_first_token()
    return MemoNode(nodelist, bits[1].strip("\"'"), [parser.compile_filter(bit) for bit in bits[2:]], only_if)


@register.tag
def hole(parser, token):
    """``{% hole %}…{% endhole %}``: inside a ``{% memo %}`` (at any depth of includes), a part drawn on every
    request — who is signed in, her forms and CSRF token, messages. The kept fragment holds a mark where it
    goes. A hole sees the context of the memo around it (not variables set by tags between the two);
    outside any memo it is drawn as it is."""
    nodelist = parser.parse(("endhole",))
    parser.delete_first_token()
    return HoleNode(nodelist)
