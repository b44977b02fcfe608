"""Exporting the SSDA903 return: build it, write it, and log that every child in it was read."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from harbour.audit.models import AccessLogEntry
from harbour.audit.services import record_event
from harbour.children.models import Child
from harbour.domain.ssda903 import CollectionYear

from .export import Return, build_return


def export_return(
    *, year: CollectionYear, children: QuerySet[Child], out: Path, actor: Any, accessed_by: str, request_id: str = ""
) -> tuple[Return, list[tuple[Path, int]]]:
    """Write the return for ``year`` to ``out``; one access-log row per child read, and one audit event.

    The log rows and the event are written in one transaction before the files: a return whose
    reading could not be logged is not written (security checklist 12).
    """
    built = build_return(year, children)
    with transaction.atomic():
        purpose = f"SSDA903 return {year.label}"
        AccessLogEntry.objects.bulk_create([
            AccessLogEntry(user=actor if getattr(actor, "pk", None) else None, accessed_by=accessed_by[:300],
                           child_id=child_id, route="export-903", purpose=purpose, request_id=request_id)
            for child_id in built.child_ids
        ])
        record_event(actor=actor, action="create", record_type="ssda903_export", record_id=str(year.ending),
                     details={"year": year.label, "children": len(built.child_ids),
                              "rows": {table: len(rows) for table, rows in built.tables.items()}},
                     request_id=request_id)
    return built, built.write(out)
