"""After 18: support to 25 keeps a care leaver, Staying Put and Staying Close, the human rights
assessment only after appeal rights are exhausted, the duty to refer only with consent, and the
at-risk list with a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from harbour.accounts.models import ApiToken, Role
from harbour.children.selectors import child_timeline
from harbour.domain.ages import birthday
from harbour.leaving_care.models import (
    AccommodationEnding,
    AdviserContact,
    DutyToRefer,
    HumanRightsAssessment,
    LivingArrangement,
    PathwayPlan,
)
from harbour.uasc.models import AsylumClaim

from .conftest import date_fields


def _bearer(user: Any) -> dict[str, str]:
    _, raw = ApiToken.issue(user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def _post(user: Any, url: str, payload: dict[str, Any]) -> Any:
    return Client().post(url, payload, content_type="application/json", **_bearer(user))


def test_support_to_25_keeps_a_21_year_old_a_care_leaver(adviser: Any, young_person: Any, today: dt.date) -> None:
    child = young_person(age_days=21 * 365 + 40)
    contact = {"contacted_on": today.isoformat(), "in_touch": "YES", "activity": "F5", "accommodation": "U",
               "accommodation_suitable": True}
    base = f"/api/v1/leaving-care/children/{child.pk}"
    refused = _post(adviser, f"{base}/contacts", contact)
    assert refused.status_code == 422 and refused.json()["detail"][0]["loc"] == ["body", "child"]
    assert _post(adviser, f"{base}/support-to-25", {"requested_on": today.isoformat()}).status_code == 201
    assert _post(adviser, f"{base}/contacts", contact).status_code == 201
    assert Client().get(base, **_bearer(adviser)).json()["status"] == "former_relevant"


def test_support_to_25_is_refused_before_21(adviser: Any, young_person: Any, today: dt.date) -> None:
    child = young_person(age_days=20 * 365)  # 19, five days short of 20
    response = _post(adviser, f"/api/v1/leaving-care/children/{child.pk}/support-to-25",
                     {"requested_on": today.isoformat()})
    assert response.status_code == 422
    assert response.json()["detail"] == [{"loc": ["body", "requested_on"],
                                          "msg": "Support to 25 is for young people aged 21 to 24: they were 19 on "
                                                 "that date"}]


def test_staying_put_on_the_page_and_its_limits(adviser: Any, young_person: Any, signed_in: Any) -> None:
    child = young_person()
    assert child.date_of_birth is not None
    eighteen = birthday(child.date_of_birth, 18)
    client = signed_in(adviser)
    url = f"/leaving-care/children/{child.pk}/living-arrangements/new/"
    too_early = client.post(url, {"kind": "staying_put", **date_fields("starts_on", eighteen - dt.timedelta(days=1)),
                                  "carer_or_provider": "Mr and Mrs Haile"})
    assert too_early.status_code == 422 and "start at 18 or over" in too_early.content.decode()
    too_long = client.post(url, {"kind": "staying_put", **date_fields("starts_on", eighteen),
                                 **date_fields("ends_on", birthday(child.date_of_birth, 21)),
                                 "carer_or_provider": "Mr and Mrs Haile"})
    assert too_long.status_code == 422 and "until they are 21 at most" in too_long.content.decode()
    assert not LivingArrangement.objects.exists()
    ok = client.post(url, {"kind": "staying_put", **date_fields("starts_on", eighteen),
                           "carer_or_provider": "Mr and Mrs Haile"})
    assert ok.status_code == 302
    assert "Staying Put" in client.get(f"/leaving-care/children/{child.pk}/").content.decode()


def test_a_human_rights_assessment_needs_appeal_rights_exhausted(adviser: Any, worker: Any, young_person: Any,
                                                                 today: dt.date) -> None:
    child = young_person(awaiting=True)
    url = f"/api/v1/leaving-care/children/{child.pk}/human-rights-assessments"
    payload = {"completed_on": today.isoformat(), "outcome": "continues", "reasons": "Cannot return safely"}
    refused = _post(adviser, url, payload)
    assert refused.status_code == 422 and "appeal rights are exhausted" in refused.json()["detail"][0]["msg"]
    claim = AsylumClaim.objects.get(child=child)
    claim.decision, claim.decided_on = "refused", today - dt.timedelta(days=200)
    claim.appeal_lodged_on, claim.appeal_rights_exhausted_on = today - dt.timedelta(days=190), today - dt.timedelta(days=5)
    claim.save()
    assert _post(adviser, url, payload).status_code == 201
    assert HumanRightsAssessment.objects.get(child=child).outcome == "continues"


def test_the_duty_to_refer_needs_consent(adviser: Any, young_person: Any, signed_in: Any, today: dt.date) -> None:
    child = young_person()
    url = f"/leaving-care/children/{child.pk}/duty-to-refer/new/"
    form = {**date_fields("referred_on", today), "housing_authority": "Harbourside Council housing options",
            "consent_to_refer": "no", "consent_to_share_contact_details": "yes", "outcome": "awaited"}
    response = signed_in(adviser).post(url, form)
    assert response.status_code == 422 and "A referral needs the young person" in response.content.decode()
    assert not DutyToRefer.objects.exists()
    assert signed_in(adviser).post(url, {**form, "consent_to_refer": "yes"}).status_code == 302
    assert DutyToRefer.objects.get(child=child).consent_to_refer is True


def test_the_at_risk_list(adviser: Any, young_person: Any, signed_in: Any, today: dt.date) -> None:
    notice, homeless, housed = young_person(name="Notice"), young_person(name="Homeless"), young_person(name="Housed")
    AccommodationEnding.objects.create(child=notice, kind="notice", known_on=today, ends_on=today + dt.timedelta(days=30),
                                       recorded_by=adviser)
    AccommodationEnding.objects.create(child=housed, kind="placement_ending", known_on=today,
                                       ends_on=today + dt.timedelta(days=30), next_home="A council flat",
                                       recorded_by=adviser)
    AdviserContact.objects.create(child=homeless, contacted_on=today - dt.timedelta(days=3), adviser=adviser,
                                  in_touch="YES", activity="G5", accommodation="S", accommodation_suitable=False)
    AdviserContact.objects.create(child=housed, contacted_on=today - dt.timedelta(days=3), adviser=adviser,
                                  in_touch="YES", activity="F2", accommodation="U", accommodation_suitable=True)
    rows = Client().get("/api/v1/leaving-care/at-risk", **_bearer(adviser)).json()
    assert sorted(r["name"] for r in rows) == ["Homeless Tesfay", "Notice Tesfay"]
    assert all(r["refer_now"] for r in rows)
    page = signed_in(adviser).get("/leaving-care/at-risk/").content.decode()
    assert "no next home" in page and "Housed" not in page


def test_the_at_risk_list_keeps_its_queries(adviser: Any, young_person: Any, signed_in: Any, today: dt.date) -> None:
    client = signed_in(adviser)

    def with_people(count: int) -> int:
        for n in range(count):
            child = young_person(name=f"Person{count}{n}")
            AccommodationEnding.objects.create(child=child, kind="notice", known_on=today,
                                               ends_on=today + dt.timedelta(days=20 + n), recorded_by=adviser)
            AdviserContact.objects.create(child=child, contacted_on=today, adviser=adviser, in_touch="YES",
                                          activity="G5", accommodation="V", accommodation_suitable=False)
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/leaving-care/at-risk/").status_code == 200
        return len(captured)

    with_people(1)
    assert with_people(2) == with_people(25)


def test_leaders_see_the_at_risk_list_and_others_do_not(make_user: Any, signed_in: Any) -> None:
    assert signed_in(make_user(Role.TEAM_MANAGER)).get("/leaving-care/at-risk/").status_code == 200
    assert signed_in(make_user(Role.IRO)).get("/leaving-care/at-risk/").status_code == 404


def test_the_journey_after_18_is_on_the_childs_timeline_with_one_query_per_kind(
        adviser: Any, young_person: Any, today: dt.date) -> None:
    person = young_person()
    PathwayPlan.objects.create(child=person, kind="review", held_on=today - dt.timedelta(days=40), recorded_by=adviser)
    DutyToRefer.objects.create(child=person, referred_on=today - dt.timedelta(days=10), housing_authority="Leeds",
                               consent_to_refer=True, consent_to_share_contact_details=True, recorded_by=adviser)

    def contacts_then_count(count: int) -> int:
        for n in range(count):
            AdviserContact.objects.create(child=person, contacted_on=today - dt.timedelta(days=n), adviser=adviser,
                                          in_touch="YES", activity="F2", accommodation="U", accommodation_suitable=True)
        with CaptureQueriesContext(connection) as captured:
            child_timeline(child=person, kinds=["leaving_care"])
        return len(captured)

    assert contacts_then_count(1) == contacts_then_count(20)
    titles = [(i.title, i.at) for i in child_timeline(child=person, kinds=["leaving_care"])]
    assert ("Pathway plan reviewed", today - dt.timedelta(days=40)) in titles
    assert ("Referred to Leeds under the duty to refer", today - dt.timedelta(days=10)) in titles
    assert sum(title == "Contact with their personal adviser" for title, _ in titles) == 21
    contact = next(i for i in child_timeline(child=person, kinds=["leaving_care"]) if i.title.startswith("Contact"))
    assert contact.byline == adviser.display_name and "suitable" in contact.description
