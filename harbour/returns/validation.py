"""Validating an SSDA903 return with csc-validator-be-903, run in its own environment.

The validator pins old pandas and numpy, so Harbour never imports it: `validator_bridge.py` runs in
`.validator-venv` (made by `make validator`) and prints JSON, read here. Results the validator is
known to get wrong (harbour.domain.ssda903.known_false_positive) are kept apart from real errors,
and rules that crashed are listed as crashed, never counted as passes
(shared/domain/ssda903-validator-notes.md).
"""

from __future__ import annotations

import json
import subprocess  # noqa: S404 - the validator runs as a subprocess by design (ADR 0011)
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

from harbour.core.csv_export import read_csv
from harbour.domain.ssda903 import (
    HARBOUR_RULES,
    REVIEW_OUTSIDE_CARE,
    VALIDATOR_YEARS,
    ChildInReturn,
    CollectionYear,
    known_false_positive,
    parse_date_903,
    reviews_outside_care,
)

BRIDGE = Path(__file__).with_name("validator_bridge.py")
# 1,000 children take about 7 s; 50,000 about 46 s (validator notes). Ten minutes is a hung process.
TIMEOUT_SECONDS = 600


class ValidatorUnavailable(RuntimeError):
    """The validator's environment is missing or the validator failed to run."""


@dataclass(frozen=True)
class Finding:
    rule: str
    message: str
    fields: tuple[str, ...]
    table: str
    file: str
    row: int  # line in the CSV file, the header being line 1
    child: str
    false_positive_reason: str = ""

    def describe(self) -> str:
        where = f"{self.file or self.table}, row {self.row}"
        child = f", child {self.child}" if self.child else ""
        fields = f" [{', '.join(self.fields)}]" if self.fields else ""
        return f"{self.rule}: {self.message} ({where}{child}){fields}"


@dataclass
class ValidationResult:
    year: CollectionYear
    errors: list[Finding] = field(default_factory=list)
    false_positives: list[Finding] = field(default_factory=list)
    crashed: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    ran: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.errors


def _read_rows(directory: Path, names: dict[str, str] | None = None) -> dict[str, list[dict[str, str]]]:
    """Every CSV's rows by table name, the table known by its columns as the validator knows it;
    ``names``, when given, is filled with each table's file name."""
    from harbour.domain.ssda903 import COLUMNS

    tables: dict[str, list[dict[str, str]]] = {}
    for path in sorted(directory.glob("*.csv")):
        header, rows = read_csv(path)
        table = next((name for name, wanted in COLUMNS.items() if set(wanted) == set(header)), None)
        if table:
            tables[table] = [row for _line, row in rows]
            if names is not None:
                names[table] = path.name
    return tables


def harbour_checks(tables: dict[str, list[dict[str, str]]], names: dict[str, str]) -> list[Finding]:
    """Harbour's own checks (harbour.domain.ssda903.HARBOUR_RULES) on the files as written: what the
    DfE's guide asks and the validator does not check."""
    episodes: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in tables.get("Episodes", []):
        episodes[row.get("CHILD", "")].append(row)
    reviews: dict[str, list[tuple[int, dict[str, str]]]] = defaultdict(list)
    for line, row in enumerate(tables.get("Reviews", []), start=2):  # the header is line 1
        reviews[row.get("CHILD", "")].append((line, row))
    found = []
    for child, rows in reviews.items():
        for position in reviews_outside_care([row for _line, row in rows], episodes.get(child, [])):
            found.append(Finding(REVIEW_OUTSIDE_CARE, HARBOUR_RULES[REVIEW_OUTSIDE_CARE], ("REVIEW",), "Reviews",
                                 names.get("Reviews", ""), rows[position][0], child))
    return found


def _children(tables: dict[str, list[dict[str, str]]], previous_loaded: bool) -> dict[str, ChildInReturn]:
    episodes: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in tables.get("Episodes", []):
        episodes[row.get("CHILD", "")].append(row)
    leavers = {row.get("CHILD", "") for row in tables.get("OC3", [])}
    children: dict[str, ChildInReturn] = {}
    for row in tables.get("Header", []):
        child = row.get("CHILD", "")
        try:
            born = parse_date_903(row.get("DOB", ""))
        except ValueError:
            born = None
        children[child] = ChildInReturn(born, episodes.get(child, []), child in leavers, previous_loaded)
    return children


def validate_return(
    directory: Path, *, year: CollectionYear, la_code: str, previous: Path | None = None
) -> ValidationResult:
    """Run the DfE rules for ``year`` on the CSV files in ``directory``."""
    if year.ending not in VALIDATOR_YEARS:
        raise ValueError(
            f"The validator has rules for the years {VALIDATOR_YEARS.start} to {VALIDATOR_YEARS.stop - 1} only"
        )
    python = Path(settings.HARBOUR_903_VALIDATOR_PYTHON)
    if not python.exists():
        raise ValidatorUnavailable(f"The SSDA903 validator is not installed at {python}: run 'make validator'")
    # -I: the bridge's own folder must not come first on the path, where this app's selectors.py
    # would hide the standard library's selectors module.
    command = [str(python), "-I", str(BRIDGE), str(directory), "--year", str(year.ending), "--la", la_code]
    if previous:
        command += ["--previous", str(previous)]
    try:
        done = subprocess.run(  # noqa: S603 - fixed program and arguments, no shell
            command, capture_output=True, text=True, timeout=TIMEOUT_SECONDS, check=False
        )
    except subprocess.TimeoutExpired as error:
        raise ValidatorUnavailable(f"The validator did not finish within {TIMEOUT_SECONDS} seconds") from error
    if done.returncode != 0:
        last_line = (done.stderr.strip().splitlines() or ["no message"])[-1]
        raise ValidatorUnavailable(f"The validator failed: {last_line}")
    report = json.loads(done.stdout)
    names: dict[str, str] = {}
    tables = _read_rows(directory, names)
    children = _children(tables, previous is not None)
    result = ValidationResult(year, crashed=report["crashed"], skipped=report["skipped"], ran=report["ran"])
    for item in report["errors"]:
        finding = Finding(item["rule"], item["message"], tuple(item["fields"]), item["table"], item["file"],
                          item["row"], item["child"])
        child = children.get(finding.child)
        rows = tables.get(finding.table, [])
        # The bridge counts rows as file lines: the header is line 1.
        flagged = rows[finding.row - 2] if 2 <= finding.row < len(rows) + 2 else None
        known = known_false_positive(finding.rule, year, child, flagged) if child else None
        if known:
            result.false_positives.append(
                Finding(**{**finding.__dict__, "false_positive_reason": known.reason})
            )
        else:
            result.errors.append(finding)
    result.errors += harbour_checks(tables, names)
    result.ran += sorted(HARBOUR_RULES)
    result.errors.sort(key=lambda f: (f.file, f.row, f.rule))
    return result
