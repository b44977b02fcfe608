"""Who is in which SSDA903 file and the dates they carry: table-driven, each row naming its case."""

from __future__ import annotations

from datetime import date

import pytest

from harbour.domain.ssda903 import CollectionYear
from harbour.domain.ssda903_cohorts import (
    continuously_looked_after,
    end_in_year,
    health_check_for_under_fives,
    oc3_birthday_in_year,
    parse_social_work_england_number,
    social_worker_id,
    uasc_status_ceased,
)
from harbour.domain.types import Period

YEAR = CollectionYear(2026)  # 1 April 2025 to 31 March 2026

DUC = [
    (date(2008, 5, 1), date(2026, 5, 1), "ordinary-18th-birthday"),
    (date(2008, 2, 29), date(2026, 2, 28), "born-29-february-18th-in-a-common-year-is-28-february"),
    (date(2004, 2, 29), date(2022, 2, 28), "born-29-february-another-common-year"),
    (date(2006, 2, 28), date(2024, 2, 28), "born-28-february-in-a-leap-year-stays"),
    (date(2008, 3, 1), date(2026, 3, 1), "born-1-march"),
]


@pytest.mark.parametrize(("born", "ceased"), [row[:2] for row in DUC], ids=[row[2] for row in DUC])
def test_uasc_status_ceases_at_18_as_rule_304_counts_it(born: date, ceased: date) -> None:
    assert uasc_status_ceased(born) == ceased


OC3 = [
    (date(2008, 4, 1), (17, date(2025, 4, 1)), "17th-birthday-on-1-april-the-first-day"),
    (date(2009, 3, 31), (17, date(2026, 3, 31)), "17th-birthday-on-31-march-the-last-day"),
    (date(2009, 4, 1), None, "17th-birthday-on-1-april-after-the-year"),
    (date(2004, 3, 31), None, "21st-birthday-the-day-before-the-year"),
    (date(2004, 4, 1), (21, date(2025, 4, 1)), "21st-birthday-on-the-first-day"),
    (date(2008, 2, 29), (18, date(2026, 3, 1)), "born-29-february-18th-on-1-march"),
    (date(2006, 8, 15), (19, date(2025, 8, 15)), "19th-birthday-mid-year"),
    (date(2012, 1, 1), None, "a-child-of-14"),
]


@pytest.mark.parametrize(("born", "found"), [row[:2] for row in OC3], ids=[row[2] for row in OC3])
def test_the_oc3_birthday_in_the_year(born: date, found: tuple[int, date] | None) -> None:
    assert oc3_birthday_in_year(born, YEAR) == found


OC2 = [
    ([Period(date(2023, 5, 1))], False, True, "in-care-since-before-the-year"),
    ([Period(date(2025, 4, 1))], False, True, "came-into-care-on-1-april-the-first-day"),
    ([Period(date(2025, 4, 2))], False, False, "came-into-care-on-2-april"),
    ([Period(date(2023, 5, 1), date(2025, 10, 1))], False, False, "left-care-mid-year"),
    ([Period(date(2023, 5, 1), date(2026, 3, 31))], False, True, "left-care-on-31-march"),
    ([Period(date(2023, 5, 1), date(2025, 6, 1)), Period(date(2025, 9, 1))], False, False, "came-back-into-care"),
    ([Period(date(2023, 5, 1))], True, False, "short-breaks-in-the-year"),
    ([], False, False, "never-looked-after"),
]


@pytest.mark.parametrize(("periods", "short_breaks", "continuous"), [row[:3] for row in OC2],
                         ids=[row[3] for row in OC2])
def test_looked_after_continuously_for_12_months(periods: list[Period], short_breaks: bool, continuous: bool) -> None:
    assert continuously_looked_after(periods, YEAR, short_breaks_in_year=short_breaks) is continuous


ENDS = [
    (None, None, "still-open"),
    (date(2026, 3, 31), date(2026, 3, 31), "ended-on-31-march"),
    (date(2026, 4, 1), None, "ended-after-the-year-is-returned-open"),
    (date(2025, 6, 1), date(2025, 6, 1), "ended-mid-year"),
]


@pytest.mark.parametrize(("end", "returned"), [row[:2] for row in ENDS], ids=[row[2] for row in ENDS])
def test_end_in_year(end: date | None, returned: date | None) -> None:
    assert end_in_year(end, YEAR) == returned


SW_IDS = [
    ("SW123456", "SW123456", "registered"),
    ("sw 12345", "SW12345", "typed-loosely"),
    ("", "XXXX", "not-recorded"),
    ("12345", "XXXX", "not-a-registration-number"),
]


@pytest.mark.parametrize(("registration", "sw_id"), [row[:2] for row in SW_IDS], ids=[row[2] for row in SW_IDS])
def test_social_worker_id(registration: str, sw_id: str) -> None:
    assert social_worker_id(registration) == sw_id


@pytest.mark.parametrize("typed", ["SW", "SWX1", "S123456", "SW123456789"])
def test_a_bad_registration_number_is_refused_in_words(typed: str) -> None:
    with pytest.raises(ValueError, match="Enter a Social Work England registration number in the correct format"):
        parse_social_work_england_number(typed)


# The collection year is YEAR, ending 31 March 2026.
# date of birth, review health assessments, HEALTH_CHECK, case
HEALTH_CHECKS = [
    (date(2022, 6, 1), [date(2025, 10, 1)], "1", "under-5-assessed-within-6-months-of-31-march"),
    (date(2022, 6, 1), [date(2025, 9, 30)], "0", "under-5-assessed-30-september-was-due-again-30-march"),
    (date(2022, 6, 1), [date(2025, 9, 29)], "0", "under-5-assessment-due-again-29-march"),
    (date(2022, 6, 1), [], "0", "under-5-never-assessed"),
    (date(2022, 6, 1), [date(2025, 5, 1), date(2026, 4, 2)], "0", "under-5-only-assessed-again-after-31-march"),
    (date(2021, 3, 31), [date(2026, 1, 5)], "", "5th-birthday-on-31-march-is-not-under-5"),
    (date(2021, 4, 1), [date(2026, 1, 5)], "1", "5th-birthday-on-1-april-is-under-5-on-31-march"),
    (date(2024, 2, 29), [date(2025, 12, 1)], "1", "born-29-february-baby"),
    (date(2021, 2, 28), [date(2026, 1, 5)], "", "aged-5-on-31-march"),
    (date(2025, 9, 30), [date(2025, 10, 20)], "1", "baby-born-in-the-year"),
]


@pytest.mark.parametrize(("born", "assessed", "expected"), [row[:3] for row in HEALTH_CHECKS],
                         ids=[row[3] for row in HEALTH_CHECKS])
def test_health_check_is_asked_of_under_fives_only_as_rules_545_and_546_say(
        born: date, assessed: list[date], expected: str) -> None:
    assert health_check_for_under_fives(born, YEAR, assessed) == expected
