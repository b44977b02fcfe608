"""What the SSDA903 return needs of a child that no other record holds: the category of need and,
for a girl or young woman, whether she is a mother (docs/how-to/ssda903.md)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema, Status

from harbour.accounts import access
from harbour.children import services
from harbour.children.models import Child

from .errors import request_id, validation_errors
from .schemas import ErrorOut

router = Router(tags=["SSDA903 return"])


class ReturnFactsIn(Schema):
    category_of_need: str = Field(max_length=2, description="CIN, N1 to N8")
    is_mother: bool | None = Field(None, description="Girls and young women only; null when not applicable")
    mother_child_date_of_birth: dt.date | None = Field(None, description="The date of birth of her first child")


class ReturnFactsOut(Schema):
    category_of_need: str
    is_mother: bool | None
    mother_child_date_of_birth: dt.date | None
    version: int


def _child(request: HttpRequest, child_id: str, route: str, purpose: str = "") -> Child:
    # Partners never see the return's facts: out of scope answers 404 like a missing child.
    if access.is_partner(request.auth):
        raise Http404("No child found")
    return access.access_child(request.auth, child_id, route=route, request_id=request_id(request), purpose=purpose)


def _out(child: Child) -> dict[str, Any]:
    return {"category_of_need": child.category_of_need, "is_mother": child.is_mother,
            "mother_child_date_of_birth": child.mother_child_date_of_birth, "version": child.version}


@router.get("/children/{child_id}/facts", response={200: ReturnFactsOut, 404: ErrorOut},
            summary="The child's category of need and, for a girl, whether she is a mother")
def get_return_facts(request: HttpRequest, child_id: str) -> Any:
    return _out(_child(request, child_id, "api:get_return_facts"))


@router.put("/children/{child_id}/facts", response={200: ReturnFactsOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
            summary="Record the child's category of need and, for a girl, whether she is a mother")
def put_return_facts(request: HttpRequest, child_id: str, payload: ReturnFactsIn) -> Any:
    child = _child(request, child_id, "api:put_return_facts", purpose="edit")
    if not access.may_edit_child(request.auth):
        return Status(403, {"detail": [{"loc": [], "msg": "You cannot change this child's record"}]})
    try:
        services.child_record_return_facts(actor=request.auth, child=child, today=timezone.localdate(),
                                           request_id=request_id(request), via="api", **payload.model_dump())
    except ValidationError as error:
        return Status(422, validation_errors(error))
    return _out(child)
