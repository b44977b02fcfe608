"""The shared chart and headline: the sentence states the message from the numbers, the chart has a
labelled point per period (a gap says "no data"), the national line, and escapes every text."""

from __future__ import annotations

import pytest

from harbour.domain.care_journeys import HomelessRow, OutcomeRow
from harbour.domain.measures import Figure
from harbour.domain.review_measures import months_between
from harbour.domain.tests.support import d
from harbour.reporting.charts import (
    GroupRow,
    deep_dive_panels,
    figure_panel,
    group_headline,
    headline,
    line_chart,
)
from harbour.reporting.measures import NationalFigure

JAN, FEB, MAR = months_between(d("2026-01-01"), d("2026-03-31"))
ENGLAND = NationalFigure(85, "2019", "DfE", "https://example.org")


def row(key: str, *pairs: tuple[int, int]) -> list[Figure]:
    return [Figure(key, period, n, of, ()) for period, (n, of) in zip((JAN, FEB, MAR), pairs, strict=False)]


@pytest.mark.parametrize(("case", "figures", "national", "sentence"), [
    ("up and better", row("reviews", (6, 10), (8, 10)), None,
     "Reviews held in time: 80% in February 2026 (8 of 10), up 20 points on January 2026 (better)."),
    ("fewer 3+ placements is better", row("placements_3_plus", (3, 20), (2, 20)), None,
     "Children with 3 or more placements in the year: 10% in February 2026 (2 of 20), down 5 points on "
     "January 2026 (better)."),
    ("the same, and below England", row("leavers_suitable_accommodation", (4, 5), (8, 10)), ENGLAND,
     "Care leavers aged 19 to 21 in suitable accommodation: 80% in February 2026 (8 of 10), the same as "
     "January 2026; below England's 85% (2019)."),
    ("an empty period is skipped for the change", row("reviews", (1, 2), (0, 0), (3, 4)), None,
     "Reviews held in time: 75% in March 2026 (3 of 4), up 25 points on January 2026 (better)."),
    ("nothing to count", row("reviews", (0, 0)), None, "Reviews held in time: nothing to count in January 2026."),
    ("per worker, singular", row("caseload_iro", (1, 1)), None, "Children per IRO: 1.0 in January 2026 (1 child, 1 worker)."),
    ("pounds", row("home_office_funding", (900, 1000), (1200, 1000)), None,
     "Home Office funding claimed against placement spend: £1,200 in February 2026 against £1,000 spent, "
     "up £300 on January 2026 (better)."),
])
def test_headline(case: str, figures: list[Figure], national: NationalFigure | None, sentence: str) -> None:
    assert headline(figures, national) == sentence, case


def test_the_chart_labels_every_point_marks_a_gap_and_draws_the_national_line() -> None:
    svg = str(line_chart(row("reviews", (6, 10), (0, 0), (8, 10)), "Reviews <held>", national_value=85))
    assert svg.count("<circle") == 2 and ">60%<" in svg and ">80%<" in svg and ">no data<" in svg
    assert "England 85%" in svg and 'stroke-dasharray="6 4"' in svg
    assert "Reviews &lt;held&gt;" in svg and "<held>" not in svg
    assert 'role="img"' in svg and 'aria-labelledby="reviews-title reviews-desc"' in svg


def test_a_panel_carries_the_national_figure_or_why_there_is_none() -> None:
    assert figure_panel("leavers_suitable_accommodation", row("leavers_suitable_accommodation", (1, 2))).national
    panel = figure_panel("nts_transfers", row("nts_transfers", (1, 2)))
    assert panel.national is None and "NTS" in panel.national_note


FOSTER, HOME = ("foster", "Foster care"), ("residential", "Residential care")


@pytest.mark.parametrize(("case", "rows", "sentence"), [
    ("the most and the least often, with the numbers",
     [GroupRow(*FOSTER, 4, 2), GroupRow(*HOME, 3, 0), GroupRow("other", "Other placements", 0, 0)],
     "Care leavers who mostly lived in foster care were the most often in higher education: 50% (2 of 4), "
     "against 0% (0 of 3) for residential care."),
    ("every kind the same", [GroupRow(*FOSTER, 2, 1), GroupRow(*HOME, 4, 2)],
     "The same share of care leavers in higher education whichever kind of home they mostly lived in: 50%."),
    ("one kind only", [GroupRow(*FOSTER, 3, 1), GroupRow(*HOME, 0, 0)],
     "Every care leaver counted (3) mostly lived in foster care: 33% (1 of 3) in higher education."),
    ("nobody to count", [GroupRow(*FOSTER, 0, 0)],
     "No care leaver with a placement has a keeping-in-touch record yet."),
])
def test_group_headline(case: str, rows: list[GroupRow], sentence: str) -> None:
    assert group_headline(rows, "in higher education") == sentence, case


def test_the_deep_dive_charts_draw_a_labelled_bar_for_each_kind_with_care_leavers() -> None:
    education, homeless = deep_dive_panels(
        [OutcomeRow("foster", "Foster care", ("a", "b"), ("a",)), OutcomeRow("residential", "Residential care", (), ())],
        [HomelessRow("foster", "Foster care", ("a", "b"), ()), HomelessRow("residential", "Residential care", (), ())])
    svg = str(education.chart)
    assert 'role="img"' in svg and "<title" in svg and "Foster care" in svg and ">50%<" in svg
    assert "Residential care" not in svg  # nobody mostly lived there: no bar, the table says "No data"
    assert [(r.label, r.of, r.counted, r.percent) for r in homeless.rows] == [
        ("Foster care", 2, 0, 0), ("Residential care", 0, 0, None)]
    assert homeless.headline == "Every care leaver counted (2) mostly lived in foster care: 0% (0 of 2) recorded homeless."
    empty = deep_dive_panels([OutcomeRow("foster", "Foster care", (), ())], [])
    assert empty[0].chart is None and empty[1].chart is None
