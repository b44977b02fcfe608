"""The API's error shape, shared by every router: {"detail": [{"loc": ["body", field], "msg": ...}]}."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from ninja import Status


def validation_errors(error: ValidationError) -> dict[str, Any]:
    """A service's field errors as the 422 body, one item per message, keyed by the field."""
    return {"detail": [{"loc": ["body", field], "msg": message}
                       for field, messages in error.message_dict.items() for message in messages]}


def forbidden(error: PermissionDenied) -> Any:
    """A service's refusal for the caller's role, as the 403 answer in the same shape."""
    return Status(403, {"detail": [{"loc": [], "msg": str(error) or "You cannot do this"}]})


def request_id(request: HttpRequest) -> str:
    """The request's id for the audit trail (set by the request-id middleware)."""
    return getattr(request, "request_id", "")
