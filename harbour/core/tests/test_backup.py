"""Recovery (issue 10; security checklist 25, the part that needs no WAL archive): a backup of the
demo council restored into a fresh PostgreSQL database has every table with the same number of
rows, the append-only guard on the audit tables comes back with it, and a damaged dump or an
existing database is refused with a message."""

from __future__ import annotations

import json
import uuid
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from harbour.audit.models import AuditEvent
from harbour.core import backup
from harbour.core.backup import compare

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("pg_dump and pg_restore need PostgreSQL (set DATABASE_URL)")


@pytest.fixture
def scratch():
    """Names for the databases a restore makes; each is dropped afterwards."""
    made: list[str] = []

    def name() -> str:
        made.append(f"harbour_restore_{uuid.uuid4().hex[:12]}")
        return made[-1]

    yield name
    for database in made:
        backup.drop_database(database)


@pytest.fixture
def council(settings):
    settings.HARBOUR_DEMO = True
    call_command("demo", children=12, seed=4, stdout=StringIO())


def test_a_backup_restores_into_a_fresh_database_with_every_table_counted(council, tmp_path, scratch):
    dump = tmp_path / "harbour.dump"
    out = StringIO()
    call_command("backup", str(dump), stdout=out)
    manifest = json.loads((tmp_path / "harbour.dump.json").read_text())
    assert manifest["tables"]["children_child"] >= 12
    assert manifest["tables"]["audit_auditevent"] == AuditEvent.objects.count() > 0
    assert manifest["tables"]["django_migrations"] > 0
    assert f"{len(manifest['tables'])} tables" in out.getvalue()

    # Work goes on after the backup: the restore has the backup's rows, not today's.
    AuditEvent.objects.create(action=AuditEvent.Action.SIGN_IN, record_type="accounts.User", record_id="after")
    database = scratch()
    out = StringIO()
    call_command("restore", str(dump), "--into", database, stdout=out)
    assert f"Restored into {database}: {len(manifest['tables'])} tables" in out.getvalue()

    settings = dict(connection.settings_dict)
    with backup._connect(settings, database) as restored, restored.cursor() as cursor:
        assert backup.count_rows(cursor) == manifest["tables"]
        # The triggers that keep the audit append-only are restored too.
        cursor.execute("SELECT id FROM audit_auditevent LIMIT 1")
        [row_id] = cursor.fetchone()
        with pytest.raises(Exception, match="append-only"):
            cursor.execute("UPDATE audit_auditevent SET request_id = 'forged' WHERE id = %s", [row_id])


def test_a_damaged_dump_is_refused_and_no_database_is_made(council, tmp_path, scratch):
    dump = tmp_path / "harbour.dump"
    call_command("backup", str(dump), stdout=StringIO())
    data = bytearray(dump.read_bytes())
    data[len(data) // 2] ^= 0xFF
    dump.write_bytes(bytes(data))
    database = scratch()
    with pytest.raises(CommandError, match="SHA-256 differs"):
        call_command("restore", str(dump), "--into", database, stdout=StringIO())
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database])
        assert cursor.fetchone() is None


def test_restoring_over_an_existing_database_or_without_the_manifest_is_refused(council, tmp_path):
    dump = tmp_path / "harbour.dump"
    call_command("backup", str(dump), stdout=StringIO())
    with pytest.raises(CommandError, match="already exists: restore into a new database"):
        call_command("restore", str(dump), "--into", connection.settings_dict["NAME"], stdout=StringIO())
    with pytest.raises(CommandError, match="lower-case letters"):
        call_command("restore", str(dump), "--into", "Harbour; DROP", stdout=StringIO())
    with pytest.raises(CommandError, match="already exists"):
        call_command("backup", str(dump), stdout=StringIO())
    Path(f"{dump}.json").unlink()
    with pytest.raises(CommandError, match="manifest"):
        call_command("restore", str(dump), "--into", "harbour_never_made", stdout=StringIO())


def test_the_comparison_names_every_difference():
    assert compare({"a": 1, "b": 2, "c": 3}, {"a": 1, "b": 5, "d": 0}) == [
        "table c is missing", "table d was not in the backup", "table b has 5 rows, the backup had 2"]
    assert compare({"a": 1}, {"a": 1}) == []
