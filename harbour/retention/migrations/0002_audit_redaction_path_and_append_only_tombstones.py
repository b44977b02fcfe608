"""Destruction's one way through the append-only audit (ADR 0003, ADR 0018).

The trigger function that refuses every UPDATE and DELETE of audit rows now lets through one UPDATE:
of an audit event's `changes` and nothing else, for the child whose destruction the same transaction
has declared with `set_config('harbour.destroying_child', <child id>, true)`. Every other update or
delete of audit_auditevent, audit_accesslogentry and audit_disclosure is still refused. Tombstones
are append-only too. SQLite (the demo) has the ORM guards only.
"""

from django.db import migrations

APPEND_ONLY = """
CREATE OR REPLACE FUNCTION harbour_audit_is_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'permission denied: % rows are append-only', TG_TABLE_NAME
    USING ERRCODE = 'insufficient_privilege';
END
$$ LANGUAGE plpgsql;
"""

WITH_REDACTION = """
CREATE OR REPLACE FUNCTION harbour_audit_is_append_only() RETURNS trigger AS $$
BEGIN
  -- Nested, because PL/pgSQL may evaluate every part of a condition and only audit events have these fields.
  IF TG_OP = 'UPDATE' AND TG_TABLE_NAME = 'audit_auditevent' THEN
    IF OLD.child_id IS NOT NULL
       AND current_setting('harbour.destroying_child', true) = OLD.child_id::text
       AND NEW.id = OLD.id AND NEW.at = OLD.at AND NEW.actor_id IS NOT DISTINCT FROM OLD.actor_id
       AND NEW.action = OLD.action AND NEW.record_type = OLD.record_type AND NEW.record_id = OLD.record_id
       AND NEW.child_id = OLD.child_id AND NEW.request_id = OLD.request_id AND NEW.via = OLD.via
       AND NEW.changes ? 'destroyed' THEN
      RETURN NEW;
    END IF;
  END IF;
  RAISE EXCEPTION 'permission denied: % rows are append-only', TG_TABLE_NAME
    USING ERRCODE = 'insufficient_privilege';
END
$$ LANGUAGE plpgsql;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(WITH_REDACTION, params=None)
    schema_editor.execute(
        "CREATE TRIGGER retention_tombstone_append_only BEFORE UPDATE OR DELETE ON retention_tombstone "
        "FOR EACH ROW EXECUTE FUNCTION harbour_audit_is_append_only()"
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP TRIGGER IF EXISTS retention_tombstone_append_only ON retention_tombstone")
    schema_editor.execute(APPEND_ONLY, params=None)


class Migration(migrations.Migration):
    dependencies = [("retention", "0001_holds_proposals_and_tombstones"), ("audit", "0003_disclosure_and_link_access")]
    operations = [migrations.RunPython(forwards, backwards)]
