"""Merging through the API: propose, confirm by someone else, undo; 422 naming the field; 404 for
records out of sight and for partners."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from harbour.accounts.models import Allocation, ApiToken, PartnerAgency, Role
from harbour.children.models import Child
from harbour.merging.models import ChildMerge


def api_for(user: Any) -> Client:
    _, raw = ApiToken.issue(user=user, name="test")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


@pytest.fixture
def setting(make_team: Any, make_user: Any, make_child: Any) -> Any:
    team = make_team()
    worker = make_user(Role.SOCIAL_WORKER, team=team)
    kept = make_child(social_worker=worker, given_names="Mohammed", family_name="Ahmadi")
    merged = make_child(social_worker=worker, given_names="Muhammad", family_name="Ahmady")
    Allocation.objects.filter(child=merged).update(end=timezone.localdate())
    return {
        "worker": worker,
        "leader": make_user(Role.TEAM_LEADER, team=team),
        "kept": kept,
        "merged": merged,
    }


def test_propose_confirm_and_undo_through_the_api(setting: Any) -> None:
    worker, leader = api_for(setting["worker"]), api_for(setting["leader"])
    body = {
        "kept_child_id": str(setting["kept"].pk),
        "merged_child_id": str(setting["merged"].pk),
        "reason": "",
    }
    response = worker.post("/api/v1/merges", body, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["detail"] == [
        {"loc": ["body", "reason"], "msg": "Enter why these records are the same child"}
    ]
    response = worker.post(
        "/api/v1/merges", {**body, "reason": "Same reference"}, content_type="application/json"
    )
    assert response.status_code == 201 and response.json()["state"] == "proposed"
    merge_id = response.json()["id"]
    # The proposer cannot confirm: the two-person rule.
    response = worker.post(
        f"/api/v1/merges/{merge_id}/confirm", {"checked": True}, content_type="application/json"
    )
    assert response.status_code == 403
    response = leader.post(
        f"/api/v1/merges/{merge_id}/confirm", {"checked": False}, content_type="application/json"
    )
    assert response.status_code == 422 and response.json()["detail"][0]["loc"] == [
        "body",
        "checked",
    ]
    response = leader.post(
        f"/api/v1/merges/{merge_id}/confirm", {"checked": True}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["state"] == "merged"
    moved = {(row["model"], row["table"]) for row in response.json()["moved_rows"]}
    assert {
        ("accounts.Allocation", "accounts_allocation"),
        ("children.DateOfBirthRecord", "children_dateofbirthrecord"),
    } <= moved
    assert Child.unscoped.get(pk=setting["merged"].pk).merged_into == setting["kept"].pk
    response = leader.post(
        f"/api/v1/merges/{merge_id}/undo", {"reason": ""}, content_type="application/json"
    )
    assert response.status_code == 422 and response.json()["detail"][0]["loc"] == ["body", "reason"]
    response = leader.post(
        f"/api/v1/merges/{merge_id}/undo", {"reason": "Brothers"}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["state"] == "undone"
    assert len(response.json()["returned_rows"]) == len(response.json()["moved_rows"]) > 0


def test_a_clash_is_422_naming_the_merged_record(setting: Any, make_child: Any) -> None:
    third = make_child(social_worker=setting["worker"])  # has its own allocated social worker
    response = api_for(setting["worker"]).post(
        "/api/v1/merges",
        {
            "kept_child_id": str(setting["kept"].pk),
            "merged_child_id": str(third.pk),
            "reason": "Same",
        },
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["detail"] == [
        {
            "loc": ["body", "merged_child_id"],
            "msg": (
                "Both records have an allocated social worker now: end one of the allocations before merging them"
            ),
        }
    ]


def test_partners_and_users_out_of_scope_get_404(
    setting: Any, make_user: Any, make_agency: Any, share_with: Any
) -> None:
    agency = make_agency(PartnerAgency.Kind.HEALTH)
    for child in (setting["kept"], setting["merged"]):
        share_with(child, agency, by=setting["worker"])
    body = {
        "kept_child_id": str(setting["kept"].pk),
        "merged_child_id": str(setting["merged"].pk),
        "reason": "x",
    }
    for user in (make_user(Role.PARTNER, agency=agency), make_user(Role.SOCIAL_WORKER)):
        assert (
            api_for(user).post("/api/v1/merges", body, content_type="application/json").status_code
            == 404
        )
    response = api_for(setting["worker"]).post(
        "/api/v1/merges", body, content_type="application/json"
    )
    merge_id = response.json()["id"]
    for user in (make_user(Role.PARTNER, agency=agency), make_user(Role.TEAM_LEADER)):
        assert api_for(user).get(f"/api/v1/merges/{merge_id}").status_code == 404
        assert (
            api_for(user)
            .post(
                f"/api/v1/merges/{merge_id}/confirm",
                {"checked": True},
                content_type="application/json",
            )
            .status_code
            == 404
        )
    assert ChildMerge.objects.get().state == "proposed"
