"""What to do next, read from the deadline snapshot (ADR 0016, "Deadline snapshot").

The lists are exactly what the engine would compute now: a row is used only if it was written
today and no audit event about the child is later than the row (less ``SAFETY_MARGIN``); every
other child in view whose records changed is worked out again, in a fixed number of queries, and
their rows written back. A new day, or a change to the council's NTS setting, rebuilds the lot.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max, Q, QuerySet, Sum
from django.utils import timezone

from harbour.audit.models import AuditEvent
from harbour.children.models import Child
from harbour.children.selectors import (
    ChildDeadline,
    children_with_open_duties,
    overdue_and_due_soon,
)
from harbour.domain.calendar import WorkingDayCalendar
from harbour.domain.deadlines import Deadline, DeadlineStatus, outstanding_deadlines
from harbour.referrals.models import Arrival

from .models import THE_SNAPSHOT, ChildDeadlines, SnapshotDay

# An audit event is written inside the transaction that makes the change, but is seen by others only
# when it commits: one stamped a little before a row was computed may belong to a change the row did
# not see. So a row is stale if an event about the child is later than the row's time less this
# margin. Ten minutes is many times the longest web request (Gunicorn kills a worker after 60 s);
# a command that writes case data in a longer transaction (an import) should be followed by
# `harbour deadlines --snapshot`. The cost of a wide margin is small: a child changed in the last ten
# minutes is worked out again on each request, a few milliseconds each.
SAFETY_MARGIN = dt.timedelta(minutes=10)
# The home page's "due soon": within four weeks. Each row stores its first dates and counts for it.
HORIZON_DAYS = 28

# The one timeline record without a child column: a bulk write on it is audited without the child.
_CHILDLESS = Arrival._meta.label
_CHILD_FIELDS = ("child__id", "child__given_names", "child__family_name", "child__preferred_name",
                 "child__date_of_birth")
_LOADED = [field.removeprefix("child__") for field in _CHILD_FIELDS]
_SUMMARY = ("first_overdue", "first_due_soon", "overdue_count", "due_soon_count")


@dataclass(frozen=True)
class WhatToDoNext:
    # Soonest first; only the first ``limit`` of each when a limit was asked for.
    overdue: list[ChildDeadline]
    due_soon: list[ChildDeadline]
    # How many children were worked out on this request (every child with open duties on a rebuild).
    recomputed: int
    rebuilt: bool
    # How many there are in all, whatever the limit.
    overdue_count: int = 0
    due_soon_count: int = 0


def what_to_do_next(
    *, visible: QuerySet[Child], today: dt.date, now: dt.datetime, calendar: WorkingDayCalendar,
    nts_working_days: int, horizon_days: int = HORIZON_DAYS, limit: int | None = None,
) -> WhatToDoNext:
    """(overdue, due soon) for the children in ``visible``, as ``deadlines_for_children`` would work
    them out on ``today``, from the snapshot. ``now`` is taken before anything is read. With a
    ``limit``, only the first ``limit`` of each list, with the counts of all: read from the rows'
    first dates and counts, not from every row (a whole service has thousands)."""
    rebuilt = 0
    day = SnapshotDay.objects.filter(pk=THE_SNAPSHOT).first()
    if day is None or day.day != today or day.nts_working_days != nts_working_days:
        rebuilt = rebuild(today=today, now=now, calendar=calendar, nts_working_days=nts_working_days)
        day = SnapshotDay.objects.get(pk=THE_SNAPSHOT)
    if limit is not None and horizon_days == HORIZON_DAYS:
        return _first_rows(visible=visible, today=today, now=now, day=day, calendar=calendar,
                           nts_working_days=nts_working_days, limit=limit, rebuilt=rebuilt)
    # Tuples, not model instances: a whole service reads thousands of rows, of which the page
    # needs only the deadlines overdue or within the horizon.
    in_view = ChildDeadlines.objects.filter(child__in=visible).values_list(
        "child_id", "day", "computed_at", "deadlines", *_CHILD_FIELDS[1:])
    rows = {child_id: (day_of_row, computed_at, deadlines, child)
            for child_id, day_of_row, computed_at, deadlines, *child in in_view}
    stale = {child_id for child_id, (day_of_row, *_) in rows.items() if day_of_row != today}
    last_changes = _last_changes(since=day.computed_at - SAFETY_MARGIN, visible=visible)
    for child_id, last_change in last_changes.items():
        row = rows.get(child_id)
        written = day.computed_at if row is None else row[1]
        if last_change > written - SAFETY_MARGIN:
            stale.add(child_id)
    wanted: list[ChildDeadline] = []
    horizon = (today + dt.timedelta(days=horizon_days)).isoformat()  # ISO dates compare as strings
    for child_id, (_, _, deadlines, child_values) in rows.items():
        if child_id in stale:
            continue
        items = [item for item in deadlines if item["status"] == DeadlineStatus.OVERDUE or str(item["due"]) <= horizon]
        if items:
            # As the ORM would load it with only() these fields: any other is read from the database if
            # asked for, never a silent default.
            child = Child.from_db(Child.unscoped.db, _LOADED, (child_id, *child_values))
            wanted.extend(ChildDeadline(child, _deadline(item)) for item in items)
    if stale:
        # A row written now for a child changed less than the margin ago would be stale at once: it
        # is worked out on each request until the change is older, and then written.
        settled = {pk for pk in stale if pk not in last_changes or last_changes[pk] <= now - SAFETY_MARGIN}
        recomputed = _recompute(visible.filter(pk__in=stale), today=today, now=now, calendar=calendar,
                                nts_working_days=nts_working_days, write=settled)
        wanted.extend(ChildDeadline(row.child, _deadline(item)) for row in recomputed.values() for item in row.deadlines)
    overdue, due_soon = overdue_and_due_soon(wanted, today=today, horizon_days=horizon_days)
    return WhatToDoNext(overdue, due_soon, recomputed=rebuilt or len(stale), rebuilt=bool(rebuilt),
                        overdue_count=len(overdue), due_soon_count=len(due_soon))


def _first_rows(*, visible: QuerySet[Child], today: dt.date, now: dt.datetime, day: SnapshotDay,
                calendar: WorkingDayCalendar, nts_working_days: int, limit: int, rebuilt: int) -> WhatToDoNext:
    """The first ``limit`` of each list and the counts of all, reading only the rows that can hold
    them. Each list is sorted by due date, then the child's name: the rows whose first date is no
    later than the ``limit``-th row's first date hold every deadline that can come first (any other
    row's deadlines are all later, and those rows give at least ``limit`` no later), so they are read
    whole and sorted in Python, as the full lists are. The cut is by date only, so that the database's
    collation of names never decides what is left out."""
    in_view = ChildDeadlines.objects.filter(child__in=visible)
    last_changes = _last_changes(since=day.computed_at - SAFETY_MARGIN, visible=visible)
    # The rows of the children changed since the rebuild, and any row of another day, in one query
    # that runs whether or not anything changed (so the page's query count is fixed).
    checked = in_view.filter(Q(child_id__in=list(last_changes)) | ~Q(day=today))
    written = {child_id: (day_of_row, computed_at)
               for child_id, day_of_row, computed_at in checked.values_list("child_id", "day", "computed_at")}
    stale = {child_id for child_id, (day_of_row, _) in written.items() if day_of_row != today}
    stale |= {child_id for child_id, last_change in last_changes.items()
              if last_change > written.get(child_id, (today, day.computed_at))[1] - SAFETY_MARGIN}
    fresh = in_view.filter(day=today).exclude(child_id__in=stale)
    totals = fresh.aggregate(overdue=Sum("overdue_count"), due_soon=Sum("due_soon_count"))
    horizon = today + dt.timedelta(days=HORIZON_DAYS)
    wanted: list[ChildDeadline] = []
    for first, wants in (("first_overdue", _is_overdue), ("first_due_soon", _is_due_soon)):
        dated = fresh.filter(**{f"{first}__isnull": False})
        cut = dated.order_by(first).values_list(first, flat=True)[limit - 1:limit].first()
        rows = dated.filter(**{f"{first}__lte": cut}) if cut is not None else dated
        for child_id, deadlines, *child_values in rows.values_list("child_id", "deadlines", *_CHILD_FIELDS[1:]):
            child = Child.from_db(Child.unscoped.db, _LOADED, (child_id, *child_values))
            wanted.extend(ChildDeadline(child, _deadline(item)) for item in deadlines if wants(item, horizon))
    overdue_count, due_soon_count = totals["overdue"] or 0, totals["due_soon"] or 0
    if stale:
        settled = {pk for pk in stale if pk not in last_changes or last_changes[pk] <= now - SAFETY_MARGIN}
        recomputed = _recompute(visible.filter(pk__in=stale), today=today, now=now, calendar=calendar,
                                nts_working_days=nts_working_days, write=settled)
        changed = [ChildDeadline(row.child, _deadline(item)) for row in recomputed.values() for item in row.deadlines]
        late, soon = overdue_and_due_soon(changed, today=today, horizon_days=HORIZON_DAYS)
        wanted.extend(late + soon)
        overdue_count, due_soon_count = overdue_count + len(late), due_soon_count + len(soon)
    overdue, due_soon = overdue_and_due_soon(wanted, today=today, horizon_days=HORIZON_DAYS)
    return WhatToDoNext(overdue[:limit], due_soon[:limit], recomputed=rebuilt or len(stale), rebuilt=bool(rebuilt),
                        overdue_count=overdue_count, due_soon_count=due_soon_count)


def _is_overdue(item: dict[str, str | None], horizon: dt.date) -> bool:
    return item["status"] == DeadlineStatus.OVERDUE


def _is_due_soon(item: dict[str, str | None], horizon: dt.date) -> bool:
    return item["status"] != DeadlineStatus.OVERDUE and dt.date.fromisoformat(str(item["due"])) <= horizon


def _summarised(row: ChildDeadlines) -> ChildDeadlines:
    """The row with its first dates and counts for the home page (see ``_first_rows``)."""
    horizon = row.day + dt.timedelta(days=HORIZON_DAYS)
    late = [dt.date.fromisoformat(str(item["due"])) for item in row.deadlines if _is_overdue(item, horizon)]
    soon = [dt.date.fromisoformat(str(item["due"])) for item in row.deadlines if _is_due_soon(item, horizon)]
    row.first_overdue, row.overdue_count = min(late, default=None), len(late)
    row.first_due_soon, row.due_soon_count = min(soon, default=None), len(soon)
    return row


def rebuild(*, today: dt.date, now: dt.datetime, calendar: WorkingDayCalendar, nts_working_days: int,
            force: bool = False) -> int:
    """Work out every child's outstanding deadlines for ``today`` and replace the snapshot with them;
    the number of children with something to do. Requests that find the day out of date queue on
    the lock, and all but the first find it done (unless ``force``: the command after a deploy)."""
    with transaction.atomic():
        day, _ = SnapshotDay.objects.select_for_update().get_or_create(
            pk=THE_SNAPSHOT, defaults={"day": dt.date.min, "computed_at": now, "nts_working_days": 0})
        if not force and day.day == today and day.nts_working_days == nts_working_days:
            return 0
        # The whole council, not a user's view: the snapshot is shared, and the access module
        # filters it on every read.
        rows = _outstanding(Child.unscoped.all(), today=today, now=now, calendar=calendar,
                            nts_working_days=nts_working_days)
        ChildDeadlines.objects.all().delete()
        ChildDeadlines.objects.bulk_create(rows.values(), batch_size=1000)
        day.day, day.computed_at, day.nts_working_days = today, now, nts_working_days
        day.save()
    return len(rows)


def _recompute(children: QuerySet[Child], *, today: dt.date, now: dt.datetime, calendar: WorkingDayCalendar,
               nts_working_days: int, write: set[uuid.UUID]) -> dict[uuid.UUID, ChildDeadlines]:
    """Work the children out again and write back the rows of those in ``write``, an empty list for
    those who now have nothing to do (so that they are not worked out again until they next change)."""
    rows = _outstanding(children, today=today, now=now, calendar=calendar, nts_working_days=nts_working_days)
    if write:
        written = [rows.get(child.pk) or ChildDeadlines(child=child, day=today, computed_at=now, deadlines=[])
                   for child in children.filter(pk__in=write).only("id")]
        with transaction.atomic():
            ChildDeadlines.objects.bulk_create(written, update_conflicts=True, unique_fields=["child"],
                                               update_fields=["day", "computed_at", "deadlines", *_SUMMARY])
    return rows


def _outstanding(children: QuerySet[Child], *, today: dt.date, now: dt.datetime, calendar: WorkingDayCalendar,
                 nts_working_days: int) -> dict[uuid.UUID, ChildDeadlines]:
    with_duties, timelines = children_with_open_duties(visible=children, today=today)
    return {
        pk: _summarised(ChildDeadlines(child=with_duties[pk], day=today, computed_at=now, deadlines=[
            deadline.as_json() for deadline in outstanding_deadlines(
                timeline, today=today, calendar=calendar, nts_working_days=nts_working_days)]))
        for pk, timeline in timelines.items()
    }


def _last_changes(*, since: dt.datetime, visible: QuerySet[Child]) -> dict[uuid.UUID, dt.datetime]:
    """The time of the latest audit event about each child in view changed after ``since``.

    Only the children in view: a child changed today who has no row (nothing to do when the
    snapshot was built) is written back only by a request that can see them, so the council's
    changes outside this view would otherwise grow the list, and every query that follows it,
    all day (a social worker's page once took 13 s for changes to 20,000 other records)."""
    events = AuditEvent.objects.filter(at__gt=since)
    in_view = visible.values("pk")
    latest = dict(events.filter(child_id__in=in_view).values("child_id").annotate(last=Max("at"))
                  .values_list("child_id", "last"))
    childless = list(events.filter(Q(child_id__isnull=True), record_type=_CHILDLESS).values_list("record_id", "at"))
    if childless:  # rare: a bulk write on arrivals (an import); the arrival names the child
        arrivals: dict[uuid.UUID, dt.datetime] = {}
        _merge(arrivals, _arrivals_to_children(childless))
        seen = set(visible.filter(pk__in=list(arrivals)).values_list("pk", flat=True))
        _merge(latest, ((pk, at) for pk, at in arrivals.items() if pk in seen))
    return latest


def _arrivals_to_children(events: list[tuple[str, dt.datetime]]) -> Iterable[tuple[uuid.UUID, dt.datetime]]:
    at_by_arrival: dict[str, dt.datetime] = {}
    for record_id, at in events:
        at_by_arrival[record_id] = max(at, at_by_arrival.get(record_id, at))
    for arrival_id, child_id in Arrival.objects.filter(pk__in=list(at_by_arrival)).values_list("pk", "referral__child_id"):
        if child_id is not None:
            yield child_id, at_by_arrival[str(arrival_id)]


def _merge(latest: dict[uuid.UUID, dt.datetime], more: Iterable[tuple[uuid.UUID, dt.datetime]]) -> None:
    for child_id, at in more:
        latest[child_id] = max(at, latest.get(child_id, at))


def _deadline(item: dict[str, str | None]) -> Deadline:
    met_on = item["met_on"]
    return Deadline(
        duty=str(item["duty"]), due=dt.date.fromisoformat(str(item["due"])), status=DeadlineStatus(item["status"]),
        met_on=None if met_on is None else dt.date.fromisoformat(met_on), basis=str(item["basis"]),
    )


def today_and_now() -> tuple[dt.date, dt.datetime]:
    """The council's day and the moment, taken together before anything is read."""
    now = timezone.now()
    return timezone.localdate(now), now
