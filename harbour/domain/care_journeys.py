"""Care leavers' journeys for the board's deep dives: where a young person mostly lived while
in care, set against how they are doing as a care leaver.

The kinds of home come from the SSDA903 placement codes (PLACE; reference.md section 4):
U1 to U6 are foster care, K1, K2, R1 and S1 residential care (secure and other children's
homes, residential schools), K3, H5 and P2 supported or semi-independent accommodation;
anything else is "other". A young person was *mostly* in the kind of home where they spent
the most days in care (ties go to the earlier kind in ``KINDS``, so a result never depends on
the order the records came in). Outcomes are the care leaver's latest keeping-in-touch record
(OC3, Care Leavers (England) Regulations 2010 reg. 8; reference.md 4.8): higher education is
activity F1 or P1; homeless is accommodation S (no fixed abode or homeless) on any record.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

__all__ = ["KINDS", "HomelessRow", "Journey", "OutcomeRow", "Stay", "home_kind", "homeless_by_home", "homeless_journeys",
           "mostly_in", "outcomes_by_home"]

KINDS = ("foster", "residential", "supported", "other")
KIND_LABELS = {"foster": "Foster care", "residential": "Residential care",
               "supported": "Supported or semi-independent accommodation", "other": "Other placements"}
_FOSTER = {"U1", "U2", "U3", "U4", "U5", "U6"}
_RESIDENTIAL = {"K1", "K2", "R1", "S1"}
_SUPPORTED = {"K3", "H5", "P2"}
HIGHER_EDUCATION = {"F1", "P1"}
HOMELESS = {"S"}


def home_kind(placement_type: str) -> str:
    if placement_type in _FOSTER:
        return "foster"
    if placement_type in _RESIDENTIAL:
        return "residential"
    if placement_type in _SUPPORTED:
        return "supported"
    return "other"


@dataclass(frozen=True)
class Stay:
    placement_type: str
    start: date
    end: date | None  # None while it goes on


@dataclass(frozen=True)
class Journey:
    child_id: str
    stays: tuple[Stay, ...]
    activity: str = ""  # the latest OC3 activity code, "" when never recorded
    accommodation_codes: tuple[str, ...] = ()  # every OC3 accommodation code recorded, oldest first


def mostly_in(stays: Iterable[Stay], today: date) -> str | None:
    """The kind of home with the most days in care, or None for a journey with no placements."""
    days = dict.fromkeys(KINDS, 0)
    for stay in stays:
        end = stay.end or today
        days[home_kind(stay.placement_type)] += max((end - stay.start).days + 1, 0)
    if not any(days.values()):
        return None
    return max(KINDS, key=lambda kind: (days[kind], -KINDS.index(kind)))


@dataclass(frozen=True)
class OutcomeRow:
    kind: str
    label: str
    young_people: tuple[str, ...]
    in_higher_education: tuple[str, ...]

    @property
    def percent(self) -> int | None:
        return None if not self.young_people else round(100 * len(self.in_higher_education) / len(self.young_people))


def outcomes_by_home(journeys: Iterable[Journey], today: date) -> list[OutcomeRow]:
    """For each kind of home, the young people mostly in it and those of them in higher education."""
    grouped: dict[str, list[Journey]] = {kind: [] for kind in KINDS}
    for journey in journeys:
        kind = mostly_in(journey.stays, today)
        if kind is not None:
            grouped[kind].append(journey)
    return [OutcomeRow(kind, KIND_LABELS[kind], tuple(j.child_id for j in grouped[kind]),
                       tuple(j.child_id for j in grouped[kind] if j.activity in HIGHER_EDUCATION))
            for kind in KINDS]


def homeless_journeys(journeys: Iterable[Journey]) -> list[tuple[str, Sequence[str]]]:
    """Each young person ever recorded homeless, with their placements' kinds in order
    (a run of the same kind shown once: "foster, residential, foster")."""
    found: list[tuple[str, Sequence[str]]] = []
    for journey in journeys:
        if not HOMELESS.intersection(journey.accommodation_codes):
            continue
        sequence: list[str] = []
        for stay in sorted(journey.stays, key=lambda s: s.start):
            kind = home_kind(stay.placement_type)
            if not sequence or sequence[-1] != kind:
                sequence.append(kind)
        found.append((journey.child_id, tuple(sequence)))
    return found


@dataclass(frozen=True)
class HomelessRow:
    """For one kind of home: the care leavers who mostly lived in it, and those of them ever recorded homeless."""

    kind: str
    label: str
    young_people: tuple[str, ...]
    homeless: tuple[str, ...]

    @property
    def percent(self) -> int | None:
        return None if not self.young_people else round(100 * len(self.homeless) / len(self.young_people))


def homeless_by_home(journeys: Iterable[Journey], today: date) -> list[HomelessRow]:
    """For each kind of home (in ``KINDS`` order), the care leavers mostly in it and those of them
    ever recorded homeless (accommodation S on any record): the homelessness journeys counted, so
    that a board can compare kinds of home, as :func:`outcomes_by_home` does for higher education.
    A journey with no placements is in no kind of home and is not counted here."""
    grouped: dict[str, list[Journey]] = {kind: [] for kind in KINDS}
    for journey in journeys:
        kind = mostly_in(journey.stays, today)
        if kind is not None:
            grouped[kind].append(journey)
    return [HomelessRow(kind, KIND_LABELS[kind], tuple(j.child_id for j in grouped[kind]),
                        tuple(j.child_id for j in grouped[kind] if HOMELESS.intersection(j.accommodation_codes)))
            for kind in KINDS]
