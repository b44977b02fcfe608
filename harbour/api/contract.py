"""The answers every operation can give, in the document and in the one error shape.

Schemathesis (harbour/api/tests/test_api_fuzz.py) found that any operation could answer in ways
its OpenAPI document did not list: 400 with `{"detail": "Cannot parse request body"}` for a body
that is not JSON, 422 with django-ninja's own item shape (locations holding numbers) for a query
or body that does not fit, and 401 for a missing or revoked token. A client written from the
document would not expect them. So every operation documents them, and 400 and 422 use the
`{"detail": [{"loc": [...], "msg": ...}]}` shape of api/errors.py, with locations as text.
Every write also documents the optional `Idempotency-Key` header (security checklist 23).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

_ERROR_BODY: dict[str, Any] = {
    "type": "object",
    "required": ["detail"],
    "properties": {"detail": {"type": "array", "items": {
        "type": "object", "required": ["loc", "msg"],
        "properties": {"loc": {"type": "array", "items": {"type": "string"}}, "msg": {"type": "string"}},
    }}},
}
# A 401 comes from the token check or the second-factor middleware, as {"detail": "..."}.
_UNAUTHORISED_BODY: dict[str, Any] = {"type": "object", "required": ["detail"], "properties": {"detail": {}}}


_WRITES = {"POST", "PUT", "PATCH", "DELETE"}
_IDEMPOTENCY_KEY: dict[str, Any] = {
    "name": "Idempotency-Key", "in": "header", "required": False,
    "description": "Send the same key again (after a timeout, say) and the request is done once: the repeat gets the "
                   "first answer, with `Idempotent-Replayed: true`. Kept for a day, per token "
                   "(harbour/core/idempotency.py).",
    "schema": {"type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[\\x20-\\x7e]+$"},
}


def _answer(description: str, body: dict[str, Any]) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": body}}}


class HarbourAPI(NinjaAPI):
    """django-ninja's API with the shared answers documented and shaped alike."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.add_exception_handler(ValidationError, self._invalid)
        self.add_exception_handler(HttpError, self._http_error)

    def _invalid(self, request: HttpRequest, exc: Exception) -> HttpResponse:
        assert isinstance(exc, ValidationError)
        detail = [{"loc": [str(part) for part in error.get("loc", [])], "msg": str(error.get("msg", "Invalid"))}
                  for error in exc.errors]
        return self.create_response(request, {"detail": detail}, status=422)

    def _http_error(self, request: HttpRequest, exc: Exception) -> HttpResponse:
        assert isinstance(exc, HttpError)
        if exc.status_code == 400:
            body: dict[str, Any] = {"detail": [{"loc": ["body"], "msg": "The request body must be JSON (UTF-8)"}]}
        elif isinstance(exc, AuthenticationError):
            body = {"detail": "Send a valid token: Authorization: Bearer hbr_…"}
        else:
            body = {"detail": [{"loc": [], "msg": str(exc)}]}
        return self.create_response(request, body, status=exc.status_code)

    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None) -> Any:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        for operations in schema.get("paths", {}).values():
            for method, operation in operations.items():
                answers = operation.setdefault("responses", {})
                if operation.get("security", True):
                    answers.setdefault("401", _answer("No valid token or session", _UNAUTHORISED_BODY))
                if "requestBody" in operation:
                    answers.setdefault("400", _answer("The body is not JSON", _ERROR_BODY))
                if method.upper() in _WRITES:
                    operation.setdefault("parameters", []).append(_IDEMPOTENCY_KEY)
                if "requestBody" in operation or operation.get("parameters"):
                    answers.setdefault("422", _answer("A field is missing or wrong: `loc` names it", _ERROR_BODY))
        return schema
