"""Previous permanence recorded on the child's record when they come into care (PrevPerm): the
legal page prompts for it, the page and the API refuse what the DfE's rules refuse, every change is
audited, and a child out of scope answers 404."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from harbour.accounts.models import ApiToken, Role
from harbour.audit.models import AuditEvent
from harbour.children import services as child_services
from harbour.returns.models import PreviousPermanence
from harbour.returns.permanence import previous_permanence_record

CAME_INTO_CARE = dt.date(2026, 6, 1)


@pytest.fixture
def case(make_user: Any, make_team: Any, make_child: Any) -> dict[str, Any]:
    worker = make_user(Role.SOCIAL_WORKER, team=make_team())
    child = make_child(social_worker=worker, given_names="Amira")
    child_services.period_looked_after_add(actor=worker, child=child, start=CAME_INTO_CARE, end=None,
                                           today=timezone.localdate())
    return {"worker": worker, "child": child}


def test_recorded_then_corrected_each_change_audited(case: dict[str, Any]) -> None:
    worker, child, today = case["worker"], case["child"], timezone.localdate()
    previous_permanence_record(actor=worker, child=child, order="Z1", today=today)
    previous_permanence_record(actor=worker, child=child, order="P2", local_authority=" 383 ",
                               made_on=dt.date(2020, 2, 29), today=today)
    row = PreviousPermanence.objects.get(child=child)
    assert (row.order, row.local_authority, row.made_on) == ("P2", "383", dt.date(2020, 2, 29))
    events = AuditEvent.objects.filter(record_type="returns.PreviousPermanence", child_id=child.pk)
    assert sorted(events.values_list("action", flat=True)) == sorted([AuditEvent.Action.CREATE,
                                                                      AuditEvent.Action.UPDATE])


def test_an_order_on_or_after_coming_into_care_is_refused(case: dict[str, Any]) -> None:
    with pytest.raises(ValidationError) as raised:
        previous_permanence_record(actor=case["worker"], child=case["child"], order="P1", local_authority="383",
                                   made_on=CAME_INTO_CARE, today=timezone.localdate())
    assert raised.value.message_dict == {"made_on": ["Date the order was made must be before the child came into care"]}
    assert not PreviousPermanence.objects.exists()


def test_only_those_who_keep_the_record(case: dict[str, Any], make_user: Any) -> None:
    with pytest.raises(PermissionDenied):
        previous_permanence_record(actor=make_user(Role.IRO), child=case["child"], order="Z1",
                                   today=timezone.localdate())


def _date(name: str, day: dt.date) -> dict[str, str]:
    return {f"{name}-day": str(day.day), f"{name}-month": str(day.month), f"{name}-year": str(day.year)}


def test_the_legal_page_prompts_and_the_page_shows_the_error(case: dict[str, Any], signed_in: Any) -> None:
    client, child = signed_in(case["worker"]), case["child"]
    legal = client.get(f"/children/{child.pk}/legal/").content.decode()
    url = f"/returns/children/{child.pk}/previous-permanence/"
    assert "Not recorded: whether Amira Example had a previous permanence order" in legal and url in legal
    response = client.post(url, {"order": "P1"})
    html = response.content.decode()
    assert response.status_code == 422
    assert 'href="#id_local_authority"' in html and "Enter the code of the council where the order was made" in html
    response = client.post(url, {"order": "P1", "local_authority": "383", **_date("made_on", dt.date(2019, 1, 14))})
    assert response.status_code == 302
    legal = client.get(f"/children/{child.pk}/legal/").content.decode()
    assert "Adopted, council 383, made 14 January 2019" in legal and "Not recorded: whether" not in legal


def _auth(user: Any) -> dict[str, str]:
    _, raw = ApiToken.issue(user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_the_api(case: dict[str, Any], make_user: Any, make_team: Any) -> None:
    client, child, worker = Client(), case["child"], case["worker"]
    url = f"/api/v1/returns/children/{child.pk}/previous-permanence"
    assert client.get(url, **_auth(worker)).json() == {"recorded": False, "order": "", "local_authority": "",
                                                       "made_on": None}
    response = client.put(url, json.dumps({"order": "Z1", "local_authority": "383"}),
                          content_type="application/json", **_auth(worker))
    assert response.status_code == 422
    assert [e["loc"][-1] for e in response.json()["detail"]] == ["local_authority"]
    response = client.put(url, json.dumps({"order": "P3", "local_authority": "WAL", "made_on": "2018-05-01"}),
                          content_type="application/json", **_auth(worker))
    assert response.status_code == 200 and response.json()["order"] == "P3"
    stranger = make_user(Role.SOCIAL_WORKER, team=make_team("Another team"))
    assert client.get(url, **_auth(stranger)).status_code == 404
    assert client.get(f"/returns/children/{child.pk}/previous-permanence/").status_code == 302  # signed out
