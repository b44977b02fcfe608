"""Two allocations at the same moment never take the same turn (issue 3, item 5).

Two threads, each with its own PostgreSQL connection, wait at a barrier and then allocate two
different children from the rota at once. The rota's state row is locked with SELECT ... FOR
UPDATE and the proposal is worked out again under the lock, so the second waits for the first to
commit and then sees its turn: different workers, two turns taken.

The last test is the negative control: with the lock taken out (and the barrier moved to just
after both threads have read the rota's state), the same race gives both children the same
worker and loses a turn. That shows the first tests would catch a missing lock.

SQLite cannot run this (it has no row locks; its IMMEDIATE transactions serialise every write),
so these tests are marked `postgres` and skipped there.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections

from harbour.accounts.models import Role, Team, User
from harbour.allocation import services
from harbour.allocation.models import RotaState, RotaTurn

from .support import NOW, TODAY, new_child, rota_of

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL (set DATABASE_URL)")


def race(jobs: list[Callable[[], Any]], timeout: float = 30) -> list[Any]:
    """Run each job in its own thread (so its own database connection); return results or errors."""
    results: list[Any] = [None] * len(jobs)

    def run(i: int) -> None:
        try:
            results[i] = jobs[i]()
        except BaseException as exc:  # noqa: BLE001 - reported to the test below
            results[i] = exc
        finally:
            connections.close_all()  # this thread's connection, or the test database cannot be dropped

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(jobs))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout)
    assert not any(t.is_alive() for t in threads), "a thread is stuck (deadlock?)"
    return results


def _setup(with_state_row: bool) -> tuple[User, list[User], list[Any]]:
    team = Team.objects.create(name="Concurrency team")
    leader = User.objects.create(username="c-leader", role=Role.TEAM_LEADER, team=team)
    workers = rota_of(3, team=team)
    if with_state_row:
        RotaState.objects.create(pk=1)
    return leader, workers, [new_child(), new_child()]


@pytest.mark.parametrize("with_state_row", [True, False], ids=["state row exists", "first turn ever makes the row"])
def test_two_allocations_at_the_same_moment_take_different_turns(with_state_row: bool) -> None:
    leader, workers, children = _setup(with_state_row)
    barrier = threading.Barrier(2, timeout=10)

    def allocate(child: Any) -> Callable[[], RotaTurn]:
        def job() -> RotaTurn:
            barrier.wait()
            return services.allocate_from_rota(actor=leader, child=child, today=TODAY, now=NOW)
        return job

    first, second = race([allocate(children[0]), allocate(children[1])])
    assert isinstance(first, RotaTurn), first
    assert isinstance(second, RotaTurn), second
    assert {first.allocated_id, second.allocated_id} == {workers[0].pk, workers[1].pk}
    assert first.position != second.position
    state = RotaState.objects.get()
    assert RotaState.objects.count() == 1
    assert state.turns_taken == 2


def test_without_the_lock_both_take_the_same_turn(monkeypatch: pytest.MonkeyPatch) -> None:
    """The negative control: what the lock prevents really happens without it."""
    leader, workers, children = _setup(with_state_row=True)
    barrier = threading.Barrier(2, timeout=10)

    def unlocked_state() -> RotaState:
        state = RotaState.objects.order_by("pk").first()  # no FOR UPDATE
        barrier.wait()  # both have read the same last position before either writes
        assert state is not None
        return state

    monkeypatch.setattr(services, "_locked_state", unlocked_state)

    def allocate(child: Any) -> Callable[[], RotaTurn]:
        return lambda: services.allocate_from_rota(actor=leader, child=child, today=TODAY, now=NOW)

    first, second = race([allocate(children[0]), allocate(children[1])])
    assert isinstance(first, RotaTurn) and isinstance(second, RotaTurn), (first, second)
    assert first.allocated_id == second.allocated_id == workers[0].pk  # the same turn, taken twice
    assert RotaState.objects.get().turns_taken == 1  # and one turn lost
