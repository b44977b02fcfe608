"""Care leavers' journeys, counted by hand.

Today is 1 October 2026.

* a: foster (U4) 1 Jan 2020 to 31 Dec 2021 (731 days), children's home (K2) 1 Jan 2022 to
  31 Mar 2022 (90 days): mostly foster; at university full time (F1).
* b: children's home (K2) 1 Jan 2020 to 31 Dec 2021, foster (U6) 1 Jan 2022 to 31 Jan 2022:
  mostly residential; in higher education part time (P1); once homeless (S), later in lodgings (K).
* c: foster (U1) 1 Jan 2024 to 10 Jan 2024 (10 days), children's home (K2) 1 Feb 2024 to
  10 Feb 2024 (10 days): a tie, which goes to foster; in training (F5); homeless (S) now.
* d: no placements recorded: in no group.
* e: foster (U4) from 1 Sep 2026, still there (31 days to today): mostly foster; not in education (G5).
"""

from __future__ import annotations

from datetime import date

import pytest

from harbour.domain.care_journeys import (
    Journey,
    Stay,
    homeless_by_home,
    homeless_journeys,
    mostly_in,
    outcomes_by_home,
)

TODAY = date(2026, 10, 1)
A = Journey("a", (Stay("U4", date(2020, 1, 1), date(2021, 12, 31)), Stay("K2", date(2022, 1, 1), date(2022, 3, 31))),
            "F1", ("Z",))
B = Journey("b", (Stay("K2", date(2020, 1, 1), date(2021, 12, 31)), Stay("U6", date(2022, 1, 1), date(2022, 1, 31))),
            "P1", ("S", "K"))
C = Journey("c", (Stay("U1", date(2024, 1, 1), date(2024, 1, 10)), Stay("K2", date(2024, 2, 1), date(2024, 2, 10))),
            "F5", ("D", "S"))
D = Journey("d", (), "F1", ())
E = Journey("e", (Stay("U4", date(2026, 9, 1), None),), "G5", ())


@pytest.mark.parametrize(("case", "journey", "kind"), [
    ("two years fostered, three months in a home", A, "foster"),
    ("two years in a home, a month fostered", B, "residential"),
    ("ten days each: the tie goes to foster care", C, "foster"),
    ("no placements", D, None),
    ("a placement still going on counts to today", E, "foster"),
])
def test_mostly_in(case: str, journey: Journey, kind: str | None) -> None:
    assert mostly_in(journey.stays, TODAY) == kind, case


def test_outcomes_by_home_counted_by_hand() -> None:
    rows = {row.kind: row for row in outcomes_by_home([A, B, C, D, E], TODAY)}
    assert rows["foster"].young_people == ("a", "c", "e")
    assert rows["foster"].in_higher_education == ("a",)
    assert rows["foster"].percent == 33
    assert rows["residential"].young_people == ("b",)
    assert rows["residential"].percent == 100
    assert rows["supported"].young_people == () and rows["supported"].percent is None


def test_homeless_journeys_in_placement_order() -> None:
    assert homeless_journeys([A, B, C, D, E]) == [("b", ("residential", "foster")), ("c", ("foster", "residential"))]


@pytest.mark.parametrize(("case", "kind", "young_people", "homeless", "percent"), [
    ("foster: a, c (a tie goes to foster) and e; c homeless now", "foster", ("a", "c", "e"), ("c",), 33),
    ("residential: b, homeless once, in lodgings since: still counted", "residential", ("b",), ("b",), 100),
    ("supported: nobody, no percentage", "supported", (), (), None),
    ("other: nobody; d has no placements and is in no group", "other", (), (), None),
])
def test_homeless_by_home_counted_by_hand(case: str, kind: str, young_people: tuple[str, ...],
                                          homeless: tuple[str, ...], percent: int | None) -> None:
    rows = {row.kind: row for row in homeless_by_home([A, B, C, D, E], TODAY)}
    assert list(rows) == ["foster", "residential", "supported", "other"]
    row = rows[kind]
    assert (row.young_people, row.homeless, row.percent) == (young_people, homeless, percent), case
