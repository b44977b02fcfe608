"""Two database roles, so that the application cannot undo the audit's guard (security checklist 14).

The audit tables refuse ``UPDATE`` and ``DELETE`` by trigger (audit migrations 0002 and 0003). A role
that owns a table can drop or disable its triggers, so the role Harbour serves requests with must
not own anything:

* the **owner** role owns every table, sequence and the trigger function; migrations run as it;
* the **application** role may read and write case data, may only read and add to the audit tables
  (no ``DELETE`` or ``TRUNCATE``, and ``UPDATE`` only of an audit event's ``changes``, which the trigger
  allows only for destruction's redaction), and owns nothing, so ``DROP TRIGGER``, ``ALTER TABLE
  ... DISABLE TRIGGER`` and ``TRUNCATE`` fail with SQLSTATE 42501 (insufficient_privilege).

:func:`grant_roles` is idempotent: run it (``harbour db-roles``) after every ``harbour migrate``, as
a role that may change ownership (the database's owner or a superuser).
docs/how-to/database-roles.md says how a council deploys with the two roles.
"""

from __future__ import annotations

import re
from typing import Any

APPEND_ONLY_TABLES = ("audit_auditevent", "audit_accesslogentry", "audit_disclosure", "retention_tombstone")
# Destroying a record past its retention date replaces its audit events' values with a pointer to the
# tombstone (ADR 0018): the application may update that one column, and the trigger lets only that
# redaction through, for the child the transaction has declared.
REDACTABLE = ("audit_auditevent", "changes")
TRIGGER_FUNCTION = "harbour_audit_is_append_only()"
_ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


class RoleError(ValueError):
    """A role name that cannot be used, or a database that has no roles (SQLite)."""


def check_role_name(name: str, option: str) -> None:
    if not _ROLE_NAME.match(name):
        raise RoleError(f"{option}: enter a role name of lower-case letters, digits and underscores, "
                        f"starting with a letter (for example harbour_app), not {name!r}")


def statements(*, owner: str, app: str, tables: list[str], schema: str = "public") -> list[str]:
    """The SQL that makes ``owner`` own ``tables`` and gives ``app`` only what it needs."""
    check_role_name(owner, "--owner")
    check_role_name(app, "--app")
    if owner == app:
        raise RoleError("--app: enter a different role from --owner: the application must not own the tables")
    sql = [
        f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{role}') THEN "
        f"CREATE ROLE {role} NOLOGIN; END IF; END $$"
        for role in (owner, app)
    ]
    sql += [f'ALTER TABLE "{table}" OWNER TO {owner}' for table in tables]
    sql.append(f"ALTER FUNCTION {TRIGGER_FUNCTION} OWNER TO {owner}")
    sql += [
        f"GRANT USAGE ON SCHEMA {schema} TO {app}",
        f"REVOKE CREATE ON SCHEMA {schema} FROM {app}",
        f"REVOKE ALL ON ALL TABLES IN SCHEMA {schema} FROM {app}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {app}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {app}",
        f"ALTER DEFAULT PRIVILEGES FOR ROLE {owner} IN SCHEMA {schema} "
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {app}",
        f"ALTER DEFAULT PRIVILEGES FOR ROLE {owner} IN SCHEMA {schema} GRANT USAGE, SELECT ON SEQUENCES TO {app}",
    ]
    sql += [f'REVOKE UPDATE, DELETE, TRUNCATE ON "{table}" FROM {app}'
            for table in APPEND_ONLY_TABLES if table in tables]
    if REDACTABLE[0] in tables:
        sql.append(f'GRANT UPDATE ("{REDACTABLE[1]}") ON "{REDACTABLE[0]}" TO {app}')
    return sql


def grant_roles(connection: Any, *, owner: str, app: str) -> list[str]:
    """Apply :func:`statements` to the database behind ``connection`` in one transaction; returns
    the tables now owned by ``owner``."""
    if connection.vendor != "postgresql":
        raise RoleError("DATABASE_URL: database roles are PostgreSQL's; point DATABASE_URL at the PostgreSQL "
                        "database Harbour serves (the SQLite demo has no roles)")
    from django.db import transaction

    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
        tables = [row[0] for row in cursor.fetchall()]
        for sql in statements(owner=owner, app=app, tables=tables):
            cursor.execute(sql)
    return tables
