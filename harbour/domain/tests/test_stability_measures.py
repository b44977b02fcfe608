"""The two placement stability measures as the DfE counts them (harbour.domain.measures, docs/adr/0012):
which moves are placements, who is left out, and the age and date edges. One child per row, counted
by hand; the row's name says why.

Unless a row says otherwise the figure is for March 2026, so the day is 31 March 2026: the year for
short-term stability runs from 1 April 2025, and long-term stability asks for care since 30 September
2023 (2 and a half years) and the same carer since 31 March 2024 (2 years).
"""

from __future__ import annotations

from datetime import date

import pytest

from harbour.domain.measures import (
    MEASURES,
    CareSpell,
    ChildFacts,
    LegalStatusSpell,
    MeasureData,
    PlacementSpell,
    placement_runs,
)
from harbour.domain.review_measures import months_between
from harbour.domain.tests.support import d

TODAY = d("2026-06-01")


def _placement(start: str, end: str | None, place: str, carer: str) -> PlacementSpell:
    return PlacementSpell("x", d(start), d(end) if end else None, None, place, carer)


def _count(measure: str, *, care_from: str, placements: list[PlacementSpell], born: str = "2012-05-01",
           statuses: tuple[tuple[str, str, str | None], ...] = (), month: str = "2026-03",
           today: date = TODAY) -> tuple[bool, bool]:
    """(in the denominator, in the numerator) for the one child ``x``."""
    data = MeasureData(
        children={"x": ChildFacts("x", d(born))},
        care=(CareSpell("x", d(care_from), None),),
        placements=tuple(placements),
        legal_statuses=tuple(LegalStatusSpell("x", ls, d(start), d(end) if end else None)
                             for ls, start, end in statuses),
    )
    first = d(f"{month}-01")
    period = months_between(first, first)[0]
    figure = MEASURES[measure].compute(data, period, today)
    return "x" in figure.child_ids, "x" in figure.counted_ids


@pytest.mark.parametrize(("case", "care_from", "placements", "statuses", "expected"), [
    ("three carers in the year: counted", "2025-01-01", [
        _placement("2025-01-01", "2025-06-01", "U6", "Ash"),
        _placement("2025-06-01", "2025-11-01", "U6", "Birch"),
        _placement("2025-11-01", None, "K2", "Cedar House")], (), (True, True)),
    ("a temporary placement (a holiday) between two carers does not count", "2025-01-01", [
        _placement("2025-01-01", "2025-08-01", "U6", "Ash"),
        _placement("2025-08-01", "2025-08-14", "T2", "Camp"),
        _placement("2025-08-14", None, "U6", "Birch")], (), (True, False)),
    ("back to the same carer after a stay in hospital: still one placement", "2025-01-01", [
        _placement("2025-01-01", "2025-07-01", "U6", "Ash"),
        _placement("2025-07-01", "2025-07-10", "T1", "St Mary's"),
        _placement("2025-07-10", "2025-12-01", "U6", "Ash"),
        _placement("2025-12-01", None, "U6", "Birch")], (), (True, False)),
    ("a change of legal status only (the placement recorded again, same carer): no new placement", "2025-01-01", [
        _placement("2025-01-01", "2025-06-01", "U6", "Birch"),
        _placement("2025-06-01", "2025-09-01", "U6", "Ash"),
        _placement("2025-09-01", None, "U6", " ash ")],
     (("C1", "2025-01-01", "2025-09-01"), ("C2", "2025-09-01", None)), (True, False)),
    ("a change of placement type with the same carer (foster carer approved to adopt): no new placement",
     "2025-01-01", [
        _placement("2025-01-01", "2025-06-01", "U6", "Birch"),
        _placement("2025-06-01", "2025-09-01", "U6", "Ash"),
        _placement("2025-09-01", None, "A4", "Ash")], (), (True, False)),
    ("carer not recorded: never the same carer, so three placements", "2025-01-01", [
        _placement("2025-01-01", "2025-06-01", "U6", ""),
        _placement("2025-06-01", "2025-09-01", "U6", ""),
        _placement("2025-09-01", None, "U6", "")], (), (True, True)),
    ("same carer again after a gap with no placement: a new placement", "2025-01-01", [
        _placement("2025-01-01", "2025-06-01", "U6", "Ash"),
        _placement("2025-06-02", "2025-09-01", "K2", "Cedar House"),
        _placement("2025-09-01", None, "U6", "Ash")], (), (True, True)),
    ("a placement that ended the day before the year does not count: two in the year", "2024-01-01", [
        _placement("2024-01-01", "2025-03-31", "U6", "Ash"),
        _placement("2025-04-01", "2025-09-01", "U6", "Birch"),
        _placement("2025-09-01", None, "U6", "Cedar")], (), (True, False)),
    ("looked after under an agreed series of short breaks on the day: left out", "2025-01-01", [
        _placement("2025-01-01", "2025-06-01", "U6", "Ash"),
        _placement("2025-06-01", "2025-11-01", "U6", "Birch"),
        _placement("2025-11-01", None, "U6", "Cedar")], (("V3", "2025-01-01", None),), (False, False)),
    ("short breaks earlier, a single period of accommodation now: counted", "2025-01-01", [
        _placement("2025-01-01", "2025-06-01", "U6", "Ash"),
        _placement("2025-06-01", "2025-11-01", "U6", "Birch"),
        _placement("2025-11-01", None, "U6", "Cedar")],
     (("V4", "2025-01-01", "2025-06-01"), ("V2", "2025-06-01", None)), (True, True)),
])
def test_three_or_more_placements(case: str, care_from: str, placements: list[PlacementSpell],
                                  statuses: tuple[tuple[str, str, str | None], ...],
                                  expected: tuple[bool, bool]) -> None:
    assert _count("placements_3_plus", care_from=care_from, placements=placements, statuses=statuses) == expected, case


@pytest.mark.parametrize(("case", "kwargs", "expected"), [
    ("under 16, looked after 2.5 years, same carer 2 years to the day: stable",
     {"care_from": "2023-01-01", "placements": [_placement("2024-03-31", None, "U4", "Ash")]}, (True, True)),
    ("same carer a day short of 2 years: not stable",
     {"care_from": "2023-01-01", "placements": [_placement("2024-04-01", None, "U4", "Ash")]}, (True, False)),
    ("looked after a day short of 2.5 years: left out",
     {"care_from": "2023-10-01", "placements": [_placement("2023-10-01", None, "U4", "Ash")]}, (False, False)),
    ("16th birthday on the day: left out",
     {"born": "2010-03-31", "care_from": "2020-01-01", "placements": [_placement("2020-01-01", None, "U4", "Ash")]},
     (False, False)),
    ("16th birthday the day after: under 16, counted",
     {"born": "2010-04-01", "care_from": "2020-01-01", "placements": [_placement("2020-01-01", None, "U4", "Ash")]},
     (True, True)),
    ("a change of placement type with the same carer does not restart the 2 years",
     {"care_from": "2023-01-01", "placements": [_placement("2023-01-01", "2025-06-01", "U6", "Ash"),
                                                 _placement("2025-06-01", None, "U4", "Ash")]}, (True, True)),
    ("a temporary placement (a holiday) does not restart the 2 years",
     {"care_from": "2023-01-01", "placements": [_placement("2023-01-01", "2025-07-01", "U4", "Ash"),
                                                 _placement("2025-07-01", "2025-07-14", "T2", "Camp"),
                                                 _placement("2025-07-14", None, "U4", "Ash")]}, (True, True)),
    ("away on a temporary placement on the day, with the same carer before and after: stable",
     {"care_from": "2023-01-01", "placements": [_placement("2023-01-01", "2026-03-25", "U4", "Ash"),
                                                 _placement("2026-03-25", "2026-04-05", "T3", "Respite carer"),
                                                 _placement("2026-04-05", None, "U4", "Ash")]}, (True, True)),
    ("moved to a new carer the day before: the new placement is the one that counts",
     {"care_from": "2023-01-01", "placements": [_placement("2023-01-01", "2026-03-30", "U4", "Ash"),
                                                 _placement("2026-03-30", None, "U4", "Birch")]}, (True, False)),
    ("moved to a new carer on the day itself: the new placement is the one that counts",
     {"care_from": "2023-01-01", "placements": [_placement("2023-01-01", "2026-03-31", "U4", "Ash"),
                                                 _placement("2026-03-31", None, "U4", "Birch")]}, (True, False)),
    ("left the long placement the day before, no placement recorded since: not stable",
     {"care_from": "2023-01-01", "placements": [_placement("2023-01-01", "2026-03-30", "U4", "Ash")]},
     (True, False)),
    ("a new carer restarts the 2 years",
     {"care_from": "2023-01-01", "placements": [_placement("2023-01-01", "2025-01-01", "U4", "Ash"),
                                                 _placement("2025-01-01", None, "U4", "Birch")]}, (True, False)),
    ("placed for adoption with new carers: counted with the placement before, 2 years together",
     {"care_from": "2023-01-01", "placements": [_placement("2023-06-01", "2025-11-01", "U4", "Ash"),
                                                 _placement("2025-11-01", None, "A6", "The Adopters")]}, (True, True)),
    ("placed for adoption, with the placement before less than 2 years: not stable",
     {"care_from": "2023-01-01", "placements": [_placement("2023-01-01", "2024-06-01", "U6", "Birch"),
                                                 _placement("2024-06-01", "2025-11-01", "U4", "Ash"),
                                                 _placement("2025-11-01", None, "A6", "The Adopters")]},
     (True, False)),
    ("looked after under an agreed series of short breaks on the day: left out",
     {"care_from": "2023-01-01", "placements": [_placement("2023-01-01", None, "U4", "Ash")],
      "statuses": (("V4", "2023-01-01", None),)}, (False, False)),
    ("born 29 February 2008, counted on 28 February 2024: 15, counted",
     {"born": "2008-02-29", "care_from": "2020-01-01", "placements": [_placement("2020-01-01", None, "U4", "Ash")],
      "month": "2024-02", "today": d("2024-02-28")}, (True, True)),
    ("born 29 February 2008, counted on 29 February 2024: 16, left out",
     {"born": "2008-02-29", "care_from": "2020-01-01", "placements": [_placement("2020-01-01", None, "U4", "Ash")],
      "month": "2024-02", "today": d("2024-02-29")}, (False, False)),
    ("same carer from 29 February 2024: not 2 years on 28 February 2026",
     {"care_from": "2023-01-01", "placements": [_placement("2024-02-29", None, "U4", "Ash")], "month": "2026-02"},
     (True, False)),
    ("same carer from 29 February 2024: 2 years by 31 March 2026",
     {"care_from": "2023-01-01", "placements": [_placement("2024-02-29", None, "U4", "Ash")]}, (True, True)),
    ("looked after from 29 February 2020: 2.5 years on 31 August 2022",
     {"care_from": "2020-02-29", "placements": [_placement("2020-02-29", None, "U4", "Ash")], "month": "2022-08"},
     (True, True)),
    ("looked after from 29 February 2020: not 2.5 years on 28 August 2022",
     {"care_from": "2020-02-29", "placements": [_placement("2020-02-29", None, "U4", "Ash")], "month": "2022-08",
      "today": d("2022-08-28")}, (False, False)),
])
def test_long_term_stability(case: str, kwargs: dict[str, object], expected: tuple[bool, bool]) -> None:
    assert _count("placement_2_years", **kwargs) == expected, case  # type: ignore[arg-type]


def test_placement_runs_join_the_same_carer_and_drop_temporary_placements() -> None:
    runs = placement_runs([
        _placement("2025-01-01", "2025-07-01", "U6", "Ash"),
        _placement("2025-07-01", "2025-07-10", "T1", "Hospital"),
        _placement("2025-07-10", "2025-12-01", "U4", "ASH"),
        _placement("2025-12-01", None, "K2", "Cedar House"),
    ])
    assert [(r.start, r.end, r.first_place) for r in runs] == [
        (d("2025-01-01"), d("2025-12-01"), "U6"), (d("2025-12-01"), None, "K2")]
