"""The rota rule, one named row per case. Today is Monday 23 November 2026 in every row."""

from __future__ import annotations

from datetime import date

import pytest

from harbour.domain.rota import RotaDecision, RotaWorker, leave_until, next_on_rota
from harbour.domain.tests.support import d
from harbour.domain.types import Period

TODAY = d("2026-11-23")


def worker(position: int, **facts: object) -> RotaWorker:
    return RotaWorker(key=f"w{position}", name=f"Worker {position}", position=position,
                      **{"uasc_trained": True, **facts})  # type: ignore[arg-type]


ON_LEAVE = (Period(d("2026-11-20"), d("2026-12-03")),)
ENDED_YESTERDAY = (Period(d("2026-11-16"), d("2026-11-22")),)

# (name, workers, last position, UASC training required, proposed position, skipped [(position, reason)])
ROWS: list[tuple[str, list[RotaWorker], int, bool, int | None, list[tuple[int, str]]]] = [
    ("first turn goes to position 1",
     [worker(1), worker(2), worker(3)], 0, True, 1, []),
    ("the turn after the last one",
     [worker(1), worker(2), worker(3)], 1, True, 2, []),
    ("wraps round after the last position",
     [worker(1), worker(2), worker(3)], 3, True, 1, []),
    ("gaps in the positions are walked in order",
     [worker(2), worker(5), worker(9)], 5, True, 9, []),
    ("a last position no longer on the rota starts from the next one",
     [worker(1), worker(3)], 2, True, 3, []),
    ("skips leave",
     [worker(1), worker(2, leave=ON_LEAVE), worker(3)], 1, True, 3, [(2, "On leave until 3 December")]),
    ("leave starting today counts",
     [worker(1, leave=(Period(TODAY, d("2026-11-24")),)), worker(2)], 0, True, 2,
     [(1, "On leave until 24 November")]),
    ("leave ending today counts",
     [worker(1, leave=(Period(d("2026-11-09"), TODAY),)), worker(2)], 0, True, 2,
     [(1, "On leave until 23 November")]),
    ("leave ending yesterday does not",
     [worker(1, leave=ENDED_YESTERDAY), worker(2)], 0, True, 1, []),
    ("leave starting tomorrow does not",
     [worker(1, leave=(Period(d("2026-11-24"), d("2026-11-30")),)), worker(2)], 0, True, 1, []),
    ("leave into next year names the year",
     [worker(1, leave=(Period(d("2026-11-23"), d("2027-01-04")),)), worker(2)], 0, True, 2,
     [(1, "On leave until 4 January 2027")]),
    ("back-to-back leave is one absence",
     [worker(1, leave=(Period(d("2026-11-16"), d("2026-11-27")), Period(d("2026-11-28"), d("2026-12-04")))),
      worker(2)], 0, True, 2, [(1, "On leave until 4 December")]),
    ("skips at-limit",
     [worker(1, open_cases=18, caseload_limit=18), worker(2)], 0, True, 2, [(1, "At caseload limit (18 of 18)")]),
    ("skips over the limit",
     [worker(1, open_cases=19, caseload_limit=18), worker(2)], 0, True, 2, [(1, "Over caseload limit (19 of 18)")]),
    ("one below the limit takes the child",
     [worker(1, open_cases=17, caseload_limit=18), worker(2)], 0, True, 1, []),
    ("no limit set means no limit",
     [worker(1, open_cases=40, caseload_limit=None), worker(2)], 0, True, 1, []),
    ("a limit of nought takes nobody",
     [worker(1, open_cases=0, caseload_limit=0), worker(2)], 0, True, 2, [(1, "At caseload limit (0 of 0)")]),
    ("skips untrained when required",
     [worker(1, uasc_trained=False), worker(2)], 0, True, 2, [(1, "No UASC training recorded")]),
    ("untrained takes the child when training is not required",
     [worker(1, uasc_trained=False), worker(2)], 0, False, 1, []),
    ("skips not active",
     [worker(1, active=False), worker(2)], 0, True, 2, [(1, "Not active")]),
    ("not active is the reason given before leave",
     [worker(1, active=False, leave=ON_LEAVE), worker(2)], 0, True, 2, [(1, "Not active")]),
    ("leave is the reason given before the caseload",
     [worker(1, leave=ON_LEAVE, open_cases=18, caseload_limit=18), worker(2)], 0, True, 2,
     [(1, "On leave until 3 December")]),
    ("skipping wraps round too",
     [worker(1), worker(2, leave=ON_LEAVE), worker(3, uasc_trained=False)], 1, True, 1,
     [(2, "On leave until 3 December"), (3, "No UASC training recorded")]),
    ("the last worker to take a turn takes the next when nobody else can",
     [worker(1, leave=ON_LEAVE), worker(2)], 2, True, 2, [(1, "On leave until 3 December")]),
    ("nobody available",
     [worker(1, leave=ON_LEAVE), worker(2, open_cases=18, caseload_limit=18), worker(3, uasc_trained=False)],
     2, True, None,
     [(3, "No UASC training recorded"), (1, "On leave until 3 December"), (2, "At caseload limit (18 of 18)")]),
    ("an empty rota proposes nobody",
     [], 0, True, None, []),
]


@pytest.mark.parametrize(("workers", "last", "required", "proposed", "skipped"),
                         [row[1:] for row in ROWS], ids=[row[0] for row in ROWS])
def test_next_on_rota(workers: list[RotaWorker], last: int, required: bool, proposed: int | None,
                      skipped: list[tuple[int, str]]) -> None:
    decision = next_on_rota(workers, last_position=last, today=TODAY, require_uasc_training=required)
    assert decision.position == proposed
    assert [(s.worker.position, s.reason) for s in decision.skipped] == skipped


def test_the_order_given_does_not_matter() -> None:
    workers = [worker(3), worker(1), worker(2)]
    assert next_on_rota(workers, last_position=1, today=TODAY, require_uasc_training=True).position == 2


def test_the_decision_names_the_worker_by_the_callers_key() -> None:
    decision = next_on_rota([worker(4)], last_position=0, today=TODAY, require_uasc_training=False)
    assert decision == RotaDecision(proposed=worker(4), skipped=())
    assert decision.proposed is not None and decision.proposed.key == "w4"


LEAVE_UNTIL: list[tuple[str, tuple[Period, ...], date | None]] = [
    ("no leave", (), None),
    ("covering", ON_LEAVE, d("2026-12-03")),
    ("ended yesterday", ENDED_YESTERDAY, None),
    ("open-ended", (Period(d("2026-11-01")),), date.max),
    ("joined to an open-ended one", (Period(d("2026-11-20"), d("2026-11-25")), Period(d("2026-11-26"))), date.max),
    ("a gap of a day breaks the chain",
     (Period(d("2026-11-20"), d("2026-11-25")), Period(d("2026-11-27"), d("2026-11-30"))), d("2026-11-25")),
    ("overlapping pieces", (Period(d("2026-11-20"), d("2026-11-30")), Period(d("2026-11-23"), d("2026-11-26"))),
     d("2026-11-30")),
]


@pytest.mark.parametrize(("leave", "expected"), [row[1:] for row in LEAVE_UNTIL], ids=[row[0] for row in LEAVE_UNTIL])
def test_leave_until(leave: tuple[Period, ...], expected: date | None) -> None:
    assert leave_until(leave, TODAY) == expected
