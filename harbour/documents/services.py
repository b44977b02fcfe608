"""Adding a document to a child's record: the file is written under a random name, then the row and
its audit event are saved together; if saving fails the file is removed."""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from harbour.audit.models import AuditEvent
from harbour.audit.services import record_change
from harbour.children.models import Child

from . import storage
from .models import Document
from .sniffing import clean_name


def add_document(*, actor: Any, child: Child, kind: str, upload: UploadedFile, content_type: str,
                 request_id: str = "") -> Document:
    stored_name = storage.new_stored_name()
    digest = hashlib.sha256()

    def chunks() -> Any:
        upload.seek(0)
        for chunk in upload.chunks():
            digest.update(chunk)
            yield chunk

    storage.write(stored_name, chunks())
    try:
        with transaction.atomic():
            document = Document.objects.create(
                child=child, kind=kind, original_name=clean_name(upload.name or "", content_type),
                stored_name=stored_name, content_type=content_type, size=upload.size or 0,
                sha256=digest.hexdigest(), uploaded_by=actor,
            )
            record_change(actor=actor, action=AuditEvent.Action.CREATE, instance=document, child_id=child.pk,
                          request_id=request_id, via="web")
    except BaseException:
        storage.remove(stored_name)
        raise
    return document
