"""Reads for the child's placements: the placements with their SSDA903 coding and the derived episodes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from harbour.children.models import Child, LegalStatusPeriod, PeriodLookedAfter
from harbour.domain.episodes import (
    CarePeriod,
    Episode,
    LegalStatusSpell,
    PlacementFacts,
    episodes,
    postcode_sector,
)

from .codes import PlacementProviderCode, PlacementType, ReasonPlacementChange
from .models import Placement


@dataclass(frozen=True)
class PlacementRow:
    placement: Placement
    place: str
    place_provider: str
    home_post: str
    pl_post: str
    reason_for_change: str


def _label(choices: Any, code: str) -> str:
    return choices(code).label if code in choices.values else code


def child_placements(child: Child) -> list[PlacementRow]:
    """The child's placements, newest first, each with its SSDA903 coding in words (one query)."""
    rows = []
    for placement in Placement.objects.filter(child=child).select_related("provider").order_by("-start"):
        rows.append(PlacementRow(
            placement=placement,
            place=_label(PlacementType, placement.placement_type),
            place_provider=_label(PlacementProviderCode, placement.place_provider) if placement.place_provider else "",
            home_post=postcode_sector(placement.home_postcode),
            pl_post=postcode_sector(placement.postcode),
            reason_for_change=(_label(ReasonPlacementChange, placement.reason_for_change)
                               if placement.reason_for_change else ""),
        ))
    return rows


def child_episodes(child: Child, placements: list[Placement] | None = None) -> list[Episode]:
    """The SSDA903 episodes, derived from the periods of care, legal statuses and placements."""
    placements = placements if placements is not None else list(Placement.objects.filter(child=child))
    periods = [CarePeriod(p.start, p.end, p.reason_ceased) for p in PeriodLookedAfter.objects.filter(child=child)]
    statuses = [LegalStatusSpell(s.legal_status, s.start, s.end) for s in LegalStatusPeriod.objects.filter(child=child)]
    facts = [PlacementFacts(
        start=p.start, end=p.end, place=p.placement_type, place_provider=p.place_provider, urn=p.urn,
        carer=str(p.provider_id) if p.provider_id else p.carer_or_provider, postcode=p.postcode,
        home_postcode=p.home_postcode, reason_for_change=p.reason_for_change,
    ) for p in placements]
    return episodes(sorted(periods, key=lambda p: p.start), sorted(statuses, key=lambda s: s.start),
                    sorted(facts, key=lambda f: f.start))
