"""What Schemathesis found (issue 10): answers the OpenAPI document did not list. Every operation
now documents 400, 401 and 422, and 400 and 422 come in the one error shape with text locations."""

from __future__ import annotations

import pytest
from django.test import Client

from harbour.accounts.models import ApiToken, Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(make_user) -> Client:
    _, raw = ApiToken.issue(user=make_user(Role.TEAM_MANAGER), name="test")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def test_a_body_that_is_not_json_is_400_naming_the_body(api):
    response = api.post("/api/v1/providers", b"\xff\x00{", content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"detail": [{"loc": ["body"], "msg": "The request body must be JSON (UTF-8)"}]}


def test_a_query_out_of_range_is_422_with_the_field_named_in_text(api):
    response = api.get("/api/v1/providers?limit=-1")
    assert response.status_code == 422
    [item] = response.json()["detail"]
    assert item["loc"] == ["query", "limit"] and "greater than or equal to 1" in item["msg"]


def test_a_list_item_that_does_not_fit_names_its_position_as_text(api):
    response = api.post("/api/v1/deadlines", {"today": "2026-11-20", "child": {}, "events": [1]},
                        content_type="application/json")
    assert response.status_code == 422
    assert all(isinstance(part, str) for item in response.json()["detail"] for part in item["loc"])


def test_every_operation_documents_the_shared_answers():
    response = Client().get("/api/v1/openapi.json")
    operations = [(path, method, op) for path, ops in response.json()["paths"].items() for method, op in ops.items()]
    assert len(operations) >= 30
    for path, method, operation in operations:
        answers = operation["responses"]
        assert "401" in answers, (method, path)
        if "requestBody" in operation:
            assert {"400", "422"} <= set(answers), (method, path)
        if operation.get("parameters"):
            assert "422" in answers, (method, path)
        headers = {p["name"] for p in operation.get("parameters", []) if p["in"] == "header"}
        assert ("Idempotency-Key" in headers) == (method in {"post", "put", "patch", "delete"}), (method, path)
