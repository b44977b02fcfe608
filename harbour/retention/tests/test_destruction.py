"""Destruction (security checklist 20): proposed by one administrator, approved by another, refused
under a legal hold, all or nothing, every linked row gone, a tombstone left, audit values stripped."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, models, transaction
from django.test.utils import CaptureQueriesContext

from harbour.accounts.models import PartnerAgency, Role
from harbour.audit.models import AppendOnlyError, AuditEvent
from harbour.children.models import Child, LegalStatusPeriod, PeriodLookedAfter
from harbour.core.models import OutboxMessage
from harbour.retention import services
from harbour.retention.models import DestructionProposal, LegalHold, Tombstone
from harbour.retention.selectors import due_records
from harbour.retention.services import DestructionRefused

TODAY = dt.date(2026, 12, 2)


@pytest.fixture
def admins(make_user: Any) -> tuple[Any, Any]:
    return make_user(Role.ADMINISTRATOR), make_user(Role.ADMINISTRATOR)


@pytest.fixture
def old_record(make_user: Any, make_child: Any, make_agency: Any, share_with: Any) -> Any:
    """A care record whose 75th birthday has passed, with rows in several apps hanging from it."""
    def make(given: str = "Sentinelname", born: dt.date = dt.date(1940, 5, 1)) -> Any:
        worker = make_user(Role.SOCIAL_WORKER)
        child = make_child(social_worker=worker, given_names=given, family_name="Zzyzx")
        born_on(child, born)
        PeriodLookedAfter.objects.create(child=child, start=dt.date(1950, 1, 1), end=dt.date(1958, 5, 1),
                                         reason_ceased="E8")
        LegalStatusPeriod.objects.create(child=child, legal_status="C2", start=dt.date(1950, 1, 1),
                                         end=dt.date(1958, 5, 1))
        share_with(child, make_agency(PartnerAgency.Kind.HEALTH), by=worker)
        hold = LegalHold.objects.create(child=child, reason="Old inquiry", placed_by=worker)
        services.release_hold(actor=worker, hold=hold)
        OutboxMessage.objects.create(to="x@example.org", subject="About the child", body="-",
                                     about_type="children.Child", about_id=child.pk)
        return child
    return make


def born_on(child: Any, day: dt.date) -> None:
    """Records this old came from the system before Harbour: the date is set as a migration would set it."""
    Child.unscoped.filter(pk=child.pk).update(date_of_birth=day)


def _child_fk_models() -> list[tuple[type[models.Model], str]]:
    return [
        (model, field.name)
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if field.is_relation and field.related_model is Child
    ]


def _direct_counts(child_id: Any) -> dict[str, int]:
    counts = {model._meta.db_table: model._base_manager.filter(**{name: child_id}).count()
              for model, name in _child_fk_models()}
    counts["children_child"] = Child.unscoped.filter(pk=child_id).count()
    return counts


def _table_totals() -> dict[str, int]:
    return {model._meta.db_table: model._base_manager.count() for model in apps.get_models(include_auto_created=True)}


def test_destruction_removes_every_row_linked_to_the_child_and_nothing_else(admins, old_record):
    proposer, approver = admins
    doomed, twin = old_record(), old_record(given="Twin")
    direct_before, twin_before = _direct_counts(doomed.pk), _direct_counts(twin.pk)
    totals_before = _table_totals()
    assert direct_before["children_periodlookedafter"] == direct_before["accounts_partnergrant"] == 1
    assert direct_before["retention_legalhold"] == 1 and direct_before["accounts_allocation"] >= 1

    proposal = services.propose_destruction(actor=proposer, child_id=doomed.pk, today=TODAY)
    tombstone = services.approve_and_destroy(actor=approver, proposal=proposal, today=TODAY)

    assert all(count == 0 for count in _direct_counts(doomed.pk).values()), _direct_counts(doomed.pk)
    assert _direct_counts(twin.pk) == twin_before
    # Every row the tombstone counts is gone from its table, and no other row went.
    totals_after = _table_totals()
    for table, before in totals_before.items():
        if table in {"retention_tombstone", "audit_auditevent", "retention_destructionproposal"}:
            continue
        assert totals_after[table] == before - tombstone.rows_destroyed.get(table, 0), table
    assert tombstone.rows_destroyed["core_outboxmessage"] == 1
    assert not OutboxMessage.objects.filter(about_id=doomed.pk).exists()
    assert OutboxMessage.objects.filter(about_id=twin.pk).exists()
    for table, count in direct_before.items():
        if count:
            assert tombstone.rows_destroyed[table] >= count, table


def test_the_tombstone_keeps_identifier_class_dates_and_both_people_and_cannot_change(admins, old_record):
    proposer, approver = admins
    child = old_record()
    proposal = services.propose_destruction(actor=proposer, child_id=child.pk, today=TODAY)
    services.approve_and_destroy(actor=approver, proposal=proposal, today=TODAY)
    stone = Tombstone.objects.get(child_id=child.pk)
    assert (stone.record_class, stone.review_date) == ("looked_after", dt.date(2015, 5, 1))
    assert (stone.proposed_by, stone.approved_by) == (proposer, approver)
    assert stone.rows_destroyed["children_child"] == 1
    assert "Sentinelname" not in str(stone.__dict__)
    with pytest.raises(AppendOnlyError):
        stone.delete()


def test_audit_events_stay_but_lose_the_childs_values(admins, old_record):
    proposer, approver = admins
    child = old_record()
    events_before = AuditEvent.objects.filter(child_id=child.pk).count()
    assert "Sentinelname" in str(list(AuditEvent.objects.filter(child_id=child.pk).values_list("changes", flat=True)))
    proposal = services.propose_destruction(actor=proposer, child_id=child.pk, today=TODAY)
    stone = services.approve_and_destroy(actor=approver, proposal=proposal, today=TODAY)
    events = AuditEvent.objects.filter(child_id=child.pk)
    # Those before, the proposal's, and the destruction's own.
    assert events.count() == events_before + 2
    assert "Sentinelname" not in str(list(events.values_list("changes", flat=True)))
    assert stone.audit_events_redacted == events_before + 1
    assert events.filter(record_type="retention.Tombstone", action=AuditEvent.Action.DELETE).exists()


def test_a_legal_hold_blocks_proposal_and_approval(admins, old_record):
    proposer, approver = admins
    child = old_record()
    proposal = services.propose_destruction(actor=proposer, child_id=child.pk, today=TODAY)
    services.place_hold(actor=approver, child_id=child.pk, reason="Claim against the council")
    with pytest.raises(DestructionRefused, match="legal hold"):
        services.approve_and_destroy(actor=approver, proposal=proposal, today=TODAY)
    assert Child.unscoped.filter(pk=child.pk).exists()
    assert not Tombstone.objects.exists()
    services.withdraw_proposal(actor=proposer, proposal=proposal)
    with pytest.raises(DestructionRefused, match="legal hold"):
        services.propose_destruction(actor=proposer, child_id=child.pk, today=TODAY)


def test_one_person_cannot_both_propose_and_approve(admins, old_record):
    proposer, _ = admins
    child = old_record()
    proposal = services.propose_destruction(actor=proposer, child_id=child.pk, today=TODAY)
    with pytest.raises(DestructionRefused, match="other than the person who proposed"):
        services.approve_and_destroy(actor=proposer, proposal=proposal, today=TODAY)
    assert Child.unscoped.filter(pk=child.pk).exists()
    # The database keeps the rule too.
    with pytest.raises(IntegrityError), transaction.atomic():
        DestructionProposal.objects.filter(pk=proposal.pk).update(approved_by=proposer)


def test_a_record_before_its_review_date_cannot_be_proposed(admins, make_user, make_child):
    child = make_child(social_worker=make_user(Role.SOCIAL_WORKER))
    born_on(child, dt.date(1952, 1, 1))
    PeriodLookedAfter.objects.create(child=child, start=dt.date(1960, 1, 1), end=dt.date(1962, 1, 1))
    with pytest.raises(DestructionRefused, match="not reached"):
        services.propose_destruction(actor=admins[0], child_id=child.pk, today=TODAY)


def test_a_failure_part_way_leaves_nothing_done(admins, old_record, monkeypatch):
    proposer, approver = admins
    child = old_record()
    before = _direct_counts(child.pk)
    proposal = services.propose_destruction(actor=proposer, child_id=child.pk, today=TODAY)

    def fail(*args: Any, **kwargs: Any) -> int:
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "_redact_audit_events", fail)  # after every delete has run
    with pytest.raises(RuntimeError):
        services.approve_and_destroy(actor=approver, proposal=proposal, today=TODAY)
    assert _direct_counts(child.pk) == before
    assert not Tombstone.objects.exists()
    assert DestructionProposal.objects.get(pk=proposal.pk).approved_at is None


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the triggers are PostgreSQL's")
def test_the_database_lets_only_the_declared_childs_audit_values_be_replaced(admins, old_record):
    child, other = old_record(), old_record(given="Other")
    with pytest.raises(Exception, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET changes = '{\"destroyed\": \"x\"}' WHERE child_id = %s", [child.pk])
    with pytest.raises(Exception, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT set_config('harbour.destroying_child', %s, true)", [str(other.pk)])
        cursor.execute("UPDATE audit_auditevent SET changes = '{\"destroyed\": \"x\"}' WHERE child_id = %s", [child.pk])
    with pytest.raises(Exception, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT set_config('harbour.destroying_child', %s, true)", [str(child.pk)])
        cursor.execute("UPDATE audit_auditevent SET record_type = 'x', changes = '{\"destroyed\": \"x\"}' "
                       "WHERE child_id = %s", [child.pk])
    with pytest.raises(Exception, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT set_config('harbour.destroying_child', %s, true)", [str(child.pk)])
        cursor.execute("DELETE FROM audit_auditevent WHERE child_id = %s", [child.pk])


def test_due_records_lists_records_past_their_date_with_holds_and_proposals(admins, old_record, make_user,
                                                                            make_child):
    worker = make_user(Role.SOCIAL_WORKER)
    due, held = old_record(), old_record(given="Held")
    services.place_hold(actor=admins[0], child_id=held.pk, reason="Inquiry")
    died_young = make_child(social_worker=worker)
    born_on(died_young, dt.date(1990, 1, 1))
    Child.unscoped.filter(pk=died_young.pk).update(date_of_death=dt.date(2000, 6, 1))
    PeriodLookedAfter.objects.create(child=died_young, start=dt.date(1995, 1, 1), end=dt.date(2000, 6, 1))
    not_yet = make_child(social_worker=worker)
    born_on(not_yet, dt.date(1990, 1, 1))
    PeriodLookedAfter.objects.create(child=not_yet, start=dt.date(1995, 1, 1), end=dt.date(2000, 6, 1))
    no_birth_date = make_child(social_worker=worker, date_of_birth=None)
    services.propose_destruction(actor=admins[0], child_id=due.pk, today=TODAY)
    found = {record.child_id: record for record in due_records(TODAY)}
    assert set(found) == {due.pk, held.pk, died_young.pk}
    assert found[died_young.pk].review_date == dt.date(2015, 6, 1)
    assert found[held.pk].on_hold and found[due.pk].proposal is not None
    assert not_yet.pk not in found and no_birth_date.pk not in found


def test_due_records_take_the_same_number_of_queries_for_3_and_12_records(old_record):
    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert due_records(TODAY)
        return len(captured)

    for _ in range(3):
        old_record()
    few = count()
    for _ in range(9):
        old_record()
    assert count() == few <= 4


def test_the_command_lists_due_records(old_record, capsys):
    child = old_record()
    call_command("retention", "--due", "--on", TODAY.isoformat())
    out = capsys.readouterr().out
    assert f"{child.pk}\tlooked_after\t2015-05-01\tdue for review" in out
    assert "1 record due on 2026-12-02." in out
    with pytest.raises(CommandError, match="--due"):
        call_command("retention")
    with pytest.raises(CommandError, match="--on"):
        call_command("retention", "--due", "--on", "2026-02-30")
