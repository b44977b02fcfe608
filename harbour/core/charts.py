"""Bar charts drawn on the server as plain SVG, for pages, dashboards and printed reports.

The rules every chart follows (design/ui.md section 5):

* the page gives it an active headline that states the message, and the same numbers as a GOV.UK
  table (and a CSV download) right after it: the chart is never the only way to the figures;
* each bar carries its value as text, so colour is never the only cue; a second and third series
  also differ by pattern (stripes, dots), shown in the key above the bars;
* bars start at zero; no pie charts, no dual axes;
* the SVG is inline, with ``role="img"`` and a ``<title>`` and ``<desc>`` it is labelled by, and
  uses presentation attributes only (the CSP allows no inline styles); text takes the page's font.

    {{ bar_chart(chart_id="gaps", title="Children and vacancies by age band",
                 categories=["Under 10", "10 to 15"], series=[Series("Children", [3, 5])]) }}
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from markupsafe import Markup, escape

Number = int | float | Decimal

TEXT_COLOUR = "#0b0c0c"
# The service's font stack (frontend/scss/_brand.scss): GOV.UK styles set the font on text classes,
# not on <body>, so an inline SVG would otherwise fall back to the browser's serif.
FONT_FAMILY = "'Helvetica Neue', Helvetica, Arial, sans-serif"
# Fills with at least 3:1 contrast against white (WCAG 1.4.11): GOV.UK blue, the council's brand
# teal, GOV.UK dark grey. Each series after the first is patterned as well as coloured.
FILLS = ("#1d70b8", "#00594f", "#505a5f")
WIDTH = 640
FONT_SIZE = 16
BAR_HEIGHT = 22
BAR_GAP = 4
GROUP_GAP = 14
LEGEND_HEIGHT = 30
VALUE_ROOM = 90  # right of the longest bar, for its value
LABEL_WRAP = 24  # characters per line of a category label
MAX_LABEL_LINES = 3


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[Number]


def _plain_number(value: Number) -> str:
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return f"{int(value):,}"
    if isinstance(value, float) and value.is_integer():
        return f"{int(value):,}"
    if isinstance(value, int):
        return f"{value:,}"
    return f"{value:,.2f}"


def _patterns(chart_id: str) -> str:
    stripes = (f'<pattern id="{chart_id}-p1" width="8" height="8" patternUnits="userSpaceOnUse" '
               f'patternTransform="rotate(45)"><rect width="8" height="8" fill="{FILLS[1]}"/>'
               '<line x1="0" y1="0" x2="0" y2="8" stroke="#ffffff" stroke-width="3"/></pattern>')
    dots = (f'<pattern id="{chart_id}-p2" width="8" height="8" patternUnits="userSpaceOnUse">'
            f'<rect width="8" height="8" fill="{FILLS[2]}"/><circle cx="4" cy="4" r="1.6" fill="#ffffff"/></pattern>')
    return f"<defs>{stripes}{dots}</defs>"


def _fill(chart_id: str, index: int) -> str:
    position = index % len(FILLS)
    return FILLS[0] if position == 0 else f"url(#{chart_id}-p{position})"


def _label_lines(label: str) -> list[str]:
    lines = textwrap.wrap(label, LABEL_WRAP) or [""]
    if len(lines) > MAX_LABEL_LINES:
        lines = [*lines[: MAX_LABEL_LINES - 1], textwrap.shorten(" ".join(lines[MAX_LABEL_LINES - 1:]),
                                                                 LABEL_WRAP, placeholder="…")]
    return lines


def bar_chart(
    *,
    chart_id: str,
    title: str,
    categories: Sequence[str],
    series: Sequence[Series],
    value_format: Callable[[Any], str] = _plain_number,
    description: str = "",
) -> Markup:
    """A horizontal bar chart: one group of bars per category, one bar per series.

    ``chart_id`` must be unique on the page (it prefixes the ids of the title, description and
    patterns). ``value_format`` writes each value beside its bar (default: "1,234", "12.50").
    Values below zero are drawn as no bar, and still labelled.
    """
    for item in series:
        if len(item.values) != len(categories):
            raise ValueError(f"series {item.name!r} has {len(item.values)} values for {len(categories)} categories")
    chart_id = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in chart_id) or "chart"
    label_width = min(220, max((len(line) for c in categories for line in _label_lines(c)), default=4) * 8 + 12)
    bars_left = label_width + 8
    bars_width = WIDTH - bars_left - VALUE_ROOM
    largest = max((float(v) for s in series for v in s.values), default=0.0)
    scale = bars_width / largest if largest > 0 else 0.0
    legend = len(series) > 1
    top = (LEGEND_HEIGHT + 8) if legend else 4
    group_height = len(series) * BAR_HEIGHT + max(len(series) - 1, 0) * BAR_GAP
    parts: list[str] = []

    if legend:
        x = 0
        for index, item in enumerate(series):
            parts.append(f'<rect x="{x}" y="4" width="18" height="18" fill="{_fill(chart_id, index)}" '
                         f'stroke="{TEXT_COLOUR}" stroke-width="1"/>')
            parts.append(f'<text x="{x + 24}" y="19" font-size="{FONT_SIZE}" fill="{TEXT_COLOUR}">'
                         f"{escape(item.name)}</text>")
            x += 24 + len(item.name) * 8 + 24

    y = top
    for row, category in enumerate(categories):
        lines = _label_lines(category)
        line_height = FONT_SIZE + 2
        height = max(group_height, len(lines) * line_height)
        first_line_y = y + height / 2 - (len(lines) - 1) * line_height / 2 + FONT_SIZE * 0.35
        tspans = "".join(f'<tspan x="{label_width}" y="{first_line_y + i * line_height:.1f}">{escape(line)}</tspan>'
                         for i, line in enumerate(lines))
        parts.append(f'<text text-anchor="end" font-size="{FONT_SIZE}" fill="{TEXT_COLOUR}">{tspans}</text>')
        bar_y = y + (height - group_height) / 2
        for index, item in enumerate(series):
            value = item.values[row]
            width = max(float(value), 0.0) * scale
            parts.append(f'<rect x="{bars_left}" y="{bar_y:.1f}" width="{width:.1f}" height="{BAR_HEIGHT}" '
                         f'fill="{_fill(chart_id, index)}"/>')
            parts.append(f'<text x="{bars_left + width + 6:.1f}" y="{bar_y + BAR_HEIGHT / 2 + FONT_SIZE * 0.35:.1f}" '
                         f'font-size="{FONT_SIZE}" fill="{TEXT_COLOUR}">{escape(value_format(value))}</text>')
            bar_y += BAR_HEIGHT + BAR_GAP
        y += height + GROUP_GAP

    height = max(y - GROUP_GAP + 8, top + 8)
    parts.append(f'<line x1="{bars_left}" y1="{top - 4}" x2="{bars_left}" y2="{height - 4}" '
                 f'stroke="{TEXT_COLOUR}" stroke-width="1"/>')
    desc = description or "Bar chart. The same figures are in the table that follows it."
    svg = (
        f'<svg class="harbour-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height:.0f}" '
        f'width="100%" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" focusable="false" '
        f'font-family="{FONT_FAMILY}" '
        f'preserveAspectRatio="xMinYMin meet">'
        f'<title id="{chart_id}-title">{escape(title)}</title><desc id="{chart_id}-desc">{escape(desc)}</desc>'
        f"{_patterns(chart_id)}{''.join(parts)}</svg>"
    )
    return Markup(svg)  # noqa: S704 - every piece of text in it is escaped above
