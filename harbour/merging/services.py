"""Merging two records of the same child, and undoing it (ADR 0019, security checklist 31).

Nothing here runs by itself: one person proposes that two records are the same child, a manager
who is someone else confirms it, and only then are the rows moved. Every row that points at the
merged-away record is moved to the kept one in one transaction and named (model and primary key)
in the merge record, so that undoing moves exactly those rows back. The merged-away record is
kept, marked merged, so its own history (audit trail, access log) stays where it was.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone

from harbour.accounts import access
from harbour.accounts.models import Role
from harbour.audit.models import AuditEvent
from harbour.audit.services import record_change, record_event, snapshot
from harbour.children.models import (
    Child,
    ChildName,
    DateOfBirthRecord,
    LegalStatusPeriod,
    PeriodLookedAfter,
)
from harbour.children.services import NAME_FIELDS
from harbour.domain.formatting import long_date
from harbour.domain.merging import Spell, first_clash
from harbour.domain.names import search_key, sound_key

from .models import ChildMerge

# A social worker, team leader or team manager may say two records are one child; only a manager
# may confirm it, decline it or undo it, and never the person who proposed it (the two-person
# rule of retention's destruction, ADR 0018).
PROPOSERS = frozenset({Role.SOCIAL_WORKER, Role.TEAM_LEADER, Role.TEAM_MANAGER})
MANAGERS = frozenset({Role.TEAM_LEADER, Role.TEAM_MANAGER})
REASON_MAX_LENGTH = 500
VIA = "merge"

# Rows that point at a child and stay with the merged-away record, and why. Everything else moves.
STAYS: dict[str, str] = {
    "merging.ChildMerge": "the merge records name both records; they are the history of the merge itself",
    "snapshot.ChildDeadlines": "derived: worked out again for the kept record from its history (ADR 0016)",
    "snapshot.ChildChecks": "derived: worked out again for the kept record from its history (ADR 0016)",
}
# The search names that mirror a record's own name fields are rebuilt from those fields whenever
# the record is corrected, so moving them would lose them at the kept record's next correction.
# They stay with the merged-away record, and its names are added to the kept one as other
# spellings instead (recorded in `added_rows`, removed by undo).
MIRRORED_NAME_KINDS = frozenset(NAME_FIELDS.values())

# What a child has only one of, in words for the refusal.
ONE_ONLY_LABELS = {
    "placements.NeedsProfile": "placement needs",
    "uasc.AsylumClaim": "an asylum claim",
    "returns.ReturnChild": "a CHILD identifier from past SSDA903 returns",
    "returns.PreviousPermanence": "an answer about previous permanence orders",
}


class MergeRefused(ValidationError):
    """The merge (or its undoing) would break a rule of the record; the message names it."""


@dataclass(frozen=True)
class ChildLink:
    """One foreign key (or one-to-one) from a model to Child."""

    model: type[models.Model]
    field: models.Field[Any, Any]

    @property
    def label(self) -> str:
        return str(self.model._meta.label)

    @property
    def one_only(self) -> bool:
        return bool(self.field.one_to_one)

    def rows(self, child_id: Any) -> models.QuerySet[Any]:
        # The base manager: no scoping, and no bulk-write capture (ADR 0016), because the merge
        # writes its own audit event for every row it moves, naming the merge.
        rows = self.model._base_manager.filter(**{self.field.attname: child_id})
        if self.model is ChildName:
            rows = rows.exclude(kind__in=MIRRORED_NAME_KINDS)
        return rows


def child_links() -> list[ChildLink]:
    """Every foreign key to Child in every installed model, found from Django's model meta, so that
    a model added later is moved without anyone remembering it. Those in STAYS are left out."""
    return [
        ChildLink(model, field)
        for model in apps.get_models(include_auto_created=True)
        for field in model._meta.concrete_fields
        if field.is_relation and field.related_model is Child and model._meta.label not in STAYS
    ]


def may_propose(user: Any) -> bool:
    return getattr(user, "role", None) in PROPOSERS and getattr(user, "is_active", False)


def may_decide(user: Any) -> bool:
    return getattr(user, "role", None) in MANAGERS and getattr(user, "is_active", False)


def _sees_all(user: Any, *children: Child) -> bool:
    ids = {child.pk for child in children}
    return access.children_visible_to(user).filter(pk__in=ids).count() == len(ids)


def _reason(reason: str, field: str, missing: str) -> str:
    cleaned = " ".join((reason or "").split())
    if not cleaned:
        raise ValidationError({field: missing})
    if len(cleaned) > REASON_MAX_LENGTH:
        raise ValidationError({field: f"Reason must be {REASON_MAX_LENGTH} characters or fewer"})
    return cleaned


# --- What would break ------------------------------------------------------------------------------


def _one_only_clashes(kept: Child, merged: Child, links: Iterable[ChildLink]) -> list[str]:
    problems = []
    for link in links:
        if link.one_only and link.rows(kept.pk).exists() and link.rows(merged.pk).exists():
            what = ONE_ONLY_LABELS.get(link.label, str(link.model._meta.verbose_name))
            problems.append(
                f"Both records have {what}, and a child has only one: correct one of the records "
                "before merging them"
            )
    return problems


def _unique_clashes(kept: Child, merged: Child, links: Iterable[ChildLink]) -> list[str]:
    """Each unique constraint that includes the child (one open placement, one allocated social
    worker at a time...): the rows of both records it covers must not meet once merged."""
    problems = []
    for link in links:
        for constraint in link.model._meta.constraints:
            fields = list(getattr(constraint, "fields", ()))
            if not isinstance(constraint, models.UniqueConstraint) or link.field.name not in fields:
                continue
            others = [name for name in fields if name != link.field.name]

            def keys(
                child: Child,
                constraint: models.UniqueConstraint = constraint,
                others: list[str] = others,
                link: ChildLink = link,
            ) -> set[tuple[Any, ...]]:
                rows = link.rows(child.pk)
                if constraint.condition is not None:
                    rows = rows.filter(constraint.condition)
                return (
                    {tuple(row) for row in rows.values_list(*others)}
                    if others
                    else ({()} if rows.exists() else set())
                )

            shared = keys(kept) & keys(merged)
            if shared:
                problems.append(
                    _unique_message(link, constraint.name, sorted(shared, key=str)[0], others)
                )
    return problems


def _unique_message(link: ChildLink, name: str, key: tuple[Any, ...], others: list[str]) -> str:
    if name == "one_open_allocation_per_kind":
        kind = dict(link.model._meta.get_field("kind").choices or []).get(key[0], key[0])  # type: ignore[union-attr]
        return (
            f"Both records have an allocated {str(kind).lower()} now: end one of the allocations "
            "before merging them"
        )
    if name == "one_open_placement_per_child":
        return "Both records have a placement that has not ended: end one of them before merging the records"
    if name == "one_imported_row_per_key":
        return (
            f"Both records have the same row imported from a past SSDA903 return ({key[0]} {key[1]}): "
            "correct one of the records before merging them"
        )
    what = ", ".join(f"{field} {value}" for field, value in zip(others, key, strict=True))
    return (
        f"Both records have a {link.model._meta.verbose_name}{f' ({what})' if what else ''} that a child may "
        "have only one of: correct one of the records before merging them"
    )


def _spells(rows: Iterable[tuple[Any, Any]], label: str) -> list[Spell]:
    return [Spell(start, end, f"{label} from {long_date(start)}") for start, end in rows]


def _overlap_clashes(kept: Child, merged: Child) -> list[str]:
    from harbour.placements.models import Placement

    problems = []
    checks: list[tuple[type[models.Model], str, bool]] = [
        # (model, words, may one end on the day the next starts?)
        (PeriodLookedAfter, "period of care", False),
        (LegalStatusPeriod, "legal status", True),
        (Placement, "placement", True),
    ]
    for model, words, may_share_a_day in checks:

        def spells(
            child: Child, model: type[models.Model] = model, words: str = words
        ) -> list[Spell]:
            return _spells(
                model._base_manager.filter(child_id=child.pk).values_list("start", "end"), words
            )

        clash = first_clash(spells(kept), spells(merged), may_share_a_day=may_share_a_day)
        if clash is not None:
            problems.append(
                f"The {clash[0].label} on the record to keep and the {clash[1].label} on the other "
                f"record overlap: a child has one {words} at a time. Correct one of them before "
                "merging the records"
            )
    return problems


def merge_problems(kept: Child, merged: Child) -> list[str]:
    """Everything that stops these two records being merged, in words; empty if nothing does."""
    if kept.pk == merged.pk:
        return ["Select a different record: a record cannot be merged with itself"]
    problems = [
        f"The record of {child.full_name} has already been merged into another record"
        for child in (kept, merged)
        if child.merged_into
    ]
    if problems:
        return problems
    links = child_links()
    return (
        _one_only_clashes(kept, merged, links)
        + _unique_clashes(kept, merged, links)
        + _overlap_clashes(kept, merged)
    )


def rows_to_move(merged: Child) -> dict[str, int]:
    """How many rows of each kind would move: shown before anyone confirms."""
    counts: dict[str, int] = {}
    for link in child_links():
        count = link.rows(merged.pk).count()
        if count:
            name = str(
                link.model._meta.verbose_name_plural if count > 1 else link.model._meta.verbose_name
            )
            counts[name] = counts.get(name, 0) + count
    return dict(sorted(counts.items()))


# --- Propose, decline, confirm ---------------------------------------------------------------------


def _events(actor: Any, merge: ChildMerge, request_id: str, details: dict[str, Any]) -> None:
    """One event on each child's trail, so the merge is in the history of both records."""
    for child_id in (merge.kept_id, merge.merged_id):
        record_event(
            actor=actor,
            action=AuditEvent.Action.UPDATE
            if details.get("state") != "proposed"
            else AuditEvent.Action.CREATE,
            record_type="merging.ChildMerge",
            record_id=str(merge.pk),
            child_id=child_id,
            request_id=request_id,
            details={"kept": str(merge.kept_id), "merged": str(merge.merged_id), **details},
        )


def _open_proposal(*children: Child) -> ChildMerge | None:
    ids = [child.pk for child in children]
    return (
        ChildMerge.objects.filter(state=ChildMerge.State.PROPOSED)
        .filter(models.Q(kept_id__in=ids) | models.Q(merged_id__in=ids))
        .first()
    )


@transaction.atomic
def propose_merge(
    *, actor: Any, kept: Child, merged: Child, reason: str, request_id: str = ""
) -> ChildMerge:
    """Say that `merged` is the same child as `kept` and should be folded into it. Moves nothing."""
    if not may_propose(actor):
        raise PermissionDenied(
            "Only social workers, team leaders and team managers propose merging records"
        )
    if not _sees_all(actor, kept, merged):
        raise ValidationError({"merged_child": "Select a record you can see"})
    reason = _reason(reason, "reason", "Enter why these records are the same child")
    problems = merge_problems(kept, merged)
    if problems:
        raise MergeRefused({"merged_child": problems})
    if _open_proposal(kept, merged) is not None:
        raise MergeRefused(
            {
                "merged_child": "One of these records is already proposed for merging: a manager must "
                "confirm or decline that proposal first"
            }
        )
    merge = ChildMerge.objects.create(kept=kept, merged=merged, reason=reason, proposed_by=actor)
    _events(actor, merge, request_id, {"state": merge.state, "reason": reason})
    return merge


def _decider(actor: Any, merge: ChildMerge) -> None:
    if not may_decide(actor):
        raise PermissionDenied(
            "Only team leaders and team managers confirm, decline or undo a merge"
        )
    if merge.proposed_by_id == getattr(actor, "pk", None):
        raise MergeRefused(
            {
                "merge": "Someone other than the person who proposed it must confirm or decline the merge"
            }
        )


@transaction.atomic
def decline_merge(
    *, actor: Any, merge: ChildMerge, reason: str, request_id: str = ""
) -> ChildMerge:
    merge = ChildMerge.objects.select_for_update().get(pk=merge.pk)
    _decider(actor, merge)
    if merge.state != ChildMerge.State.PROPOSED:
        raise MergeRefused({"merge": "This proposal has already been decided"})
    reason = _reason(reason, "decline_reason", "Enter why these are not the same child")
    merge.state, merge.decided_by, merge.decided_at = (
        ChildMerge.State.DECLINED,
        actor,
        timezone.now(),
    )
    merge.decline_reason = reason
    merge.save(update_fields=["state", "decided_by", "decided_at", "decline_reason"])
    _events(actor, merge, request_id, {"state": merge.state, "reason": reason})
    return merge


def _row_events(
    actor: Any,
    moved: list[dict[str, Any]],
    from_id: uuid.UUID,
    to_id: uuid.UUID,
    merge: ChildMerge,
    request_id: str,
) -> None:
    AuditEvent.objects.bulk_create(
        [
            AuditEvent(
                actor=actor,
                action=AuditEvent.Action.UPDATE,
                record_type=row["model"],
                record_id=row["pk"],
                child_id=to_id,
                request_id=request_id,
                via=VIA,
                changes={row["field"]: [str(from_id), str(to_id)], "merge": str(merge.pk)},
            )
            for row in moved
        ]
    )


def _add_other_names_and_dates(
    actor: Any, kept: Child, merged: Child, moved_dates: set[Any]
) -> list[dict[str, Any]]:
    """The merged-away record's names become other spellings on the kept one, and its date of birth
    in use a date of birth from the same source, unless the kept record already has them; nothing
    the kept record holds is overwritten (as linking a referral does)."""
    added: list[dict[str, Any]] = []
    known = set(ChildName.objects.filter(child=kept).values_list("search_key", flat=True))
    full = " ".join(part for part in (merged.given_names, merged.family_name) if part)
    wanted = [
        (full, ChildName.Kind.SPELLING),
        (merged.preferred_name, ChildName.Kind.ALIAS),
        (merged.names_in_original_script, ChildName.Kind.SPELLING),
    ]
    # Names in the original script added as such stay with the merged record (they are of a kind
    # rebuilt at each correction), so they come across as spellings too.
    wanted += [
        (name, ChildName.Kind.SPELLING)
        for name in ChildName.objects.filter(child=merged, kind=ChildName.Kind.ORIGINAL_SCRIPT)
        .order_by("name")
        .values_list("name", flat=True)
    ]
    for name, kind in wanted:
        if name and search_key(name) not in known:
            known.add(search_key(name))
            row = ChildName.objects.create(
                child=kept,
                kind=kind,
                name=name,
                search_key=search_key(name),
                sound_key=sound_key(name),
            )
            record_change(
                actor=actor,
                action=AuditEvent.Action.CREATE,
                instance=row,
                child_id=kept.pk,
                via=VIA,
            )
            added.append({"model": "children.ChildName", "pk": str(row.pk)})
    dates = (
        set(DateOfBirthRecord.objects.filter(child=kept).values_list("date_of_birth", flat=True))
        | moved_dates
    )
    if merged.date_of_birth and merged.date_of_birth_source and merged.date_of_birth not in dates:
        record = DateOfBirthRecord.objects.create(
            child=kept,
            date_of_birth=merged.date_of_birth,
            source=merged.date_of_birth_source,
            recorded_by=actor,
            note=f"In use on the record of {merged.full_name}, merged into this one",
        )
        record_change(
            actor=actor, action=AuditEvent.Action.CREATE, instance=record, child_id=kept.pk, via=VIA
        )
        added.append({"model": "children.DateOfBirthRecord", "pk": str(record.pk)})
    return added


def _move(links: list[ChildLink], from_id: uuid.UUID, to_id: uuid.UUID) -> list[dict[str, Any]]:
    moved: list[dict[str, Any]] = []
    for link in links:
        rows = link.rows(from_id)
        pks = [str(pk) for pk in rows.values_list("pk", flat=True)]
        if not pks:
            continue
        rows.update(**{link.field.attname: to_id})
        # A row whose key is the child (one-to-one, primary key) is known by its new key.
        moved += [
            {
                "model": link.label,
                "table": link.model._meta.db_table,
                "field": link.field.attname,
                "pk": str(to_id) if link.field.primary_key else pk,
            }
            for pk in pks
        ]
    return moved


@transaction.atomic
def confirm_merge(*, actor: Any, merge: ChildMerge, request_id: str = "") -> ChildMerge:
    """A manager who did not propose it confirms the two records are one child: every row of the
    merged-away record moves to the kept one, in this one transaction, each named in the merge."""
    merge = ChildMerge.objects.select_for_update().get(pk=merge.pk)
    _decider(actor, merge)
    if merge.state != ChildMerge.State.PROPOSED:
        raise MergeRefused({"merge": "This proposal has already been decided"})
    # Locked in a fixed order, so two merges of the same pair cannot deadlock.
    locked = {
        c.pk: c
        for c in Child.unscoped.select_for_update()
        .filter(pk__in=[merge.kept_id, merge.merged_id])
        .order_by("pk")
    }
    kept, merged = locked[merge.kept_id], locked[merge.merged_id]
    if not _sees_all(actor, kept, merged):
        raise MergeRefused(
            {
                "merge": "You cannot see both records, so you cannot confirm this merge: ask a team "
                "manager who can"
            }
        )
    problems = merge_problems(kept, merged)
    if problems:
        raise MergeRefused({"merge": problems})
    links = child_links()
    moved = _move(links, merged.pk, kept.pk)
    moved_dates = set(
        DateOfBirthRecord.objects.filter(
            pk__in=[r["pk"] for r in moved if r["model"] == "children.DateOfBirthRecord"]
        ).values_list("date_of_birth", flat=True)
    )
    added = _add_other_names_and_dates(actor, kept, merged, moved_dates)
    before = snapshot(merged)
    merged.merged_into = kept.pk
    merged.version += 1
    merged.save(update_fields=["merged_into", "version", "updated_at"])
    record_change(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        instance=merged,
        child_id=merged.pk,
        before=before,
        request_id=request_id,
        via=VIA,
    )
    merge.state, merge.decided_by, merge.decided_at = ChildMerge.State.MERGED, actor, timezone.now()
    merge.moved_rows, merge.added_rows = moved, added
    merge.save(update_fields=["state", "decided_by", "decided_at", "moved_rows", "added_rows"])
    _row_events(actor, moved, merged.pk, kept.pk, merge, request_id)
    _events(
        actor,
        merge,
        request_id,
        {"state": merge.state, "rows_moved": _counts(moved), "rows_added": len(added)},
    )
    return merge


def _counts(rows: list[dict[str, Any]]) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for row in rows:
        counts[row["model"]] += 1
    return dict(sorted(counts.items()))


# --- Undo ------------------------------------------------------------------------------------------


@transaction.atomic
def undo_merge(*, actor: Any, merge: ChildMerge, reason: str, request_id: str = "") -> ChildMerge:
    """Move every row the merge moved back to the merged-away record, remove the names and dates it
    added, and show the merged-away record again. Rows recorded on the kept record since the merge
    stay with it; a moved row deleted since is listed as missing. The merge record and its events
    stay: the undoing is added to them, nothing is erased."""
    if not may_decide(actor):
        raise PermissionDenied(
            "Only team leaders and team managers confirm, decline or undo a merge"
        )
    merge = ChildMerge.objects.select_for_update().get(pk=merge.pk)
    if merge.state != ChildMerge.State.MERGED:
        raise MergeRefused({"merge": "Only a merge that has been carried out can be undone"})
    locked = {
        c.pk: c
        for c in Child.unscoped.select_for_update()
        .filter(pk__in=[merge.kept_id, merge.merged_id])
        .order_by("pk")
    }
    kept, merged = locked[merge.kept_id], locked[merge.merged_id]
    # Merges undo last first: the rows may have moved on with the kept record.
    if kept.merged_into:
        later = ChildMerge.objects.filter(merged_id=kept.pk, state=ChildMerge.State.MERGED).first()
        raise MergeRefused(
            {
                "merge": "The record kept by this merge has since been merged into another record: "
                f"undo that merge first{f' (merge {later.pk})' if later else ''}"
            }
        )
    if not _sees_all(actor, kept):
        raise MergeRefused(
            {"merge": "You cannot see the record the merge kept, so you cannot undo it"}
        )
    reason = _reason(reason, "undo_reason", "Enter why the merge is being undone")
    returned: list[dict[str, Any]] = []
    missing: list[dict[str, Any]] = []
    by_link: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for row in merge.moved_rows:
        by_link[(row["model"], row["field"])].append(row)
    for (label, field), rows in by_link.items():
        model = apps.get_model(label)
        attname = field
        pks = [row["pk"] for row in rows]
        still_here = model._base_manager.filter(pk__in=pks, **{attname: kept.pk})
        present = {str(pk) for pk in still_here.values_list("pk", flat=True)}
        still_here.update(**{attname: merged.pk})
        for row in rows:
            if row["pk"] in present:
                back = model._meta.pk.attname == attname  # type: ignore[union-attr]
                returned.append({**row, "pk": str(merged.pk) if back else row["pk"]})
            else:
                missing.append(row)
    for row in merge.added_rows:
        model = apps.get_model(row["model"])
        instance = model._base_manager.filter(pk=row["pk"]).first()
        if instance is not None:
            record_change(
                actor=actor,
                action=AuditEvent.Action.DELETE,
                instance=instance,
                child_id=kept.pk,
                request_id=request_id,
                via=VIA,
            )
            instance.delete()
    before = snapshot(merged)
    merged.merged_into = None
    merged.version += 1
    merged.save(update_fields=["merged_into", "version", "updated_at"])
    record_change(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        instance=merged,
        child_id=merged.pk,
        before=before,
        request_id=request_id,
        via=VIA,
        reason=reason,
    )
    merge.state, merge.undone_by, merge.undone_at, merge.undo_reason = (
        ChildMerge.State.UNDONE,
        actor,
        timezone.now(),
        reason,
    )
    merge.returned_rows, merge.missing_rows = returned, missing
    merge.save(
        update_fields=[
            "state",
            "undone_by",
            "undone_at",
            "undo_reason",
            "returned_rows",
            "missing_rows",
        ]
    )
    _row_events(actor, returned, kept.pk, merged.pk, merge, request_id)
    _events(
        actor,
        merge,
        request_id,
        {
            "state": merge.state,
            "reason": reason,
            "rows_returned": _counts(returned),
            "rows_missing": _counts(missing),
        },
    )
    return merge
