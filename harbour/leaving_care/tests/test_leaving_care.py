"""Leaving care end to end: contacts with OC3 codes, pathway plans and placement extensions through
the pages and the API; refusals that save nothing; the caseload's due-a-contact list; scope; and a
fixed number of queries on the caseload page with 10 or 1,000 care leavers."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from harbour.accounts.models import Allocation, ApiToken, Role
from harbour.audit.models import AccessLogEntry, AuditEvent
from harbour.children.models import Child, PeriodLookedAfter
from harbour.leaving_care.models import AdviserContact, PathwayPlan, PlacementExtension

from .conftest import date_fields


def _bearer(user: Any) -> dict[str, str]:
    _, raw = ApiToken.issue(user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def contact_form(day: dt.date, **extra: str) -> dict[str, str]:
    return {**date_fields("contacted_on", day), "in_touch": "YES", "activity": "F2", "accommodation": "D",
            "accommodation_suitable": "yes", **extra}


def test_a_contact_recorded_on_the_page_with_oc3_codes(adviser: Any, young_person: Any, signed_in: Any,
                                                        today: dt.date) -> None:
    child = young_person()
    client = signed_in(adviser)
    response = client.post(f"/leaving-care/children/{child.pk}/contacts/new/", contact_form(today, accommodation="U"))
    assert response.status_code == 302
    contact = AdviserContact.objects.get(child=child)
    assert (contact.in_touch, contact.activity, contact.oc3_accom, contact.adviser) == ("YES", "F2", "U1", adviser)
    assert AuditEvent.objects.filter(record_type="leaving_care.AdviserContact", child_id=child.pk).exists()
    page = client.get(f"/leaving-care/children/{child.pk}/").content.decode()
    assert "Independent living" in page and "(U1)" in page
    # 18 years and 100 days old: the 18th birthday's OC3 record is answered by nothing yet (100 days ago),
    # the 17th birthday's neither; the birthdays from 19 are not shown yet.
    assert "Birthdays the SSDA903 return asks about" in page and "Not recorded" in page and "19:" not in page


def test_a_contact_for_someone_who_is_not_a_care_leaver_is_refused(
    adviser: Any, young_person: Any, signed_in: Any, today: dt.date,
) -> None:
    # 15 and looked after: allocated to the adviser early, but not yet a care leaver.
    child = young_person(age_days=15 * 365 + 200)
    PeriodLookedAfter.objects.filter(child=child).update(start=today - dt.timedelta(days=100))
    response = signed_in(adviser).post(f"/leaving-care/children/{child.pk}/contacts/new/", contact_form(today))
    assert response.status_code == 422
    body = response.content.decode()
    assert "There is a problem" in body and "was not a care leaver on" in body
    assert not AdviserContact.objects.exists()


def test_contact_codes_must_agree_with_each_other(adviser: Any, young_person: Any, signed_in: Any,
                                                  today: dt.date) -> None:
    child = young_person()
    client = signed_in(adviser)
    response = client.post(f"/leaving-care/children/{child.pk}/contacts/new/",
                           contact_form(today, in_touch="NO", activity="F1", accommodation="S",
                                        accommodation_suitable="yes"))
    assert response.status_code == 422
    body = response.content.decode()
    assert "when the answer to in touch is" in body
    response = client.post(f"/leaving-care/children/{child.pk}/contacts/new/",
                           contact_form(today, accommodation="S", accommodation_suitable="yes"))
    assert "is always recorded as not suitable" in response.content.decode()
    assert not AdviserContact.objects.exists()


def test_a_contact_through_the_api_and_its_refusals(adviser: Any, young_person: Any, today: dt.date) -> None:
    child = young_person()
    client, auth = Client(), _bearer(adviser)
    url = f"/api/v1/leaving-care/children/{child.pk}/contacts"
    good = {"contacted_on": today.isoformat(), "in_touch": "YES", "activity": "F4", "accommodation": "E",
            "accommodation_suitable": True}
    response = client.post(url, good, content_type="application/json", **auth)
    assert response.status_code == 201, response.content
    assert response.json()["oc3_accom"] == "E1"
    bad = {**good, "contacted_on": (today + dt.timedelta(days=1)).isoformat()}
    response = client.post(url, bad, content_type="application/json", **auth)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "contacted_on"]
    assert AdviserContact.objects.count() == 1


def test_the_caseload_lists_who_is_due_a_contact(adviser: Any, young_person: Any, signed_in: Any,
                                                 today: dt.date) -> None:
    due = young_person(name="Dawit")
    seen = young_person(name="Yonas")
    AdviserContact.objects.create(child=seen, contacted_on=today - dt.timedelta(days=3), adviser=adviser,
                                  in_touch="YES", activity="F2", accommodation="D", accommodation_suitable=True)
    body = signed_in(adviser).get("/leaving-care/").content.decode()
    due_section = body.split("Due a contact")[1].split("<h2")[0]
    assert "Record a contact with Dawit" in due_section
    assert "Yonas" not in due_section
    rows = Client().get("/api/v1/leaving-care/caseload", **_bearer(adviser)).json()
    by_name = {row["name"]: row for row in rows}
    assert by_name["Dawit Tesfay"]["due_a_contact"] is True and by_name["Dawit Tesfay"]["contact_overdue"] is True
    assert by_name["Yonas Tesfay"]["due_a_contact"] is False
    assert by_name["Yonas Tesfay"]["status"] == "former_relevant"
    assert due.pk != seen.pk


def test_an_extension_for_an_18_year_old_awaiting_a_decision(adviser: Any, young_person: Any, signed_in: Any,
                                                             today: dt.date) -> None:
    child = young_person(awaiting=True)
    assert child.date_of_birth is not None
    eighteen = child.date_of_birth.replace(year=child.date_of_birth.year + 18)
    client = signed_in(adviser)
    form = {**date_fields("starts_on", eighteen), **date_fields("review_on", eighteen + dt.timedelta(days=90)),
            "weekly_cost": "485.50", "funding_source": "both", "reason": "No decision on the asylum claim yet"}
    assert client.post(f"/leaving-care/children/{child.pk}/extensions/new/", form).status_code == 302
    extension = PlacementExtension.objects.get(child=child)
    assert str(extension.weekly_cost) == "485.50" and extension.placement is not None
    assert "Placement extended" in client.get("/leaving-care/").content.decode()
    # Before the 18th birthday: refused, with the field named, and nothing saved.
    early = {**form, **date_fields("starts_on", eighteen - dt.timedelta(days=1))}
    response = client.post(f"/leaving-care/children/{child.pk}/extensions/new/", early)
    assert response.status_code == 422 and "on or after their 18th birthday" in response.content.decode()
    assert PlacementExtension.objects.count() == 1


def test_an_extension_through_the_api_needs_an_awaited_decision(adviser: Any, young_person: Any,
                                                                today: dt.date) -> None:
    waiting, decided = young_person(awaiting=True), young_person(name="Selam")
    auth = _bearer(adviser)
    payload = {"starts_on": today.isoformat(), "review_on": today.isoformat(), "weekly_cost": "300.00",
               "funding_source": "council", "reason": "Awaiting a decision"}
    ok = Client().post(f"/api/v1/leaving-care/children/{waiting.pk}/extensions", payload,
                       content_type="application/json", **auth)
    assert ok.status_code == 201, ok.content
    refused = Client().post(f"/api/v1/leaving-care/children/{decided.pk}/extensions", payload,
                            content_type="application/json", **auth)
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"] == ["body", "child"]
    assert "not waiting for a decision" in refused.json()["detail"][0]["msg"]
    assert PlacementExtension.objects.count() == 1


def test_a_pathway_plan_then_a_review_set_the_review_clock(adviser: Any, young_person: Any, signed_in: Any,
                                                          today: dt.date) -> None:
    child = young_person()
    client = signed_in(adviser)
    url = f"/leaving-care/children/{child.pk}/pathway-plans/new/"
    review_first = client.post(url, {"kind": "review", **date_fields("held_on", today)})
    assert review_first.status_code == 422 and "record the pathway plan first" in review_first.content.decode()
    held = today - dt.timedelta(days=10)
    assert client.post(url, {"kind": "plan", **date_fields("held_on", held),
                             "plan_if_no_decision": "Extend the placement and fund it"}).status_code == 302
    summary = Client().get(f"/api/v1/leaving-care/children/{child.pk}", **_bearer(adviser)).json()
    from harbour.domain.ages import add_months
    assert summary["pathway_review_due"] == add_months(held, 6).isoformat()
    assert PathwayPlan.objects.get(child=child).plan_if_no_decision == "Extend the placement and fund it"


def test_another_advisers_young_person_is_not_found(adviser: Any, make_user: Any, young_person: Any,
                                                    signed_in: Any, today: dt.date) -> None:
    other = make_user(Role.PERSONAL_ADVISER)
    child = young_person(to=other)
    client = signed_in(adviser)
    assert client.get(f"/leaving-care/children/{child.pk}/").status_code == 404
    assert client.post(f"/leaving-care/children/{child.pk}/contacts/new/", contact_form(today)).status_code == 404
    assert not AdviserContact.objects.exists()
    signed_in(other).get(f"/leaving-care/children/{child.pk}/")
    assert AccessLogEntry.objects.filter(child_id=child.pk, user=other).exists()


def test_leaders_see_each_advisers_caseload(adviser: Any, make_user: Any, young_person: Any, signed_in: Any) -> None:
    young_person()
    manager = make_user(Role.TEAM_MANAGER)
    client = signed_in(manager)
    listing = client.get("/leaving-care/").content.decode()
    assert adviser.display_name in listing
    chosen = client.get(f"/leaving-care/?adviser={adviser.pk}").content.decode()
    assert "Amanuel" in chosen
    assert signed_in(make_user(Role.IRO)).get("/leaving-care/").status_code == 404


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_caseload_keeps_its_queries_with_10_or_1000_care_leavers(
    adviser: Any, worker: Any, young_person: Any, signed_in: Any, today: dt.date,
) -> None:
    client = signed_in(adviser)
    template = young_person(awaiting=True)
    assert template.date_of_birth is not None

    def with_leavers(count: int) -> int:
        have = Allocation.objects.filter(worker=adviser, kind=Allocation.Kind.PERSONAL_ADVISER).count()
        children = Child.unscoped.bulk_create([
            Child(given_names=f"Young{n}", family_name="Person", date_of_birth=template.date_of_birth)
            for n in range(count - have)])
        PeriodLookedAfter.objects.bulk_create([
            PeriodLookedAfter(child=c, start=template.date_of_birth.replace(year=template.date_of_birth.year + 16),
                              end=template.date_of_birth.replace(year=template.date_of_birth.year + 18) - dt.timedelta(days=1))
            for c in children])
        Allocation.objects.bulk_create([
            Allocation(child=c, worker=adviser, kind=Allocation.Kind.PERSONAL_ADVISER, start=today - dt.timedelta(days=90))
            for c in children])
        AdviserContact.objects.bulk_create([
            AdviserContact(child=c, contacted_on=today - dt.timedelta(days=20), adviser=adviser, in_touch="YES",
                           activity="F5", accommodation="U", accommodation_suitable=True)
            for c in children[::2]])
        PathwayPlan.objects.bulk_create([
            PathwayPlan(child=c, kind="plan", held_on=today - dt.timedelta(days=40), recorded_by=adviser)
            for c in children[::3]])
        return _queries(client, "/leaving-care/")

    with_leavers(10)  # warms the session and settings caches
    small = with_leavers(10)
    assert small == with_leavers(1000)
    assert Allocation.objects.filter(worker=adviser, kind=Allocation.Kind.PERSONAL_ADVISER).count() == 1000
