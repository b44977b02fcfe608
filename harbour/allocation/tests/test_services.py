"""Allocating a child from the rota, a manager's override, and keeping the rota."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from harbour.accounts.models import Allocation, Role
from harbour.allocation import selectors, services
from harbour.allocation.models import Leave, RotaMember, RotaState, RotaTurn
from harbour.audit.models import AuditEvent
from harbour.core.models import CouncilSettings

from .support import (
    NOW,
    TODAY,
    give_caseload,
    new_child,
    on_leave,
    practice_lead,
    referral_for,
    rota_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def leader(make_team, make_user):
    return make_user(Role.TEAM_LEADER, team=make_team(), first_name="Lena", last_name="Leader")


def allocate(actor, child=None, **kwargs):
    return services.allocate_from_rota(actor=actor, child=child or new_child(), today=TODAY, now=NOW, **kwargs)


# --- The proposal ---------------------------------------------------------------------------------


def test_the_rota_proposes_the_first_worker_then_the_next_and_wraps_round(leader):
    a, b, c = rota_of(3)
    proposed = []
    for _ in range(4):
        turn = allocate(leader)
        proposed.append(turn.allocated)
    assert proposed == [a, b, c, a]
    state = RotaState.objects.get()
    assert state.turns_taken == 4 and state.last_position == RotaMember.objects.get(user=a).position


def test_the_proposal_names_who_was_passed_over_and_why_in_plain_words(leader, make_user):
    a, b, c, d = rota_of(4)
    on_leave(a, TODAY - dt.timedelta(days=3), dt.date(2026, 12, 3))
    give_caseload(b, 18)
    RotaMember.objects.filter(user=c).update(uasc_trained=False, uasc_trained_on=None)
    lead = make_user(Role.TEAM_MANAGER, first_name="Priya", last_name="Lead")
    practice_lead(lead)
    proposal = selectors.propose_worker(today=TODAY)
    assert proposal.worker == d and proposal.position == RotaMember.objects.get(user=d).position
    assert [(u, r) for u, r in proposal.skipped] == [
        (a, "On leave until 3 December"), (b, "At caseload limit (18 of 18)"), (c, "No UASC training recorded"),
    ]
    assert [p.user for p in proposal.practice_leads] == [lead]
    assert proposal.open_cases == 0


def test_training_is_not_asked_for_when_the_council_does_not_require_it(leader):
    a, b = rota_of(2, trained=False)
    CouncilSettings.current()
    CouncilSettings.objects.update(rota_requires_uasc_training=False)
    assert selectors.propose_worker(today=TODAY).worker == a


def test_training_is_not_asked_for_a_child_who_is_not_unaccompanied(leader):
    untrained, = rota_of(1, trained=False)
    assert selectors.propose_worker(today=TODAY).worker is None
    assert selectors.propose_worker(today=TODAY, child=new_child(is_uasc=False)).worker == untrained


def test_not_active_members_and_closed_accounts_are_passed_over(leader):
    a, b, c = rota_of(3)
    RotaMember.objects.filter(user=a).update(active=False)
    b.is_active = False
    b.save()
    proposal = selectors.propose_worker(today=TODAY)
    assert proposal.worker == c
    assert proposal.skipped == [(a, "Not active"), (b, "Not active")]


def test_only_open_social_worker_allocations_count_towards_the_caseload(leader, make_user):
    a, b = rota_of(2, limit=2)
    give_caseload(a, 1)
    ended = new_child()
    Allocation.objects.create(child=ended, worker=a, kind="social_worker", start=dt.date(2026, 1, 1),
                              end=dt.date(2026, 6, 1))
    iro_child = new_child()
    Allocation.objects.create(child=iro_child, worker=a, kind="iro", start=dt.date(2026, 1, 1))
    assert selectors.propose_worker(today=TODAY).worker == a


@pytest.mark.parametrize("size", [3, 30])
def test_the_proposal_takes_the_same_number_of_queries_whatever_the_size_of_the_rota(leader, size):
    workers = rota_of(size)
    for w in workers[: size // 2]:
        on_leave(w, TODAY, TODAY + dt.timedelta(days=5))
        give_caseload(w, 2)
    CouncilSettings.current()
    with CaptureQueriesContext(connection) as queries:
        selectors.propose_worker(today=TODAY)
    # council settings, rota state, members (with users and teams), caseloads, leave, practice leads
    assert len(queries) == 6


# --- Allocating -----------------------------------------------------------------------------------


def test_allocating_records_the_allocation_the_turn_and_their_audit(leader):
    a, b = rota_of(2)
    on_leave(a, TODAY, TODAY)
    child = new_child()
    referral = referral_for(child, team=leader.team, recorded_by=leader)
    turn = allocate(leader, child, referral=referral, request_id="req-1")
    allocation = Allocation.objects.get(child=child)
    assert (allocation.worker, allocation.kind, allocation.start, allocation.end) == (b, "social_worker", TODAY, None)
    assert turn.allocation == allocation and turn.referral == referral
    assert (turn.proposed, turn.allocated, turn.overridden, turn.decided_by, turn.decided_at) == (b, b, False, leader, NOW)
    assert turn.position == RotaMember.objects.get(user=b).position
    assert turn.skipped == [{"user_id": str(a.pk), "name": a.display_name, "reason": "On leave until 23 November"}]
    events = AuditEvent.objects.filter(request_id="req-1")
    assert {(e.record_type, e.action) for e in events} == {
        ("accounts.Allocation", "create"), ("allocation.RotaTurn", "create"), ("allocation.RotaState", "update")}
    assert all(e.actor == leader for e in events)
    assert events.get(record_type="accounts.Allocation").child_id == child.pk


def test_an_override_allocates_someone_else_and_the_proposed_worker_keeps_their_turn(leader, make_user):
    a, b = rota_of(2)
    chosen = make_user(Role.SOCIAL_WORKER, first_name="Tigist", last_name="Speaks-Tigrinya")
    turn = allocate(leader, override_worker=chosen, override_reason="  Speaks Tigrinya, as the child does ")
    assert (turn.proposed, turn.allocated, turn.overridden) == (a, chosen, True)
    assert turn.override_reason == "Speaks Tigrinya, as the child does" and turn.position is None
    assert RotaState.objects.get().turns_taken == 0
    # The next child still goes to the worker whose turn it was.
    assert allocate(leader).allocated == a


def test_an_override_naming_the_proposed_worker_is_an_ordinary_turn(leader):
    a, b = rota_of(2)
    turn = allocate(leader, override_worker=a, override_reason="")
    assert turn.overridden is False and turn.position is not None
    assert RotaState.objects.get().turns_taken == 1


def test_an_override_is_possible_when_nobody_on_the_rota_is_available(leader, make_user):
    a, = rota_of(1)
    on_leave(a, TODAY, TODAY + dt.timedelta(days=10))
    chosen = make_user(Role.SOCIAL_WORKER)
    turn = allocate(leader, override_worker=chosen, override_reason="Rota empty this week")
    assert turn.proposed is None and turn.allocated == chosen and turn.overridden


REFUSALS = [
    ("override without a reason", "override_reason",
     "Enter why you are allocating someone other than the next worker on the rota"),
    ("override to someone who is not a social worker", "override_worker", "Select an active social worker"),
    ("override to a closed account", "override_worker", "Select an active social worker"),
    ("child already allocated", "child", "already has an allocated social worker"),
    ("referral of another child", "referral", "This referral is for another child"),
    ("nobody available", "worker", "Nobody on the rota can take a child today: Worker"),
    ("the rota moved on", "worker", "The rota has moved on since you opened this page"),
]


@pytest.mark.parametrize(("case", "field", "message"), REFUSALS, ids=[r[0] for r in REFUSALS])
def test_refusals_are_keyed_by_field_and_save_nothing(case, field, message, leader, make_user, make_child):
    a, b = rota_of(2)
    child = new_child()
    kwargs: dict = {}
    if case == "override without a reason":
        kwargs = {"override_worker": b, "override_reason": "   "}
    elif case == "override to someone who is not a social worker":
        kwargs = {"override_worker": make_user(Role.TEAM_MANAGER), "override_reason": "Because"}
    elif case == "override to a closed account":
        kwargs = {"override_worker": make_user(Role.SOCIAL_WORKER, is_active=False), "override_reason": "Because"}
    elif case == "child already allocated":
        child = make_child(social_worker=make_user(Role.SOCIAL_WORKER))
    elif case == "referral of another child":
        kwargs = {"referral": referral_for(new_child(), team=leader.team, recorded_by=leader)}
    elif case == "nobody available":
        for w in (a, b):
            on_leave(w, TODAY, TODAY)
    elif case == "the rota moved on":
        kwargs = {"expected_worker_id": b.pk}
    turns, allocations = RotaTurn.objects.count(), Allocation.objects.count()
    with pytest.raises(ValidationError) as refused:
        allocate(leader, child, **kwargs)
    assert list(refused.value.message_dict) == [field]
    assert message in refused.value.message_dict[field][0]
    assert (RotaTurn.objects.count(), Allocation.objects.count()) == (turns, allocations)
    assert RotaState.objects.filter(turns_taken__gt=0).count() == 0


def test_nobody_available_gives_every_reason(leader):
    a, b = rota_of(2)
    on_leave(a, TODAY, dt.date(2026, 12, 3))
    give_caseload(b, 18)
    with pytest.raises(ValidationError) as refused:
        allocate(leader)
    assert refused.value.message_dict["worker"] == [
        f"Nobody on the rota can take a child today: {a.display_name}: on leave until 3 December; "
        f"{b.display_name}: at caseload limit (18 of 18)"]


def test_an_allocation_ending_today_hands_over_to_the_rota(leader, make_user):
    a, = rota_of(1)
    child = new_child()
    Allocation.objects.create(child=child, worker=make_user(Role.SOCIAL_WORKER), kind="social_worker",
                              start=dt.date(2026, 1, 1), end=TODAY)
    assert allocate(leader, child).allocated == a


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.DIRECTOR, Role.ADMINISTRATOR, Role.PARTNER])
def test_only_team_leaders_and_managers_allocate(role, make_user):
    rota_of(1)
    with pytest.raises(PermissionDenied):
        allocate(make_user(role))
    assert not RotaTurn.objects.exists()


def test_team_managers_allocate_too(make_user):
    a, = rota_of(1)
    assert allocate(make_user(Role.TEAM_MANAGER)).allocated == a


def test_the_state_row_is_made_once_on_first_use(leader):
    rota_of(2)
    assert not RotaState.objects.exists()
    allocate(leader)
    allocate(leader)
    assert RotaState.objects.count() == 1 and RotaState.objects.get().turns_taken == 2


# --- Fairness -------------------------------------------------------------------------------------


def test_fairness_counts_each_workers_children_per_month_with_noughts_and_overrides(leader, make_user):
    a, b, c = rota_of(3)
    outsider = make_user(Role.SOCIAL_WORKER, first_name="Olu", last_name="Outside")
    for when, kwargs in [
        (dt.datetime(2026, 9, 30, 23, 30), {}),  # 30 September late evening, London time
        (dt.datetime(2026, 10, 1, 0, 30), {}),  # the first minutes of October, London time (BST)
        (dt.datetime(2026, 11, 2, 9, 0), {"override_worker": outsider, "override_reason": "Knows the family"}),
        (dt.datetime(2026, 11, 3, 9, 0), {}),
    ]:
        from django.utils import timezone
        services.allocate_from_rota(actor=leader, child=new_child(), today=TODAY,
                                    now=timezone.make_aware(when), **kwargs)
    rows = selectors.rota_fairness(since=dt.date(2026, 9, 1), until=TODAY)
    by_worker = {r.worker: (r.by_month, r.total, r.overrides, r.on_rota) for r in rows}
    assert by_worker == {
        a: ((1, 0, 0), 1, 0, True),
        b: ((0, 1, 0), 1, 0, True),
        c: ((0, 0, 1), 1, 0, True),
        outsider: ((0, 0, 1), 1, 1, False),
    }
    assert [r.worker for r in rows] == [a, b, c, outsider]
    assert selectors.months_between(dt.date(2026, 9, 15), TODAY) == [
        dt.date(2026, 9, 1), dt.date(2026, 10, 1), dt.date(2026, 11, 1)]


@pytest.mark.parametrize("size", [3, 30])
def test_fairness_takes_three_queries_whatever_the_size(leader, make_user, size):
    workers = rota_of(size)
    for w in workers:
        services.allocate_from_rota(actor=leader, child=new_child(), today=TODAY, now=NOW,
                                    override_worker=w, override_reason="Test")
    outsider = make_user(Role.SOCIAL_WORKER)
    allocate(leader, override_worker=outsider, override_reason="Test")
    with CaptureQueriesContext(connection) as queries:
        rows = selectors.rota_fairness(since=dt.date(2025, 12, 1), until=TODAY)
    assert len(queries) == 3 and len(rows) == size + 1


# --- The referral workspace's view of allocation --------------------------------------------------


def test_allocation_state_for_the_referral_workspace(leader):
    a, = rota_of(1)
    child = new_child()
    referral = referral_for(child, team=leader.team, recorded_by=leader)
    before = selectors.allocation_state(referral, today=TODAY, next_url="/referrals/{referral}/")
    assert not before.done and before.worker is None
    assert before.url == (f"/allocation/children/{child.pk}/?referral={referral.pk}"
                          f"&next=%2Freferrals%2F{referral.pk}%2F")
    turn = allocate(leader, child, referral=referral)
    after = selectors.allocation_state(referral, today=TODAY)
    assert after.done and after.worker == a and after.turn == turn


def test_allocation_states_of_many_referrals_take_two_queries(leader):
    rota_of(3)
    referrals = [referral_for(new_child(), team=leader.team, recorded_by=leader) for _ in range(5)]
    for r in referrals[:3]:
        allocate(leader, r.child, referral=r)
    with CaptureQueriesContext(connection) as queries:
        states = selectors.allocation_states(referrals, today=TODAY)
    assert len(queries) == 2
    assert [states[r.pk].done for r in referrals] == [True, True, True, False, False]


# --- Keeping the rota -----------------------------------------------------------------------------


def test_adding_workers_puts_them_at_the_end_and_is_audited(leader, make_user):
    first, second = make_user(Role.SOCIAL_WORKER), make_user(Role.SOCIAL_WORKER)
    m1 = services.rota_add_member(actor=leader, user=first, today=TODAY, request_id="add")
    m2 = services.rota_add_member(actor=leader, user=second, uasc_trained_on=dt.date(2026, 3, 1), today=TODAY)
    assert (m1.position, m2.position) == (1, 2)
    assert (m1.uasc_trained, m2.uasc_trained, m2.uasc_trained_on) == (False, True, dt.date(2026, 3, 1))
    assert AuditEvent.objects.get(request_id="add").record_type == "allocation.RotaMember"


ADD_REFUSALS = [
    ("already on the rota", "user", "is already on the rota"),
    ("not a social worker", "user", "Select an active social worker"),
    ("training in the future", "uasc_trained_on", "Date of UASC training must be today or in the past"),
]


@pytest.mark.parametrize(("case", "field", "message"), ADD_REFUSALS, ids=[r[0] for r in ADD_REFUSALS])
def test_adding_a_worker_refusals(case, field, message, leader, make_user):
    worker = make_user(Role.SOCIAL_WORKER)
    trained_on = None
    if case == "already on the rota":
        services.rota_add_member(actor=leader, user=worker, today=TODAY)
    elif case == "not a social worker":
        worker = make_user(Role.IRO)
    else:
        trained_on = TODAY + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        services.rota_add_member(actor=leader, user=worker, uasc_trained_on=trained_on, today=TODAY)
    assert message in refused.value.message_dict[field][0]


def test_a_worker_taken_off_the_rota_goes_back_at_the_end(leader):
    a, b, c = rota_of(3)
    member = RotaMember.objects.get(user=a)
    services.rota_set_active(actor=leader, member=member, active=False)
    assert selectors.propose_worker(today=TODAY).worker == b
    again = services.rota_add_member(actor=leader, user=a, today=TODAY)
    assert again.active and again.position == RotaMember.objects.get(user=c).position + 1


def test_moving_a_worker_up_and_down_swaps_places(leader):
    a, b, c = rota_of(3)
    services.rota_move(actor=leader, member=RotaMember.objects.get(user=c), direction="up", request_id="mv")
    assert [m.user for m in RotaMember.objects.order_by("position")] == [a, c, b]
    services.rota_move(actor=leader, member=RotaMember.objects.get(user=a), direction="down")
    assert [m.user for m in RotaMember.objects.order_by("position")] == [c, a, b]
    # At the top already: nothing changes.
    services.rota_move(actor=leader, member=RotaMember.objects.get(user=c), direction="up")
    assert [m.user for m in RotaMember.objects.order_by("position")] == [c, a, b]
    assert AuditEvent.objects.filter(request_id="mv").count() == 2


def test_recording_training_and_leave(leader):
    a, = rota_of(1, trained=False)
    services.rota_record_training(actor=leader, member=RotaMember.objects.get(user=a), trained_on=TODAY,
                                  today=TODAY)
    assert selectors.propose_worker(today=TODAY).worker == a
    leave = services.leave_record(actor=leader, user=a, start=TODAY, end=TODAY + dt.timedelta(days=4),
                                  reason=" Annual leave ", request_id="leave")
    assert leave.reason == "Annual leave"
    assert selectors.propose_worker(today=TODAY).skipped == [(a, "On leave until 27 November")]
    assert AuditEvent.objects.get(request_id="leave").record_type == "allocation.Leave"


def test_leave_must_end_on_or_after_its_start(leader):
    a, = rota_of(1)
    with pytest.raises(ValidationError) as refused:
        services.leave_record(actor=leader, user=a, start=TODAY, end=TODAY - dt.timedelta(days=1))
    assert refused.value.message_dict == {"end": ["End date must be the same as or after the start date"]}
    assert not Leave.objects.exists()


def test_training_cannot_be_in_the_future(leader):
    a, = rota_of(1, trained=False)
    with pytest.raises(ValidationError) as refused:
        services.rota_record_training(actor=leader, member=RotaMember.objects.get(user=a),
                                      trained_on=TODAY + dt.timedelta(days=1), today=TODAY)
    assert "trained_on" in refused.value.message_dict


def test_practice_leads_are_named_and_stood_down(leader, make_user):
    lead_user = make_user(Role.TEAM_MANAGER)
    lead = services.practice_lead_add(actor=leader, user=lead_user, specialism="Age assessment")
    with pytest.raises(ValidationError):
        services.practice_lead_add(actor=leader, user=lead_user)
    assert [p.user for p in selectors.propose_worker(today=TODAY).practice_leads] == [lead_user]
    services.practice_lead_stand_down(actor=leader, lead=lead)
    assert selectors.propose_worker(today=TODAY).practice_leads == []


@pytest.mark.parametrize("call", ["add", "move", "training", "active", "leave", "lead"])
def test_only_team_leaders_and_managers_keep_the_rota(call, make_user):
    worker, = rota_of(1)
    member = RotaMember.objects.get(user=worker)
    actor = make_user(Role.SOCIAL_WORKER)
    calls = {
        "add": lambda: services.rota_add_member(actor=actor, user=make_user(Role.SOCIAL_WORKER), today=TODAY),
        "move": lambda: services.rota_move(actor=actor, member=member, direction="up"),
        "training": lambda: services.rota_record_training(actor=actor, member=member, trained_on=TODAY, today=TODAY),
        "active": lambda: services.rota_set_active(actor=actor, member=member, active=False),
        "leave": lambda: services.leave_record(actor=actor, user=worker, start=TODAY, end=TODAY),
        "lead": lambda: services.practice_lead_add(actor=actor, user=worker),
    }
    with pytest.raises(PermissionDenied):
        calls[call]()
