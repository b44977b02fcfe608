"""On PostgreSQL the database itself refuses to change or delete audit rows (security checklist 14).

Row triggers raise SQLSTATE 42501 (insufficient_privilege) on UPDATE and DELETE. TRUNCATE is left to
the database owner (test flushes use it); the application's own role should not hold TRUNCATE.
SQLite, used for the one-command demo, relies on the ORM guard in audit.models.
"""

from django.db import migrations

TABLES = ("audit_auditevent", "audit_accesslogentry")

FUNCTION = """
CREATE OR REPLACE FUNCTION harbour_audit_is_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'permission denied: % rows are append-only', TG_TABLE_NAME
    USING ERRCODE = 'insufficient_privilege';
END
$$ LANGUAGE plpgsql;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION, params=None)
    for table in TABLES:
        schema_editor.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION harbour_audit_is_append_only()"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
    schema_editor.execute("DROP FUNCTION IF EXISTS harbour_audit_is_append_only()")


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
