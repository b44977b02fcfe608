"""The deadline snapshot gives exactly what the engine works out from scratch (ADR 0016, "Deadline
snapshot"): after changes through the services and in bulk, on a new day, with a change that was
committed after a row was computed, and for a user who sees only part of the council; and the home
page keeps its query count whatever the number of children."""

from __future__ import annotations

import datetime as dt
import itertools
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from harbour.accounts import access
from harbour.accounts.models import Allocation, Role, User
from harbour.audit.models import AuditEvent
from harbour.children import services as child_services
from harbour.children.models import Child, PeriodLookedAfter
from harbour.children.selectors import ChildDeadline, deadlines_for_children
from harbour.core.calendar import council_calendar
from harbour.core.tests.clock import a_morning
from harbour.placements import services_placements as placement_services
from harbour.placements.models import Placement
from harbour.referrals.models import Arrival, Referral
from harbour.reviews import services as review_services
from harbour.snapshot import services
from harbour.snapshot.models import ChildDeadlines, SnapshotDay

pytestmark = pytest.mark.django_db
LATER = services.SAFETY_MARGIN + dt.timedelta(minutes=1)
NTS_DAYS = 5
_serial = itertools.count()


def _in_care(count: int, started_days_ago: int = 10) -> list[Child]:
    """Children in care since a few days ago, written in bulk (and so audited in bulk)."""
    start = timezone.localdate() - dt.timedelta(days=started_days_ago)
    children = Child.unscoped.bulk_create(
        Child(given_names="Incare", family_name=f"Snapfamily{next(_serial):04}", date_of_birth=dt.date(2014, 1, 1),
              date_of_birth_source="claimed") for _ in range(count))
    PeriodLookedAfter.objects.bulk_create(PeriodLookedAfter(child=c, start=start) for c in children)
    Placement.objects.bulk_create(Placement(child=c, start=start, placement_type="U1", carer_or_provider="Carer")
                                  for c in children)
    return children


def _rows(items: list[ChildDeadline]) -> list[tuple[Any, ...]]:
    return [(i.child.pk, str(i.deadline.duty), i.deadline.due, str(i.deadline.status), i.deadline.met_on,
             i.deadline.basis) for i in items]


def _from_snapshot(visible: Any, limit: int | None = None) -> services.WhatToDoNext:
    today, now = services.today_and_now()
    return services.what_to_do_next(visible=visible, today=today, now=now, calendar=council_calendar(),
                                     nts_working_days=NTS_DAYS, limit=limit)


def _assert_exact(visible: Any) -> services.WhatToDoNext:
    """The snapshot's lists are the engine's, from scratch, row for row and in the same order."""
    result = _from_snapshot(visible)
    overdue, due_soon = deadlines_for_children(visible=visible, today=timezone.localdate(),
                                               calendar=council_calendar(), nts_working_days=NTS_DAYS)
    assert _rows(result.overdue) == _rows(overdue)
    assert _rows(result.due_soon) == _rows(due_soon)
    assert overdue or due_soon  # the comparison is about something
    # The page's way: the first rows and the counts, read from the rows' first dates.
    for limit in (1, 2, 25):
        first = _from_snapshot(visible, limit=limit)
        assert _rows(first.overdue) == _rows(overdue[:limit])
        assert _rows(first.due_soon) == _rows(due_soon[:limit])
        assert (first.overdue_count, first.due_soon_count) == (len(overdue), len(due_soon))
    return result


def _change_four(children: list[Child], *, iro: User, manager: User, make_child: Any) -> None:
    """A review recorded, a child coming into care, a placement ended, and a bulk write."""
    today = timezone.localdate()
    review_services.review_record(actor=iro, child=children[0], held_on=today - dt.timedelta(days=1),
                                  participation="PN1", today=today)
    newcomer = make_child(social_worker=manager, given_names="Newcomer")
    child_services.period_looked_after_add(actor=manager, child=newcomer, start=today - dt.timedelta(days=2),
                                           end=None, today=today)
    placement_services.placement_end(actor=manager, placement=Placement.objects.get(child=children[1]), end=today,
                                     reason_for_change="CARPL", today=today)
    PeriodLookedAfter.objects.filter(child=children[2]).update(end=today - dt.timedelta(days=1), reason_ceased="E11")


def _page(client: Any) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/")
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_the_page_is_exact_after_changes_and_its_query_count_is_fixed(
    make_team: Any, make_user: Any, make_child: Any, signed_in: Any, time_machine: Any,
) -> None:
    time_machine.move_to(a_morning(), tick=True)
    manager = make_user(Role.TEAM_MANAGER, team=make_team())
    iro = make_user(Role.IRO)
    client = signed_in(manager)
    visible = access.children_visible_to(manager)
    measured: list[int] = []
    for count in (10, 60):
        children = _in_care(count if not measured else count - 10)
        time_machine.shift(LATER)
        client.get("/")  # works out the new children (all of them, the first time)
        time_machine.shift(LATER)
        assert _from_snapshot(visible).recomputed == 0  # nothing changed since: the snapshot alone
        _change_four(children, iro=iro, manager=manager, make_child=make_child)
        queries, page = _page(client)
        measured.append(queries)
        result = _assert_exact(visible)
        assert result.recomputed == 4 and not result.rebuilt
        assert f"Overdue: {len(result.overdue)}<" in page
        assert f"Due in the next 4 weeks: {len(result.due_soon)}<" in page
    assert measured[0] == measured[1]
    # Changed children are worked out on each request until the change is older than the margin,
    # and then written back once: after that the snapshot alone answers.
    time_machine.shift(LATER)
    assert _from_snapshot(visible).recomputed == 4
    assert _assert_exact(visible).recomputed == 0
    assert ChildDeadlines.objects.count() > 60  # one row per child with something to do, and the changed ones


def test_a_new_day_rebuilds_the_snapshot(make_user: Any, time_machine: Any) -> None:
    time_machine.move_to(a_morning(), tick=True)
    manager = make_user(Role.DIRECTOR)
    _in_care(5, started_days_ago=27)  # reviews and visits fall due, and then overdue, over the next days
    visible = access.children_visible_to(manager)
    assert _assert_exact(visible).rebuilt
    time_machine.shift(dt.timedelta(days=3))
    result = _assert_exact(visible)
    assert result.rebuilt and result.recomputed == 5
    assert SnapshotDay.objects.get().day == timezone.localdate()


def test_a_change_committed_after_a_row_was_computed_is_caught_by_the_margin(
    make_user: Any, time_machine: Any, monkeypatch: pytest.MonkeyPatch,
) -> None:
    time_machine.move_to(a_morning(), tick=True)
    manager = make_user(Role.DIRECTOR)
    child, *_ = _in_care(3)
    visible = access.children_visible_to(manager)
    time_machine.shift(LATER)
    _from_snapshot(visible)
    time_machine.shift(LATER)
    # A transaction in flight: its audit event is stamped now, but a request that began a minute
    # later could not see it and wrote the child's row as before.
    Placement.objects.filter(child=child).update(end=timezone.localdate())
    ChildDeadlines.objects.filter(child=child).update(computed_at=timezone.now() + dt.timedelta(minutes=1))
    time_machine.shift(dt.timedelta(minutes=2))
    monkeypatch.setattr(services, "SAFETY_MARGIN", dt.timedelta(0))
    without_margin = _from_snapshot(visible)
    assert without_margin.recomputed == 0  # the stale row would be shown...
    monkeypatch.undo()
    assert _assert_exact(visible).recomputed == 1  # ...and the margin catches it


def test_each_user_sees_only_the_children_the_access_module_allows(
    make_team: Any, make_user: Any, make_child: Any, time_machine: Any,
) -> None:
    time_machine.move_to(a_morning(), tick=True)
    worker = make_user(Role.SOCIAL_WORKER, team=make_team())
    others = _in_care(4)
    own = make_child(social_worker=worker, given_names="Mine")
    child_services.period_looked_after_add(actor=worker, child=own, start=timezone.localdate() - dt.timedelta(days=30),
                                           end=None, today=timezone.localdate())
    assert Allocation.objects.filter(worker=worker, child=own).exists()
    director = make_user(Role.DIRECTOR)
    _from_snapshot(access.children_visible_to(director))  # the whole council's snapshot
    result = _assert_exact(access.children_visible_to(worker))
    assert {item.child.pk for item in result.overdue + result.due_soon} == {own.pk}
    assert not {c.pk for c in others} & {item.child.pk for item in result.overdue + result.due_soon}


def test_the_command_rebuilds_the_snapshot_for_cron(make_user: Any) -> None:
    _in_care(3)
    out = StringIO()
    call_command("deadlines", "--snapshot", stdout=out)
    assert SnapshotDay.objects.get().day == timezone.localdate()
    assert ChildDeadlines.objects.count() == 3
    assert "3 children with something to do" in out.getvalue()


def test_an_arrival_written_in_bulk_is_traced_to_its_child(make_team: Any, make_user: Any, time_machine: Any) -> None:
    """The arrival is the one timeline record without a child column, so its bulk audit has none."""
    time_machine.move_to(a_morning(), tick=True)
    manager = make_user(Role.TEAM_MANAGER, team=make_team())
    child, *_ = _in_care(2)
    received = timezone.now() - dt.timedelta(days=12)
    referral = Referral.objects.create(
        child=child, team=manager.team, received_at=received, referring_authority="Kent", nts_reference="NTS-SNAP",
        transfer_due=received.date() + dt.timedelta(days=7), transfer_working_days=5,
        status=Referral.Status.ARRIVED, recorded_by=manager)
    arrival = Arrival.objects.create(referral=referral, first_placement=Placement.objects.get(child=child),
                                     within_deadline=False, working_days_taken=6, recorded_by=manager,
                                     # recorded before the referral: the transfer is still owed, and overdue
                                     arrived_at=received - dt.timedelta(days=1))
    visible = access.children_visible_to(manager)
    time_machine.shift(LATER)
    assert "nts_transfer" in {str(item.deadline.duty) for item in _assert_exact(visible).overdue}
    time_machine.shift(LATER)
    Arrival.objects.filter(pk=arrival.pk).update(arrived_at=received + dt.timedelta(days=8))
    assert AuditEvent.objects.filter(record_type="referrals.Arrival", child_id__isnull=True, via="bulk").exists()
    result = _assert_exact(visible)
    assert result.recomputed == 1
    assert "nts_transfer" not in {str(item.deadline.duty) for item in result.overdue}


def test_changes_to_records_outside_the_view_are_not_worked_out_or_queried_for_it(
    make_team: Any, make_user: Any, make_child: Any, signed_in: Any, time_machine: Any,
) -> None:
    """Children changed today with no row (closed records, say) are written back only by a request
    that can see them; a social worker's page must not carry the rest of the council's changes."""
    time_machine.move_to(a_morning(), tick=True)
    worker = make_user(Role.SOCIAL_WORKER, team=make_team())
    own = make_child(social_worker=worker, given_names="Mine")
    child_services.period_looked_after_add(actor=worker, child=own, start=timezone.localdate() - dt.timedelta(days=30),
                                           end=None, today=timezone.localdate())
    visible = access.children_visible_to(worker)
    time_machine.shift(LATER)
    _from_snapshot(visible)
    time_machine.shift(LATER)
    # Forty closed records changed elsewhere in the council, in bulk: none has a row.
    closed = Child.unscoped.bulk_create(
        Child(given_names="Closed", family_name=f"Elsewhere{n:03}", date_of_birth=dt.date(1990, 1, 1),
              date_of_birth_source="claimed") for n in range(40))
    Child.unscoped.filter(pk__in=[c.pk for c in closed]).update(preferred_name="Changed")
    assert not ChildDeadlines.objects.filter(child__in=closed).exists()
    client = signed_in(worker)
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    assert _assert_exact(visible).recomputed == 0
    assert not any(str(closed[0].pk).replace("-", "") in query["sql"] or str(closed[0].pk) in query["sql"]
                   for query in queries.captured_queries)


def test_the_first_rows_are_the_engines_first_rows_when_many_share_a_due_date(make_user: Any, time_machine: Any) -> None:
    """Children who came into care the same day fall due the same days: the page's cut is by date, so
    the order of their names (which a database may collate differently from Python) never drops one."""
    time_machine.move_to(a_morning(), tick=True)
    manager = make_user(Role.DIRECTOR)
    start = timezone.localdate() - dt.timedelta(days=40)  # the first review and visit are overdue
    names = ["apple", "Banana", "Ábaco", "van Dijk", "Van Dijk", "O'Neill", "Zed", "zebra"]
    children = Child.unscoped.bulk_create(
        Child(given_names="Tie", family_name=name, date_of_birth=dt.date(2012, 5, 5), date_of_birth_source="claimed")
        for name in names)
    PeriodLookedAfter.objects.bulk_create(PeriodLookedAfter(child=c, start=start) for c in children)
    Placement.objects.bulk_create(Placement(child=c, start=start, placement_type="U1", carer_or_provider="Carer")
                                  for c in children)
    visible = access.children_visible_to(manager)
    time_machine.shift(LATER)
    _from_snapshot(visible)
    time_machine.shift(LATER)
    result = _assert_exact(visible)
    assert len(result.overdue) >= len(names) and result.recomputed == 0  # read from the rows, not worked out
    assert len({item.deadline.due for item in result.overdue[:len(names)]}) == 1  # they do tie
