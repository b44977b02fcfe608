"""The provider view: a provider's own users see the requests sent to their providers, only the
provider-safe profile, answer for their own providers only, and every read is logged."""

from __future__ import annotations

import datetime as dt
import html
import re
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from harbour.accounts.models import PartnerAgency, Role
from harbour.audit.models import AccessLogEntry
from harbour.placements import services_requests as services
from harbour.placements.models import Offer, PlacementRequest, Provider, RequestRecipient

from .test_requests_support import *  # noqa: F403 (fixtures)
from .test_requests_support import NEEDED, NOW, TODAY

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def text(response: Any) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


@pytest.fixture
def oak(provider_agency, make_provider, make_user) -> Any:
    """Oak Care: two providers (a fostering agency and a children's home) and one user."""
    agency = provider_agency(name="Oak Care Ltd", email="placements@oak.example")
    ifa = make_provider(name="Bright Futures Fostering", kind=Provider.Kind.FOSTERING_AGENCY, partner_agency=agency,
                        cost_per_week=Decimal("1100"))
    home = make_provider(name="Oak House", kind=Provider.Kind.CHILDRENS_HOME, partner_agency=agency)
    user = make_user(Role.PARTNER, agency=agency, username="oak-user")
    return type("Oak", (), {"agency": agency, "ifa": ifa, "home": home, "user": user})


@pytest.fixture
def elm(provider_agency, make_provider, make_user) -> Any:
    agency = provider_agency(name="Elm Homes")
    home = make_provider(name="Elm House", kind=Provider.Kind.CHILDRENS_HOME, partner_agency=agency)
    user = make_user(Role.PARTNER, agency=agency, username="elm-user")
    return type("Elm", (), {"agency": agency, "home": home, "user": user})


def recipient_of(request: PlacementRequest, provider: Provider) -> RequestRecipient:
    return RequestRecipient.objects.get(request=request, provider=provider)


def test_a_provider_sees_only_what_was_sent_to_their_own_providers(people, child, make_request, oak, elm, signed_in,
                                                                   make_provider):
    make_provider(name="Council carer")
    sent = make_request(child, send=True)
    make_request(child)  # a draft: never shown to anyone outside the council
    client = signed_in(oak.user)
    response = client.get("/placements/provider/")
    assert response.status_code == 200
    page = text(response)
    assert "Requests (2)" in page
    assert "Bright Futures Fostering" in page and "Oak House" in page
    assert "Elm House" not in page and "Council carer" not in page
    assert "Boy, 15" in page
    ids = {str(recipient_of(sent, oak.ifa).pk), str(recipient_of(sent, oak.home).pk)}
    assert all(i in response.content.decode() for i in ids)
    # One access-log row per child shown, on the provider's list route.
    assert AccessLogEntry.objects.filter(user=oak.user, child_id=child.pk, route="placements:provider_requests",
                                         purpose="placement request (provider)").count() == 1


def test_the_detail_shows_the_profile_and_their_own_answer_only(people, child, make_request, oak, signed_in):
    request = make_request(child, send=True)
    services.decline_record(actor=people.officer, request=request, provider=oak.home, reason="other",
                            detail="Staff shortage at the home", now=NOW)
    client = signed_in(oak.user)
    response = client.get(f"/placements/provider/{recipient_of(request, oak.ifa).pk}/")
    assert response.status_code == 200
    page = text(response)
    for words in ("Sent to Bright Futures Fostering on 20 November 2026 at 10:00am", "Open for offers",
                  "Date needed Friday 27 November 2026", "Age 15 years old on the date needed", "Sex Boy",
                  "Languages Pashto, Dari, English",
                  "Needs English language support, Help into school or college",
                  "Area wanted Harbourside", "About the child Needs a calm home near a college with ESOL classes",
                  "Answer Waiting for an answer", "Make an offer", "Decline"):
        assert words in page, words
    assert "Staff shortage" not in page  # another provider's answer, even of the same agency
    # Special-category data stays with the council (security checklist item 4).
    for words in ("Muslim", "Afghan", "Trauma-informed care", "Faith"):
        assert words not in page, words
    assert AccessLogEntry.objects.filter(user=oak.user, route="placements:provider_request").count() == 1


def test_a_provider_makes_an_offer(people, child, make_request, oak, signed_in):
    request = make_request(child, send=True)
    recipient = recipient_of(request, oak.ifa)
    client = signed_in(oak.user)
    path = f"/placements/provider/{recipient.pk}/offer/"
    form = text(client.get(path))
    assert "Make an offer" in form and "Leave it empty for your usual cost, £1,100." in form
    bad = client.post(path, {"available_from-day": "", "cost_per_week": "-1"})
    assert bad.status_code == 422
    assert "<title>Error: Make an offer" in bad.content.decode()
    assert "Enter the date the place is available from" in text(bad)
    assert not Offer.objects.exists()
    good = client.post(path, {"available_from-day": "27", "available_from-month": "11", "available_from-year": "2026",
                              "carer_or_unit": "The Smith family", "details": "Two carers who speak Dari"})
    assert good.status_code == 302 and good["Location"] == f"/placements/provider/{recipient.pk}/"
    made = Offer.objects.get()
    assert (made.provider, made.recorded_by, made.cost_per_week) == (oak.ifa, oak.user, Decimal("1100.00"))
    page = text(client.get(good["Location"]))
    assert "Offer sent to the council" in page and "Answer Offered" in page and "The Smith family" in page
    # Answered: no second offer, no decline.
    assert client.get(path).status_code == 302
    assert client.get(f"/placements/provider/{recipient.pk}/decline/").status_code == 302


def test_a_provider_declines(people, child, make_request, oak, signed_in):
    request = make_request(child, send=True)
    recipient = recipient_of(request, oak.home)
    client = signed_in(oak.user)
    path = f"/placements/provider/{recipient.pk}/decline/"
    bad = client.post(path, {"decline_reason": "other", "decline_detail": ""})
    assert bad.status_code == 422 and "Enter why you are declining" in text(bad)
    none = client.post(path, {})
    assert none.status_code == 422 and "Select why you are declining" in text(none)
    assert client.post(path, {"decline_reason": "no_vacancy"}).status_code == 302
    recipient.refresh_from_db()
    assert (recipient.answer, recipient.answered_by, recipient.decline_reason) == ("declined", oak.user,
                                                                                  "no_vacancy")


def test_a_closed_request_cannot_be_answered(people, child, make_request, oak, signed_in, make_provider):
    carer = make_provider(name="Council carer")
    request = make_request(child, send=True)
    made = services.offer_record(actor=people.officer, request=request, provider=carer, available_from=NEEDED,
                                 now=NOW, today=TODAY)
    services.choice_record(actor=people.officer, request=request, offer=made, chosen_by="social_worker",
                           reason="Best match", now=NOW)
    client = signed_in(oak.user)
    recipient = recipient_of(request, oak.ifa)
    page = text(client.get(f"/placements/provider/{recipient.pk}/"))
    assert "Closed: the council has chosen a placement" in page and "Make an offer" not in page
    assert "Council carer" not in page
    assert client.post(f"/placements/provider/{recipient.pk}/offer/", {
        "available_from-day": "27", "available_from-month": "11", "available_from-year": "2026"}).status_code == 302
    assert Offer.objects.count() == 1


def test_another_provider_gets_404_for_everything_that_is_not_theirs(people, child, make_request, oak, elm,
                                                                     signed_in, make_user, make_agency):
    request = make_request(child, send=True)
    oak_recipient = recipient_of(request, oak.ifa)
    health = make_user(Role.PARTNER, agency=make_agency(kind=PartnerAgency.Kind.HEALTH))
    paths = [f"/placements/provider/{oak_recipient.pk}/", f"/placements/provider/{oak_recipient.pk}/offer/",
             f"/placements/provider/{oak_recipient.pk}/decline/"]
    for user in (elm.user, health, people.officer, people.manager):
        client = signed_in(user)
        for path in paths:
            assert client.get(path).status_code == 404, (user.username, path)
        assert client.post(paths[1], {"available_from-day": "27", "available_from-month": "11",
                                      "available_from-year": "2026"}).status_code == 404
        assert client.post(paths[2], {"decline_reason": "no_vacancy"}).status_code == 404
    for user in (health, people.officer):
        assert signed_in(user).get("/placements/provider/").status_code == 404
    assert signed_in(elm.user).get("/placements/provider/not-an-id/").status_code == 404
    # Elm's own list does not show Oak's requests.
    assert "Requests" not in text(signed_in(elm.user).get("/placements/provider/")).split("Placement requests sent to you")[1][:20]
    assert not Offer.objects.exists()
    assert RequestRecipient.objects.get(pk=oak_recipient.pk).answer == "waiting"


def _bulk(request_count: int, people: Any, provider: Provider) -> None:
    from harbour.children.models import Child

    children = Child.unscoped.bulk_create(Child(given_names=f"Bulk{i}", family_name="Child")
                                          for i in range(request_count))
    requests = PlacementRequest.objects.bulk_create(
        PlacementRequest(child=c, needed_from=NEEDED + dt.timedelta(days=i % 9), created_by=people.officer,
                         status=PlacementRequest.Status.SEARCHING, age_years=15, sex="M", needs=["trauma"])
        for i, c in enumerate(children))
    RequestRecipient.objects.bulk_create(RequestRecipient(request=r, provider=provider, track="external", asked_at=NOW)
                                         for r in requests)


def test_the_provider_list_keeps_the_same_number_of_queries_for_2_or_200_requests(people, oak, signed_in):
    client = signed_in(oak.user)

    def count() -> tuple[int, int]:
        """(queries other than the access log's bulk insert, the bulk insert's statements)."""
        client.get("/placements/provider/")
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/placements/provider/").status_code == 200
        log = [q for q in queries if q["sql"].startswith('INSERT INTO "audit_accesslogentry"')]
        return len(queries) - len(log), len(log)

    _bulk(2, people, oak.ifa)
    small, small_log = count()
    _bulk(198, people, oak.ifa)
    large, large_log = count()
    assert small == large, f"{small} queries for 2 requests, {large} for 200"
    # One bulk insert for the access log (SQLite splits a long one into batches of about 140 rows).
    assert small_log == 1 and large_log <= 2
    assert AccessLogEntry.objects.filter(user=oak.user).count() == 2 * 2 + 2 * 200
