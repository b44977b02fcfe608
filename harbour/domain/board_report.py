"""The Corporate Parenting Board report's rules: which period a report covers, the period
before it, and the sentences written from its figures.

A board report covers a financial quarter (``2026-27-Q2``, July to September 2026) or a
financial year (``2026-27``, April 2026 to March 2027), as councils report to their Corporate
Parenting Board and the DfE publishes its figures (the children looked after statistics run
April to March). Statutory guidance asks the board to hold the council to account for its
corporate parenting principles (Children and Social Work Act 2017 s.1; "Applying corporate
parenting principles to looked-after children and care leavers", DfE 2018, paragraphs 1.14 to
1.16): the sentences here state each figure, how it moved since the previous period and how it
compares with the national figure, in plain words and without judging it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from harbour.domain.review_measures import ReportingPeriod, quarters_between

__all__ = [
    "BoardPeriodError",
    "Comparison",
    "last_quarter",
    "parse_period",
    "previous_period",
    "sentence",
]

_QUARTER = re.compile(r"^(\d{4})-(\d{2})-Q([1-4])$")
_YEAR = re.compile(r"^(\d{4})-(\d{2})$")
PERIOD_HINT = "Enter a financial quarter like 2026-27-Q2 or a financial year like 2026-27"


class BoardPeriodError(ValueError):
    """A period that is not a financial quarter or year; the message says how to write one."""


def _year_start(text: str, following: str) -> int:
    year = int(text)
    if (year + 1) % 100 != int(following):
        raise BoardPeriodError(f"{PERIOD_HINT}: the second year must follow the first")
    return year


def parse_period(text: str) -> ReportingPeriod:
    """The financial quarter (``2026-27-Q2``) or year (``2026-27``) the text names."""
    cleaned = text.strip().upper()
    if match := _QUARTER.match(cleaned):
        year = _year_start(match[1], match[2])
        quarters = quarters_between(date(year, 4, 1), date(year + 1, 3, 31))
        return quarters[int(match[3]) - 1]
    if match := _YEAR.match(cleaned):
        year = _year_start(match[1], match[2])
        return ReportingPeriod(f"{year}-{(year + 1) % 100:02d}", f"{year} to {year + 1} (April to March)",
                               date(year, 4, 1), date(year + 1, 3, 31))
    raise BoardPeriodError(PERIOD_HINT)


def previous_period(period: ReportingPeriod) -> ReportingPeriod:
    """The quarter before a quarter, the year before a year: what the board compares with."""
    if period.key.count("-") == 2:
        day_before = date.fromordinal(period.start.toordinal() - 1)
        return quarters_between(day_before, day_before)[0]
    return parse_period(f"{period.start.year - 1}-{period.start.year % 100:02d}")


def last_quarter(today: date) -> ReportingPeriod:
    """The last financial quarter that has ended by ``today``: the report a board meets on."""
    current = quarters_between(today, today)[0]
    return previous_period(current)


@dataclass(frozen=True)
class Comparison:
    """One figure with what the board compares it with. ``None`` means there is no figure:
    nobody was counted (a zero denominator), or nothing was published."""

    title: str
    unit: str  # "percent", "pounds", or what a plain number counts ("children", "days")
    current: float | None
    previous: float | None = None
    national: float | None = None
    national_year: str = ""
    period_label: str = ""


def _amount(value: float, unit: str) -> str:
    number = f"{value:,.1f}".removesuffix(".0")
    if unit == "percent":
        return f"{number}%"
    if unit == "pounds":
        return f"£{value:,.0f}"
    return f"{number} {unit}".rstrip()


def sentence(figure: Comparison) -> str:
    """The sentence a report states for one figure, for example "Reviews held in time rose from
    81% to 88%, above the national figure of 85% (2024)."."""
    title = figure.title[:1].upper() + figure.title[1:]
    when = f" in {figure.period_label}" if figure.period_label else ""
    if figure.current is None:
        return f"{title}: nobody was counted{when}, so there is no figure."
    now = _amount(figure.current, figure.unit)
    if figure.previous is None:
        text = f"{title} was {now}{when}; there is no figure for the period before to compare with"
    elif figure.current > figure.previous:
        text = f"{title} rose from {_amount(figure.previous, figure.unit)} to {now}"
    elif figure.current < figure.previous:
        text = f"{title} fell from {_amount(figure.previous, figure.unit)} to {now}"
    else:
        text = f"{title} stayed at {now}"
    if figure.national is not None:
        national = f"the national figure of {_amount(figure.national, figure.unit)}"
        year = f" ({figure.national_year})" if figure.national_year else ""
        if figure.current > figure.national:
            text += f", above {national}{year}"
        elif figure.current < figure.national:
            text += f", below {national}{year}"
        else:
            text += f", the same as {national}{year}"
    return text + "."
