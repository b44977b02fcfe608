"""CSV downloads that are safe to open in a spreadsheet.

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read by Excel,
LibreOffice and Google Sheets as a formula (CSV or "formula" injection: OWASP ASVS 5.0 V1.2.10;
security.md section 4 and checklist item 33). Quoting the cell, as RFC 4180 does, does not stop
it. So such a cell gets a leading apostrophe, which spreadsheets show as text and hide.

``|`` and ``%`` are treated the same (Primero's list: DDE and some locales), and the trigger is
looked for after any leading spaces, byte-order marks and control characters, which spreadsheets
skip before deciding that a cell is a formula. Numbers (int, float, Decimal) are written as they
are: a negative number is a number, not a formula, and analysts need it to stay one.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.http import HttpResponse

FORMULA_TRIGGERS = frozenset("=+-@|%\t\r")
# What a spreadsheet skips before looking at the first character: whitespace, the BOM, zero-width
# characters and other control characters (but not tab and CR, which are triggers themselves).
_SKIPPED = re.compile(r"^[ \u00a0\ufeff\u200b-\u200f\u2060\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*")
_SAFE_FILENAME = re.compile(r"[^A-Za-z0-9._-]+")


def neutralise(value: Any) -> str | int | float | Decimal:
    """A cell value that no spreadsheet will run as a formula."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, int | float | Decimal):
        return value
    text = str(value)
    skipped = _SKIPPED.match(text)
    rest = text[skipped.end():] if skipped else text
    if rest and rest[0] in FORMULA_TRIGGERS:
        return "'" + text
    return text


def csv_rows(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """The whole file as text (RFC 4180: CRLF line ends, quotes where needed), every cell neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([neutralise(h) for h in headers])
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
    return buffer.getvalue()


def csv_response(*, filename: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> HttpResponse:
    """A download: ``text/csv`` in UTF-8 with a byte-order mark, so Excel reads accents and scripts."""
    name = _SAFE_FILENAME.sub("-", filename).strip("-.") or "export"
    if not name.endswith(".csv"):
        name += ".csv"
    response = HttpResponse(("\ufeff" + csv_rows(headers, rows)).encode("utf-8"),
                            content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response


def read_csv(path: Path) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """A CSV file's column names (stripped, upper case) and its rows, each with its line number
    (the header is line 1) and its cells stripped. A byte-order mark is ignored."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        header = [name.strip().upper() for name in next(reader, [])]
        rows = []
        for line, cells in enumerate(reader, start=2):
            rows.append((line, {name: (cells[i].strip() if i < len(cells) else "")
                                for i, name in enumerate(header) if name}))
    return header, rows
