"""Sufficiency: which children need a placement, what the vacancies could take, and the gap.

Sources:
* The sufficiency duty: Children Act 1989 s22G. A local authority must take steps that secure, so
  far as reasonably practicable, sufficient accommodation within its area that meets the needs of
  the children it looks after (s22G(1)-(2)), and in doing so have regard to the benefit of having
  a number of providers and a range of accommodation (s22G(3)). Statutory guidance: "Sufficiency:
  statutory guidance on securing sufficient accommodation for looked after children" (DCSF 2010).
  Knowing demand against capacity, by age, sex and need, is how a council shows it meets the duty.
* Who may be placed where (the same hard rules as matching, harbour.domain.matching): supported
  accommodation is for 16 and 17 year olds only (Supported Accommodation (England) Regulations
  2023, SI 2023/416; SSDA903 validator rule 371); a provider takes only the ages and sex it is
  approved or registered for (Fostering Services (England) Regulations 2011 reg 27(5)).
* A child is a person under 18 (Children Act 1989 s105(1)); ages follow harbour.domain.ages
  (Family Law Reform Act 1969 s9).

Everything here counts children and never names them: the page built on it is read by
commissioners, who see aggregates only.
"""

from __future__ import annotations

from collections import Counter, defaultdict, deque
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from harbour.domain.ages import add_months, age_on, birthday

ADULT_AGE = 18  # Children Act 1989 s105(1)
SUPPORTED_ACCOMMODATION_MINIMUM_AGE = 16  # SI 2023/416; validator rule 371
# "Likely to need a placement soon": a placement with an end date recorded within this window.
# Thirteen weeks: the usual notice a provider gives and the horizon a commissioner can act on.
ENDING_SOON_DAYS = 91
# Young people turning 18 within this many months are counted apart: they need accommodation as
# care leavers (Children (Leaving Care) Act 2000), not a children's placement, so they are not
# part of the gap, but commissioners plan supported lodgings and Staying Put for them.
TURNING_18_MONTHS = 6

# PLACE codes of temporary placements (reference 4.3): a child there needs a settled placement.
TEMPORARY_PLACEMENT_TYPES = frozenset({"T0", "T1", "T2", "T3", "T4"})


class AgeBand(StrEnum):
    UNDER_10 = "under_10"
    AGED_10_TO_15 = "10_to_15"
    AGED_16_AND_17 = "16_and_17"
    NOT_KNOWN = "not_known"  # no date of birth recorded: no vacancy can be matched by age


AGE_BAND_LABELS: dict[AgeBand, str] = {
    AgeBand.UNDER_10: "Under 10",
    AgeBand.AGED_10_TO_15: "10 to 15",
    AgeBand.AGED_16_AND_17: "16 and 17",
    AgeBand.NOT_KNOWN: "Age not known",
}
# How a band reads in a sentence: "Vacancies for 16 and 17 year olds cover ...".
AGE_BAND_PHRASES: dict[AgeBand, str] = {
    AgeBand.UNDER_10: "children under 10",
    AgeBand.AGED_10_TO_15: "10 to 15 year olds",
    AgeBand.AGED_16_AND_17: "16 and 17 year olds",
    AgeBand.NOT_KNOWN: "children whose age is not known",
}
_BAND_AGES: dict[AgeBand, range] = {
    AgeBand.UNDER_10: range(0, 10),
    AgeBand.AGED_10_TO_15: range(10, 16),
    AgeBand.AGED_16_AND_17: range(16, ADULT_AGE),
    AgeBand.NOT_KNOWN: range(0),
}

# The child's sex as recorded (SSDA903 SEX from 2024-25, reference 4.2).
SEXES = ("M", "F", "U")
SEX_LABELS: dict[str, str] = {"M": "Boys", "F": "Girls", "U": "Sex not known"}


def age_band(date_of_birth: date | None, on: date) -> AgeBand | None:
    """The child's age band on ``on`` from the date of birth in use; None at 18 or over.

    No date of birth (or one recorded after ``on``, which cannot be right) is ``NOT_KNOWN``:
    such a child still needs a placement and is counted, but cannot be matched to an age range.
    """
    if date_of_birth is None or date_of_birth > on:
        return AgeBand.NOT_KNOWN
    age = age_on(date_of_birth, on)
    if age >= ADULT_AGE:
        return None
    if age < 10:
        return AgeBand.UNDER_10
    if age < 16:
        return AgeBand.AGED_10_TO_15
    return AgeBand.AGED_16_AND_17


def turns_18_within(date_of_birth: date | None, today: date, months: int = TURNING_18_MONTHS) -> bool:
    """Whether the 18th birthday falls after today and no later than ``months`` calendar months on."""
    if date_of_birth is None:
        return False
    eighteenth = birthday(date_of_birth, ADULT_AGE)
    return today < eighteenth <= add_months(today, months)


# --- Demand: who needs a placement now, and who is likely to soon --------------------------------


class Demand(StrEnum):
    NOW = "now"
    SOON = "soon"


@dataclass(frozen=True)
class PlacementSituation:
    """What the record says about one child's placement, for counting demand."""

    date_of_birth: date | None
    open_request: bool  # a placement request not yet sent, searching, or with an offer chosen
    referral_awaiting_request: bool  # an open NTS referral with no placement request yet
    placement_type: str  # the current placement's PLACE code; "" when the child has none
    at_intake_base: bool  # the current placement is at the council's intake base
    placement_ends_on: date | None  # an end date recorded for the current placement


@dataclass(frozen=True)
class DemandReason:
    demand: Demand
    reason: str  # in words, for the page's explanation of what is counted


NEEDS_NOW_REQUEST = "A placement request is open (not sent, searching, or an offer chosen)"
NEEDS_NOW_REFERRAL = "An NTS referral is open and no placement request has been made yet"
SOON_TEMPORARY = "The current placement is temporary (SSDA903 placement types T0 to T4)"
SOON_INTAKE_BASE = "The child is at the intake base, which is for assessment after arrival, not a home"
SOON_ENDING = f"The current placement is due to end within {ENDING_SOON_DAYS // 7} weeks"
SOON_REASONS = (SOON_TEMPORARY, SOON_INTAKE_BASE, SOON_ENDING)


def placement_demand(situation: PlacementSituation, today: date) -> DemandReason | None:
    """Whether the child needs a placement now, is likely to soon, or neither (None).

    Now: an open placement request, or an open NTS referral with no request yet (the transfer
    needs a placement within days). Soon: a temporary placement, the intake base, or a placement
    with an end date in the next 13 weeks. A young person of 18 or over is not counted: the duty
    in s22G is to children. Checked in that order; the first reason that applies is given.
    """
    band = age_band(situation.date_of_birth, today)
    if band is None:
        return None
    if situation.open_request:
        return DemandReason(Demand.NOW, NEEDS_NOW_REQUEST)
    if situation.referral_awaiting_request:
        return DemandReason(Demand.NOW, NEEDS_NOW_REFERRAL)
    if situation.placement_type in TEMPORARY_PLACEMENT_TYPES:
        return DemandReason(Demand.SOON, SOON_TEMPORARY)
    if situation.placement_type and situation.at_intake_base:
        return DemandReason(Demand.SOON, SOON_INTAKE_BASE)
    ends = situation.placement_ends_on
    if situation.placement_type and ends is not None and today <= ends <= today + timedelta(days=ENDING_SOON_DAYS):
        return DemandReason(Demand.SOON, SOON_ENDING)
    return None


# --- Capacity and the gap --------------------------------------------------------------------------


@dataclass(frozen=True)
class ChildNeedingPlacement:
    age: int | None  # on the day counted; None when no date of birth is recorded
    sex: str  # "M", "F" or "U"


@dataclass(frozen=True)
class Capacity:
    """Vacancies at providers with the same approval: the directory, grouped."""

    ages_from: int
    ages_to: int
    sexes: str  # "any", "M" or "F"
    supported_accommodation: bool  # PLACE K3 (or the retired H5 and P2)
    vacancies: int


def can_take(capacity: Capacity, age: int | None, sex: str) -> bool:
    """The hard rules of matching, for a vacancy and a child of this age and sex.

    A child with no recorded age, or whose sex is not known, is taken only where the rules allow
    without knowing: no age, no match; sex not known, only providers approved for any sex.
    """
    if age is None:
        return False
    if capacity.supported_accommodation and age < SUPPORTED_ACCOMMODATION_MINIMUM_AGE:
        return False
    if not capacity.ages_from <= age <= capacity.ages_to:
        return False
    return capacity.sexes == "any" or capacity.sexes == sex


@dataclass(frozen=True)
class Gap:
    band: AgeBand
    sex: str
    children: int  # who need a placement now
    matching_vacancies: int  # vacancies that could take some child of this age band and sex
    covered: int  # how many of these children the vacancies could take, each in a place of their own

    @property
    def gap(self) -> int:
        return self.children - self.covered


def most_placed(children: Sequence[ChildNeedingPlacement], capacity: Sequence[Capacity]) -> int:
    """The most of these children that the vacancies could take at once, each in a place of their own.

    A maximum flow from the children (grouped by age and sex) through the providers that may take
    them (`can_take`) to each provider group's vacancies: Edmonds-Karp, augmenting along the
    shortest path by its narrowest edge. Grouping keeps the graph small (at most 18 ages by 3
    sexes on one side, one node per distinct approval on the other) whatever the number of
    children. Counting group by group would overstate: one vacancy cannot take a boy and a girl.
    """
    demand = Counter((c.age, c.sex) for c in children if c.age is not None)
    groups = list(demand)
    supply = [item for item in capacity if item.vacancies > 0]
    first_supply = 1 + len(groups)
    source, sink = 0, first_supply + len(supply)
    residual: dict[int, dict[int, int]] = defaultdict(dict)

    def edge(a: int, b: int, amount: int) -> None:
        residual[a][b] = residual[a].get(b, 0) + amount
        residual[b].setdefault(a, 0)

    for i, (age, sex) in enumerate(groups, start=1):
        edge(source, i, demand[(age, sex)])
        for j, item in enumerate(supply, start=first_supply):
            if can_take(item, age, sex):
                edge(i, j, demand[(age, sex)])
    for j, item in enumerate(supply, start=first_supply):
        edge(j, sink, item.vacancies)

    placed = 0
    while path := _shortest_path(residual, source, sink):
        narrowest = min(residual[a][b] for a, b in path)
        for a, b in path:
            residual[a][b] -= narrowest
            residual[b][a] += narrowest
        placed += narrowest
    return placed


def _shortest_path(residual: dict[int, dict[int, int]], source: int, sink: int) -> list[tuple[int, int]]:
    """The edges of a shortest path with room left from source to sink; empty when there is none."""
    came_from = {source: source}
    queue = deque([source])
    while queue and sink not in came_from:
        node = queue.popleft()
        for following, room in residual[node].items():
            if room > 0 and following not in came_from:
                came_from[following] = node
                queue.append(following)
    path: list[tuple[int, int]] = []
    if sink in came_from:
        node = sink
        while node != source:
            path.append((came_from[node], node))
            node = came_from[node]
    return path


def _band_of_age(age: int | None) -> AgeBand | None:
    if age is None:
        return AgeBand.NOT_KNOWN
    for band, ages in _BAND_AGES.items():
        if age in ages:
            return band
    return None


def sufficiency_gaps(
    children: Sequence[ChildNeedingPlacement], capacity: Sequence[Capacity]
) -> list[Gap]:
    """Demand against matching vacancies for each age band and sex, in a fixed order.

    The rows for boys and girls in the three age bands are always there (a row of zeros says
    there is no demand and no vacancy); rows for children whose sex or age is not known appear
    only when there are such children. Each row is worked out as if the group had the vacancies
    to itself, so a vacancy for any child of 0 to 17 counts in every row and the rows do not add
    up: `cover_by_band` and `gap_headline` count the children of a band, or all of them, together.
    """
    rows: list[Gap] = []
    for band in AgeBand:
        for sex in SEXES:
            group = [c for c in children if _band_of_age(c.age) == band and c.sex == sex]
            if (band == AgeBand.NOT_KNOWN or sex == "U") and not group:
                continue
            matching = sum(item.vacancies for item in capacity
                           if item.vacancies > 0 and any(can_take(item, age, sex) for age in _BAND_AGES[band]))
            rows.append(Gap(band=band, sex=sex, children=len(group), matching_vacancies=matching,
                            covered=most_placed(group, capacity)))
    return rows


@dataclass(frozen=True)
class BandCover:
    band: AgeBand
    children: int
    covered: int  # of the band's children, boys, girls and sex not known together

    @property
    def gap(self) -> int:
        return self.children - self.covered


def cover_by_band(children: Sequence[ChildNeedingPlacement], capacity: Sequence[Capacity]) -> list[BandCover]:
    """For each age band with children (the three bands always), how many the vacancies could take."""
    covers = []
    for band in AgeBand:
        group = [c for c in children if _band_of_age(c.age) == band]
        if band == AgeBand.NOT_KNOWN and not group:
            continue
        covers.append(BandCover(band=band, children=len(group), covered=most_placed(group, capacity)))
    return covers


def _children_who_need(count: int) -> str:
    return "1 child who needs" if count == 1 else f"{count} children who need"


def gap_headline(children: Sequence[ChildNeedingPlacement], capacity: Sequence[Capacity]) -> str:
    """The message of the gaps in one sentence.

    The age band with the largest gap: "Vacancies for 16 and 17 year olds cover 3 of the 7
    children who need them". When every child could be placed at once, "Vacancies could cover
    all 7 children who need a placement now". When each band could be covered alone but not all
    of them at once (the same vacancies counted for two bands), the total says so.
    """
    wanted = [c for c in children if _band_of_age(c.age) is not None]
    if not wanted:
        return "No child needs a placement now"
    total, covered = len(wanted), most_placed(wanted, capacity)
    if covered == total:
        return ("Vacancies could cover the 1 child who needs a placement now" if total == 1
                else f"Vacancies could cover all {total} children who need a placement now")
    bands = cover_by_band(wanted, capacity)
    worst = max(bands, key=lambda b: b.gap)  # the first of equal gaps, in band order
    if worst.gap == 0:
        return (f"Vacancies could cover {covered} of the {_children_who_need(total)} a placement now: "
                "the same vacancies are counted for more than one age group")
    if worst.band == AgeBand.NOT_KNOWN:
        who = "1 child" if worst.children == 1 else f"{worst.children} children"
        return f"No vacancy can be matched to the {who} whose age is not known: record a date of birth"
    return (f"Vacancies for {AGE_BAND_PHRASES[worst.band]} cover {worst.covered} of the "
            f"{_children_who_need(worst.children)} them")


def percentage(part: int, whole: int) -> int:
    """``part`` of ``whole`` as a whole percentage, rounded half up; 0 of 0 is 0."""
    if whole <= 0:
        return 0
    return (part * 200 + whole) // (whole * 2)


def out_of_area_headline(out_of_area: int, placed: int) -> str:
    """"4 of the 20 children in a placement (20%) live outside the council's area"."""
    if placed == 0:
        return "No child is in a placement"
    children = "child" if placed == 1 else "children"
    verb = "lives" if out_of_area == 1 else "live"
    return (f"{out_of_area} of the {placed} {children} in a placement ({percentage(out_of_area, placed)}%) "
            f"{verb} outside the council's area")
