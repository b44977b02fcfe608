"""Server-side SVG bar charts: labelled for screen readers, values as text, text escaped."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest

from harbour.core.charts import Series, bar_chart

SVG = "{http://www.w3.org/2000/svg}"


def parse(markup: str) -> ET.Element:
    return ET.fromstring(str(markup))


def test_a_chart_is_an_image_labelled_by_its_title_and_description() -> None:
    svg = parse(bar_chart(chart_id="gaps", title="Children and vacancies", categories=["Under 10", "10 to 15"],
                          series=[Series("Children", [3, 5])]))
    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == "gaps-title gaps-desc"
    assert svg.find(f"{SVG}title").text == "Children and vacancies"
    assert "table" in svg.find(f"{SVG}desc").text
    assert "style" not in str(bar_chart(chart_id="x", title="t", categories=["a"], series=[Series("s", [1])]))


def test_every_bar_has_its_value_as_text_and_bars_start_at_zero() -> None:
    svg = parse(bar_chart(chart_id="c", title="Cost", categories=["Children's home", "Foster carer"],
                          series=[Series("Average", [Decimal("4500.00"), Decimal("450.50")])]))
    texts = ["".join(t.itertext()) for t in svg.iter(f"{SVG}text")]
    assert "4,500" in texts and "450.50" in texts
    assert "Children's home" in texts and "Foster carer" in texts
    bars = [r for r in svg.iter(f"{SVG}rect") if r.get("height") == "22"]
    assert len({r.get("x") for r in bars}) == 1  # one baseline
    widths = [float(r.get("width")) for r in bars]
    assert widths[0] > widths[1] > 0


def test_two_series_get_a_key_and_a_pattern() -> None:
    markup = str(bar_chart(chart_id="d", title="Demand", categories=["16 and 17"],
                           series=[Series("Children", [7]), Series("Vacancies", [3])]))
    assert "url(#d-p1)" in markup and ">Children</text>" in markup and ">Vacancies</text>" in markup


def test_text_is_escaped_and_ids_are_safe() -> None:
    markup = str(bar_chart(chart_id='x" onload="y', title="<script>", categories=["<b>&"],
                           series=[Series("<i>", [1])], value_format=lambda v: "<v>"))
    assert "<script>" not in markup and "&lt;script&gt;" in markup and "&lt;b&gt;&amp;" in markup
    assert 'onload="' not in markup
    parse(markup)  # still well-formed


def test_nothing_to_draw_and_mismatched_series() -> None:
    parse(bar_chart(chart_id="e", title="Empty", categories=["A", "B"], series=[Series("None", [0, 0])]))
    parse(bar_chart(chart_id="e", title="Empty", categories=[], series=[]))
    with pytest.raises(ValueError, match="2 values for 1 categories"):
        bar_chart(chart_id="f", title="t", categories=["A"], series=[Series("s", [1, 2])])


def test_long_labels_wrap() -> None:
    svg = parse(bar_chart(chart_id="g", title="t", categories=["Registered supported accommodation for young people"],
                          series=[Series("s", [1])]))
    label = next(t for t in svg.iter(f"{SVG}text") if t.get("text-anchor") == "end")
    assert len(list(label)) >= 2
