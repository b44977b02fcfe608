"""One measure's trend as a line chart drawn on the server, its headline and its table, shared by the
dashboards and the board report (and its PDF); and the deep dives' charts (:func:`deep_dive_panels`):
care leavers by where they mostly lived in care, as bars.

The rules of :mod:`harbour.core.charts` apply (design/ui.md section 5): a headline that states the
message, the same numbers in a table after the chart and as CSV, each point labelled with its
value so colour is never the only cue, the scale starting at zero, inline SVG with a title and a
description it is labelled by, presentation attributes only (strict CSP), every text escaped.

    panel = figure_panel("reviews", figures["reviews"])
    {% from "reporting/_figure.html" import measure_panel %}{{ measure_panel(panel, csv_url=...) }}
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from harbour.core.charts import FONT_FAMILY, TEXT_COLOUR, Series, bar_chart
from harbour.domain.care_journeys import HomelessRow, OutcomeRow
from harbour.domain.measures import MEASURES, Figure, Measure
from harbour.reporting.measures import NationalFigure, national, not_published

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 56, 24, 36, 56
LINE = "#1d70b8"  # GOV.UK blue, 4.5:1 on white
NATIONAL = "#505a5f"  # GOV.UK dark grey, dashed as well as coloured
FONT_SIZE = 13


def _nice_top(value: float) -> float:
    if value <= 0:
        return 1.0
    power = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        if step * power >= value:
            return float(step * power)
    return float(10 * power)


def _short_label(figure: Figure) -> str:
    """"2026-01" stays; a quarter "2026-27-Q3" becomes "Q3 26-27" to fit under its point."""
    key = figure.period.key
    if "-Q" in key:
        year, quarter = key.rsplit("-Q", 1)
        return f"Q{quarter} {year[2:]}"
    return key


def line_chart(figures: Sequence[Figure], title: str, *, chart_id: str = "", national_value: float | None = None,
               description: str = "") -> Markup:
    """The measure's value for each period, oldest first, joined by a line; a period with nothing
    to count is a gap, labelled "no data". With ``national_value`` a dashed line marks the
    national figure, labelled on the chart."""
    if not figures:
        raise ValueError("a chart needs at least one figure")
    measure = MEASURES[figures[0].measure]
    chart_id = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in (chart_id or figures[0].measure))
    values = [measure.value(f) for f in figures]
    known = [float(v) for v in values if v is not None]
    ceiling = 100.0 if measure.unit == "percent" else _nice_top(max([*known, national_value or 0.0, 0.0]) * 1.1)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    count = len(figures)

    def x(index: int) -> float:
        return LEFT + (plot_w * (index + 0.5) / count)

    def y(value: float) -> float:
        return TOP + plot_h * (1 - value / ceiling)

    parts: list[str] = []
    for step in range(5):
        level = ceiling * step / 4
        parts.append(f'<line x1="{LEFT}" y1="{y(level):.1f}" x2="{WIDTH - RIGHT}" y2="{y(level):.1f}" '
                     f'stroke="#b1b4b6" stroke-width="1"/>')
        parts.append(f'<text x="{LEFT - 6}" y="{y(level) + 4:.1f}" text-anchor="end" font-size="{FONT_SIZE}" '
                     f'fill="{TEXT_COLOUR}">{escape(_axis(level, measure))}</text>')
    if national_value is not None:
        parts.append(f'<line x1="{LEFT}" y1="{y(national_value):.1f}" x2="{WIDTH - RIGHT}" '
                     f'y2="{y(national_value):.1f}" stroke="{NATIONAL}" stroke-width="2" stroke-dasharray="6 4"/>')
        parts.append(f'<text x="{WIDTH - RIGHT}" y="{y(national_value) - 6:.1f}" text-anchor="end" '
                     f'font-size="{FONT_SIZE}" fill="{TEXT_COLOUR}">England {escape(_axis(national_value, measure))}'
                     '</text>')
    # The line, broken where a period has no data.
    run: list[str] = []
    for index, value in enumerate([*values, None]):
        if value is None:
            if len(run) > 1:
                parts.append(f'<polyline points="{" ".join(run)}" fill="none" stroke="{LINE}" stroke-width="3"/>')
            run = []
        else:
            run.append(f"{x(index):.1f},{y(float(value)):.1f}")
    every = max(1, count // 12 + (1 if count % 12 else 0)) if count > 12 else 1
    for index, (figure, value) in enumerate(zip(figures, values, strict=True)):
        if value is None:
            parts.append(f'<text x="{x(index):.1f}" y="{y(0) - 6:.1f}" text-anchor="middle" font-size="{FONT_SIZE}" '
                         f'fill="{TEXT_COLOUR}">no data</text>')
        else:
            parts.append(f'<circle cx="{x(index):.1f}" cy="{y(float(value)):.1f}" r="4" fill="{LINE}"/>')
            parts.append(f'<text x="{x(index):.1f}" y="{y(float(value)) - 9:.1f}" text-anchor="middle" '
                         f'font-size="{FONT_SIZE}" fill="{TEXT_COLOUR}">{escape(measure.display(figure))}</text>')
        if index % every == 0:
            parts.append(f'<text x="{x(index):.1f}" y="{HEIGHT - BOTTOM + 18}" text-anchor="end" '
                         f'font-size="{FONT_SIZE}" fill="{TEXT_COLOUR}" '
                         f'transform="rotate(-35 {x(index):.1f} {HEIGHT - BOTTOM + 18})">'
                         f"{escape(_short_label(figure))}</text>")
    parts.append(f'<line x1="{LEFT}" y1="{y(0):.1f}" x2="{WIDTH - RIGHT}" y2="{y(0):.1f}" '
                 f'stroke="{TEXT_COLOUR}" stroke-width="1"/>')
    desc = description or (f"Line chart of {measure.title.lower()} by period, oldest first. "
                           "The same figures are in the table that follows it.")
    svg = (f'<svg class="harbour-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
           f'width="100%" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" focusable="false" '
           f'font-family="{FONT_FAMILY}" preserveAspectRatio="xMinYMin meet">'
           f'<title id="{chart_id}-title">{escape(title)}</title><desc id="{chart_id}-desc">{escape(desc)}</desc>'
           f"{''.join(parts)}</svg>")
    return Markup(svg)  # noqa: S704 - every piece of text in it is escaped above


def _axis(value: float, measure: Measure) -> str:
    if measure.unit == "percent":
        return f"{value:.0f}%"
    if measure.unit == "pounds":
        return f"£{value:,.0f}"
    return f"{value:,.1f}".removesuffix(".0")


def headline(figures: Sequence[Figure], national_figure: NationalFigure | None = None) -> str:
    """One sentence that states the message of the newest figure: its value, the change from the
    period before, and how it stands against England, in plain words from the numbers."""
    if not figures:
        return "No figures to show."
    measure = MEASURES[figures[-1].measure]
    latest = figures[-1]
    value = measure.value(latest)
    if value is None:
        return f"{measure.title}: nothing to count in {latest.period.label}."
    sentence = f"{measure.title}: {measure.display(latest)} in {latest.period.label}"
    if measure.unit == "percent":
        sentence += f" ({latest.numerator:,} of {latest.denominator:,})"
    elif measure.unit == "per worker":
        sentence += (f" ({latest.numerator:,} {'child' if latest.numerator == 1 else 'children'}, "
                     f"{latest.denominator:,} {'worker' if latest.denominator == 1 else 'workers'})")
    elif measure.unit == "pounds" and latest.denominator:
        sentence += f" against £{latest.denominator:,} spent"
    earlier = [f for f in figures[:-1] if measure.value(f) is not None]
    if earlier:
        before = measure.value(earlier[-1])
        assert before is not None
        change = float(value) - float(before)
        if change == 0:
            sentence += f", the same as {earlier[-1].period.label}"
        else:
            better = (change > 0) == measure.higher_is_better
            points = " points" if measure.unit == "percent" else ""
            word = "up" if change > 0 else "down"
            amount = f"{abs(change):,.0f}" if measure.unit != "per worker" else f"{abs(change):,.1f}"
            prefix = "£" if measure.unit == "pounds" else ""
            sentence += (f", {word} {prefix}{amount}{points} on {earlier[-1].period.label}"
                         f" ({'better' if better else 'worse'})")
    if national_figure is not None and measure.unit == "percent":
        gap = float(value) - national_figure.value
        side = "above" if gap > 0 else "below" if gap < 0 else "level with"
        sentence += f"; {side} England's {national_figure.value}% ({national_figure.year})"
    return sentence + "."


@dataclass(frozen=True)
class FigurePanel:
    """Everything one measure's panel shows: headline, chart, table rows and national figure."""

    measure: Measure
    figures: tuple[Figure, ...]  # oldest first
    headline: str
    chart: Markup
    national: NationalFigure | None
    national_note: str  # why there is no national figure, when there is none


def figure_panel(key: str, figures: Sequence[Figure], *, chart_id: str = "") -> FigurePanel:
    """The panel for one measure from its figures (oldest first), as the shared macro draws it."""
    measure = MEASURES[key]
    national_figure = national(measure.national_key)
    chart = line_chart(figures, measure.title, chart_id=chart_id or key,
                       national_value=float(national_figure.value) if national_figure else None)
    return FigurePanel(measure, tuple(figures), headline(figures, national_figure), chart, national_figure,
                       "" if national_figure else not_published(key))


# --- The deep dives ---------------------------------------------------------------------------


@dataclass(frozen=True)
class GroupRow:
    """Care leavers who mostly lived in one kind of home, and how many of them an outcome counts."""

    kind: str
    label: str
    of: int
    counted: int

    @property
    def percent(self) -> int | None:
        return None if self.of == 0 else round(100 * self.counted / self.of)


@dataclass(frozen=True)
class DeepDivePanel:
    """One deep dive's chart: what it counts, its headline, the bars and the same rows as a table."""

    key: str
    title: str
    outcome: str  # what the numerator counts, in words: "in higher education"
    headline: str
    chart: Markup | None  # None when no kind of home has a care leaver to draw
    rows: tuple[GroupRow, ...]  # every kind of home, in the order of harbour.domain.care_journeys.KINDS


def group_headline(rows: Sequence[GroupRow], outcome: str) -> str:
    """One sentence with the message of a deep dive: the kind of home whose care leavers were most
    often ``outcome``, against the least often, with the numbers; plain words, no judgement."""
    drawn = [row for row in rows if row.of]
    if not drawn:
        return "No care leaver with a placement has a keeping-in-touch record yet."
    most = max(drawn, key=lambda row: row.counted / row.of)  # the first of equals, in KINDS order
    least = min(drawn, key=lambda row: row.counted / row.of)
    if len(drawn) == 1:
        return (f"Every care leaver counted ({most.of:,}) mostly lived in {most.label.lower()}: "
                f"{most.percent}% ({most.counted:,} of {most.of:,}) {outcome}.")
    if most.percent == least.percent:
        return f"The same share of care leavers {outcome} whichever kind of home they mostly lived in: {most.percent}%."
    return (f"Care leavers who mostly lived in {most.label.lower()} were the most often {outcome}: "
            f"{most.percent}% ({most.counted:,} of {most.of:,}), against {least.percent}% "
            f"({least.counted:,} of {least.of:,}) for {least.label.lower()}.")


def _deep_dive_panel(key: str, title: str, outcome: str, rows: Sequence[GroupRow]) -> DeepDivePanel:
    drawn = [row for row in rows if row.of]
    chart = bar_chart(
        chart_id=f"deep-dive-{key}", title=title, categories=[row.label for row in drawn],
        series=[Series(f"Percentage {outcome}", [row.percent or 0 for row in drawn])],
        value_format=lambda value: f"{value}%",
        description=(f"Bar chart of the percentage of care leavers {outcome}, by the kind of home they mostly lived "
                     "in while in care. Kinds of home with no care leavers are not drawn. The same figures, with "
                     "the numbers of care leavers, are in the table that follows it."),
    ) if drawn else None
    return DeepDivePanel(key, title, outcome, group_headline(rows, outcome), chart, tuple(rows))


def deep_dive_panels(outcomes: Sequence[OutcomeRow], homeless: Sequence[HomelessRow]) -> list[DeepDivePanel]:
    """The deep dives' two charts: higher education and homelessness, by where care leavers mostly lived."""
    return [
        _deep_dive_panel("higher-education", "Care leavers in higher education, by where they mostly lived in care",
                         "in higher education",
                         [GroupRow(r.kind, r.label, len(r.young_people), len(r.in_higher_education)) for r in outcomes]),
        _deep_dive_panel("homeless", "Care leavers recorded homeless, by where they mostly lived in care",
                         "recorded homeless",
                         [GroupRow(r.kind, r.label, len(r.young_people), len(r.homeless)) for r in homeless]),
    ]
