"""Whether two records of one child can be merged without breaking a rule of the record.

A child is looked after in one period of care at a time, holds one legal status at a time and
lives in one placement at a time. Two records of the same child may each hold some of these; once
merged, the kept record must still keep those rules (ADR 0019). These functions only say where the
records clash; the service refuses the merge and names the clash, and a person corrects a record.

Sources: SSDA903 guidance 2025-26 (reference.md 4): episodes of one child do not overlap; a change of
legal status or placement ends one episode and starts the next on the same day (DEC of one is
DECOM of the next), so that shared day is not a clash for them, while periods of care (from
becoming looked after to ceasing) share no day.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Spell:
    """A dated spell on one record: a period of care, a legal status, a placement. ``end`` is None
    while it is open; ``label`` says what it is, for the message."""

    start: date
    end: date | None
    label: str = ""


def spells_clash(first: Spell, second: Spell, *, may_share_a_day: bool) -> bool:
    """Whether two spells overlap. With ``may_share_a_day`` one may end on the day the other starts
    (a change of placement or legal status); two spells that start on the same day always clash."""
    if first.start == second.start:
        return True
    if may_share_a_day:
        return (second.end is None or first.start < second.end) and (
            first.end is None or second.start < first.end
        )
    return (second.end is None or first.start <= second.end) and (
        first.end is None or second.start <= first.end
    )


def first_clash(
    kept: Sequence[Spell], merged: Sequence[Spell], *, may_share_a_day: bool
) -> tuple[Spell, Spell] | None:
    """The earliest pair (one spell of each record) that would overlap once merged, else None.
    Spells of the same record are not compared: each record already keeps its own rules."""
    clashes = [
        (k, m) for k in kept for m in merged if spells_clash(k, m, may_share_a_day=may_share_a_day)
    ]
    if not clashes:
        return None
    return min(
        clashes, key=lambda pair: (min(pair[0].start, pair[1].start), pair[0].start, pair[1].start)
    )
