"""Backup and restore of the PostgreSQL database, with the rows of every table counted on both sides.

A backup is two files: the dump (`pg_dump --format=custom`) and its manifest (`<dump>.json`): the
time, the database, the dump's SHA-256, and the number of rows in every table. The counts and the
dump come from one snapshot (`pg_export_snapshot()` passed to `pg_dump --snapshot`), so they agree
even while staff are working.

A restore goes into a database that does not exist yet (never over a live one), refuses a dump whose
SHA-256 is not the manifest's, and then counts every table again: a table missing, a table too many
or any count that differs is an error naming the tables. See docs/how-to/backup-and-restore.md.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
from django.db import connection
from psycopg import sql

MANIFEST_FORMAT = 1


class BackupError(Exception):
    """Something the operator must fix: the message says what."""


@dataclass(frozen=True)
class Restored:
    database: str
    tables: int
    rows: int


def _require_postgresql() -> dict[str, Any]:
    if connection.vendor != "postgresql":
        raise BackupError("Backups are for PostgreSQL: set DATABASE_URL=postgresql://… (the demo's SQLite file "
                          "can simply be copied while Harbour is stopped)")
    return dict(connection.settings_dict)


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} is not installed: install the PostgreSQL client (apt-get install postgresql-client)")
    return found


def _libpq_environment(settings: dict[str, Any]) -> dict[str, str]:
    """The server and account of Django's database, for pg_dump and pg_restore (no password on a command line)."""
    env = dict(os.environ)
    for variable, key in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER"), ("PGPASSWORD", "PASSWORD")):
        if settings.get(key):
            env[variable] = str(settings[key])
    return env


def _connect(settings: dict[str, Any], database: str, **options: Any) -> psycopg.Connection[Any]:
    return psycopg.connect(dbname=database, host=settings.get("HOST") or None, port=settings.get("PORT") or None,
                           user=settings.get("USER") or None, password=settings.get("PASSWORD") or None, **options)


def count_rows(cursor: Any) -> dict[str, int]:
    """Rows in every table of the public schema, by table name."""
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
    tables = [row[0] for row in cursor.fetchall()]
    counts: dict[str, int] = {}
    for table in tables:
        cursor.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier("public", table)))
        counts[table] = cursor.fetchone()[0]
    return counts


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def manifest_path(dump: Path) -> Path:
    return dump.with_name(dump.name + ".json")


def backup(dump: Path, *, now: dt.datetime) -> dict[str, Any]:
    """Dump Django's database to `dump` and write its manifest beside it; return the manifest."""
    settings = _require_postgresql()
    pg_dump = _tool("pg_dump")
    if dump.exists():
        raise BackupError(f"{dump} already exists: choose a new file name, a backup is never overwritten")
    dump.parent.mkdir(parents=True, exist_ok=True)
    # REPEATABLE READ holds one snapshot for the counts; pg_dump reads the same one while we stay open.
    with _connect(settings, settings["NAME"], autocommit=False) as holder, holder.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        counts = count_rows(cursor)
        result = subprocess.run(  # noqa: S603 (fixed arguments, no shell)
            [pg_dump, "--format=custom", "--no-owner", "--no-privileges", f"--snapshot={snapshot}",
             f"--file={dump}", f"--dbname={settings['NAME']}"],
            env=_libpq_environment(settings), capture_output=True, text=True, check=False)
        holder.rollback()
    if result.returncode != 0:
        dump.unlink(missing_ok=True)
        raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
    manifest = {
        "format": MANIFEST_FORMAT, "taken_at": now.isoformat(), "database": settings["NAME"],
        "dump": dump.name, "sha256": _sha256(dump), "tables": counts,
    }
    manifest_path(dump).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return manifest


def read_manifest(dump: Path) -> dict[str, Any]:
    path = manifest_path(dump)
    if not dump.is_file():
        raise BackupError(f"{dump} does not exist")
    if not path.is_file():
        raise BackupError(f"{path} is missing: a dump is restored only with the manifest made with it")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as error:
        raise BackupError(f"{path} is not a manifest: {error}") from error
    if manifest.get("format") != MANIFEST_FORMAT or not isinstance(manifest.get("tables"), dict):
        raise BackupError(f"{path} is not a Harbour backup manifest")
    return manifest


def compare(expected: dict[str, int], found: dict[str, int]) -> list[str]:
    """Every difference between the manifest's counts and the restored database's, in words."""
    problems = [f"table {t} is missing" for t in sorted(set(expected) - set(found))]
    problems += [f"table {t} was not in the backup" for t in sorted(set(found) - set(expected))]
    problems += [f"table {t} has {found[t]} rows, the backup had {expected[t]}"
                 for t in sorted(set(expected) & set(found)) if found[t] != expected[t]]
    return problems


def restore(dump: Path, *, database: str) -> Restored:
    """Restore `dump` into the new database `database` and check every table's row count."""
    settings = _require_postgresql()
    pg_restore = _tool("pg_restore")
    manifest = read_manifest(dump)
    if _sha256(dump) != manifest["sha256"]:
        raise BackupError(f"{dump} is not the file the manifest describes (its SHA-256 differs): it is damaged "
                          "or was changed")
    with _connect(settings, "postgres", autocommit=True) as admin, admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database])
        if cursor.fetchone():
            raise BackupError(f"Database {database} already exists: restore into a new database, then switch "
                              "DATABASE_URL to it")
        cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))
    result = subprocess.run(  # noqa: S603 (fixed arguments, no shell)
        [pg_restore, "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
         f"--dbname={database}", str(dump)],
        env=_libpq_environment(settings), capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"pg_restore failed (database {database} is left for inspection): {result.stderr.strip()}")
    with _connect(settings, database) as restored, restored.cursor() as cursor:
        found = count_rows(cursor)
    problems = compare(manifest["tables"], found)
    if problems:
        raise BackupError(f"The restore into {database} does not match the backup: " + "; ".join(problems))
    return Restored(database=database, tables=len(found), rows=sum(found.values()))


def drop_database(database: str) -> None:
    """Remove a scratch database made by a restore drill."""
    settings = _require_postgresql()
    with _connect(settings, "postgres", autocommit=True) as admin, admin.cursor() as cursor:
        cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(database)))
