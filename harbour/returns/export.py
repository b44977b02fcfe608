"""Writing the SSDA903 return from the casework: every row derived from recorded facts, never typed.

Episodes come from the periods of care, legal statuses and placements through
harbour.domain.episodes; the code lists that change by year from harbour.domain.ssda903. The
whole return is read in a fixed number of queries whatever the number of children.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from django.db.models import Q, QuerySet

from harbour.accounts.models import Allocation
from harbour.children.models import Child, LegalStatusPeriod, PeriodLookedAfter
from harbour.core.csv_export import csv_rows
from harbour.domain.episodes import CarePeriod, Episode, LegalStatusSpell, PlacementFacts, episodes
from harbour.domain.leaving_care import OC3_AGES, care_leaver_status
from harbour.domain.ssda903 import COLUMNS, CollectionYear, date_903, header_sex, parse_date_903
from harbour.domain.ssda903_cohorts import (
    SHORT_BREAK_STATUSES,
    health_check_for_under_fives,
    oc3_birthday_in_year,
    uasc_status_ceased,
)
from harbour.domain.timescales import LeavingCareStatus
from harbour.domain.types import Period
from harbour.leaving_care.models import AdviserContact
from harbour.placements.models import Placement
from harbour.reviews.models import HealthAssessment, OutcomeEvent, Review
from harbour.uasc.models import MissingEpisode

from . import files
from .models import ImportedRow, PreviousPermanence, ReturnChild

# File names as councils send them; the validator knows each table by its columns.
FILE_NAMES = {table: f"{table.lower()}.csv" for table in COLUMNS}


def child_code(child_id: Any) -> str:
    """The CHILD identifier in the return: stable across years, not the child's name or a reference
    that means anything outside Harbour (the first 10 hex digits of the record's random id)."""
    return str(child_id).replace("-", "")[:10].upper()


@dataclass
class Return:
    year: CollectionYear
    tables: dict[str, list[dict[str, str]]] = field(default_factory=dict)
    child_ids: list[Any] = field(default_factory=list)
    child_codes: dict[Any, str] = field(default_factory=dict)  # record id -> CHILD in the return

    def write(self, directory: Path) -> list[tuple[Path, int]]:
        """Write each table to its file; the files written, each with its number of rows."""
        directory.mkdir(parents=True, exist_ok=True)
        written = []
        for table, rows in self.tables.items():
            path = directory / FILE_NAMES[table]
            columns = COLUMNS[table]
            path.write_text(csv_rows(columns, ([row[column] for column in columns] for row in rows)),
                            encoding="utf-8", newline="")
            written.append((path, len(rows)))
        return written


def _by_child(rows: Iterable[Any]) -> dict[Any, list[Any]]:
    grouped: dict[Any, list[Any]] = defaultdict(list)
    for row in rows:
        grouped[row.child_id].append(row)
    return grouped


def _child_episodes(periods: list[Any], statuses: list[Any], placements: list[Any]) -> list[Episode]:
    return episodes(
        sorted((CarePeriod(p.start, p.end, p.reason_ceased) for p in periods), key=lambda p: p.start),
        sorted((LegalStatusSpell(s.legal_status, s.start, s.end) for s in statuses), key=lambda s: s.start),
        sorted((PlacementFacts(
            start=p.start, end=p.end, place=p.placement_type, place_provider=p.place_provider, urn=p.urn,
            carer=str(p.provider_id) if p.provider_id else p.carer_or_provider, postcode=p.postcode,
            home_postcode=p.home_postcode, reason_for_change=p.reason_for_change,
        ) for p in placements), key=lambda f: f.start),
    )


def _category_of_need(child: Child, imported: dict[str, str], decom: str) -> str:
    # A past return's category for the episode, when the episode came from one (import-903); else the
    # category recorded on the child's legal status page; else N8 absent parenting for an unaccompanied
    # child (reference 4.3). Nothing recorded is left blank for the validator to ask for.
    return imported.get(decom) or child.category_of_need or ("N8" if child.is_uasc else "")


def _mother(child: Child) -> tuple[str, str]:
    # Header MOTHER (1 or 0) and MC_DOB are asked of girls and young women only (rules 393, 607);
    # not recorded stays blank so that the validator asks for it.
    if child.sex != "F" or child.is_mother is None:
        return "", ""
    return ("1", date_903(child.mother_child_date_of_birth)) if child.is_mother else ("0", "")


def _oc3_birthday(child: Child, periods: list[Any], year: CollectionYear) -> date | None:
    """The birthday for which a care leaver has an OC3 row this year, or None (reference 4.8).

    A relevant or former relevant young person (care_leaver_status on the birthday) who is no longer
    looked after on it: rules 1007 and 1016 say a 17- or 18-year-old still looked after on the
    birthday has no OC3 row.
    """
    if child.date_of_birth is None:
        return None
    found = oc3_birthday_in_year(child.date_of_birth, year)
    if found is None:
        return None
    day = found[1]
    spells = sorted((Period(p.start, p.end) for p in periods), key=lambda p: p.start)
    if not spells or any(spell.covers(day) for spell in spells) or spells[0].start > day:
        return None
    status = care_leaver_status(child.date_of_birth, spells, day)
    # Relevant and former relevant young people only: 13 weeks looked after since 14 (rule 1001).
    return day if status in {LeavingCareStatus.RELEVANT, LeavingCareStatus.FORMER_RELEVANT} else None


@dataclass
class _Facts:
    """Everything the return reads, each kind in one query, grouped by child."""

    candidates: QuerySet[Child]
    periods: dict[Any, list[Any]]
    statuses: dict[Any, list[Any]]
    placements: dict[Any, list[Any]]
    reviews: dict[Any, list[Any]]
    health: dict[Any, list[Any]]
    outcomes: dict[Any, list[Any]]
    missing: dict[Any, list[Any]]
    social_workers: dict[Any, list[Any]]
    contacts: dict[Any, list[Any]]
    codes: dict[Any, str]
    permanence: dict[Any, Any]
    imported_needs: dict[Any, dict[str, str]] = field(default_factory=lambda: defaultdict(dict))
    imported_duc: dict[Any, str] = field(default_factory=dict)
    imported_oc3: set[Any] = field(default_factory=set)


def _read_facts(year: CollectionYear, children: QuerySet[Child]) -> _Facts:
    in_year = (
        PeriodLookedAfter.objects.filter(child__in=children, start__lte=year.end)
        .filter(Q(end__isnull=True) | Q(end__gte=year.start))
        .values_list("child_id", flat=True)
    )
    # Care leavers old enough for OC3 this year; narrowed in Python by their birthday and history.
    leavers = children.filter(
        date_of_birth__range=(date(year.ending - OC3_AGES[-1] - 1, 1, 1), date(year.ending - OC3_AGES[0], 12, 31)),
        periods_looked_after__end__lt=year.end,
    ).values_list("id", flat=True)
    # A care leaver whose OC3 row came from a past return (import-903) is in that year's OC3 again.
    imported_leavers = ImportedRow.objects.filter(child__in=children, table="OC3", year=year.ending).values("child_id")
    candidates = Child.unscoped.filter(
        Q(id__in=in_year) | Q(id__in=leavers) | Q(id__in=imported_leavers)
    ).distinct().order_by("id")
    facts = _Facts(
        candidates=candidates,
        periods=_by_child(PeriodLookedAfter.objects.filter(child__in=candidates)),
        statuses=_by_child(LegalStatusPeriod.objects.filter(child__in=candidates)),
        placements=_by_child(Placement.objects.filter(child__in=candidates)),
        reviews=_by_child(
            Review.objects.filter(child__in=candidates, held_on__range=(year.start, year.end)).order_by("held_on")
        ),
        health=_by_child(HealthAssessment.objects.filter(child__in=candidates, assessed_on__lte=year.end)),
        outcomes=_by_child(OutcomeEvent.objects.filter(child__in=candidates, happened_on__range=(year.start, year.end))),
        missing=_by_child(MissingEpisode.objects.filter(child__in=candidates, started_on__lte=year.end)),
        social_workers=_by_child(Allocation.objects.filter(
            child__in=candidates, kind=Allocation.Kind.SOCIAL_WORKER, start__lte=year.end,
        ).select_related("worker")),
        contacts=_by_child(AdviserContact.objects.filter(child__in=candidates)),
        codes=dict(ReturnChild.objects.filter(child__in=candidates).values_list("child_id", "code")),
        permanence={p.child_id: p for p in PreviousPermanence.objects.filter(child__in=candidates)},
    )
    for child_id, table, key, row_year, data in ImportedRow.objects.filter(
        child__in=candidates, table__in=("Episodes", "UASC", "OC3")
    ).values_list("child_id", "table", "key", "year", "data"):
        if table == "Episodes":
            facts.imported_needs[child_id][key] = data.get("CIN", "")
        elif table == "UASC":
            facts.imported_duc[child_id] = data.get("DUC", "")
        elif row_year == year.ending:
            facts.imported_oc3.add(child_id)
    return facts


def _episode_rows(child: Child, code: str, facts: _Facts, year: CollectionYear) -> list[dict[str, str]]:
    rows = []
    for episode in _child_episodes(facts.periods[child.id], facts.statuses[child.id], facts.placements[child.id]):
        if not year.includes(episode.decom, episode.dec):
            continue
        if episode.dec is not None and episode.dec > year.end:
            # An episode still open on 31 March is returned open (reference 4.3; validator rule 233).
            episode = replace(episode, dec=None, rec="", reason_place_change="")
        rows.append({
            "CHILD": code, "DECOM": date_903(episode.decom), "RNE": episode.rne, "LS": episode.legal_status,
            "CIN": _category_of_need(child, facts.imported_needs[child.id], date_903(episode.decom)),
            "PLACE": episode.place, "PLACE_PROVIDER": episode.place_provider,
            "DEC": date_903(episode.dec), "REC": episode.rec, "REASON_PLACE_CHANGE": episode.reason_place_change,
            # No home postcode, so no distance, for a child who is or was unaccompanied (rule 406).
            "HOME_POST": "" if child.is_uasc else episode.home_postcode, "PL_POST": episode.pl_postcode,
            "URN": episode.urn,
        })
    return rows


def _uasc_row(child: Child, code: str, sex: str, facts: _Facts, year: CollectionYear) -> dict[str, str] | None:
    if not child.is_uasc or child.date_of_birth is None:
        return None
    # A past return's DUC stands (import-903); otherwise the status ceases at 18.
    duc = facts.imported_duc.get(child.id) or date_903(uasc_status_ceased(child.date_of_birth))
    if parse_date_903(duc) < year.start:
        return None
    return files.uasc_row(code=code, born=date_903(child.date_of_birth), sex=sex, duc=duc)


def _looked_after_rows(result: Return, child: Child, code: str, facts: _Facts, *, care_leaver: bool) -> None:
    """OC2, Missing and SWEpisodes: the files about a child looked after in the year."""
    year, born = result.year, date_903(child.date_of_birth)
    short_breaks = any(s.legal_status in SHORT_BREAK_STATUSES and year.includes(s.start, s.end)
                       for s in facts.statuses[child.id])
    oc2 = files.oc2_row(code=code, born=born, date_of_birth=child.date_of_birth, year=year,
                        periods=[Period(p.start, p.end) for p in facts.periods[child.id]],
                        short_breaks=short_breaks, health_assessments=facts.health[child.id],
                        outcome_events=facts.outcomes[child.id])
    if oc2 is not None and child.date_of_birth is not None:
        oc2["HEALTH_CHECK"] = health_check_for_under_fives(
            child.date_of_birth, year, [a.assessed_on for a in facts.health[child.id]])
    if oc2 is not None and not care_leaver:  # no OC2 for a care leaver (rule 215)
        result.tables["OC2"].append(oc2)
    result.tables["Missing"] += files.missing_rows(code=code, born=born, year=year, episodes=facts.missing[child.id])
    result.tables["SWEpisodes"] += files.sw_episode_rows(code=code, born=born, year=year,
                                                         allocations=facts.social_workers[child.id])


def build_return(year: CollectionYear, children: QuerySet[Child]) -> Return:
    """The return for ``year`` for the children in ``children`` (already scoped by the caller):
    the children looked after in the year, and the care leavers with a 17th to 21st birthday in it."""
    facts = _read_facts(year, children)
    result = Return(year, {table: [] for table in COLUMNS})
    for child in facts.candidates:
        looked_after = any(year.includes(p.start, p.end) for p in facts.periods[child.id])
        oc3_birthday = _oc3_birthday(child, facts.periods[child.id], year)
        if oc3_birthday is None and child.id in facts.imported_oc3 and child.date_of_birth:
            oc3_birthday = (oc3_birthday_in_year(child.date_of_birth, year) or (0, None))[1]
        if not looked_after and oc3_birthday is None:
            continue
        code, born = facts.codes.get(child.id) or child_code(child.id), date_903(child.date_of_birth)
        result.child_ids.append(child.id)
        result.child_codes[child.id] = code
        sex = header_sex(child.sex, year)
        result.tables["Header"].append({
            "CHILD": code, "SEX": sex, "DOB": born, "ETHNIC": child.ethnicity,
            "UPN": child.upn or child.upn_unknown_reason, **dict(zip(("MOTHER", "MC_DOB"), _mother(child), strict=True)),
        })
        # A care leaver has an OC3 row; UASC is not returned for a care leaver with no episode in the
        # year (rule 1014), but is for one looked after in it, or rules 392a and 392b would take the
        # formerly unaccompanied child for one with a home postcode.
        uasc = None if oc3_birthday and not looked_after else _uasc_row(child, code, sex, facts, year)
        if oc3_birthday is not None:
            result.tables["OC3"].append(files.oc3_row(code=code, born=born, birthday_on=oc3_birthday,
                                                      contacts=facts.contacts[child.id]))
        if uasc is not None:
            result.tables["UASC"].append(uasc)
        episode_rows = _episode_rows(child, code, facts, year)
        result.tables["Episodes"] += episode_rows
        if all(row["LS"] in SHORT_BREAK_STATUSES for row in episode_rows):
            # Only short breaks (V3, V4) in the year: no MOTHER (rule 399); nor for a care leaver not
            # looked after in the year, who has no episodes at all (rule 628).
            result.tables["Header"][-1].update({"MOTHER": "", "MC_DOB": ""})
        prev_perm = files.prev_perm_row(code=code, born=born, permanence=facts.permanence.get(child.id))
        # PrevPerm is asked of each child who started to be looked after in the year (rule 630).
        if prev_perm is not None and any(row["RNE"] == "S" and parse_date_903(row["DECOM"]) >= year.start
                                         for row in episode_rows):
            result.tables["PrevPerm"].append(prev_perm)
        result.tables["Reviews"] += [
            {"CHILD": code, "DOB": born, "REVIEW": date_903(review.held_on), "REVIEW_CODE": review.participation}
            for review in facts.reviews[child.id]
        ]
        if looked_after:
            _looked_after_rows(result, child, code, facts, care_leaver=oc3_birthday is not None)
    # Harbour records no adoption yet: AD1 and PlacedAdoption are written with their header and no
    # rows (docs/how-to/ssda903.md).
    return result
