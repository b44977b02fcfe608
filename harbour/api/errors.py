"""The API's error shape, shared by every router: {"detail": [{"loc": ["body", field], "msg": ...}]}."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError


def validation_errors(error: ValidationError) -> dict[str, Any]:
    """A service's field errors as the 422 body, one item per message, keyed by the field."""
    return {"detail": [{"loc": ["body", field], "msg": message}
                       for field, messages in error.message_dict.items() for message in messages]}
