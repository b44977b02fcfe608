"""The Retention page: administrators only; holds, proposal and approval through the page."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from harbour.accounts.models import Role
from harbour.children.models import Child, PeriodLookedAfter
from harbour.retention.models import DestructionProposal, LegalHold, Tombstone


@pytest.fixture
def due_child(make_user: Any, make_child: Any) -> Any:
    child = make_child(social_worker=make_user(Role.SOCIAL_WORKER), given_names="Sentinelname")
    Child.unscoped.filter(pk=child.pk).update(date_of_birth=dt.date(1940, 5, 1))
    PeriodLookedAfter.objects.create(child=child, start=dt.date(1950, 1, 1), end=dt.date(1958, 5, 1))
    return child


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.DIRECTOR, Role.PARTNER])
def test_only_administrators_reach_the_page(role: str, make_user: Any, signed_in: Any) -> None:
    client = signed_in(make_user(role))
    assert client.get("/retention/").status_code == 403
    assert client.post("/retention/proposals/", {"child_id": "x"}).status_code == 403


def test_the_page_lists_due_records_by_identifier_without_names(due_child: Any, make_user: Any,
                                                                 signed_in: Any) -> None:
    response = signed_in(make_user(Role.ADMINISTRATOR)).get("/retention/")
    assert response.status_code == 200
    assert str(due_child.pk) in response.content.decode()
    assert "Sentinelname" not in response.content.decode()
    assert "Looked-after child&#39;s case record" in response.content.decode()


def test_a_hold_with_a_wrong_identifier_shows_the_error_summary_and_field_error(make_user: Any,
                                                                               signed_in: Any) -> None:
    response = signed_in(make_user(Role.ADMINISTRATOR)).post("/retention/holds/", {"hold_child_id": "abc",
                                                                                  "reason": ""})
    body = response.content.decode()
    assert response.status_code == 400
    assert "govuk-error-summary" in body and 'href="#id_hold_child_id"' in body
    assert "Enter the record identifier in the form shown in the list" in body
    assert "Enter why the record must be kept" in body
    assert not LegalHold.objects.exists()


def test_propose_then_another_administrator_approves(due_child: Any, make_user: Any, signed_in: Any) -> None:
    first, second = signed_in(make_user(Role.ADMINISTRATOR)), signed_in(make_user(Role.ADMINISTRATOR))
    assert first.post("/retention/proposals/", {"child_id": str(due_child.pk)}).status_code == 302
    proposal = DestructionProposal.objects.get(child_id=due_child.pk)
    page = first.get("/retention/").content.decode()
    assert f"/retention/proposals/{proposal.pk}/approve/" not in page  # not offered to the proposer
    refused = first.post(f"/retention/proposals/{proposal.pk}/approve/")
    assert refused.status_code == 400 and "Someone other than the person who proposed" in refused.content.decode()
    assert f"/retention/proposals/{proposal.pk}/approve/" in second.get("/retention/").content.decode()
    assert second.post(f"/retention/proposals/{proposal.pk}/approve/").status_code == 302
    assert not Child.unscoped.filter(pk=due_child.pk).exists()
    assert Tombstone.objects.filter(child_id=due_child.pk).exists()
    assert str(due_child.pk) in second.get("/retention/").content.decode()  # in the tombstone list


def test_a_hold_placed_on_the_page_stops_a_proposal(due_child: Any, make_user: Any, signed_in: Any) -> None:
    client = signed_in(make_user(Role.ADMINISTRATOR))
    placed = client.post("/retention/holds/", {"hold_child_id": str(due_child.pk), "reason": "Inquiry"})
    assert placed.status_code == 302
    refused = client.post("/retention/proposals/", {"child_id": str(due_child.pk)})
    assert refused.status_code == 400 and "legal hold" in refused.content.decode()
    hold = LegalHold.objects.get(child_id=due_child.pk)
    assert client.post(f"/retention/holds/{hold.pk}/release/").status_code == 302
    hold.refresh_from_db()
    assert hold.released_at is not None and hold.released_at <= timezone.now()
    assert client.post("/retention/proposals/", {"child_id": str(due_child.pk)}).status_code == 302
