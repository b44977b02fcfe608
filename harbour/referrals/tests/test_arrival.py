"""The child's arrival: the transfer in or outside the deadline, the statutory clocks, the tasks
that follow, the Home Office funding, and nothing half-saved when anything goes wrong."""

from __future__ import annotations

import datetime as dt
import uuid
import zoneinfo
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from harbour.accounts.models import Allocation, Role
from harbour.audit.models import AuditEvent
from harbour.children import selectors as child_selectors
from harbour.children import services as child_services
from harbour.children.models import ChronologyEntry, LegalStatusPeriod, PeriodLookedAfter
from harbour.core.calendar import council_calendar
from harbour.core.models import CouncilSettings
from harbour.domain.funding import rate_in_force
from harbour.domain.timescales import nts_transfer_due
from harbour.placements.models import Placement
from harbour.referrals import services_arrival as arrival_services
from harbour.referrals.funding_rates import DEFAULT_RATES, load_default_rates
from harbour.referrals.models import (
    Arrival,
    ArrivalTask,
    FundingClaim,
    HomeOfficeFundingRate,
    Referral,
    Section20Approval,
)

pytestmark = pytest.mark.django_db
LONDON = zoneinfo.ZoneInfo("Europe/London")
CALENDAR = council_calendar()


def at(year: int, month: int, day: int, hour: int = 12, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=LONDON)


@dataclass
class Intake:
    team: Any
    leader: Any
    worker: Any
    manager: Any
    placements: Any
    director: Any


@pytest.fixture
def intake(make_team, make_user) -> Intake:
    team = make_team("Children in care team 2")
    return Intake(
        team=team,
        leader=make_user(Role.TEAM_LEADER, team=team),
        worker=make_user(Role.SOCIAL_WORKER, team=team),
        manager=make_user(Role.TEAM_MANAGER),
        placements=make_user(Role.PLACEMENTS_OFFICER),
        director=make_user(Role.DIRECTOR),
    )


def make_referral(
    intake: Intake, *, received_at: dt.datetime, date_of_birth: dt.date | None = dt.date(2010, 3, 14),
    status: str = Referral.Status.ACCEPTED, approved: bool = True, allocated: bool = True,
) -> Referral:
    """An NTS child opened the day the referral came, with the referral accepted and (by default)
    section 20 approved and a social worker allocated."""
    opened_on = received_at.astimezone(LONDON).date()
    child = child_services.child_create(
        actor=intake.leader, identity={"given_names": "Dawit", "family_name": "Tesfay", "is_uasc": True},
        date_of_birth=date_of_birth, date_of_birth_source="claimed", social_worker=intake.worker, today=opened_on,
    )
    if not allocated:
        Allocation.objects.filter(child=child).delete()
    referral = Referral.objects.create(
        child=child, team=intake.team, received_at=received_at, referring_authority="Home Office NTS team",
        nts_reference=f"NTS-{uuid.uuid4().hex[:8]}", transfer_due=nts_transfer_due(opened_on, CALENDAR, 5),
        transfer_working_days=5, status=status, recorded_by=intake.leader,
    )
    if approved:
        Section20Approval.objects.create(referral=referral, approved_by=intake.director,
                                         approved_at=received_at + dt.timedelta(hours=2))
    return referral


def arrive(referral: Referral, actor: Any, arrived_at: dt.datetime, *, now: dt.datetime | None = None,
           today: dt.date | None = None, **overrides: Any) -> Arrival:
    now = now or arrived_at + dt.timedelta(hours=1)
    values = {"placement_type": "K2", "carer_or_provider": "Harbourside intake base", "postcode": "hs1 2ab"}
    values.update(overrides)
    return arrival_services.record_arrival(
        actor=actor, referral=referral, arrived_at=arrived_at, now=now,
        today=today or now.astimezone(LONDON).date(), calendar=CALENDAR, **values,
    )


def nothing_saved(referral: Referral) -> None:
    child = referral.child
    assert not Placement.objects.filter(child=child).exists()
    assert not PeriodLookedAfter.objects.filter(child=child).exists()
    assert not LegalStatusPeriod.objects.filter(child=child).exists()
    assert not Arrival.objects.filter(referral=referral).exists()
    assert not ArrivalTask.objects.filter(referral=referral).exists()
    assert not FundingClaim.objects.filter(referral=referral).exists()
    assert not ChronologyEntry.objects.filter(child=child).exists()


# --- In or outside the deadline --------------------------------------------------------------------

# (case, received, arrived, within the deadline, working days taken, what the page says)
OUTCOMES = [
    ("arrives on the 5th working day", at(2026, 11, 9, 10), at(2026, 11, 16, 15), True, 5,
     "Transfer made within 5 working days"),
    ("arrives the day the referral came", at(2026, 11, 9, 10), at(2026, 11, 9, 18), True, 0,
     "Transfer made within 5 working days"),
    ("arrives on the 6th working day", at(2026, 11, 9, 10), at(2026, 11, 17, 9), False, 6,
     "Transfer made in 6 working days: outside the deadline"),
    ("referred on a Friday, arrives the next Friday", at(2026, 11, 13, 16), at(2026, 11, 20, 20), True, 5,
     "Transfer made within 5 working days"),
    ("arrives on a Saturday after the deadline", at(2026, 11, 9, 10), at(2026, 11, 21, 11), False, 9,
     "Transfer made in 9 working days: outside the deadline"),
    # Summer bank holiday, Monday 31 August 2026: the 5th working day after Monday 24 August is
    # Tuesday 1 September, so the Tuesday is in time and the Wednesday is not.
    ("arrives the Tuesday after the bank holiday weekend", at(2026, 8, 24, 9), at(2026, 9, 1, 17), True, 5,
     "Transfer made within 5 working days"),
    ("arrives after the bank holiday weekend", at(2026, 8, 24, 9), at(2026, 9, 2, 11), False, 6,
     "Transfer made in 6 working days: outside the deadline"),
]


@pytest.mark.parametrize(("case", "received", "arrived", "within", "days", "text"), OUTCOMES,
                         ids=[row[0] for row in OUTCOMES])
def test_the_transfer_is_in_or_outside_the_deadline(case, received, arrived, within, days, text, intake):
    referral = make_referral(intake, received_at=received)
    arrival = arrive(referral, intake.leader, arrived)
    assert (arrival.within_deadline, arrival.working_days_taken) == (within, days)
    assert arrival_services.outcome_text(arrival, referral) == text


# --- Refusals, with nothing saved -------------------------------------------------------------------

@dataclass(frozen=True)
class Refusal:
    case: str
    field: str
    message: str | None  # None: the message belongs to another module (section 20 sign-off)
    arrived_at: dt.datetime = at(2026, 11, 12, 14)
    now: dt.datetime = at(2026, 11, 12, 15)
    referral: dict[str, Any] | None = None
    values: dict[str, Any] | None = None


RECEIVED = at(2026, 11, 10, 11)
REFUSALS = [
    Refusal("arrival the day before the referral came", "arrived_at",
            "Date of arrival must be on or after the date the referral was received", arrived_at=at(2026, 11, 9, 14)),
    Refusal("arrival earlier on the day the referral came", "arrived_at",
            "Time of arrival must be after the referral was received, at 11:00am", arrived_at=at(2026, 11, 10, 9)),
    Refusal("arrival tomorrow", "arrived_at", "Date of arrival must be today or in the past",
            arrived_at=at(2026, 11, 13, 9), now=at(2026, 11, 12, 15)),
    Refusal("arrival later today", "arrived_at", "Time of arrival must be now or in the past",
            arrived_at=at(2026, 11, 12, 18), now=at(2026, 11, 12, 15)),
    Refusal("section 20 not approved", "section20", None, referral={"approved": False}),
    Refusal("no social worker allocated", "allocation", "Allocate a social worker before recording arrival",
            referral={"allocated": False}),
    Refusal("referral not accepted yet", "referral", "Accept the referral before recording the child's arrival",
            referral={"status": Referral.Status.RECEIVED}),
    Refusal("referral contested", "referral",
            "This referral is contested: accept it before recording the child's arrival",
            referral={"status": Referral.Status.CONTESTED}),
    Refusal("no carer or provider", "carer_or_provider",
            "Enter the name of the carer or provider, for example Harbourside intake base",
            values={"carer_or_provider": "   "}),
    Refusal("unknown placement type", "placement_type", "Select the type of first placement",
            values={"placement_type": "Q9"}),
    Refusal("not a postcode", "postcode", "Enter a real postcode, like HS1 2AB", values={"postcode": "HARBOUR"}),
]


@pytest.mark.parametrize("refusal", REFUSALS, ids=[r.case for r in REFUSALS])
def test_bad_arrivals_are_refused_with_the_field_and_nothing_is_saved(refusal, intake):
    referral = make_referral(intake, received_at=RECEIVED, **(refusal.referral or {}))
    status_before = referral.status
    with pytest.raises(ValidationError) as raised:
        arrive(referral, intake.leader, refusal.arrived_at, now=refusal.now, **(refusal.values or {}))
    messages = raised.value.message_dict[refusal.field]
    assert messages == [refusal.message] if refusal.message else len(messages) == 1 and messages[0]
    nothing_saved(referral)
    referral.refresh_from_db()
    assert referral.status == status_before


def test_an_arrival_before_the_childs_date_of_birth_is_refused(intake):
    referral = make_referral(intake, received_at=RECEIVED, date_of_birth=None)
    child_services.date_of_birth_record(actor=intake.leader, child=referral.child, date_of_birth=dt.date(2026, 11, 12),
                                        source="claimed", use_it=True, today=dt.date(2026, 11, 12))
    with pytest.raises(ValidationError) as raised:
        arrive(referral, intake.leader, at(2026, 11, 11, 14))
    assert raised.value.message_dict["arrived_at"] == ["Date of arrival must be on or after the child's date of birth"]
    nothing_saved(referral)


def test_every_problem_is_named_at_once(intake):
    referral = make_referral(intake, received_at=RECEIVED, approved=False, allocated=False)
    with pytest.raises(ValidationError) as raised:
        arrive(referral, intake.leader, at(2026, 11, 9, 9), carer_or_provider="")
    assert set(raised.value.message_dict) == {"section20", "allocation", "arrived_at", "carer_or_provider"}


def test_an_arrival_is_recorded_once(intake):
    referral = make_referral(intake, received_at=RECEIVED)
    arrive(referral, intake.leader, at(2026, 11, 12, 14))
    with pytest.raises(ValidationError) as raised:
        arrive(referral, intake.leader, at(2026, 11, 12, 16))
    assert raised.value.message_dict["referral"] == ["The child's arrival has already been recorded"]
    assert Placement.objects.filter(child=referral.child).count() == 1


def test_a_child_already_in_care_cannot_start_a_second_period_on_arrival(intake):
    referral = make_referral(intake, received_at=RECEIVED)
    child_services.period_looked_after_add(actor=intake.leader, child=referral.child, start=dt.date(2026, 11, 1),
                                           end=None, today=dt.date(2026, 11, 12))
    with pytest.raises(ValidationError) as raised:
        arrive(referral, intake.leader, at(2026, 11, 12, 14))
    assert raised.value.message_dict["arrived_at"] == [
        "Period of care must not overlap the one that starts on 1 November 2026"]
    assert not Arrival.objects.exists() and not Placement.objects.exists()


@pytest.mark.parametrize(("who", "allowed"), [
    ("leader", True), ("manager", True), ("worker", True), ("placements", False), ("director", False),
    ("another social worker", False),
])
def test_who_may_record_the_arrival(who, allowed, intake, make_user):
    referral = make_referral(intake, received_at=RECEIVED)
    actor = make_user(Role.SOCIAL_WORKER, team=intake.team) if who == "another social worker" else getattr(intake, who)
    if allowed:
        assert arrive(referral, actor, at(2026, 11, 12, 14)).recorded_by == actor
    else:
        with pytest.raises(PermissionDenied):
            arrive(referral, actor, at(2026, 11, 12, 14))
        nothing_saved(referral)


# --- Everything that follows arrival -----------------------------------------------------------------

def test_arrival_places_the_child_starts_the_clocks_and_sets_the_tasks(intake):
    referral = make_referral(intake, received_at=at(2026, 11, 9, 10))
    arrival = arrive(referral, intake.worker, at(2026, 11, 16, 15, 30), carer_or_provider="  Harbourside   intake base ")
    child = referral.child
    referral.refresh_from_db()
    assert referral.status == Referral.Status.ARRIVED and referral.version == 2

    placement = Placement.objects.get(child=child)
    assert arrival.first_placement == placement
    assert (placement.start, placement.end, placement.placement_type, placement.carer_or_provider, placement.postcode) == (
        dt.date(2026, 11, 16), None, "K2", "Harbourside intake base", "HS1 2AB")
    assert PeriodLookedAfter.objects.get(child=child).start == dt.date(2026, 11, 16)
    legal = LegalStatusPeriod.objects.get(child=child)
    assert (legal.legal_status, legal.start, legal.end) == ("V2", dt.date(2026, 11, 16), None)

    # The statutory clocks of the child's record start on the day of arrival (SI 2010/959 reg 33:
    # the first review within 20 working days of becoming looked after).
    deadlines = child_selectors.child_deadlines(child=child, today=dt.date(2026, 11, 17), calendar=CALENDAR,
                                                nts_working_days=5)
    due = {d.duty: d.due for d in deadlines}
    assert due["first_review"] == dt.date(2026, 12, 14)
    assert due["health_assessment"] == dt.date(2026, 12, 14)
    assert due["care_plan"] == dt.date(2026, 11, 30)

    tasks = {t.kind: t for t in ArrivalTask.objects.filter(referral=referral)}
    assert set(tasks) == {"legal_advice", "health_assessment"}
    # Legal advice: the council's 5 working days (a practice standard). Initial health assessment:
    # by the first review (domain.timescales.first_health_assessment_due).
    assert tasks["legal_advice"].due == dt.date(2026, 11, 23)
    assert tasks["health_assessment"].due == dt.date(2026, 12, 14)
    assert {t.assigned_to for t in tasks.values()} == {intake.worker}
    assert all(t.child == child and t.done_at is None for t in tasks.values())
    assert [t.kind for t in arrival_services.open_arrival_tasks(child)] == ["legal_advice", "health_assessment"]

    entry = ChronologyEntry.objects.get(child=child)
    assert entry.title == "Arrived in the council's care" and entry.kind == "significant_event"
    assert entry.description == (f"Placed with Harbourside intake base (K2: children's home), accommodated under "
                                 f"section 20. National Transfer Scheme referral {referral.nts_reference}: transfer "
                                 "made within 5 working days.")

    audited = set(AuditEvent.objects.filter(child_id=child.pk).values_list("record_type", flat=True))
    assert {"placements.Placement", "children.PeriodLookedAfter", "children.LegalStatusPeriod",
            "referrals.Arrival", "referrals.ArrivalTask", "referrals.FundingClaim", "referrals.Referral",
            "children.ChronologyEntry"} <= audited


def test_the_legal_advice_deadline_is_the_councils_setting(intake):
    settings = CouncilSettings.current()
    settings.legal_advice_working_days = 2
    settings.save()
    referral = make_referral(intake, received_at=at(2026, 11, 9, 10))
    arrive(referral, intake.leader, at(2026, 11, 13, 15))  # a Friday
    assert ArrivalTask.objects.get(referral=referral, kind="legal_advice").due == dt.date(2026, 11, 17)


def test_a_failure_in_the_last_step_leaves_nothing_half_saved(intake, monkeypatch):
    referral = make_referral(intake, received_at=RECEIVED)
    audit_rows = AuditEvent.objects.count()

    def fail(**_: Any) -> None:
        raise RuntimeError("database went away")

    monkeypatch.setattr(child_services, "chronology_add", fail)
    with pytest.raises(RuntimeError):
        arrive(referral, intake.leader, at(2026, 11, 12, 14))
    nothing_saved(referral)
    referral.refresh_from_db()
    assert referral.status == Referral.Status.ACCEPTED and referral.version == 1
    assert AuditEvent.objects.count() == audit_rows


# --- Home Office funding -----------------------------------------------------------------------------

RATES_2026 = [
    ("Under 16 from April 2026 (test)", dt.date(2026, 4, 1), None, 0, 15, "120.00", "0"),
    ("Aged 16 or 17 from April 2026 (test)", dt.date(2026, 4, 1), None, 16, 17, "100.00", "0"),
]
ARRIVED = at(2026, 11, 16, 15)


def add_rates(rows: list[tuple]) -> None:
    for description, start, end, low, high, nightly, one_off in rows:
        HomeOfficeFundingRate.objects.create(description=description, start=start, end=end, min_age=low, max_age=high,
                                             nightly_rate=Decimal(nightly), one_off_amount=Decimal(one_off),
                                             source="[unconfirmed] test rate")


# (case, date of birth, rates, nightly rate, one-off, age on arrival, basis starts with)
FUNDING = [
    ("15 on the day of arrival", dt.date(2010, 11, 17), RATES_2026, "120.00", "0", 15,
     "£120 a night from 16 November 2026, for a child of 15: Under 16 from April 2026 (test)"),
    ("16th birthday on the day of arrival", dt.date(2010, 11, 16), RATES_2026, "100.00", "0", 16,
     "£100 a night from 16 November 2026, for a child of 16: Aged 16 or 17 from April 2026 (test)"),
    ("a later rate replaces an earlier one, with a one-off payment", dt.date(2010, 11, 17),
     [*RATES_2026, ("Incentive (test)", dt.date(2026, 10, 1), dt.date(2026, 12, 31), 0, 17, "143.50", "6000")],
     "143.50", "6000", 15, "£143.50 a night from 16 November 2026, for a child of 15: Incentive (test), and a one-off £6,000"),
    ("no rate recorded for the date", dt.date(2010, 11, 17), [], None, "0", 15,
     "No Home Office rate recorded for 16 November 2026 — add the rate in force to claim"),
    ("a rate that ended before the arrival", dt.date(2010, 11, 17),
     [("Old rate (test)", dt.date(2025, 4, 1), dt.date(2026, 3, 31), 0, 17, "114", "0")], None, "0", 15,
     "No Home Office rate recorded for 16 November 2026 — add the rate in force to claim"),
    ("no rate for the child's age on the date", dt.date(2010, 11, 17), RATES_2026[1:], None, "0", 15,
     "No Home Office rate recorded for a child of 15 on 16 November 2026 — add the rate in force to claim"),
    ("18th birthday before arrival", dt.date(2008, 11, 10), RATES_2026, None, "0", 18,
     "The child was 18 on arrival (16 November 2026): the Home Office rates for children stop at the 18th birthday"),
    ("no date of birth", None, RATES_2026, None, "0", None,
     "No date of birth recorded, so no Home Office rate can be chosen — record the child's date of birth to claim"),
]


@pytest.mark.parametrize(("case", "dob", "rates", "nightly", "one_off", "age", "basis"), FUNDING,
                         ids=[row[0] for row in FUNDING])
def test_the_funding_follows_the_rate_in_force_for_the_childs_age(case, dob, rates, nightly, one_off, age, basis,
                                                                   intake):
    add_rates(rates)
    referral = make_referral(intake, received_at=at(2026, 11, 10, 9), date_of_birth=dob)
    arrive(referral, intake.leader, ARRIVED)
    claim = FundingClaim.objects.get(referral=referral)
    assert claim.nightly_rate == (Decimal(nightly) if nightly else None)
    assert (claim.rate is None) == (nightly is None)
    assert claim.one_off_amount == Decimal(one_off)
    assert (claim.age_on_arrival, claim.claim_from, claim.child) == (age, dt.date(2026, 11, 16), referral.child)
    assert claim.basis.startswith(basis)


def test_the_default_rates_load_once_and_give_the_rate_of_their_day():
    assert load_default_rates() == len(DEFAULT_RATES)
    assert load_default_rates() == 0
    assert HomeOfficeFundingRate.objects.count() == len(DEFAULT_RATES)
    assert all(r.source.startswith(("[secondary]", "[primary]")) for r in HomeOfficeFundingRate.objects.all())
    rates = arrival_services.dated_rates(HomeOfficeFundingRate.objects.all())

    def nightly(dob: dt.date, on: dt.date) -> Decimal | None:
        rate = rate_in_force(rates, date_of_birth=dob, on=on)
        return rate.nightly_rate if rate else None

    assert nightly(dt.date(2002, 1, 10), dt.date(2017, 7, 3)) == Decimal("114.00")  # 15: under 16 from July 2016
    assert nightly(dt.date(2001, 1, 10), dt.date(2017, 7, 3)) == Decimal("91.00")  # 16
    assert nightly(dt.date(2004, 1, 10), dt.date(2021, 7, 3)) == Decimal("114.00")  # 17: the flat rate
    assert nightly(dt.date(2000, 1, 10), dt.date(2014, 9, 1)) == Decimal("95.00")  # 14: 2014-15 instructions
    assert nightly(dt.date(1998, 1, 10), dt.date(2014, 9, 1)) == Decimal("71.00")  # 16
    assert nightly(dt.date(2000, 1, 10), dt.date(2015, 9, 1)) is None  # no source for 2015-16
    assert nightly(dt.date(2010, 1, 10), dt.date(2026, 11, 16)) is None  # nothing confirmed after February 2023


def test_a_council_with_the_most_uasc_loads_the_higher_rate():
    load_default_rates(higher_rate=True)
    higher = HomeOfficeFundingRate.objects.get(start=dt.date(2020, 6, 1))
    assert higher.nightly_rate == Decimal("143.00") and higher.description.endswith("(higher rate)")


# --- The placement ------------------------------------------------------------------------------------

def test_the_placement_search_starts_once_and_the_confirmation_stops_the_alert(intake):
    referral = make_referral(intake, received_at=RECEIVED, status=Referral.Status.RECEIVED, approved=False)
    first, later = at(2026, 11, 10, 12), at(2026, 11, 10, 15)
    arrival_services.placement_search_start(actor=intake.placements, referral=referral, now=first)
    arrival_services.placement_search_start(actor=intake.leader, referral=referral, now=later)
    referral.refresh_from_db()
    assert referral.placement_search_started_at == first and referral.version == 2

    with pytest.raises(ValidationError) as raised:
        arrival_services.placement_confirm(actor=intake.placements, referral=referral, description="  ", now=later)
    assert raised.value.message_dict == {"description": ["Enter where the child will live, for example Harbourside intake base"]}

    arrival_services.placement_confirm(actor=intake.manager, referral=referral, description=" Harbourside  intake base",
                                       now=later)
    referral.refresh_from_db()
    assert (referral.placement_confirmed_at, referral.placement_confirmed_description) == (later, "Harbourside intake base")
    assert referral.placement_search_started_at == first
    assert AuditEvent.objects.filter(record_type="referrals.Referral", record_id=str(referral.pk)).count() == 2


@pytest.mark.parametrize("who", ["worker", "director"])
def test_only_placements_officers_leaders_and_managers_handle_the_placement(who, intake):
    referral = make_referral(intake, received_at=RECEIVED)
    with pytest.raises(PermissionDenied):
        arrival_services.placement_search_start(actor=getattr(intake, who), referral=referral, now=RECEIVED)
    with pytest.raises(PermissionDenied):
        arrival_services.placement_confirm(actor=getattr(intake, who), referral=referral, description="Base", now=RECEIVED)


@pytest.mark.parametrize(("status", "message"), [
    (Referral.Status.WITHDRAWN, "This referral was withdrawn, so no placement is being arranged"),
    (Referral.Status.CONTESTED, "This referral is contested, so no placement is being arranged"),
])
def test_no_placement_for_a_closed_referral(status, message, intake):
    referral = make_referral(intake, received_at=RECEIVED, status=status)
    with pytest.raises(ValidationError) as raised:
        arrival_services.placement_confirm(actor=intake.leader, referral=referral, description="Base", now=RECEIVED)
    assert raised.value.message_dict == {"referral": [message]}


# --- Tasks ---------------------------------------------------------------------------------------------

def test_the_allocated_worker_marks_a_task_done_once(intake):
    referral = make_referral(intake, received_at=RECEIVED)
    arrive(referral, intake.leader, at(2026, 11, 12, 14))
    task = ArrivalTask.objects.get(referral=referral, kind="legal_advice")
    with pytest.raises(PermissionDenied):
        arrival_services.complete_task(actor=intake.placements, task=task, now=at(2026, 11, 13))
    done = arrival_services.complete_task(actor=intake.worker, task=task, now=at(2026, 11, 13))
    again = arrival_services.complete_task(actor=intake.leader, task=task, now=at(2026, 11, 14))
    assert done.done_at == again.done_at == at(2026, 11, 13)
    assert [t.kind for t in arrival_services.open_arrival_tasks(referral.child)] == ["health_assessment"]
    assert AuditEvent.objects.filter(record_type="referrals.ArrivalTask", action="update").count() == 1


# --- Pages ----------------------------------------------------------------------------------------------

NOW = at(2026, 11, 18, 12)  # a Wednesday


def date_fields(name: str, day: dt.date) -> dict[str, str]:
    return {f"{name}-day": str(day.day), f"{name}-month": str(day.month), f"{name}-year": str(day.year)}


def arrival_form(day: dt.date = dt.date(2026, 11, 17), time: str = "9:30am", **changes: str) -> dict[str, str]:
    return {**date_fields("arrived_on", day), "arrived_time": time, "placement_type": "K2",
            "carer_or_provider": "Harbourside intake base", "postcode": "", **changes}


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def page_referral(intake, frozen) -> Referral:
    return make_referral(intake, received_at=at(2026, 11, 16, 10))


def test_the_arrival_form_records_the_arrival_and_shows_the_outcome(page_referral, intake, signed_in, frozen):
    client = signed_in(intake.leader)
    url = f"/referrals/{page_referral.pk}/arrival/"
    page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Record the child&#39;s arrival" in text and "Type of first placement" in text
    assert "3 working days left – due Monday 23 November 2026" in text

    response = client.post(url, arrival_form(postcode="hs1 2ab"))
    assert response.status_code == 302 and response["Location"] == f"/referrals/{page_referral.pk}/arrival/done/"
    arrival = Arrival.objects.get(referral=page_referral)
    assert arrival.arrived_at == at(2026, 11, 17, 9, 30) and arrival.first_placement.postcode == "HS1 2AB"

    done = client.get(response["Location"]).content.decode()
    assert "govuk-panel" in done and "Arrival recorded" in done
    assert "Transfer made within 5 working days" in done
    assert "Refer for immigration legal advice" in done and "Request the initial health assessment" in done
    assert "No Home Office rate recorded for 17 November 2026 — add the rate in force to claim" in done
    # Coming into care: the page asks for the previous permanence the SSDA903 return needs.
    assert f"/returns/children/{page_referral.child.pk}/previous-permanence/" in done
    # Once recorded, the form sends people to what was recorded.
    assert client.get(url)["Location"] == f"/referrals/{page_referral.pk}/arrival/done/"


def test_a_late_arrival_says_so_on_the_confirmation(intake, signed_in, frozen):
    referral = make_referral(intake, received_at=at(2026, 11, 6, 10))  # due Friday 13 November
    add_rates(RATES_2026)
    client = signed_in(intake.worker)
    assert client.post(f"/referrals/{referral.pk}/arrival/", arrival_form()).status_code == 302
    done = client.get(f"/referrals/{referral.pk}/arrival/done/").content.decode()
    assert "Transfer made in 7 working days: outside the deadline" in done
    assert "£100 a night" in done  # 16 on arrival


# (case, form changes, status, messages in the summary, links in the summary)
FORM_ERRORS = [
    ("nothing entered", {"arrived_on-day": "", "arrived_on-month": "", "arrived_on-year": "", "arrived_time": "",
                         "placement_type": "", "carer_or_provider": ""},
     ["Enter the date of arrival", "Enter the time of arrival", "Select the type of first placement",
      "Enter the name of the carer or provider, for example Harbourside intake base"],
     ["#id_arrived_on-day", "#id_arrived_time", "#id_placement_type", "#id_carer_or_provider"]),
    ("not a time", {"arrived_time": "25:10"}, ["Time of arrival must be a real time, like 9:30am or 14:30"],
     ["#id_arrived_time"]),
    ("tomorrow", date_fields("arrived_on", dt.date(2026, 11, 19)), ["Date of arrival must be today or in the past"],
     ["#id_arrived_on-day"]),
    ("later today", {**date_fields("arrived_on", dt.date(2026, 11, 18)), "arrived_time": "18:00"},
     ["Time of arrival must be now or in the past"], ["#id_arrived_time"]),
    ("before the referral", date_fields("arrived_on", dt.date(2026, 11, 15)),
     ["Date of arrival must be on or after the date the referral was received"], ["#id_arrived_on-day"]),
    ("not a postcode", {"postcode": "NOT A POSTCODE"}, ["Enter a real postcode, like HS1 2AB"], ["#id_postcode"]),
]


@pytest.mark.parametrize(("case", "changes", "messages", "links"), FORM_ERRORS, ids=[row[0] for row in FORM_ERRORS])
def test_bad_input_gets_the_error_summary_and_422(case, changes, messages, links, page_referral, intake, signed_in):
    response = signed_in(intake.leader).post(f"/referrals/{page_referral.pk}/arrival/", arrival_form(**changes))
    assert response.status_code == 422
    text = response.content.decode().replace("&#39;", "'")
    assert "There is a problem" in text and "<title>Error: Record the child's arrival" in text
    for message in messages:
        assert message in text
    for link in links:
        assert f'href="{link}"' in text
    nothing_saved(page_referral)


def test_the_form_says_what_is_missing_and_refuses_without_section_20(intake, signed_in, frozen):
    referral = make_referral(intake, received_at=at(2026, 11, 16, 10), approved=False)
    client = signed_in(intake.leader)
    page = client.get(f"/referrals/{referral.pk}/arrival/").content.decode().replace("&#39;", "'")
    assert "You cannot record the arrival yet" in page
    assert "The director must approve section 20 accommodation" in page and "Record arrival" not in page
    response = client.post(f"/referrals/{referral.pk}/arrival/", arrival_form())
    assert response.status_code == 422
    assert "The director must approve section 20 accommodation" in response.content.decode().replace("&#39;", "'")
    nothing_saved(referral)


def test_the_placement_page_starts_the_search_and_confirms_the_placement(page_referral, intake, signed_in):
    client = signed_in(intake.placements)
    url = f"/referrals/{page_referral.pk}/placement/"
    page = client.get(url)
    assert page.status_code == 200 and "Not started" in page.content.decode()
    assert "Record the child&#39;s arrival" not in page.content.decode()  # not the placements officer's job
    assert client.post(url, {"action": "start"}).status_code == 302
    empty = client.post(url, {"action": "confirm", "description": ""})
    assert empty.status_code == 422
    assert "Enter where the child will live, for example Harbourside intake base" in empty.content.decode()
    assert client.post(url, {"action": "confirm", "description": "Harbourside intake base"}).status_code == 302
    page_referral.refresh_from_db()
    assert page_referral.placement_search_started_at == NOW
    assert page_referral.placement_confirmed_description == "Harbourside intake base"
    shown = client.get(url).content.decode()
    assert "Started 18 November 2026 at midday" in shown and "Harbourside intake base, confirmed" in shown
    # What the placements officer confirmed is what the arrival form starts from.
    form = signed_in(intake.leader).get(f"/referrals/{page_referral.pk}/arrival/").content.decode()
    assert 'value="Harbourside intake base"' in form


def test_the_placement_page_refuses_a_closed_referral_with_422(intake, signed_in, frozen):
    referral = make_referral(intake, received_at=at(2026, 11, 16, 10), status=Referral.Status.WITHDRAWN)
    response = signed_in(intake.leader).post(f"/referrals/{referral.pk}/placement/", {"action": "start"})
    assert response.status_code == 422
    assert "This referral was withdrawn, so no placement is being arranged" in response.content.decode()


def test_a_task_is_marked_done_from_the_confirmation_page(page_referral, intake, signed_in):
    arrive(page_referral, intake.leader, at(2026, 11, 17, 9), now=NOW)
    task = ArrivalTask.objects.get(referral=page_referral, kind="legal_advice")
    url = f"/referrals/{page_referral.pk}/arrival/tasks/{task.pk}/done/"
    assert signed_in(intake.placements).post(url).status_code == 404
    assert signed_in(intake.worker).get(url).status_code == 405
    response = signed_in(intake.worker).post(url)
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.done_at == NOW


# (who, page, the form is there). Anyone working on the referral sees where the placement and the
# arrival stand; only the roles that do the step get the form, and anyone else's POST is a 404.
ROLE_PAGES = [
    ("placements", "placement", True), ("placements", "arrival", False),
    ("worker", "arrival", True), ("worker", "placement", False),
    ("manager", "arrival", True), ("manager", "placement", True),
    ("leader", "arrival", True), ("leader", "placement", True),
    ("director", "arrival", False), ("director", "placement", False),
]
BUTTONS = {"placement": "Confirm placement", "arrival": "Record arrival"}
POSTS = {"placement": {"action": "confirm", "description": "Harbourside intake base"}, "arrival": arrival_form()}


@pytest.mark.parametrize(("who", "page", "has_form"), ROLE_PAGES, ids=[f"{r[0]}-{r[1]}" for r in ROLE_PAGES])
def test_each_role_sees_the_pages_and_gets_the_forms_of_its_own_steps(who, page, has_form, page_referral, intake,
                                                                      signed_in):
    client = signed_in(getattr(intake, who))
    url = f"/referrals/{page_referral.pk}/{page}/"
    response = client.get(url)
    assert response.status_code == 200
    assert (BUTTONS[page] in response.content.decode()) == has_form
    if not has_form:
        assert client.post(url, POSTS[page]).status_code == 404
        page_referral.refresh_from_db()
        assert page_referral.version == 1
        nothing_saved(page_referral)


@pytest.mark.parametrize("page", ["placement", "arrival", "arrival/done"])
def test_someone_in_another_team_gets_404(page, page_referral, intake, signed_in, make_user, make_team):
    arrive(page_referral, intake.leader, at(2026, 11, 17, 9), now=NOW)
    outsider = make_user(Role.SOCIAL_WORKER, team=make_team())
    assert signed_in(outsider).get(f"/referrals/{page_referral.pk}/{page}/").status_code == 404


@pytest.mark.parametrize("page", ["placement", "arrival", "arrival/done"])
def test_out_of_scope_missing_and_malformed_referrals_answer_the_same_404(page, page_referral, intake, signed_in,
                                                                           make_user, make_team):
    arrive(page_referral, intake.leader, at(2026, 11, 17, 9), now=NOW)
    outsider = signed_in(make_user(Role.TEAM_LEADER, team=make_team()))
    bodies = []
    for referral_id in (page_referral.pk, uuid.uuid4(), "not-a-uuid"):
        for method in (outsider.get, outsider.post):
            response = method(f"/referrals/{referral_id}/{page}/")
            assert response.status_code == 404
            bodies.append(response.content)
    assert b"Dawit" not in b"".join(bodies)
    assert Arrival.objects.count() == 1


def test_reading_the_pages_is_in_the_access_log(page_referral, intake, signed_in):
    from harbour.audit.models import AccessLogEntry

    signed_in(intake.leader).get(f"/referrals/{page_referral.pk}/arrival/")
    entry = AccessLogEntry.objects.get(child_id=page_referral.child_id)
    assert (entry.user, entry.route, entry.purpose) == (intake.leader, "referrals:arrival", "arrival")


def count_queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_pages_keep_the_same_number_of_queries(page_referral, intake, signed_in, make_user):
    client = signed_in(intake.leader)
    placement, form = (f"/referrals/{page_referral.pk}/{p}/" for p in ("placement", "arrival"))
    first_placement, first_form = count_queries(client, placement), count_queries(client, form)
    # A longer history for the child and more people in the service change nothing.
    for n in range(10):
        make_user(Role.SOCIAL_WORKER, team=intake.team)
        Placement.objects.create(child=page_referral.child, start=dt.date(2025, 1, 1) + dt.timedelta(days=n),
                                 end=dt.date(2025, 1, 1) + dt.timedelta(days=n), placement_type="U6",
                                 carer_or_provider=f"Carer {n}")
    assert count_queries(client, placement) == first_placement
    assert count_queries(client, form) == first_form

    arrive(page_referral, intake.leader, at(2026, 11, 17, 9), now=NOW)
    done = f"/referrals/{page_referral.pk}/arrival/done/"
    with_two_tasks = count_queries(client, done)
    for n in range(10):
        ArrivalTask.objects.create(child=page_referral.child, referral=page_referral, kind="other",
                                   title=f"Task {n}", due=dt.date(2026, 12, 1), assigned_to=make_user())
    assert count_queries(client, done) == with_two_tasks
    # Today 10, 11 and 12: the session, the user and the code device, the referral, the child and
    # its access-log row, then what each page shows. A ceiling, so that one more is noticed.
    assert max(first_placement, first_form, with_two_tasks) <= 15
