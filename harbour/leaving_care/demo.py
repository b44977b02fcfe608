"""The demo council's leaving-care and asylum records, written after the children (one line in the
demo command calls :func:`seed_journey`).

It gives every unaccompanied child in care an asylum claim at a believable stage, gives each
personal adviser's care leavers a history of OC3-coded contacts and pathway plans (some due a
contact, some overdue), and adds one young person to `personaladviser`'s caseload who turned 18 a
few weeks ago still waiting for a decision on their asylum claim, whose placement the adviser can
extend in the walk-through.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from harbour.core.demo_order import by_child
from harbour.domain.ages import add_months, birthday
from harbour.domain.asylum import DEFAULT_SEF_WORKING_DAYS, sef_due
from harbour.domain.leaving_care import OC3_WINDOW_DAYS, care_leaver_status
from harbour.domain.types import Period

ACTIVITIES = (("F2", 30), ("F1", 8), ("F4", 10), ("F5", 15), ("P5", 8), ("G5", 20), ("G4", 5), ("G6", 4))
ACCOMMODATION = (("D", 25), ("E", 10), ("U", 30), ("K", 8), ("Z", 10), ("T", 5), ("B", 5), ("V", 4), ("S", 3))
DECISIONS = (("refugee", 55), ("humanitarian", 10), ("uasc_leave", 10), ("refused", 25))
# The young people this module adds to the council, beyond the demo's plan (given and family names).
ADDED_YOUNG_PEOPLE = (("Yonas", "Gebremariam"),)


def _weighted(rng: random.Random, options: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([o for o, _ in options], weights=[w for _, w in options])[0]


def seed_journey(*, users: dict[str, Any], today: dt.date, seed: int) -> dict[str, int]:
    """Write the records in the caller's transaction; return what was written, for the summary."""
    rng = random.Random(seed + 6)  # noqa: S311 - made-up demo data, reproducible from the seed
    claims = _asylum_claims(users, today, rng)
    waiting = _awaiting_decision_at_18(users, today)
    contacts, plans = _adviser_histories(users, today, rng)
    return {"asylum claims": claims + waiting, "adviser contacts": contacts, "pathway plans": plans}


def _asylum_claims(users: dict[str, Any], today: dt.date, rng: random.Random) -> int:
    from harbour.children.models import Child
    from harbour.core.calendar import council_calendar
    from harbour.uasc.models import AsylumClaim

    calendar, by = council_calendar(), users["socialworker"]
    rows = []
    for child in Child.unscoped.filter(is_uasc=True).order_by(*by_child()).prefetch_related("periods_looked_after"):
        periods = list(child.periods_looked_after.all())
        if not periods or child.date_of_birth is None:
            continue
        arrival = min(p.start for p in periods)
        claimed = min(arrival + dt.timedelta(days=rng.randint(5, 40)), today)
        due = sef_due(claimed, calendar, DEFAULT_SEF_WORKING_DAYS)
        claim = AsylumClaim(child=child, claimed_on=claimed, sef_due=due, updated_by=by,
                            legal_representative=rng.choice(("Harbourside Law Centre", "Coastline Immigration Law",
                                                             "Refugee Legal Aid North")))
        days = (today - claimed).days
        if due < today or (days > 50 and rng.random() < 0.8):
            claim.sef_sent_on = min(due - dt.timedelta(days=rng.randint(0, 20)), today)
        if claim.sef_sent_on and days > 240 and rng.random() < 0.85:
            claim.interview_on = claim.sef_sent_on + dt.timedelta(days=rng.randint(60, 180))
            claim.decided_on = min(claim.interview_on + dt.timedelta(days=rng.randint(30, 200)), today)
            claim.interview_on = min(claim.interview_on, claim.decided_on)
            claim.decision = _weighted(rng, DECISIONS)
            if claim.decision == "refused":
                claim.appeal_lodged_on = min(claim.decided_on + dt.timedelta(days=12), today)
            else:
                claim.leave_granted_on = claim.decided_on
                years = 0 if claim.decision == "uasc_leave" else 5
                claim.leave_expires_on = (add_months(claim.decided_on, 30) if years == 0
                                          else birthday(claim.decided_on, years))
        rows.append(claim)
    AsylumClaim.objects.bulk_create(rows)
    return len(rows)


def _awaiting_decision_at_18(users: dict[str, Any], today: dt.date) -> int:
    """Yonas Gebremariam: arrived at 16 and a quarter, turned 18 five weeks ago, no decision yet."""
    from harbour.accounts.models import Allocation
    from harbour.children import services
    from harbour.children.models import LegalStatusPeriod, PeriodLookedAfter
    from harbour.leaving_care.models import AdviserContact, PathwayPlan
    from harbour.placements.models import Placement
    from harbour.uasc.models import AsylumClaim

    worker, adviser = users["socialworker"], users["personaladviser"]
    dob = add_months(today, -18 * 12) - dt.timedelta(days=35)
    arrival, eighteen = add_months(dob, 16 * 12 + 3), birthday(dob, 18)
    child = services.child_create(
        actor=worker, today=today, date_of_birth=dob, date_of_birth_source="claimed", social_worker=worker,
        identity={"given_names": ADDED_YOUNG_PEOPLE[0][0], "family_name": ADDED_YOUNG_PEOPLE[0][1], "sex": "M", "ethnicity": "BAFR",
                  "nationality": "Eritrean", "first_language": "Tigrinya", "interpreter_needed": False,
                  "is_uasc": True, "home_office_reference": "G1207744"},
    )
    PeriodLookedAfter.objects.create(child=child, start=arrival, end=eighteen, reason_ceased="E5")
    LegalStatusPeriod.objects.create(child=child, legal_status="V2", start=arrival, end=eighteen)
    Placement.objects.create(child=child, start=arrival, end=eighteen, placement_type="K3",
                             carer_or_provider="Harbourside Supported Lodgings", postcode="PO4 8HE",
                             home_postcode="PO1 2JN", place_provider="PR1", urn="SC482917")
    Allocation.objects.filter(child=child, kind=Allocation.Kind.SOCIAL_WORKER).update(start=arrival, end=eighteen)
    Allocation.objects.create(child=child, worker=adviser, kind=Allocation.Kind.PERSONAL_ADVISER,
                              start=add_months(dob, 16 * 12 + 6))
    AdviserContact.objects.create(child=child, contacted_on=today - dt.timedelta(days=70), adviser=adviser,
                                  in_touch="YES", activity="F2", accommodation="E", accommodation_suitable=True,
                                  note="Worried about turning 18 with no decision; we talked through the plan.")
    PathwayPlan.objects.create(
        child=child, kind="plan", held_on=today - dt.timedelta(days=100), recorded_by=adviser,
        plan_if_leave_granted="Apply for a council tenancy and a student loan for college.",
        plan_if_no_decision="Extend the supported lodgings past 18; the council funds it until a decision.",
        plan_if_refused="Appeal with Harbourside Law Centre; human rights assessment if appeal rights are exhausted.")
    claimed = arrival + dt.timedelta(days=9)
    AsylumClaim.objects.create(
        child=child, claimed_on=claimed, sef_due=claimed + dt.timedelta(days=84), sef_sent_on=claimed + dt.timedelta(days=70),
        interview_on=add_months(claimed, 11), legal_representative="Harbourside Law Centre", updated_by=worker,
    )
    return 1


def _adviser_histories(users: dict[str, Any], today: dt.date, rng: random.Random) -> tuple[int, int]:
    from harbour.accounts.models import Allocation
    from harbour.children.models import PeriodLookedAfter
    from harbour.leaving_care.models import AccommodationEnding, AdviserContact, PathwayPlan

    allocations = list(Allocation.objects.filter(kind=Allocation.Kind.PERSONAL_ADVISER, end__isnull=True)
                       .select_related("child", "worker"))
    periods: dict[Any, list[Period]] = {}
    for period in PeriodLookedAfter.objects.filter(child_id__in=[a.child_id for a in allocations]):
        periods.setdefault(period.child_id, []).append(Period(period.start, period.end))
    contacts, plans = [], []
    for allocation in sorted(allocations, key=lambda a: (a.child.family_name, a.child.given_names)):
        child, dob = allocation.child, allocation.child.date_of_birth
        if dob is None or (child.given_names, child.family_name) in ADDED_YOUNG_PEOPLE:
            continue
        spells = periods.get(child.pk, [])
        # Most were seen within 2 months; about a third are due a contact soon or overdue.
        gap = rng.choice((12, 20, 30, 38, 45, 50, 55, 58, 62, 75, 95))
        day = today - dt.timedelta(days=gap)
        history = []
        while day >= allocation.start and len(history) < 6:
            history.append(day)
            day -= dt.timedelta(days=rng.randint(35, 60))
        for seen in history:
            if care_leaver_status(dob, spells, seen) is None:
                continue
            in_touch = "YES" if rng.random() < 0.93 else "NO"
            accommodation = "0" if in_touch == "NO" else _weighted(rng, ACCOMMODATION)
            if accommodation == "Z" and seen < birthday(dob, 18):
                accommodation = "D"
            contacts.append(AdviserContact(
                child=child, contacted_on=seen, adviser=allocation.worker, in_touch=in_touch,
                activity="0" if in_touch == "NO" else _weighted(rng, ACTIVITIES), accommodation=accommodation,
                accommodation_suitable=None if accommodation == "0" else (accommodation not in "SV" and rng.random() < 0.92),
            ))
        if care_leaver_status(dob, spells, today) is not None and rng.random() < 0.85:
            held = today - dt.timedelta(days=rng.randint(20, 200))
            plans.append(PathwayPlan(child=child, kind="plan", held_on=max(held, allocation.start),
                                     recorded_by=allocation.worker,
                                     plan_if_leave_granted="Stay in education; move to a council tenancy at 18."
                                     if child.is_uasc else "",
                                     plan_if_no_decision="Extend the placement past 18 and fund it."
                                     if child.is_uasc else "",
                                     plan_if_refused="Legal advice on an appeal; human rights assessment if "
                                                     "appeal rights are exhausted." if child.is_uasc else ""))
    AdviserContact.objects.bulk_create(contacts)
    PathwayPlan.objects.bulk_create(plans)
    # One care leaver on each adviser's caseload has been served notice with no next home yet.
    noticed: set[Any] = set()
    for allocation in allocations:
        dob = allocation.child.date_of_birth
        if allocation.worker_id in noticed or dob is None or dob > add_months(today, -19 * 12):
            continue
        if care_leaver_status(dob, periods.get(allocation.child_id, []), today) is None:
            continue
        AccommodationEnding.objects.create(child=allocation.child, kind="notice", known_on=today - dt.timedelta(days=6),
                                           ends_on=today + dt.timedelta(days=rng.randint(20, 50)),
                                           recorded_by=allocation.worker)
        noticed.add(allocation.worker_id)
    return len(contacts), len(plans)


def contact_day_near(birthday_on: dt.date, offset: int, *, allocated: Period, date_of_birth: dt.date,
                     spells: list[Period]) -> dt.date | None:
    """The day of a demo contact near a birthday: ``offset`` days from it when that day will do (the
    adviser was ``allocated``, and the young person was a care leaver and out of care), otherwise the
    day that will do nearest the birthday within the OC3 window (the earlier on a tie), or None."""
    def will_do(day: dt.date) -> bool:
        return (allocated.covers(day) and not any(spell.covers(day) for spell in spells)
                and care_leaver_status(date_of_birth, spells, day) is not None)

    tried = [offset, *sorted(range(-OC3_WINDOW_DAYS, OC3_WINDOW_DAYS + 1), key=lambda days: (abs(days), days))]
    return next((birthday_on + dt.timedelta(days=days) for days in tried
                 if abs(days) <= OC3_WINDOW_DAYS and will_do(birthday_on + dt.timedelta(days=days))), None)


def seed_birthday_contacts(*, today: dt.date, seed: int) -> int:
    """The contact near each 17th to 21st birthday that the SSDA903 OC3 record reports (rules 131 to
    133), for every personal adviser's care leaver, the demo's past cases too, whose contact history
    (above) does not reach back to the birthday. Called by the demo's last pass, once every allocation
    is written. Only contacts older than the care leaver's others are added, so who is due or overdue
    a contact today is as the history above made it.
    """
    rng = random.Random(f"harbour-demo-birthday-contacts-{seed}")  # noqa: S311 - made-up demo data
    from harbour.accounts.models import Allocation
    from harbour.children.models import PeriodLookedAfter
    from harbour.leaving_care.models import AdviserContact

    allocations = list(Allocation.objects.filter(kind=Allocation.Kind.PERSONAL_ADVISER, start__lte=today)
                       .select_related("child").order_by(*by_child("child__"), "child_id", "start"))
    child_ids = [a.child_id for a in allocations]
    periods: dict[Any, list[Period]] = {}
    for period in PeriodLookedAfter.objects.filter(child_id__in=child_ids).order_by("start"):
        periods.setdefault(period.child_id, []).append(Period(period.start, period.end))
    seen: dict[Any, list[dt.date]] = {}
    for child_id, contacted_on in AdviserContact.objects.filter(child_id__in=child_ids).values_list(
            "child_id", "contacted_on"):
        seen.setdefault(child_id, []).append(contacted_on)
    first_seen = {child_id: min(days) for child_id, days in seen.items()}
    added = []
    for allocation in allocations:
        dob, spells = allocation.child.date_of_birth, periods.get(allocation.child_id, [])
        if dob is None:
            continue
        last_day = min(allocation.end or today, today)
        history_from = first_seen.get(allocation.child_id)
        if history_from is not None:
            last_day = min(last_day, history_from - dt.timedelta(days=1))
        if last_day < allocation.start:
            continue
        for age in range(17, 22):
            near = birthday(dob, age)
            if any(abs((near - other).days) <= OC3_WINDOW_DAYS for other in seen.get(allocation.child_id, [])):
                continue
            day = contact_day_near(near, rng.randint(-20, 30), date_of_birth=dob, spells=spells,
                                   allocated=Period(allocation.start, last_day))
            if day is None:
                continue
            in_touch = "YES" if rng.random() < 0.93 else "NO"
            accommodation = "0" if in_touch == "NO" else _weighted(rng, ACCOMMODATION)
            if accommodation == "Z" and day < birthday(dob, 18):
                accommodation = "D"
            added.append(AdviserContact(
                child=allocation.child, contacted_on=day, adviser_id=allocation.worker_id, in_touch=in_touch,
                activity="0" if in_touch == "NO" else _weighted(rng, ACTIVITIES), accommodation=accommodation,
                accommodation_suitable=None if accommodation == "0" else (accommodation not in "SV" and rng.random() < 0.92),
            ))
            seen.setdefault(allocation.child_id, []).append(day)
    AdviserContact.objects.bulk_create(added)
    return len(added)
