"""Read the pictures of a sign-in screen back from its HTML: "symbol colour" per woman, or "photo"."""

import re

_PICTURE = re.compile(
    r'<img class="avatar"[^>]*data-face="photo"'
    r'|<span class="avatar" style="background:([^"]+)"[^>]*><svg[^>]*><use href="[^"#]*#([\w-]+)"'
)


def faces_in(html: str) -> list[str]:
    return [f"{m[2]} {m[1]}" if m[1] else "photo" for m in _PICTURE.finditer(html)]
