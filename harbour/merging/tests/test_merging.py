"""Merging two records of one child (security checklist 31, ADR 0019): never automatic, proposed by
one person and confirmed by a manager who is someone else, every row moved in one transaction and
named, refused when the merged record would break a rule, and undone exactly."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, IntegrityError, models, transaction
from django.utils import timezone

from harbour.accounts import access
from harbour.accounts.models import Allocation, Role
from harbour.audit.models import AuditEvent
from harbour.children.models import Child, ChildName, DateOfBirthRecord, PeriodLookedAfter
from harbour.merging import services
from harbour.merging.models import ChildMerge
from harbour.placements.models import Placement

TODAY = dt.date(2026, 11, 20)


@pytest.fixture
def people(make_team: Any, make_user: Any) -> Any:
    team = make_team()

    class People:
        worker = make_user(Role.SOCIAL_WORKER, team=team)
        leader = make_user(Role.TEAM_LEADER, team=team)
        manager = make_user(Role.TEAM_MANAGER)
        other_manager = make_user(Role.TEAM_MANAGER)
        outsider = make_user(Role.TEAM_LEADER, team=make_team())
        partner = make_user(Role.PARTNER)

    return People


@pytest.fixture
def pair(people: Any, make_child: Any) -> tuple[Child, Child]:
    """One child recorded twice, both on the worker's caseload; the second record's allocation has
    ended (a child has one allocated social worker at a time)."""
    kept = make_child(
        social_worker=people.worker,
        given_names="Mohammed",
        family_name="Ahmadi",
        date_of_birth=dt.date(2010, 3, 14),
    )
    merged = make_child(
        social_worker=people.worker,
        given_names="Muhammad",
        family_name="Ahmady",
        preferred_name="Mo",
        names_in_original_script="محمد",
        date_of_birth=dt.date(2010, 1, 1),
    )
    Allocation.objects.create(
        child=merged,
        worker=people.leader,
        kind=Allocation.Kind.SOCIAL_WORKER,
        start=dt.date(2026, 1, 1),
        end=dt.date(2026, 2, 1),
    )
    Allocation.objects.filter(child=merged, end__isnull=True).update(end=TODAY)
    # Still on the worker's caseload until the end date passes; a later day would hide it.
    Allocation.objects.create(
        child=merged, worker=people.worker, kind=Allocation.Kind.IRO, start=TODAY
    )
    return kept, merged


def merge(people: Any, kept: Child, merged: Child) -> ChildMerge:
    proposal = services.propose_merge(
        actor=people.worker, kept=kept, merged=merged, reason="Same Home Office reference"
    )
    return services.confirm_merge(actor=people.leader, merge=proposal)


# --- A row of every kind that points at a child, found from the model meta ------------------------


def _value_for(field: models.Field[Any, Any]) -> Any:
    if field.choices:
        return field.choices[0][0]
    if isinstance(field, models.UUIDField):
        return uuid.uuid4()
    if isinstance(field, models.EmailField):
        return "someone@example.org"
    if isinstance(field, models.DateTimeField):
        return timezone.now() - dt.timedelta(days=30)
    if isinstance(field, models.DateField):
        return TODAY - dt.timedelta(days=30)
    if isinstance(field, models.BooleanField):
        return False
    if isinstance(field, models.DecimalField):
        return Decimal("1")
    if isinstance(field, models.IntegerField | models.FloatField):
        return 1
    if isinstance(field, models.JSONField):
        return {}
    if isinstance(field, models.CharField | models.TextField):
        return "Filled in by the test"[: field.max_length or None]
    raise LookupError(field)


def _row_for(model: type[models.Model], child: Child, made: dict[str, Any], user: Any) -> Any:
    """A row of `model` belonging to `child`, made field by field (a related row of another kind
    that belongs to a child is made for the same child)."""
    if model._meta.label in made:
        return made[model._meta.label]
    values: dict[str, Any] = {}
    for field in model._meta.concrete_fields:
        to_child = field.is_relation and field.related_model is Child
        if not to_child and (
            field.primary_key
            or field.null
            or field.has_default()
            or getattr(field, "auto_now", False)
            or getattr(field, "auto_now_add", False)
        ):
            continue
        if to_child:
            values[field.name] = child
        elif field.is_relation:
            target = field.related_model
            if target is get_user_model():
                values[field.name] = user
            elif any(
                f.is_relation and f.related_model is Child for f in target._meta.concrete_fields
            ):
                values[field.name] = _row_for(target, child, made, user)
            else:
                values[field.name] = target._base_manager.first() or _row_for(
                    target, child, made, user
                )
            if values[field.name] is None:
                return None
        else:
            values[field.attname] = _value_for(field)
    try:
        with transaction.atomic():
            row = model._base_manager.create(**values)
    except (DatabaseError, ValueError, TypeError, LookupError):
        return None
    made[model._meta.label] = row
    return row


def get_user_model() -> Any:
    from django.contrib.auth import get_user_model as user_model

    return user_model()


def _links_to_child() -> list[tuple[type[models.Model], models.Field[Any, Any]]]:
    """Found here independently of the service: every concrete relation to Child in every model."""
    return [
        (model, field)
        for model in apps.get_models(include_auto_created=True)
        for field in model._meta.concrete_fields
        if field.is_relation and field.related_model is Child
    ]


def _rows_of(*children: Child) -> dict[tuple[str, str], dict[str, Any]]:
    """Every row of every model that points at these children, with all its stored values (but the
    merge records themselves)."""
    ids = [child.pk for child in children]
    rows: dict[tuple[str, str], dict[str, Any]] = {}
    for model, field in _links_to_child():
        if model is ChildMerge:
            continue
        for row in model._base_manager.filter(**{f"{field.attname}__in": ids}).values():
            rows[(model._meta.label, str(row[model._meta.pk.attname]))] = row
    return rows


def _a_row_of_every_kind(child: Child, user: Any) -> None:
    made: dict[str, Any] = {}
    for model, _ in _links_to_child():
        if model._meta.label not in services.STAYS:
            _row_for(model, child, made, user)
    # What the kept record has one of at a time, ended on this one: an allocated social worker, a placement.
    Allocation.objects.filter(
        child=child, end__isnull=True, kind=Allocation.Kind.SOCIAL_WORKER
    ).update(end=TODAY)
    Placement.objects.filter(child=child).update(end=TODAY)


def test_every_model_pointing_at_a_child_moves_or_is_named_as_staying() -> None:
    found = {model._meta.label for model, _ in _links_to_child()}
    moved = {link.label for link in services.child_links()}
    assert moved | set(services.STAYS) == found, (
        "A model with a key to Child is neither moved nor listed in STAYS"
    )
    assert not moved & set(services.STAYS)


def test_confirming_moves_every_row_of_every_kind_and_names_each_one(
    people: Any, pair: Any
) -> None:
    kept, merged = pair
    _a_row_of_every_kind(merged, people.worker)
    links = {model._meta.label for model, _ in _links_to_child()} - set(services.STAYS)
    on_merged = {label for label, _ in _rows_of(merged)}
    # A new model pointing at a child that this generic maker cannot fill fails here: give it a row.
    assert links <= on_merged, f"No row made for {sorted(links - on_merged)}"
    before = _rows_of(kept, merged)
    moving = {
        key
        for key, row in before.items()
        if key[0] not in services.STAYS
        and str(row.get("child_id")) == str(merged.pk)
        and not (key[0] == "children.ChildName" and row["kind"] in services.MIRRORED_NAME_KINDS)
    }

    done = merge(people, kept, merged)

    after = _rows_of(kept, merged)
    pk_is_child = {model._meta.label for model, field in _links_to_child() if field.primary_key}
    recorded = {(row["model"], row["pk"]) for row in done.moved_rows}
    expected = {(label, str(kept.pk) if label in pk_is_child else pk) for label, pk in moving}
    assert recorded == expected
    for label, pk in moving:
        new_key = (label, str(kept.pk)) if label in pk_is_child else (label, pk)
        moved_row, old_row = after[new_key], before[(label, pk)]
        assert str(moved_row["child_id"]) == str(kept.pk)
        assert {k: v for k, v in moved_row.items() if k != "child_id"} == {
            k: v for k, v in old_row.items() if k != "child_id"
        }, label
    left = {
        label for (label, _), row in after.items() if str(row.get("child_id")) == str(merged.pk)
    }
    assert left <= set(services.STAYS) | {"children.ChildName"}
    assert Child.unscoped.get(pk=merged.pk).merged_into == kept.pk


def test_undoing_puts_every_row_back_exactly(people: Any, pair: Any) -> None:
    kept, merged = pair
    _a_row_of_every_kind(merged, people.worker)
    before = _rows_of(kept, merged)
    children_before = {
        c["id"]: c for c in Child.unscoped.filter(pk__in=[kept.pk, merged.pk]).values()
    }

    done = merge(people, kept, merged)
    assert _rows_of(kept, merged) != before
    undone = services.undo_merge(
        actor=people.manager, merge=done, reason="Two brothers, not one child"
    )

    assert _rows_of(kept, merged) == before
    children_after = {
        c["id"]: c for c in Child.unscoped.filter(pk__in=[kept.pk, merged.pk]).values()
    }
    ignore = {"version", "updated_at"}
    assert {
        k: {f: v for f, v in c.items() if f not in ignore} for k, c in children_after.items()
    } == {k: {f: v for f, v in c.items() if f not in ignore} for k, c in children_before.items()}
    assert undone.state == ChildMerge.State.UNDONE and undone.missing_rows == []
    assert len(undone.returned_rows) == len(done.moved_rows)
    # The merge and its undoing both stay: nothing of the history is erased.
    stored = ChildMerge.objects.get(pk=done.pk)
    assert stored.moved_rows == done.moved_rows and stored.decided_by == people.leader
    assert (
        stored.undone_by == people.manager and stored.undo_reason == "Two brothers, not one child"
    )


def test_names_and_dates_of_the_merged_record_are_added_and_nothing_is_overwritten(
    people: Any, pair: Any
) -> None:
    kept, merged = pair
    from harbour.children.services import child_add_name

    child_add_name(
        actor=people.worker, child=merged, name="محمد احمدی", kind=ChildName.Kind.ORIGINAL_SCRIPT
    )
    kept_before = Child.unscoped.filter(pk=kept.pk).values().get()
    done = merge(people, kept, merged)
    kept_after = Child.unscoped.filter(pk=kept.pk).values().get()
    assert kept_after == kept_before
    names = set(ChildName.objects.filter(child=kept).values_list("kind", "name"))
    assert {
        ("spelling", "Muhammad Ahmady"),
        ("alias", "Mo"),
        ("spelling", "محمد"),
        ("spelling", "محمد احمدی"),
    } <= names
    # The merged record's dates of birth moved with it, as records from their sources.
    assert set(
        DateOfBirthRecord.objects.filter(child=kept).values_list("date_of_birth", flat=True)
    ) == {dt.date(2010, 3, 14), dt.date(2010, 1, 1)}
    # Found by search under the other spelling, and the merged-away record is found by no one.
    visible = access.children_visible_to(people.manager)
    assert not visible.filter(pk=merged.pk).exists()
    from harbour.children.selectors import search_children

    assert [c.pk for c in search_children(visible=visible, query="Ahmady")] == [kept.pk]
    # A later correction of the kept record's name keeps the added spellings.
    from harbour.children.services import child_update_identity

    child_update_identity(
        actor=people.worker,
        child=kept,
        changes={"given_names": "Mohamed"},
        version=kept_after["version"],
        reason="Spelling on passport",
    )
    assert ("spelling", "Muhammad Ahmady") in set(
        ChildName.objects.filter(child=kept).values_list("kind", "name")
    )
    services.undo_merge(actor=people.manager, merge=done, reason="Not the same child")
    assert not ChildName.objects.filter(child=kept, name="Muhammad Ahmady").exists()
    assert ChildName.objects.filter(child=merged, kind="given", name="Muhammad").exists()


def test_rows_recorded_on_the_kept_record_after_the_merge_stay_with_it(
    people: Any, pair: Any
) -> None:
    kept, merged = pair
    moved = PeriodLookedAfter.objects.create(
        child=merged, start=dt.date(2024, 1, 1), end=dt.date(2024, 6, 1)
    )
    done = merge(people, kept, merged)
    later = PeriodLookedAfter.objects.create(child=kept, start=dt.date(2025, 1, 1))
    deleted = PeriodLookedAfter.objects.create(
        child=merged, start=dt.date(2020, 1, 1), end=dt.date(2020, 2, 1)
    )
    # (a row recorded on the hidden record after the merge is not one the merge moved)
    undone = services.undo_merge(actor=people.manager, merge=done, reason="Wrong child")
    assert PeriodLookedAfter.objects.get(pk=moved.pk).child_id == merged.pk
    assert PeriodLookedAfter.objects.get(pk=later.pk).child_id == kept.pk
    assert PeriodLookedAfter.objects.get(pk=deleted.pk).child_id == merged.pk
    assert undone.missing_rows == []


def test_a_moved_row_deleted_since_the_merge_is_listed_as_missing(people: Any, pair: Any) -> None:
    kept, merged = pair
    period = PeriodLookedAfter.objects.create(
        child=merged, start=dt.date(2024, 1, 1), end=dt.date(2024, 6, 1)
    )
    done = merge(people, kept, merged)
    PeriodLookedAfter.objects.filter(pk=period.pk).delete()
    undone = services.undo_merge(actor=people.manager, merge=done, reason="Wrong child")
    assert [(r["model"], r["pk"]) for r in undone.missing_rows] == [
        ("children.PeriodLookedAfter", str(period.pk))
    ]


# --- Never automatic: two people ------------------------------------------------------------------


def test_proposing_moves_nothing(people: Any, pair: Any) -> None:
    kept, merged = pair
    before = _rows_of(kept, merged)
    proposal = services.propose_merge(
        actor=people.worker, kept=kept, merged=merged, reason="Same child"
    )
    assert proposal.state == ChildMerge.State.PROPOSED and _rows_of(kept, merged) == before
    assert Child.unscoped.get(pk=merged.pk).merged_into is None


def test_the_person_who_proposed_cannot_confirm(people: Any, pair: Any) -> None:
    kept, merged = pair
    proposal = services.propose_merge(
        actor=people.leader, kept=kept, merged=merged, reason="Same child"
    )
    with pytest.raises(ValidationError) as refused:
        services.confirm_merge(actor=people.leader, merge=proposal)
    assert refused.value.message_dict == {
        "merge": ["Someone other than the person who proposed it must confirm or decline the merge"]
    }
    assert ChildMerge.objects.get(pk=proposal.pk).state == ChildMerge.State.PROPOSED
    # And the database keeps the rule too.
    with pytest.raises(IntegrityError), transaction.atomic():
        ChildMerge.objects.filter(pk=proposal.pk).update(decided_by=people.leader)


@pytest.mark.parametrize(
    "role", [Role.SOCIAL_WORKER, Role.DIRECTOR, Role.IRO, Role.PARTNER, Role.ADMINISTRATOR]
)
def test_only_team_leaders_and_team_managers_confirm_or_undo(
    role: str, people: Any, pair: Any, make_user: Any
) -> None:
    kept, merged = pair
    proposal = services.propose_merge(
        actor=people.worker, kept=kept, merged=merged, reason="Same child"
    )
    someone = make_user(role)
    with pytest.raises(PermissionDenied):
        services.confirm_merge(actor=someone, merge=proposal)
    with pytest.raises(PermissionDenied):
        services.decline_merge(actor=someone, merge=proposal, reason="No")
    done = services.confirm_merge(actor=people.manager, merge=proposal)
    with pytest.raises(PermissionDenied):
        services.undo_merge(actor=someone, merge=done, reason="No")


@pytest.mark.parametrize(
    "role", [Role.PARTNER, Role.DIRECTOR, Role.ADMINISTRATOR, Role.PLACEMENTS_OFFICER]
)
def test_only_social_workers_and_managers_propose(
    role: str, people: Any, pair: Any, make_user: Any
) -> None:
    kept, merged = pair
    with pytest.raises(PermissionDenied):
        services.propose_merge(actor=make_user(role), kept=kept, merged=merged, reason="Same child")
    assert not ChildMerge.objects.exists()


def test_a_declined_proposal_moves_nothing_and_needs_a_reason(people: Any, pair: Any) -> None:
    kept, merged = pair
    before = _rows_of(kept, merged)
    proposal = services.propose_merge(
        actor=people.worker, kept=kept, merged=merged, reason="Same child"
    )
    with pytest.raises(ValidationError) as refused:
        services.decline_merge(actor=people.leader, merge=proposal, reason="  ")
    assert refused.value.message_dict == {
        "decline_reason": ["Enter why these are not the same child"]
    }
    declined = services.decline_merge(actor=people.leader, merge=proposal, reason="Twins")
    assert declined.state == ChildMerge.State.DECLINED and _rows_of(kept, merged) == before
    with pytest.raises(ValidationError):
        services.confirm_merge(actor=people.manager, merge=declined)


# --- Access ----------------------------------------------------------------------------------------


def test_a_user_who_cannot_see_both_records_can_neither_propose_nor_confirm(
    people: Any, pair: Any, make_child: Any
) -> None:
    kept, merged = pair
    with pytest.raises(ValidationError) as refused:
        services.propose_merge(actor=people.outsider, kept=kept, merged=merged, reason="Same child")
    assert refused.value.message_dict == {"merged_child": ["Select a record you can see"]}
    proposal = services.propose_merge(
        actor=people.worker, kept=kept, merged=merged, reason="Same child"
    )
    with pytest.raises(ValidationError) as refused:
        services.confirm_merge(actor=people.outsider, merge=proposal)
    assert "You cannot see both records" in refused.value.message_dict["merge"][0]


# --- Refused merges --------------------------------------------------------------------------------


def _refusal(people: Any, kept: Child, merged: Child) -> list[str]:
    with pytest.raises(ValidationError) as refused:
        services.propose_merge(actor=people.worker, kept=kept, merged=merged, reason="Same child")
    return refused.value.message_dict["merged_child"]


def test_two_open_allocations_of_one_kind_are_refused(people: Any, make_child: Any) -> None:
    kept = make_child(social_worker=people.worker)
    merged = make_child(social_worker=people.worker)
    assert _refusal(people, kept, merged) == [
        "Both records have an allocated social worker now: end one of the allocations before merging them"
    ]


def test_overlapping_periods_of_care_are_refused_naming_both(people: Any, pair: Any) -> None:
    kept, merged = pair
    PeriodLookedAfter.objects.create(child=kept, start=dt.date(2024, 1, 1), end=dt.date(2024, 6, 1))
    PeriodLookedAfter.objects.create(child=merged, start=dt.date(2024, 6, 1))
    assert _refusal(people, kept, merged) == [
        "The period of care from 1 January 2024 on the record to keep and the period of care from 1 June 2024 "
        "on the other record overlap: a child has one period of care at a time. Correct one of them before "
        "merging the records"
    ]


def test_two_open_placements_and_two_asylum_claims_are_refused(people: Any, pair: Any) -> None:
    from harbour.uasc.models import AsylumClaim

    kept, merged = pair
    for child in pair:
        made: dict[str, Any] = {}
        _row_for(Placement, child, made, people.worker)
        _row_for(AsylumClaim, child, made, people.worker)
    Placement.objects.filter(child=kept).update(start=dt.date(2025, 1, 1))
    problems = _refusal(people, kept, merged)
    assert (
        "Both records have an asylum claim, and a child has only one: correct one of the records before "
        "merging them" in problems
    )
    assert (
        "Both records have a placement that has not ended: end one of them before merging the records"
        in problems
    )


def test_a_record_cannot_be_merged_with_itself_or_twice(
    people: Any, pair: Any, make_child: Any
) -> None:
    kept, merged = pair
    assert _refusal(people, kept, kept) == [
        "Select a different record: a record cannot be merged with itself"
    ]
    merge(people, kept, merged)
    third = make_child(social_worker=people.worker)
    merged_now = Child.unscoped.get(pk=merged.pk)
    # Nobody sees a merged-away record, so nobody can pick it; and the rule says why not.
    assert _refusal(people, third, merged_now) == ["Select a record you can see"]
    assert services.merge_problems(third, merged_now) == [
        f"The record of {merged.full_name} has already been merged into another record"
    ]


def test_a_second_proposal_for_a_record_waits_for_the_first(people: Any, pair: Any) -> None:
    kept, merged = pair
    services.propose_merge(actor=people.worker, kept=kept, merged=merged, reason="Same child")
    assert _refusal(people, merged, kept) == [
        "One of these records is already proposed for merging: a manager must confirm or decline that proposal first"
    ]


def test_a_clash_recorded_after_the_proposal_stops_the_confirmation_and_nothing_moves(
    people: Any, pair: Any
) -> None:
    kept, merged = pair
    proposal = services.propose_merge(
        actor=people.worker, kept=kept, merged=merged, reason="Same child"
    )
    PeriodLookedAfter.objects.create(child=kept, start=dt.date(2025, 1, 1))
    PeriodLookedAfter.objects.create(child=merged, start=dt.date(2025, 3, 1))
    before = _rows_of(kept, merged)
    with pytest.raises(ValidationError) as refused:
        services.confirm_merge(actor=people.leader, merge=proposal)
    assert "overlap" in refused.value.message_dict["merge"][0]
    assert (
        _rows_of(kept, merged) == before
        and ChildMerge.objects.get(pk=proposal.pk).state == "proposed"
    )


def test_undoing_a_merge_whose_kept_record_was_merged_again_waits_for_the_later_one(
    people: Any, pair: Any, make_child: Any
) -> None:
    kept, merged = pair
    first = merge(people, kept, merged)
    third = make_child(social_worker=people.worker)
    # Ends today: still on the worker's caseload today.
    Allocation.objects.filter(child=kept, kind=Allocation.Kind.SOCIAL_WORKER).update(
        end=timezone.localdate()
    )
    second = merge(people, third, Child.unscoped.get(pk=kept.pk))
    with pytest.raises(ValidationError) as refused:
        services.undo_merge(actor=people.manager, merge=first, reason="Wrong")
    assert refused.value.message_dict["merge"][0].startswith(
        "The record kept by this merge has since been merged into another record: undo that merge first"
    )
    services.undo_merge(actor=people.manager, merge=second, reason="Wrong")
    services.undo_merge(actor=people.manager, merge=first, reason="Wrong")
    assert Child.unscoped.filter(merged_into__isnull=False).count() == 0


# --- Audit -----------------------------------------------------------------------------------------


def test_propose_confirm_and_undo_are_each_in_both_records_audit_trail(
    people: Any, pair: Any
) -> None:
    kept, merged = pair
    period = PeriodLookedAfter.objects.create(
        child=merged, start=dt.date(2024, 1, 1), end=dt.date(2024, 6, 1)
    )
    done = merge(people, kept, merged)
    services.undo_merge(actor=people.manager, merge=done, reason="Wrong child")
    for child in pair:
        events = AuditEvent.objects.filter(
            record_type="merging.ChildMerge", child_id=child.pk
        ).order_by("at")
        assert [(e.actor, e.changes["state"]) for e in events] == [
            (people.worker, "proposed"),
            (people.leader, "merged"),
            (people.manager, "undone"),
        ]
    moves = AuditEvent.objects.filter(
        record_type="children.PeriodLookedAfter", record_id=str(period.pk), via="merge"
    )
    assert [(e.child_id, e.changes["child_id"]) for e in moves.order_by("at")] == [
        (kept.pk, [str(merged.pk), str(kept.pk)]),
        (merged.pk, [str(kept.pk), str(merged.pk)]),
    ]
