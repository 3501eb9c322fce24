"""Small charts as inline SVG, drawn on the server: no JavaScript, no chart library, a few hundred bytes each.

Each chart is an ``<svg role="img">`` with a ``<title>`` naming it, and every bar carries
its value as text next to it, so the numbers are read out by screen readers and survive
printing in black and white. Labels are escaped; long ones are shortened with an ellipsis
and kept whole in the bar's own ``<title>``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import count

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

DEFAULT_COLOUR = "#8E3B46"
TRACK_COLOUR = "#EFE7DD"
TEXT_COLOUR = "#2B2118"
_ids = count(1)


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | int | None
    colour: str = DEFAULT_COLOUR
    note: str = ""  # shown after the value, e.g. "(12 %)"


def _short(text: str, limit: int) -> str:
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _number(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:.1f}"
    return str(int(value))


def bar_chart(
    bars: Sequence[Bar],
    *,
    title: str,
    max_value: float | None = None,
    value_format: Callable[[float | int | None], str] = _number,
    width: int = 560,
    label_width: int = 190,
    bar_height: int = 22,
    gap: int = 8,
    centred: bool = False,
) -> SafeString:
    """Horizontal bars, one per item; ``centred`` draws a funnel (bars centred on one axis)."""
    chart_id = f"chart-{next(_ids)}"
    value_width = 90
    plot = width - label_width - value_width
    if max_value is None:
        top = max([float(bar.value) for bar in bars if bar.value is not None] + [1.0])
    else:
        top = float(max_value) or 1.0
    height = len(bars) * (bar_height + gap) + gap
    parts = [
        format_html(
            '<svg xmlns="http://www.w3.org/2000/svg" class="telar-chart" viewBox="0 0 {} {}" width="100%" '
            'role="img" aria-labelledby="{}" font-family="system-ui, sans-serif" font-size="13">'
            '<title id="{}">{}</title>',
            width,
            height,
            chart_id,
            chart_id,
            title,
        )
    ]
    for index, bar in enumerate(bars):
        y = gap + index * (bar_height + gap)
        value = 0.0 if bar.value is None else max(float(bar.value), 0.0)
        length = round(plot * min(value / top, 1.0), 1) if top else 0
        x = label_width + ((plot - length) / 2 if centred else 0)
        text_y = y + bar_height / 2 + 4.5
        shown = value_format(bar.value) + (f" {bar.note}" if bar.note else "")
        parts.append(
            format_html(
                "<g><title>{}: {}</title>"
                '<text x="{}" y="{}" text-anchor="end" fill="{}">{}</text>'
                '<rect x="{}" y="{}" width="{}" height="{}" fill="{}" rx="2"/>'
                '<rect x="{}" y="{}" width="{}" height="{}" fill="{}" rx="2"/>'
                '<text x="{}" y="{}" fill="{}">{}</text></g>',
                bar.label,
                shown,
                label_width - 8,
                text_y,
                TEXT_COLOUR,
                _short(bar.label, 26),
                label_width,
                y,
                plot,
                bar_height,
                TRACK_COLOUR,
                round(x, 1),
                y,
                length,
                bar_height,
                bar.colour or DEFAULT_COLOUR,
                label_width + plot + 6,
                text_y,
                TEXT_COLOUR,
                shown,
            )
        )
    parts.append(mark_safe("</svg>"))  # noqa: S308 — a constant
    return mark_safe("".join(str(part) for part in parts))  # noqa: S308 — every piece went through format_html


def percent(value) -> str:
    """0.8333 → "83 %"; None → "—"."""
    if value is None:
        return "—"
    return f"{round(float(value) * 100)} %"


def score(value) -> str:
    """A mean quiz score out of 100, one decimal when it has one."""
    if value is None:
        return "—"
    return f"{float(value):.0f}"
