"""Handing a child to another social worker: the reason SSDA903 SWEpisodes asks for (SW_REASON) is
asked for and kept on the new allocation; the old one ends the same day; everything is audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from harbour.accounts.models import Allocation, Role
from harbour.allocation import services
from harbour.audit.models import AuditEvent

from .support import TODAY, new_child, rota_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(make_user: Any) -> Any:
    return make_user(Role.TEAM_MANAGER, first_name="Mina", last_name="Manager")


@pytest.fixture
def case() -> dict[str, Any]:
    first, second = rota_of(2)
    child = new_child(given_names="Amira")
    Allocation.objects.create(child=child, worker=first, kind=Allocation.Kind.SOCIAL_WORKER,
                              start=dt.date(2026, 5, 1), change_reason="FCONTA")
    return {"child": child, "first": first, "second": second}


def test_the_new_allocation_keeps_the_reason_and_the_old_one_ends_that_day(manager: Any, case: dict[str, Any]) -> None:
    new = services.change_social_worker(actor=manager, child=case["child"], worker=case["second"], reason="LEFTRL",
                                        today=TODAY)
    old = Allocation.objects.get(child=case["child"], worker=case["first"])
    assert (old.end, new.start, new.end, new.change_reason) == (TODAY, TODAY, None, "LEFTRL")
    assert AuditEvent.objects.filter(record_type="accounts.Allocation", child_id=case["child"].pk).count() == 2


REFUSALS = [
    # who, reason, field, message part, case
    ("first", "MANAGE", "worker", "already", "the-same-worker"),
    ("manager", "MANAGE", "worker", "active social worker", "not-a-social-worker"),
    ("second", "", "reason", "Select why the social worker is changing", "no-reason"),
    ("second", "BORED", "reason", "Select why the social worker is changing", "a-reason-not-in-the-list"),
]


@pytest.mark.parametrize(("who", "reason", "field", "message"), [r[:4] for r in REFUSALS], ids=[r[4] for r in REFUSALS])
def test_a_change_is_refused_with_the_field_and_the_fix(manager: Any, case: dict[str, Any], who: str, reason: str,
                                                        field: str, message: str) -> None:
    worker = manager if who == "manager" else case[who]
    with pytest.raises(ValidationError) as raised:
        services.change_social_worker(actor=manager, child=case["child"], worker=worker, reason=reason, today=TODAY)
    assert field in raised.value.message_dict and message in raised.value.message_dict[field][0]
    assert Allocation.objects.filter(child=case["child"]).count() == 1


def test_a_child_with_no_social_worker_is_sent_to_the_rota(manager: Any) -> None:
    worker, = rota_of(1)
    with pytest.raises(ValidationError) as raised:
        services.change_social_worker(actor=manager, child=new_child(), worker=worker, reason="MANAGE", today=TODAY)
    assert "allocate one from the rota" in raised.value.message_dict["worker"][0]


def test_only_team_leaders_and_managers_change_it(case: dict[str, Any]) -> None:
    with pytest.raises(PermissionDenied):
        services.change_social_worker(actor=case["first"], child=case["child"], worker=case["second"],
                                      reason="MANAGE", today=TODAY)


def test_the_page_asks_why_and_marks_the_unconfirmed_labels(manager: Any, case: dict[str, Any],
                                                           signed_in: Any) -> None:
    client = signed_in(manager)
    url = f"/allocation/children/{case['child'].pk}/change/"
    page = client.get(url).content.decode()
    assert "Managing caseloads\n" in page  # confirmed by the DfE's data set: no mark
    assert "Organisational restructure (the DfE&#39;s label is not confirmed)" in page
    response = client.post(url, {"worker": str(case["second"].pk)})
    html = response.content.decode()
    assert response.status_code == 422
    assert 'href="#id_reason' in html and "Select why the social worker is changing" in html
    response = client.post(url, {"worker": str(case["second"].pk), "reason": "CHCHAN"})
    assert response.status_code == 302
    assert Allocation.objects.get(child=case["child"], end__isnull=True).change_reason == "CHCHAN"
    # A social worker may not reach the page.
    assert signed_in(case["first"]).get(url).status_code == 404
    assert timezone.localdate() == Allocation.objects.get(child=case["child"], worker=case["first"]).end


def test_the_page_reads_in_a_fixed_number_of_queries(manager: Any, case: dict[str, Any], signed_in: Any) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = signed_in(manager)
    url = f"/allocation/children/{case['child'].pk}/change/"

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    before = queries()
    rota_of(10)  # more social workers to choose from
    services.change_social_worker(actor=manager, child=case["child"], worker=case["second"], reason="MANAGE",
                                  today=TODAY)
    assert queries() == before
