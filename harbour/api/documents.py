"""The documents on a child's record, listed through the API (the files themselves are downloaded
through the access-checked page view, which logs each download). Partner tokens never see these."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest
from django.urls import reverse
from ninja import Router, Schema

from harbour.accounts import access
from harbour.documents.models import Document

from .errors import request_id
from .schemas import ErrorOut

router = Router(tags=["documents"])


class DocumentOut(Schema):
    id: str
    kind: str
    name: str
    content_type: str
    size: int
    uploaded_at: dt.datetime
    download: str


@router.get("/children/{child_id}", response={200: list[DocumentOut], 404: ErrorOut},
            summary="The documents on a child's record, newest first")
def list_documents(request: HttpRequest, child_id: str) -> Any:
    if access.is_partner(request.auth):
        raise Http404("No child found")
    child = access.access_child(request.auth, child_id, route="api:list_documents", request_id=request_id(request))
    return [
        {"id": str(d.pk), "kind": d.kind, "name": d.original_name, "content_type": d.content_type, "size": d.size,
         "uploaded_at": d.uploaded_at, "download": reverse("documents:download", args=[d.pk])}
        for d in Document.objects.filter(child=child)
    ]
