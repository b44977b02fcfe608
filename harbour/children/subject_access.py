"""The subject-access export: everything Harbour holds about one child (UK GDPR art. 15).

Which records belong to a child is found by walking Django's model graph, not by a list: every
model with a foreign-key (or one-to-one) chain to Child is reached, and so is every model that
keeps a child's id as a plain `child_id` (the audit trail, the access log and the disclosures,
which must outlive nothing and point at nothing). A model added later is in the export without
anyone remembering to add it; `test_subject_access.py` fails if one could not be reached.

Third-party data is marked, not removed: the JSON is complete, and both files say which values
name someone other than the child (staff, carers, parents, assessors, other agencies, other
children) so that the person releasing the export can review and redact them (ICO guidance on
the right of access: "information about other individuals"). See ADR 0017.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import uuid
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from harbour.accounts.models import Role
from harbour.audit.models import AuditEvent
from harbour.audit.services import record_event

from .models import Child

THIRD_PARTY = "[third party: review before release]"
# The longest foreign-key chain followed from a model to Child. The deepest today is three
# (a review's attendee → review → child is two); five leaves room without looping.
MAX_DEPTH = 5
# Fields that name or reach a person other than the child. Matched against the field's name; the
# child's own names (on Child and ChildName) are the subject's data, not a third party's.
_PEOPLE = re.compile(
    r"(carer|parent|mother|father|sibling|relative|family_member|guardian|assessor|interpreter|referrer|"
    r"recipient|given_by|accessed_by|contact_name|professional|solicitor|provider|attendee|invitee|"
    r"^name$|_name$|email|phone|telephone|address|^source$|agency)",
)
_CHILDS_OWN = {"children.Child", "children.ChildName"}


@dataclass(frozen=True)
class Reach:
    """How a model's rows are found from a child: ORM lookups, any of which names the child."""

    model: type[models.Model]
    lookups: tuple[str, ...]

    @property
    def label(self) -> str:
        return self.model._meta.label


def _has_child_id(model: type[models.Model]) -> bool:
    try:
        found = model._meta.get_field("child_id")
    except Exception:  # noqa: BLE001 - Django raises FieldDoesNotExist; absence is the answer
        return False
    return isinstance(found, models.UUIDField)


def reachable_models() -> dict[str, Reach]:
    """Every model whose rows can belong to a child, with the lookups that find them.

    Found to a fixed point: a model joins when one of its foreign keys or one-to-ones points at
    Child or at a model already joined. A chain never passes through the same model twice."""
    # model -> {lookup: the models the lookup passes through}
    found: dict[type[models.Model], dict[str, frozenset[type[models.Model]]]] = {Child: {"pk": frozenset({Child})}}
    for model in apps.get_models():
        if _has_child_id(model):
            found.setdefault(model, {})["child_id"] = frozenset({model})
    for _ in range(MAX_DEPTH):
        grew = False
        for model in apps.get_models():
            for fk in model._meta.concrete_fields:
                if not (fk.is_relation and (fk.many_to_one or fk.one_to_one)) or fk.related_model not in found:
                    continue
                for tail, passes in list(found[fk.related_model].items()):
                    path = fk.name if tail == "pk" else f"{fk.name}__{tail}"
                    known = found.setdefault(model, {})
                    if model in passes or path in known:
                        continue
                    known[path] = passes | {model}
                    grew = True
        if not grew:
            break
    return {m._meta.label: Reach(m, tuple(sorted(paths))) for m, paths in found.items()}


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, uuid.UUID | Decimal | dt.timedelta):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return f"<{len(bytes(value))} bytes>"
    return value


def _third_party_fields(model: type[models.Model], child: Child) -> set[str]:
    label = model._meta.label
    marked: set[str] = set()
    for f in model._meta.concrete_fields:
        if f.is_relation and f.related_model is not None:
            target = f.related_model._meta.label
            if f.related_model is apps.get_model(settings.AUTH_USER_MODEL) or target == "accounts.PartnerAgency":
                marked.add(f.attname)
            continue
        if label in _CHILDS_OWN:
            continue
        if _PEOPLE.search(f.name):
            marked.add(f.attname)
    return marked


def _other_children(model: type[models.Model], values: dict[str, Any], child: Child) -> set[str]:
    """Links to a child other than this one (a sibling, another child in the same placement)."""
    return {f.attname for f in model._meta.concrete_fields
            if f.is_relation and f.related_model is Child and values.get(f.attname) not in (None, str(child.pk))}


def _when(model: type[models.Model], row: models.Model) -> dt.datetime | None:
    """The moment a record belongs to in the chronology: when it was made, if the model keeps that,
    else its first date or time."""
    fields = list(model._meta.concrete_fields)
    made = [f for f in fields if getattr(f, "auto_now_add", False)]
    dated = [f for f in fields if isinstance(f, models.DateField) and not getattr(f, "auto_now", False)]
    for f in made + dated:
        value = getattr(row, f.attname)
        if value is None:
            continue
        if isinstance(value, dt.datetime):
            return value
        return timezone.make_aware(dt.datetime.combine(value, dt.time()))
    return None


@dataclass
class ExportedRecord:
    model: str
    verbose_name: str
    id: str
    when: dt.datetime | None
    values: dict[str, Any]
    third_party: list[str]


@dataclass
class SubjectAccessExport:
    child: Child
    reference: str
    reason: str
    exported_by: str
    exported_at: dt.datetime
    records: list[ExportedRecord] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for record in self.records:
            counts[record.model] = counts.get(record.model, 0) + 1
        return dict(sorted(counts.items()))

    def as_json(self) -> dict[str, Any]:
        return {
            "child_id": str(self.child.pk),
            "request_reference": self.reference,
            "reason": self.reason,
            "exported_by": self.exported_by,
            "exported_at": self.exported_at.isoformat(),
            "third_party_marker": THIRD_PARTY,
            "counts": self.counts,
            "records": [
                {"model": r.model, "id": r.id, "when": r.when.isoformat() if r.when else None,
                 "values": r.values, "third_party_fields": r.third_party}
                for r in self.records
            ],
        }


def _rows(reach: Reach, child: Child) -> Iterator[models.Model]:
    query = Q()
    for lookup in reach.lookups:
        query |= Q(**{lookup: child.pk})
    manager = reach.model._base_manager  # Child's default manager refuses unscoped reads by design
    yield from manager.filter(query).distinct().order_by("pk")


def collect(*, child: Child, reference: str, reason: str, exported_by: str,
            now: dt.datetime | None = None) -> SubjectAccessExport:
    """Every record of the child, oldest first (records with no date last). One query per model
    that can hold a child's records, whatever the size of the record."""
    export = SubjectAccessExport(child=child, reference=reference, reason=reason, exported_by=exported_by,
                                 exported_at=now or timezone.now())
    for reach in sorted(reachable_models().values(), key=lambda r: r.label):
        marked = _third_party_fields(reach.model, child)
        for row in _rows(reach, child):
            values = {f.attname: _plain(getattr(row, f.attname)) for f in reach.model._meta.concrete_fields}
            export.records.append(ExportedRecord(
                model=reach.label, verbose_name=str(reach.model._meta.verbose_name).capitalize(),
                id=str(row.pk), when=_when(reach.model, row), values=values,
                third_party=sorted(k for k in marked | _other_children(reach.model, values, child)
                                   if values.get(k) not in (None, "")),
            ))
    far_future = dt.datetime.max.replace(tzinfo=dt.UTC)
    export.records.sort(key=lambda r: (r.when or far_future, r.model, r.id))
    return export


def filename(export: SubjectAccessExport) -> str:
    safe = re.sub(r"[^A-Za-z0-9_-]+", "-", export.reference).strip("-")[:60] or "request"
    return f"subject-access-{safe}-{export.exported_at:%Y%m%d}"


def as_zip(export: SubjectAccessExport) -> bytes:
    """The ZIP handed over: a readable HTML chronology and the complete JSON."""
    html = render_to_string("children/subject_access_export.html", {"export": export, "marker": THIRD_PARTY})
    stem = filename(export)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{stem}.html", html)
        archive.writestr(f"{stem}.json", json.dumps(export.as_json(), indent=2, ensure_ascii=False, default=str))
    return buffer.getvalue()


# Who may export a child's whole record: a subject access request is answered for the council
# by a manager, who also decides the redactions: the team leader (for their team's children, as
# the access module scopes them), the team manager and the director (ADR 0017).
EXPORTERS = frozenset({Role.TEAM_LEADER, Role.TEAM_MANAGER, Role.DIRECTOR})
REFERENCE_MAX_LENGTH = 60


def may_export(user: Any) -> bool:
    return getattr(user, "role", None) in EXPORTERS


def check_request(reference: str, reason: str) -> tuple[str, str]:
    """The request reference and reason, tidied; a ValidationError naming the field if missing."""
    reference, reason = " ".join((reference or "").split()), " ".join((reason or "").split())
    errors: dict[str, str] = {}
    if not reference:
        errors["reference"] = "Enter the subject access request reference"
    elif len(reference) > REFERENCE_MAX_LENGTH:
        errors["reference"] = f"Reference must be {REFERENCE_MAX_LENGTH} characters or fewer"
    if not reason:
        errors["reason"] = "Enter why the record is being exported"
    elif len(reason) > 500:
        errors["reason"] = "Reason must be 500 characters or fewer"
    if errors:
        raise ValidationError(errors)
    return reference, reason


def export_record(*, actor: Any, child: Child, reference: str, reason: str, exported_by: str,
                  request_id: str = "", via: str = "web") -> tuple[SubjectAccessExport, bytes]:
    """Collect and package the child's whole record, and audit who exported it, when and why.

    The audit event is written whether or not the file is later released: it records that the
    whole record left the system's screens."""
    reference, reason = check_request(reference, reason)
    with transaction.atomic():
        export = collect(child=child, reference=reference, reason=reason, exported_by=exported_by)
        content = as_zip(export)
        record_event(
            actor=actor, action=AuditEvent.Action.DISCLOSE, record_type="children.SubjectAccessExport",
            record_id=reference, child_id=child.pk, request_id=request_id,
            details={"kind": "subject access export", "request_reference": reference, "reason": reason,
                     "exported_by": exported_by, "via": via, "records": len(export.records),
                     "counts": export.counts},
        )
    return export, content
