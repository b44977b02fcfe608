from __future__ import annotations

import copy

import pytest

from harbour.domain.deadlines import CaseTimeline, TimelineInputError, parse_case_timeline
from harbour.domain.tests.support import d
from harbour.domain.types import Period, PlacementSpell

VALID: dict[str, object] = {
    "today": "2026-11-16",
    "child": {"date_of_birth": "2010-09-15"},
    "events": [
        {"type": "nts_referral", "date": "2026-03-05"},
        {"type": "arrival", "date": "2026-03-13"},
        {"type": "looked_after", "start": "2026-03-13", "end": None},
        {"type": "placement", "start": "2026-03-13", "end": None, "long_term": False},
        {"type": "care_plan", "date": "2026-03-20"},
        {"type": "review", "date": "2026-07-20"},
        {"type": "review", "date": "2026-04-14"},
        {"type": "visit", "date": "2026-03-19"},
        {"type": "health_assessment", "date": "2026-04-01"},
        {"type": "pep", "date": "2026-03-25"},
        {"type": "needs_assessment", "date": "2026-10-01"},
    ],
}


def test_parses_every_event_type() -> None:
    today, timeline = parse_case_timeline(VALID)
    assert today == d("2026-11-16")
    assert timeline == CaseTimeline(
        date_of_birth=d("2010-09-15"),
        nts_referrals=(d("2026-03-05"),),
        arrivals=(d("2026-03-13"),),
        periods_looked_after=(Period(d("2026-03-13"), None),),
        placements=(PlacementSpell(d("2026-03-13"), None, long_term=False),),
        care_plans=(d("2026-03-20"),),
        reviews=(d("2026-04-14"), d("2026-07-20")),
        visits=(d("2026-03-19"),),
        health_assessments=(d("2026-04-01"),),
        peps=(d("2026-03-25"),),
        needs_assessments=(d("2026-10-01"),),
    )


def test_child_and_end_may_be_left_out() -> None:
    _, timeline = parse_case_timeline(
        {"today": "2024-02-29", "events": [{"type": "looked_after", "start": "2024-02-29"}]}
    )
    assert timeline.date_of_birth is None
    assert timeline.periods_looked_after == (Period(d("2024-02-29")),)


def with_events(
    *events: object, child: object = None, today: object = "2026-11-16"
) -> dict[str, object]:
    data: dict[str, object] = {"today": today, "events": list(events)}
    if child is not None:
        data["child"] = child
    return data


ERRORS: list[tuple[object, str, str]] = [
    ({"events": []}, '"today" is required', "today-missing"),
    (
        with_events(today="16/11/2026"),
        '"today" must be a real date in the format YYYY-MM-DD',
        "today-not-iso",
    ),
    (
        {"today": "2026-11-16"},
        '"events" is required (use [] when there are none)',
        "events-missing",
    ),
    ({"today": "2026-11-16", "events": {}}, '"events" must be a list', "events-not-a-list"),
    (
        {"today": "2026-11-16", "events": [], "child_dob": "x"},
        'unknown field "child_dob" (expected today, child, events)',
        "unknown-top-level-field",
    ),
    (
        with_events({"type": "revew", "date": "2026-03-01"}),
        'events[0]: unknown event type "revew" (expected one of arrival, care_plan, health_assessment, '
        "looked_after, needs_assessment, nts_referral, pep, placement, review, visit)",
        "unknown-type",
    ),
    (with_events({"date": "2026-03-01"}), 'events[0]: "type" is required', "type-missing"),
    (
        with_events("review"),
        'events[0] must be an object with a "type", like {"type": "review", "date": "YYYY-MM-DD"}',
        "event-not-an-object",
    ),
    (with_events({"type": "review"}), 'events[0] (review): "date" is required', "date-missing"),
    (
        with_events(
            {"type": "visit", "date": "2026-03-01"},
            {"type": "placement", "start": "2026-02-30", "long_term": True},
        ),
        'events[1] (placement): "start" must be a real date in the format YYYY-MM-DD',
        "30-february",
    ),
    (
        with_events({"type": "review", "date": "2025-02-29"}),
        'events[0] (review): "date" must be a real date in the format YYYY-MM-DD',
        "29-february-in-non-leap-year",
    ),
    (
        with_events({"type": "review", "date": "20260301"}),
        'events[0] (review): "date" must be a real date in the format YYYY-MM-DD',
        "compact-iso-rejected",
    ),
    (
        with_events({"type": "review", "date": 20260301}),
        'events[0] (review): "date" must be a real date in the format YYYY-MM-DD',
        "number-rejected",
    ),
    (
        with_events({"type": "looked_after", "start": "2026-03-02", "end": "2026-03-01"}),
        'events[0] (looked_after): "end" must be the same as or after "start"',
        "end-before-start",
    ),
    (
        with_events({"type": "placement", "start": "2026-03-02", "long_term": "yes"}),
        'events[0] (placement): "long_term" must be true or false',
        "long-term-not-boolean",
    ),
    (
        with_events({"type": "placement", "start": "2026-03-02"}),
        'events[0] (placement): "long_term" is required (true or false)',
        "long-term-missing",
    ),
    (
        with_events(
            {"type": "placement", "start": "2026-03-02", "long_term": False, "longterm": True}
        ),
        'events[0] (placement): unknown field "longterm" (expected type, start, end, long_term)',
        "unknown-event-field",
    ),
    (
        with_events(child={"date_of_birth": "2026-11-17"}),
        'child: "date_of_birth" must be the same as or before "today"',
        "born-after-today",
    ),
    (
        with_events(child={"date_of_birth": "2010-13-01"}),
        'child: "date_of_birth" must be a real date in the format YYYY-MM-DD',
        "date-of-birth-not-real",
    ),
    (
        with_events(child="2010-01-01"),
        '"child" must be an object like {"date_of_birth": "YYYY-MM-DD"}',
        "child-not-an-object",
    ),
    (
        with_events({"type": "review", "date": "2026-11-17"}),
        'events[0] (review): "date" must be the same as or before "today"',
        "event-after-today",
    ),
    (
        with_events({"type": "visit", "date": "2010-09-14"}, child={"date_of_birth": "2010-09-15"}),
        'events[0] (visit): "date" must be the same as or after the child\'s date of birth',
        "event-before-birth",
    ),
    (
        with_events(
            {"type": "looked_after", "start": "2026-01-01", "end": "2026-03-31"},
            {"type": "review", "date": "2026-02-01"},
            {"type": "looked_after", "start": "2026-03-31"},
        ),
        "events[2] (looked_after) overlaps events[0] (looked_after): periods looked after must not overlap",
        "periods-share-a-day",
    ),
    (
        with_events(
            {"type": "looked_after", "start": "2026-05-01"},
            {"type": "looked_after", "start": "2026-01-01"},
        ),
        "events[0] (looked_after) overlaps events[1] (looked_after): periods looked after must not overlap",
        "open-period-overlaps-later-one",
    ),
    ([], 'the input must be a JSON object with "today", "child" and "events"', "not-an-object"),
]


@pytest.mark.parametrize(
    ("data", "message"), [(x, m) for x, m, _ in ERRORS], ids=[i for *_, i in ERRORS]
)
def test_invalid_input_names_event_and_field(data: object, message: str) -> None:
    with pytest.raises(TimelineInputError) as caught:
        parse_case_timeline(data)  # type: ignore[arg-type]
    assert caught.value.message == message
    assert str(caught.value) == message


def test_parse_does_not_change_its_input() -> None:
    before = copy.deepcopy(VALID)
    parse_case_timeline(VALID)
    assert VALID == before


def test_back_to_back_periods_are_fine() -> None:
    _, timeline = parse_case_timeline(
        with_events(
            {"type": "looked_after", "start": "2026-01-01", "end": "2026-03-31"},
            {"type": "looked_after", "start": "2026-04-01", "end": None},
        )
    )
    assert len(timeline.periods_looked_after) == 2
