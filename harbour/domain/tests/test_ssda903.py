"""Table tests for the SSDA903 collection year, code lists by year and known false positives."""

from __future__ import annotations

from datetime import date

import pytest

from harbour.domain import ssda903 as r
from harbour.domain.tests.support import d

YEARS = [
    (2026, "2025-04-01", "2026-03-31", "2025-26"),
    (2024, "2023-04-01", "2024-03-31", "2023-24"),  # a leap year: 29 February falls inside
]


@pytest.mark.parametrize(("ending", "start", "end", "label"), YEARS, ids=[row[3] for row in YEARS])
def test_collection_year_runs_april_to_march(ending: int, start: str, end: str, label: str) -> None:
    year = r.collection_year(ending, today=d("2026-12-02"))
    assert (year.start, year.end, year.label) == (d(start), d(end), label)


ACCEPTED = [
    (2017, "2026-12-02", "first-year-imported"),
    (2027, "2026-12-02", "year-in-progress-after-april"),
    (2026, "2026-03-31", "year-in-progress-on-its-last-day"),
]


@pytest.mark.parametrize(("ending", "today"), [row[:2] for row in ACCEPTED], ids=[row[2] for row in ACCEPTED])
def test_collection_year_accepted(ending: int, today: str) -> None:
    assert r.collection_year(ending, today=d(today)).ending == ending


REFUSED = [
    (2016, "2026-12-02", "before-first-import-year"),
    (2028, "2026-12-02", "year-not-begun"),
    (2027, "2026-03-31", "next-year-the-day-before-it-begins"),
]


@pytest.mark.parametrize(("ending", "today"), [row[:2] for row in REFUSED], ids=[row[2] for row in REFUSED])
def test_collection_year_refused_with_the_range(ending: int, today: str) -> None:
    with pytest.raises(ValueError, match="Year must be between 2017 and"):
        r.collection_year(ending, today=d(today))


def test_includes_spells_that_touch_the_year() -> None:
    year = r.CollectionYear(2026)
    assert year.includes(d("2025-03-31"), None)  # open spell from before the year
    assert year.includes(d("2024-01-01"), d("2025-04-01"))  # ends on the first day
    assert not year.includes(d("2024-01-01"), d("2025-03-31"))  # ended the day before
    assert not year.includes(d("2026-04-01"), None)  # starts after the year


DATES = [("14/03/2010", date(2010, 3, 14), "ordinary"), ("29/02/2024", date(2024, 2, 29), "29-february")]


@pytest.mark.parametrize(("text", "value"), [row[:2] for row in DATES], ids=[row[2] for row in DATES])
def test_dates_round_trip(text: str, value: date) -> None:
    assert r.parse_date_903(text) == value
    assert r.date_903(value) == text


BAD_DATES = [
    ("2010-03-14", "iso-form"),
    ("29/02/2023", "29-february-not-leap"),
    ("14/3/10", "two-digit-year"),
    ("", "blank"),
]


@pytest.mark.parametrize("text", [row[0] for row in BAD_DATES], ids=[row[1] for row in BAD_DATES])
def test_bad_dates_are_refused_in_words(text: str) -> None:
    with pytest.raises(ValueError, match="date"):
        r.parse_date_903(text)


SEXES = [
    ("M", 2025, "M", "2024-25-letters"),
    ("U", 2026, "U", "2025-26-not-known"),
    ("M", 2024, "1", "2023-24-male-is-1"),
    ("F", 2024, "2", "2023-24-female-is-2"),
    ("U", 2024, "", "2023-24-no-code-for-not-known"),
]


@pytest.mark.parametrize(("sex", "ending", "code"), [row[:3] for row in SEXES], ids=[row[3] for row in SEXES])
def test_header_sex_by_year(sex: str, ending: int, code: str) -> None:
    assert r.header_sex(sex, r.CollectionYear(ending)) == code


PLACES = [
    (2024, "K3", False, "k3-not-before-2024-25"),
    (2025, "K3", True, "k3-from-2024-25"),
    (2025, "H5", True, "h5-still-in-2024-25"),
    (2026, "H5", False, "h5-removed-2025-26"),
    (2026, "Z1", False, "z1-split-2025-26"),
    (2026, "Z12", True, "z12-from-2025-26"),
    (2024, "Z12", False, "z12-not-before"),
]


@pytest.mark.parametrize(("ending", "place", "valid"), [row[:3] for row in PLACES], ids=[row[3] for row in PLACES])
def test_valid_places_by_year(ending: int, place: str, valid: bool) -> None:
    assert (place in r.valid_places(r.CollectionYear(ending))) is valid


def _child(*, dob: str = "2010-03-14", starts: int = 1, place: str = "U6", leaver: bool = False,
           previous: bool = False, dec: str = "") -> r.ChildInReturn:
    rows = [{"RNE": "S", "PLACE": place, "DEC": dec} for _ in range(starts)]
    return r.ChildInReturn(d(dob), rows, is_care_leaver=leaver, previous_year_loaded=previous)


FALSE_POSITIVES = [
    ("SW12STG2", 2026, _child(starts=2), True, "two-periods-of-care-flag-sw12stg2"),
    ("SW12STG2", 2026, _child(starts=1), False, "one-period-sw12stg2-is-real"),
    ("1001", 2026, _child(leaver=True, previous=True), True, "care-leaver-with-last-year-loaded"),
    ("1001", 2026, _child(leaver=True, previous=False), False, "care-leaver-this-year-only-is-real"),
    ("146", 2025, _child(place="K3"), True, "lower-case-k3-in-2024-25"),
    ("146", 2026, _child(place="K3"), False, "k3-in-2025-26-is-real"),
    ("1016", 2026, _child(dob="2008-03-31"), True, "18th-birthday-on-31-march"),
    ("1016", 2026, _child(dob="2008-03-30"), False, "18th-birthday-on-30-march-is-real"),
    ("1016", 2025, _child(dob="2006-03-31"), False, "18th-birthday-31-march-other-year"),
    ("575", 2026, _child(), True, "open-missing-episode-child-still-looked-after"),
    ("577", 2026, _child(), True, "open-missing-episode-577-child-still-looked-after"),
    ("577", 2026, _child(dec="01/03/2026"), False, "open-missing-episode-after-leaving-care-is-real"),
    ("SW17STG2", 2026, _child(dec="01/03/2026"), True, "left-care-before-31-march-no-open-social-worker"),
    ("SW17STG2", 2026, _child(), False, "still-looked-after-needs-an-open-social-worker"),
    ("SW11bSTG2", 2026, _child(dec="26/03/2026"), True, "left-care-on-26-march-with-the-social-worker-episode"),
    ("SW11bSTG2", 2026, _child(), False, "still-looked-after-needs-the-next-social-worker"),
    ("103", 2026, _child(), False, "any-other-rule-is-real"),
]

# Results that hold for one flagged row only: (rule, the flagged row, known, case).
ROW_FALSE_POSITIVES = [
    ("218", {"LS": "V4", "PLACE": "U6", "URN": ""}, True, "218-on-short-breaks-v4-contradicts-214"),
    ("218", {"LS": "V3", "PLACE": "K2", "URN": ""}, True, "218-on-single-short-break-v3"),
    ("218", {"LS": "C2", "PLACE": "U6", "URN": ""}, False, "218-missing-urn-under-care-order-is-real"),
    ("218", None, False, "218-without-its-row-is-real"),
    ("241", {"LS": "V2", "PLACE": "K3", "URN": "SC123456"}, True, "241-out-of-area-k3-compared-with-sender"),
    ("241", {"LS": "V2", "PLACE": "K2", "URN": "SC123456"}, False, "241-not-k3-is-real"),
    ("214", {"LS": "V4", "PLACE": "U6", "URN": "SC123456"}, False, "214-urn-on-short-break-is-real"),
]


@pytest.mark.parametrize(("rule", "row", "known"), [r_[:3] for r_ in ROW_FALSE_POSITIVES],
                         ids=[r_[3] for r_ in ROW_FALSE_POSITIVES])
def test_known_false_positives_of_one_row(rule: str, row: dict[str, str] | None, known: bool) -> None:
    result = r.known_false_positive(rule, r.CollectionYear(2026), _child(), row)
    assert (result is not None) is known
    if result:
        assert result.rule == rule and result.reason


@pytest.mark.parametrize(
    ("rule", "ending", "child", "known"), [row[:4] for row in FALSE_POSITIVES], ids=[row[4] for row in FALSE_POSITIVES]
)
def test_known_false_positives(rule: str, ending: int, child: r.ChildInReturn, known: bool) -> None:
    result = r.known_false_positive(rule, r.CollectionYear(ending), child)
    assert (result is not None) is known
    if result:
        assert result.rule == rule and result.reason


def _episode(decom: str, dec: str = "") -> dict[str, str]:
    return {"DECOM": decom, "DEC": dec}


def _review(held: str) -> dict[str, str]:
    return {"REVIEW": held}


@pytest.mark.parametrize(("reviews", "episodes", "outside"), [
    ([_review("01/06/2025")], [_episode("01/05/2025")], []),
    ([_review("01/05/2025")], [_episode("01/05/2025")], []),
    ([_review("30/04/2025")], [_episode("01/05/2025")], [0]),
    ([_review("31/07/2025")], [_episode("01/05/2025", "31/07/2025")], []),
    ([_review("01/08/2025"), _review("02/10/2025")],
     [_episode("01/05/2025", "31/07/2025"), _episode("01/10/2025")], [0]),
    ([_review("29/02/2024")], [_episode("28/02/2024", "01/03/2024")], []),
    ([_review("not a date")], [_episode("01/05/2025")], []),
    ([_review("01/06/2025")], [], [0]),
    ([_review("01/06/2025")], [_episode("31/02/2025")], []),
], ids=["inside-an-open-episode", "on-the-day-care-began", "the-day-before-care-began", "on-the-day-care-ended",
        "between-two-periods-of-care", "29-february-inside", "unreadable-review-date-left-to-rule-166",
        "no-episode-at-all", "unreadable-episode-leaves-nothing-sure"])
def test_reviews_outside_care(reviews: list[dict[str, str]], episodes: list[dict[str, str]],
                              outside: list[int]) -> None:
    assert r.reviews_outside_care(reviews, episodes) == outside
