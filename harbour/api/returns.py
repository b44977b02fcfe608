"""Facts the SSDA903 return asks of a child's record that no other part of the API records: the
previous permanence order (PrevPerm), asked when the child comes into care.

The same service as the page (harbour.returns.permanence): the same rules, audit and scope. A child
outside the caller's scope answers 404; partner tokens see nothing here.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema, Status

from harbour.accounts import access
from harbour.children.models import Child
from harbour.returns import permanence
from harbour.returns.models import PreviousPermanence

from .errors import forbidden as _forbidden
from .errors import request_id as _rid
from .errors import validation_errors
from .schemas import ErrorOut

router = Router(tags=["returns"])


def _child(request: HttpRequest, child_id: str, route: str) -> Child:
    if access.is_partner(request.auth):
        raise Http404("Not found")
    return access.access_child(request.auth, child_id, route=route, request_id=_rid(request))


class PreviousPermanenceIn(Schema):
    order: str = Field(description="PREV_PERM: P1 adopted, P2 special guardianship, P3 residence or child "
                                   "arrangements order, P4 an order of a kind not known, Z1 none")
    local_authority: str = Field("", max_length=3, description="LA_PERM: the council's 3-digit code, 999, WAL, "
                                                                "SCO, NIR or NUK; empty for Z1")
    made_on: dt.date | None = Field(None, description="DATE_PERM: before the child came into care; empty for Z1")


class PreviousPermanenceOut(Schema):
    recorded: bool
    order: str = Field(description="Empty when nothing is recorded yet")
    local_authority: str
    made_on: dt.date | None


def _out(row: PreviousPermanence | None) -> dict[str, Any]:
    if row is None:
        return {"recorded": False, "order": "", "local_authority": "", "made_on": None}
    return {"recorded": True, "order": row.order, "local_authority": row.local_authority, "made_on": row.made_on}


@router.get("/children/{child_id}/previous-permanence", response={200: PreviousPermanenceOut, 404: ErrorOut},
            summary="Whether the child had a previous permanence order before coming into care")
def get_previous_permanence(request: HttpRequest, child_id: str) -> Any:
    child = _child(request, child_id, "api:get_previous_permanence")
    return _out(PreviousPermanence.objects.filter(child=child).first())


@router.put("/children/{child_id}/previous-permanence",
            response={200: PreviousPermanenceOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
            summary="Record or correct the child's previous permanence order")
def put_previous_permanence(request: HttpRequest, child_id: str, payload: PreviousPermanenceIn) -> Any:
    child = _child(request, child_id, "api:put_previous_permanence")
    try:
        row = permanence.previous_permanence_record(actor=request.auth, child=child, today=timezone.localdate(),
                                                    request_id=_rid(request), via="api", **payload.dict())
    except PermissionDenied as error:
        return _forbidden(error)
    except ValidationError as error:
        return Status(422, validation_errors(error))
    return Status(200, _out(row))
