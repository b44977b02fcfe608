"""What the SSDA903 return needs of a child that no other record holds: the category of need (CIN)
and, for a girl, whether she is a mother and her first child's date of birth (MOTHER, MC_DOB).
Recorded through the service, the legal status page and the API, audited, and exported."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from harbour.accounts.models import ApiToken, Role
from harbour.audit.models import AuditEvent
from harbour.children import services
from harbour.domain.ssda903 import CollectionYear
from harbour.returns.export import build_return
from harbour.returns.tests.test_export import _looked_after, _placed

TODAY = dt.date(2026, 11, 20)
BORN = dt.date(2008, 6, 1)  # 18 in June 2026; 12 on 1 June 2020


@pytest.fixture
def worker(make_user: Any, make_team: Any) -> Any:
    return make_user(Role.SOCIAL_WORKER, team=make_team())


def _child(make_child: Any, worker: Any, sex: str = "F") -> Any:
    return make_child(social_worker=worker, date_of_birth=BORN, sex=sex, ethnicity="WBRI", upn_unknown_reason="UN4")


# sex, category, is a mother, first child's date of birth, the field refused (None: saved), case
FACTS = [
    ("F", "N1", False, None, None, "girl-not-a-mother"),
    ("F", "N5", True, "2026-05-01", None, "young-mother-with-her-first-childs-date-of-birth"),
    ("F", "N1", True, "2020-06-01", None, "first-child-born-on-her-12th-birthday"),
    ("M", "N8", None, None, None, "boy-with-motherhood-not-applicable"),
    ("F", "", None, None, "category_of_need", "category-of-need-missing"),
    ("F", "N9", None, None, "category_of_need", "category-of-need-not-a-code"),
    ("M", "N1", False, None, "is_mother", "a-boy-is-not-recorded-as-a-mother-or-not"),
    ("F", "N1", True, None, "mother_child_date_of_birth", "mother-without-her-first-childs-date-of-birth"),
    ("F", "N1", False, "2026-05-01", "mother_child_date_of_birth", "date-of-birth-given-but-not-a-mother"),
    ("F", "N1", True, "2026-11-21", "mother_child_date_of_birth", "first-child-born-tomorrow"),
    ("F", "N1", True, "2020-05-31", "mother_child_date_of_birth", "first-child-born-the-day-before-she-was-12"),
    ("F", "N1", True, "2007-01-01", "mother_child_date_of_birth", "first-child-born-before-her"),
]


@pytest.mark.parametrize(("sex", "category", "mother", "first_born", "refused"), [row[:5] for row in FACTS],
                         ids=[row[5] for row in FACTS])
def test_the_service_records_or_refuses_the_facts(
    make_child: Any, worker: Any, sex: str, category: str, mother: bool | None, first_born: str | None,
    refused: str | None,
) -> None:
    child = _child(make_child, worker, sex)
    version = child.version
    first_child = dt.date.fromisoformat(first_born) if first_born else None
    record = {"actor": worker, "child": child, "category_of_need": category, "is_mother": mother,
              "mother_child_date_of_birth": first_child, "today": TODAY}
    if refused:
        with pytest.raises(ValidationError) as error:
            services.child_record_return_facts(**record)
        assert list(error.value.message_dict) == [refused]
        child.refresh_from_db()
        assert (child.category_of_need, child.is_mother, child.version) == ("", None, version)
        return
    services.child_record_return_facts(**record)
    child.refresh_from_db()
    assert (child.category_of_need, child.is_mother, child.mother_child_date_of_birth) == (category, mother, first_child)
    assert child.version == version + 1
    change = AuditEvent.objects.filter(child_id=child.pk, action=AuditEvent.Action.UPDATE,
                                       record_type="children.Child").latest("at")
    assert change.actor == worker


def test_the_legal_status_page_shows_and_changes_the_facts(make_child: Any, worker: Any, signed_in: Any) -> None:
    child = _child(make_child, worker)
    client = signed_in(worker)
    change = reverse("children:edit_return_facts", args=[child.pk])
    assert change in client.get(reverse("children:legal", args=[child.pk])).content.decode()
    refused = client.post(change, {"category_of_need": "", "is_mother": "yes"})
    page = refused.content.decode()
    assert refused.status_code == 422
    assert "govuk-error-summary" in page
    assert "Select the category of need, N1 to N8" in page
    refused = client.post(change, {"category_of_need": "N1", "is_mother": "yes"})
    assert refused.status_code == 422
    assert "Enter the date of birth of her first child" in refused.content.decode()
    saved = client.post(change, {"category_of_need": "N4", "is_mother": "no"})
    assert saved.status_code == 302 and saved["Location"] == reverse("children:legal", args=[child.pk])
    page = client.get(reverse("children:legal", args=[child.pk])).content.decode()
    assert "N4: family in acute stress" in page
    child.refresh_from_db()
    assert (child.category_of_need, child.is_mother) == ("N4", False)


def _api(client: Client, method: str, url: str, user: Any, body: dict[str, Any] | None = None) -> Any:
    _, raw = ApiToken.issue(user=user, name="test")
    call = getattr(client, method)
    if body is None:
        return call(url, HTTP_AUTHORIZATION=f"Bearer {raw}")
    return call(url, json.dumps(body), content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {raw}")


def test_the_api_reads_and_records_the_facts_in_scope_only(
    make_child: Any, worker: Any, make_user: Any, make_team: Any, make_agency: Any
) -> None:
    child = _child(make_child, worker)
    url = f"/api/v1/returns/children/{child.pk}/facts"
    client = Client()
    assert _api(client, "get", url, worker).json()["category_of_need"] == ""
    refused = _api(client, "put", url, worker, {"category_of_need": "N1", "is_mother": True})
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"][-1] == "mother_child_date_of_birth"
    saved = _api(client, "put", url, worker, {"category_of_need": "N1", "is_mother": True,
                                              "mother_child_date_of_birth": "2026-05-01"})
    assert saved.status_code == 200
    assert saved.json()["is_mother"] is True and saved.json()["mother_child_date_of_birth"] == "2026-05-01"
    outsider = make_user(Role.SOCIAL_WORKER, team=make_team())
    partner = make_user(Role.PARTNER, agency=make_agency())
    for caller in (outsider, partner):
        assert _api(client, "get", url, caller).status_code == 404
        assert _api(client, "put", url, caller, {"category_of_need": "N2"}).status_code == 404
    child.refresh_from_db()
    assert child.category_of_need == "N1"


def test_the_export_carries_the_facts(make_child: Any, worker: Any) -> None:
    girl, boy = _child(make_child, worker), _child(make_child, worker, sex="M")
    unrecorded = _child(make_child, worker)
    for child in (girl, boy, unrecorded):
        _looked_after(child, worker, dt.date(2025, 6, 10))
        _placed(child, dt.date(2025, 6, 10), None, carer="Mrs Nowak", placement_type="U6", urn="SC123456",
                postcode="LS2 7EW")
    short_breaks = _child(make_child, worker)
    child_services_period(short_breaks, worker)
    services.child_record_return_facts(actor=worker, child=short_breaks, category_of_need="N2", is_mother=False,
                                       mother_child_date_of_birth=None, today=TODAY)
    # A care leaver who left care at 16 and was 17 in June 2025, not looked after in the year.
    left_care = _child(make_child, worker)
    services.period_looked_after_add(actor=worker, child=left_care, start=dt.date(2023, 1, 9),
                                     end=dt.date(2025, 1, 31), reason_ceased="E11", today=TODAY)
    for child in (girl, left_care):
        services.child_record_return_facts(actor=worker, child=child, category_of_need="N5", is_mother=True,
                                           mother_child_date_of_birth=dt.date(2026, 1, 9), today=TODAY)
    services.child_record_return_facts(actor=worker, child=boy, category_of_need="N2", is_mother=None,
                                       mother_child_date_of_birth=None, today=TODAY)
    from harbour.children.models import Child

    built = build_return(CollectionYear(2026), Child.unscoped.all())
    header = {row["CHILD"]: row for row in built.tables["Header"]}
    needs = {row["CHILD"]: row["CIN"] for row in built.tables["Episodes"]}
    codes = built.child_codes
    assert (header[codes[girl.pk]]["MOTHER"], header[codes[girl.pk]]["MC_DOB"]) == ("1", "09/01/2026")
    assert (header[codes[boy.pk]]["MOTHER"], header[codes[boy.pk]]["MC_DOB"]) == ("", "")
    # Not recorded stays blank, for the validator to ask for (rules 393 and 504).
    assert (header[codes[unrecorded.pk]]["MOTHER"], needs[codes[unrecorded.pk]]) == ("", "")
    assert (needs[codes[girl.pk]], needs[codes[boy.pk]]) == ("N5", "N2")
    # Only short breaks in the year (V4): no MOTHER (rule 399), though she is recorded as not a mother.
    assert header[codes[short_breaks.pk]]["MOTHER"] == ""
    # A care leaver on the return for her OC3 record only, not looked after in the year: no MOTHER
    # (rule 628), though she is recorded as a mother.
    assert codes[left_care.pk] in {row["CHILD"] for row in built.tables["OC3"]}
    assert (header[codes[left_care.pk]]["MOTHER"], header[codes[left_care.pk]]["MC_DOB"]) == ("", "")


def child_services_period(child: Any, worker: Any) -> None:
    services.period_looked_after_add(actor=worker, child=child, start=dt.date(2025, 6, 10), end=None, today=TODAY)
    services.legal_status_add(actor=worker, child=child, legal_status="V4", start=dt.date(2025, 6, 10), end=None,
                              today=TODAY)
    _placed(child, dt.date(2025, 6, 10), None, carer="Mrs Nowak", placement_type="U6", urn="SC123456",
            postcode="LS2 7EW")
