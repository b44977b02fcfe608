"""Fan charts drawn on the server as plain SVG: the median as a line with markers, the middle half
of the runs as a dark band and 9 in 10 runs as a light, hatched band.

The rules of harbour.core.charts apply (design/ui.md section 5): an active headline on the page,
the same numbers in a table after the chart and as CSV, a key above the chart, text on the chart
for the first and last medians so colour is never the only cue, a baseline at zero, inline SVG
with a title and description it is labelled by, and presentation attributes only (strict CSP).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from markupsafe import Markup, escape

from harbour.core.charts import FONT_FAMILY, TEXT_COLOUR
from harbour.domain.forecasting.model import Band

WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 64, 24, 44, 40
MEDIAN = "#1d70b8"  # GOV.UK blue
INNER = "#8eb8dc"  # the middle half: 3:1 against the outer band and white is not needed, it is also labelled
OUTER = "#d2e2f1"
FONT_SIZE = 14


def _nice_top(value: float) -> float:
    """A round top for the scale: 1, 2 or 5 times a power of ten, at or above ``value``."""
    if value <= 0:
        return 1.0
    power = 10 ** len(str(int(value))) / 10
    for step in (1, 2, 2.5, 5, 10):
        if step * power >= value:
            return step * power
    return 10 * power


def fan_chart(*, chart_id: str, title: str, quarter_ends: Sequence[date], band: Band,
              value_format: Callable[[float], str] = lambda v: f"{v:,.0f}", description: str = "",
              start: date | None = None, now: float | None = None) -> Markup:
    """A fan chart of a quarterly forecast, with the scale starting at zero. With ``start`` and
    ``now`` the fan opens from today's figure, which every run shares."""
    if start is not None and now is not None:
        quarter_ends = [start, *quarter_ends]
        band = Band(*[[now, *values] for values in (band.p5, band.p25, band.p50, band.p75, band.p95)])
    chart_id = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in chart_id) or "fan"
    count = len(quarter_ends)
    top = _nice_top(max(band.p95, default=0.0) * 1.05)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(index: int) -> float:
        return LEFT + (plot_w * index / (count - 1) if count > 1 else plot_w / 2)

    def y(value: float) -> float:
        return TOP + plot_h * (1 - value / top)

    def area(low: Sequence[float], high: Sequence[float]) -> str:
        points = [f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(high)]
        points += [f"{x(i):.1f},{y(v):.1f}" for i, v in reversed(list(enumerate(low)))]
        return " ".join(points)

    parts = [
        f'<pattern id="{chart_id}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        f'patternTransform="rotate(45)"><rect width="6" height="6" fill="{OUTER}"/>'
        f'<line x1="0" y1="0" x2="0" y2="6" stroke="#ffffff" stroke-width="2"/></pattern>',
    ]
    # The key, above the chart.
    key = [("9 in 10 runs", f"url(#{chart_id}-hatch)"), ("Middle half of runs", INNER)]
    left = LEFT
    for text, fill in key:
        parts.append(f'<rect x="{left}" y="8" width="18" height="14" fill="{fill}" stroke="{TEXT_COLOUR}" '
                     'stroke-width="1"/>')
        parts.append(f'<text x="{left + 24}" y="20" font-size="{FONT_SIZE}" fill="{TEXT_COLOUR}">{text}</text>')
        left += 24 + len(text) * 8 + 20
    parts.append(f'<line x1="{left}" y1="15" x2="{left + 22}" y2="15" stroke="{MEDIAN}" stroke-width="3"/>'
                 f'<circle cx="{left + 11}" cy="15" r="4" fill="{MEDIAN}"/>'
                 f'<text x="{left + 30}" y="20" font-size="{FONT_SIZE}" fill="{TEXT_COLOUR}">Median</text>')
    # Gridlines and the scale.
    for step in range(5):
        value = top * step / 4
        parts.append(f'<line x1="{LEFT}" y1="{y(value):.1f}" x2="{WIDTH - RIGHT}" y2="{y(value):.1f}" '
                     f'stroke="#b1b4b6" stroke-width="1"/>')
        parts.append(f'<text x="{LEFT - 6}" y="{y(value) + 5:.1f}" text-anchor="end" font-size="{FONT_SIZE}" '
                     f'fill="{TEXT_COLOUR}">{escape(value_format(value))}</text>')
    if count:
        parts.append(f'<polygon points="{area(band.p5, band.p95)}" fill="url(#{chart_id}-hatch)"/>')
        parts.append(f'<polygon points="{area(band.p25, band.p75)}" fill="{INNER}"/>')
        line = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(band.p50))
        parts.append(f'<polyline points="{line}" fill="none" stroke="{MEDIAN}" stroke-width="3"/>')
        parts += [f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="3.5" fill="{MEDIAN}"/>' for i, v in enumerate(band.p50)]
        for index in (0, count - 1):
            anchor = "start" if index == 0 else "end"
            parts.append(f'<text x="{x(index):.1f}" y="{y(band.p50[index]) - 10:.1f}" text-anchor="{anchor}" '
                         f'font-size="{FONT_SIZE}" font-weight="bold" fill="{TEXT_COLOUR}">'
                         f'{escape(value_format(band.p50[index]))}</text>')
        # A label under the first quarter of each year.
        for index in range(0, count, 4):
            day = quarter_ends[index]
            parts.append(f'<text x="{x(index):.1f}" y="{HEIGHT - BOTTOM + 20}" text-anchor="middle" '
                         f'font-size="{FONT_SIZE}" fill="{TEXT_COLOUR}">{day:%b %Y}</text>')
    parts.append(f'<line x1="{LEFT}" y1="{y(0):.1f}" x2="{WIDTH - RIGHT}" y2="{y(0):.1f}" stroke="{TEXT_COLOUR}" '
                 'stroke-width="1"/>')
    desc = description or "Fan chart. The same figures are in the table that follows it."
    svg = (
        f'<svg class="harbour-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="100%" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" focusable="false" '
        f'font-family="{FONT_FAMILY}" preserveAspectRatio="xMinYMin meet">'
        f'<title id="{chart_id}-title">{escape(title)}</title><desc id="{chart_id}-desc">{escape(desc)}</desc>'
        f'<defs>{parts[0]}</defs>{"".join(parts[1:])}</svg>'
    )
    return Markup(svg)  # noqa: S704 - every piece of text in it is escaped above
