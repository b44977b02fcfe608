"""Reads for the allocation rota: the facts about each worker, the proposal, fairness, and what the
referral workspace shows about allocation.

Every read here takes a fixed number of queries whatever the size of the rota: the members with
their users and teams in one query, open caseloads in one, leave in one. The rule that picks the
worker is pure Python, in harbour.domain.rota; this module only fetches the facts for it.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils import timezone

from harbour.accounts.models import Allocation, Role, User
from harbour.core.models import CouncilSettings
from harbour.domain.rota import (
    RotaDecision,
    RotaWorker,
    leave_until,
    next_on_rota,
    pass_over_reason,
)
from harbour.domain.types import Period

from .models import Leave, PracticeLead, RotaMember, RotaState, RotaTurn

# Roles that keep the rota, allocate from it and override it: "a manager" in the issue.
ROTA_KEEPERS = frozenset({Role.TEAM_LEADER, Role.TEAM_MANAGER})


def may_keep_rota(user: Any) -> bool:
    """Team leaders and team managers allocate, override and keep the rota."""
    return bool(getattr(user, "is_active", False)) and getattr(user, "role", None) in ROTA_KEEPERS


def open_on(today: dt.date) -> Q:
    """An allocation the worker still holds today (it may end later)."""
    return Q(end__isnull=True) | Q(end__gte=today)


# --- The facts, and the proposal ------------------------------------------------------------------


@dataclass(frozen=True)
class RotaRow:
    """One place on the rota as the rota page shows it."""

    member: RotaMember
    open_cases: int
    on_leave_until: dt.date | None
    # Leave booked but not yet begun, so managers can plan round it.
    next_leave: Leave | None
    reason: str | None  # why the rota would pass this worker over today; None if they can take a child

    @property
    def user(self) -> User:
        return self.member.user


@dataclass(frozen=True)
class Proposal:
    """Who the rota proposes for the next child, and why the workers before them were passed over.

    ``worker`` is None when nobody can take a child today; ``skipped`` then gives everyone's reason.
    ``position`` is the proposed worker's place on the rota. ``last_position`` is the place that
    took the previous turn, as read: allocate_from_rota re-reads it under the lock.
    """

    worker: User | None
    position: int | None
    skipped: list[tuple[User, str]]
    practice_leads: list[PracticeLead]
    last_position: int
    requires_uasc_training: bool
    open_cases: int | None = None  # the proposed worker's caseload today

    @property
    def skipped_text(self) -> str:
        # "Sam Worker: on leave until 3 December; Ali Khan: no UASC training recorded"
        return "; ".join(f"{user.display_name}: {reason[:1].lower()}{reason[1:]}" for user, reason in self.skipped)


def _caseloads(user_ids: list[Any], today: dt.date) -> dict[Any, int]:
    rows = (Allocation.objects.filter(open_on(today), kind=Allocation.Kind.SOCIAL_WORKER, worker_id__in=user_ids)
            .values("worker_id").annotate(n=Count("id")).order_by())
    return {row["worker_id"]: row["n"] for row in rows}


def _leave(user_ids: list[Any], today: dt.date) -> dict[Any, list[Leave]]:
    # Leave that has ended cannot matter; leave to come is shown on the rota page.
    leave: dict[Any, list[Leave]] = defaultdict(list)
    for item in Leave.objects.filter(user_id__in=user_ids, end__gte=today).order_by("start"):
        leave[item.user_id].append(item)
    return leave


def requires_uasc_training(child: Any | None, council: CouncilSettings) -> bool:
    """The council's training rule applies to unaccompanied children; a proposal made without a
    child (the rota page) is for the next NTS child, so it applies there too."""
    return council.rota_requires_uasc_training and (child is None or bool(child.is_uasc))


@dataclass(frozen=True)
class RotaFacts:
    members: list[RotaMember]
    caseloads: dict[Any, int]
    leave: dict[Any, list[Leave]]


def rota_facts(*, today: dt.date) -> RotaFacts:
    """Three queries: the members (with user and team), open caseloads, and current or future leave."""
    members = list(RotaMember.objects.select_related("user", "user__team").order_by("position"))
    ids = [m.user_id for m in members]
    return RotaFacts(members=members, caseloads=_caseloads(ids, today), leave=_leave(ids, today))


def _domain_worker(member: RotaMember, facts: RotaFacts) -> RotaWorker:
    user = member.user
    return RotaWorker(
        key=str(user.pk), name=user.display_name, position=member.position,
        active=member.active and user.is_active,
        leave=tuple(Period(item.start, item.end) for item in facts.leave.get(user.pk, [])),
        open_cases=facts.caseloads.get(user.pk, 0), caseload_limit=user.caseload_limit,
        uasc_trained=member.uasc_trained,
    )


def decide(facts: RotaFacts, *, last_position: int, today: dt.date, require_training: bool) -> RotaDecision:
    return next_on_rota([_domain_worker(m, facts) for m in facts.members], last_position=last_position,
                        today=today, require_uasc_training=require_training)


def active_practice_leads() -> list[PracticeLead]:
    return list(PracticeLead.objects.filter(active=True, user__is_active=True)
                .select_related("user", "user__team").order_by("user__first_name", "user__last_name"))


def current_state() -> RotaState:
    """The rota's state as it is now, without locking (a page only shows it). A rota that has never
    taken a turn has no row yet: it reads as position 0."""
    return RotaState.objects.order_by("pk").first() or RotaState(last_position=0, turns_taken=0)


def proposal_from(facts: RotaFacts, *, last_position: int, today: dt.date, require_training: bool,
                  practice_leads: list[PracticeLead]) -> Proposal:
    decision = decide(facts, last_position=last_position, today=today, require_training=require_training)
    users = {str(m.user.pk): m.user for m in facts.members}
    return Proposal(
        worker=users[decision.proposed.key] if decision.proposed else None,
        position=decision.position,
        skipped=[(users[s.worker.key], s.reason) for s in decision.skipped],
        practice_leads=practice_leads,
        last_position=last_position,
        requires_uasc_training=require_training,
        open_cases=facts.caseloads.get(users[decision.proposed.key].pk, 0) if decision.proposed else None,
    )


def propose_worker(*, today: dt.date, child: Any | None = None) -> Proposal:
    """The worker the rota proposes for the next child today, in six queries whatever its size.

    Read-only: nothing is reserved. allocate_from_rota works the proposal out again under the
    rota's lock, so what it allocates may differ if someone allocated in between.
    """
    council = CouncilSettings.current()
    return proposal_from(
        rota_facts(today=today), last_position=current_state().last_position, today=today,
        require_training=requires_uasc_training(child, council), practice_leads=active_practice_leads(),
    )


def rota_rows(*, today: dt.date) -> tuple[list[RotaRow], Proposal]:
    """Every place on the rota with its worker's caseload, leave and today's standing, and the
    proposal for the next child. A fixed number of queries."""
    council = CouncilSettings.current()
    facts = rota_facts(today=today)
    require = requires_uasc_training(None, council)
    proposal = proposal_from(facts, last_position=current_state().last_position, today=today,
                             require_training=require, practice_leads=active_practice_leads())
    rows = []
    for member in facts.members:
        worker = _domain_worker(member, facts)
        leave = facts.leave.get(member.user_id, [])
        rows.append(RotaRow(
            member=member, open_cases=worker.open_cases, on_leave_until=leave_until(worker.leave, today),
            next_leave=next((item for item in leave if item.start > today), None),
            reason=pass_over_reason(worker, today, require),
        ))
    return rows, proposal


def social_workers_for_override() -> Any:
    """Who a manager may allocate instead of the proposed worker: any active social worker."""
    return (User.objects.filter(role=Role.SOCIAL_WORKER, is_active=True).select_related("team")
            .order_by("first_name", "last_name"))


def open_social_worker(child: Any, today: dt.date) -> Allocation | None:
    """The child's allocated social worker today, if they have one."""
    return (Allocation.objects.filter(Q(end__isnull=True) | Q(end__gt=today), child=child,
                                      kind=Allocation.Kind.SOCIAL_WORKER)
            .select_related("worker").first())


# --- Fairness -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FairnessRow:
    worker: User
    on_rota: bool
    by_month: tuple[int, ...]
    overrides: int  # of the total, children allocated to this worker by a manager's override

    @property
    def total(self) -> int:
        return sum(self.by_month)


def months_between(since: dt.date, until: dt.date) -> list[dt.date]:
    """The first day of each month from ``since``'s to ``until``'s, both included."""
    months, month = [], since.replace(day=1)
    while month <= until:
        months.append(month)
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return months


def _local_day(day: dt.date, end: bool = False) -> dt.datetime:
    moment = dt.datetime.combine(day + dt.timedelta(days=1) if end else day, dt.time.min)
    return timezone.make_aware(moment)


def rota_fairness(*, since: dt.date, until: dt.date) -> list[FairnessRow]:
    """Children allocated to each worker from the rota in each month from ``since`` to ``until``.

    Every worker on the rota has a row, with noughts if they took nobody, so that an uneven share
    shows; a worker given children only by override has a row too. Three queries: the turns
    counted by worker and month, the rota, and any workers off the rota who were allocated.
    """
    months = months_between(since, until)
    index = {month: i for i, month in enumerate(months)}
    counts: dict[Any, list[int]] = defaultdict(lambda: [0] * len(months))
    overrides: dict[Any, int] = defaultdict(int)
    turns = (RotaTurn.objects.filter(decided_at__gte=_local_day(since), decided_at__lt=_local_day(until, end=True))
             .annotate(month=TruncMonth("decided_at")).values("allocated_id", "month")
             .annotate(n=Count("id"), overridden_n=Count("id", filter=Q(overridden=True))).order_by())
    for row in turns:
        month = row["month"]
        month = (timezone.localtime(month) if isinstance(month, dt.datetime) and timezone.is_aware(month)
                 else month)
        key = dt.date(month.year, month.month, 1)
        if key in index:
            counts[row["allocated_id"]][index[key]] += row["n"]
            overrides[row["allocated_id"]] += row["overridden_n"]
    members = list(RotaMember.objects.select_related("user", "user__team").order_by("position"))
    on_rota = {m.user_id for m in members}
    others = User.objects.select_related("team").in_bulk([k for k in counts if k not in on_rota])
    rows = [FairnessRow(worker=m.user, on_rota=True, by_month=tuple(counts.get(m.user_id, [0] * len(months))),
                        overrides=overrides.get(m.user_id, 0)) for m in members]
    rows += [FairnessRow(worker=user, on_rota=False, by_month=tuple(counts[pk]), overrides=overrides.get(pk, 0))
             for pk, user in sorted(others.items(), key=lambda item: item[1].display_name)]
    return rows


# --- What the referral workspace shows -----------------------------------------------------------


@dataclass(frozen=True)
class AllocationState:
    """The allocation task of one referral, for the referral workspace's task list.

    ``done`` when the child has an allocated social worker; ``worker`` is who; ``turn`` is the rota
    turn when the allocation was made from the rota (None when made some other way); ``url`` is the
    page to allocate from (or to see the proposal).
    """

    done: bool
    worker: User | None
    turn: RotaTurn | None
    url: str


def allocation_url(child_id: Any, *, referral_id: Any = None, next_url: str | None = None) -> str:
    """The page that allocates a child from the rota, recording the referral and coming back to
    ``next_url`` (a local path such as the referral workspace) afterwards."""
    query = {k: str(v) for k, v in (("referral", referral_id), ("next", next_url)) if v}
    base = reverse("allocation:child", args=[child_id])
    return f"{base}?{urlencode(query)}" if query else base


def allocation_states(referrals: Iterable[Any], *, today: dt.date | None = None,
                      next_url: str | None = None) -> dict[uuid.UUID, AllocationState]:
    """Allocation state of many referrals, by referral id, in two queries whatever their number.

    For a queue or workspace that lists referrals. ``next_url`` is where the allocation page
    returns to; when it contains "{referral}" the referral's id is put in.
    """
    referrals = list(referrals)
    today = today or timezone.localdate()
    child_ids = {r.child_id for r in referrals}
    allocations = {a.child_id: a for a in Allocation.objects.filter(
        Q(end__isnull=True) | Q(end__gt=today), child_id__in=child_ids, kind=Allocation.Kind.SOCIAL_WORKER,
    ).select_related("worker")}
    turns = {t.allocation_id: t for t in RotaTurn.objects.filter(
        allocation_id__in=[a.pk for a in allocations.values()])}
    states = {}
    for referral in referrals:
        allocation = allocations.get(referral.child_id)
        back = next_url.replace("{referral}", str(referral.pk)) if next_url else None
        states[referral.pk] = AllocationState(
            done=allocation is not None, worker=allocation.worker if allocation else None,
            turn=turns.get(allocation.pk) if allocation else None,
            url=allocation_url(referral.child_id, referral_id=referral.pk, next_url=back),
        )
    return states


def allocation_state(referral: Any, *, today: dt.date | None = None, next_url: str | None = None) -> AllocationState:
    """Allocation state of one referral (two queries). See allocation_states for many."""
    return allocation_states([referral], today=today, next_url=next_url)[referral.pk]
