"""Raw SQL cannot be captured by the audit trail (the ORM never sees it), so it is kept to places
that were reviewed and say why they need it (docs/security.md row 13). A new place fails this test
until it is reviewed and added here with its reason."""

from __future__ import annotations

import re
from pathlib import Path

import harbour

RAW_SQL = re.compile(r"\.(execute|executemany|raw|extra|_raw_delete)\(|\bcursor\(\)|RawSQL\(")

REVIEWED = {
    "harbour/audit/bulk.py": "writes the audit events themselves, in one statement",
    "harbour/audit/database_roles.py": "grants and table ownership for the database roles; no rows",
    "harbour/core/backup.py": "counts rows and makes and drops the restore drill's database; reads only",
    "harbour/core/pitr.py": "the point-in-time drill's own table in a scratch cluster",
    "harbour/retention/services.py": "destruction: deletes without capture on purpose, leaving a tombstone "
                                     "instead of the values (ADR 0018)",
}


def _places() -> dict[str, int]:
    root = Path(harbour.__file__).parent
    found: dict[str, int] = {}
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root.parent).as_posix()
        if "/tests/" in relative or "/migrations/" in relative:
            continue
        count = len(RAW_SQL.findall(path.read_text(encoding="utf-8")))
        if count:
            found[relative] = count
    return found


def test_raw_sql_is_only_where_it_was_reviewed() -> None:
    places = _places()
    assert set(places) <= set(REVIEWED), f"raw SQL in {sorted(set(places) - set(REVIEWED))}: review it, then add it"
    assert set(REVIEWED) <= set(places), f"no raw SQL left in {sorted(set(REVIEWED) - set(places))}: remove it here"


def test_the_search_finds_raw_sql() -> None:
    # The pattern itself is tested, so that an empty result means no raw SQL, not a broken search.
    assert _places()["harbour/retention/services.py"] >= 2
    assert RAW_SQL.search('connection.cursor().execute("DELETE FROM children_child")')
    assert RAW_SQL.search("Child.objects.raw('SELECT 1')")
    assert not RAW_SQL.search("Child.objects.filter(pk=1).delete()")
