from __future__ import annotations

from datetime import date

import pytest

from harbour.domain.nts import (
    ClockTag,
    at_or_above_nts_threshold,
    nts_threshold_count,
    transfer_clock,
    transfer_outcome,
)
from harbour.domain.tests.support import ENGLAND, d
from harbour.domain.timescales import nts_transfer_due

THRESHOLD = [
    # (UASC looked after, child population, at or above, case)
    (59, 60_000, False, "one-below"),
    (60, 60_000, True, "exactly-at-threshold"),
    (61, 60_000, True, "above"),
    (54, 54_321, False, "fraction-rounds-nowhere-54-below-54.321"),
    (55, 54_321, True, "55-above-54.321"),
    (0, 0, False, "no-children-recorded"),
    (100, None, False, "population-not-recorded"),
]


@pytest.mark.parametrize(("uasc", "population", "expected"), [r[:3] for r in THRESHOLD], ids=[r[3] for r in THRESHOLD])
def test_threshold(uasc: int, population: int | None, expected: bool) -> None:
    assert at_or_above_nts_threshold(uasc_looked_after=uasc, child_population=population) is expected


def test_threshold_count_is_exact() -> None:
    assert nts_threshold_count(54_321) * 1000 == 54_321
    with pytest.raises(ValueError, match="child_population"):
        nts_threshold_count(-1)


CLOCK = [
    # (referred, today, expected text, tag, case)
    ("2026-12-28", "2026-12-31", "2 working days left – due Tuesday 5 January 2027", ClockTag.CLOSE,
     "christmas-substitute-days-and-new-year"),
    ("2026-03-06", "2026-03-06", "5 working days left – due Friday 13 March 2026", ClockTag.ON_TRACK,
     "clock-starts-on-a-friday"),
    ("2026-03-07", "2026-03-09", "4 working days left – due Friday 13 March 2026", ClockTag.ON_TRACK,
     "referred-on-a-saturday"),
    ("2026-03-06", "2026-03-12", "1 working day left – due Friday 13 March 2026", ClockTag.URGENT, "one-left"),
    ("2026-03-06", "2026-03-13", "Due today – due Friday 13 March 2026", ClockTag.URGENT, "due-today"),
    ("2026-03-06", "2026-03-16", "1 working day overdue – due Friday 13 March 2026", ClockTag.OVERDUE, "overdue"),
    ("2026-03-27", "2026-04-01", "2 working days left – due Tuesday 7 April 2026", ClockTag.CLOSE,
     "across-good-friday-and-easter-monday"),
    ("2024-02-26", "2024-02-29", "2 working days left – due Monday 4 March 2024", ClockTag.CLOSE, "29-february"),
    ("2026-03-06", "2026-03-15", "Overdue – due Friday 13 March 2026", ClockTag.OVERDUE,
     "sunday-after-a-missed-friday"),
]


@pytest.mark.parametrize(("referred", "today", "text", "tag"), [r[:4] for r in CLOCK], ids=[r[4] for r in CLOCK])
def test_transfer_clock(referred: str, today: str, text: str, tag: ClockTag) -> None:
    due = nts_transfer_due(d(referred), ENGLAND)
    clock = transfer_clock(due=due, today=d(today), calendar=ENGLAND)
    assert clock.text == text
    assert clock.tag is tag


def test_clock_after_arrival_says_whether_in_time() -> None:
    due = d("2026-03-13")
    in_time = transfer_clock(due=due, today=d("2026-03-20"), calendar=ENGLAND, arrived_on=d("2026-03-12"))
    late = transfer_clock(due=due, today=d("2026-03-20"), calendar=ENGLAND, arrived_on=d("2026-03-16"))
    assert (in_time.tag_text, in_time.tag) == ("Transferred in time", ClockTag.DONE)
    assert (late.tag_text, late.tag) == ("Transferred late", ClockTag.OVERDUE)


OUTCOMES = [
    # (referred, arrived, working days taken, within, case)
    ("2026-03-06", "2026-03-06", 0, True, "same-day"),
    ("2026-03-06", "2026-03-13", 5, True, "on-the-fifth-working-day"),
    ("2026-03-06", "2026-03-16", 6, False, "one-day-late-after-a-weekend"),
    ("2026-12-24", "2027-01-04", 4, True, "over-christmas-4-working-days"),
    ("2026-03-07", "2026-03-08", 0, True, "weekend-referral-weekend-arrival"),
]


@pytest.mark.parametrize(("referred", "arrived", "taken", "within"), [r[:4] for r in OUTCOMES], ids=[r[4] for r in OUTCOMES])
def test_transfer_outcome(referred: str, arrived: str, taken: int, within: bool) -> None:
    due = nts_transfer_due(d(referred), ENGLAND)
    outcome = transfer_outcome(referred_on=d(referred), arrived_on=d(arrived), due=due, calendar=ENGLAND)
    assert (outcome.working_days_taken, outcome.within_deadline) == (taken, within)


def test_arrival_before_referral_is_refused() -> None:
    with pytest.raises(ValueError, match="before"):
        transfer_outcome(referred_on=date(2026, 3, 6), arrived_on=date(2026, 3, 5), due=date(2026, 3, 13), calendar=ENGLAND)
