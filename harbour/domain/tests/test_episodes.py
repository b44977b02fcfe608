"""SSDA903 episodes from periods of care, legal statuses and placements. Each table row names its case."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from harbour.domain.episodes import (
    CarePeriod,
    Episode,
    LegalStatusSpell,
    PlacementFacts,
    episodes,
    full_postcode,
    postcode_sector,
)
from harbour.domain.tests.support import d, property_test


def period(start: str, end: str | None = None, reason_ceased: str = "") -> CarePeriod:
    return CarePeriod(d(start), d(end) if end else None, reason_ceased)


def status(legal_status: str, start: str, end: str | None = None) -> LegalStatusSpell:
    return LegalStatusSpell(legal_status, d(start), d(end) if end else None)


def placed(start: str, end: str | None = None, **changes: Any) -> PlacementFacts:
    """A foster placement with Amina Khan in Leeds; the child's home (where found) is in Dover."""
    base = PlacementFacts(
        start=d(start),
        end=d(end) if end else None,
        place="U6",
        place_provider="PR1",
        urn="SC123456",
        carer="Amina Khan",
        postcode="LS7 3AB",
        home_postcode="CT16 1JA",
        reason_for_change="",
    )
    return replace(base, **changes)


# (decom, dec, RNE, LS, PLACE, REC, REASON_PLACE_CHANGE): the columns that follow from the dates.
Row = tuple[str, str | None, str, str, str, str, str]

ROWS: list[tuple[str, list[CarePeriod], list[LegalStatusSpell], list[PlacementFacts], list[Row]]] = [
    ("a single episode",
     [period("2026-01-05", "2026-06-30", "E4A")],
     [status("V2", "2026-01-05", "2026-06-30")],
     [placed("2026-01-05", "2026-06-30")],
     [("2026-01-05", "2026-06-30", "S", "V2", "U6", "E4A", "")]),
    ("a legal status change only is L",
     [period("2026-01-05")],
     [status("V2", "2026-01-05", "2026-02-10"), status("C2", "2026-02-10")],
     [placed("2026-01-05")],
     [("2026-01-05", "2026-02-10", "S", "V2", "U6", "X1", ""),
      ("2026-02-10", None, "L", "C2", "U6", "", "")]),
    ("a placement change to a new carer is P, with the reason on the episode it ends",
     [period("2026-01-05")],
     [status("V2", "2026-01-05")],
     [placed("2026-01-05", "2026-03-01", reason_for_change="CHILD"),
      placed("2026-03-01", place="K2", carer="Oak House")],
     [("2026-01-05", "2026-03-01", "S", "V2", "U6", "X1", "CHILD"),
      ("2026-03-01", None, "P", "V2", "K2", "", "")]),
    ("a move with the same carer is T (carer names compared ignoring case and spacing)",
     [period("2026-01-05")],
     [status("C2", "2026-01-05")],
     [placed("2026-01-05", "2026-04-01", reason_for_change="PLACE"),
      placed("2026-04-01", place="U4", carer="amina  KHAN")],
     [("2026-01-05", "2026-04-01", "S", "C2", "U6", "X1", "PLACE"),
      ("2026-04-01", None, "T", "C2", "U4", "", "")]),
    ("a blank carer is never the same carer",
     [period("2026-01-05")],
     [status("C2", "2026-01-05")],
     [placed("2026-01-05", "2026-04-01", carer=""), placed("2026-04-01", carer="")],
     [("2026-01-05", "2026-04-01", "S", "C2", "U6", "X1", ""),
      ("2026-04-01", None, "P", "C2", "U6", "", "")]),
    ("legal status and placement to a new carer on the same day is B",
     [period("2026-01-05")],
     [status("V2", "2026-01-05", "2026-03-01"), status("C2", "2026-03-01")],
     [placed("2026-01-05", "2026-03-01", reason_for_change="CARPL"),
      placed("2026-03-01", carer="Oak House", place="K2")],
     [("2026-01-05", "2026-03-01", "S", "V2", "U6", "X1", "CARPL"),
      ("2026-03-01", None, "B", "C2", "K2", "", "")]),
    ("legal status and placement with the same carer on the same day is U",
     [period("2026-01-05")],
     [status("V2", "2026-01-05", "2026-03-01"), status("C2", "2026-03-01")],
     [placed("2026-01-05", "2026-03-01", reason_for_change="PLACE"), placed("2026-03-01", place="U4")],
     [("2026-01-05", "2026-03-01", "S", "V2", "U6", "X1", "PLACE"),
      ("2026-03-01", None, "U", "C2", "U4", "", "")]),
    ("legal status and placement on different days are two episodes, L then P",
     [period("2026-01-05")],
     [status("V2", "2026-01-05", "2026-02-01"), status("C2", "2026-02-01")],
     [placed("2026-01-05", "2026-03-01", reason_for_change="CARPL"), placed("2026-03-01", carer="B")],
     [("2026-01-05", "2026-02-01", "S", "V2", "U6", "X1", ""),
      ("2026-02-01", "2026-03-01", "L", "C2", "U6", "X1", "CARPL"),
      ("2026-03-01", None, "P", "C2", "U6", "", "")]),
    ("two periods of care each start with S and end with their own reason",
     [period("2026-06-01"), period("2026-01-05", "2026-03-31", "E13")],
     [status("V2", "2026-01-05", "2026-03-31"), status("V2", "2026-06-01")],
     [placed("2026-01-05", "2026-03-31", reason_for_change="CARPL"), placed("2026-06-01", carer="B")],
     [("2026-01-05", "2026-03-31", "S", "V2", "U6", "E13", ""),
      ("2026-06-01", None, "S", "V2", "U6", "", "")]),
    ("an open period: no DEC, no REC, no reason for change (rule 233)",
     [period("2026-01-05")],
     [status("V2", "2026-01-05")],
     [placed("2026-01-05", reason_for_change="CARPL")],
     [("2026-01-05", None, "S", "V2", "U6", "", "")]),
    ("the child leaving care is not a placement change: no reason on the last episode",
     [period("2026-01-05", "2026-05-31", "E4A")],
     [status("V2", "2026-01-05", "2026-05-31")],
     [placed("2026-01-05", "2026-05-31", reason_for_change="CARPL")],
     [("2026-01-05", "2026-05-31", "S", "V2", "U6", "E4A", "")]),
    ("a placement that starts the day the previous ends follows it with no gap",
     [period("2026-01-05", "2026-05-31", "E4A")],
     [status("V2", "2026-01-05", "2026-05-31")],
     [placed("2026-01-05", "2026-02-14", reason_for_change="CREQB"),
      placed("2026-02-14", "2026-05-31", carer="B")],
     [("2026-01-05", "2026-02-14", "S", "V2", "U6", "X1", "CREQB"),
      ("2026-02-14", "2026-05-31", "P", "V2", "U6", "E4A", "")]),
    ("a day with no placement recorded is an episode with a blank PLACE, for the validator to flag",
     [period("2026-01-05")],
     [status("V2", "2026-01-05")],
     [placed("2026-01-05", "2026-02-14", reason_for_change="CREQO"), placed("2026-02-15", carer="B")],
     [("2026-01-05", "2026-02-14", "S", "V2", "U6", "X1", "CREQO"),
      ("2026-02-14", "2026-02-15", "P", "V2", "", "X1", ""),
      ("2026-02-15", None, "P", "V2", "U6", "", "")]),
    ("no legal status recorded at the start gives a blank LS",
     [period("2026-01-05")],
     [status("V2", "2026-01-10")],
     [placed("2026-01-05")],
     [("2026-01-05", "2026-01-10", "S", "", "U6", "X1", ""),
      ("2026-01-10", None, "L", "V2", "U6", "", "")]),
    ("a temporary T1 move and back: no reason on it nor on the episode before it (rule 226)",
     [period("2026-01-05")],
     [status("C2", "2026-01-05")],
     [placed("2026-01-05", "2026-03-01", reason_for_change="CARPL"),
      placed("2026-03-01", "2026-03-08", place="T1", place_provider="", urn="", carer="St James's Hospital",
             postcode="LS9 7TF", reason_for_change="CARPL"),
      placed("2026-03-08")],
     [("2026-01-05", "2026-03-01", "S", "C2", "U6", "X1", ""),
      ("2026-03-01", "2026-03-08", "P", "C2", "T1", "X1", ""),
      ("2026-03-08", None, "P", "C2", "U6", "", "")]),
    ("the same legal status recorded again the same day is no new episode",
     [period("2026-01-05")],
     [status("V2", "2026-01-05", "2026-02-01"), status("V2", "2026-02-01")],
     [placed("2026-01-05")],
     [("2026-01-05", None, "S", "V2", "U6", "", "")]),
    ("records before and after the period of care are not episodes",
     [period("2026-01-05", "2026-03-31", "E8")],
     [status("V2", "2025-06-01", "2025-07-01"), status("C2", "2026-01-05", "2026-03-31"),
      status("V2", "2026-09-01")],
     [placed("2025-06-01", "2025-07-01", carer="Old"), placed("2026-01-05", "2026-03-31"),
      placed("2026-09-01", carer="New")],
     [("2026-01-05", "2026-03-31", "S", "C2", "U6", "E8", "")]),
    ("a change on the day the child leaves care starts no episode",
     [period("2026-01-05", "2026-03-31", "E4A")],
     [status("V2", "2026-01-05")],
     [placed("2026-01-05", "2026-03-31"), placed("2026-03-31", carer="B")],
     [("2026-01-05", "2026-03-31", "S", "V2", "U6", "E4A", "")]),
    ("a period of care of a single day keeps its placement",
     [period("2026-01-05", "2026-01-05", "E4A")],
     [status("V2", "2026-01-05", "2026-01-05")],
     [placed("2026-01-05", "2026-01-05")],
     [("2026-01-05", "2026-01-05", "S", "V2", "U6", "E4A", "")]),
    ("no periods of care, no episodes", [], [status("V2", "2026-01-05")], [placed("2026-01-05")], []),
]  # fmt: skip


@pytest.mark.parametrize(
    ("periods", "legal_statuses", "placements", "expected"),
    [row[1:] for row in ROWS],
    ids=[row[0] for row in ROWS],
)
def test_episodes(
    periods: list[CarePeriod],
    legal_statuses: list[LegalStatusSpell],
    placements: list[PlacementFacts],
    expected: list[Row],
) -> None:
    found = [
        (
            e.decom.isoformat(),
            e.dec.isoformat() if e.dec else None,
            e.rne,
            e.legal_status,
            e.place,
            e.rec,
            e.reason_place_change,
        )
        for e in episodes(periods, legal_statuses, placements)
    ]
    assert found == expected


def test_the_placement_columns_are_copied_and_postcodes_cut_to_sectors() -> None:
    [episode] = episodes(
        [period("2026-01-05")],
        [status("V2", "2026-01-05")],
        [placed("2026-01-05", place="K2", place_provider="PR4", urn="SC654321", postcode="ls7 3ab",
                home_postcode="CT161JA")],  # fmt: skip
    )
    assert episode == Episode(
        decom=d("2026-01-05"), dec=None, rne="S", legal_status="V2", place="K2", place_provider="PR4",
        urn="SC654321", home_post="CT16 1", pl_post="LS7 3", rec="", reason_place_change="",
        home_postcode="CT16 1JA", pl_postcode="LS7 3AB",
    )  # fmt: skip


SHORT_BREAKS = [
    ("V4", ("", "", "", ""), "short-breaks-v4-no-location-or-urn"),
    ("V3", ("", "", "", ""), "single-short-break-v3-no-location-or-urn"),
    ("V2", ("SC654321", "CT16 1JA", "LS7 3AB", "LS7 3"), "section-20-keeps-location-and-urn"),
    ("C2", ("SC654321", "CT16 1JA", "LS7 3AB", "LS7 3"), "care-order-keeps-location-and-urn"),
]


@pytest.mark.parametrize(("legal_status", "located"), [row[:2] for row in SHORT_BREAKS],
                         ids=[row[2] for row in SHORT_BREAKS])
def test_short_breaks_carry_no_placement_location(legal_status: str, located: tuple[str, ...]) -> None:
    # Rules 214, 398 and 420: no URN, postcodes or distance under V3 or V4; PLACE and provider stay.
    [episode] = episodes(
        [period("2026-01-05")],
        [status(legal_status, "2026-01-05")],
        [placed("2026-01-05", place="U6", place_provider="PR1", urn="SC654321", postcode="ls7 3ab",
                home_postcode="CT161JA")],  # fmt: skip
    )
    assert (episode.urn, episode.home_postcode, episode.pl_postcode, episode.pl_post) == located
    assert (episode.place, episode.place_provider) == ("U6", "PR1")


def test_an_episode_with_no_placement_has_blank_placement_columns() -> None:
    _, gap, _ = episodes(
        [period("2026-01-05")],
        [status("V2", "2026-01-05")],
        [placed("2026-01-05", "2026-02-14"), placed("2026-02-15")],
    )
    assert (gap.place, gap.place_provider, gap.urn, gap.home_post, gap.pl_post) == ("", "", "", "", "")


SECTORS = [
    ("LS1 4AP", "LS1 4", "spaced"),
    ("ls14ap", "LS1 4", "lower case without the space"),
    ("  sw1a   1aa ", "SW1A 1", "extra spaces and a letter in the district"),
    ("M1 1AE", "M1 1", "one-letter area, one-digit district"),
    ("B33 8TH", "B33 8", "one-letter area, two-digit district"),
    ("DN55 1PT", "DN55 1", "two-letter area, two-digit district"),
    ("EC1A 1BB", "EC1A 1", "two-letter area, district with a letter"),
    ("W1A 0AX", "W1A 0", "sector 0"),
    ("GIR 0AA", "GIR 0", "Girobank"),
    ("LS1 4", "LS1 4", "a sector already"),
    ("", "", "blank"),
    ("   ", "", "spaces only"),
    ("LS14", "", "a sector without its space is ambiguous"),
    ("not a postcode", "", "words"),
    ("12345", "", "a zip code"),
    ("LS1 4APX", "", "too long"),
    ("1LS 4AP", "", "starts with a digit"),
]


@pytest.mark.parametrize(
    ("postcode", "expected"), [row[:2] for row in SECTORS], ids=[row[2] for row in SECTORS]
)
def test_postcode_sector(postcode: str, expected: str) -> None:
    assert postcode_sector(postcode) == expected


FULL_POSTCODES = [
    ("ls14ap", "LS1 4AP", "lower case without the space"),
    ("  sw1a   1aa ", "SW1A 1AA", "extra spaces and a letter in the district"),
    ("DN55 1PT", "DN55 1PT", "two-letter area, two-digit district"),
    ("GIR 0AA", "GIR 0AA", "Girobank"),
    ("LS1 4", "", "a sector is not a postcode"),
    ("", "", "blank"),
    ("LS1 4APX", "", "too long"),
]


@pytest.mark.parametrize(
    ("postcode", "expected"), [row[:2] for row in FULL_POSTCODES], ids=[row[2] for row in FULL_POSTCODES]
)
def test_full_postcode(postcode: str, expected: str) -> None:
    assert full_postcode(postcode) == expected


# A chain of placements and legal statuses, each starting the day the last ends, within one period.
chains = st.lists(st.integers(1, 60), min_size=1, max_size=6)


@property_test
@given(
    placement_days=chains,
    status_days=chains,
    carers=st.lists(st.sampled_from(["A", "B", ""]), min_size=6, max_size=6),
    closed=st.booleans(),
)
def test_episodes_tile_the_period_of_care(
    placement_days: list[int], status_days: list[int], carers: list[str], closed: bool
) -> None:
    start = date(2026, 1, 5)

    def chain(lengths: list[int]) -> list[tuple[date, date]]:
        spans, day = [], start
        for length in lengths:
            spans.append((day, day + timedelta(days=length)))
            day += timedelta(days=length)
        return spans

    placement_spans, status_spans = chain(placement_days), chain(status_days)
    end = min(placement_spans[-1][1], status_spans[-1][1]) if closed else None
    placements = [
        placed(s.isoformat(), e.isoformat(), carer=carers[i], reason_for_change="CARPL")
        for i, (s, e) in enumerate(placement_spans)
    ]
    if not closed:
        placements[-1] = replace(placements[-1], end=None)
    statuses = [LegalStatusSpell(f"L{i % 2}", s, e) for i, (s, e) in enumerate(status_spans)]
    if not closed:
        statuses[-1] = replace(statuses[-1], end=None)
    found = episodes([CarePeriod(start, end, "E4A" if closed else "")], statuses, placements)

    assert found[0].decom == start and found[0].rne == "S"
    assert all(e.rne in {"L", "P", "T", "B", "U"} for e in found[1:])
    for before, after in zip(found, found[1:], strict=False):
        assert before.dec == after.decom and before.rec == "X1"
        assert before.dec is not None and before.decom < before.dec
    assert found[-1].dec == end
    assert found[-1].rec == ("E4A" if closed else "")
    assert found[-1].reason_place_change == ""
    if not closed:
        assert all(e.place == "U6" and e.legal_status for e in found)
