"""Reads for the deep dives: care leavers' placement histories against their outcomes.

Only children the access module lets the user see are read, in three queries whatever the
caseload (the children, their placements, their keeping-in-touch records); the grouping is
pure (:mod:`harbour.domain.care_journeys`).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from harbour.accounts import access
from harbour.domain.care_journeys import (
    KIND_LABELS,
    HomelessRow,
    Journey,
    OutcomeRow,
    Stay,
    homeless_by_home,
    homeless_journeys,
    outcomes_by_home,
)
from harbour.leaving_care.models import AdviserContact
from harbour.placements.models import Placement


@dataclass(frozen=True)
class Homeless:
    child_id: str
    name: str
    journey: str  # "Foster care, then residential care"


@dataclass(frozen=True)
class DeepDives:
    outcomes: list[OutcomeRow]
    homeless: list[Homeless]
    names: dict[str, str]  # child id to the name shown, for the children the user may see
    homeless_by_home: list[HomelessRow]  # the homelessness journeys counted by where they mostly lived


def care_leavers_journeys(user: Any, today: date) -> DeepDives:
    visible = access.children_visible_to(user)
    contacts = (AdviserContact.objects.filter(child__in=visible)
                .order_by("child_id", "contacted_on", "pk")
                .values_list("child_id", "activity", "accommodation"))
    activity: dict[str, str] = {}
    accommodation: dict[str, list[str]] = defaultdict(list)
    for child_id, child_activity, code in contacts:
        activity[str(child_id)] = child_activity  # the latest record wins: they are in date order
        accommodation[str(child_id)].append(code)
    stays: dict[str, list[Stay]] = defaultdict(list)
    for child_id, placement_type, start, end in (
            Placement.objects.filter(child__in=visible, child_id__in=AdviserContact.objects.values("child_id"))
            .values_list("child_id", "placement_type", "start", "end")):
        stays[str(child_id)].append(Stay(placement_type, start, end))
    names = {str(pk): " ".join(p for p in (given, family) if p) or "Name not known"
             for pk, given, family in visible.filter(pk__in=[*activity]).values_list(
                 "pk", "given_names", "family_name")}
    journeys = [Journey(child_id, tuple(stays[child_id]), activity[child_id], tuple(accommodation[child_id]))
                for child_id in sorted(activity)]
    homeless = [Homeless(child_id, names.get(child_id, ""),
                         ", then ".join(KIND_LABELS[kind].lower() for kind in sequence).capitalize()
                         or "No placements recorded")
                for child_id, sequence in homeless_journeys(journeys)]
    return DeepDives(outcomes_by_home(journeys, today), sorted(homeless, key=lambda h: h.name), names,
                     homeless_by_home(journeys, today))
