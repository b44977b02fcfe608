from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from harbour.domain.retention import (
    RecordClass,
    RecordFacts,
    is_due,
    record_class,
    retention_review_date,
)
from harbour.domain.tests.support import d, property_test

LOCAL = 25


def facts(dob: str | None, died: str | None = None, *, lac: bool = True, adopted: str | None = None) -> RecordFacts:
    return RecordFacts(
        date_of_birth=d(dob) if dob else None, date_of_death=d(died) if died else None,
        was_looked_after=lac, adoption_order_date=d(adopted) if adopted else None,
    )


CASES = [
    (facts("2008-03-10"), "2083-03-10", "care-record-75th-birthday"),
    (facts("2008-02-29"), "2083-03-01", "care-record-29-feb-birth-75th-in-non-leap-year-is-1-march"),
    (facts("2004-02-29"), "2079-03-01", "care-record-29-feb-birth-2079-not-leap"),
    (facts("1997-02-28"), "2072-02-28", "care-record-28-feb-birth"),
    (facts("2008-03-10", "2020-06-01"), "2035-06-01", "died-aged-12-death-plus-15"),
    (facts("2008-03-10", "2026-03-09"), "2041-03-09", "died-at-17y364d-death-plus-15"),
    (facts("2008-03-10", "2026-03-10"), "2083-03-10", "died-at-18y0d-75th-birthday"),
    (facts("2008-02-29", "2026-02-28"), "2041-02-28", "29-feb-born-died-28-feb-before-18th-on-1-march"),
    (facts("2008-02-29", "2026-03-01"), "2083-03-01", "29-feb-born-died-on-18th-birthday-1-march"),
    (facts("2000-01-01", "2012-02-29"), "2027-03-01", "died-on-29-feb-15th-anniversary-1-march"),
    (facts("2008-03-10", "2008-03-10"), "2023-03-10", "died-on-day-of-birth"),
    (facts("2010-05-01", adopted="2013-11-20"), "2113-11-20", "adoption-order-plus-100"),
    (facts(None, adopted="2016-02-29"), "2116-02-29", "adoption-on-29-feb-2116-is-leap"),
    (facts("2010-05-01", adopted="2012-02-29"), "2112-02-29", "adoption-29-feb-2112-leap"),
    (facts(None, adopted="2015-02-28"), "2115-02-28", "adoption-needs-no-date-of-birth"),
    (facts("2010-05-01", lac=False), "2035-05-01", "child-in-need-local-schedule"),
    (facts("2010-05-01", "2015-01-01", lac=False), "2035-05-01", "child-in-need-death-follows-local-schedule"),
]


@pytest.mark.parametrize(("record", "expected"), [(f, d(e)) for f, e, _ in CASES], ids=[i for *_, i in CASES])
def test_retention_review_date(record: RecordFacts, expected: date) -> None:
    assert retention_review_date(record, local_retention_age=LOCAL) == expected


def test_no_date_of_birth_means_no_review_date_and_never_due() -> None:
    review = retention_review_date(facts(None), local_retention_age=LOCAL)
    assert review is None
    assert not is_due(review, d("2999-01-01"))


CLASSES = [
    (facts("2010-01-01", lac=True, adopted="2012-01-01"), RecordClass.ADOPTION, "adopted-from-care-is-adoption"),
    (facts("2010-01-01", lac=True), RecordClass.LOOKED_AFTER, "looked-after"),
    (facts("2010-01-01", lac=False), RecordClass.CHILD_IN_NEED, "never-looked-after"),
]


@pytest.mark.parametrize(("record", "expected"), [(f, c) for f, c, _ in CLASSES], ids=[i for *_, i in CLASSES])
def test_record_class(record: RecordFacts, expected: RecordClass) -> None:
    assert record_class(record) is expected


DUE = [
    ("2083-03-10", "2083-03-09", False, "day-before"),
    ("2083-03-10", "2083-03-10", True, "on-the-day"),
    ("2083-03-10", "2090-01-01", True, "long-after"),
]


@pytest.mark.parametrize(("review", "today", "expected"), [(d(r), d(t), e) for r, t, e, _ in DUE],
                         ids=[i for *_, i in DUE])
def test_is_due(review: date, today: date, expected: bool) -> None:
    assert is_due(review, today) is expected


# An independent reference: ages counted by comparing (month, day), and anniversaries found by
# walking forward day by day. It shares no code with harbour.domain.ages.
def _age(born: date, on: date) -> int:
    return on.year - born.year - (1 if (on.month, on.day) < (born.month, born.day) else 0)


def _first_day_aged(born: date, years: int) -> date:
    day = date(born.year + years, born.month, 1)
    while _age(born, day) < years:
        day += timedelta(days=1)
    return day


def reference(record: RecordFacts) -> date | None:
    if record.adoption_order_date is not None:
        return _first_day_aged(record.adoption_order_date, 100)
    if record.date_of_birth is None:
        return None
    if not record.was_looked_after:
        return _first_day_aged(record.date_of_birth, LOCAL)
    died = record.date_of_death
    if died is not None and _age(record.date_of_birth, died) < 18:
        return _first_day_aged(died, 15)
    return _first_day_aged(record.date_of_birth, 75)


births = st.one_of(st.dates(date(1950, 1, 1), date(2030, 12, 31)),
                   st.sampled_from([d("2000-02-29"), d("2004-02-29"), d("2008-02-29"), d("1996-02-29")]))


@st.composite
def records(draw: st.DrawFn) -> RecordFacts:
    born = draw(births)
    # Deaths cluster around the 18th birthday (17y364d, 18y0d) as well as anywhere in life.
    eighteenth = _first_day_aged(born, 18)
    died = draw(st.one_of(
        st.none(),
        st.sampled_from([eighteenth - timedelta(days=1), eighteenth, eighteenth + timedelta(days=1)]),
        st.dates(born, born + timedelta(days=40 * 365)),
    ))
    adopted = draw(st.one_of(st.none(), st.dates(born, born + timedelta(days=18 * 365))))
    return RecordFacts(date_of_birth=draw(st.one_of(st.just(born), st.none())) if adopted else born,
                       date_of_death=died, was_looked_after=draw(st.booleans()), adoption_order_date=adopted)


@property_test
@given(records())
def test_retention_review_date_agrees_with_an_independent_reference(record: RecordFacts) -> None:
    assert retention_review_date(record, local_retention_age=LOCAL) == reference(record)


@property_test
@given(records())
def test_a_care_record_is_never_due_before_the_18th_birthday_plus_15_years(record: RecordFacts) -> None:
    review = retention_review_date(record, local_retention_age=LOCAL)
    if record_class(record) is RecordClass.LOOKED_AFTER and record.date_of_birth is not None:
        assert review is not None and review >= _first_day_aged(record.date_of_birth, 15)
