"""The home-screen icons, drawn with Pillow: a woven diamond on the first module's colour.

Run ``python -m offline.icons`` to redraw static/icons/icon-192.png and
icon-512.png (committed). Full-bleed background, motif inside the central 60 %,
so the icon also works where the phone crops it to a circle ("maskable").
Palette PNGs of a few colours keep each file a few kilobytes.
"""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image, ImageDraw

SIZES = (192, 512)
BACKGROUND = "#8e3b46"
THREAD = "#fffaf3"
ACCENT = "#ebc13b"
ICONS_DIR = Path(__file__).resolve().parent.parent / "static" / "icons"


def render(size: int) -> bytes:
    scale = 4
    big = size * scale
    image = Image.new("RGB", (big, big), BACKGROUND)
    draw = ImageDraw.Draw(image)
    centre, reach = big / 2, big * 0.30
    # Three nested diamonds, like a brocade motif; a small square at the heart.
    for fraction, colour in ((1.0, THREAD), (0.72, BACKGROUND), (0.5, ACCENT), (0.26, BACKGROUND)):
        r = reach * fraction
        corners = [(centre, centre - r), (centre + r, centre), (centre, centre + r), (centre - r, centre)]
        draw.polygon(corners, fill=colour)
    # Stitches along the sides, outside the diamond.
    step, stitch = big * 0.075, big * 0.022
    for index in range(-3, 4):
        offset = index * step
        for x, y in ((centre + offset, centre - reach * 1.25), (centre + offset, centre + reach * 1.25)):
            draw.rectangle([x - stitch, y - stitch, x + stitch, y + stitch], fill=ACCENT)
    small = image.resize((size, size), Image.LANCZOS).quantize(colors=16)
    buffer = io.BytesIO()
    small.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def write(directory: Path = ICONS_DIR) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for size in SIZES:
        path = directory / f"icon-{size}.png"
        path.write_bytes(render(size))
        paths.append(path)
    return paths


if __name__ == "__main__":
    for written in write():
        print(written, written.stat().st_size, "bytes")  # noqa: T201
