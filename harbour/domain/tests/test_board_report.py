"""The board report's periods and generated sentences, case by case."""

from __future__ import annotations

from datetime import date

import pytest

from harbour.domain.board_report import (
    BoardPeriodError,
    Comparison,
    last_quarter,
    parse_period,
    previous_period,
    sentence,
)

REVIEWS = "reviews held in time"


@pytest.mark.parametrize(("case", "figure", "expected"), [
    ("rise, above the national figure",
     Comparison(REVIEWS, "percent", 88, 81, 85, "2024"),
     "Reviews held in time rose from 81% to 88%, above the national figure of 85% (2024)."),
    ("fall, below the national figure",
     Comparison(REVIEWS, "percent", 79, 81, 85, "2024"),
     "Reviews held in time fell from 81% to 79%, below the national figure of 85% (2024)."),
    ("no change, the same as the national figure",
     Comparison(REVIEWS, "percent", 85, 85, 85, "2024"),
     "Reviews held in time stayed at 85%, the same as the national figure of 85% (2024)."),
    ("no previous figure (first report, or nobody counted before)",
     Comparison(REVIEWS, "percent", 88, None, 85, "2024", "Q2 2026-27"),
     "Reviews held in time was 88% in Q2 2026-27; there is no figure for the period before to compare with, "
     "above the national figure of 85% (2024)."),
    ("no national figure published",
     Comparison(REVIEWS, "percent", 88, 81),
     "Reviews held in time rose from 81% to 88%."),
    ("zero denominator: nobody counted this period",
     Comparison(REVIEWS, "percent", None, 81, 85, "2024", "Q2 2026-27"),
     "Reviews held in time: nobody was counted in Q2 2026-27, so there is no figure."),
    ("a count, not a percentage, with a fraction",
     Comparison("average days to transfer", "days", 12.5, 14),
     "Average days to transfer fell from 14 days to 12.5 days."),
    ("money in whole pounds", Comparison("Home Office funding claimed", "pounds", 12500, 9800),
     "Home Office funding claimed rose from £9,800 to £12,500."),
])
def test_sentence(case: str, figure: Comparison, expected: str) -> None:
    assert sentence(figure) == expected, case


@pytest.mark.parametrize(("case", "text", "key", "start", "end"), [
    ("quarter 1 is April to June", "2026-27-Q1", "2026-27-Q1", date(2026, 4, 1), date(2026, 6, 30)),
    ("quarter 4 ends in March of the next year, leap year", "2027-28-Q4", "2027-28-Q4", date(2028, 1, 1),
     date(2028, 3, 31)),
    ("lower case and spaces accepted", " 2026-27-q2 ", "2026-27-Q2", date(2026, 7, 1), date(2026, 9, 30)),
    ("a financial year", "2026-27", "2026-27", date(2026, 4, 1), date(2027, 3, 31)),
    ("the century turns", "2099-00", "2099-00", date(2099, 4, 1), date(2100, 3, 31)),
])
def test_parse_period(case: str, text: str, key: str, start: date, end: date) -> None:
    period = parse_period(text)
    assert (period.key, period.start, period.end) == (key, start, end), case


@pytest.mark.parametrize(("case", "text"), [
    ("calendar quarter words", "Q2 2026"),
    ("years that do not follow", "2026-28-Q1"),
    ("no fifth quarter", "2026-27-Q5"),
    ("empty", ""),
])
def test_bad_period_says_how_to_write_one(case: str, text: str) -> None:
    with pytest.raises(BoardPeriodError, match="2026-27-Q2"):
        parse_period(text)


@pytest.mark.parametrize(("case", "key", "previous"), [
    ("quarter 2 follows quarter 1", "2026-27-Q2", "2026-27-Q1"),
    ("quarter 1 follows the last year's quarter 4", "2026-27-Q1", "2025-26-Q4"),
    ("quarter 4 follows quarter 3 across the new year", "2026-27-Q4", "2026-27-Q3"),
    ("a year follows the year before", "2026-27", "2025-26"),
])
def test_previous_period(case: str, key: str, previous: str) -> None:
    assert previous_period(parse_period(key)).key == previous, case


@pytest.mark.parametrize(("case", "today", "key"), [
    ("mid quarter 3: the report is on quarter 2", date(2026, 12, 2), "2026-27-Q2"),
    ("first day of a quarter: the quarter just ended", date(2026, 4, 1), "2025-26-Q4"),
    ("last day of a quarter: that quarter has not ended", date(2026, 6, 30), "2025-26-Q4"),
    ("29 February in quarter 4", date(2028, 2, 29), "2027-28-Q3"),
])
def test_last_quarter(case: str, today: date, key: str) -> None:
    assert last_quarter(today).key == key, case
