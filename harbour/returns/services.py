"""The SSDA903 return: export it, log that every child in it was read, and run it to date with its
validation, by a person (as a task with progress) or the nightly check."""

from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from harbour.accounts.access import children_visible_to
from harbour.accounts.models import Role
from harbour.audit.models import AccessLogEntry
from harbour.audit.services import record_event
from harbour.children.models import Child
from harbour.domain.ssda903 import VALIDATOR_YEARS, CollectionYear

from .export import Return, build_return
from .models import ReturnFinding, ReturnRun
from .validation import ValidatorUnavailable, validate_return

RETURN_ROLES = frozenset({Role.PERFORMANCE_ANALYST, Role.TEAM_MANAGER, Role.DIRECTOR})


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


def may_run_returns(user: Any) -> bool:
    """Analysts, team managers and the director run the return; they see the whole service."""
    return bool(getattr(user, "is_authenticated", False)) and user.role in RETURN_ROLES


def request_run(*, year: CollectionYear, user: Any) -> ReturnRun:
    """Queue a run of the return to date; it starts once this transaction commits."""
    from .tasks import run_return_task

    run = ReturnRun.objects.create(year=year.ending, requested_by=user, stage="Waiting to start")
    record_event(actor=user, action="create", record_type="ssda903_run", record_id=str(run.id),
                 details={"year": year.label})
    transaction.on_commit(lambda: run_return_task.enqueue(str(run.id)))
    return run


def _progress(run: ReturnRun, percent: int, stage: str) -> None:
    run.progress, run.stage = percent, stage
    ReturnRun.objects.filter(id=run.id).update(progress=percent, stage=stage)


def _zipped(paths: list[tuple[Path, int]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, _rows in paths:
            archive.write(path, arcname=path.name)
    return buffer.getvalue()


def run_return(run: ReturnRun, *, la_code: str) -> ReturnRun:
    """Export the year's return to date, validate it, and keep the files and findings on the run.

    A person's run reads only the children they may see; the nightly run (no person) reads every
    child. Either way each child read is in the access log.
    """
    year = CollectionYear(run.year)
    ReturnRun.objects.filter(id=run.id).update(state=ReturnRun.State.RUNNING, started_at=timezone.now())
    _progress(run, 10, "Reading the casework")
    user = run.requested_by
    children = children_visible_to(user) if user else Child.unscoped.all()
    accessed_by = "" if user else "nightly SSDA903 check"
    try:
        with tempfile.TemporaryDirectory(prefix="harbour-903-") as directory:
            built, written = export_return(year=year, children=children, out=Path(directory), actor=user,
                                           accessed_by=accessed_by)
            _progress(run, 40, "Checking the files against the DfE's rules")
            result = validate_return(Path(directory), year=year, la_code=la_code) if year.ending in VALIDATOR_YEARS \
                else None
            files = _zipped(written)
    except (ValidatorUnavailable, OSError) as error:
        ReturnRun.objects.filter(id=run.id).update(state=ReturnRun.State.FAILED, failure=str(error)[:500],
                                                   finished_at=timezone.now(), stage="Failed")
        run.refresh_from_db()
        return run
    children_by_code = {code: child_id for child_id, code in built.child_codes.items()}
    findings = [] if result is None else [
        ReturnFinding(run_id=run.id, child_id=children_by_code.get(found.child), rule=found.rule,
                      message=found.message[:500], fields=", ".join(found.fields)[:200], table=found.table,
                      row=found.row, false_positive_reason=found.false_positive_reason[:300])
        for found in [*result.errors, *result.false_positives]
    ]
    with transaction.atomic():
        ReturnFinding.objects.bulk_create(findings)
        ReturnRun.objects.filter(id=run.id).update(
            state=ReturnRun.State.DONE, progress=100, stage="Finished", finished_at=timezone.now(),
            children=len(built.child_ids), rows={t: len(r) for t, r in built.tables.items()},
            errors=len(result.errors) if result else 0,
            false_positives=len(result.false_positives) if result else 0,
            crashed_rules=result.crashed if result else [], files=files,
        )
    run.refresh_from_db()
    return run
