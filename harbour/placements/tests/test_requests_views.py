"""The placement request pages: who may use them, what they show, their errors, and a fixed number
of queries whatever the number of requests, providers or offers."""

from __future__ import annotations

import datetime as dt
import html
import re
from decimal import Decimal
from typing import Any
from unittest import mock

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from harbour.accounts.models import Role
from harbour.audit.models import AccessLogEntry
from harbour.children import services as child_services
from harbour.placements import services_requests as services
from harbour.placements.models import (
    Offer,
    Placement,
    PlacementRequest,
    Provider,
    RequestRecipient,
)
from harbour.referrals.models import Referral

from .test_requests_support import *  # noqa: F403 (fixtures)
from .test_requests_support import NEEDED, NOW, TODAY

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def directory(make_provider, provider_agency) -> dict[str, Provider]:
    oak = provider_agency(name="Oak Care Ltd", email="placements@oak.example")
    return {
        "carer": make_provider(name="Amina and Yusuf Khan", languages="Pashto, English", faith="Muslim",
                               communities="Afghan"),
        "base": make_provider(name="Harbourside intake base", kind=Provider.Kind.INTAKE_BASE),
        "ifa": make_provider(name="Bright Futures Fostering", kind=Provider.Kind.FOSTERING_AGENCY,
                             partner_agency=oak, cost_per_week=Decimal("1100")),
        "home": make_provider(name="Oak House", kind=Provider.Kind.CHILDRENS_HOME, partner_agency=oak,
                              cost_per_week=Decimal("4200")),
        "supported": make_provider(name="Step Up Flats", kind=Provider.Kind.SUPPORTED_ACCOMMODATION),
    }


def body(response: Any) -> str:
    return response.content.decode()


def text(response: Any) -> str:
    """The page's words, tags removed and spaces squashed, for assertions on sentences."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body(response))).split())


def offer(request: PlacementRequest, provider: Provider, actor: Any, **fields: Any) -> Offer:
    fields.setdefault("available_from", NEEDED)
    return services.offer_record(actor=actor, request=request, provider=provider, now=NOW, today=TODAY, **fields)


# --- Who may see what -------------------------------------------------------------------------------


def test_the_list_is_for_placement_roles(people, child, make_request, signed_in, make_user, make_agency):
    make_request(child)
    for user in (people.officer, people.commissioner, people.leader, people.manager):
        assert signed_in(user).get("/placements/requests/").status_code == 200
    partner = make_user(Role.PARTNER, agency=make_agency())
    for user in (people.worker, partner):
        assert signed_in(user).get("/placements/requests/").status_code == 404


def test_the_list_shows_open_requests_nearest_date_first_with_counts_per_track(
        people, child, make_child, make_request, directory, signed_in):
    later = make_request(child, needed_from=dt.date(2026, 12, 10))
    sooner_child = make_child(social_worker=people.worker, given_names="Samir", family_name="Haidari",
                              date_of_birth=dt.date(2011, 1, 2))
    sooner = make_request(sooner_child, send=True)
    offer(sooner, directory["ifa"], people.officer)
    services.decline_record(actor=people.officer, request=sooner, provider=directory["carer"], reason="no_vacancy",
                            now=NOW)
    page = text(signed_in(people.officer).get("/placements/requests/"))
    assert page.index("Samir Haidari") < page.index("Dawit Tesfay")
    assert "Open requests (2)" in page
    assert ("Searching 2 asked 0 offered 1 declined 1 waiting 2 asked 1 offered 0 declined 1 waiting Dawit Tesfay"
            in page)
    assert "Not sent None asked None asked" in page
    assert str(later.pk) in body(signed_in(people.officer).get("/placements/requests/"))


def test_a_team_leader_sees_only_their_team_children(people, child, make_child, make_user, make_team, make_request,
                                                     signed_in):
    elsewhere = make_child(social_worker=make_user(Role.SOCIAL_WORKER, team=make_team()), given_names="Other")
    mine, theirs = make_request(child), make_request(elsewhere)
    leader = signed_in(people.leader)
    page = body(leader.get("/placements/requests/"))
    assert str(mine.pk) in page and str(theirs.pk) not in page
    assert leader.get(f"/placements/requests/{theirs.pk}/").status_code == 404
    assert leader.get(f"/placements/requests/{mine.pk}/").status_code == 200


def _bulk_requests(people: Any, n: int) -> None:
    from harbour.children.models import Child

    children = Child.unscoped.bulk_create(Child(given_names=f"Bulk{i}", family_name="Child") for i in range(n))
    requests = PlacementRequest.objects.bulk_create(
        PlacementRequest(child=c, needed_from=NEEDED + dt.timedelta(days=i % 9), created_by=people.officer,
                         status=PlacementRequest.Status.SEARCHING) for i, c in enumerate(children))
    providers = Provider.objects.bulk_create(Provider(name=f"P{i}", kind="foster_carer", place_type="U6",
                                                      place_provider="PR1") for i in range(4))
    RequestRecipient.objects.bulk_create(
        RequestRecipient(request=r, provider=p, track=p.track, asked_at=NOW, answer=answer)
        for r in requests for p, answer in zip(providers, ["waiting", "declined", "no_answer", "waiting"],
                                               strict=True))


def _count(client: Any, path: str) -> tuple[int, int]:
    client.get(path)  # warm: the council's settings row and the like
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    return response.status_code, len(queries)


def test_the_list_keeps_the_same_number_of_queries_for_2_or_200_requests(people, signed_in):
    client = signed_in(people.officer)
    _bulk_requests(people, 2)
    small = _count(client, "/placements/requests/")
    _bulk_requests(people, 198)
    large = _count(client, "/placements/requests/")
    assert small[0] == large[0] == 200
    assert small[1] == large[1], f"{small[1]} queries for 2 requests, {large[1]} for 200"
    assert "Open requests (200)" in body(client.get("/placements/requests/"))


def test_partners_and_other_caseloads_get_404_on_every_request_page(people, child, make_request, directory,
                                                                    signed_in, make_user, provider_agency):
    request = make_request(child, send=True)
    made = offer(request, directory["ifa"], people.officer)
    oak_user = make_user(Role.PARTNER, agency=directory["ifa"].partner_agency)
    paths = [f"/placements/requests/{request.pk}/", f"/placements/requests/{request.pk}/change/",
             f"/placements/requests/{request.pk}/providers/{directory['ifa'].pk}/offer/",
             f"/placements/requests/{request.pk}/providers/{directory['ifa'].pk}/decline/",
             f"/placements/requests/{request.pk}/offers/", f"/placements/requests/{request.pk}/choice/",
             f"/placements/requests/{request.pk}/offers/{made.pk}/child-view/",
             f"/placements/requests/{request.pk}/place/", f"/placements/requests/new/{child.pk}/"]
    for user in (oak_user, people.other_worker):
        client = signed_in(user)
        for path in paths:
            assert client.get(path).status_code == 404, (user.role, path)
        for path in (f"/placements/requests/{request.pk}/send/", f"/placements/requests/{request.pk}/no-answer/"):
            assert client.post(path).status_code == 404
    assert signed_in(people.officer).get("/placements/requests/not-a-uuid/").status_code == 404


# --- A new request ------------------------------------------------------------------------------------


def test_the_new_request_page_shows_the_profile_from_the_record(people, child, signed_in):
    response = signed_in(people.officer).get(f"/placements/requests/new/{child.pk}/")
    assert response.status_code == 200
    page = text(response)
    for words in ("Ask providers for a placement", "Languages Pashto, Dari, English", "Faith Muslim",
                  "Communities Afghan", "Trauma-informed care", "English language support",
                  "Do not include names, dates of birth or references"):
        assert words in page, words
    assert "council eyes only" not in page  # the needs detail stays on the needs page
    assert AccessLogEntry.objects.filter(child_id=child.pk, route="placements:request_new").exists()


def test_the_needs_link_is_shown_only_when_the_needs_page_exists(people, child, signed_in):
    from harbour.placements import views_requests

    with mock.patch.object(views_requests, "reverse", return_value="/needs-page/"):
        assert 'href="/needs-page/"' in body(signed_in(people.officer).get(f"/placements/requests/new/{child.pk}/"))
    with mock.patch.object(views_requests, "reverse", side_effect=views_requests.NoReverseMatch):
        assert "Change the child&#39;s needs" not in body(
            signed_in(people.officer).get(f"/placements/requests/new/{child.pk}/"))


def test_a_new_request_with_errors_shows_them_and_saves_nothing(people, child, signed_in):
    response = signed_in(people.officer).post(f"/placements/requests/new/{child.pk}/", {
        "needed_from-day": "31", "needed_from-month": "2", "needed_from-year": "2026",
        "summary_for_providers": "",
    })
    assert response.status_code == 422
    page = body(response)
    assert "<title>Error: Ask providers for a placement" in page
    assert "There is a problem" in page
    assert 'href="#id_needed_from-day"' in page and "Date needed must be a real date" in page
    assert "Enter a summary for providers of what the child needs from a placement" in page
    assert not PlacementRequest.objects.exists()


def test_a_summary_naming_the_child_is_refused_on_the_page(people, child, signed_in):
    response = signed_in(people.officer).post(f"/placements/requests/new/{child.pk}/", {
        "needed_from-day": "27", "needed_from-month": "11", "needed_from-year": "2026",
        "summary_for_providers": "Tesfay is kind",
    })
    assert response.status_code == 422
    assert "Summary for providers must not include the child&#39;s name, date of birth or references" in body(response)
    assert not PlacementRequest.objects.exists()


def test_a_new_request_is_saved_as_a_draft_showing_what_providers_will_see(people, child, directory, signed_in):
    client = signed_in(people.officer)
    response = client.post(f"/placements/requests/new/{child.pk}/", {
        "needed_from-day": "27", "needed_from-month": "11", "needed_from-year": "2026",
        "area_wanted": "Harbourside", "summary_for_providers": "Needs a quiet home near a college",
    })
    request = PlacementRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/placements/requests/{request.pk}/"
    page = text(client.get(response["Location"]))
    for words in ("Request saved. Check what providers will see, then send it", "Not sent",
                  "What providers will be told", "Age 15 years old on the date needed", "Sex Boy",
                  "Area wanted Harbourside", "About the child Needs a quiet home near a college",
                  "2 in-house and 2 external providers", "Step Up Flats: Supported accommodation is only for 16 and 17"):
        assert words in page, words


def test_a_request_from_an_nts_referral(people, child, signed_in):
    referral = Referral.objects.create(
        child=child, team=people.team, received_at=NOW - dt.timedelta(days=1), referring_authority="Kent",
        nts_reference="NTS-2026-0042", transfer_due=NEEDED, transfer_working_days=5,
        status=Referral.Status.ACCEPTED, recorded_by=people.leader)
    client = signed_in(people.officer)
    page = client.get(f"/placements/requests/new/{child.pk}/?referral={referral.pk}")
    assert "NTS referral NTS-2026-0042" in body(page)
    client.post(f"/placements/requests/new/{child.pk}/?referral={referral.pk}", {
        "needed_from-day": "27", "needed_from-month": "11", "needed_from-year": "2026",
        "summary_for_providers": "Calm home", "referral": str(referral.pk),
    })
    assert PlacementRequest.objects.get().referral == referral
    assert client.get(f"/placements/requests/new/{child.pk}/?referral=nonsense").status_code == 404


def test_a_draft_can_be_changed(people, child, make_request, signed_in):
    request = make_request(child)
    client = signed_in(people.officer)
    assert "Change the placement request" in body(client.get(f"/placements/requests/{request.pk}/change/"))
    response = client.post(f"/placements/requests/{request.pk}/change/", {
        "needed_from-day": "2", "needed_from-month": "12", "needed_from-year": "2026",
        "area_wanted": "North", "summary_for_providers": "Quiet home"})
    assert response.status_code == 302
    request.refresh_from_db()
    assert (request.needed_from, request.area_wanted) == (dt.date(2026, 12, 2), "North")


# --- Sending and answers ------------------------------------------------------------------------------


def test_sending_from_the_page_asks_both_tracks(people, child, make_request, directory, signed_in):
    request = make_request(child)
    client = signed_in(people.officer)
    response = client.post(f"/placements/requests/{request.pk}/send/")
    assert response.status_code == 302
    page = text(client.get(f"/placements/requests/{request.pk}/"))
    assert "Request sent to 4 providers: 2 in-house and 2 external" in page
    assert "In-house (2 asked)" in page and "External (2 asked)" in page
    assert "Amina and Yusuf Khan Council foster carer 20 November 2026 at 10:00am Waiting for an answer" in page
    assert "Not asked, and why Step Up Flats: Supported accommodation is only for 16 and 17 year olds" in page


def test_sending_with_nobody_to_ask_shows_the_error(people, child, make_request, make_provider, signed_in):
    make_provider(name="Full House", vacancies=0)
    request = make_request(child)
    response = signed_in(people.officer).post(f"/placements/requests/{request.pk}/send/")
    assert response.status_code == 422
    page = body(response)
    assert "<title>Error: Placement request" in page and 'href="#send"' in page and 'id="send"' in page
    assert "No provider can take this child on 27 November 2026" in page
    assert not RequestRecipient.objects.exists()


def test_an_offer_is_recorded_from_the_page(people, child, make_request, directory, signed_in):
    request = make_request(child, send=True)
    client = signed_in(people.officer)
    path = f"/placements/requests/{request.pk}/providers/{directory['ifa'].pk}/offer/"
    page = client.get(path)
    assert "Record an offer from Bright Futures Fostering" in body(page)
    bad = client.post(path, {"available_from-day": "", "cost_per_week": "lots"})
    assert bad.status_code == 422
    assert "Enter the date the place is available from" in body(bad)
    assert not Offer.objects.exists()
    good = client.post(path, {"available_from-day": "27", "available_from-month": "11", "available_from-year": "2026",
                              "cost_per_week": "", "carer_or_unit": "The Smith family"})
    assert good.status_code == 302
    made = Offer.objects.get()
    assert (made.cost_per_week, made.recorded_by) == (Decimal("1100.00"), people.officer)
    assert "From 27 November 2026, £1,100 a week, The Smith family" in text(client.get(f"/placements/requests/{request.pk}/"))


def test_an_offer_from_a_provider_not_asked_is_refused_on_the_page(people, child, make_request, directory,
                                                                   make_provider, signed_in):
    request = make_request(child, send=True)
    stranger = make_provider(name="Never Asked")
    client = signed_in(people.officer)
    path = f"/placements/requests/{request.pk}/providers/{stranger.pk}/offer/"
    assert "Never Asked was not asked for this child. Send the request to them first." in body(client.get(path))
    response = client.post(path, {"available_from-day": "27", "available_from-month": "11",
                                  "available_from-year": "2026"})
    assert response.status_code == 422
    assert "Never Asked was not asked for this child. Send the request to them first" in body(response)
    assert not Offer.objects.exists()
    assert client.get(f"/placements/requests/{request.pk}/providers/{child.pk}/offer/").status_code == 404


def test_a_decline_is_recorded_from_the_page(people, child, make_request, directory, signed_in):
    request = make_request(child, send=True)
    client = signed_in(people.commissioner)
    path = f"/placements/requests/{request.pk}/providers/{directory['home'].pk}/decline/"
    bad = client.post(path, {"decline_reason": "other"})
    assert bad.status_code == 422 and "Enter why the provider declined" in body(bad)
    assert client.post(path, {"decline_reason": "no_vacancy"}).status_code == 302
    page = text(client.get(f"/placements/requests/{request.pk}/"))
    assert "Declined 20 November 2026 at 10:00am" in page and "No vacancy" in page


def test_the_no_answer_button(people, child, make_request, directory, signed_in):
    request = make_request(child, send=True)
    client = signed_in(people.officer)
    assert "Mark as no answer" not in body(client.get(f"/placements/requests/{request.pk}/"))
    with time_machine.travel(NOW + dt.timedelta(hours=49), tick=False):
        client = signed_in(people.officer)  # a new day, a new session
        assert "4 providers have not answered in 48 hours" in text(client.get(f"/placements/requests/{request.pk}/"))
        client.post(f"/placements/requests/{request.pk}/no-answer/")
        page = text(client.get(f"/placements/requests/{request.pk}/"))
    assert "4 providers were marked as no answer" in page
    assert RequestRecipient.objects.filter(answer="no_answer").count() == 4


def test_the_request_page_keeps_the_same_number_of_queries_for_10_or_1000_providers(people, child, make_request,
                                                                                    signed_in):
    client = signed_in(people.officer)
    counts = []
    for size in (10, 1000):
        Provider.objects.bulk_create(Provider(name=f"Carer {size}-{i:04d}", kind="foster_carer", place_type="U6",
                                              place_provider="PR1", places=2, vacancies=1) for i in range(size))
        request = make_request(child, send=True)
        status, queries = _count(client, f"/placements/requests/{request.pk}/")
        counts.append(queries)
        assert status == 200
    assert counts[0] == counts[1], counts


# --- Comparing offers, the child's view and the choice ------------------------------------------------


@pytest.fixture
def offers(people, child, make_request, directory) -> tuple[PlacementRequest, Offer, Offer, Offer]:
    request = make_request(child, send=True)
    return (request, offer(request, directory["carer"], people.officer),
            offer(request, directory["ifa"], people.officer, carer_or_unit="The Smith family"),
            offer(request, directory["home"], people.officer))


def test_the_comparison_ranks_the_offers_and_explains_each_score(people, offers, signed_in):
    request, carer, ifa, home = offers
    response = signed_in(people.worker).get(f"/placements/requests/{request.pk}/offers/")
    assert response.status_code == 200
    page = text(response)
    assert page.index("1. Amina and Yusuf Khan") < page.index("Bright Futures Fostering (The Smith family)")
    assert "Language: 3 of 3 points. Speaks Pashto, the child's first language" in page
    for criterion in ("Faith and culture", "Community and distance", "Needs", "Cost per week"):
        assert re.search(rf"{criterion}: [\d.]+ of \d+ points?\. ", page), criterion
    assert re.search(r"Score \d+ out of 100", page)
    assert "Record the child's view of the offer from Oak House" in page
    assert "Cost per week: £4,200" in page and "Available from: 27 November 2026" in page
    # Social workers record the child's view; the choice is the placement roles'.
    assert "Record the child's choice" not in page
    assert "Record the child's choice" in text(signed_in(people.officer).get(f"/placements/requests/{request.pk}/offers/"))


def _many_offers(people: Any, child: Any, make_request: Any, providers: int, offers: int) -> PlacementRequest:
    Provider.objects.bulk_create(Provider(name=f"Carer {providers}-{i:04d}", kind="foster_carer", place_type="U6",
                                          place_provider="PR1", places=2, vacancies=1) for i in range(providers))
    request = make_request(child, send=True)
    recipients = list(RequestRecipient.objects.filter(request=request).select_related("provider")[:offers])
    Offer.objects.bulk_create(Offer(recipient=r, request=request, provider=r.provider, available_from=NEEDED,
                                    cost_per_week=Decimal(800 + i), recorded_by=people.officer, child_view="Yes",
                                    child_view_recorded_by=people.worker, child_view_recorded_at=NOW)
                              for i, r in enumerate(recipients))
    RequestRecipient.objects.filter(pk__in=[r.pk for r in recipients]).update(answer="offered", answered_at=NOW)
    return request


def test_the_comparison_keeps_the_same_number_of_queries_for_10_or_1000_providers(people, child, make_request,
                                                                                 signed_in):
    client = signed_in(people.officer)
    small = _count(client, f"/placements/requests/{_many_offers(people, child, make_request, 10, 3).pk}/offers/")
    large = _count(client, f"/placements/requests/{_many_offers(people, child, make_request, 1000, 60).pk}/offers/")
    assert small[0] == large[0] == 200
    assert small[1] == large[1], f"{small[1]} queries for 10 providers, {large[1]} for 1,000"


def test_the_child_view_is_recorded_on_the_card(people, offers, signed_in):
    request, carer, _ifa, _home = offers
    path = f"/placements/requests/{request.pk}/offers/{carer.pk}/child-view/"
    assert signed_in(people.commissioner).get(path).status_code == 404
    client = signed_in(people.worker)
    bad = client.post(path, {"child_view": ""})
    assert bad.status_code == 422 and "Enter the child&#39;s view of this offer, in their words" in body(bad)
    assert client.post(path, {"child_view": "They speak Pashto. I want to live there."}).status_code == 302
    page = text(client.get(f"/placements/requests/{request.pk}/offers/"))
    assert "They speak Pashto. I want to live there. Recorded 20 November 2026 at 10:00am by" in page


def test_the_choice_from_the_page(people, offers, signed_in):
    request, carer, _ifa, _home = offers
    path = f"/placements/requests/{request.pk}/choice/"
    assert signed_in(people.worker).get(path).status_code == 404
    client = signed_in(people.officer)
    bad = client.post(path, {"offer": str(carer.pk), "chosen_by": "child", "choice_reason": ""})
    assert bad.status_code == 422
    assert "Enter why this offer was chosen" in body(bad)
    refused = client.post(path, {"offer": str(carer.pk), "chosen_by": "child", "choice_reason": "Chose them"})
    assert "Record the child&#39;s view of the offer from Amina and Yusuf Khan before recording" in body(refused)
    good = client.post(path, {"offer": str(carer.pk), "chosen_by": "social_worker",
                              "choice_reason": "Speaks his language and near college"})
    assert good.status_code == 302
    request.refresh_from_db()
    assert request.status == PlacementRequest.Status.CHOSEN and request.chosen_offer == carer
    page = text(client.get(f"/placements/requests/{request.pk}/"))
    assert "Offer chosen Amina and Yusuf Khan" in page and "takes no new offers" in page


def test_the_placement_starts_from_the_page(people, offers, signed_in):
    request, carer, _ifa, _home = offers
    services.choice_record(actor=people.officer, request=request, offer=carer, chosen_by="social_worker",
                           reason="Best match", now=NOW)
    client = signed_in(people.officer)
    path = f"/placements/requests/{request.pk}/place/"
    assert "Start the placement" in body(client.get(path))
    assert client.post(path, {}).status_code == 422

    future = client.post(path, {"start-day": "21", "start-month": "11", "start-year": "2026", "long_term": "no"})
    assert future.status_code == 422 and "Start date must be today or in the past" in body(future)
    child_services.period_looked_after_add(actor=people.worker, child=request.child, start=dt.date(2026, 11, 1),
                                           end=None, today=TODAY)
    response = client.post(path, {"start-day": "20", "start-month": "11", "start-year": "2026", "long_term": "yes"})
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == PlacementRequest.Status.PLACED
    assert (request.placement.provider, request.placement.long_term, request.placement.start) == (
        carer.provider, True, TODAY)
    assert "Placement started" in text(client.get(response["Location"]))


def test_an_nts_child_not_arrived_is_sent_to_the_arrival(people, child, make_request, directory, signed_in):
    referral = Referral.objects.create(
        child=child, team=people.team, received_at=NOW - dt.timedelta(days=1), referring_authority="Kent",
        nts_reference="NTS-2026-0043", transfer_due=NEEDED, transfer_working_days=5,
        status=Referral.Status.ACCEPTED, recorded_by=people.leader)
    request = make_request(child, referral=referral, send=True)
    made = offer(request, directory["carer"], people.officer)
    services.choice_record(actor=people.officer, request=request, offer=made, chosen_by="social_worker",
                           reason="Best match", now=NOW)
    client = signed_in(people.officer)
    page = body(client.get(f"/placements/requests/{request.pk}/place/"))
    assert f'href="/referrals/{referral.pk}/arrival/"' in page and "<form" not in page.split("<main")[1]
    response = client.post(f"/placements/requests/{request.pk}/place/",
                           {"start-day": "27", "start-month": "11", "start-year": "2026", "long_term": "no"})
    assert response.status_code == 200 and not Placement.objects.exists()
