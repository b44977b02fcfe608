"""Data migrations reconcile (security checklist 28): every RunPython migration is run forward and
back here with per-table row counts, and a new one without a test here fails the guard below.

Migrating back and forth needs real commits, so these tests use a transactional database, migrate
every app back to its latest migration afterwards and leave the database flushed, as every
transactional test does (tests that need the default lists add them: reviews/tests/conftest.py).
serialized_rollback is not used: after another transactional test's flush the content types are
numbered afresh, and restoring the serialized ones then collides."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from django.apps import apps as live_apps
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.operations.special import RunPython
from django.utils import timezone

from harbour.accounts.models import Role, User
from harbour.audit.models import AuditEvent, Disclosure
from harbour.audit.services import log_access, record_event
from harbour.retention.models import Tombstone
from harbour.reviews.defaults import AUDIT_AREAS, LATE_REASONS

# Every migration with a RunPython operation, and the test that runs it forward and back.
COVERED = {
    ("reviews", "0003_default_lists"): "test_the_default_lists_migration_adds_each_list_once_and_keeps_it_back",
    ("audit", "0002_append_only_in_postgresql"): "test_the_append_only_trigger_migrations_forward_and_back",
    ("audit", "0003_disclosure_and_link_access"): "test_the_append_only_trigger_migrations_forward_and_back",
    ("retention", "0002_audit_redaction_path_and_append_only_tombstones"):
        "test_the_append_only_trigger_migrations_forward_and_back",
}


def test_every_runpython_migration_has_a_forward_and_back_test() -> None:
    loader = MigrationLoader(None, ignore_no_migrations=True)
    found = {
        key for key, migration in loader.disk_migrations.items()
        if key[0] in {c.label for c in live_apps.get_app_configs() if c.name.startswith("harbour.")}
        and any(isinstance(op, RunPython) for op in migration.operations)
    }
    assert found == set(COVERED), "add a forward-and-back test with per-table counts for each data migration"
    assert all(name in globals() for name in COVERED.values())


def _leaf(app: str) -> tuple[str, str]:
    [leaf] = MigrationLoader(connection).graph.leaf_nodes(app)
    return leaf


def _migrate(*targets: tuple[str, str]) -> Any:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(list(targets))
    return MigrationExecutor(connection)._create_project_state(with_applied_migrations=True).apps


@pytest.fixture
def restore_latest() -> Iterator[None]:
    apps_with_migrations = [c.label for c in live_apps.get_app_configs() if c.name.startswith("harbour.")]
    leaves = [leaf for label in apps_with_migrations for leaf in MigrationLoader(connection).graph.leaf_nodes(label)]
    yield
    _migrate(*leaves)


def _counts(state_apps: Any, *labels: str) -> dict[str, int]:
    return {label: state_apps.get_model(label)._base_manager.count() for label in labels}


LISTS = ("reviews.LateReviewReason", "reviews.AuditArea")
NEIGHBOURS = ("reviews.Review", "children.Child", "audit.AuditEvent")


@pytest.mark.django_db(transaction=True)
def test_the_default_lists_migration_adds_each_list_once_and_keeps_it_back(restore_latest: None) -> None:
    before = _migrate(("reviews", "0002_review_record_and_quality_assurance"))
    # The lists start empty, so what the migration adds is exactly the defaults.
    for label in LISTS:
        before.get_model(label).objects.all().delete()
    neighbours = _counts(before, *NEIGHBOURS)
    after = _migrate(("reviews", "0003_default_lists"))
    assert _counts(after, *LISTS) == {"reviews.LateReviewReason": len(LATE_REASONS),
                                      "reviews.AuditArea": len(AUDIT_AREAS)}
    assert sorted(after.get_model("reviews.AuditArea").objects.values_list("name", flat=True)) == sorted(AUDIT_AREAS)
    assert _counts(after, *NEIGHBOURS) == neighbours
    # Back: the council's lists stay (the rows fit the older schema and a council may have edited them).
    back = _migrate(("reviews", "0002_review_record_and_quality_assurance"))
    assert _counts(back, *LISTS) == {"reviews.LateReviewReason": len(LATE_REASONS),
                                     "reviews.AuditArea": len(AUDIT_AREAS)}
    # Forward again: nothing added twice.
    again = _migrate(("reviews", "0003_default_lists"))
    assert _counts(again, *LISTS) == {"reviews.LateReviewReason": len(LATE_REASONS),
                                      "reviews.AuditArea": len(AUDIT_AREAS)}
    assert _counts(again, *NEIGHBOURS) == neighbours


def _update_refused(table: str) -> bool:
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"UPDATE {table} SET id = id")  # noqa: S608 - fixed table names
    except Exception as error:  # noqa: BLE001 - any refusal from the database
        cause = error.__cause__ or error
        code = getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)
        return "append-only" in str(error) and code == "42501"  # insufficient_privilege
    return False


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the triggers are PostgreSQL's")
@pytest.mark.django_db(transaction=True)
def test_the_append_only_trigger_migrations_forward_and_back(restore_latest: None) -> None:
    tables = ("audit_auditevent", "audit_accesslogentry", "audit_disclosure", "retention_tombstone")
    # A row in each table, so that a trigger has something to refuse.
    user = User.objects.create(username="records-manager", role=Role.ADMINISTRATOR)
    child_id = uuid.uuid4()
    record_event(actor=user, action=AuditEvent.Action.CREATE, record_type="x", record_id="1", child_id=child_id)
    log_access(user=user, child_id=child_id, route="r")
    Disclosure.objects.create(child_id=child_id, recipient="GP", purpose="care", legal_basis="s47")
    Tombstone.objects.create(child_id=child_id, record_class="looked_after", review_date=dt.date(2020, 1, 1),
                             proposed_by=user, proposed_at=timezone.now(), approved_by=user)

    def counts(*names: str) -> dict[str, int]:
        with connection.cursor() as cursor:
            result = {}
            for table in names:
                cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 - fixed table names
                result[table] = cursor.fetchone()[0]
            return result

    def refused() -> dict[str, bool]:
        present = set(connection.introspection.table_names())
        return {table: _update_refused(table) for table in tables if table in present}

    kept = ("audit_auditevent", "audit_accesslogentry", "retention_tombstone")
    latest = counts(*tables)
    assert latest == dict.fromkeys(tables, 1)
    assert refused() == dict.fromkeys(tables, True)
    # Back past retention 0002: the original function again (no redaction path); tombstones open.
    _migrate(("retention", "0001_holds_proposals_and_tombstones"))
    assert counts(*tables) == latest
    assert refused() == {**dict.fromkeys(tables, True), "retention_tombstone": False}
    # Back past audit 0003 (a schema migration drops the disclosure table with it) and 0002.
    _migrate(("audit", "0002_append_only_in_postgresql"))
    assert counts(*kept) == {t: latest[t] for t in kept}
    assert refused() == {"audit_auditevent": True, "audit_accesslogentry": True, "retention_tombstone": False}
    _migrate(("audit", "0001_initial"))
    assert counts(*kept) == {t: latest[t] for t in kept}
    assert refused() == dict.fromkeys(kept, False)
    # Forward again: every table refuses, and no row was lost or added on the way.
    _migrate(("audit", "0003_disclosure_and_link_access"),
             ("retention", "0002_audit_redaction_path_and_append_only_tombstones"))
    assert counts(*kept) == {t: latest[t] for t in kept}
    Disclosure.objects.create(child_id=child_id, recipient="GP", purpose="care", legal_basis="s47")
    assert refused() == dict.fromkeys(tables, True)
