"""On PostgreSQL, trigram indexes on the name keys search reads (security checklist item 26).

Search matches any part of a name (`search_key LIKE '%word%'`) and a transliteration inside a
name of several words (`sound_key LIKE '% mhmd %'`). A B-tree cannot answer either, so on the
national-scale set (480,000 children, 1.7 million names) each search read every name, and when few
names matched the planner walked all children in name order probing each one: minutes, not
seconds (benchmarks/README.md, "National scale"). GIN indexes with pg_trgm's operator class answer
LIKE with a leading wildcard. pg_trgm is a trusted extension (PostgreSQL 13 and later): the
database owner may create it without being a superuser.

The indexes are left out of the model state on purpose: SQLite, used for the one-command demo,
has neither GIN nor pg_trgm, and a table rebuilt by a later SQLite migration would try to copy them.
"""

from typing import Any

from django.db import migrations

INDEXES = (
    ("children_childname_search_key_trgm", "search_key"),
    ("children_childname_sound_key_trgm", "sound_key"),
)


class RunSQLOnPostgreSQL(migrations.RunSQL):
    """RunSQL that does nothing on other databases."""

    def database_forwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    dependencies = [("children", "0005_merge_restriction_and_return_facts")]

    operations = [
        # The extension stays on the way back: other objects in the database may use it.
        RunSQLOnPostgreSQL("CREATE EXTENSION IF NOT EXISTS pg_trgm", reverse_sql=migrations.RunSQL.noop),
        *(RunSQLOnPostgreSQL(
            f"CREATE INDEX IF NOT EXISTS {name} ON children_childname USING gin ({column} gin_trgm_ops)",
            reverse_sql=f"DROP INDEX IF EXISTS {name}",
        ) for name, column in INDEXES),
    ]
