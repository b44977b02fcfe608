"""Security checklist 14, the part a trigger alone cannot hold: the role Harbour serves requests with
owns nothing, so it can neither change audit rows nor drop, disable or truncate its way round the
triggers; it can still do its work. PostgreSQL only (roles); the command's refusals run everywhere."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from harbour.accounts.models import Role
from harbour.audit.database_roles import APPEND_ONLY_TABLES, RoleError, statements
from harbour.audit.models import AuditEvent
from harbour.children import services
from harbour.children.models import ChronologyEntry

OWNER, APP = "harbour_test_owner", "harbour_test_app"

postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql",
                                     reason="database roles are PostgreSQL's (DATABASE_URL)")


@pytest.fixture
def as_application_role(db: Any, make_user: Any, make_team: Any, make_child: Any) -> Iterator[Any]:
    """The test database, with a child and its audit rows, the two roles granted, and this connection
    acting as the application. Roles and grants are transactional in PostgreSQL: the rollback removes them."""
    make_child(social_worker=make_user(Role.SOCIAL_WORKER, team=make_team()))
    assert AuditEvent.objects.exists()  # row triggers fire only on rows
    with connection.cursor() as cursor:  # ALTER TABLE waits for no deferred foreign-key checks
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("db_roles", owner=OWNER, app=APP)
    with connection.cursor() as cursor:
        cursor.execute(f"SET ROLE {APP}")
        try:
            yield cursor
        finally:
            cursor.execute("RESET ROLE")


def _refused(cursor: Any, sql: str) -> str:
    with pytest.raises(DatabaseError) as refused, transaction.atomic():
        cursor.execute(sql)
    return getattr(refused.value.__cause__, "sqlstate", "")


@postgresql_only
@pytest.mark.parametrize("sql", [
    "UPDATE audit_auditevent SET request_id = 'forged'",
    "DELETE FROM audit_accesslogentry",
    "DELETE FROM audit_disclosure",
    "UPDATE audit_auditevent SET changes = '{}'",
    "DELETE FROM retention_tombstone",
    "TRUNCATE audit_auditevent",
    "DROP TRIGGER audit_auditevent_append_only ON audit_auditevent",
    "ALTER TABLE audit_auditevent DISABLE TRIGGER ALL",
    "DROP FUNCTION harbour_audit_is_append_only() CASCADE",
    "CREATE TABLE audit_shadow (id int)",
], ids=["update-audit", "delete-access-log", "delete-disclosure", "rewrite-changes", "delete-tombstone", "truncate", "drop-trigger", "disable-trigger",
        "drop-function", "create-table"])
def test_the_application_role_cannot_change_the_audit_or_get_round_its_guard(as_application_role: Any,
                                                                              sql: str) -> None:
    assert _refused(as_application_role, sql) == "42501"  # insufficient_privilege


@postgresql_only
def test_the_application_role_can_still_record_and_read_case_work(as_application_role: Any, make_user: Any,
                                                                   make_team: Any, make_child: Any) -> None:
    worker = make_user(Role.SOCIAL_WORKER, team=make_team())
    child = make_child(social_worker=worker)
    services.chronology_add(actor=worker, child=child, kind=ChronologyEntry.Kind.NOTE, occurred_at=timezone.now(),
                            title="Visited at school", description="")
    as_application_role.execute("SELECT current_user")
    assert as_application_role.fetchone()[0] == APP
    assert AuditEvent.objects.filter(child_id=child.pk).exists()
    as_application_role.execute("UPDATE children_chronologyentry SET title = 'Visited at college' WHERE child_id = %s",
                                [child.pk])
    assert as_application_role.rowcount == 1


@postgresql_only
def test_granting_twice_changes_nothing_and_every_table_is_owned_by_the_owner(db: Any) -> None:
    call_command("db_roles", owner=OWNER, app=APP)
    call_command("db_roles", owner=OWNER, app=APP)
    with connection.cursor() as cursor:
        cursor.execute("SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'public'")
        assert [row[0] for row in cursor.fetchall()] == [OWNER]
        cursor.execute("SELECT table_name, string_agg(privilege_type, ',' ORDER BY privilege_type) "
                       "FROM information_schema.role_table_grants WHERE grantee = %s AND table_name = ANY(%s) "
                       "GROUP BY table_name", [APP, list(APPEND_ONLY_TABLES)])
        assert dict(cursor.fetchall()) == dict.fromkeys(APPEND_ONLY_TABLES, "INSERT,SELECT")
        cursor.execute("SELECT table_name, column_name FROM information_schema.role_column_grants "
                       "WHERE grantee = %s AND privilege_type = 'UPDATE' AND table_name LIKE 'audit%%'", [APP])
        assert cursor.fetchall() == [("audit_auditevent", "changes")]


@postgresql_only
def test_the_application_role_can_still_redact_a_destroyed_childs_audit_values(as_application_role: Any,
                                                                                make_user: Any, make_team: Any,
                                                                                make_child: Any) -> None:
    """Destruction (ADR 0018) runs as the application: its one way through the audit still works."""
    worker = make_user(Role.SOCIAL_WORKER, team=make_team())
    child = make_child(social_worker=worker)
    event = AuditEvent.objects.filter(child_id=child.pk).first()
    as_application_role.execute("SELECT set_config('harbour.destroying_child', %s, true)", [str(child.pk)])
    as_application_role.execute("""UPDATE audit_auditevent SET changes = '{"destroyed": "t"}' WHERE id = %s""",
                                [event.pk])
    event.refresh_from_db()
    assert event.changes == {"destroyed": "t"}


@pytest.mark.parametrize(("owner", "app", "option"), [
    ("harbour_owner; DROP TABLE x", "harbour_app", "--owner"),
    ("harbour_owner", "Harbour-App", "--app"),
    ("harbour", "harbour", "--app"),
], ids=["injection-in-owner", "capitals-and-hyphen", "same-role-twice"])
def test_role_names_that_cannot_be_used_are_refused_naming_the_option(owner: str, app: str, option: str) -> None:
    with pytest.raises(RoleError, match=f"^{option}: enter"):
        statements(owner=owner, app=app, tables=["children_child"])


@pytest.mark.skipif(connection.vendor == "postgresql", reason="the SQLite demo's refusal")
def test_on_sqlite_the_command_exits_with_a_message_naming_database_url(db: Any) -> None:
    with pytest.raises(CommandError, match="DATABASE_URL: database roles are PostgreSQL's"):
        call_command("db_roles")
