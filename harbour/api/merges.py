"""Merging two records of one child through the API (ADR 0019): the same services as the pages, so
the same two-person rule, refusals, audit and all-or-nothing moves. A record outside the caller's
scope answers 404; partner tokens never reach these."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema, Status

from harbour.accounts import access
from harbour.audit.services import log_access
from harbour.children.models import Child
from harbour.merging import services
from harbour.merging.models import ChildMerge

from .errors import forbidden, request_id, validation_errors
from .schemas import ErrorOut

router = Router(tags=["merging records"])
PURPOSE = "merging records of one child"


class MergeIn(Schema):
    kept_child_id: str = Field(description="The record to keep")
    merged_child_id: str = Field(description="The record to merge into it")
    reason: str = Field(
        max_length=services.REASON_MAX_LENGTH, description="Why they are the same child"
    )


class ReasonIn(Schema):
    reason: str = Field(max_length=services.REASON_MAX_LENGTH)


class ConfirmIn(Schema):
    checked: bool = Field(
        description="The confirming manager has checked both records are the same child"
    )


class MovedRowOut(Schema):
    model: str
    table: str
    pk: str


class MergeOut(Schema):
    id: uuid.UUID
    kept_child_id: uuid.UUID
    merged_child_id: uuid.UUID
    state: str
    reason: str
    proposed_at: dt.datetime
    decided_at: dt.datetime | None
    undone_at: dt.datetime | None
    moved_rows: list[MovedRowOut]
    returned_rows: list[MovedRowOut]
    missing_rows: list[MovedRowOut]


def _out(merge: ChildMerge) -> dict[str, Any]:
    def rows(found: list[dict[str, Any]]) -> list[dict[str, str]]:
        return [{"model": r["model"], "table": r["table"], "pk": r["pk"]} for r in found]

    return {
        "id": merge.pk,
        "kept_child_id": merge.kept_id,
        "merged_child_id": merge.merged_id,
        "state": merge.state,
        "reason": merge.reason,
        "proposed_at": merge.proposed_at,
        "decided_at": merge.decided_at,
        "undone_at": merge.undone_at,
        "moved_rows": rows(merge.moved_rows),
        "returned_rows": rows(merge.returned_rows),
        "missing_rows": rows(merge.missing_rows),
    }


def _staff(request: HttpRequest) -> Any:
    if not services.may_propose(request.auth):
        raise Http404("No child found")
    return request.auth


def _child(request: HttpRequest, child_id: str, route: str) -> Child:
    return access.access_child(
        request.auth, child_id, route=route, request_id=request_id(request), purpose=PURPOSE
    )


def _merge(request: HttpRequest, merge_id: str, route: str) -> ChildMerge:
    """The merge, if the caller sees the records it names (the kept one only, once merged)."""
    _staff(request)
    try:
        merge = ChildMerge.objects.filter(pk=uuid.UUID(str(merge_id))).first()
    except ValueError:
        merge = None
    if merge is None:
        raise Http404("No merge found")
    _child(request, str(merge.kept_id), route)
    if merge.state == ChildMerge.State.MERGED:
        log_access(
            user=request.auth,
            child_id=merge.merged_id,
            route=route,
            request_id=request_id(request),
            purpose=PURPOSE,
        )
    else:
        _child(request, str(merge.merged_id), route)
    return merge


def _answer(action: Any, status: int = 200) -> Any:
    try:
        merge = action()
    except PermissionDenied as error:
        return forbidden(error)
    except ValidationError as error:
        # The services name the page's fields; here the body's.
        renamed = {_BODY_FIELDS.get(key, key): found for key, found in error.message_dict.items()}
        return Status(422, validation_errors(ValidationError(renamed)))
    return Status(status, _out(merge))


_BODY_FIELDS = {
    "merged_child": "merged_child_id",
    "decline_reason": "reason",
    "undo_reason": "reason",
}


@router.post(
    "",
    response={201: MergeOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Propose that two records are the same child (moves nothing)",
)
def propose_merge(request: HttpRequest, payload: MergeIn) -> Any:
    actor = _staff(request)
    kept = _child(request, payload.kept_child_id, "api:propose_merge")
    merged = _child(request, payload.merged_child_id, "api:propose_merge")
    return _answer(
        lambda: services.propose_merge(
            actor=actor,
            kept=kept,
            merged=merged,
            reason=payload.reason,
            request_id=request_id(request),
        ),
        201,
    )


@router.get(
    "/{merge_id}", response={200: MergeOut, 404: ErrorOut}, summary="A merge and the rows it moved"
)
def get_merge(request: HttpRequest, merge_id: str) -> Any:
    return _out(_merge(request, merge_id, "api:get_merge"))


@router.post(
    "/{merge_id}/confirm",
    response={200: MergeOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Confirm a proposed merge: a team leader or team manager who did not propose it",
)
def confirm_merge(request: HttpRequest, merge_id: str, payload: ConfirmIn) -> Any:
    merge = _merge(request, merge_id, "api:confirm_merge")
    if not payload.checked:
        return Status(
            422,
            {
                "detail": [
                    {
                        "loc": ["body", "checked"],
                        "msg": "Confirm that you have checked both "
                        "records and they are the same child",
                    }
                ]
            },
        )
    return _answer(
        lambda: services.confirm_merge(
            actor=request.auth, merge=merge, request_id=request_id(request)
        )
    )


@router.post(
    "/{merge_id}/decline",
    response={200: MergeOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Decline a proposed merge: the records are not the same child",
)
def decline_merge(request: HttpRequest, merge_id: str, payload: ReasonIn) -> Any:
    merge = _merge(request, merge_id, "api:decline_merge")
    return _answer(
        lambda: services.decline_merge(
            actor=request.auth, merge=merge, reason=payload.reason, request_id=request_id(request)
        )
    )


@router.post(
    "/{merge_id}/undo",
    response={200: MergeOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Undo a merge: every row it moved goes back",
)
def undo_merge(request: HttpRequest, merge_id: str, payload: ReasonIn) -> Any:
    merge = _merge(request, merge_id, "api:undo_merge")
    return _answer(
        lambda: services.undo_merge(
            actor=request.auth, merge=merge, reason=payload.reason, request_id=request_id(request)
        )
    )
