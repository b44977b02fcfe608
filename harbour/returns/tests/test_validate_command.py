"""harbour validate-903: bad input is refused in words with exit status 2, before the validator runs."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings


def _return(directory: Path, header: str = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB") -> Path:
    directory.mkdir(exist_ok=True)
    (directory / "header.csv").write_text(f"{header}\nA1,M,01/05/2009,AOTH,UN2,,\n")
    return directory


BAD_INPUT = [
    ("missing", "2026", "Directory .*missing does not exist", "directory-missing"),
    ("empty", "2026", "holds no CSV files", "no-csv-files"),
    ("odd-columns", "2026", r"odd-columns/header.csv, row 1: the columns match no SSDA903 file", "unknown-columns"),
    ("good", "2016", "--year 2016: Year must be between 2017", "year-before-2017"),
    ("good", "2020", "--year 2020: The validator has rules for the years 2023 to 2027 only", "year-without-rules"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "year", "message"), [row[:3] for row in BAD_INPUT], ids=[row[3] for row in BAD_INPUT])
def test_bad_input_is_named_and_exits_2(tmp_path: Path, name: str, year: str, message: str) -> None:
    (tmp_path / "empty").mkdir()
    _return(tmp_path / "good")
    _return(tmp_path / "odd-columns", header="CHILD,NAME")
    with pytest.raises(CommandError, match=message) as raised:
        call_command("validate_903", str(tmp_path / name), "--year", year)
    assert raised.value.returncode == 2


@pytest.mark.django_db
def test_a_missing_validator_says_how_to_install_it(tmp_path: Path) -> None:
    with override_settings(HARBOUR_903_VALIDATOR_PYTHON=str(tmp_path / "no-such-python")):
        with pytest.raises(CommandError, match="run 'make validator'") as raised:
            call_command("validate_903", str(_return(tmp_path / "good")), "--year", "2026")
    assert raised.value.returncode == 2
