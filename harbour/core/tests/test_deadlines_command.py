"""harbour deadlines: JSON in, JSON out; wrong input exits 2 naming the event and field."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

CASE = {
    "today": "2026-12-30",
    "child": {"date_of_birth": "2011-02-28"},
    "events": [
        {"type": "nts_referral", "date": "2026-12-18"},
        {"type": "arrival", "date": "2026-12-23"},
        {"type": "looked_after", "start": "2026-12-23", "end": None},
    ],
}


def run(case: object, *args: str) -> dict:
    out = io.StringIO()
    import sys

    saved = sys.stdin
    sys.stdin = io.StringIO(json.dumps(case))
    try:
        call_command("deadlines", *args, stdout=out)
    finally:
        sys.stdin = saved
    return json.loads(out.getvalue())


def test_transfer_clock_skips_christmas_bank_holidays():
    # Referral Friday 18 December 2026: working days 21, 22, 23, 24, then 25 Dec (Fri) and
    # 28 Dec (Boxing Day substitute) are bank holidays, so the 5th working day is 29 December.
    deadlines = run(CASE)["deadlines"]
    transfer = next(d for d in deadlines if d["duty"] == "nts_transfer")
    assert transfer["due"] == "2026-12-29"
    assert transfer["status"] == "met" and transfer["met_on"] == "2026-12-23"


def test_council_setting_for_the_transfer_deadline():
    transfer = next(d for d in run(CASE, "--nts-working-days", "10")["deadlines"] if d["duty"] == "nts_transfer")
    assert transfer["due"] == "2027-01-06"


def test_reads_a_file(tmp_path):
    path = tmp_path / "case.json"
    path.write_text(json.dumps(CASE))
    out = io.StringIO()
    call_command("deadlines", str(path), stdout=out)
    assert json.loads(out.getvalue())["deadlines"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("not json", "not valid JSON"),
        ("[]", "JSON object"),
        (json.dumps({"child": {}, "events": []}), '"today"'),
        (json.dumps({**CASE, "events": [{"type": "revew", "date": "2026-12-01"}]}), "revew"),
        (json.dumps({**CASE, "events": [{"type": "looked_after", "start": "2026-12-10", "end": "2026-12-01"}]}), "events[0] (looked_after)"),
    ],
    ids=["not JSON", "not an object", "no today", "unknown event type", "period ends before it starts"],
)
def test_bad_input_is_a_clear_error_with_exit_status_2(text, message, tmp_path):
    path = tmp_path / "case.json"
    path.write_text(text)
    with pytest.raises(CommandError) as error:
        call_command("deadlines", str(path))
    assert error.value.returncode == 2
    assert message in str(error.value)


def test_the_console_script_exits_2_on_stderr(tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    harbour = Path(sys.executable).with_name("harbour")
    result = subprocess.run([str(harbour), "deadlines", "-"], input='{"today": "2026-02-30", "events": []}',
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert '"today"' in result.stderr and result.stdout == ""
