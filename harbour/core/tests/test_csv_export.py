"""CSV downloads neutralise spreadsheet formulas (security checklist 33) and still parse as RFC 4180."""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from harbour.core.csv_export import FORMULA_TRIGGERS, csv_response, csv_rows, neutralise
from harbour.domain.tests.support import property_test

CELLS = [
    ("=1+1", "'=1+1", "equals"),
    ("+44 1234 567890", "'+44 1234 567890", "plus-a-phone-number-too"),
    ("-2+3", "'-2+3", "minus"),
    ("@SUM(A1:A2)", "'@SUM(A1:A2)", "at"),
    ("\t=1", "'\t=1", "tab"),
    ("\r=1", "'\r=1", "carriage-return"),
    ("|calc", "'|calc", "pipe-dde"),
    ("%0A", "'%0A", "percent"),
    ("  =HYPERLINK(\"x\")", "'  =HYPERLINK(\"x\")", "after-leading-spaces"),
    ("\ufeff=1", "'\ufeff=1", "after-a-byte-order-mark"),
    ("\u200b@x", "'\u200b@x", "after-a-zero-width-space"),
    ("\x01-1", "'\x01-1", "after-a-control-character"),
    ("Harbourside intake base", "Harbourside intake base", "plain-text-unchanged"),
    ("Children's home", "Children's home", "apostrophe-inside-unchanged"),
    ("a=b", "a=b", "trigger-not-first-unchanged"),
    ("", "", "empty"),
    ("   ", "   ", "only-spaces"),
    (None, "", "none-is-empty"),
    (True, "Yes", "true"),
    (False, "No", "false"),
    (-3, -3, "negative-int-stays-a-number"),
    (Decimal("-12.50"), Decimal("-12.50"), "negative-decimal-stays-a-number"),
    (2.5, 2.5, "float"),
]


@pytest.mark.parametrize(("value", "expected"), [c[:2] for c in CELLS], ids=[c[2] for c in CELLS])
def test_neutralise(value: object, expected: object) -> None:
    assert neutralise(value) == expected


def _parse(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


_lead = st.text(alphabet=" \ufeff\u200b\x00\x01\x1f", max_size=3)


@property_test
@given(lead=_lead, trigger=st.sampled_from(sorted(FORMULA_TRIGGERS)), rest=st.text(max_size=20))
def test_every_cell_that_could_be_a_formula_starts_with_an_apostrophe(lead: str, trigger: str, rest: str) -> None:
    cell = lead + trigger + rest
    text = csv_rows(["Header"], [[cell, "plain"]])
    parsed = _parse(text)
    assert len(parsed) == 2 and parsed[0] == ["Header"]
    assert parsed[1][0] == "'" + cell
    assert parsed[1][1] == "plain"


@property_test
@given(st.lists(st.lists(st.text(max_size=12), min_size=2, max_size=2), max_size=5))
def test_the_file_still_parses_and_round_trips_safe_cells(rows: list[list[str]]) -> None:
    parsed = _parse(csv_rows(["A", "B"], rows))
    assert len(parsed) == len(rows) + 1
    for got, given_row in zip(parsed[1:], rows, strict=True):
        for cell, original in zip(got, given_row, strict=True):
            assert cell in (original, "'" + original)
            assert not cell or cell[0] not in FORMULA_TRIGGERS or cell.startswith("'")


def test_headers_are_neutralised_too() -> None:
    assert _parse(csv_rows(["=cmd", "Safe"], []))[0] == ["'=cmd", "Safe"]


def test_the_response_is_a_utf8_attachment_with_a_safe_name() -> None:
    response = csv_response(filename='gaps "2026"/../x', headers=["Age band", "Cost"],
                            rows=[["16 and 17", Decimal("950.00")], ["=evil()", -1]])
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="gaps-2026-..-x.csv"'
    assert response["X-Content-Type-Options"] == "nosniff"
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    assert _parse(body.removeprefix("\ufeff")) == [["Age band", "Cost"], ["16 and 17", "950.00"], ["'=evil()", "-1"]]
    assert "\r\n" in body


# Every CSV or spreadsheet Harbour produces goes through csv_export (checklist 33 says *every*
# export): a module that writes one by itself fails here. A file whose format is fixed by someone
# else (a statutory return read by a program, not a person) may be added with its reason.
_SPREADSHEET_WRITERS = re.compile(r"^\s*(import csv\b|from csv import)|text/csv|openpyxl|xlsxwriter|spreadsheetml"
                                  r"|\.xlsx\b")
OWN_SPREADSHEET_WRITERS: dict[str, str] = {
    "harbour/core/csv_export.py": "the one writer: neutralises every cell",
}


def test_every_csv_or_spreadsheet_is_written_by_the_neutralising_writer() -> None:
    repo = Path(__file__).resolve().parents[3]
    files = [p for p in repo.joinpath("harbour").rglob("*.py") if "tests" not in p.parts]
    assert len(files) > 50
    writers = {p.relative_to(repo).as_posix() for p in files
               if any(_SPREADSHEET_WRITERS.search(line) for line in p.read_text(encoding="utf-8").splitlines())}
    assert writers - set(OWN_SPREADSHEET_WRITERS) == set(), (
        "write CSV downloads with harbour.core.csv_export.csv_response, which neutralises formulas")
    assert set(OWN_SPREADSHEET_WRITERS) <= writers, "remove entries that no longer write spreadsheets"
