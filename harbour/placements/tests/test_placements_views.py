"""The child's placement pages: changing and ending through the forms, errors on the fields, who may
read and who may change, reads logged, and a fixed number of queries whatever the volume."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from harbour.accounts.models import Role
from harbour.audit.models import AccessLogEntry
from harbour.children import services as child_services
from harbour.placements import services_placements as services
from harbour.placements.models import NeedsProfile, Placement, Provider

TODAY = dt.date(2026, 11, 20)
SEPT_1 = dt.date(2026, 9, 1)


@pytest.fixture
def worker(make_user: Any, make_team: Any) -> Any:
    return make_user(Role.SOCIAL_WORKER, team=make_team())


@pytest.fixture
def child(make_child: Any, worker: Any) -> Any:
    child = make_child(social_worker=worker, date_of_birth=dt.date(2011, 3, 14))
    child_services.period_looked_after_add(actor=worker, child=child, start=SEPT_1, end=None, today=TODAY)
    child_services.legal_status_add(actor=worker, child=child, legal_status="V2", start=SEPT_1, end=None,
                                    today=TODAY)
    return child


@pytest.fixture
def first(worker: Any, child: Any) -> Placement:
    return services.placement_start(actor=worker, child=child, start=SEPT_1, placement_type="U6",
                                    carer_or_provider="Ms Haile", postcode="HB2 1AA", home_postcode="HB7 3CD",
                                    today=TODAY)


def date_fields(name: str, day: dt.date) -> dict[str, str]:
    return {f"{name}-day": str(day.day), f"{name}-month": str(day.month), f"{name}-year": str(day.year)}


def move(**extra: str) -> dict[str, str]:
    return {**date_fields("start", dt.date(2026, 10, 5)), "placement_type": "U6",
            "carer_or_provider": "Mrs Thompson", "long_term": "no", **extra}


def test_a_change_through_the_page(worker: Any, child: Any, first: Placement, signed_in: Any) -> None:
    response = signed_in(worker).post(f"/placements/child/{child.pk}/change/",
                                      move(reason_for_change="CHILD", end_note="Wanted a Dari speaker"))
    assert response.status_code == 302 and response["Location"] == f"/placements/child/{child.pk}/"
    first.refresh_from_db()
    assert (first.end, first.reason_for_change, first.end_note) == (dt.date(2026, 10, 5), "CHILD",
                                                                    "Wanted a Dari speaker")
    assert Placement.objects.get(child=child, end__isnull=True).carer_or_provider == "Mrs Thompson"


def test_a_change_without_a_reason_shows_the_error_on_the_field(
    worker: Any, child: Any, first: Placement, signed_in: Any,
) -> None:
    response = signed_in(worker).post(f"/placements/child/{child.pk}/change/", move())
    html = response.content.decode()
    assert response.status_code == 422
    assert "<title>Error: Record a change of placement" in html
    assert 'href="#id_reason_for_change"' in html and "Select why the placement changed" in html
    first.refresh_from_db()
    assert first.end is None and Placement.objects.count() == 1


def test_starting_over_a_current_placement_points_to_a_change(
    worker: Any, child: Any, first: Placement, signed_in: Any,
) -> None:
    response = signed_in(worker).post(f"/placements/child/{child.pk}/start/", move())
    assert response.status_code == 422
    assert ("The child already has a placement with Ms Haile from 1 September 2026. End it first or record a "
            "change of placement") in response.content.decode()
    assert Placement.objects.count() == 1


def test_a_provider_chosen_on_the_page_fills_the_coding(worker: Any, child: Any, signed_in: Any) -> None:
    home = Provider.objects.create(name="Elm Lodge", kind=Provider.Kind.CHILDRENS_HOME, place_type="K2",
                                   place_provider="PR4", ofsted_urn="SC123456", postcode="XX9 1AB", places=4,
                                   vacancies=1, cost_per_week=Decimal("4850"), out_of_area=True)
    response = signed_in(worker).post(f"/placements/child/{child.pk}/start/", {
        **date_fields("start", SEPT_1), "provider": str(home.pk), "long_term": "no"})
    assert response.status_code == 302
    placement = Placement.objects.get(child=child)
    assert (placement.placement_type, placement.place_provider, placement.urn, placement.postcode,
            placement.carer_or_provider, placement.out_of_area) == ("K2", "PR4", "SC123456", "XX9 1AB", "Elm Lodge",
                                                                   True)


def test_ending_before_the_start_through_the_page(worker: Any, child: Any, first: Placement, signed_in: Any) -> None:
    client = signed_in(worker)
    url = f"/placements/child/{child.pk}/end/"
    refused = client.post(url, {**date_fields("end", dt.date(2026, 8, 31)), "reason_for_change": "CARPL"})
    assert refused.status_code == 422
    assert 'href="#id_end-day"' in refused.content.decode()
    assert "The placement cannot end before it started, on 1 September 2026" in refused.content.decode()
    first.refresh_from_db()
    assert first.end is None
    ended = client.post(url, {**date_fields("end", dt.date(2026, 11, 1)), "reason_for_change": "ALLEG"})
    assert ended.status_code == 302
    first.refresh_from_db()
    assert (first.end, first.reason_for_change) == (dt.date(2026, 11, 1), "ALLEG")


def test_a_placement_is_ended_only_on_its_own_child(
    worker: Any, child: Any, first: Placement, make_child: Any, signed_in: Any,
) -> None:
    other = make_child(social_worker=worker)
    response = signed_in(worker).post(f"/placements/child/{other.pk}/end/",
                                      {**date_fields("end", dt.date(2026, 11, 1)), "reason_for_change": "CARPL"})
    assert response.status_code == 200
    assert "has no current placement" in response.content.decode()
    first.refresh_from_db()
    assert first.end is None


def test_reads_are_logged_and_out_of_scope_is_not_found(
    worker: Any, child: Any, first: Placement, make_user: Any, make_team: Any, signed_in: Any,
) -> None:
    client = signed_in(worker)
    assert client.get(f"/placements/child/{child.pk}/").status_code == 200
    assert client.get(f"/placements/child/{child.pk}/needs/").status_code == 200
    routes = set(AccessLogEntry.objects.filter(child_id=child.pk, user=worker).values_list("route", flat=True))
    assert {"placements:child", "placements:needs"} <= routes
    stranger = signed_in(make_user(Role.SOCIAL_WORKER, team=make_team()))
    for path in ("", "needs/", "start/", "change/", "end/"):
        assert stranger.get(f"/placements/child/{child.pk}/{path}").status_code == 404, path


def test_readers_see_the_needs_but_cannot_change_them(
    worker: Any, child: Any, make_user: Any, make_agency: Any, share_with: Any, signed_in: Any,
) -> None:
    services.needs_profile_save(actor=worker, child=child, needs=["trauma"], needs_detail="Nightmares since the crossing")
    iro_manager = signed_in(make_user(Role.IRO_MANAGER))
    page = iro_manager.get(f"/placements/child/{child.pk}/needs/")
    html = page.content.decode()
    assert page.status_code == 200 and "Trauma-informed care" in html and "<form" not in html.split("<main")[1]
    assert iro_manager.post(f"/placements/child/{child.pk}/needs/", {"needs": ["esol"]}).status_code == 403
    assert NeedsProfile.objects.get(child=child).needs == ["trauma"]
    agency = make_agency(kind="provider")
    share_with(child, agency, by=worker)
    provider_user = signed_in(make_user(Role.PARTNER, agency=agency))
    page = provider_user.get(f"/placements/child/{child.pk}/needs/")
    assert page.status_code == 404 and "Nightmares" not in page.content.decode()


@pytest.mark.parametrize(("target", "expected"), [
    ("/placements/requests/abc/", "/placements/requests/abc/"),
    ("https://evil.example/", None),
    ("//evil.example/placements/requests/", None),
])
def test_the_needs_page_goes_back_only_to_harbour_request_pages(
    worker: Any, child: Any, signed_in: Any, target: str, expected: str | None,
) -> None:
    response = signed_in(worker).post(f"/placements/child/{child.pk}/needs/?next={target}", {"needs": ["esol"]})
    assert response.status_code == 302
    assert response["Location"] == (expected or f"/placements/child/{child.pk}/")


def _queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_placements_page_keeps_its_queries_with_10_or_300_placements(
    worker: Any, child: Any, signed_in: Any,
) -> None:
    client = signed_in(worker)
    url = f"/placements/child/{child.pk}/"
    providers = Provider.objects.bulk_create([
        Provider(name=f"Carer {n}", kind=Provider.Kind.FOSTER_CARER, place_type="U6", place_provider="PR1")
        for n in range(3)])

    def with_placements(count: int) -> int:
        Placement.objects.filter(child=child).delete()
        Placement.objects.bulk_create([
            Placement(child=child, start=SEPT_1 - dt.timedelta(days=count - n), end=SEPT_1 - dt.timedelta(days=count - n - 1),
                      placement_type="U6", carer_or_provider=f"Carer {n}", provider=providers[n % 3],
                      postcode="HB2 1AA", reason_for_change="CARPL")
            for n in range(count)])
        return _queries(client, url)

    with_placements(10)  # warms the session and settings caches
    assert with_placements(10) == with_placements(300)


def test_the_start_form_keeps_its_queries_with_10_or_1000_providers(
    worker: Any, child: Any, signed_in: Any,
) -> None:
    client = signed_in(worker)
    url = f"/placements/child/{child.pk}/start/"

    def with_providers(count: int) -> int:
        Provider.objects.all().delete()
        Provider.objects.bulk_create([
            Provider(name=f"Provider {n:04d}", kind=Provider.Kind.FOSTERING_AGENCY, place_type="U6",
                     place_provider="PR4") for n in range(count)])
        return _queries(client, url)

    with_providers(10)
    assert with_providers(10) == with_providers(1000)
