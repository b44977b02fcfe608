"""Runs csc-validator-be-903 on a directory of SSDA903 CSV files and prints the results as JSON.

This file runs in the validator's own virtual environment (`make validator`), never in Harbour's:
the validator pins old pandas and numpy, so Harbour calls it as a subprocess
(`harbour.returns.validation`) and reads what this prints. It imports nothing from Harbour.

    python validator_bridge.py --year 2026 --la E09000033 DIR [--previous DIR]

Output: {"errors": [{"rule", "message", "fields", "table", "row", "child"}, ...],
"crashed": [rule, ...], "skipped": [rule, ...], "ran": [rule, ...]}. `row` is the line number in
the CSV file, the header being line 1.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import logging
import sys
from pathlib import Path


def _uploads(directory: Path, description: str) -> list[dict[str, object]]:
    return [
        {"name": path.name, "file_content": path.read_bytes(), "description": description}
        for path in sorted(directory.glob("*.csv"))
    ]


def _file_names(directory: Path) -> dict[str, str]:
    """Which CSV file holds which table: the validator knows tables by their columns."""
    from lac_validator.config import column_names

    names: dict[str, str] = {}
    for path in sorted(directory.glob("*.csv")):
        with path.open(encoding="utf-8-sig") as handle:
            header = {column.strip().upper() for column in handle.readline().strip().split(",")}
        for table, columns in column_names.items():
            if header == set(columns):
                names[table] = path.name
    return names


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("directory", type=Path)
    parser.add_argument("--year", required=True)
    parser.add_argument("--la", required=True)
    parser.add_argument("--previous", type=Path)
    args = parser.parse_args()

    logging.disable(logging.CRITICAL)
    from lac_validator.lac_validator import LacValidator
    from lac_validator.rules.ruleset_utils import get_year_ruleset

    files = _uploads(args.directory, "This year")
    if args.previous:
        files += _uploads(args.previous, "Prev year")
    registry = get_year_ruleset(args.year)
    # The validator logs and prints freely; only this script's JSON goes to standard output.
    with contextlib.redirect_stdout(io.StringIO()):
        validator = LacValidator(
            metadata={"collectionYear": args.year, "localAuthority": args.la}, files=files, registry=registry
        )
    file_names = _file_names(args.directory)
    errors = []
    for table, frame in validator.ds_results.items():
        if table == "metadata" or table.endswith("_last") or not hasattr(frame, "columns"):
            continue
        for column in [c for c in frame.columns if str(c).startswith("ERR_")]:
            code = column[4:]
            rule = registry.get(code) or next((r for r in registry.values() if str(r.code) == code), None)
            flagged = frame[frame[column] == True]  # noqa: E712 - pandas comparison
            for index, row in flagged.iterrows():
                errors.append(
                    {
                        "rule": code,
                        "message": getattr(rule, "message", ""),
                        "fields": sorted(getattr(rule, "affected_fields", []) or []),
                        "table": table,
                        "file": file_names.get(table, ""),
                        "row": int(index) + 2,
                        "child": "" if row.get("CHILD") is None else str(row.get("CHILD")),
                    }
                )
    json.dump(
        {
            "errors": errors,
            "crashed": sorted(str(code) for code in validator.fails),
            "skipped": sorted(str(code) for code in validator.skips),
            "ran": sorted(str(code) for code in validator.dones),
        },
        sys.stdout,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
