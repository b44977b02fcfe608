"""What the merging pages show: each record side by side, and the merges a record is part of."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.urls import reverse

from harbour.accounts import access
from harbour.accounts.models import Allocation
from harbour.children.models import Child, ChildName, DateOfBirthRecord
from harbour.domain.formatting import long_date

from . import services
from .models import ChildMerge
from .services import MIRRORED_NAME_KINDS


@dataclass(frozen=True)
class RecordSummary:
    child: Child
    rows: list[tuple[str, str]]


def _day(value: dt.date | None) -> str:
    return long_date(value) if value else "Not known"


def record_summary(child: Child) -> RecordSummary:
    """The facts a person compares to decide whether two records are one child. Three queries."""
    other_names = list(
        ChildName.objects.filter(child=child)
        .exclude(kind__in=MIRRORED_NAME_KINDS)
        .order_by("name")
        .values_list("name", flat=True)
    )
    dates = sorted(
        {
            (d, s)
            for d, s in DateOfBirthRecord.objects.filter(child=child).values_list(
                "date_of_birth", "source"
            )
        }
    )
    workers = [
        a.worker.display_name
        for a in Allocation.objects.filter(
            child=child, end__isnull=True, kind=Allocation.Kind.SOCIAL_WORKER
        ).select_related("worker")
    ]
    sources = dict(DateOfBirthRecord._meta.get_field("source").choices or [])  # type: ignore[union-attr]
    rows = [
        ("Name", child.full_name),
        ("Preferred name", child.preferred_name or "None recorded"),
        ("Name in original script", child.names_in_original_script or "None recorded"),
        ("Other names and spellings", ", ".join(other_names) or "None recorded"),
        ("Date of birth in use", _day(child.date_of_birth)),
        (
            "Dates of birth recorded",
            "; ".join(f"{long_date(d)} ({sources.get(s, s)})" for d, s in dates) or "None recorded",
        ),
        ("Sex", child.get_sex_display()),
        ("Nationality", child.nationality or "Not recorded"),
        ("Home Office reference", child.home_office_reference or "Not recorded"),
        ("Port reference", child.port_reference or "Not recorded"),
        ("Unique pupil number", child.upn or "Not recorded"),
        ("Allocated social worker", ", ".join(workers) or "None"),
        ("Record opened", long_date(child.created_at.date())),
    ]
    return RecordSummary(child=child, rows=rows)


def side_by_side(kept: Child, merged: Child) -> list[tuple[str, str, str, bool]]:
    """(what, on the record kept, on the other record, whether they differ)."""
    first, second = record_summary(kept), record_summary(merged)
    return [(key, a, b, a != b) for (key, a), (_, b) in zip(first.rows, second.rows, strict=True)]


def merges_of(child: Child) -> list[ChildMerge]:
    return list(
        ChildMerge.objects.filter(Q(kept=child) | Q(merged=child)).select_related(
            "kept", "merged", "proposed_by", "decided_by", "undone_by"
        )[:50]
    )


def merged_into(child: Child) -> list[ChildMerge]:
    """The merges that folded another record into this one and stand. One query."""
    return list(
        ChildMerge.objects.filter(kept=child, state=ChildMerge.State.MERGED).select_related(
            "merged"
        )[:20]
    )


def moved_counts(rows: list[dict[str, Any]]) -> list[tuple[str, int]]:
    """Rows moved (or returned) by kind, in words, from the merge record (no query)."""
    from django.apps import apps

    counts: dict[str, int] = {}
    for row in rows:
        try:
            meta = apps.get_model(row["model"])._meta
        except LookupError:
            name = row["model"]
        else:
            name = str(meta.verbose_name_plural)
        counts[name] = counts.get(name, 0) + 1
    return sorted(counts.items())


def page_of_merged_record(user: Any, child_id: Any) -> str | None:
    """Where the page of a merged-away record leads: its merge, for someone who may see the record
    it was merged into; else nowhere (404, as for any record out of sight)."""
    if not services.may_propose(user):
        return None
    try:
        pk = uuid.UUID(str(child_id))
    except ValueError:
        return None
    merge = ChildMerge.objects.filter(merged_id=pk, state=ChildMerge.State.MERGED).first()
    if merge is None or not access.children_visible_to(user).filter(pk=merge.kept_id).exists():
        return None
    return reverse("merging:detail", args=[merge.pk])
