"""The record's history of corrections, and who was told each old value (UK GDPR art. 16 and 19).

A correction is an audit event on the child with a reason (`children.services.child_update_identity`).
Article 19 says each recipient the data was disclosed to must be told of the correction, so each
corrected field lists the disclosures of it made while the old value stood: from the moment that
value was set (the last earlier event that changed the field, or the record's opening) to the
correction. Two queries whatever the length of the history.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from harbour.audit.models import AuditEvent, Disclosure
from harbour.audit.services import CORRECTION_REASON

from .models import Child

# Which named part of a disclosure carries each field of the child's record. The single referral
# form's sections (referrals.disclosure) are "identity" and "faith_and_culture" for these fields; a
# disclosure may also name the field itself.
DISCLOSED_IN: dict[str, str] = {
    **dict.fromkeys(
        ("given_names", "family_name", "preferred_name", "names_in_original_script", "date_of_birth",
         "date_of_birth_source", "sex", "nationality", "first_language", "other_languages", "interpreter_needed"),
        "identity",
    ),
    "religion": "faith_and_culture",
}


@dataclass(frozen=True)
class FieldCorrection:
    field: str
    before: Any
    after: Any
    told: list[Disclosure]


@dataclass(frozen=True)
class Correction:
    at: dt.datetime
    actor: Any
    reason: str
    via: str
    fields: list[FieldCorrection] = field(default_factory=list)

    @property
    def recipients_to_tell(self) -> list[str]:
        return sorted({d.recipient for f in self.fields for d in f.told})


def _covers(disclosure: Disclosure, name: str) -> bool:
    what = set(disclosure.what or [])
    return name in what or DISCLOSED_IN.get(name, "") in what


def corrections(child: Child) -> list[Correction]:
    """Every correction of the child's record, newest first, with whom to tell about each field."""
    events = list(
        AuditEvent.objects.filter(record_type=Child._meta.label, record_id=str(child.pk))
        .select_related("actor").order_by("at")
    )
    disclosures = list(Disclosure.objects.filter(child_id=child.pk).order_by("at"))
    set_at: dict[str, dt.datetime] = {}
    found: list[Correction] = []
    for event in events:
        changes = event.changes or {}
        reason = changes.get(CORRECTION_REASON)
        fields: list[FieldCorrection] = []
        for name, pair in sorted(changes.items()):
            if name == CORRECTION_REASON or not isinstance(pair, list):
                continue
            since = set_at.get(name, child.created_at)
            told = [d for d in disclosures if since <= d.at <= event.at and _covers(d, name)]
            fields.append(FieldCorrection(name, pair[0], pair[1], told))
            set_at[name] = event.at
        if reason and event.action == AuditEvent.Action.UPDATE:
            found.append(Correction(at=event.at, actor=event.actor, reason=reason, via=event.via, fields=fields))
    return list(reversed(found))
