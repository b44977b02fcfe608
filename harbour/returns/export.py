"""Writing the SSDA903 return from the casework: every row derived from recorded facts, never typed.

Episodes come from the periods of care, legal statuses and placements through
harbour.domain.episodes; the code lists that change by year from harbour.domain.ssda903. The
whole return is read in a fixed number of queries whatever the number of children.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from django.db.models import Q, QuerySet

from harbour.children.models import Child, LegalStatusPeriod, PeriodLookedAfter
from harbour.core.csv_export import csv_rows
from harbour.domain.episodes import (
    SHORT_BREAK_STATUSES,
    CarePeriod,
    Episode,
    LegalStatusSpell,
    PlacementFacts,
    episodes,
)
from harbour.domain.ssda903 import COLUMNS, CollectionYear, date_903, header_sex
from harbour.placements.models import Placement
from harbour.reviews.models import Review

from .models import ImportedRow, ReturnChild

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


def build_return(year: CollectionYear, children: QuerySet[Child]) -> Return:
    """The return for ``year`` for the children in ``children`` (already scoped by the caller)."""
    in_year = (
        PeriodLookedAfter.objects.filter(child__in=children, start__lte=year.end)
        .filter(Q(end__isnull=True) | Q(end__gte=year.start))
        .values_list("child_id", flat=True)
    )
    looked_after = Child.unscoped.filter(id__in=in_year).order_by("id")
    periods = _by_child(PeriodLookedAfter.objects.filter(child__in=looked_after))
    statuses = _by_child(LegalStatusPeriod.objects.filter(child__in=looked_after))
    placements = _by_child(Placement.objects.filter(child__in=looked_after))
    reviews = _by_child(
        Review.objects.filter(child__in=looked_after, held_on__range=(year.start, year.end)).order_by("held_on")
    )
    codes = dict(ReturnChild.objects.filter(child__in=looked_after).values_list("child_id", "code"))
    imported_needs: dict[Any, dict[str, str]] = defaultdict(dict)
    for child_id, decom, data in ImportedRow.objects.filter(child__in=looked_after, table="Episodes").values_list(
        "child_id", "key", "data"
    ):
        imported_needs[child_id][decom] = data.get("CIN", "")
    result = Return(year, {"Header": [], "Episodes": [], "Reviews": []})
    for child in looked_after:
        code, born = codes.get(child.id) or child_code(child.id), date_903(child.date_of_birth)
        result.child_ids.append(child.id)
        result.child_codes[child.id] = code
        result.tables["Header"].append({
            "CHILD": code, "SEX": header_sex(child.sex, year), "DOB": born, "ETHNIC": child.ethnicity,
            "UPN": child.upn or child.upn_unknown_reason, **dict(zip(("MOTHER", "MC_DOB"), _mother(child), strict=True)),
        })
        first_episode = len(result.tables["Episodes"])
        for episode in _child_episodes(periods[child.id], statuses[child.id], placements[child.id]):
            if not year.includes(episode.decom, episode.dec):
                continue
            if episode.dec is not None and episode.dec > year.end:
                # An episode still open on 31 March is returned open (reference 4.3; validator rule 233).
                episode = replace(episode, dec=None, rec="", reason_place_change="")
            result.tables["Episodes"].append({
                "CHILD": code, "DECOM": date_903(episode.decom), "RNE": episode.rne, "LS": episode.legal_status,
                "CIN": _category_of_need(child, imported_needs[child.id], date_903(episode.decom)), "PLACE": episode.place, "PLACE_PROVIDER": episode.place_provider,
                "DEC": date_903(episode.dec), "REC": episode.rec, "REASON_PLACE_CHANGE": episode.reason_place_change,
                "HOME_POST": episode.home_postcode, "PL_POST": episode.pl_postcode, "URN": episode.urn,
            })
        own = result.tables["Episodes"][first_episode:]
        if own and all(row["LS"] in SHORT_BREAK_STATUSES for row in own):
            # Only short breaks (V3, V4) in the year: no MOTHER (rule 399).
            result.tables["Header"][-1].update({"MOTHER": "", "MC_DOB": ""})
        for review in reviews[child.id]:
            result.tables["Reviews"].append({
                "CHILD": code, "DOB": born, "REVIEW": date_903(review.held_on), "REVIEW_CODE": review.participation,
            })
    return result
