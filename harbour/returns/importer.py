"""Loading a council's past SSDA903 returns into Harbour (migration from another case system).

Each year is checked whole before anything is written: every rejected row is reported with its
file, row, column and reason, and a year with a rejected row is not loaded at all. A year that
passes is loaded in one transaction. The rows are kept (`ImportedRow`), merged across years by
what makes them one (an episode's start, a review's date; a later year's row wins, as it carries
the episode's end), and each imported child's periods of care, legal statuses and placements are
rebuilt from all its rows: so importing a year twice changes nothing, and exporting an imported
year gives back the rows it was loaded from.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Container, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from django.db import transaction

from harbour.accounts.models import Role, User
from harbour.audit.bulk import bulk_actor
from harbour.audit.services import record_event
from harbour.children.codes import Ethnicity, LegalStatus, UpnUnknown
from harbour.children.models import Child, LegalStatusPeriod, PeriodLookedAfter
from harbour.core.csv_export import read_csv
from harbour.domain.ssda903 import (
    COLUMNS,
    FIRST_IMPORT_YEAR,
    REASONS_CEASED,
    CollectionYear,
    parse_date_903,
    valid_places,
)
from harbour.domain.ssda903_cohorts import oc3_birthday_in_year, uasc_status_ceased
from harbour.leaving_care.codes import AccommodationType, Activity, InTouch
from harbour.leaving_care.models import AdviserContact
from harbour.placements.codes import PlacementProviderCode, ReasonNewEpisode, ReasonPlacementChange
from harbour.placements.models import Placement
from harbour.reviews.models import Review
from harbour.uasc.models import MissingEpisode

from .models import ImportedRow, PreviousPermanence, ReturnChild

# The tables imported now; the others are read for their columns but not loaded (said in the report).
LOADED = ("Header", "Episodes", "Reviews", "UASC", "OC3", "Missing", "PrevPerm")
# Contacts and missing episodes from a past return are recorded by this account: it cannot sign in.
IMPORT_ACCOUNT = "ssda903-import"
_YEAR_IN_NAME = re.compile(r"(20\d\d)$")
_UPN = re.compile(r"[A-Z]\d{11}[0-9A-Z]")


@dataclass(frozen=True)
class Rejected:
    file: str
    row: int
    column: str
    reason: str

    def describe(self) -> str:
        where = self.file + (f", row {self.row}" if self.row else "") + (f", column {self.column}" if self.column else "")
        return f"{where}: {self.reason}"


@dataclass
class YearResult:
    year: int
    directory: Path
    rejected: list[Rejected] = field(default_factory=list)
    loaded: dict[str, int] = field(default_factory=dict)
    not_loaded: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.rejected


def year_of(directory: Path) -> int:
    """The collection year a directory holds, from its name ("2019", "ssda903_2019")."""
    match = _YEAR_IN_NAME.search(directory.name)
    if match is None:
        raise ValueError(f"{directory}: name the directory by its collection year, for example 2019")
    return int(match.group(1))


def _read(directory: Path, result: YearResult) -> dict[str, tuple[str, list[tuple[int, dict[str, str]]]]]:
    """Each table's file name and (line, row) pairs; a file whose columns match no table is rejected."""
    tables: dict[str, tuple[str, list[tuple[int, dict[str, str]]]]] = {}
    for path in sorted(directory.glob("*.csv")):
        header, rows = read_csv(path)
        table = next((name for name, wanted in COLUMNS.items() if set(wanted) == set(header)), None)
        if table is None:
            result.rejected.append(Rejected(path.name, 1, "", "the columns match no SSDA903 file"))
            continue
        tables[table] = (path.name, rows)
    if not tables and not result.rejected:
        result.rejected.append(Rejected(directory.name, 0, "", "the directory holds no CSV files"))
    return tables


class _Checker:
    """Checks one file's rows, collecting a Rejected for every bad cell."""

    def __init__(self, result: YearResult, file: str) -> None:
        self.result, self.file = result, file

    def reject(self, line: int, column: str, reason: str) -> None:
        self.result.rejected.append(Rejected(self.file, line, column, reason))

    def date(self, line: int, row: dict[str, str], column: str, *, required: bool = True) -> date | None:
        text = row.get(column, "")
        if not text:
            if required:
                self.reject(line, column, "is blank; enter a date in the form dd/mm/yyyy")
            return None
        try:
            return parse_date_903(text)
        except ValueError as error:
            self.reject(line, column, str(error))
            return None

    def child(self, line: int, row: dict[str, str], known: Container[str]) -> bool:
        """Whether the row's CHILD is in the Header file; rejects the row's CHILD when it is not."""
        code = row.get("CHILD", "")
        if code not in known:
            self.reject(line, "CHILD", f"'{code}' is not in the Header file")
            return False
        return True

    def code(self, line: int, row: dict[str, str], column: str, allowed: Iterable[str], *,
             required: bool = True) -> str:
        value = row.get(column, "")
        if not value and not required:
            return ""
        if value not in set(allowed):
            self.reject(line, column, f"'{value}' is not a valid code" if value else "is blank")
        return value


def _check_header(result: YearResult, year: CollectionYear, file: str,
                  rows: list[tuple[int, dict[str, str]]]) -> dict[str, dict[str, Any]]:
    check = _Checker(result, file)
    sexes = {"M", "F", "U"} if year.ending >= 2025 else {"1", "2"}
    children: dict[str, dict[str, Any]] = {}
    for line, row in rows:
        code = row.get("CHILD", "")
        if not code:
            check.reject(line, "CHILD", "is blank")
            continue
        if code in children:
            check.reject(line, "CHILD", f"'{code}' appears twice in the Header file")
        born = check.date(line, row, "DOB")
        sex = check.code(line, row, "SEX", sexes)
        ethnic = check.code(line, row, "ETHNIC", Ethnicity.values)
        upn = row.get("UPN", "")
        if upn and upn not in UpnUnknown.values and not _UPN.fullmatch(upn):
            check.reject(line, "UPN", f"'{upn}' is neither a unique pupil number nor UN1 to UN5")
        children[code] = {"DOB": born, "SEX": {"1": "M", "2": "F"}.get(sex, sex), "ETHNIC": ethnic, "UPN": upn}
    return children


Rows = list[tuple[int, dict[str, str]]]


def _rows_that_pass(result: YearResult, rows: Rows, check_row: Callable[[int, dict[str, str]], None]) -> list[dict[str, str]]:
    """The rows in which ``check_row`` rejected nothing, in file order. Every rejection stays in
    ``result``: a file is checked whole, so one bad row never hides the next."""
    good = []
    for line, row in rows:
        before = len(result.rejected)
        check_row(line, row)
        if len(result.rejected) == before:
            good.append(row)
    return good


def _check_episodes(result: YearResult, year: CollectionYear, file: str, rows: Rows,
                    known: set[str]) -> list[dict[str, str]]:
    check = _Checker(result, file)

    def check_row(line: int, row: dict[str, str]) -> None:
        check.child(line, row, known)
        start = check.date(line, row, "DECOM")
        end = check.date(line, row, "DEC", required=False)
        if start and end and end < start:
            check.reject(line, "DEC", "is before DECOM; the episode must end on or after the day it starts")
        check.code(line, row, "RNE", ReasonNewEpisode.values)
        check.code(line, row, "LS", LegalStatus.values)
        check.code(line, row, "PLACE", valid_places(year))
        check.code(line, row, "PLACE_PROVIDER", PlacementProviderCode.values, required=False)
        check.code(line, row, "REC", REASONS_CEASED, required=bool(end))
        check.code(line, row, "REASON_PLACE_CHANGE", ReasonPlacementChange.values, required=False)

    return _rows_that_pass(result, rows, check_row)


def _check_reviews(result: YearResult, file: str, rows: Rows, known: set[str]) -> list[dict[str, str]]:
    check = _Checker(result, file)

    def check_row(line: int, row: dict[str, str]) -> None:
        check.child(line, row, known)
        check.date(line, row, "REVIEW")
        check.code(line, row, "REVIEW_CODE", Review.Participation.values)

    return _rows_that_pass(result, rows, check_row)


def _check_uasc(result: YearResult, file: str, rows: Rows, header: dict[str, dict[str, Any]]) -> list[dict[str, str]]:
    check = _Checker(result, file)

    def check_row(line: int, row: dict[str, str]) -> None:
        facts = header.get(row.get("CHILD", ""))
        check.child(line, row, header)
        ceased = check.date(line, row, "DUC")
        born = facts and facts["DOB"]
        if ceased and born and ceased > uasc_status_ceased(born):
            check.reject(line, "DUC", "is after the 18th birthday; UASC status ends at 18 at the latest")

    return _rows_that_pass(result, rows, check_row)


def _check_oc3(result: YearResult, year: CollectionYear, file: str, rows: Rows,
               header: dict[str, dict[str, Any]]) -> list[dict[str, str]]:
    check = _Checker(result, file)
    accommodation = {f"{letter}{digit}" for letter in AccommodationType.values if letter != "0" for digit in "12"}

    def check_row(line: int, row: dict[str, str]) -> None:
        born = check.child(line, row, header) and header[row["CHILD"]]["DOB"]
        if born and oc3_birthday_in_year(born, year) is None:
            check.reject(line, "DOB", "the young person had no 17th to 21st birthday in the year")
        answered = any(row.get(column) for column in ("IN_TOUCH", "ACTIV", "ACCOM"))
        check.code(line, row, "IN_TOUCH", InTouch.values, required=answered)
        check.code(line, row, "ACTIV", Activity.values, required=answered)
        check.code(line, row, "ACCOM", accommodation | {"0"}, required=answered)

    return _rows_that_pass(result, rows, check_row)


def _check_missing(result: YearResult, file: str, rows: Rows, known: set[str]) -> list[dict[str, str]]:
    check = _Checker(result, file)

    def check_row(line: int, row: dict[str, str]) -> None:
        check.child(line, row, known)
        check.code(line, row, "MISSING", MissingEpisode.Kind.values)
        start = check.date(line, row, "MIS_START")
        end = check.date(line, row, "MIS_END", required=False)
        if start and end and end < start:
            check.reject(line, "MIS_END", "is before MIS_START; the episode must end on or after the day it starts")

    return _rows_that_pass(result, rows, check_row)


def _check_prev_perm(result: YearResult, file: str, rows: Rows, known: set[str]) -> list[dict[str, str]]:
    check = _Checker(result, file)

    def check_row(line: int, row: dict[str, str]) -> None:
        check.child(line, row, known)
        order = check.code(line, row, "PREV_PERM", PreviousPermanence.Order.values)
        check.date(line, row, "DATE_PERM", required=False)
        if order and order != PreviousPermanence.Order.NONE and not (row.get("LA_PERM") and row.get("DATE_PERM")):
            check.reject(line, "DATE_PERM", "LA_PERM and DATE_PERM are needed for a previous order (rule 630)")

    return _rows_that_pass(result, rows, check_row)


def _import_account() -> User:
    account, created = User.objects.get_or_create(
        username=IMPORT_ACCOUNT,
        defaults={"first_name": "SSDA903", "last_name": "import", "role": Role.ADMINISTRATOR, "is_active": False},
    )
    if created:
        account.set_unusable_password()
        account.save(update_fields=["password"])
    return account


def _rebuild_leaving_care(child: Child, stored: dict[str, list[dict[str, str]]], account: User) -> None:
    """The child's imported missing episodes and OC3 contacts from all its imported rows; what
    people recorded in Harbour is left alone."""
    MissingEpisode.objects.filter(child=child, recorded_by=account).delete()
    MissingEpisode.objects.bulk_create([
        MissingEpisode(child=child, kind=row["MISSING"], started_on=parse_date_903(row["MIS_START"]),
                       ended_on=parse_date_903(row["MIS_END"]) if row["MIS_END"] else None, recorded_by=account,
                       note="From a past SSDA903 return")
        for row in stored["Missing"]
    ])
    AdviserContact.objects.filter(child=child, adviser=account).delete()
    AdviserContact.objects.bulk_create([
        # The return says how things stood around the birthday, so the contact is dated on it.
        AdviserContact(child=child, contacted_on=date.fromisoformat(row["_BIRTHDAY"]), adviser=account,
                       in_touch=row["IN_TOUCH"], activity=row["ACTIV"], accommodation=row["ACCOM"][0],
                       accommodation_suitable=None if row["ACCOM"] == "0" else row["ACCOM"][1:] == "1",
                       note="From a past SSDA903 return")
        for row in stored["OC3"] if row.get("IN_TOUCH")
    ])


def _sort_key(row: dict[str, str]) -> date:
    return parse_date_903(row["DECOM"])


class EpisodesOverlap(ValueError):
    """A child's episodes, merged across the years imported, run into each other."""


def _check_sequence(code: str, rows: list[dict[str, str]]) -> None:
    for before, after in zip(rows, rows[1:], strict=False):
        ends = parse_date_903(before["DEC"]) if before["DEC"] else None
        if ends is None or ends > parse_date_903(after["DECOM"]):
            raise EpisodesOverlap(
                f"child {code}: the episode from {before['DECOM']} is still open or ends after the next one starts "
                f"on {after['DECOM']}; import the year in which it ended, or correct its DEC"
            )


def _rebuild(child: Child, code: str, episode_rows: list[dict[str, str]]) -> None:
    """The child's periods, legal statuses and placements from its imported episodes, oldest first."""
    episode_rows = sorted(episode_rows, key=_sort_key)
    _check_sequence(code, episode_rows)
    PeriodLookedAfter.objects.filter(child=child).delete()
    LegalStatusPeriod.objects.filter(child=child).delete()
    Placement.objects.filter(child=child).delete()
    periods: list[PeriodLookedAfter] = []
    statuses: list[LegalStatusPeriod] = []
    placements: list[Placement] = []
    carer = 0
    for row in episode_rows:
        start = parse_date_903(row["DECOM"])
        end = parse_date_903(row["DEC"]) if row["DEC"] else None
        rne = row["RNE"]
        if rne == "S" or not periods or periods[-1].end is not None:
            periods.append(PeriodLookedAfter(child=child, start=start))
        if statuses and statuses[-1].end == start and statuses[-1].legal_status == row["LS"] and rne in {"P", "T"}:
            statuses[-1].end = end
        else:
            statuses.append(LegalStatusPeriod(child=child, legal_status=row["LS"], start=start, end=end))
        if rne == "L" and placements:
            placements[-1].end = end
            placements[-1].reason_for_change = row["REASON_PLACE_CHANGE"]
        else:
            if rne not in {"T", "U"}:
                carer += 1
            placements.append(Placement(
                child=child, start=start, end=end, placement_type=row["PLACE"], place_provider=row["PLACE_PROVIDER"],
                urn=row["URN"], postcode=row["PL_POST"], home_postcode=row["HOME_POST"],
                reason_for_change=row["REASON_PLACE_CHANGE"],
                carer_or_provider=f"Carer {carer} in the imported SSDA903 returns",
            ))
        if end is not None and row["REC"] != "X1":
            periods[-1].end, periods[-1].reason_ceased = end, row["REC"]
    PeriodLookedAfter.objects.bulk_create(periods)
    LegalStatusPeriod.objects.bulk_create(statuses)
    Placement.objects.bulk_create(placements)


def _load(result: YearResult, header: dict[str, dict[str, Any]], episodes: list[dict[str, str]],
          reviews: list[dict[str, str]], uasc: list[dict[str, str]], oc3: list[dict[str, str]],
          missing: list[dict[str, str]], prev_perm: list[dict[str, str]]) -> None:
    codes = ReturnChild.objects.filter(code__in=header).select_related("child")
    by_code = {identity.code: identity for identity in codes}
    for code, facts in header.items():
        identity = by_code.get(code)
        if identity is None:
            child = Child.unscoped.create(date_of_birth=facts["DOB"],
                                          sex=facts["SEX"], ethnicity=facts["ETHNIC"],
                                          **_upn(facts["UPN"]))
            by_code[code] = ReturnChild.objects.create(child=child, code=code)
        else:
            Child.unscoped.filter(pk=identity.child_id).update(
                date_of_birth=facts["DOB"], sex=facts["SEX"], ethnicity=facts["ETHNIC"], **_upn(facts["UPN"]))
    existing = {(row.child_id, row.table, row.key): row for row in ImportedRow.objects.filter(
        child_id__in=[identity.child_id for identity in by_code.values()])}
    collection = CollectionYear(result.year)
    for row in oc3:
        # Keyed by the birthday it answers for, which also dates the contact it becomes.
        born = header[row["CHILD"]]["DOB"]
        found = oc3_birthday_in_year(born, collection) if born else None
        row["_BIRTHDAY"] = found[1].isoformat() if found else ""
    for row in uasc:
        row["_UASC"] = "UASC"
    for row in prev_perm:
        child_id = by_code[row["CHILD"]].child_id
        PreviousPermanence.objects.update_or_create(child_id=child_id, defaults={
            "order": row["PREV_PERM"], "local_authority": row["LA_PERM"],
            "made_on": parse_date_903(row["DATE_PERM"]) if row["DATE_PERM"] else None})
    for table, rows, key in (("Episodes", episodes, "DECOM"), ("Reviews", reviews, "REVIEW"), ("UASC", uasc, "_UASC"),
                             ("OC3", oc3, "_BIRTHDAY"), ("Missing", missing, "MIS_START")):
        for row in rows:
            child_id = by_code[row["CHILD"]].child_id
            kept = existing.get((child_id, table, row[key]))
            if kept is None:
                ImportedRow.objects.create(child_id=child_id, table=table, key=row[key], year=result.year, data=row)
            elif kept.year <= result.year:
                # A later year's row for the same episode wins: it carries how the episode ended.
                ImportedRow.objects.filter(pk=kept.pk).update(year=result.year, data=row)
    touched = [by_code[code].child_id for code in header]
    stored: dict[Any, dict[str, list[dict[str, str]]]] = defaultdict(lambda: defaultdict(list))
    for imported in ImportedRow.objects.filter(child_id__in=touched):
        stored[imported.child_id][imported.table].append(imported.data)
    code_of = {identity.child_id: code for code, identity in by_code.items()}
    account = _import_account()
    Child.unscoped.filter(id__in=[by_code[row["CHILD"]].child_id for row in uasc]).update(is_uasc=True)
    for child in Child.unscoped.filter(id__in=touched):
        _rebuild_leaving_care(child, stored[child.id], account)
        _rebuild(child, code_of[child.id], stored[child.id]["Episodes"])
        Review.objects.filter(child=child).delete()
        Review.objects.bulk_create([
            Review(child=child, held_on=parse_date_903(row["REVIEW"]), participation=row["REVIEW_CODE"])
            for row in stored[child.id]["Reviews"]
        ])
    result.loaded = {"Header": len(header), "Episodes": len(episodes), "Reviews": len(reviews), "UASC": len(uasc),
                     "OC3": len(oc3), "Missing": len(missing), "PrevPerm": len(prev_perm)}


def _upn(value: str) -> dict[str, str]:
    return {"upn": "", "upn_unknown_reason": value} if value in UpnUnknown.values else {"upn": value,
                                                                                       "upn_unknown_reason": ""}


def import_year(directory: Path, *, year: int, today: date, actor: Any = None) -> YearResult:
    """Check one year's files whole, then load them in one transaction if nothing was rejected."""
    result = YearResult(year, directory)
    if not FIRST_IMPORT_YEAR <= year <= today.year + 1:
        result.rejected.append(Rejected(directory.name, 0, "", f"the year {year} is not a collection year Harbour "
                                                                f"imports ({FIRST_IMPORT_YEAR} onward)"))
        return result
    collection = CollectionYear(year)
    tables = _read(directory, result)
    if "Header" not in tables and not result.rejected:
        result.rejected.append(Rejected(directory.name, 0, "", "there is no Header file (CHILD, SEX, DOB, ETHNIC, "
                                                                "UPN, MOTHER, MC_DOB)"))
    file, rows = tables.get("Header", ("", []))
    header = _check_header(result, collection, file, rows)
    imported_codes = set(ReturnChild.objects.filter(code__in=header, imported=False).values_list("code", flat=True))
    for code in sorted(imported_codes):
        result.rejected.append(Rejected(file, 0, "CHILD", f"'{code}' is a child recorded in Harbour, not imported"))
    known = set(header)
    file, rows = tables.get("Episodes", ("", []))
    episodes = _check_episodes(result, collection, file, rows, known)
    file, rows = tables.get("Reviews", ("", []))
    reviews = _check_reviews(result, file, rows, known)
    file, rows = tables.get("UASC", ("", []))
    uasc = _check_uasc(result, file, rows, header)
    file, rows = tables.get("OC3", ("", []))
    oc3 = _check_oc3(result, collection, file, rows, header)
    file, rows = tables.get("Missing", ("", []))
    missing = _check_missing(result, file, rows, known)
    file, rows = tables.get("PrevPerm", ("", []))
    prev_perm = _check_prev_perm(result, file, rows, known)
    result.not_loaded = sorted(set(tables) - set(LOADED))
    if result.rejected:
        return result
    try:
        # The rows the load replaces and writes in bulk name the person importing, or the import's account.
        with transaction.atomic(), bulk_actor(actor or _import_account()):
            _load(result, header, episodes, reviews, uasc, oc3, missing, prev_perm)
            _record(result, directory, actor)
    except EpisodesOverlap as error:
        result.loaded = {}
        result.rejected.append(Rejected(tables["Episodes"][0], 0, "", str(error)))
    return result


def _record(result: YearResult, directory: Path, actor: Any) -> None:
    record_event(actor=actor, action="create", record_type="ssda903_import", record_id=str(result.year),
                 details={"directory": directory.name, "loaded": result.loaded})
