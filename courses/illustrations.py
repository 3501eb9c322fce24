"""Flat, textile-inspired illustrations for the lessons, drawn with Pillow only.

Every motif is drawn in a 640 x 400 design space, scaled to fit the requested
size (centred on the motif's background colour), drawn at twice the size and
reduced for smooth edges. No fonts, no text and no randomness: the same
arguments always give the same pixels. Flat colours and few shapes keep a
640 x 400 WebP (quality 70) well under 40 KB.

    image = courses.illustrations.render("flor", colour="#8E3B46")  # a Pillow image

`colour` replaces the accent colour of a motif (for example, the module's band
colour). The colour swatches and pattern samples used by picture questions
keep their own palettes, because their colours are what the question is about.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence

from PIL import Image, ImageColor, ImageDraw

DESIGN_W, DESIGN_H = 640, 400
SUPERSAMPLE = 2

RGB = tuple[int, int, int]
Point = tuple[float, float]


def _rgb(value: str) -> RGB:
    return ImageColor.getrgb(value)[:3]


# A small palette of dyed-thread colours.
CREAM = _rgb("#F6EEDF")
PAPER = _rgb("#FFFBF3")
BEIGE = _rgb("#E9DCC6")
NATURAL = _rgb("#EFE4CF")
SAND = _rgb("#D8C3A0")
INK = _rgb("#3B2A25")
WOOD = _rgb("#8A5A3B")
WOOD_DARK = _rgb("#6B4329")
RED = _rgb("#B8352E")
ORANGE = _rgb("#E07A2E")
YELLOW = _rgb("#EBC13B")
OCHRE = _rgb("#D39B2A")
PINK = _rgb("#D0467F")
GREEN = _rgb("#3F7D4E")
LEAF = _rgb("#5E9A4A")
BLUE = _rgb("#2F5D8C")
TURQUOISE = _rgb("#2A9A9A")
LILAC = _rgb("#9C82C4")
BROWN = _rgb("#7A4E2D")
TERRACOTTA = _rgb("#B5623C")
OLIVE = _rgb("#7D7A3A")
SKIN = _rgb("#8D5B3F")
STEEL = _rgb("#8A8F98")
GREY = _rgb("#C9BFB0")
MINT = _rgb("#D5E8CF")

DEFAULT_ACCENT = RED


def shade(colour: RGB, factor: float) -> RGB:
    """Darker (factor < 1) or lighter (factor > 1, mixed towards white) version of a colour."""
    if factor <= 1:
        return tuple(round(c * factor) for c in colour)  # type: ignore[return-value]
    mix = min(factor - 1, 1)
    return tuple(round(c + (255 - c) * mix) for c in colour)  # type: ignore[return-value]


class Pen:
    """Draws in design coordinates (640 x 400) on a canvas of any size."""

    def __init__(self, image: Image.Image):
        self.image = image
        self.draw = ImageDraw.Draw(image)
        width, height = image.size
        self.scale = min(width / DESIGN_W, height / DESIGN_H)
        self.ox = (width - DESIGN_W * self.scale) / 2
        self.oy = (height - DESIGN_H * self.scale) / 2

    def pt(self, x: float, y: float) -> Point:
        return (self.ox + x * self.scale, self.oy + y * self.scale)

    def pts(self, points: Iterable[Point]) -> list[Point]:
        return [self.pt(x, y) for x, y in points]

    def w(self, width: float) -> int:
        return max(1, round(width * self.scale))

    def background(self, colour: RGB) -> None:
        self.draw.rectangle((0, 0, *self.image.size), fill=colour)

    def rect(self, x0, y0, x1, y1, fill=None, outline=None, width=0, radius=0) -> None:
        box = (*self.pt(x0, y0), *self.pt(x1, y1))
        if radius:
            self.draw.rounded_rectangle(
                box, radius=radius * self.scale, fill=fill, outline=outline, width=self.w(width) if outline else 0
            )
        else:
            self.draw.rectangle(box, fill=fill, outline=outline, width=self.w(width) if outline else 0)

    def ellipse(self, cx, cy, rx, ry, fill=None, outline=None, width=0) -> None:
        box = (*self.pt(cx - rx, cy - ry), *self.pt(cx + rx, cy + ry))
        self.draw.ellipse(box, fill=fill, outline=outline, width=self.w(width) if outline else 0)

    def circle(self, cx, cy, r, fill=None, outline=None, width=0) -> None:
        self.ellipse(cx, cy, r, r, fill=fill, outline=outline, width=width)

    def arc(self, cx, cy, rx, ry, start, end, fill, width) -> None:
        box = (*self.pt(cx - rx, cy - ry), *self.pt(cx + rx, cy + ry))
        self.draw.arc(box, start, end, fill=fill, width=self.w(width))

    def chord(self, cx, cy, rx, ry, start, end, fill) -> None:
        box = (*self.pt(cx - rx, cy - ry), *self.pt(cx + rx, cy + ry))
        self.draw.chord(box, start, end, fill=fill)

    def polygon(self, points: Sequence[Point], fill=None, outline=None, width=0) -> None:
        self.draw.polygon(self.pts(points), fill=fill, outline=outline, width=self.w(width) if outline else 0)

    def line(self, points: Sequence[Point], fill, width, round_ends=False) -> None:
        self.draw.line(self.pts(points), fill=fill, width=self.w(width), joint="curve")
        if round_ends:
            for x, y in (points[0], points[-1]):
                self.circle(x, y, width / 2, fill=fill)

    def dashed(self, points: Sequence[Point], fill, width, dash=10, gap=8) -> None:
        """A running stitch along a polyline."""
        for (x0, y0), (x1, y1) in zip(points, points[1:], strict=False):
            length = math.hypot(x1 - x0, y1 - y0)
            if length == 0:
                continue
            ux, uy = (x1 - x0) / length, (y1 - y0) / length
            pos = 0.0
            while pos < length:
                end = min(pos + dash, length)
                self.line([(x0 + ux * pos, y0 + uy * pos), (x0 + ux * end, y0 + uy * end)], fill, width)
                pos += dash + gap

    def diamond(self, cx, cy, rx, ry, fill) -> None:
        self.polygon([(cx, cy - ry), (cx + rx, cy), (cx, cy + ry), (cx - rx, cy)], fill=fill)

    def cross(self, cx, cy, size, fill, width=4) -> None:
        """A cross stitch (punto de cruz)."""
        self.line([(cx - size, cy - size), (cx + size, cy + size)], fill, width)
        self.line([(cx - size, cy + size), (cx + size, cy - size)], fill, width)


# --- shape helpers -----------------------------------------------------------------


def _petal(cx: float, cy: float, angle_deg: float, length: float, width: float, start: float = 0) -> list[Point]:
    """An almond-shaped petal or leaf pointing from (cx, cy) towards angle_deg."""
    angle = math.radians(angle_deg)
    ca, sa = math.cos(angle), math.sin(angle)
    points = []
    for step in range(28):
        t = 2 * math.pi * step / 28
        lx = start + (length / 2) * (1 + math.cos(t))
        ly = (width / 2) * math.sin(t)
        points.append((cx + lx * ca - ly * sa, cy + lx * sa + ly * ca))
    return points


def _bezier(p0: Point, p1: Point, p2: Point, p3: Point, steps: int = 24) -> list[Point]:
    points = []
    for i in range(steps + 1):
        t = i / steps
        u = 1 - t
        points.append(
            (
                u**3 * p0[0] + 3 * u * u * t * p1[0] + 3 * u * t * t * p2[0] + t**3 * p3[0],
                u**3 * p0[1] + 3 * u * u * t * p1[1] + 3 * u * t * t * p2[1] + t**3 * p3[1],
            )
        )
    return points


def _flower(p: Pen, cx: float, cy: float, size: float, petals: RGB, centre: RGB, count: int = 8) -> None:
    for i in range(count):
        p.polygon(_petal(cx, cy, i * 360 / count - 90, size, size * 0.42, start=size * 0.12), fill=petals)
    p.circle(cx, cy, size * 0.28, fill=centre)


def _mini_blouse(p: Pen, x: float, y: float, s: float, body: RGB, trim: RGB) -> None:
    """A small blouse silhouette whose top-left corner is (x, y); s is the scale (1 = 100 wide)."""

    def q(px, py):
        return (x + px * s, y + py * s)

    p.polygon(
        [q(30, 0), q(70, 0), q(100, 22), q(86, 40), q(72, 32), q(72, 90), q(28, 90), q(28, 32), q(14, 40), q(0, 22)],
        fill=body,
    )
    p.polygon([q(34, 0), q(66, 0), q(66, 26), q(34, 26)], fill=trim)
    p.polygon([q(42, 0), q(58, 0), q(58, 14), q(42, 14)], fill=BEIGE)
    p.polygon([q(28, 82), q(72, 82), q(72, 90), q(28, 90)], fill=trim)


def _tassel(p: Pen, x: float, y: float, colour: RGB) -> None:
    p.circle(x, y, 9, fill=colour)
    p.line([(x, y), (x + (6 if x > 320 else -6), y + (6 if y > 200 else -6))], colour, 6)


# --- motifs ------------------------------------------------------------------------


def rombo_band(p: Pen, accent: RGB) -> None:
    """Two brocade bands of diamonds (rombos) with thin stripes between them."""
    p.background(CREAM)
    for top in (50, 260):
        p.rect(-40, top, 680, top + 90, fill=accent)
        for i in range(-1, 11):
            cx, cy = 40 + i * 70, top + 45
            p.diamond(cx, cy, 32, 40, fill=OCHRE)
            p.diamond(cx, cy, 20, 26, fill=shade(accent, 0.7))
            p.diamond(cx, cy, 8, 10, fill=CREAM)
        for i in range(-1, 11):
            p.diamond(75 + i * 70, top + 45, 5, 6, fill=CREAM)
    for y, colour in ((160, GREEN), (178, OCHRE), (196, accent), (214, BLUE), (232, OCHRE)):
        p.rect(-40, y, 680, y + 8, fill=colour)


def zigzag_border(p: Pen, accent: RGB) -> None:
    """A zig-zag border (cenefa) in three threads."""
    p.background(CREAM)

    def band(y0: float, amplitude: float, period: float, thickness: float, colour: RGB) -> None:
        xs = [-period + i * period / 2 for i in range(int((DESIGN_W + 2 * period) / (period / 2)) + 1)]
        top = [(x, y0 + (amplitude if i % 2 else -amplitude)) for i, x in enumerate(xs)]
        bottom = [(x, y + thickness) for x, y in reversed(top)]
        p.polygon(top + bottom, fill=colour)

    band(95, 22, 80, 14, OCHRE)
    band(190, 50, 160, 34, accent)
    band(305, 22, 80, 14, GREEN)
    for i in range(-1, 6):
        p.diamond(i * 160 + 80, 205, 14, 18, fill=OCHRE)
        p.diamond(i * 160, 145, 9, 12, fill=shade(accent, 0.75))
    p.rect(-40, 30, 680, 38, fill=shade(accent, 0.75))
    p.rect(-40, 362, 680, 370, fill=shade(accent, 0.75))


def flor(p: Pen, accent: RGB) -> None:
    """An embroidered flower in an embroidery hoop (bastidor)."""
    p.background(CREAM)
    p.circle(320, 200, 178, fill=WOOD)
    p.circle(320, 200, 162, fill=PAPER)
    p.line(_bezier((320, 215), (318, 260), (330, 300), (322, 350)), GREEN, 9)
    p.polygon(_petal(322, 290, 200, 80, 34), fill=LEAF)
    p.polygon(_petal(324, 270, -25, 74, 30), fill=GREEN)
    _flower(p, 320, 160, 92, accent, OCHRE, count=8)
    _flower(p, 320, 160, 50, shade(accent, 0.7), YELLOW, count=8)
    for i in range(16):
        angle = math.radians(i * 22.5)
        p.cross(320 + 140 * math.cos(angle), 200 + 140 * math.sin(angle), 5, OCHRE if i % 2 else accent, 3)


def blouse(p: Pen, accent: RGB) -> None:
    """A blouse with an embroidered square yoke and sleeve bands."""
    p.background(BEIGE)
    outline = [
        (225, 70),
        (415, 70),
        (540, 150),
        (495, 215),
        (420, 175),
        (425, 360),
        (215, 360),
        (220, 175),
        (145, 215),
        (100, 150),
    ]
    p.polygon(outline, fill=PAPER)
    p.rect(248, 70, 392, 170, fill=accent)
    for row, y in enumerate((92, 122, 152)):
        for i in range(6):
            x = 258 + i * 25 + (12 if row % 2 else 0)
            if x < 385:
                p.diamond(x, y, 9, 11, fill=OCHRE if row != 1 else YELLOW)
    p.rect(283, 62, 357, 128, fill=BEIGE)
    p.polygon([(100, 150), (118, 124), (164, 240 - 46), (145, 215)], fill=accent)
    p.polygon([(540, 150), (522, 124), (476, 194), (495, 215)], fill=accent)
    p.rect(216, 334, 424, 348, fill=accent)
    for i in range(9):
        p.diamond(228 + i * 23, 341, 5, 5, fill=OCHRE)
    p.polygon(outline, outline=shade(BEIGE, 0.55), width=3)


def spool_needle(p: Pen, accent: RGB) -> None:
    """A spool of thread with the thread running to a needle."""
    p.background(CREAM)
    p.rect(215, 115, 315, 285, fill=accent)
    for y in range(125, 285, 14):
        p.line([(215, y), (315, y + 6)], shade(accent, 0.78), 3)
    p.rect(195, 88, 335, 118, fill=WOOD, radius=8)
    p.rect(195, 282, 335, 312, fill=WOOD, radius=8)
    p.ellipse(265, 103, 16, 6, fill=WOOD_DARK)
    p.line(_bezier((315, 230), (400, 280), (420, 140), (494, 128)), accent, 5)
    p.polygon([(560, 70), (566, 76), (430, 338), (424, 336)], fill=STEEL)
    p.ellipse(548, 98, 4, 12, fill=CREAM)
    p.line(_bezier((494, 128), (530, 110), (540, 100), (548, 98)), accent, 5)
    for i in range(4):
        p.cross(110, 140 + i * 45, 9, OCHRE if i % 2 else accent, 5)


def scissors_pattern(p: Pen, accent: RGB) -> None:
    """Paper pattern pieces with a dashed cutting line and a pair of scissors."""
    p.background(CREAM)
    paper = _rgb("#EADBB8")
    front = [(60, 60), (150, 50), (180, 100), (250, 110), (270, 340), (60, 340)]
    p.polygon(front, fill=paper)
    p.dashed(front + [front[0]], INK, 3, dash=12, gap=8)
    p.line([(160, 160), (160, 290)], shade(paper, 0.6), 4)
    p.polygon([(160, 150), (150, 170), (170, 170)], fill=shade(paper, 0.6))
    sleeve = [(320, 140), (380, 60), (450, 50), (520, 60), (580, 140), (560, 190), (340, 190)]
    p.polygon(sleeve, fill=paper)
    p.dashed(sleeve + [sleeve[0]], INK, 3, dash=12, gap=8)
    # scissors: tapered blades from the pivot to the upper right, handles to the lower left
    pivot = (430, 270)
    for tip, colour in (((612, 200), STEEL), ((606, 300), shade(STEEL, 0.82))):
        dx, dy = tip[0] - pivot[0], tip[1] - pivot[1]
        length = math.hypot(dx, dy)
        nx, ny = -dy / length, dx / length
        p.polygon(
            [
                (pivot[0] + nx * 11, pivot[1] + ny * 11),
                (tip[0] + nx * 2, tip[1] + ny * 2),
                (tip[0] - nx * 2, tip[1] - ny * 2),
                (pivot[0] - nx * 11, pivot[1] - ny * 11),
            ],
            fill=colour,
        )
    p.line([pivot, (380, 300)], accent, 14)
    p.line([pivot, (400, 330)], accent, 14)
    p.circle(355, 312, 34, fill=accent)
    p.circle(355, 312, 18, fill=CREAM)
    p.circle(392, 352, 30, fill=accent)
    p.circle(392, 352, 15, fill=CREAM)
    p.circle(*pivot, 8, fill=INK)


def coins_scale(p: Pen, accent: RGB) -> None:
    """A balance with a folded blouse on one pan and coins on the other."""
    p.background(CREAM)
    p.polygon([(250, 372), (390, 372), (365, 345), (275, 345)], fill=WOOD)
    p.rect(312, 100, 328, 348, fill=WOOD_DARK)
    p.rect(140, 98, 500, 114, fill=WOOD, radius=6)
    p.circle(320, 96, 16, fill=OCHRE)
    for cx in (160, 480):
        p.line([(cx, 112), (cx - 60, 240)], INK, 3)
        p.line([(cx, 112), (cx + 60, 240)], INK, 3)
        p.chord(cx, 238, 72, 34, 0, 180, fill=shade(accent, 0.8))
        p.rect(cx - 72, 234, cx + 72, 240, fill=shade(accent, 0.8))
    # folded cloth on the left pan
    p.rect(110, 190, 210, 236, fill=PAPER)
    p.rect(110, 202, 210, 214, fill=accent)
    for i in range(5):
        p.diamond(120 + i * 20, 208, 5, 5, fill=OCHRE)
    p.rect(116, 170, 204, 192, fill=NATURAL)
    # coins on the right pan
    for i in range(5):
        p.ellipse(480, 226 - i * 12, 36, 11, fill=shade(OCHRE, 0.8))
        p.ellipse(480, 222 - i * 12, 36, 11, fill=OCHRE)
    p.ellipse(480, 174, 20, 5, fill=YELLOW)


def phone_photo(p: Pen, accent: RGB) -> None:
    """A phone in daylight, taking a photo of a blouse."""
    p.background(CREAM)
    p.circle(110, 95, 38, fill=YELLOW)
    for i in range(8):
        angle = math.radians(i * 45)
        p.line(
            [
                (110 + 50 * math.cos(angle), 95 + 50 * math.sin(angle)),
                (110 + 68 * math.cos(angle), 95 + 68 * math.sin(angle)),
            ],
            OCHRE,
            6,
        )
    p.rect(228, 26, 412, 376, fill=INK, radius=28)
    p.rect(244, 62, 396, 322, fill=PAPER, radius=4)
    p.rect(296, 40, 344, 47, fill=STEEL, radius=3)
    p.circle(320, 349, 13, fill=STEEL)
    p.rect(262, 84, 378, 236, fill=BEIGE)
    _mini_blouse(p, 272, 110, 0.96, accent, OCHRE)
    corner = YELLOW
    for x, y, dx, dy in ((256, 78, 1, 1), (384, 78, -1, 1), (256, 242, 1, -1), (384, 242, -1, -1)):
        p.line([(x, y + 18 * dy), (x, y), (x + 18 * dx, y)], corner, 4)
    for i in range(3):
        p.rect(262 + i * 42, 258, 294 + i * 42, 290, fill=(NATURAL, SAND, BEIGE)[i])
    p.circle(370, 274, 16, fill=accent)
    p.circle(370, 274, 9, fill=PAPER)
    # a window: take photos in daylight
    p.rect(470, 120, 610, 300, fill=WOOD, radius=6)
    p.rect(482, 132, 598, 288, fill=_rgb("#CFE3EE"))
    p.rect(536, 132, 544, 288, fill=WOOD)
    p.rect(482, 206, 598, 214, fill=WOOD)


def circle_people(p: Pen, accent: RGB) -> None:
    """Women in embroidered blouses holding hands in a circle."""
    p.background(CREAM)
    p.ellipse(320, 318, 290, 74, fill=BEIGE)
    p.ellipse(320, 318, 80, 22, fill=shade(accent, 1.6))
    colours = [accent, OCHRE, GREEN, PINK, BLUE, TURQUOISE, ORANGE]
    people = []
    count = 7
    for i in range(count):
        theta = math.radians(90 + i * 360 / count)
        x = 320 + 230 * math.cos(theta)
        y = 300 + 66 * math.sin(theta)
        s = 0.86 + 0.36 * (math.sin(theta) + 1) / 2
        people.append((y, i, x, s))
    drawn: set[int] = set()

    def shoulder(index: int) -> Point:
        _y, _i, x, s = people[index]
        return (x, _y - 80 * s)

    for y, i, x, s in sorted(people):
        for j in ((i - 1) % count, (i + 1) % count):
            if j in drawn:
                (x0, y0), (x1, y1) = shoulder(i), shoulder(j)
                mid = ((x0 + x1) / 2, (y0 + y1) / 2 + 16)
                p.line([(x0, y0), mid, (x1, y1)], SKIN, 7 * s)
                p.circle(*mid, 6 * s, fill=SKIN)
        skirt = [(x - 22 * s, y - 58 * s), (x + 22 * s, y - 58 * s), (x + 28 * s, y), (x - 28 * s, y)]
        p.polygon(skirt, fill=_rgb("#26324A"))
        p.rect(x - 25 * s, y - 10 * s, x + 25 * s, y - 4 * s, fill=colours[i])
        p.rect(x - 24 * s, y - 98 * s, x + 24 * s, y - 56 * s, fill=PAPER, radius=8 * s)
        p.rect(x - 14 * s, y - 98 * s, x + 14 * s, y - 78 * s, fill=colours[i])
        p.circle(x, y - 114 * s, 17 * s, fill=SKIN)
        p.chord(x, y - 116 * s, 18 * s, 17 * s, 180, 360, fill=INK)
        drawn.add(i)


def _swatch_set(colours: Sequence[RGB]) -> Callable[[Pen, RGB], None]:
    def motif(p: Pen, accent: RGB) -> None:  # noqa: ARG001 - the palette is the point
        p.background(CREAM)
        p.rect(78, 52, 562, 72, fill=WOOD, radius=10)
        for i, colour in enumerate(colours):
            x0 = 100 + i * 115
            p.rect(x0, 72, x0 + 95, 318, fill=colour)
            p.dashed([(x0 + 10, 96), (x0 + 85, 96)], CREAM, 3, dash=8, gap=6)
            for fx in range(int(x0) + 5, int(x0) + 95, 11):
                p.line([(fx, 318), (fx, 350)], colour, 4)
        p.rect(78, 52, 562, 72, fill=WOOD, radius=10)

    return motif


swatch_warm = _swatch_set([RED, ORANGE, YELLOW, PINK])
swatch_warm.__doc__ = "Four hanging cloth samples in warm colours: red, orange, yellow, pink."
swatch_cool = _swatch_set([BLUE, TURQUOISE, GREEN, LILAC])
swatch_cool.__doc__ = "Four hanging cloth samples in cool colours: blue, turquoise, green, lilac."
swatch_earth = _swatch_set([BROWN, OCHRE, SAND, OLIVE])
swatch_earth.__doc__ = "Four hanging cloth samples in earth tones: brown, ochre, sand, olive green."


def _cushion(p: Pen, fill: RGB, tassel: RGB) -> None:
    p.background(CREAM)
    p.rect(176, 56, 476, 356, fill=shade(CREAM, 0.85), radius=26)
    p.rect(170, 50, 470, 350, fill=fill, radius=26)
    for x, y in ((172, 52), (468, 52), (172, 348), (468, 348)):
        _tassel(p, x, y, tassel)


def pattern_dense(p: Pen, accent: RGB) -> None:  # noqa: ARG001 - fixed palette for picture questions
    """A cushion covered edge to edge with embroidery in many colours."""
    _cushion(p, RED, OCHRE)
    cycle = [(YELLOW, BLUE), (PINK, GREEN), (TURQUOISE, ORANGE), (ORANGE, PINK), (GREEN, YELLOW), (BLUE, PAPER)]
    for row in range(5):
        for col in range(5):
            cx, cy = 216 + col * 52, 96 + row * 52
            outer, inner = cycle[(row * 5 + col) % len(cycle)]
            p.diamond(cx, cy, 25, 25, fill=outer)
            p.diamond(cx, cy, 14, 14, fill=inner)
            p.diamond(cx, cy, 5, 5, fill=PAPER)


def pattern_minimal(p: Pen, accent: RGB) -> None:  # noqa: ARG001 - fixed palette for picture questions
    """A plain natural-coloured cushion with one narrow band of red diamonds."""
    _cushion(p, NATURAL, SAND)
    p.rect(170, 186, 470, 190, fill=RED)
    p.rect(170, 210, 470, 214, fill=RED)
    for i in range(9):
        p.diamond(194 + i * 32, 200, 10, 8, fill=RED)


def heart(p: Pen, accent: RGB) -> None:
    """A heart filled with cross stitches, outlined by a running stitch."""
    p.background(CREAM)

    def outline(scale: float) -> list[Point]:
        pts = []
        for i in range(72):
            t = 2 * math.pi * i / 72
            x = 16 * math.sin(t) ** 3
            y = 13 * math.cos(t) - 5 * math.cos(2 * t) - 2 * math.cos(3 * t) - math.cos(4 * t)
            pts.append((320 + x * scale, 190 - y * scale))
        return pts

    p.polygon(outline(10), fill=accent)
    ring = outline(11.6)
    p.dashed(ring + [ring[0]], INK, 4, dash=12, gap=9)
    for dx, dy in (
        (0, -30),
        (-44, -62),
        (44, -62),
        (0, 20),
        (-48, -12),
        (48, -12),
        (-26, 64),
        (26, 64),
        (0, 108),
        (-90, -44),
        (90, -44),
    ):
        p.cross(320 + dx, 190 + dy, 9, CREAM, 4)
    for i in range(6):
        p.diamond(60 + i * 8, 70 + i * 52, 7, 9, fill=OCHRE)
        p.diamond(580 - i * 8, 70 + i * 52, 7, 9, fill=OCHRE)


def chat_bubbles(p: Pen, accent: RGB) -> None:
    """Two speech bubbles; one shows a photo of a blouse."""
    p.background(CREAM)
    p.polygon([(100, 190), (92, 236), (150, 196)], fill=PAPER)
    p.rect(70, 50, 390, 200, fill=PAPER, radius=22)
    p.rect(88, 68, 188, 182, fill=BEIGE, radius=6)
    _mini_blouse(p, 96, 82, 0.84, accent, OCHRE)
    for i, length in enumerate((160, 130, 90)):
        p.rect(208, 86 + i * 34, 208 + length, 104 + i * 34, fill=GREY, radius=9)
    p.polygon([(530, 330), (560, 372), (480, 338)], fill=MINT)
    p.rect(250, 232, 570, 340, fill=MINT, radius=22)
    for i, length in enumerate((250, 180)):
        p.rect(276, 258 + i * 34, 276 + length, 276 + i * 34, fill=shade(GREEN, 1.35), radius=9)
    p.circle(520, 302, 12, fill=accent)


def shield_lock(p: Pen, accent: RGB) -> None:
    """A shield with a closed padlock: keep your codes to yourself."""
    p.background(CREAM)

    def shield(inset: float) -> list[Point]:
        left, right, top = 190 + inset, 450 - inset, 50 + inset
        side = [(right, top + 10), (right, 200)]
        curve = _bezier((right, 200), (right, 290), (370, 330), (320, 370 - inset), 16)
        mirror = [(640 - x, y) for x, y in reversed(curve)]
        return [(left, top + 10), (320, top - 6)] + side + curve + mirror[1:]

    p.polygon(shield(0), fill=accent)
    inner = shield(16)
    p.polygon(inner, outline=OCHRE, width=6)
    p.arc(320, 182, 42, 48, 180, 360, PAPER, 16)
    p.rect(270, 180, 370, 268, fill=PAPER, radius=12)
    p.circle(320, 214, 12, fill=INK)
    p.polygon([(314, 218), (326, 218), (330, 248), (310, 248)], fill=INK)
    for x in (90, 550):
        for i in range(3):
            p.circle(x, 150 + i * 50, 16, fill=OCHRE)
            p.circle(x, 150 + i * 50, 8, fill=YELLOW)


def tape_measure(p: Pen, accent: RGB) -> None:
    """A tape measure pulled out of its case."""
    p.background(CREAM)
    p.rect(250, 232, 612, 288, fill=YELLOW)
    for i, x in enumerate(range(262, 606, 12)):
        top = 232
        p.line([(x, top), (x, top + (26 if i % 5 == 0 else 14))], INK, 3 if i % 5 == 0 else 2)
    p.rect(600, 226, 622, 294, fill=INK, radius=3)
    p.circle(180, 240, 108, fill=accent)
    p.circle(180, 240, 74, fill=shade(accent, 0.78))
    p.circle(180, 240, 24, fill=OCHRE)
    p.rect(250, 226, 290, 294, fill=shade(accent, 0.78), radius=6)
    for i in range(5):
        p.diamond(360 + i * 52, 120, 16, 20, fill=OCHRE if i % 2 else accent)


def table_runner(p: Pen, accent: RGB) -> None:
    """A table runner with embroidered ends and fringes, seen from above."""
    p.background(WOOD)
    for y in (40, 110, 290, 360):
        p.line([(0, y), (640, y + 6)], WOOD_DARK, 3)
    p.rect(90, 130, 550, 270, fill=PAPER)
    for x0 in (90, 480):
        p.rect(x0, 130, x0 + 70, 270, fill=accent)
        for i in range(4):
            p.diamond(x0 + 35, 150 + i * 34, 15, 15, fill=OCHRE)
            p.diamond(x0 + 35, 150 + i * 34, 6, 6, fill=PAPER)
    p.rect(170, 196, 470, 204, fill=shade(accent, 1.45))
    for y in range(136, 268, 10):
        p.line([(68, y), (90, y)], PAPER, 4)
        p.line([(550, y), (572, y)], PAPER, 4)


def price_tag(p: Pen, accent: RGB) -> None:
    """A price tag on a string, with a coin: no numbers, no text."""
    p.background(CREAM)
    p.line(_bezier((175, 210), (120, 140), (70, 130), (40, 60)), INK, 4)
    tag = [(200, 120), (530, 120), (530, 300), (200, 300), (130, 210)]
    p.polygon(tag, fill=accent)
    p.dashed([(210, 136), (516, 136), (516, 284), (210, 284), (152, 210), (210, 136)], PAPER, 3, dash=10, gap=7)
    p.circle(175, 210, 15, fill=CREAM)
    p.circle(300, 210, 48, fill=OCHRE)
    p.circle(300, 210, 32, fill=YELLOW)
    for i in range(3):
        p.diamond(400 + i * 40, 210, 14, 20, fill=PAPER)


def loom(p: Pen, accent: RGB) -> None:
    """A backstrap loom (telar de cintura) with a woven band of diamonds."""
    p.background(CREAM)
    p.line([(150, 44), (320, 0)], INK, 4)
    p.line([(490, 44), (320, 0)], INK, 4)
    p.rect(130, 36, 510, 54, fill=WOOD, radius=8)
    for i, x in enumerate(range(164, 480, 12)):
        p.line([(x, 54), (x, 250)], SAND if i % 2 else shade(SAND, 0.8), 4)
    p.rect(140, 118, 500, 128, fill=WOOD_DARK, radius=4)
    p.rect(150, 178, 490, 190, fill=WOOD, radius=5)
    p.rect(160, 250, 480, 348, fill=PAPER)
    p.rect(160, 266, 480, 332, fill=accent)
    for i in range(8):
        p.diamond(180 + i * 40, 299, 18, 26, fill=OCHRE)
        p.diamond(180 + i * 40, 299, 7, 10, fill=shade(accent, 0.7))
    p.rect(160, 256, 480, 260, fill=GREEN)
    p.rect(160, 338, 480, 342, fill=GREEN)
    p.rect(130, 348, 510, 366, fill=WOOD, radius=8)
    p.arc(320, 366, 200, 34, 0, 180, WOOD_DARK, 12)


def clock_hours(p: Pen, accent: RGB) -> None:
    """A clock ringed by an embroidered border: count your hours."""
    p.background(CREAM)
    for i in range(20):
        angle = math.radians(i * 18)
        p.diamond(320 + 168 * math.cos(angle), 200 + 168 * math.sin(angle), 10, 12, fill=OCHRE if i % 2 else accent)
    p.circle(320, 200, 136, fill=accent)
    p.circle(320, 200, 122, fill=PAPER)
    for i in range(12):
        angle = math.radians(i * 30)
        inner = 96 if i % 3 == 0 else 106
        p.line(
            [
                (320 + inner * math.cos(angle), 200 + inner * math.sin(angle)),
                (320 + 114 * math.cos(angle), 200 + 114 * math.sin(angle)),
            ],
            INK,
            6 if i % 3 == 0 else 4,
        )
    p.line(
        [(320, 200), (320 + 58 * math.cos(math.radians(-150)), 200 + 58 * math.sin(math.radians(-150)))],
        INK,
        12,
        round_ends=True,
    )
    p.line(
        [(320, 200), (320 + 88 * math.cos(math.radians(-30)), 200 + 88 * math.sin(math.radians(-30)))],
        INK,
        8,
        round_ends=True,
    )
    p.circle(320, 200, 11, fill=accent)


def package(p: Pen, accent: RGB) -> None:
    """A closed shipping box with an embroidered flower on its label."""
    p.background(CREAM)
    p.polygon([(150, 150), (390, 150), (390, 360), (150, 360)], fill=_rgb("#C38D57"))
    p.polygon([(390, 150), (500, 100), (500, 300), (390, 360)], fill=_rgb("#A7723F"))
    p.polygon([(150, 150), (260, 100), (500, 100), (390, 150)], fill=_rgb("#DBAA72"))
    p.polygon([(260, 150), (290, 150), (400, 100), (370, 100)], fill=_rgb("#EBCB9B"))
    p.rect(260, 150, 290, 360, fill=_rgb("#E3BA86"))
    p.rect(176, 226, 250, 316, fill=PAPER, radius=6)
    _flower(p, 213, 268, 30, accent, OCHRE, count=6)
    for i in range(4):
        p.cross(560, 120 + i * 60, 10, OCHRE if i % 2 else accent, 5)


def handshake(p: Pen, accent: RGB) -> None:
    """Two hands meeting in a handshake, one sleeve embroidered: an agreement kept."""
    p.background(CREAM)
    for i in range(5):
        p.diamond(110 + i * 105, 62, 14, 18, fill=OCHRE if i % 2 else accent)
    # left forearm in an embroidered blouse sleeve
    p.polygon([(-20, 236), (196, 200), (214, 286), (-20, 330)], fill=PAPER)
    p.polygon([(150, 208), (196, 200), (214, 286), (168, 294)], fill=accent)
    for i in range(3):
        p.diamond(180 + i * 4, 222 + i * 26, 8, 9, fill=OCHRE)
    # right forearm in a plain shirt sleeve with a cuff
    p.polygon([(660, 170), (452, 196), (440, 280), (660, 262)], fill=BLUE)
    p.polygon([(452, 196), (490, 192), (480, 276), (440, 280)], fill=shade(BLUE, 0.75))
    # the right hand comes from the right, palm down, fingers wrapping the other hand
    p.polygon([(450, 200), (380, 190), (300, 214), (282, 250), (330, 262), (450, 276)], fill=shade(SKIN, 1.12))
    # the left hand from the left, thumb on top
    p.polygon([(206, 206), (300, 206), (382, 236), (392, 262), (340, 290), (212, 284)], fill=SKIN)
    p.polygon(_petal(262, 206, -8, 96, 30), fill=SKIN)
    # fingers of the right hand curling over the left hand
    for i in range(4):
        y = 246 + i * 14
        p.line(_bezier((372, y - 20), (330, y - 14), (300, y - 4), (296, y + 10), 12), shade(SKIN, 1.12), 13)
        p.line(_bezier((372, y - 13), (336, y - 7), (312, y + 2), (306, y + 12), 12), shade(SKIN, 0.92), 2)
    for i in range(5):
        p.cross(150 + i * 85, 352, 9, OCHRE if i % 2 else accent, 4)


def order_notebook(p: Pen, accent: RGB) -> None:
    """An open notebook of orders: a drawn blouse, lines of notes with ticks, and a pencil."""
    p.background(CREAM)
    p.rect(84, 54, 560, 352, fill=shade(accent, 0.8), radius=14)
    p.rect(100, 64, 318, 340, fill=PAPER, radius=4)
    p.rect(322, 64, 540, 340, fill=PAPER, radius=4)
    p.rect(316, 60, 324, 344, fill=shade(accent, 0.6))
    for y in range(96, 330, 28):
        p.line([(114, y), (304, y)], shade(GREY, 1.2), 2)
        p.line([(336, y), (526, y)], shade(GREY, 1.2), 2)
    p.rect(122, 82, 214, 176, fill=BEIGE, radius=4)
    _mini_blouse(p, 128, 90, 0.8, accent, OCHRE)
    for i, length in enumerate((60, 46, 64)):
        p.rect(228, 104 + i * 28, 228 + length, 116 + i * 28, fill=GREY, radius=5)
    for i, length in enumerate((150, 120, 160, 96)):
        p.rect(122, 204 + i * 28, 122 + length, 216 + i * 28, fill=GREY, radius=5)
    for i in range(7):
        y = 86 + i * 28
        p.rect(346, y, 366, y + 18, outline=INK, width=2)
        p.rect(378, y + 3, 378 + (110 if i % 2 else 130), y + 15, fill=GREY, radius=5)
        if i < 4:
            p.line([(349, y + 9), (355, y + 15), (366, y - 2)], GREEN, 5)
    # pencil
    p.polygon([(470, 376), (610, 236), (628, 254), (488, 394)], fill=YELLOW)
    p.polygon([(470, 376), (488, 394), (452, 408)], fill=SAND)
    p.polygon([(458, 398), (464, 396), (460, 404)], fill=INK)
    p.polygon([(610, 236), (622, 224), (640, 242), (628, 254)], fill=PINK)


def market_stall(p: Pen, accent: RGB) -> None:
    """A market stall with a striped awning, folded textiles and a blouse on display."""
    p.background(CREAM)
    p.rect(118, 96, 130, 360, fill=WOOD_DARK)
    p.rect(510, 96, 522, 360, fill=WOOD_DARK)
    for i in range(8):
        x0 = 100 + i * 55
        p.polygon([(x0, 60), (x0 + 55, 60), (x0 + 55, 120), (x0, 120)], fill=accent if i % 2 == 0 else PAPER)
        p.chord(x0 + 27.5, 120, 27.5, 22, 0, 180, fill=accent if i % 2 == 0 else PAPER)
    p.rect(96, 52, 544, 64, fill=WOOD, radius=5)
    p.line([(150, 150), (490, 150)], INK, 3)
    _mini_blouse(p, 180, 152, 1.05, RED, OCHRE)
    _mini_blouse(p, 350, 152, 1.05, BLUE, YELLOW)
    p.rect(100, 262, 540, 286, fill=WOOD, radius=4)
    p.rect(112, 286, 528, 360, fill=shade(WOOD, 0.85))
    for i, (fill, trim) in enumerate(((PINK, YELLOW), (TURQUOISE, OCHRE), (ORANGE, GREEN), (PAPER, accent))):
        x0 = 120 + i * 104
        for level in range(3):
            y0 = 246 - level * 16
            p.rect(x0, y0, x0 + 88, y0 + 16, fill=shade(fill, 0.9 if level % 2 else 1.0), radius=3)
            p.rect(x0, y0 + 6, x0 + 88, y0 + 10, fill=trim)
    p.rect(-20, 360, 660, 420, fill=SAND)


def savings_jar(p: Pen, accent: RGB) -> None:
    """A clay pot with a slot, coins dropping in and a stack beside it: saving together."""
    p.background(CREAM)
    p.ellipse(320, 350, 230, 28, fill=SAND)
    clay = TERRACOTTA
    p.ellipse(300, 250, 130, 110, fill=clay)
    p.rect(250, 126, 350, 160, fill=clay)
    p.ellipse(300, 128, 56, 14, fill=shade(clay, 0.8))
    p.rect(276, 122, 324, 132, fill=INK, radius=4)
    p.rect(170, 230, 430, 262, fill=accent)
    for i in range(9):
        p.diamond(186 + i * 29, 246, 10, 12, fill=OCHRE)
    p.arc(300, 250, 110, 92, 200, 250, shade(clay, 1.35), 8)
    for i, (x, y) in enumerate(((300, 54), (286, 92))):
        p.ellipse(x, y, 22, 22 - i * 10, fill=OCHRE)
        p.ellipse(x, y, 13, 13 - i * 6, fill=YELLOW)
    for i in range(6):
        p.ellipse(500, 336 - i * 14, 42, 13, fill=shade(OCHRE, 0.8))
        p.ellipse(500, 331 - i * 14, 42, 13, fill=OCHRE)
    p.ellipse(500, 261, 24, 6, fill=YELLOW)
    for i in range(4):
        p.cross(90, 110 + i * 60, 10, OCHRE if i % 2 else accent, 5)


MOTIFS: dict[str, Callable[[Pen, RGB], None]] = {
    "rombo_band": rombo_band,
    "zigzag_border": zigzag_border,
    "flor": flor,
    "blouse": blouse,
    "spool_needle": spool_needle,
    "scissors_pattern": scissors_pattern,
    "coins_scale": coins_scale,
    "phone_photo": phone_photo,
    "circle_people": circle_people,
    "swatch_warm": swatch_warm,
    "swatch_cool": swatch_cool,
    "swatch_earth": swatch_earth,
    "pattern_dense": pattern_dense,
    "pattern_minimal": pattern_minimal,
    "heart": heart,
    "chat_bubbles": chat_bubbles,
    "shield_lock": shield_lock,
    "tape_measure": tape_measure,
    "table_runner": table_runner,
    "price_tag": price_tag,
    "loom": loom,
    "clock_hours": clock_hours,
    "package": package,
    "handshake": handshake,
    "order_notebook": order_notebook,
    "market_stall": market_stall,
    "savings_jar": savings_jar,
}

NAMES: tuple[str, ...] = tuple(MOTIFS)


def render(name: str, width: int = 640, height: int = 400, colour: str | None = None) -> Image.Image:
    """Draw the motif `name` as an RGB image of width x height pixels.

    `colour` (any CSS colour Pillow understands, e.g. "#8E3B46") replaces the
    motif's accent colour. Raises KeyError for an unknown name and ValueError
    for a non-positive size or an unreadable colour.
    """
    if name not in MOTIFS:
        raise KeyError(f"Unknown illustration {name!r}; choose one of: {', '.join(NAMES)}")
    if width < 1 or height < 1:
        raise ValueError("width and height must be positive")
    accent = _rgb(colour) if colour else DEFAULT_ACCENT
    canvas = Image.new("RGB", (width * SUPERSAMPLE, height * SUPERSAMPLE), CREAM)
    MOTIFS[name](Pen(canvas), accent)
    return canvas.resize((width, height), Image.Resampling.LANCZOS)
