"""More of the placement rules: the move day, temporary placements (rule 226), codes that do not
belong on a type of placement, nothing half-saved, the chosen offer, audit, and the emails that
leave only after commit."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from harbour.accounts.models import Allocation, PartnerAgency, Role
from harbour.audit.models import AuditEvent
from harbour.children import services as child_services
from harbour.children.models import PeriodLookedAfter
from harbour.core.models import OutboxMessage
from harbour.placements import selectors_placements as selectors
from harbour.placements import services_placements as services
from harbour.placements.models import (
    NeedsProfile,
    Offer,
    Placement,
    PlacementRequest,
    Provider,
    RequestRecipient,
    Track,
)

TODAY = dt.date(2026, 11, 20)
SEPT_1 = dt.date(2026, 9, 1)


@pytest.fixture
def worker(make_user: Any, make_team: Any) -> Any:
    return make_user(Role.SOCIAL_WORKER, team=make_team(), email="worker@harbourside.example")


@pytest.fixture
def child(make_child: Any, worker: Any) -> Any:
    """Looked after from 1 September 2026 under section 20, aged 16 (born 1 June 2010)."""
    child = make_child(social_worker=worker, date_of_birth=dt.date(2010, 6, 1))
    child_services.period_looked_after_add(actor=worker, child=child, start=SEPT_1, end=None, today=TODAY)
    child_services.legal_status_add(actor=worker, child=child, legal_status="V2", start=SEPT_1, end=None,
                                    today=TODAY)
    return child


@pytest.fixture
def home(db: Any) -> Provider:
    return Provider.objects.create(
        name="Elm Lodge", kind=Provider.Kind.CHILDRENS_HOME, place_type="K2", place_provider="PR4",
        ofsted_urn="SC123456", postcode="XX9 1AB", out_of_area=True, places=4, vacancies=1,
        cost_per_week=Decimal("4850"),
    )


@pytest.fixture
def flats(db: Any) -> Provider:
    return Provider.objects.create(
        name="Aspire", kind=Provider.Kind.SUPPORTED_ACCOMMODATION, place_type="K3", place_provider="PR4",
        ofsted_urn="2654321", postcode="HB5 2XY", places=6, vacancies=2, ages_from=16,
        cost_per_week=Decimal("1150"),
    )


def start(actor: Any, child: Any, **overrides: Any) -> Placement:
    arguments: dict[str, Any] = {"start": SEPT_1, "placement_type": "U6", "carer_or_provider": "Ms Haile",
                                 "postcode": "HB2 1AA", "home_postcode": "HB7 3CD", "today": TODAY}
    arguments.update(overrides)
    return services.placement_start(actor=actor, child=child, **arguments)


def change(actor: Any, child: Any, **overrides: Any) -> Placement:
    arguments: dict[str, Any] = {"start": dt.date(2026, 10, 5), "placement_type": "U6",
                                 "carer_or_provider": "Mrs Thompson", "reason_for_change": "CARPL", "today": TODAY}
    arguments.update(overrides)
    return services.placement_change(actor=actor, child=child, **arguments)


def errors_of(raised: Any) -> dict[str, list[str]]:
    return raised.value.message_dict


# --- Two placements at once, and the move day ------------------------------------------------------

@pytest.mark.parametrize(("case", "new_start", "allowed"), [
    ("starts the day the last one ended (the move day)", dt.date(2026, 10, 1), True),
    ("starts the day after the last one ended", dt.date(2026, 10, 2), True),
    ("starts the day before the last one ended", dt.date(2026, 9, 30), False),
    ("starts the same day as the last one", SEPT_1, False),
])
def test_the_move_day_is_shared_but_nothing_else(
    worker: Any, child: Any, case: str, new_start: dt.date, allowed: bool,
) -> None:
    first = start(worker, child)
    services.placement_end(actor=worker, placement=first, end=dt.date(2026, 10, 1), reason_for_change="CARPL",
                           today=TODAY)
    if allowed:
        assert start(worker, child, start=new_start, carer_or_provider="Mrs Thompson").start == new_start, case
        return
    with pytest.raises(ValidationError) as raised:
        start(worker, child, start=new_start, carer_or_provider="Mrs Thompson")
    assert "placement" in errors_of(raised)["start"][0], case
    assert Placement.objects.count() == 1


def test_a_change_without_a_current_placement_is_refused(worker: Any, child: Any) -> None:
    with pytest.raises(ValidationError) as raised:
        change(worker, child)
    assert errors_of(raised) == {"start": ["The child has no current placement to change. Start a placement instead"]}


def test_a_move_before_the_current_placement_started_is_refused(worker: Any, child: Any) -> None:
    first = start(worker, child, start=dt.date(2026, 10, 1))
    with pytest.raises(ValidationError) as raised:
        change(worker, child, start=dt.date(2026, 9, 20))
    assert "on or after the current placement started, 1 October 2026" in errors_of(raised)["start"][0]
    first.refresh_from_db()
    assert first.end is None


# --- Nothing half-saved --------------------------------------------------------------------------------

def test_a_change_refused_for_the_new_placement_leaves_the_current_one_open(worker: Any, child: Any) -> None:
    """The reason is good, so the current placement is ended first; the new one is then refused and
    the whole change rolls back: no end, no new placement, no audit, no email."""
    first = start(worker, child)
    audit_before = AuditEvent.objects.count()
    emails_before = OutboxMessage.objects.count()
    with pytest.raises(ValidationError) as raised:
        change(worker, child, postcode="harbour")
    assert set(errors_of(raised)) == {"postcode"}
    first.refresh_from_db()
    assert (first.end, first.reason_for_change) == (None, "")
    assert Placement.objects.count() == 1
    assert AuditEvent.objects.count() == audit_before
    assert OutboxMessage.objects.count() == emails_before


def test_every_problem_is_reported_at_once(worker: Any, child: Any) -> None:
    with pytest.raises(ValidationError) as raised:
        start(worker, child, start=dt.date(2026, 8, 1), placement_type="Q9", carer_or_provider="",
              postcode="nowhere", home_postcode="nowhere", cost_per_week=Decimal("-1"))
    assert set(errors_of(raised)) == {"start", "placement_type", "carer_or_provider", "postcode", "home_postcode",
                                      "cost_per_week"}
    assert not Placement.objects.exists()


# --- Temporary placements (SSDA903 rule 226) --------------------------------------------------------------

def test_a_move_into_a_temporary_placement_needs_no_reason(worker: Any, child: Any) -> None:
    """Rule 226: no reason on a temporary placement's episode, "including on the preceding episode"."""
    first = start(worker, child)
    change(worker, child, placement_type="T1", carer_or_provider="Harbourside General Hospital",
           reason_for_change="")
    first.refresh_from_db()
    assert (first.end, first.reason_for_change) == (dt.date(2026, 10, 5), "")
    episodes = selectors.child_episodes(child)
    assert [(e.place, e.rne, e.reason_place_change) for e in episodes] == [("U6", "S", ""), ("T1", "P", "")]


def test_a_move_out_of_a_temporary_placement_needs_no_reason(worker: Any, child: Any) -> None:
    start(worker, child, placement_type="T2", carer_or_provider="Summer camp", urn="", postcode="")
    assert change(worker, child, reason_for_change="").placement_type == "U6"


def test_a_move_between_two_ordinary_placements_needs_the_reason(worker: Any, child: Any) -> None:
    start(worker, child)
    with pytest.raises(ValidationError) as raised:
        change(worker, child, placement_type="K2", reason_for_change="")
    assert errors_of(raised)["reason_for_change"] == ["Select why the placement changed"]


# --- Codes that do not belong on a type of placement ---------------------------------------------------

def test_codes_from_the_directory_that_do_not_belong_are_dropped(worker: Any, child: Any, home: Provider) -> None:
    """A holiday (T2) with a provider in the directory: no URN (rule 222) and no PLACE_PROVIDER (rules 178,
    213), whatever the directory holds."""
    placement = start(worker, child, provider=home, placement_type="T2", carer_or_provider="", postcode="")
    assert (placement.placement_type, placement.urn, placement.place_provider) == ("T2", "", "")
    assert placement.postcode == "XX9 1AB"


@pytest.mark.parametrize(("case", "overrides", "field"), [
    ("typed provider code on a holiday", {"placement_type": "T2", "place_provider": "PR4"}, "place_provider"),
    ("typed provider code on an other placement", {"placement_type": "Z12", "place_provider": "PR1"},
     "place_provider"),
    ("typed URN on a hospital stay", {"placement_type": "T1", "urn": "SC123456"}, "urn"),
    ("unknown provider code", {"place_provider": "PR9"}, "place_provider"),
    ("URN that is not one", {"urn": "12"}, "urn"),
])
def test_typed_codes_that_do_not_belong_are_refused(
    worker: Any, child: Any, case: str, overrides: dict[str, Any], field: str,
) -> None:
    with pytest.raises(ValidationError) as raised:
        start(worker, child, **overrides)
    assert field in errors_of(raised), case
    assert not Placement.objects.exists()


def test_supported_accommodation_from_the_directory_for_a_16_year_old(
    worker: Any, child: Any, flats: Provider,
) -> None:
    placement = start(worker, child, provider=flats, placement_type="", carer_or_provider="")
    assert (placement.placement_type, placement.urn, placement.cost_per_week) == ("K3", "2654321", Decimal("1150"))


def test_supported_accommodation_is_refused_without_a_date_of_birth(worker: Any, make_child: Any) -> None:
    unknown = make_child(social_worker=worker, date_of_birth=None)
    child_services.period_looked_after_add(actor=worker, child=unknown, start=SEPT_1, end=None, today=TODAY)
    with pytest.raises(ValidationError) as raised:
        start(worker, unknown, placement_type="K3")
    assert "record the child's date of birth" in errors_of(raised)["placement_type"][0]


# --- Ending --------------------------------------------------------------------------------------------

def test_ending_in_the_future_is_refused(worker: Any, child: Any) -> None:
    placement = start(worker, child)
    with pytest.raises(ValidationError) as raised:
        services.placement_end(actor=worker, placement=placement, end=TODAY + dt.timedelta(days=1),
                               reason_for_change="CARPL", today=TODAY)
    assert errors_of(raised)["end"] == ["End date must be today or in the past"]


def test_a_placement_ends_once(worker: Any, child: Any) -> None:
    placement = start(worker, child)
    services.placement_end(actor=worker, placement=placement, end=dt.date(2026, 10, 1), reason_for_change="CARPL",
                           today=TODAY)
    with pytest.raises(ValidationError) as raised:
        services.placement_end(actor=worker, placement=placement, end=dt.date(2026, 10, 2),
                               reason_for_change="CARPL", today=TODAY)
    assert errors_of(raised)["end"] == ["This placement already ended on 1 October 2026"]


def test_when_care_ends_that_day_the_period_gives_the_reason(worker: Any, child: Any) -> None:
    """No REASON_PLACE_CHANGE when the child leaves care (rule 233): a reason given is not kept."""
    placement = start(worker, child)
    PeriodLookedAfter.objects.filter(child=child).update(end=dt.date(2026, 11, 1), reason_ceased="E4A")
    ended = services.placement_end(actor=worker, placement=placement, end=dt.date(2026, 11, 1),
                                   reason_for_change="CARPL", today=TODAY)
    assert (ended.end, ended.reason_for_change) == (dt.date(2026, 11, 1), "")
    episode = selectors.child_episodes(child)[-1]
    assert (episode.dec, episode.rec, episode.reason_place_change) == (dt.date(2026, 11, 1), "E4A", "")


def test_custody_is_allowed_from_the_10th_birthday(worker: Any, make_child: Any) -> None:
    ten = make_child(social_worker=worker, date_of_birth=dt.date(2016, 10, 5))
    child_services.period_looked_after_add(actor=worker, child=ten, start=SEPT_1, end=None, today=TODAY)
    start(worker, ten)
    with pytest.raises(ValidationError):
        change(worker, ten, start=dt.date(2026, 10, 4), reason_for_change="CUSTOD")
    assert change(worker, ten, start=dt.date(2026, 10, 5), reason_for_change="CUSTOD").start == dt.date(2026, 10, 5)


# --- Who may, and the audit -----------------------------------------------------------------------------

@pytest.mark.parametrize("role", [Role.TEAM_LEADER, Role.TEAM_MANAGER, Role.PLACEMENTS_OFFICER])
def test_those_who_arrange_placements_may(make_user: Any, child: Any, role: str) -> None:
    assert start(make_user(role), child).created_by.role == role


@pytest.mark.parametrize("role", [Role.IRO, Role.DIRECTOR, Role.PERFORMANCE_ANALYST, Role.PARTNER,
                                  Role.COMMISSIONING_OFFICER])
def test_others_may_not_place_or_keep_the_needs(make_user: Any, worker: Any, child: Any, role: str) -> None:
    someone = make_user(role)
    with pytest.raises(PermissionDenied):
        start(someone, child)
    placement = start(worker, child)
    with pytest.raises(PermissionDenied):
        services.placement_end(actor=someone, placement=placement, end=dt.date(2026, 10, 1),
                               reason_for_change="CARPL", today=TODAY)
    with pytest.raises(PermissionDenied):
        services.needs_profile_save(actor=someone, child=child, needs=["trauma"], needs_detail="")
    assert not NeedsProfile.objects.exists()


def test_a_change_is_audited_as_an_end_and_a_start(worker: Any, child: Any) -> None:
    first = start(worker, child)
    moved = change(worker, child, request_id="req-42")
    events = AuditEvent.objects.filter(request_id="req-42", record_type="placements.Placement")
    assert {(e.action, e.record_id) for e in events} == {("update", str(first.pk)), ("create", str(moved.pk))}
    ended = events.get(action="update")
    assert ended.changes["end"] == [None, "2026-10-05"]
    assert ended.changes["reason_for_change"] == ["", "CARPL"]
    assert all(e.child_id == child.pk and e.actor == worker for e in events)


# --- The chosen offer ------------------------------------------------------------------------------------

def chosen_request(child: Any, provider: Provider, actor: Any, *, carer_or_unit: str = "",
                   cost: Decimal = Decimal("1200")) -> PlacementRequest:
    request = PlacementRequest.objects.create(child=child, needed_from=dt.date(2026, 10, 5), created_by=actor,
                                              status=PlacementRequest.Status.CHOSEN)
    recipient = RequestRecipient.objects.create(request=request, provider=provider, track=Track.EXTERNAL,
                                                asked_at=timezone.now(), answer=RequestRecipient.Answer.OFFERED)
    offer = Offer.objects.create(recipient=recipient, request=request, provider=provider,
                                 available_from=dt.date(2026, 10, 5), cost_per_week=cost,
                                 carer_or_unit=carer_or_unit, recorded_by=actor)
    request.chosen_offer = offer
    request.save(update_fields=["chosen_offer"])
    return request


def test_the_chosen_offer_starts_the_placement(worker: Any, child: Any, flats: Provider) -> None:
    request = chosen_request(child, flats, worker, carer_or_unit="Flat 2")
    placement = services.placement_from_offer(actor=worker, request=request, start=dt.date(2026, 10, 5),
                                              long_term=True, today=TODAY)
    assert placement.carer_or_provider == "Flat 2, Aspire"
    assert (placement.placement_type, placement.place_provider, placement.urn, placement.postcode) == (
        "K3", "PR4", "2654321", "HB5 2XY")
    assert (placement.cost_per_week, placement.long_term, placement.provider) == (Decimal("1200"), True, flats)
    request.refresh_from_db()
    assert (request.status, request.placement) == (PlacementRequest.Status.PLACED, placement)
    with pytest.raises(ValidationError) as raised:
        services.placement_from_offer(actor=worker, request=request, start=dt.date(2026, 10, 6), today=TODAY)
    assert errors_of(raised) == {"request": ["The placement has already started"]}


def test_the_chosen_offer_is_a_change_when_the_child_has_a_placement(
    worker: Any, child: Any, home: Provider,
) -> None:
    first = start(worker, child)
    request = chosen_request(child, home, worker)
    placement = services.placement_from_offer(actor=worker, request=request, start=dt.date(2026, 10, 5),
                                              today=TODAY)
    first.refresh_from_db()
    assert (first.end, first.reason_for_change) == (dt.date(2026, 10, 5), "CARPL")
    assert (placement.carer_or_provider, placement.start) == ("Elm Lodge", dt.date(2026, 10, 5))


def test_no_placement_without_a_chosen_offer(worker: Any, child: Any) -> None:
    request = PlacementRequest.objects.create(child=child, needed_from=dt.date(2026, 10, 5), created_by=worker,
                                              status=PlacementRequest.Status.SEARCHING)
    with pytest.raises(ValidationError) as raised:
        services.placement_from_offer(actor=worker, request=request, start=dt.date(2026, 10, 5), today=TODAY)
    assert "request" in errors_of(raised)
    assert not Placement.objects.exists()


def test_a_refused_offer_placement_leaves_the_request_as_it_was(worker: Any, make_child: Any,
                                                                flats: Provider) -> None:
    """Supported accommodation for a 15-year-old, even when offered: refused, the request still chosen."""
    young = make_child(social_worker=worker, date_of_birth=dt.date(2011, 3, 14))
    child_services.period_looked_after_add(actor=worker, child=young, start=SEPT_1, end=None, today=TODAY)
    request = chosen_request(young, flats, worker)
    with pytest.raises(ValidationError) as raised:
        services.placement_from_offer(actor=worker, request=request, start=dt.date(2026, 10, 5), today=TODAY)
    assert "16 and 17 year olds" in errors_of(raised)["placement_type"][0]
    request.refresh_from_db()
    assert (request.status, request.placement) == (PlacementRequest.Status.CHOSEN, None)


# --- The people concerned are told, after commit ---------------------------------------------------------

def test_emails_leave_only_after_commit_and_partners_get_a_link_they_can_open(
    worker: Any, child: Any, make_user: Any, share_with: Any, django_capture_on_commit_callbacks: Any,
) -> None:
    iro = make_user(Role.IRO, email="iro@harbourside.example")
    Allocation.objects.create(child=child, worker=iro, kind=Allocation.Kind.IRO, start=SEPT_1)
    school = PartnerAgency.objects.create(name="Harbourside Academy", kind="education", email="dsl@school.example")
    share_with(child, school, by=worker)
    start(worker, child)
    OutboxMessage.objects.all().delete()  # the start's own messages; this test is about the move
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        change(worker, child)
        assert OutboxMessage.objects.filter(state=OutboxMessage.State.QUEUED).count() == 3
    assert mail.outbox == [] and len(callbacks) == 3
    for callback in callbacks:
        callback()
    sent = {message.to[0]: message for message in mail.outbox}
    assert set(sent) == {"worker@harbourside.example", "iro@harbourside.example", "dsl@school.example"}
    assert all(m.subject == "A child you work with has moved placement" for m in sent.values())
    assert f"/placements/child/{child.pk}/" in sent["worker@harbourside.example"].body
    assert f"/children/{child.pk}/" in sent["dsl@school.example"].body
    assert "/placements/" not in sent["dsl@school.example"].body
    for message in sent.values():
        for personal in (child.given_names, "Thompson", "Haile", "HB2"):
            assert personal not in message.subject + message.body


def test_revoked_shares_and_ended_allocations_are_not_told(
    worker: Any, child: Any, make_user: Any, share_with: Any,
) -> None:
    old_iro = make_user(Role.IRO, email="old-iro@harbourside.example")
    Allocation.objects.create(child=child, worker=old_iro, kind=Allocation.Kind.IRO, start=SEPT_1,
                              end=dt.date(2026, 10, 1))
    police = PartnerAgency.objects.create(name="Harbourside Police", kind="police", email="mash@police.example")
    grant = share_with(child, police, by=worker)
    grant.revoked_at = timezone.now()
    grant.save(update_fields=["revoked_at"])
    start(worker, child)
    assert [m.to for m in OutboxMessage.objects.all()] == ["worker@harbourside.example"]


def test_a_refused_change_tells_nobody(
    worker: Any, child: Any, django_capture_on_commit_callbacks: Any,
) -> None:
    start(worker, child)
    OutboxMessage.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(ValidationError):
        change(worker, child, reason_for_change="")
    assert callbacks == [] and not OutboxMessage.objects.exists()
