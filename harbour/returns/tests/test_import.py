"""import-903: past returns load into children, periods, legal statuses, placements and reviews; the
same years export again unchanged; loading twice changes nothing; bad rows are named and a year
with one is not loaded at all."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from harbour.accounts.models import User
from harbour.children.models import Child, LegalStatusPeriod, PeriodLookedAfter
from harbour.leaving_care.models import AdviserContact
from harbour.placements.models import Placement
from harbour.returns.models import ImportedRow, PreviousPermanence
from harbour.reviews.models import Review
from harbour.uasc.models import MissingEpisode

HEADER = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB"
EPISODES = "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN"
REVIEWS = "CHILD,DOB,REVIEW,REVIEW_CODE"
UASC = "CHILD,SEX,DOB,DUC"
OC3 = "CHILD,DOB,IN_TOUCH,ACTIV,ACCOM"
MISSING = "CHILD,DOB,MISSING,MIS_START,MIS_END"
PREV_PERM = "CHILD,DOB,PREV_PERM,LA_PERM,DATE_PERM"

# 2018-19: child 101 in care since 2017 changes legal status (L) and placement (P); 102 comes and goes;
# 103 moves between two of the same carer's homes (T).
RETURN_2019 = {
    "header.csv": [HEADER,
                   "101,1,14/03/2002,WBRI,A123456789012,,",
                   "102,2,02/09/2010,BAFR,UN2,,",
                   "103,1,29/02/2008,AOTH,UN2,,"],
    "episodes.csv": [EPISODES,
                     "101,05/06/2017,S,V2,N4,U6,PR1,10/05/2018,X1,,LS1 4AB,LS2 7EW,SC123456",
                     "101,10/05/2018,L,C2,N4,U6,PR1,01/02/2019,X1,CARPL,LS1 4AB,LS2 7EW,SC123456",
                     "101,01/02/2019,P,C2,N4,K2,PR4,,,,LS1 4AB,LS1 4AD,SC654321",
                     "102,03/07/2018,S,V2,N8,U6,PR1,20/12/2018,E4A,,,LS2 7EW,SC123456",
                     "103,01/11/2018,S,V2,N8,U4,PR4,15/01/2019,X1,OTHER,,LS2 7EW,SC222222",
                     "103,15/01/2019,T,V2,N8,U4,PR4,,,,,LS1 4AD,SC222222"],
    "reviews.csv": [REVIEWS,
                    "101,14/03/2002,12/06/2018,PN1",
                    "102,02/09/2010,30/07/2018,PN5",
                    "103,29/02/2008,28/11/2018,PN1"],
    # 102 and 103 are unaccompanied (103's status ceases on 28 February 2026, rule 304's 18th birthday);
    # 101 is missing in August and away from 30 March into the next year.
    "uasc.csv": [UASC, "102,2,02/09/2010,02/09/2028", "103,1,29/02/2008,28/02/2026"],
    "missing.csv": [MISSING, "101,14/03/2002,M,03/08/2018,05/08/2018", "101,14/03/2002,A,30/03/2019,"],
    # 102 and 103 came into care in the year: 102 had been under a special guardianship order.
    "prevperm.csv": [PREV_PERM, "102,02/09/2010,P2,E08000035,14/05/2015", "103,29/02/2008,Z1,,"],
}
# 2019-20: 101 turns 18 on 14 March 2020 and stays with the carer (E17); 103's home closes and it moves (P, B).
RETURN_2020 = {
    "header.csv": [HEADER,
                   "101,1,14/03/2002,WBRI,A123456789012,,",
                   "103,1,29/02/2008,AOTH,UN2,,",
                   "104,2,10/10/2000,WBRI,A123456789013,,"],
    "episodes.csv": [EPISODES,
                     "101,01/02/2019,P,C2,N4,K2,PR4,14/03/2020,E17,,LS1 4AB,LS1 4AD,SC654321",
                     "103,15/01/2019,T,V2,N8,U4,PR4,20/08/2019,X1,CLOSE,,LS1 4AD,SC222222",
                     "103,20/08/2019,B,C2,N8,U6,PR1,,,,,LS2 7EW,SC123456"],
    "reviews.csv": [REVIEWS,
                    "103,29/02/2008,10/05/2019,PN1",
                    "103,29/02/2008,09/11/2019,PN6"],
    "uasc.csv": [UASC, "103,1,29/02/2008,28/02/2026"],
    "missing.csv": [MISSING, "101,14/03/2002,A,30/03/2019,02/04/2019"],
    # 104 left care before these returns; at 19 (10 October 2019) the adviser was in touch.
    "oc3.csv": [OC3, "104,10/10/2000,YES,F5,U1"],
}


def _write(directory: Path, files: dict[str, list[str]]) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    for name, lines in files.items():
        (directory / name).write_text("\n".join(lines) + "\n")
    return directory


def _rows(directory: Path, name: str) -> list[dict[str, str]]:
    with (directory / name).open(newline="") as handle:
        return sorted(csv.DictReader(handle), key=lambda row: tuple(row.values()))


def _expected(files: dict[str, list[str]], name: str) -> list[dict[str, str]]:
    if name not in files:  # a file the past return did not have: the export's is empty
        return []
    return sorted(csv.DictReader(io.StringIO("\n".join(files[name]))), key=lambda row: tuple(row.values()))


@pytest.mark.django_db
def test_past_returns_load_and_export_again_unchanged(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    call_command("import_903", str(_write(tmp_path / "in" / "2020", RETURN_2020)),
                 str(_write(tmp_path / "in" / "2019", RETURN_2019)))
    out = capsys.readouterr().out
    assert "2019 (" in out and "loaded Header 3, Episodes 6, Reviews 3, UASC 2, OC3 0, Missing 2, PrevPerm 2 rows" in out

    assert Child.unscoped.count() == 4
    assert PeriodLookedAfter.objects.count() == 3 and Review.objects.count() == 5
    assert set(Child.unscoped.filter(is_uasc=True).values_list("return_identity__code", flat=True)) == {"102", "103"}
    assert sorted(MissingEpisode.objects.values_list("kind", "started_on", "ended_on")) == [
        ("A", dt.date(2019, 3, 30), dt.date(2019, 4, 2)), ("M", dt.date(2018, 8, 3), dt.date(2018, 8, 5))]
    [contact] = AdviserContact.objects.all()
    assert (contact.contacted_on, contact.in_touch, contact.activity, contact.oc3_accom) == (
        dt.date(2019, 10, 10), "YES", "F5", "U1")
    assert not contact.adviser.is_active and not contact.adviser.has_usable_password()
    for year, files in ((2019, RETURN_2019), (2020, RETURN_2020)):
        out_dir = tmp_path / "out" / str(year)
        call_command("export_903", "--year", str(year), "--out", str(out_dir))
        for name in ("header.csv", "episodes.csv", "reviews.csv", "uasc.csv", "oc3.csv", "missing.csv", "prevperm.csv"):
            assert _rows(out_dir, name) == _expected(files, name), (year, name)


@pytest.mark.django_db
def test_importing_the_same_years_again_changes_nothing(tmp_path: Path) -> None:
    directories = [str(_write(tmp_path / "2019", RETURN_2019)), str(_write(tmp_path / "2020", RETURN_2020))]
    call_command("import_903", *directories)

    def counts() -> tuple[int, ...]:
        return (Child.unscoped.count(), PeriodLookedAfter.objects.count(), LegalStatusPeriod.objects.count(),
                Placement.objects.count(), Review.objects.count(), ImportedRow.objects.count(),
                MissingEpisode.objects.count(), AdviserContact.objects.count(), User.objects.count(),
                PreviousPermanence.objects.count())

    before = counts()
    call_command("import_903", *directories)
    call_command("import_903", directories[0])
    assert counts() == before


@pytest.mark.django_db
def test_the_rows_an_import_replaces_are_in_the_audit_trail_under_the_import_account(tmp_path: Path) -> None:
    from harbour.audit.models import AuditEvent

    directory = str(_write(tmp_path / "2019", RETURN_2019))
    call_command("import_903", directory)
    placements = set(Placement.objects.values_list("pk", flat=True))
    call_command("import_903", directory)  # the year again: its rows are replaced
    removed = AuditEvent.objects.filter(via="bulk", action="delete", record_type="placements.Placement")
    assert {uuid for uuid in removed.values_list("record_id", flat=True)} == {str(pk) for pk in placements}
    assert {event.actor.username for event in removed} == {"ssda903-import"}


BROKEN = [
    ("episodes.csv", 1, "101,31/02/2018,S,V2,N4,U6,PR1,,,,LS1 4AB,LS2 7EW,SC123456",
     "episodes.csv, row 2, column DECOM: '31/02/2018' is not a real date", "impossible-date"),
    ("episodes.csv", 1, "101,05/06/2017,S,V2,N4,U6,PR1,01/06/2017,E4A,,LS1 4AB,LS2 7EW,SC123456",
     "episodes.csv, row 2, column DEC: is before DECOM", "ends-before-it-starts"),
    ("episodes.csv", 1, "999,05/06/2017,S,V2,N4,U6,PR1,,,,LS1 4AB,LS2 7EW,SC123456",
     "episodes.csv, row 2, column CHILD: '999' is not in the Header file", "unknown-child"),
    ("episodes.csv", 1, "101,05/06/2017,S,V2,N4,K3,PR4,,,,LS1 4AB,LS2 7EW,SC123456",
     "episodes.csv, row 2, column PLACE: 'K3' is not a valid code", "k3-before-2024-25"),
    ("header.csv", 1, "101,1,2002-03-14,WBRI,A123456789012,,",
     "header.csv, row 2, column DOB: '2002-03-14' is not a date in the form dd/mm/yyyy", "iso-date"),
    ("reviews.csv", 1, "101,14/03/2002,12/06/2018,PN9",
     "reviews.csv, row 2, column REVIEW_CODE: 'PN9' is not a valid code", "unknown-participation-code"),
    ("uasc.csv", 2, "103,1,29/02/2008,01/03/2026",
     "uasc.csv, row 3, column DUC: is after the 18th birthday", "uasc-status-ceasing-after-18"),
    ("missing.csv", 1, "101,14/03/2002,X,03/08/2018,05/08/2018",
     "missing.csv, row 2, column MISSING: 'X' is not a valid code", "missing-neither-m-nor-a"),
    ("missing.csv", 1, "101,14/03/2002,M,03/08/2018,01/08/2018",
     "missing.csv, row 2, column MIS_END: is before MIS_START", "missing-ending-before-it-starts"),
    ("missing.csv", 1, "999,14/03/2002,M,03/08/2018,05/08/2018",
     "missing.csv, row 2, column CHILD: '999' is not in the Header file", "missing-unknown-child"),
    ("oc3.csv", 1, "102,02/09/2010,YES,F5,U1",
     "oc3.csv, row 2, column DOB: the young person had no 17th to 21st birthday in the year", "oc3-for-a-child-of-8"),
    ("prevperm.csv", 1, "102,02/09/2010,P2,,",
     "prevperm.csv, row 2, column DATE_PERM: LA_PERM and DATE_PERM are needed", "previous-order-without-its-date"),
    ("oc3.csv", 1, "101,14/03/2002,YES,F3,S1",
     "oc3.csv, row 2, column ACTIV: 'F3' is not a valid code", "oc3-old-activity-code"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("file", "line", "row", "message"), [case[:4] for case in BROKEN],
                         ids=[case[4] for case in BROKEN])
def test_a_bad_row_is_named_and_its_year_not_loaded(tmp_path: Path, capsys: pytest.CaptureFixture[str], file: str,
                                                    line: int, row: str, message: str) -> None:
    files = {name: list(lines) for name, lines in RETURN_2019.items()}
    lines = files.setdefault(file, [OC3])  # 2018-19 has no OC3 file of its own
    lines[line:line + 1] = [row]
    with pytest.raises(CommandError, match="Not loaded: 2019") as raised:
        call_command("import_903", str(_write(tmp_path / "2019", files)))
    assert raised.value.returncode == 1
    assert message in capsys.readouterr().out
    assert not Child.unscoped.exists() and not ImportedRow.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "message"), [("returns", "name the directory by its collection year"),
                                               ("2019x", "name the directory by its collection year")])
def test_a_directory_not_named_by_its_year_is_refused(tmp_path: Path, name: str, message: str) -> None:
    with pytest.raises(CommandError, match=message) as raised:
        call_command("import_903", str(_write(tmp_path / name, RETURN_2019)))
    assert raised.value.returncode == 2


@pytest.mark.django_db
def test_a_missing_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="does not exist") as raised:
        call_command("import_903", str(tmp_path / "2019"))
    assert raised.value.returncode == 2


@pytest.mark.django_db
def test_episodes_that_run_into_each_other_across_years_are_refused(tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    files = {name: list(lines) for name, lines in RETURN_2019.items()}
    # 102's episode is still open in 2018-19, but a second one starts while it is.
    files["episodes.csv"][4] = "102,03/07/2018,S,V2,N8,U6,PR1,,,,LS1 4AB,LS2 7EW,SC123456"
    files["episodes.csv"].append("102,01/09/2018,P,V2,N8,U6,PR1,,,,LS1 4AB,LS1 4AD,SC123456")
    with pytest.raises(CommandError, match="Not loaded: 2019"):
        call_command("import_903", str(_write(tmp_path / "2019", files)))
    assert ("episodes.csv: child 102: the episode from 03/07/2018 is still open or ends after the next one starts "
            "on 01/09/2018") in capsys.readouterr().out
    assert not Child.unscoped.exists()
