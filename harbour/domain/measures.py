"""The performance measure library: one small class per measure, each counting plain records
for one reporting period.

Pure counting over dataclasses (no Django): :mod:`harbour.reporting.measures` loads the records
a user may see into :class:`MeasureData` and the dashboards, the board report and the API all
read the same :class:`Figure` from here. The counting rules are written down in docs/adr/0012.

Every figure is a numerator out of a denominator, with the children behind it, so that a figure
can always be opened to the records it counts. How an occurrence with a due date counts is the
IRO measures' rule (:mod:`harbour.domain.review_measures`): once, in the period its due date falls
in; in time when met by its due date; left out while it is neither met nor yet due.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, NamedTuple

from harbour.domain.ages import add_months, age_on, birthday
from harbour.domain.episodes import SHORT_BREAK_STATUSES, TEMPORARY_PLACES
from harbour.domain.leaving_care import OC3_WINDOW_DAYS, care_leaver_status, oc3_contact_for
from harbour.domain.review_measures import (
    TOOK_PART,
    DueIndex,
    Occurrence,
    ReportingPeriod,
    ReviewHeld,
    late_reasons_of,
    participation_by_code,
)
from harbour.domain.timescales import LeavingCareStatus
from harbour.domain.types import Period

__all__ = [
    "MEASURES",
    "AllocationSpell",
    "CareSpell",
    "ChildFacts",
    "Figure",
    "FundingClaimFacts",
    "LeaverContact",
    "LegalStatusSpell",
    "Measure",
    "MeasureData",
    "PlacementSpell",
    "Transfer",
    "figures",
]

# --- The records the measures count --------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ChildFacts:
    child_id: str
    date_of_birth: date


@dataclass(frozen=True, slots=True)
class Transfer:
    """One NTS referral: the transfer deadline and the day the child arrived (None if not yet)."""

    child_id: str
    referred_on: date
    due: date
    arrived_on: date | None
    withdrawn: bool = False  # withdrawn or contested: no transfer to count


class CareSpell(NamedTuple):  # a named tuple, as Occurrence: thousands a request
    """One period of being looked after."""

    child_id: str
    start: date
    end: date | None


class PlacementSpell(NamedTuple):  # a named tuple, as Occurrence: thousands a request
    child_id: str
    start: date
    end: date | None
    cost_per_week: Decimal | None = None
    place: str = ""  # SSDA903 PLACE: T0 to T4 are temporary, A3 to A6 placed for adoption
    # Who cares for the child: two placements with the same value (not blank) have the same carer,
    # as the SSDA903 episodes decide it (harbour.domain.episodes).
    carer: str = ""


@dataclass(frozen=True)
class LegalStatusSpell:
    """One legal status (SSDA903 LS), for the stability measures' short-break exclusion."""

    child_id: str
    legal_status: str
    start: date
    end: date | None


@dataclass(frozen=True, slots=True)
class LeaverContact:
    """The personal adviser's contact, coded as SSDA903 OC3 records it (reference.md 4.8)."""

    child_id: str
    contacted_on: date
    in_touch: str  # YES, NO, DIED, REFU, NREQ, RHOM
    activity: str  # F1, P1, F2, P2, F4, P4, F5, P5, G4, G5, G6, 0
    accommodation_suitable: bool | None


class AllocationSpell(NamedTuple):  # a named tuple, as Occurrence: thousands a request
    child_id: str
    worker_id: str
    kind: str  # social_worker, iro, personal_adviser
    start: date
    end: date | None


@dataclass(frozen=True, slots=True)
class FundingClaimFacts:
    """The Home Office funding recorded for a child after arrival: a nightly rate from
    ``claim_from`` while they are looked after, and a one-off amount paid once."""

    child_id: str
    claim_from: date
    nightly_rate: Decimal | None
    one_off_amount: Decimal


@dataclass(frozen=True)
class MeasureData:
    """Every record the measures count, for the children within one user's access."""

    children: dict[str, ChildFacts] = field(default_factory=dict)
    occurrences: tuple[Occurrence, ...] = ()
    reviews: tuple[ReviewHeld, ...] = ()
    transfers: tuple[Transfer, ...] = ()
    care: tuple[CareSpell, ...] = ()
    placements: tuple[PlacementSpell, ...] = ()
    legal_statuses: tuple[LegalStatusSpell, ...] = ()
    contacts: tuple[LeaverContact, ...] = ()
    allocations: tuple[AllocationSpell, ...] = ()
    funding: tuple[FundingClaimFacts, ...] = ()
    # Work shared by the measures over one data set (care leavers' birthdays), kept once.
    cache: dict[object, Any] = field(default_factory=dict, compare=False, repr=False)



def _by_child(data: MeasureData, name: str) -> dict[str, list[Any]]:
    """One of ``data``'s kinds of record grouped by child, kept in ``data.cache``: every period asks again."""
    key = ("by_child", name)
    if key not in data.cache:
        found: dict[str, list[Any]] = defaultdict(list)
        for row in getattr(data, name):
            found[row.child_id].append(row)
        data.cache[key] = found
    grouped: dict[str, list[Any]] = data.cache[key]
    return grouped


def _by_due(data: MeasureData, kind: str) -> DueIndex:
    """The occurrences of ``kind`` by due date, kept in ``data.cache``: every period cuts out its own."""
    key = ("by_due", kind)
    if key not in data.cache:
        data.cache[key] = DueIndex.of(data.occurrences, kind)
    index: DueIndex = data.cache[key]
    return index


# --- Figures and measures -----------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    """``numerator`` out of ``denominator`` for one measure and one period, with the children behind it."""

    measure: str
    period: ReportingPeriod
    numerator: int
    denominator: int
    child_ids: tuple[str, ...]  # every child the denominator counts
    counted_ids: tuple[str, ...] = ()  # the children the numerator counts (a child may be in both)

    @property
    def percent(self) -> int | None:
        return None if self.denominator == 0 else round(100 * self.numerator / self.denominator)


class Measure:
    """One measure: what it counts in words, and how (``compute``)."""

    key: str = ""
    title: str = ""
    definition: str = ""
    source: str = ""
    unit: str = "percent"  # "percent" | "count" | "pounds" | "per worker"
    higher_is_better: bool = True
    national_key: str | None = None
    # The kinds of record (MeasureData's fields) it counts, so that a page loads only those.
    needs: frozenset[str] = frozenset()
    # With "occurrences": the kinds of occurrence it counts (review, visit...), so that only those are made.
    kinds: frozenset[str] = frozenset()

    def compute(self, data: MeasureData, period: ReportingPeriod, today: date) -> Figure:
        raise NotImplementedError

    def value(self, figure: Figure) -> float | int | None:
        """The one number a chart plots: a percentage, a count, pounds or children per worker."""
        if self.unit == "percent":
            return figure.percent
        if self.unit == "per worker":
            return None if figure.denominator == 0 else round(figure.numerator / figure.denominator, 1)
        return figure.numerator

    def display(self, figure: Figure) -> str:
        """The figure as a person reads it, with "no data" when there is nothing to count."""
        value = self.value(figure)
        if value is None:
            return "No data"
        if self.unit == "percent":
            return f"{value}%"
        if self.unit == "pounds":
            return f"£{value:,}"
        return f"{value:,}"

    def _figure(self, period: ReportingPeriod, numerator: int, denominator: int, children: Iterable[str],
                counted: Iterable[str] = ()) -> Figure:
        return Figure(self.key, period, numerator, denominator, tuple(sorted(set(children))),
                      tuple(sorted(set(counted))))


class _InTime(Measure):
    """A statutory check held in time, counted by :func:`share_in_time` (the IRO measures)."""

    kind = ""
    needs = frozenset({"occurrences"})

    def __init__(self) -> None:
        self.kinds = frozenset({self.kind})

    def compute(self, data: MeasureData, period: ReportingPeriod, today: date) -> Figure:
        counted = _by_due(data, self.kind).share_in_time(period, today)
        return self._figure(period, counted.count, counted.of, (o.child_id for o in counted.considered),
                            (o.child_id for o in counted.counted))


class NtsTransfersInTime(Measure):
    needs = frozenset({"transfers"})
    key = "nts_transfers"
    title = "NTS transfers within the deadline"
    definition = ("NTS referrals whose transfer deadline (the 5th working day after the referral) falls in the "
                  "period, and how many of those children arrived on or before it. Withdrawn and contested "
                  "referrals are left out; a referral still open before its deadline is not counted yet.")
    source = "NTS referrals and the arrival recorded for each"

    def compute(self, data: MeasureData, period: ReportingPeriod, today: date) -> Figure:
        decided = [t for t in data.transfers if not t.withdrawn and period.covers(t.due)
                   and (t.arrived_on is not None or t.due < today)]
        in_time = [t for t in decided if t.arrived_on is not None and t.arrived_on <= t.due]
        return self._figure(period, len(in_time), len(decided), (t.child_id for t in decided),
                            (t.child_id for t in in_time))


class ReviewsInTime(_InTime):
    key = "reviews"
    kind = "review"
    title = "Reviews held in time"
    definition = ("Looked-after reviews due in the period (20 working days after care starts, then 3 months, "
                  "then every 6 months: SI 2010/959 reg 33) and how many were held by their due date. "
                  "A review not held by its due date is late; one not yet due is not counted yet.")
    source = "The review dates from the deadlines engine and the reviews held"

    def reasons(self, data: MeasureData, period: ReportingPeriod, today: date) -> list[tuple[str, int]]:
        """Why the late reviews of the period were late, most common first."""
        return late_reasons_of(_by_due(data, self.kind).share_in_time(period, today))


class Participation(Measure):
    needs = frozenset({"reviews"})
    key = "participation"
    title = "Children taking part in their reviews"
    definition = ("Reviews held in the period for children aged 4 or over (participation codes PN1 to PN7) and "
                  "how many the child took part in (PN1 to PN6).")
    source = "Reviews held, with the SSDA903 participation code"

    def compute(self, data: MeasureData, period: ReportingPeriod, today: date) -> Figure:
        counted = participation_by_code(data.reviews, period)
        return self._figure(period, counted.took_part, counted.of,
                            (r.child_id for r in counted.reviews if r.participation != "PN0"),
                            (r.child_id for r in counted.reviews if r.participation in TOOK_PART))


class VisitsInTime(_InTime):
    key = "visits"
    kind = "visit"
    title = "Social worker visits in time"
    definition = ("Statutory visits due in the period (SI 2010/959 reg 28) and how many were made by their due "
                  "date.")
    source = "Visit dates from the deadlines engine and the visits recorded"


class HealthAssessmentsInTime(_InTime):
    key = "health"
    kind = "health_assessment"
    title = "Health assessments in time"
    definition = ("Health assessments due in the period (SI 2010/959 reg 7) and how many were done by their due "
                  "date.")
    source = "Health assessment dates from the deadlines engine and the assessments recorded"


class PepsInTime(_InTime):
    key = "peps"
    kind = "pep"
    title = "Personal education plans in time"
    definition = "Personal education plan reviews due in the period and how many were held by their due date."
    source = "PEP dates from the deadlines engine and the PEPs recorded"


def _open_on(start: date, end: date | None, day: date) -> bool:
    return start <= day and (end is None or end >= day)


# --- Placement stability ---------------------------------------------------------------------
#
# Source: DfE, "Stability measures for children looked after in England" (explore-education-
# statistics, reporting year 2024), data set "Placement stability by local authority": children
# looked after on 31 March "with three or more placements during the year", and children "aged under
# 16 looked after continuously for at least 2.5 years and living with the same carer for at least 2
# years"; its data guidance: the figures "exclude children looked after under an agreed series of
# short term placements". Which moves are placements follows the SSDA903 guide's episode codes
# (reference.md 4.3): a new episode for a change of legal status only (RNE L) or of placement type
# with the same carer (RNE T, U) is no new placement, and temporary placements (PLACE T0 to T4:
# hospital, holiday, the carer's holiday, 7 days or less) are not placements the measure counts, the
# child returning to the same carer afterwards staying in one placement. The long-term measure keeps
# the former National Indicator 63's reading of "placed for adoption": an adoptive placement
# (PLACE A3 to A6) counts together with the placement just before it. docs/adr/0012 says more.

PLACED_FOR_ADOPTION = frozenset({"A3", "A4", "A5", "A6"})


@dataclass(frozen=True)
class PlacementRun:
    """One placement as the stability measures count placements: one or more placement records in a
    row with the same carer, with any temporary placements between them."""

    start: date
    end: date | None  # None while it goes on
    carer: str  # as compared: spaces collapsed, case folded ("" when not recorded)
    first_place: str  # the PLACE of the run's first record


def _carer_key(carer: str) -> str:
    return " ".join(carer.split()).casefold()


def _temporary(place: str) -> bool:
    return place.strip().upper() in TEMPORARY_PLACES


def _follows(end: date | None, start: date, temporary: Sequence[PlacementSpell]) -> bool:
    """Whether something starting on ``start`` carries straight on from something ending on ``end``:
    the next day at the latest (an end is the changeover day, as DEC is), or after temporary
    placements that fill the days between."""
    if end is None:
        return True
    reached = end
    while start > reached + timedelta(days=1):
        bridge = [t.end for t in temporary if t.start <= reached + timedelta(days=1) and (t.end is None or t.end > reached)]
        if not bridge:
            return False
        if None in bridge:
            return True
        reached = max(day for day in bridge if day is not None)
    return True


def placement_runs(placements: Iterable[PlacementSpell]) -> list[PlacementRun]:
    """A child's placements as the DfE stability measures count them, oldest first (see above):
    temporary placements (T0 to T4) left out, and a placement with the same carer as the one it
    follows (a change of placement type or of legal status only, or a return from a temporary
    placement) joined to it. A carer not recorded is never "the same carer"."""
    records = sorted(placements, key=lambda p: (p.start, p.end or date.max))
    temporary = [p for p in records if _temporary(p.place)]
    runs: list[PlacementRun] = []
    for record in records:
        if _temporary(record.place):
            continue
        carer = _carer_key(record.carer)
        last = runs[-1] if runs else None
        if last is not None and carer and carer == last.carer and _follows(last.end, record.start, temporary):
            end = None if last.end is None or record.end is None else max(last.end, record.end)
            runs[-1] = replace(last, end=end)
        else:
            runs.append(PlacementRun(record.start, record.end, carer, record.place.strip().upper()))
    return runs


def _runs(data: MeasureData) -> dict[str, list[PlacementRun]]:
    """Every child's placement runs, worked out once for the data set (each period asks again)."""
    key = "placement_runs"
    if key not in data.cache:
        data.cache[key] = {child: placement_runs(rows) for child, rows in _by_child(data, "placements").items()}
    runs: dict[str, list[PlacementRun]] = data.cache[key]
    return runs


def _on_short_breaks(statuses: Sequence[LegalStatusSpell], day: date) -> bool:
    """Whether the legal status in force on ``day`` (the latest to start) is a series of short breaks
    (V3, V4). No legal status recorded is not short breaks."""
    in_force = [s for s in statuses if _open_on(s.start, s.end, day)]
    return bool(in_force) and max(in_force, key=lambda s: s.start).legal_status in SHORT_BREAK_STATUSES


def _in_care_on(data: MeasureData, day: date) -> list[CareSpell]:
    """The periods of care open on ``day``, less children looked after under short breaks that day."""
    statuses = _by_child(data, "legal_statuses")
    return [c for c in data.care
            if _open_on(c.start, c.end, day) and not _on_short_breaks(statuses.get(c.child_id, []), day)]


class ThreeOrMorePlacements(Measure):
    """DfE short-term stability: children looked after on 31 March with three or more placements during
    the year (DfE, "Stability measures for children looked after in England", data set "Placement
    stability by local authority"), placements counted as :func:`placement_runs` counts them and
    children on an agreed series of short breaks left out (the release's data guidance)."""

    needs = frozenset({"care", "placements", "legal_statuses"})
    key = "placements_3_plus"
    title = "Children with 3 or more placements in the year"
    definition = ("Children looked after on the last day of the period, and how many of them had 3 or more "
                  "placements in the 12 months up to that day: the DfE short-term stability measure, counted as "
                  "the DfE counts it. A placement counts if any of it falls in those 12 months. Temporary "
                  "placements (hospital, holidays, the carer's holiday, 7 days or less) are not counted, and a "
                  "child who goes back to the same carer afterwards is still in one placement; a change of "
                  "legal status only, or of placement type with the same carer, is not a new placement. "
                  "Children looked after under an agreed series of short breaks are left out.")
    source = "Periods of care, placements (type and carer) and legal statuses"
    higher_is_better = False

    def compute(self, data: MeasureData, period: ReportingPeriod, today: date) -> Figure:
        day = min(period.end, today)
        year_start = add_months(day, -12) + timedelta(days=1)
        in_care = {c.child_id for c in _in_care_on(data, day)}
        runs = _runs(data)
        # A child with fewer than 3 placements loaded cannot have 3 in the year: not counted through.
        three = [child for child in in_care if len(runs.get(child, ())) >= 3
                 and sum(1 for r in runs[child] if r.start <= day and (r.end is None or r.end >= year_start)) >= 3]
        return self._figure(period, len(three), len(in_care), in_care, three)


class LongTermStability(Measure):
    """DfE long-term stability: children under 16 looked after continuously for at least 2.5 years on
    31 March, and those living with the same carer for at least 2 years (DfE, "Stability measures for
    children looked after in England", data set "Placement stability by local authority"); placed for
    adoption counts with the placement before, as former National Indicator 63 read it."""

    needs = frozenset({"children", "care", "placements", "legal_statuses"})
    key = "placement_2_years"
    title = "Children under 16 with the same carer for 2 years"
    definition = ("Children under 16 on the last day of the period who had been looked after continuously for "
                  "2 and a half years or more, and how many of them had been living with the same carer for 2 "
                  "years or more, or were placed for adoption and had been in that placement and the one before "
                  "it for 2 years or more: the DfE long-term stability measure. Temporary placements and changes "
                  "of legal status or of placement type with the same carer do not break the 2 years. Children "
                  "looked after under an agreed series of short breaks are left out.")
    source = "Periods of care, placements (type and carer), legal statuses and dates of birth"
    national_key = "placement_2_years"

    def compute(self, data: MeasureData, period: ReportingPeriod, today: date) -> Figure:
        day = min(period.end, today)
        long_ago = add_months(day, -30)
        two_years_ago = add_months(day, -24)
        considered = [c.child_id for c in _in_care_on(data, day)
                      if c.start <= long_ago and c.child_id in data.children
                      and age_on(data.children[c.child_id].date_of_birth, day) < 16]
        runs = _runs(data)
        temporary = {child: [p for p in rows if _temporary(p.place)]
                     for child, rows in _by_child(data, "placements").items()}
        stable = [child for child in considered
                  if _two_years_settled(runs.get(child, []), temporary.get(child, []), day, two_years_ago)]
        return self._figure(period, len(stable), len(considered), considered, stable)


def _two_years_settled(runs: Sequence[PlacementRun], temporary: Sequence[PlacementSpell], day: date,
                       two_years_ago: date) -> bool:
    """Whether the placement the child is in on ``day`` (or away from on a temporary placement) began on
    or before ``two_years_ago``, or is an adoptive placement that with the one before it did."""
    # In force on the day: not ended before it (an end is the changeover day), or ended only for
    # temporary placements that last through it; of those, the latest to start (a move that day).
    in_force = [index for index, run in enumerate(runs)
                if run.start <= day and _follows(run.end, day + timedelta(days=1), temporary)]
    if not in_force:
        return False
    index = max(in_force, key=lambda i: runs[i].start)
    run = runs[index]
    if run.start <= two_years_ago:
        return True
    before = runs[index - 1] if index else None
    return (run.first_place in PLACED_FOR_ADOPTION and before is not None
            and _follows(before.end, run.start, temporary) and before.start <= two_years_ago)


# OC3 codes counted by the care leaver measures (reference.md 4.8).
EET_ACTIVITIES = frozenset({"F1", "P1", "F2", "P2", "F4", "P4", "F5", "P5"})
HIGHER_EDUCATION = frozenset({"F1", "P1"})
CARE_LEAVER_AGES = (19, 20, 21)


@dataclass(frozen=True)
class _LeaverBirthday:
    child_id: str
    birthday: date
    contact: LeaverContact | None


def _leaver_birthdays(data: MeasureData, period: ReportingPeriod, today: date) -> list[_LeaverBirthday]:
    """Each care leaver's 19th, 20th or 21st birthday in the period whose OC3 window has closed or
    which has its contact, with the contact nearest the birthday (:func:`oc3_contact_for`)."""
    key = ("leaver_birthdays", today)
    if key not in data.cache:
        data.cache[key] = _all_leaver_birthdays(data, today)
    # The four care leaver measures ask for the same period: kept too.
    in_period = ("leaver_birthdays", today, period)
    if in_period not in data.cache:
        data.cache[in_period] = [b for b in data.cache[key] if period.covers(b.birthday)]
    found: list[_LeaverBirthday] = data.cache[in_period]
    return found


def _all_leaver_birthdays(data: MeasureData, today: date) -> list[_LeaverBirthday]:
    care = _by_child(data, "care")
    contacts = _by_child(data, "contacts")
    found = []
    for child_id, facts in data.children.items():
        spells = [Period(c.start, c.end) for c in care.get(child_id, [])]
        if not spells:
            continue
        for age in CARE_LEAVER_AGES:
            day = birthday(facts.date_of_birth, age)
            # A former relevant young person the day before the birthday: the DfE cohort (looked after
            # 13 weeks from 14, some of it after 16). On the 21st birthday itself the status has ended.
            if day > today + timedelta(days=OC3_WINDOW_DAYS) or care_leaver_status(
                    facts.date_of_birth, spells, day - timedelta(days=1)) != LeavingCareStatus.FORMER_RELEVANT:
                continue
            nearest = oc3_contact_for(day, [c.contacted_on for c in contacts.get(child_id, [])])
            contact = next((c for c in contacts[child_id] if c.contacted_on == nearest), None) if nearest else None
            if contact is not None or day + timedelta(days=OC3_WINDOW_DAYS) < today:
                found.append(_LeaverBirthday(child_id, day, contact))
    return found


class _CareLeavers(Measure):
    """Care leavers aged 19 to 21, counted at each birthday in the period, as the DfE counts them:
    out of every care leaver with a birthday, not only those in touch."""

    source = "Personal advisers' contacts (OC3 codes), periods of care and dates of birth"
    needs = frozenset({"children", "care", "contacts"})

    def counts(self, contact: LeaverContact) -> bool:
        raise NotImplementedError

    def compute(self, data: MeasureData, period: ReportingPeriod, today: date) -> Figure:
        birthdays = _leaver_birthdays(data, period, today)
        counted = [b for b in birthdays if b.contact is not None and self.counts(b.contact)]
        return self._figure(period, len(counted), len(birthdays), (b.child_id for b in birthdays),
                            (b.child_id for b in counted))


class CareLeaversInTouch(_CareLeavers):
    key = "leavers_in_touch"
    title = "Care leavers aged 19 to 21 in touch"
    definition = ("Care leavers whose 19th, 20th or 21st birthday falls in the period, and how many the council "
                  "was in touch with (OC3 IN_TOUCH YES) at the contact nearest the birthday, within 60 days. "
                  "A birthday with no contact counts as not in touch once the 60 days have passed.")
    national_key = "leavers_in_touch"

    def counts(self, contact: LeaverContact) -> bool:
        return contact.in_touch == "YES"


class CareLeaversSuitablyAccommodated(_CareLeavers):
    key = "leavers_suitable_accommodation"
    title = "Care leavers aged 19 to 21 in suitable accommodation"
    definition = ("Care leavers whose 19th, 20th or 21st birthday falls in the period, and how many were in "
                  "accommodation recorded as suitable at the contact nearest the birthday.")
    national_key = "leavers_suitable_accommodation"

    def counts(self, contact: LeaverContact) -> bool:
        return contact.accommodation_suitable is True


class CareLeaversInEet(_CareLeavers):
    key = "leavers_eet"
    title = "Care leavers aged 19 to 21 in education, training or employment"
    definition = ("Care leavers whose 19th, 20th or 21st birthday falls in the period, and how many were in "
                  "education, training or employment (OC3 activity F1, P1, F2, P2, F4, P4, F5 or P5).")
    national_key = "leavers_eet"

    def counts(self, contact: LeaverContact) -> bool:
        return contact.activity in EET_ACTIVITIES


class CareLeaversInHigherEducation(_CareLeavers):
    key = "leavers_higher_education"
    title = "Care leavers aged 19 to 21 in higher education"
    definition = ("Care leavers whose 19th, 20th or 21st birthday falls in the period, and how many were in "
                  "higher education, full or part time (OC3 activity F1 or P1).")
    national_key = "leavers_higher_education"

    def counts(self, contact: LeaverContact) -> bool:
        return contact.activity in HIGHER_EDUCATION


class _Caseload(Measure):
    """Children allocated per worker on the last day of the period: the allocations open that day
    out of the workers who hold at least one."""

    needs = frozenset({"allocations"})
    allocation_kind = ""
    unit = "per worker"
    higher_is_better = False
    source = "Allocations of workers to children"

    def compute(self, data: MeasureData, period: ReportingPeriod, today: date) -> Figure:
        day = min(period.end, today)
        open_ = [a for a in _allocations_of(data, self.allocation_kind)
                 if a.start <= day and (a.end is None or a.end >= day)]
        workers = {a.worker_id for a in open_}
        return self._figure(period, len(open_), len(workers), (a.child_id for a in open_))


def _allocations_of(data: MeasureData, kind: str) -> list[AllocationSpell]:
    """The allocations of one kind, kept in ``data.cache``: every period and caseload asks again."""
    key = ("allocations", kind)
    if key not in data.cache:
        data.cache[key] = [a for a in data.allocations if a.kind == kind]
    found: list[AllocationSpell] = data.cache[key]
    return found


class SocialWorkerCaseload(_Caseload):
    key = "caseload_social_worker"
    allocation_kind = "social_worker"
    title = "Children per social worker"
    definition = ("Children allocated to a social worker on the last day of the period, divided by the number "
                  "of social workers with at least one child allocated.")


class IroCaseload(_Caseload):
    key = "caseload_iro"
    allocation_kind = "iro"
    title = "Children per IRO"
    definition = ("Children allocated to an independent reviewing officer on the last day of the period, "
                  "divided by the number of IROs with at least one child (the IRO Handbook suggests 50 to 70).")


class PersonalAdviserCaseload(_Caseload):
    key = "caseload_personal_adviser"
    allocation_kind = "personal_adviser"
    title = "Young people per personal adviser"
    definition = ("Young people allocated to a personal adviser on the last day of the period, divided by the "
                  "number of personal advisers with at least one.")


def _nights(start: date, end: date | None, period: ReportingPeriod, today: date) -> int:
    """Nights from ``start`` to ``end`` (or today) that fall in the period."""
    first = max(start, period.start)
    last = min(end or today, period.end, today)
    return max(0, (last - first).days + 1) if first <= last else 0


class HomeOfficeFunding(Measure):
    needs = frozenset({"funding", "care", "placements"})
    key = "home_office_funding"
    title = "Home Office funding claimed against placement spend"
    unit = "pounds"
    definition = ("For children with a Home Office funding claim: the funding due for the period (the nightly "
                  "rate for each night looked after from the claim date, plus any one-off amount in the period) "
                  "against what their placements cost in the period (the weekly cost divided by 7, per night). "
                  "The figure is the funding in whole pounds; the percentage is funding as a share of spend. "
                  "Spend counts placement costs only, as Harbour records no other costs.")
    source = "Funding claims (Home Office rates) and placement weekly costs"

    def compute(self, data: MeasureData, period: ReportingPeriod, today: date) -> Figure:
        care = _by_child(data, "care")
        placements = _by_child(data, "placements")
        claimed = spent = Decimal(0)
        children = []
        for claim in data.funding:
            children.append(claim.child_id)
            if claim.nightly_rate is not None:
                for spell in care.get(claim.child_id, []):
                    if spell.end is None or spell.end >= claim.claim_from:
                        start = max(spell.start, claim.claim_from)
                        claimed += claim.nightly_rate * _nights(start, spell.end, period, today)
            if period.covers(claim.claim_from) and claim.claim_from <= today:
                claimed += claim.one_off_amount
            for placement in placements.get(claim.child_id, []):
                if placement.cost_per_week is not None:
                    spent += placement.cost_per_week / 7 * _nights(placement.start, placement.end, period, today)
        return self._figure(period, round(claimed), round(spent), children)

    def value(self, figure: Figure) -> float | int | None:
        return figure.numerator


def _all() -> list[Measure]:
    return [NtsTransfersInTime(), ReviewsInTime(), Participation(), VisitsInTime(), HealthAssessmentsInTime(),
            PepsInTime(), ThreeOrMorePlacements(), LongTermStability(), CareLeaversInTouch(),
            CareLeaversSuitablyAccommodated(), CareLeaversInEet(), CareLeaversInHigherEducation(),
            SocialWorkerCaseload(), IroCaseload(), PersonalAdviserCaseload(), HomeOfficeFunding()]


MEASURES: dict[str, Measure] = {measure.key: measure for measure in _all()}


def figures(data: MeasureData, periods: Sequence[ReportingPeriod], today: date,
            keys: Iterable[str] | None = None) -> dict[str, list[Figure]]:
    """Each measure (or those named in ``keys``, in display order) with one figure per period."""
    wanted = MEASURES if keys is None else {key: MEASURES[key] for key in MEASURES if key in set(keys)}
    return {key: [_computed(data, measure, period, today) for period in periods] for key, measure in wanted.items()}


def _computed(data: MeasureData, measure: Measure, period: ReportingPeriod, today: date) -> Figure:
    """``measure.compute``, kept in ``data.cache``: the board report asks for its quarter and the one
    before, and again for the 8 quarters of its trend, which hold them. A figure is a pure function of
    the data (one user's, one request's), the period and the day, so the kept one is the same."""
    key = ("figure", measure.key, period, today)
    if key not in data.cache:
        data.cache[key] = measure.compute(data, period, today)
    figure: Figure = data.cache[key]
    return figure
