"""Point-in-time recovery (security checklist 25): a base backup plus the WAL archive restores a
scratch PostgreSQL cluster to a moment between two sets of writes, inside the RTO.

Runs in the PostgreSQL pass (DATABASE_URL set, as in CI) where the server programs are installed;
it uses its own throwaway cluster, never Harbour's database."""

from __future__ import annotations

from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from harbour.core import pitr

pytestmark = pytest.mark.postgres


@pytest.fixture(autouse=True)
def _postgres_with_server_programs() -> None:
    if "postgresql" not in settings.DATABASES["default"]["ENGINE"]:
        pytest.skip("The point-in-time drill runs in the PostgreSQL pass (set DATABASE_URL)")
    if pitr.server_programs() is None:
        pytest.skip("PostgreSQL's server programs (initdb, pg_ctl, pg_basebackup) are not installed")


def test_a_restore_to_a_point_in_time_keeps_the_rows_before_it_and_none_after():
    result = pitr.drill(rows=200)
    assert result.rows_restored == 200
    assert result.later_rows_restored == 0
    assert 0 < result.restore_seconds < pitr.RTO.total_seconds()


def test_the_drill_command_reports_the_time_against_the_rto():
    out = StringIO()
    call_command("pitr_drill", "--rows", "20", stdout=out)
    text = out.getvalue()
    assert "all 20 rows written before it, none of the 20 written after" in text and "met" in text


def test_the_drill_command_refuses_a_bad_row_count():
    with pytest.raises(CommandError, match="--rows 0"):
        call_command("pitr_drill", "--rows", "0")
