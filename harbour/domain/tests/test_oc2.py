"""The OC2 facts recorded at the point of work and the values the return derives from them."""

from __future__ import annotations

from datetime import date

import pytest

from harbour.domain.oc2 import (
    SDQ_REASONS,
    SW_REASONS,
    SW_REASONS_CONFIRMED,
    SdqRecorded,
    SubstanceMisuseFacts,
    oc2_convicted,
    oc2_sdq,
    oc2_substance_misuse,
    sdq_errors,
)
from harbour.domain.ssda903 import CollectionYear

YEAR = CollectionYear(2026)  # 1 April 2025 to 31 March 2026
ASSESSED = date(2025, 9, 10)

SDQ_CHECKS = [
    # score, reason, date of birth, field in error or None, case
    (0, "", date(2012, 3, 3), None, "score-of-0"),
    (40, "", date(2012, 3, 3), None, "score-of-40"),
    (41, "", date(2012, 3, 3), "sdq_score", "score-over-40"),
    (-1, "", date(2012, 3, 3), "sdq_score", "negative-score"),
    (12, "SDQ2", date(2012, 3, 3), "sdq_reason", "score-and-reason"),
    (None, "SDQ9", date(2012, 3, 3), "sdq_reason", "unknown-reason"),
    (None, "SDQ2", date(2012, 3, 3), None, "carer-refused"),
    (None, "SDQ1", date(2012, 3, 3), "sdq_reason", "SDQ1-at-13"),
    (None, "SDQ1", date(2021, 9, 11), None, "SDQ1-the-day-before-4th-birthday"),
    (None, "SDQ1", date(2021, 9, 10), "sdq_reason", "SDQ1-on-4th-birthday"),
    (None, "SDQ1", date(2008, 9, 10), None, "SDQ1-on-17th-birthday"),
    (None, "SDQ1", date(2008, 9, 11), "sdq_reason", "SDQ1-at-16-the-day-before-17"),
    (None, "SDQ1", date(2009, 2, 28), "sdq_reason", "SDQ1-at-16-born-28-February"),
    (None, "SDQ1", None, None, "SDQ1-date-of-birth-not-known"),
    (None, "", date(2012, 3, 3), None, "no-SDQ-with-this-assessment"),
]


@pytest.mark.parametrize(("score", "reason", "born", "field"), [row[:4] for row in SDQ_CHECKS],
                         ids=[row[4] for row in SDQ_CHECKS])
def test_an_sdq_is_a_score_or_a_reason(score: int | None, reason: str, born: date | None, field: str | None) -> None:
    errors = sdq_errors(score=score, reason=reason, date_of_birth=born, on=ASSESSED)
    assert list(errors) == ([] if field is None else [field])


SDQ_ROWS = [
    # date of birth, SDQs recorded, expected (SDQ_SCORE, SDQ_REASON), case
    (date(2012, 3, 3), [SdqRecorded(date(2025, 9, 10), 14, "")], ("14", ""), "score-in-year"),
    (date(2012, 3, 3), [SdqRecorded(date(2025, 5, 1), 14, ""), SdqRecorded(date(2026, 3, 31), None, "SDQ5")],
     ("", "SDQ5"), "latest-in-year-wins-on-31-March"),
    (date(2012, 3, 3), [SdqRecorded(date(2025, 3, 31), 14, "")], ("", ""), "only-the-year-before"),
    (date(2012, 3, 3), [SdqRecorded(date(2025, 9, 10), None, "")], ("", ""), "assessment-without-SDQ"),
    (date(2022, 4, 1), [SdqRecorded(date(2025, 9, 10), None, "SDQ1")], ("", ""), "under-4-at-year-end"),
    (date(2022, 3, 31), [SdqRecorded(date(2025, 9, 10), None, "SDQ1")], ("", "SDQ1"), "4-on-31-March"),
    (date(2008, 4, 1), [SdqRecorded(date(2025, 9, 10), 20, "")], ("", ""), "17-on-1-April"),
    (date(2008, 4, 2), [SdqRecorded(date(2025, 9, 10), 20, "")], ("20", ""), "16-on-1-April"),
    (date(2008, 2, 29), [SdqRecorded(date(2025, 9, 10), 20, "")], ("", ""), "born-29-February-17-at-start"),
]


@pytest.mark.parametrize(("born", "recorded", "expected"), [row[:3] for row in SDQ_ROWS],
                         ids=[row[3] for row in SDQ_ROWS])
def test_oc2_gives_the_latest_sdq_of_the_year(born: date, recorded: list[SdqRecorded],
                                              expected: tuple[str, str]) -> None:
    assert oc2_sdq(born, YEAR, recorded) == expected


def misuse(day: date, offered: bool = False, received: bool = False) -> SubstanceMisuseFacts:
    return SubstanceMisuseFacts(day, offered, received)


SUBSTANCE_ROWS = [
    ([], ("0", "", ""), "none-recorded"),
    ([misuse(date(2025, 3, 31), True, True)], ("0", "", ""), "the-year-before"),
    ([misuse(date(2025, 4, 1))], ("1", "0", "0"), "identified-on-1-April-nothing-offered"),
    ([misuse(date(2025, 6, 1), offered=True)], ("1", "0", "1"), "offered-not-received"),
    ([misuse(date(2025, 6, 1), offered=True), misuse(date(2026, 3, 31), received=True)], ("1", "1", ""),
     "received-later-in-the-year"),
]


@pytest.mark.parametrize(("recorded", "expected"), [row[:2] for row in SUBSTANCE_ROWS],
                         ids=[row[2] for row in SUBSTANCE_ROWS])
def test_oc2_substance_misuse_and_interventions(recorded: list[SubstanceMisuseFacts],
                                               expected: tuple[str, str, str]) -> None:
    assert oc2_substance_misuse(YEAR, recorded) == expected


FOURTEEN = date(2012, 3, 3)
CONVICTION_ROWS = [
    (FOURTEEN, [], "0", "none"),
    (FOURTEEN, [date(2025, 3, 31)], "0", "the-day-before-the-year"),
    (FOURTEEN, [date(2025, 4, 1)], "1", "1-April"),
    (FOURTEEN, [date(2026, 3, 31)], "1", "31-March"),
    (FOURTEEN, [date(2026, 4, 1)], "0", "after-the-year"),
    (date(2016, 3, 31), [], "0", "10-on-31-March"),
    (date(2016, 4, 1), [], "", "9-on-31-March"),
    (date(2016, 2, 29), [], "0", "born-29-February-10-by-31-March"),
    (None, [date(2025, 6, 1)], "", "date-of-birth-not-known"),
]


@pytest.mark.parametrize(("born", "days", "expected"), [row[:3] for row in CONVICTION_ROWS],
                         ids=[row[3] for row in CONVICTION_ROWS])
def test_oc2_convicted_in_the_year(born: date | None, days: list[date], expected: str) -> None:
    assert oc2_convicted(born, YEAR, days) == expected


def test_the_code_lists_are_the_validators() -> None:
    assert sorted(SDQ_REASONS) == ["SDQ1", "SDQ2", "SDQ3", "SDQ4", "SDQ5"]
    # rule SW13STG1's valid_reasons
    assert set(SW_REASONS) == {"MANAGE", "FCONTA", "LEFTRL", "ORGRST", "TSPROC", "ABSENC", "CHCHAN", "PCCHAN",
                               "SWDIED", "OTHERS"}
    assert SW_REASONS_CONFIRMED < set(SW_REASONS)
