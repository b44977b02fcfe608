"""The SSDA903 export: rows derived from the casework, the year's boundaries, the access log, the
command's bad input, a fixed number of queries, and the DfE rules run on what it writes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from harbour.accounts.models import Allocation, Role
from harbour.audit.models import AccessLogEntry, AuditEvent
from harbour.children import services as child_services
from harbour.children.models import Child
from harbour.domain.ssda903 import CollectionYear
from harbour.placements.models import Placement
from harbour.returns.export import build_return, child_code
from harbour.returns.models import PreviousPermanence
from harbour.reviews.models import Review

TODAY = dt.date(2026, 11, 20)
YEAR = CollectionYear(2026)  # 1 April 2025 to 31 March 2026
# Real postcodes in Leeds (ONS code E08000035), so that the validator can place them.
LEEDS = "E08000035"


@pytest.fixture
def worker(make_user: Any, make_team: Any) -> Any:
    return make_user(Role.SOCIAL_WORKER, team=make_team())


def _looked_after(child: Any, worker: Any, start: dt.date, end: dt.date | None = None, reason: str = "") -> None:
    child_services.period_looked_after_add(actor=worker, child=child, start=start, end=end, today=TODAY)
    if end:
        child.periods_looked_after.filter(start=start).update(reason_ceased=reason)
    child_services.legal_status_add(actor=worker, child=child, legal_status="V2", start=start, end=end, today=TODAY)


def _placed(child: Any, start: dt.date, end: dt.date | None, **coding: Any) -> Placement:
    coding.setdefault("place_provider", "PR1")
    coding.setdefault("home_postcode", "ls1 4ab")
    return Placement.objects.create(child=child, start=start, end=end, carer_or_provider=coding.pop("carer"), **coding)


@pytest.fixture
def amir(make_child: Any, worker: Any) -> Any:
    """An unaccompanied boy of 16, looked after from 10 June 2025: two placements and a review in the year."""
    child = make_child(social_worker=worker, date_of_birth=dt.date(2009, 5, 1), given_names="Amir",
                       sex="M", ethnicity="AOTH", upn_unknown_reason="UN2", is_uasc=True)
    _looked_after(child, worker, dt.date(2025, 6, 10))
    _placed(child, dt.date(2025, 6, 10), dt.date(2025, 9, 1), carer="Rahimi", placement_type="U6",
            urn="SC123456", postcode="LS2 7EW", reason_for_change="CARPL")
    _placed(child, dt.date(2025, 9, 1), None, carer="Oak House", placement_type="K2", place_provider="PR4",
            urn="SC654321", postcode="LS1 4AD")
    Review.objects.create(child=child, held_on=dt.date(2025, 7, 4), participation="PN1")
    Review.objects.create(child=child, held_on=dt.date(2026, 4, 2), participation="PN1")  # next year
    _came_into_care(child, dt.date(2025, 6, 10))
    return child


def _came_into_care(child: Any, start: dt.date) -> None:
    """What the return asks of a child who comes into care: their social worker from that day (make_child
    allocates from "today") and whether they had a permanence order before (none)."""
    Allocation.objects.filter(child=child, kind=Allocation.Kind.SOCIAL_WORKER).update(start=start)
    PreviousPermanence.objects.create(child=child, order=PreviousPermanence.Order.NONE)


def test_the_return_is_derived_from_the_record(amir: Any) -> None:
    built = build_return(YEAR, Child.unscoped.all())
    code = child_code(amir.id)
    assert built.tables["Header"] == [
        {"CHILD": code, "SEX": "M", "DOB": "01/05/2009", "ETHNIC": "AOTH", "UPN": "UN2", "MOTHER": "", "MC_DOB": ""}
    ]
    assert built.tables["Episodes"] == [
        {"CHILD": code, "DECOM": "10/06/2025", "RNE": "S", "LS": "V2", "CIN": "N8", "PLACE": "U6",
         "PLACE_PROVIDER": "PR1", "DEC": "01/09/2025", "REC": "X1", "REASON_PLACE_CHANGE": "CARPL",
         "HOME_POST": "", "PL_POST": "LS2 7EW", "URN": "SC123456"},
        {"CHILD": code, "DECOM": "01/09/2025", "RNE": "P", "LS": "V2", "CIN": "N8", "PLACE": "K2",
         "PLACE_PROVIDER": "PR4", "DEC": "", "REC": "", "REASON_PLACE_CHANGE": "",
         "HOME_POST": "", "PL_POST": "LS1 4AD", "URN": "SC654321"},
    ]
    assert built.tables["Reviews"] == [{"CHILD": code, "DOB": "01/05/2009", "REVIEW": "04/07/2025",
                                        "REVIEW_CODE": "PN1"}]
    assert built.tables["PrevPerm"] == [{"CHILD": code, "DOB": "01/05/2009", "PREV_PERM": "Z1", "LA_PERM": "",
                                         "DATE_PERM": ""}]


def test_an_episode_ending_after_31_march_is_returned_open(make_child: Any, worker: Any) -> None:
    child = make_child(social_worker=worker, date_of_birth=dt.date(2010, 1, 2))
    _looked_after(child, worker, dt.date(2026, 1, 5), dt.date(2026, 4, 20), reason="E4A")
    _placed(child, dt.date(2026, 1, 5), dt.date(2026, 4, 20), carer="Smith", placement_type="U6", urn="SC123456",
            postcode="LS2 7EW")
    [episode] = build_return(YEAR, Child.unscoped.all()).tables["Episodes"]
    assert (episode["DECOM"], episode["DEC"], episode["REC"]) == ("05/01/2026", "", "")


BOUNDARIES = [
    (dt.date(2024, 1, 1), dt.date(2025, 3, 31), False, "left-care-the-day-before-the-year"),
    (dt.date(2024, 1, 1), dt.date(2025, 4, 1), True, "left-care-on-the-first-day"),
    (dt.date(2026, 3, 31), None, True, "came-into-care-on-the-last-day"),
    (dt.date(2026, 4, 1), None, False, "came-into-care-the-day-after"),
]


@pytest.mark.parametrize(("start", "end", "included"), [row[:3] for row in BOUNDARIES], ids=[row[3] for row in BOUNDARIES])
def test_who_is_in_the_year(make_child: Any, worker: Any, start: dt.date, end: dt.date | None, included: bool) -> None:
    child = make_child(social_worker=worker, date_of_birth=dt.date(2010, 1, 2))
    _looked_after(child, worker, start, end, reason="E4A" if end else "")
    assert (child.id in build_return(YEAR, Child.unscoped.all()).child_ids) is included


def test_the_export_reads_in_a_fixed_number_of_queries(make_child: Any, worker: Any) -> None:
    def queries_for(count: int) -> int:
        for _ in range(count):
            child = make_child(social_worker=worker, date_of_birth=dt.date(2010, 1, 2))
            _looked_after(child, worker, dt.date(2025, 5, 1))
            _placed(child, dt.date(2025, 5, 1), None, carer="Smith", placement_type="U6", urn="SC123456",
                    postcode="LS2 7EW")
            Review.objects.create(child=child, held_on=dt.date(2025, 5, 20), participation="PN1")
        with CaptureQueriesContext(connection) as captured:
            build_return(YEAR, Child.unscoped.all())
        return len(captured)

    assert queries_for(1) == queries_for(20)


def test_the_command_writes_the_files_and_logs_each_child_read(amir: Any, tmp_path: Path) -> None:
    call_command("export_903", "--year", "2026", "--out", str(tmp_path / "2026"))
    files = sorted(p.name for p in (tmp_path / "2026").iterdir())
    assert files == ["ad1.csv", "episodes.csv", "header.csv", "missing.csv", "oc2.csv", "oc3.csv",
                     "placedadoption.csv", "prevperm.csv", "reviews.csv", "swepisodes.csv", "uasc.csv"]
    assert (tmp_path / "2026" / "header.csv").read_text().splitlines()[0] == "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB"
    logged = AccessLogEntry.objects.filter(route="export-903")
    assert [(row.child_id, row.purpose) for row in logged] == [(amir.id, "SSDA903 return 2025-26")]
    assert AuditEvent.objects.filter(record_type="ssda903_export", record_id="2026").count() == 1


BAD_EXPORTS = [
    (["--year", "2016"], "--year 2016: Year must be between 2017 and", "year-before-2017"),
    (["--year", "2031"], "--year 2031: Year must be between 2017 and", "year-not-begun"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("args", "message"), [row[:2] for row in BAD_EXPORTS], ids=[row[2] for row in BAD_EXPORTS])
def test_the_export_command_refuses_bad_input(args: list[str], message: str, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match=message) as raised:
        call_command("export_903", *args, "--out", str(tmp_path))
    assert raised.value.returncode == 2


@pytest.mark.django_db
def test_the_export_command_refuses_a_file_for_the_directory(tmp_path: Path) -> None:
    target = tmp_path / "taken"
    target.write_text("")
    with pytest.raises(CommandError, match="a file of that name exists") as raised:
        call_command("export_903", "--year", "2026", "--out", str(target))
    assert raised.value.returncode == 2


def test_the_dfe_rules_pass_the_export_and_catch_pn0_for_a_16_year_old(amir: Any, tmp_path: Path,
                                                                       capsys: Any) -> None:
    call_command("export_903", "--year", "2026", "--out", str(tmp_path))
    call_command("validate_903", str(tmp_path), "--year", "2026", "--la", LEEDS)
    assert "2025-26: 0 errors" in capsys.readouterr().out

    Review.objects.filter(child=amir).update(participation="PN0")
    call_command("export_903", "--year", "2026", "--out", str(tmp_path))
    with pytest.raises(CommandError, match="has 1 errors") as raised:
        call_command("validate_903", str(tmp_path), "--year", "2026", "--la", LEEDS)
    assert raised.value.returncode == 1
    out = capsys.readouterr().out
    assert "440: Participation method indicates child was under 4" in out
    assert f"(reviews.csv, row 2, child {child_code(amir.id)})" in out


def test_a_formerly_unaccompanied_care_leaver_is_in_uasc_only_if_looked_after_in_the_year(
        make_child: Any, worker: Any) -> None:
    # Rule 1014 refuses a UASC row only for a care leaver with no episode in the year; without one
    # for a care leaver who was looked after in it, rules 392a and 392b take them for a child with
    # a home postcode (the validator's own note on those rules).
    left_in_year, left_before = (
        make_child(social_worker=worker, date_of_birth=born, sex="M", ethnicity="AOTH", upn_unknown_reason="UN2",
                   is_uasc=True) for born in (dt.date(2008, 6, 1), dt.date(2007, 6, 1)))
    _looked_after(left_in_year, worker, dt.date(2024, 1, 10), dt.date(2025, 5, 1), reason="E5")  # at 16
    _placed(left_in_year, dt.date(2024, 1, 10), dt.date(2025, 5, 1), carer="Oak House", placement_type="K2",
            place_provider="PR4", urn="SC654321", postcode="LS1 4AD", home_postcode="")
    _looked_after(left_before, worker, dt.date(2023, 1, 10), dt.date(2025, 2, 1), reason="E5")  # at 17
    _placed(left_before, dt.date(2023, 1, 10), dt.date(2025, 2, 1), carer="Oak House", placement_type="K2",
            place_provider="PR4", urn="SC654321", postcode="LS1 4AD", home_postcode="")
    built = build_return(YEAR, Child.unscoped.all())
    in_table = {table: {row["CHILD"] for row in built.tables[table]} for table in ("OC3", "UASC", "Episodes")}
    code, other = built.child_codes[left_in_year.pk], built.child_codes[left_before.pk]
    assert code in in_table["OC3"] and code in in_table["Episodes"] and code in in_table["UASC"]
    assert other in in_table["OC3"] and other not in in_table["Episodes"] and other not in in_table["UASC"]
