"""Who takes the next child from the council's allocation rota.

This is council practice, not statute. Issue 3 item 5 describes it: the council keeps one rota
of social workers across its teams (mixed caseloads, no separate UASC team) and gives each new
child to the next worker on it, skipping those on leave, at their caseload limit, or without the
UASC training the council requires. The national rota in reference section 1.3 is a different
thing (the Home Office choosing the council); it says nothing about who inside the council
takes the child, so the rule below is the council's own and is kept in one place.

The rule, as :func:`next_on_rota` applies it:

* The rota is walked in position order from the position after the last one that took a turn,
  wrapping round to the start, so that every worker gets a turn before anyone gets a second.
* A worker is passed over, with one reason in plain words, when they are not active (taken off
  the rota, or their account closed), on leave today, at or over their caseload limit (no
  limit when none is set), or, when the council requires it, without UASC training. When more
  than one applies the first in that order is given, because it is the one that matters most
  to the manager reading it (someone not active will not be back; leave ends on a date).
* The first worker not passed over is proposed. Workers after them are not looked at: they are
  not "skipped", their turn simply has not come.
* If everyone is passed over nobody is proposed, and every worker's reason is given so that a
  manager can decide whom to ask instead.

Pure Python: the caller fetches the facts (leave, caseloads, training) and passes them in.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from harbour.domain.formatting import MONTHS
from harbour.domain.types import Period

__all__ = ["RotaDecision", "RotaWorker", "Skip", "leave_until", "next_on_rota", "pass_over_reason"]


@dataclass(frozen=True)
class RotaWorker:
    """One place on the rota and the facts about its worker on the day.

    ``key`` is whatever the caller uses to find the worker again (a user id).
    ``leave`` is every period of leave known for the worker; both ends count as leave.
    """

    key: str
    name: str
    position: int
    active: bool = True
    leave: tuple[Period, ...] = ()
    open_cases: int = 0
    caseload_limit: int | None = None
    uasc_trained: bool = False


@dataclass(frozen=True)
class Skip:
    worker: RotaWorker
    reason: str


@dataclass(frozen=True)
class RotaDecision:
    """The worker proposed (or ``None``) and those passed over before reaching them, in order."""

    proposed: RotaWorker | None
    skipped: tuple[Skip, ...] = field(default=())

    @property
    def position(self) -> int | None:
        return None if self.proposed is None else self.proposed.position


def leave_until(leave: Sequence[Period], today: date) -> date | None:
    """The last day of the leave that covers ``today``, or ``None`` when not on leave.

    Leave booked back to back (annual leave running into a training week) is one absence:
    the worker is away until the end of the last piece. An open period never ends.
    """
    covering = [p for p in leave if p.covers(today)]
    if not covering:
        return None
    if any(p.end is None for p in covering):
        return date.max
    until = max(p.end for p in covering if p.end is not None)
    extended = True
    while extended:
        extended = False
        for p in leave:
            if p.start <= until + timedelta(days=1) and (p.end is None or p.end > until):
                if p.end is None:
                    return date.max
                until = p.end
                extended = True
    return until


def _day_and_month(day: date, today: date) -> str:
    # "3 December" this year; "4 January 2027" when it is not this year's.
    text = f"{day.day} {MONTHS[day.month - 1]}"
    return text if day.year == today.year else f"{text} {day.year}"


def pass_over_reason(worker: RotaWorker, today: date, require_uasc_training: bool) -> str | None:
    """Why the rota would pass this worker over today, in plain words; ``None`` if it would not."""
    if not worker.active:
        return "Not active"
    until = leave_until(worker.leave, today)
    if until is not None:
        if until == date.max:
            return "On leave, with no end date"
        return f"On leave until {_day_and_month(until, today)}"
    limit = worker.caseload_limit
    if limit is not None and worker.open_cases >= limit:
        word = "At" if worker.open_cases == limit else "Over"
        return f"{word} caseload limit ({worker.open_cases} of {limit})"
    if require_uasc_training and not worker.uasc_trained:
        return "No UASC training recorded"
    return None


def next_on_rota(
    workers: Sequence[RotaWorker], *, last_position: int, today: date, require_uasc_training: bool
) -> RotaDecision:
    """The next worker on the rota after ``last_position``, and who was passed over on the way."""
    ordered = sorted(workers, key=lambda w: w.position)
    after = [w for w in ordered if w.position > last_position]
    before = [w for w in ordered if w.position <= last_position]
    skipped: list[Skip] = []
    for worker in after + before:
        reason = pass_over_reason(worker, today, require_uasc_training)
        if reason is None:
            return RotaDecision(proposed=worker, skipped=tuple(skipped))
        skipped.append(Skip(worker, reason))
    return RotaDecision(proposed=None, skipped=tuple(skipped))
