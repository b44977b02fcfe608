"""Starting, changing and ending placements: the rules, the coding copied from the directory, the
timeline and emails, the visit clock, and the child's placements page."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from harbour.accounts.models import Allocation, PartnerAgency, Role
from harbour.audit.models import AuditEvent
from harbour.children import services as child_services
from harbour.children.selectors import child_deadlines, child_timeline
from harbour.core.calendar import council_calendar
from harbour.core.models import OutboxMessage
from harbour.domain.deadlines import Duty
from harbour.placements import services_placements as services
from harbour.placements.models import NeedsProfile, Placement, Provider

TODAY = dt.date(2026, 11, 20)


@pytest.fixture
def worker(make_user: Any, make_team: Any) -> Any:
    return make_user(Role.SOCIAL_WORKER, team=make_team(), email="worker@harbourside.example")


@pytest.fixture
def child(make_child: Any, worker: Any) -> Any:
    """Looked after from 1 September 2026, aged 15 (born 14 March 2011)."""
    child = make_child(social_worker=worker, date_of_birth=dt.date(2011, 3, 14))
    child_services.period_looked_after_add(actor=worker, child=child, start=dt.date(2026, 9, 1), end=None,
                                           today=TODAY)
    child_services.legal_status_add(actor=worker, child=child, legal_status="V2", start=dt.date(2026, 9, 1),
                                    end=None, today=TODAY)
    return child


@pytest.fixture
def carer(db: Any) -> Provider:
    return Provider.objects.create(
        name="Mr and Mrs Rahimi", kind=Provider.Kind.FOSTER_CARER, place_type="U6", place_provider="PR1",
        postcode="HB3 4QT", area="Central", places=2, vacancies=1, cost_per_week=Decimal("480"),
    )


@pytest.fixture
def home(db: Any) -> Provider:
    return Provider.objects.create(
        name="Elm Lodge", kind=Provider.Kind.CHILDRENS_HOME, place_type="K2", place_provider="PR4",
        ofsted_urn="SC123456", postcode="XX9 1AB", area="Outside Harbourside", out_of_area=True, places=4,
        vacancies=1, cost_per_week=Decimal("4850"),
    )


def start(worker: Any, child: Any, **overrides: Any) -> Placement:
    arguments: dict[str, Any] = {"start": dt.date(2026, 9, 1), "placement_type": "U6",
                                 "carer_or_provider": "Ms Haile", "postcode": "HB2 1AA",
                                 "home_postcode": "HB7 3CD", "today": TODAY}
    arguments.update(overrides)
    return services.placement_start(actor=worker, child=child, **arguments)


def errors_of(raised: Any) -> dict[str, list[str]]:
    return raised.value.message_dict


def test_a_provider_from_the_directory_gives_the_ssda903_coding(worker: Any, child: Any, home: Provider) -> None:
    placement = services.placement_start(actor=worker, child=child, start=dt.date(2026, 9, 1), placement_type="",
                                         carer_or_provider="", provider=home, home_postcode="hb7 3cd", today=TODAY)
    assert (placement.placement_type, placement.place_provider, placement.urn, placement.postcode) == (
        "K2", "PR4", "SC123456", "XX9 1AB")
    assert placement.carer_or_provider == "Elm Lodge"
    assert placement.cost_per_week == Decimal("4850")
    assert placement.out_of_area is True
    assert placement.home_postcode == "HB7 3CD"
    assert AuditEvent.objects.filter(record_type__endswith="Placement", action="create").count() == 1


def test_the_home_postcode_carries_over_from_the_last_placement(worker: Any, child: Any, carer: Provider) -> None:
    start(worker, child)
    moved = services.placement_change(actor=worker, child=child, start=dt.date(2026, 10, 5), placement_type="",
                                      carer_or_provider="", provider=carer, reason_for_change="CARPL", today=TODAY)
    assert moved.home_postcode == "HB7 3CD"


@pytest.mark.parametrize(("case", "overrides", "field", "words"), [
    ("not looked after yet", {"start": dt.date(2026, 8, 31)}, "start", "not looked after on 31 August 2026"),
    ("in the future", {"start": dt.date(2026, 11, 21)}, "start", "today or in the past"),
    ("supported accommodation at 15", {"placement_type": "K3"}, "placement_type", "the child is 15"),
    ("unknown type", {"placement_type": "Q9"}, "placement_type", "Select the type"),
    ("no carer named", {"carer_or_provider": "  "}, "carer_or_provider", "Enter the name"),
    ("typed URN on a type without one", {"placement_type": "P1", "urn": "SC123456"}, "urn", "Leave the Ofsted"),
    ("not a postcode", {"postcode": "harbour"}, "postcode", "real postcode"),
])
def test_bad_starts_are_refused_and_nothing_saved(
    worker: Any, child: Any, case: str, overrides: dict[str, Any], field: str, words: str,
) -> None:
    with pytest.raises(ValidationError) as raised:
        start(worker, child, **overrides)
    assert words in " ".join(errors_of(raised)[field]), case
    assert not Placement.objects.exists()


def test_supported_accommodation_is_allowed_from_the_16th_birthday(worker: Any, make_child: Any) -> None:
    sixteen = make_child(social_worker=worker, date_of_birth=dt.date(2010, 10, 1))
    child_services.period_looked_after_add(actor=worker, child=sixteen, start=dt.date(2026, 9, 29), end=None,
                                           today=TODAY)
    with pytest.raises(ValidationError):
        start(worker, sixteen, start=dt.date(2026, 9, 30), placement_type="K3")
    assert start(worker, sixteen, start=dt.date(2026, 10, 1), placement_type="K3").placement_type == "K3"


def test_two_placements_at_once_are_refused(worker: Any, child: Any) -> None:
    start(worker, child)
    with pytest.raises(ValidationError) as raised:
        start(worker, child, start=dt.date(2026, 10, 1), carer_or_provider="Someone else")
    assert "already has a placement with Ms Haile from 1 September 2026" in errors_of(raised)["start"][0]
    assert Placement.objects.count() == 1


def test_a_placement_cannot_start_under_a_later_one(worker: Any, child: Any) -> None:
    first = start(worker, child, start=dt.date(2026, 10, 1))
    services.placement_end(actor=worker, placement=first, end=dt.date(2026, 10, 20), reason_for_change="CARPL",
                           today=TODAY)
    with pytest.raises(ValidationError) as raised:
        start(worker, child, start=dt.date(2026, 9, 5))
    assert "later placement" in errors_of(raised)["start"][0]


def test_a_change_ends_the_current_placement_on_the_move_day(worker: Any, child: Any, carer: Provider) -> None:
    first = start(worker, child)
    moved = services.placement_change(actor=worker, child=child, start=dt.date(2026, 10, 5), placement_type="",
                                      carer_or_provider="", provider=carer, reason_for_change="CHILD",
                                      end_note="Wanted to live with a Dari speaker", today=TODAY)
    first.refresh_from_db()
    assert (first.end, first.reason_for_change) == (dt.date(2026, 10, 5), "CHILD")
    assert (moved.start, moved.end, moved.provider) == (dt.date(2026, 10, 5), None, carer)
    timeline = [(item.title, item.description) for item in child_timeline(child=child, kinds=["placement"])]
    assert ("Placement with Ms Haile ended", "Reason: The child asked to end it. Wanted to live with a Dari speaker") \
        in timeline
    assert ("Placed with Mr and Mrs Rahimi", "U6: foster placement with other foster carer, other") in timeline


@pytest.mark.parametrize(("case", "reason", "field", "words"), [
    ("no reason", "", "reason_for_change", "Select why the placement changed"),
    ("made-up reason", "BORED", "reason_for_change", "Select a reason from the list"),
])
def test_a_change_needs_a_reason_and_saves_nothing_without(
    worker: Any, child: Any, case: str, reason: str, field: str, words: str,
) -> None:
    first = start(worker, child)
    with pytest.raises(ValidationError) as raised:
        services.placement_change(actor=worker, child=child, start=dt.date(2026, 10, 5), placement_type="U6",
                                  carer_or_provider="Mrs Thompson", reason_for_change=reason, today=TODAY)
    assert words in errors_of(raised)[field][0], case
    first.refresh_from_db()
    assert first.end is None
    assert Placement.objects.count() == 1


def test_a_failed_change_reports_the_new_placement_problems_too(worker: Any, child: Any) -> None:
    start(worker, child)
    with pytest.raises(ValidationError) as raised:
        services.placement_change(actor=worker, child=child, start=dt.date(2026, 10, 5), placement_type="K3",
                                  carer_or_provider="Quayside", reason_for_change="", today=TODAY)
    assert set(errors_of(raised)) == {"reason_for_change", "placement_type"}


def test_custody_is_not_a_reason_for_a_child_under_10(worker: Any, make_child: Any) -> None:
    young = make_child(social_worker=worker, date_of_birth=dt.date(2018, 5, 1))
    child_services.period_looked_after_add(actor=worker, child=young, start=dt.date(2026, 9, 1), end=None,
                                           today=TODAY)
    start(worker, young)
    with pytest.raises(ValidationError) as raised:
        services.placement_change(actor=worker, child=young, start=dt.date(2026, 10, 5), placement_type="U6",
                                  carer_or_provider="Mrs Thompson", reason_for_change="CUSTOD", today=TODAY)
    assert "under 10" in errors_of(raised)["reason_for_change"][0]


def test_no_reason_is_needed_coming_back_from_a_temporary_placement(worker: Any, child: Any) -> None:
    start(worker, child, placement_type="T1", carer_or_provider="Harbourside General Hospital")
    back = services.placement_change(actor=worker, child=child, start=dt.date(2026, 9, 4), placement_type="U6",
                                     carer_or_provider="Ms Haile", reason_for_change="", today=TODAY)
    assert back.start == dt.date(2026, 9, 4)


def test_a_placement_cannot_end_before_it_starts(worker: Any, child: Any) -> None:
    placement = start(worker, child, start=dt.date(2026, 10, 1))
    with pytest.raises(ValidationError) as raised:
        services.placement_end(actor=worker, placement=placement, end=dt.date(2026, 9, 30),
                               reason_for_change="CARPL", today=TODAY)
    assert errors_of(raised)["end"] == ["The placement cannot end before it started, on 1 October 2026"]
    placement.refresh_from_db()
    assert placement.end is None


def test_ending_while_still_in_care_needs_the_reason(worker: Any, child: Any) -> None:
    placement = start(worker, child)
    with pytest.raises(ValidationError) as raised:
        services.placement_end(actor=worker, placement=placement, end=dt.date(2026, 11, 1), today=TODAY)
    assert "reason_for_change" in errors_of(raised)
    ended = services.placement_end(actor=worker, placement=placement, end=dt.date(2026, 11, 1),
                                   reason_for_change="ALLEG", today=TODAY)
    assert (ended.end, ended.reason_for_change) == (dt.date(2026, 11, 1), "ALLEG")


def test_only_those_who_arrange_placements_may_change_them(make_user: Any, child: Any) -> None:
    with pytest.raises(PermissionDenied):
        start(make_user(Role.IRO), child)


def test_the_visit_clock_restarts_with_the_new_placement(worker: Any, child: Any) -> None:
    start(worker, child)
    services.placement_change(actor=worker, child=child, start=dt.date(2026, 11, 16), placement_type="U6",
                              carer_or_provider="Mrs Thompson", reason_for_change="CARPL", today=TODAY)
    deadlines = child_deadlines(child=child, today=TODAY, calendar=council_calendar(), nts_working_days=5)
    visits = [d for d in deadlines if d.duty == Duty.VISIT and d.met_on is None]
    # The first placement's missed visit stays overdue; the move starts a new one-week clock.
    assert [d.due for d in visits] == [dt.date(2026, 9, 8), dt.date(2026, 11, 23)]


@pytest.mark.django_db(transaction=True)
def test_the_people_concerned_are_told_after_commit_without_personal_details(
    make_user: Any, make_team: Any, make_child: Any, share_with: Any,
) -> None:
    worker = make_user(Role.SOCIAL_WORKER, team=make_team(), email="worker@harbourside.example")
    iro = make_user(Role.IRO, email="iro@harbourside.example")
    child = make_child(social_worker=worker, given_names="Sentinelname", family_name="Zzq")
    Allocation.objects.create(child=child, worker=iro, kind=Allocation.Kind.IRO, start=dt.date(2026, 9, 1))
    health = PartnerAgency.objects.create(name="Harbourside Health", kind="health", email="lac@health.example")
    share_with(child, health, by=worker)
    child_services.period_looked_after_add(actor=worker, child=child, start=dt.date(2026, 9, 1), end=None,
                                           today=TODAY)
    start(worker, child)
    messages = list(OutboxMessage.objects.all())
    assert sorted(m.to for m in messages) == ["iro@harbourside.example", "lac@health.example",
                                              "worker@harbourside.example"]
    for message in messages:
        assert "Sentinelname" not in message.body + message.subject
        assert "Haile" not in message.body + message.subject


def test_nothing_is_told_when_the_start_is_refused(worker: Any, child: Any) -> None:
    with pytest.raises(ValidationError):
        start(worker, child, placement_type="K3")
    assert not OutboxMessage.objects.exists()


def test_the_needs_profile_keeps_the_order_of_the_list(worker: Any, child: Any) -> None:
    services.needs_profile_save(actor=worker, child=child, needs=["esol", "trauma"], needs_detail="Nightmares")
    profile = NeedsProfile.objects.get(child=child)
    assert profile.needs == ["trauma", "esol"]
    with pytest.raises(ValidationError) as raised:
        services.needs_profile_save(actor=worker, child=child, needs=["astrology"], needs_detail="")
    assert errors_of(raised)["needs"] == ["Select needs from the list"]


# --- Pages -----------------------------------------------------------------------------------------


def test_the_placements_page_shows_the_coding_and_the_episodes(
    worker: Any, child: Any, home: Provider, signed_in: Any,
) -> None:
    services.placement_start(actor=worker, child=child, start=dt.date(2026, 9, 1), placement_type="",
                             carer_or_provider="", provider=home, home_postcode="HB7 3CD", today=TODAY)
    page = signed_in(worker).get(f"/placements/child/{child.pk}/")
    html = page.content.decode()
    assert page.status_code == 200
    for text in ("K2: children&#39;s home", "PR4: private sector", "SC123456", "XX9 1", "HB7 3", "01/09/2026"):
        assert text in html, text


def test_the_placements_page_keeps_a_fixed_number_of_queries(worker: Any, child: Any, signed_in: Any) -> None:
    client = signed_in(worker)
    day = dt.date(2026, 9, 1)

    def queries_with(count: int) -> int:
        Placement.objects.filter(child=child).delete()
        Placement.objects.bulk_create([
            Placement(child=child, start=day + dt.timedelta(days=index * 2), end=day + dt.timedelta(days=index * 2 + 2),
                      placement_type="U6", carer_or_provider=f"Carer {index}") for index in range(count)])
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/placements/child/{child.pk}/").status_code == 200
        return len(queries)

    queries_with(1)  # the first request warms the session and settings caches
    assert queries_with(1) == queries_with(30)


def test_the_start_form_shows_errors_with_the_field(worker: Any, child: Any, signed_in: Any) -> None:
    page = signed_in(worker).post(f"/placements/child/{child.pk}/start/", {
        "start-day": "1", "start-month": "9", "start-year": "2026", "placement_type": "K3",
        "carer_or_provider": "Quayside", "long_term": "no",
    })
    assert page.status_code == 422
    assert "Supported accommodation is only for 16 and 17 year olds" in page.content.decode()
    assert not Placement.objects.exists()


def test_partners_and_readers_cannot_change_placements(
    worker: Any, child: Any, make_user: Any, make_agency: Any, share_with: Any, signed_in: Any,
) -> None:
    agency = make_agency()
    share_with(child, agency, by=worker)
    partner = make_user(Role.PARTNER, agency=agency)
    assert signed_in(partner).get(f"/placements/child/{child.pk}/").status_code == 404
    analyst = make_user(Role.PERFORMANCE_ANALYST)
    assert signed_in(analyst).get(f"/placements/child/{child.pk}/").status_code == 200
    assert signed_in(analyst).get(f"/placements/child/{child.pk}/start/").status_code == 403


def test_the_needs_page_saves_and_goes_back(worker: Any, child: Any, signed_in: Any) -> None:
    page = signed_in(worker).post(f"/placements/child/{child.pk}/needs/", {"needs": ["trauma", "esol"],
                                                                           "needs_detail": "Sleeps badly"})
    assert page.status_code == 302
    assert NeedsProfile.objects.get(child=child).needs == ["trauma", "esol"]
