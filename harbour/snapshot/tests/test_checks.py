"""The measured checks snapshot gives the performance measures exactly the figures counted from
scratch (ADR 0012, "Speed"): after a review, a visit, a health assessment, a PEP, a child coming
into care and a bulk update, by month and by quarter; only changed children are worked out again;
a new day and the command rebuild it."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from harbour.accounts import access
from harbour.accounts.models import Role
from harbour.children import services as child_services
from harbour.children.models import PeriodLookedAfter
from harbour.core.tests.clock import a_morning
from harbour.core.tests.test_query_counts import _add_children, _people
from harbour.reporting import measures
from harbour.reviews import services as review_services
from harbour.reviews.models import LateReviewReason, Visit
from harbour.snapshot import checks
from harbour.snapshot.models import ChecksDay, ChildChecks
from harbour.snapshot.services import SAFETY_MARGIN

pytestmark = pytest.mark.django_db
LATER = SAFETY_MARGIN + dt.timedelta(minutes=1)


@pytest.fixture(autouse=True)
def default_lists(db: Any) -> None:
    """The late-review reasons a migration adds: a test that empties the database (transaction=True,
    the browser tests) takes them away for the tests after it."""
    from harbour.reviews.defaults import seed_default_lists
    from harbour.reviews.models import AuditArea

    seed_default_lists(LateReviewReason, AuditArea)


def _periods(today: dt.date) -> list[measures.ReportingPeriod]:
    first = today - dt.timedelta(days=730)
    return measures.months_between(first, today) + measures.quarters_between(first, today)


def _counted(found: dict[str, list[measures.Figure]]) -> dict[str, list[tuple[Any, ...]]]:
    return {key: [(f.period, f.numerator, f.denominator, sorted(f.child_ids), sorted(f.counted_ids)) for f in figs]
            for key, figs in found.items()}


def _assert_exact(visible: Any) -> None:
    """Every measure's figures, and the occurrences behind them, from the snapshot equal those the
    engine gives from scratch (the path used before the snapshot, for any other day)."""
    today = timezone.localdate()
    periods = _periods(today)
    data = measures.load_children(visible, periods[0].start, today, today=today)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(measures, "_from_snapshot", measures._from_engine)
        scratch = measures.load_children(visible, periods[0].start, today, today=today)
    ours, theirs = _counted(measures.figures(data, periods, today)), _counted(measures.figures(scratch, periods, today))
    assert ours == theirs
    assert sorted(data.occurrences, key=repr) == sorted(scratch.occurrences, key=repr)
    assert sorted(data.reviews, key=repr) == sorted(scratch.reviews, key=repr)
    measured = {key for key, m in measures.MEASURES.items() if m.needs & {"occurrences", "reviews"}}
    assert any(f[2] for key in measured for f in ours[key])  # the comparison is about something


@pytest.fixture
def worked_out(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many children each call worked out with the engine."""
    calls: list[int] = []
    real = checks.work_out

    def counting(children: Any, **kwargs: Any) -> Any:
        found = real(children, **kwargs)
        calls.append(len(found))
        return found

    monkeypatch.setattr(checks, "work_out", counting)
    return calls


def test_the_figures_are_exact_after_changes_and_only_changed_children_are_worked_out(
    make_child: Any, time_machine: Any, worked_out: list[int],
) -> None:
    time_machine.move_to(a_morning(), tick=True)
    people = _people()
    children = _add_children(12, people)
    director = people[Role.DIRECTOR]
    visible = access.children_visible_to(director)
    time_machine.shift(LATER)
    _assert_exact(visible)  # the first request of the day rebuilds for the whole council
    assert worked_out == [ChildChecks.objects.count()] and worked_out[0] >= 12
    time_machine.shift(LATER)
    worked_out.clear()
    _assert_exact(visible)
    assert worked_out == []  # nothing changed: the snapshot alone

    today = timezone.localdate()
    worker, iro = people[Role.SOCIAL_WORKER], people[Role.IRO]
    review_services.review_record(actor=iro, child=children[0], held_on=today - dt.timedelta(days=1),
                                  participation="PN1", today=today,
                                  late_reason=LateReviewReason.objects.get(label="Staff sickness"))
    review_services.check_record(actor=worker, child=children[1], kind="visit", on=today, today=today)
    review_services.check_record(actor=worker, child=children[2], kind="health_assessment",
                                 on=today - dt.timedelta(days=2), today=today)
    review_services.check_record(actor=worker, child=children[3], kind="pep", on=today, today=today)
    newcomer = make_child(social_worker=worker, given_names="Newcomer")
    child_services.period_looked_after_add(actor=worker, child=newcomer, start=today - dt.timedelta(days=40),
                                           end=None, today=today)
    PeriodLookedAfter.objects.filter(child=children[4]).update(end=today - dt.timedelta(days=1), reason_ceased="E11")
    Visit.objects.filter(child=children[5]).update(visited_on=today - dt.timedelta(days=150))
    worked_out.clear()
    _assert_exact(visible)
    assert worked_out == [7]  # the seven changed children, and no one else
    data = measures.load_children(visible, today - dt.timedelta(days=365), today, today=today)
    assert "Staff sickness" in {o.late_reason for o in data.occurrences}
    worked_out.clear()
    _assert_exact(visible)
    assert worked_out == [7]  # the seven changed children, and no one else
    # Worked out on each request until the changes are older than the margin, then written back once.
    time_machine.shift(LATER)
    _assert_exact(visible)
    worked_out.clear()
    _assert_exact(visible)
    assert worked_out == []


def test_a_new_day_rebuilds_and_the_command_rebuilds_both(time_machine: Any, worked_out: list[int]) -> None:
    time_machine.move_to(a_morning(), tick=True)
    people = _people()
    _add_children(5, people)
    visible = access.children_visible_to(people[Role.DIRECTOR])
    _assert_exact(visible)
    time_machine.shift(dt.timedelta(days=3))
    _assert_exact(visible)
    assert ChecksDay.objects.get().day == timezone.localdate()
    assert set(ChildChecks.objects.values_list("day", flat=True)) == {timezone.localdate()}
    ChildChecks.objects.all().delete()
    out = StringIO()
    call_command("deadlines", "--snapshot", stdout=out)
    assert ChildChecks.objects.count() >= 5
    assert "Measured checks for" in out.getvalue()
    worked_out.clear()
    _assert_exact(visible)
    assert worked_out == []  # the command's rows answer


CHECKS = [(dt.date(2025, 12, 31), "pep", None), (dt.date(2026, 1, 1), "review", dt.date(2026, 1, 3)),
          (dt.date(2026, 1, 1), "visit", dt.date(2025, 12, 30)), (dt.date(2026, 2, 28), "health_assessment", None),
          (dt.date(2026, 3, 1), "visit", None)]


@pytest.mark.parametrize(("first", "last", "kinds", "expected"), [
    ("2026-01-01", "2026-02-28", None, [1, 2, 3]),  # both ends included, a tie on the first day
    ("2025-01-01", "2027-01-01", None, [0, 1, 2, 3, 4]),
    ("2026-01-02", "2026-02-27", None, []),
    ("2026-03-02", "2026-12-31", None, []),  # after the last
    ("2024-01-01", "2025-12-30", None, []),  # before the first
    ("2025-01-01", "2027-01-01", {"visit"}, [2, 4]),
    ("2026-01-01", "2026-01-01", {"review", "pep"}, [1]),
], ids=["a-period", "all", "between-two", "after", "before", "visits-only", "one-day-two-kinds"])
def test_the_stored_checks_give_back_those_due_in_the_period(first: str, last: str, kinds: Any,
                                                            expected: list[int]) -> None:
    text = checks.encode(CHECKS)
    assert len(text) == checks.WIDTH * len(CHECKS)
    found = checks.checks_between(text, dt.date.fromisoformat(first), dt.date.fromisoformat(last),
                                  *([frozenset(kinds)] if kinds else []))
    assert found == [CHECKS[index] for index in expected]


def test_the_checks_are_stored_by_due_date_whatever_the_order_given() -> None:
    assert checks.encode([CHECKS[4], CHECKS[0], CHECKS[3]]) == checks.encode([CHECKS[0], CHECKS[3], CHECKS[4]])


def test_a_child_with_nothing_measured_has_no_checks() -> None:
    assert checks.encode([]) == ""
    assert checks.checks_between("", dt.date.min, dt.date.max) == []
