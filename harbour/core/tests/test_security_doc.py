"""docs/security.md names a test for each checklist item (issue 10, "Done when"): every item of the
design note's section 7 has a row, and every test a row names exists, so the table cannot drift
from the suite when a test is renamed or removed."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
DOC = REPO / "docs" / "security.md"
ITEMS = 35
_ROW = re.compile(r"^\| (\d+) \| [^|]+ \| (.+) \|$")
# `path/to/test_file.py::test_name`, or `::test_name` for another test in the file named last.
_NAMED = re.compile(r"`((?:[\w/.]+\.py)?)::(test_\w+)`")


def rows() -> dict[int, str]:
    found: dict[int, str] = {}
    for line in DOC.read_text(encoding="utf-8").splitlines():
        match = _ROW.match(line)
        if match:
            found[int(match.group(1))] = match.group(2)
    return found


def test_every_checklist_item_has_one_row():
    assert sorted(rows()) == list(range(1, ITEMS + 1))


def test_every_row_names_a_test_or_says_what_is_missing():
    for item, text in rows().items():
        assert _NAMED.search(text) or "**Not yet**" in text, f"item {item} names no test and says nothing missing"
        if "**Partly**" in text or "**Not yet**" in text:
            assert "Missing" in text, f"item {item}: say what is missing"


def test_every_test_named_exists():
    missing: list[str] = []
    for item, text in rows().items():
        current = ""
        for path, name in _NAMED.findall(text):
            current = path or current
            assert current, f"item {item}: ::{name} follows no file"
            source = REPO / current
            if not source.is_file() or not re.search(rf"^def {name}\(", source.read_text(encoding="utf-8"), re.M):
                missing.append(f"item {item}: {current}::{name}")
    assert missing == []
