"""The sentinel test (security checklist 4; issue 4, "Done when"): a child whose every restricted
field holds a unique sentinel string is sent a placement request, and no sentinel appears in any
page or API answer a provider's user can reach. The exact list of pages fetched is asserted too,
so a page added to the provider view without being checked here fails this test."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest
import time_machine

from harbour.accounts.models import ApiToken, Role
from harbour.children import services as child_services
from harbour.children.models import ChronologyEntry
from harbour.core.models import OutboxMessage
from harbour.placements import services_requests as services
from harbour.placements.models import NeedsProfile, Provider, RequestRecipient
from harbour.referrals.models import Referral

from .test_requests_support import *  # noqa: F403 (fixtures)
from .test_requests_support import NEEDED, NOW, TODAY

pytestmark = pytest.mark.django_db

DATE_OF_BIRTH = dt.date(2011, 5, 19)
OTHER_DATE_OF_BIRTH = dt.date(2010, 9, 13)
SENTINELS = {
    "given_names": "SNTLgiven7731",
    "family_name": "SNTLfamily7732",
    "preferred_name": "SNTLpreferred7733",
    "names_in_original_script": "سنتينل٧٧٣٤",
    "alias": "SNTLalias7735",
    "spelling": "SNTLspelling7736",
    "home_office_reference": "SNTL-HO-7737",
    "port_reference": "SNTL-PORT-7738",
    "upn": "S77390000000X",
    "needs_detail": "SNTLneedsdetail7740",
    "chronology_title": "SNTLchronotitle7741",
    "chronology_description": "SNTLchronodescription7742",
    "referring_authority": "SNTLreferrer7743",
    "referrer_contact": "SNTLcontact7744",
    "nts_reference": "SNTL-NTS-7745",
    "current_location": "SNTLlocation7746",
    "health_information": "SNTLhealth7747",
    "safety_information": "SNTLsafety7748",
    "trafficking_indicators": "SNTLtrafficking7749",
    "family_links": "SNTLfamilylinks7750",
    "legal_representative": "SNTLlawyer7751",
    "documents_received": "SNTLdocument7752",
    "contest_reason": "SNTLcontest7753",
    # Other providers' answers, and the council's own words about the offers.
    "other_decline_detail": "SNTLotherdecline7754",
    "other_offer_unit": "SNTLotherunit7755",
    "other_offer_details": "SNTLotherdetails7756",
    "child_view": "SNTLchildview7757",
    "choice_reason": "SNTLchoicereason7758",
    # Special-category data (security checklist item 4): religion, and the nationality that stands
    # for ethnicity and immigration status.
    "religion": "SNTLreligion7759",
    "nationality": "SNTLnationality7760",
}
# Restricted facts held as codes: their words must not appear either.
RESTRICTED_WORDS = ["Gypsy or Roma", "Trauma-informed care", "Emotional and mental health support",
                    "Risk of exploitation or trafficking"]
# The dates of birth, as any page might write them.
DATE_SENTINELS = [form for day in (DATE_OF_BIRTH, OTHER_DATE_OF_BIRTH) for form in (
    day.isoformat(), f"{day.day} {day:%B %Y}", f"{day.day} {day:%b %Y}", f"{day:%d/%m/%Y}",
    f"{day.day}/{day.month}/{day.year}")]  # not the year alone: random ids contain "2011" by chance


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def secret_child(people, make_child) -> Any:
    child = make_child(
        social_worker=people.worker, date_of_birth=DATE_OF_BIRTH, sex="M", first_language="Tigrinya",
        other_languages="Arabic", religion=SENTINELS["religion"], nationality=SENTINELS["nationality"],
        ethnicity="WROM", is_uasc=True,
        **{field: SENTINELS[field] for field in ("given_names", "family_name", "preferred_name",
                                                 "names_in_original_script", "home_office_reference",
                                                 "port_reference", "upn")},
    )
    child_services.child_add_name(actor=people.worker, child=child, name=SENTINELS["alias"], kind="alias")
    child_services.child_add_name(actor=people.worker, child=child, name=SENTINELS["spelling"], kind="spelling")
    child_services.date_of_birth_record(actor=people.worker, child=child, date_of_birth=OTHER_DATE_OF_BIRTH,
                                        source="home_office", use_it=False, note="From the Home Office", today=TODAY)
    NeedsProfile.objects.create(child=child, needs=["trauma", "mental_health", "exploitation", "esol"],
                                needs_detail=SENTINELS["needs_detail"])
    ChronologyEntry.objects.create(child=child, kind="note", occurred_at=NOW - dt.timedelta(days=1),
                                   title=SENTINELS["chronology_title"],
                                   description=SENTINELS["chronology_description"], recorded_by=people.worker)
    return child


@pytest.fixture
def referral(secret_child, people) -> Referral:
    return Referral.objects.create(
        child=secret_child, team=people.team, received_at=NOW - dt.timedelta(days=1), transfer_due=NEEDED,
        transfer_working_days=5, status=Referral.Status.ACCEPTED, recorded_by=people.leader,
        documents_received=SENTINELS["documents_received"],
        **{field: SENTINELS[field] for field in (
            "referring_authority", "referrer_contact", "nts_reference", "current_location", "health_information",
            "safety_information", "trafficking_indicators", "family_links", "legal_representative",
            "contest_reason")},
    )


def same_page(one: Any, other: Any) -> bool:
    def strip(response: Any) -> str:
        # The CSRF token is masked afresh for every response: in the meta tag and the sign-out form.
        return re.sub(r'(name="csrf-token" content|name="csrfmiddlewaretoken" value)="[^"]*"', "",
                      response.content.decode())
    return strip(one) == strip(other)


def assert_no_sentinel(where: str, content: str) -> None:
    folded = content.casefold()
    found = [name for name, value in SENTINELS.items() if value.casefold() in folded]
    found += [value for value in DATE_SENTINELS if value.casefold() in folded]
    found += [words for words in RESTRICTED_WORDS if words.casefold() in folded]
    assert found == [], f"{where} shows restricted data: {found}"


def test_no_restricted_field_reaches_any_provider_page_or_api_answer(
        people, secret_child, referral, make_provider, provider_agency, make_user, make_request, signed_in,
        django_capture_on_commit_callbacks):
    oak = provider_agency(name="Oak Care Ltd", email="placements@oak.example")
    elm = provider_agency(name="Elm Homes", email="elm@example.org")
    ours = make_provider(name="Bright Futures Fostering", kind=Provider.Kind.FOSTERING_AGENCY, partner_agency=oak,
                         cost_per_week=Decimal("1100"))
    second = make_provider(name="Oak House", kind=Provider.Kind.CHILDRENS_HOME, partner_agency=oak)
    theirs = make_provider(name="Elm House", kind=Provider.Kind.CHILDRENS_HOME, partner_agency=elm)
    carer = make_provider(name="Council carer")
    oak_user = make_user(Role.PARTNER, agency=oak)

    with django_capture_on_commit_callbacks(execute=True):
        request = make_request(secret_child, referral=referral, send=True,
                               summary="Needs a quiet home near a college; enjoys football")
    # Everything the council records about the other providers' answers and the offers.
    services.decline_record(actor=people.officer, request=request, provider=theirs, reason="other",
                            detail=SENTINELS["other_decline_detail"], now=NOW)
    other_offer = services.offer_record(actor=people.officer, request=request, provider=carer,
                                        available_from=NEEDED, carer_or_unit=SENTINELS["other_offer_unit"],
                                        details=SENTINELS["other_offer_details"], now=NOW, today=TODAY)
    services.child_view_record(actor=people.worker, offer=other_offer, child_view=SENTINELS["child_view"], now=NOW)
    # A second, closed request for the same child: its choice reason is the council's too.
    closed = make_request(secret_child, send=True, summary="Needs a quiet home near a college")
    chosen = services.offer_record(actor=people.officer, request=closed, provider=carer, available_from=NEEDED,
                                   now=NOW, today=TODAY)
    services.choice_record(actor=people.officer, request=closed, offer=chosen, chosen_by="social_worker",
                           reason=SENTINELS["choice_reason"], now=NOW)

    mine = RequestRecipient.objects.get(request=request, provider=ours)
    not_mine = RequestRecipient.objects.get(request=request, provider=theirs)
    client = signed_in(oak_user)
    _, token = ApiToken.issue(user=oak_user, name="Oak's system")
    api = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    fetched: list[tuple[str, str, int]] = []

    def fetch(method: str, path: str, data: dict[str, str] | None = None, **extra: Any) -> Any:
        response = getattr(client, method)(path, data or {}, **extra)
        fetched.append((method.upper(), path, response.status_code))
        assert_no_sentinel(f"{method.upper()} {path}", response.content.decode())
        return response

    base = f"/placements/provider/{mine.pk}"
    date = {"available_from-day": "27", "available_from-month": "11", "available_from-year": "2026"}
    fetch("get", "/placements/provider/")
    fetch("get", f"{base}/")
    fetch("get", f"{base}/offer/")
    fetch("get", f"{base}/decline/")
    fetch("post", f"{base}/offer/", {"available_from-day": "31", "cost_per_week": "lots"})
    fetch("post", f"{base}/decline/", {"decline_reason": "other"})
    # The provider's vacancy went while the offer was being written: the hard rule refuses it, in words.
    Provider.objects.filter(pk=ours.pk).update(vacancies=0)
    fetch("post", f"{base}/offer/", date)
    Provider.objects.filter(pk=ours.pk).update(vacancies=1)
    fetch("post", f"{base}/offer/", {**date, "carer_or_unit": "The Smith family"})
    fetch("get", f"{base}/")
    second_copy = RequestRecipient.objects.get(request=request, provider=second)
    fetch("get", f"/placements/provider/{second_copy.pk}/")
    fetch("get", f"/placements/provider/{RequestRecipient.objects.get(request=closed, provider=ours).pk}/")
    fetch("get", f"/placements/provider/{not_mine.pk}/")
    fetch("get", f"/placements/provider/{not_mine.pk}/offer/")
    fetch("get", "/placements/provider/not-a-request/")
    fetch("get", f"/placements/requests/{request.pk}/")
    fetch("get", f"/placements/requests/{request.pk}/offers/")
    fetch("get", f"/children/{secret_child.pk}/")
    fetch("get", "/api/v1/placement-requests/provider", **api)
    fetch("get", f"/api/v1/placement-requests/{request.pk}", **api)
    fetch("get", f"/api/v1/placement-requests/{request.pk}/offers", **api)
    fetch("post", f"/api/v1/placement-requests/{request.pk}/answers", {"provider_id": str(second.pk),
                                                                       "answer": "declined"},
          content_type="application/json", **api)
    fetch("get", f"/api/v1/children/{secret_child.pk}", **api)

    assert fetched == [
        ("GET", "/placements/provider/", 200),
        ("GET", f"{base}/", 200),
        ("GET", f"{base}/offer/", 200),
        ("GET", f"{base}/decline/", 200),
        ("POST", f"{base}/offer/", 422),
        ("POST", f"{base}/decline/", 422),
        ("POST", f"{base}/offer/", 422),
        ("POST", f"{base}/offer/", 302),
        ("GET", f"{base}/", 200),
        ("GET", f"/placements/provider/{second_copy.pk}/", 200),
        ("GET", f"/placements/provider/{RequestRecipient.objects.get(request=closed, provider=ours).pk}/", 200),
        ("GET", f"/placements/provider/{not_mine.pk}/", 404),
        ("GET", f"/placements/provider/{not_mine.pk}/offer/", 404),
        ("GET", "/placements/provider/not-a-request/", 404),
        ("GET", f"/placements/requests/{request.pk}/", 404),
        ("GET", f"/placements/requests/{request.pk}/offers/", 404),
        ("GET", f"/children/{secret_child.pk}/", 404),
        ("GET", "/api/v1/placement-requests/provider", 200),
        ("GET", f"/api/v1/placement-requests/{request.pk}", 404),
        ("GET", f"/api/v1/placement-requests/{request.pk}/offers", 404),
        ("POST", f"/api/v1/placement-requests/{request.pk}/answers", 404),
        ("GET", f"/api/v1/children/{secret_child.pk}", 404),
    ]
    # What the provider does see, so that the test would notice an empty page.
    detail = client.get(f"{base}/").content.decode()
    assert "Tigrinya, Arabic" in detail and "English language support" in detail
    assert "Needs a quiet home near a college; enjoys football" in detail
    assert "15 years old on the date needed" in detail
    listed = client.get("/api/v1/placement-requests/provider", **api).json()
    assert {row["provider_name"] for row in listed} == {"Bright Futures Fostering", "Oak House"}
    assert len(listed) == 4  # two providers, two requests each
    # And the emails to the agencies.
    assert OutboxMessage.objects.count() == 4  # two requests sent, each to both agencies
    for message in OutboxMessage.objects.all():
        assert_no_sentinel(f"email to {message.to}", message.subject + message.body)


def test_a_provider_of_one_agency_gets_404_for_another_agency_request(
        people, child, make_request, make_provider, provider_agency, make_user, signed_in):
    x, y = provider_agency(name="Agency X"), provider_agency(name="Agency Y")
    make_provider(name="X House", kind=Provider.Kind.CHILDRENS_HOME, partner_agency=x)
    y_home = make_provider(name="Y House", kind=Provider.Kind.CHILDRENS_HOME, partner_agency=y)
    request = make_request(child, send=True)
    y_copy = RequestRecipient.objects.get(request=request, provider=y_home)
    x_user = make_user(Role.PARTNER, agency=x)
    client = signed_in(x_user)
    for path in (f"/placements/provider/{y_copy.pk}/", f"/placements/provider/{y_copy.pk}/offer/",
                 f"/placements/provider/{y_copy.pk}/decline/"):
        assert client.get(path).status_code == 404
    missing = client.get("/placements/provider/00000000-0000-0000-0000-000000000000/")
    assert missing.status_code == 404
    # The same page as for a request that does not exist (bar the per-response CSRF token).
    assert same_page(client.get(f"/placements/provider/{y_copy.pk}/"), missing)
    assert signed_in(make_user(Role.PARTNER, agency=y)).get(f"/placements/provider/{y_copy.pk}/").status_code == 200
