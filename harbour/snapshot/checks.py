"""Each child's measured checks read from a snapshot (ADR 0012, "Speed"; ADR 0016, "Deadline
snapshot"): the reviews, visits, health assessments and PEPs the deadlines engine works out over the
child's whole history, which the performance measures count.

Exact as the deadline snapshot is: a row is used only if it was written for ``today`` and no audit
event about the child is later than the row less ``SAFETY_MARGIN``; every other child asked for is
worked out again (fixed queries) and their rows written back once the change is older than the
margin. A new day rebuilds the lot. The checks do not depend on the NTS setting (the engine's
default is used, as the measures always have), so that setting does not rebuild them.
"""

from __future__ import annotations

import datetime as dt
import uuid
from bisect import bisect_left, bisect_right

from django.db import transaction
from django.db.models import QuerySet

from harbour.children.models import Child
from harbour.domain.calendar import WorkingDayCalendar
from harbour.domain.deadlines import compute_deadlines
from harbour.domain.review_measures import MEASURES as REVIEW_MEASURES
from harbour.reviews.selectors import DUTY_KINDS, case_view

from .models import THE_SNAPSHOT, ChecksDay, ChildChecks
from .services import SAFETY_MARGIN, _last_changes

MEASURED_KINDS = frozenset(kind for kind, _ in REVIEW_MEASURES.values())
# One letter a kind in the stored text.
KIND_LETTERS = {"review": "r", "visit": "v", "health_assessment": "h", "pep": "p"}
LETTER_KINDS = {letter: kind for kind, letter in KIND_LETTERS.items()}
assert set(KIND_LETTERS) == MEASURED_KINDS, "every measured kind needs a letter"
# A check as stored: the due date (ISO, 10 characters), the kind's letter, the day met (ISO) or 10
# blanks. Fixed width, by due date, and ISO dates compare as the dates do, so that a period's checks
# are cut out by bisection and only those are read (ADR 0012, "Speed").
WIDTH = 21
NOT_MET = " " * 10
Check = tuple[dt.date, str, dt.date | None]  # (due, kind, met on)


def encode(checks: list[Check]) -> str:
    """A child's checks, by due date, as the snapshot stores them."""
    return "".join(f"{due.isoformat()}{KIND_LETTERS[kind]}{NOT_MET if met is None else met.isoformat()}"
                   for due, kind, met in sorted(checks, key=lambda check: check[0]))


def checks_between(text: str, first: dt.date, last: dt.date,
                   kinds: frozenset[str] = MEASURED_KINDS) -> list[Check]:
    """The checks of ``text`` (:func:`encode`) due from ``first`` to ``last``, of ``kinds``, by due
    date; the others are never read."""
    count = len(text) // WIDTH

    def due(index: int) -> str:
        return text[index * WIDTH:index * WIDTH + 10]

    start = bisect_left(range(count), first.isoformat(), key=due)
    end = bisect_right(range(count), last.isoformat(), key=due)
    letters = {KIND_LETTERS[kind] for kind in kinds}
    found = []
    for at in range(start * WIDTH, end * WIDTH, WIDTH):
        letter = text[at + 10]
        if letter in letters:
            met = text[at + 11:at + WIDTH]
            found.append((dt.date.fromisoformat(text[at:at + 10]), LETTER_KINDS[letter],
                          None if met == NOT_MET else dt.date.fromisoformat(met)))
    return found


def measured_checks(children: QuerySet[Child], *, today: dt.date, now: dt.datetime,
                    calendar: WorkingDayCalendar) -> dict[uuid.UUID, str]:
    """Each child's measured checks on ``today`` (as :func:`encode` stores them; read them with
    :func:`checks_between`), as :func:`work_out` gives them from scratch. ``now`` is taken before
    anything is read."""
    day = ChecksDay.objects.filter(pk=THE_SNAPSHOT).first()
    if day is None or day.day != today:
        rebuild_checks(today=today, now=now, calendar=calendar)
        day = ChecksDay.objects.get(pk=THE_SNAPSHOT)
    rows = {child_id: (day_of_row, computed_at, checks) for child_id, day_of_row, computed_at, checks in
            ChildChecks.objects.filter(child__in=children).values_list("child_id", "day", "computed_at", "checks")}
    # A child with no row (added since the rebuild) is worked out, whatever the audit trail says.
    stale = {pk for pk in children.values_list("pk", flat=True)
             if pk not in rows or rows[pk][0] != today}
    last_changes = _last_changes(since=day.computed_at - SAFETY_MARGIN, visible=children)
    for child_id, last_change in last_changes.items():
        row = rows.get(child_id)
        if row is not None and last_change > row[1] - SAFETY_MARGIN:
            stale.add(child_id)
    found = {pk: checks for pk, (_, _, checks) in rows.items() if pk not in stale}
    if stale:
        # As for the deadline snapshot: a row written for a change younger than the margin would be
        # stale at once, so it is worked out on each request until then, and then written.
        settled = {pk for pk in stale if pk not in last_changes or last_changes[pk] <= now - SAFETY_MARGIN}
        worked_out = work_out(children.filter(pk__in=stale), today=today, calendar=calendar)
        found.update(worked_out)
        written = [ChildChecks(child_id=pk, day=today, computed_at=now, checks=checks)
                   for pk, checks in worked_out.items() if pk in settled]
        if written:
            with transaction.atomic():
                ChildChecks.objects.bulk_create(written, update_conflicts=True, unique_fields=["child"],
                                                update_fields=["day", "computed_at", "checks"])
    return found


def rebuild_checks(*, today: dt.date, now: dt.datetime, calendar: WorkingDayCalendar, force: bool = False) -> int:
    """Work out every child's measured checks for ``today`` and replace the snapshot with them; the
    number of children. Requests that find the day out of date queue on the lock, and all but the
    first find it done (unless ``force``: the command)."""
    with transaction.atomic():
        day, _ = ChecksDay.objects.select_for_update().get_or_create(
            pk=THE_SNAPSHOT, defaults={"day": dt.date.min, "computed_at": now})
        if not force and day.day == today:
            return 0
        # The whole council: the snapshot is shared, and the access module filters every read.
        worked_out = work_out(Child.unscoped.all(), today=today, calendar=calendar)
        ChildChecks.objects.all().delete()
        ChildChecks.objects.bulk_create(
            (ChildChecks(child_id=pk, day=today, computed_at=now, checks=checks) for pk, checks in worked_out.items()),
            batch_size=1000)
        day.day, day.computed_at = today, now
        day.save()
    return len(worked_out)


def work_out(children: QuerySet[Child], *, today: dt.date, calendar: WorkingDayCalendar) -> dict[uuid.UUID, str]:
    """From scratch: each child's measured checks, as :func:`encode` stores them (an empty text for a
    child with none). The engine
    is given the child's own timeline, the day and the calendar only (its own placeholder school
    terms), so the answer does not depend on which other children are worked out with it."""
    view = case_view(children, today=today, calendar=calendar)
    found: dict[uuid.UUID, str] = dict.fromkeys(view.children, "")
    for pk, timeline in view.timelines.items():
        found[pk] = encode([(deadline.due, str(DUTY_KINDS[deadline.duty]), deadline.met_on)
                            for deadline in compute_deadlines(timeline, today=today, calendar=calendar)
                            if DUTY_KINDS.get(deadline.duty) in MEASURED_KINDS])
    return found
