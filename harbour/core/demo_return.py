"""What the demo's SSDA903 return needs that the rest of the demo does not record: the last pass of
`harbour demo`, so that the demo council's return validates clean (issue 8).

The demo's plan, its intake, its leaving-care journey and its ten years of closed cases each write
placements and children; this pass completes the coding a council's social workers record at the
point of work and the return reads: the health assessments of the demo's past cases and whether the child's
immunisations were up to date at each (OC2), the child's home postcode on each placement, the placement
provider code and Ofsted URN, the reason a placement changed when the child stayed in care, the
category of need, the UPN or why it is not known, whether a looked-after girl is a mother, and the
personal adviser's contact near each care leaver's birthday that OC3 reports.
It only fills what is empty, so what a generator chose is kept.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from typing import Any

from harbour.core import demo_data as data
from harbour.core.demo_order import by_child

FOSTER_TYPES = frozenset({"U1", "U2", "U3", "U4", "U5", "U6"})
# Reasons a placement changed, weighted roughly as councils' returns report them.
PLACEMENT_CHANGE_REASONS = (("CARPL", 45), ("LAREQ", 10), ("CREQB", 10), ("CREQO", 8), ("CHILD", 8),
                            ("CLOSE", 5), ("ALLEG", 2), ("STAND", 2), ("OTHER", 10))
# Categories of need of children looked after in England, roughly (DfE, children looked after in
# England 2024): abuse or neglect two thirds, family dysfunction, absent parenting, acute stress.
CATEGORIES_OF_NEED = (("N1", 66), ("N5", 14), ("N4", 7), ("N2", 3), ("N3", 3), ("N6", 1), ("N7", 1))
MOTHERS_IN_DEMO = 2  # young women aged 17 in care who are mothers, to show the field


def _weighted(rng: random.Random, options: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([o[0] for o in options], weights=[o[1] for o in options])[0]


def _urn(name: str) -> str:
    # The same provider name always gets the same made-up URN, in Ofsted's form.
    return f"SC{random.Random(f'harbour-demo-urn-{name}').randint(100000, 999999)}"  # noqa: S311 - made up


def complete_return_coding(*, today: dt.date, seed: int) -> dict[str, int]:
    """Fill the return's empty fields on every demo placement and child, in the caller's transaction."""
    from harbour.children.models import PeriodLookedAfter

    rng = random.Random(f"harbour-demo-return-{seed}")  # noqa: S311 - made-up demo data
    periods: dict[Any, list[Any]] = defaultdict(list)
    for period in PeriodLookedAfter.objects.order_by(*by_child("child__"), "child_id", "start"):
        periods[period.child_id].append(period)
    from harbour.leaving_care.demo import seed_birthday_contacts

    coded = _code_placements(rng, periods)
    mothers = _complete_children(rng, periods, today)
    assessed = _assess_past_cases(rng, periods, today)
    brought_back = _an_assessment_in_every_whole_year(periods, today)
    immunised = _complete_health_assessments(rng)
    contacts = seed_birthday_contacts(today=today, seed=seed)
    return {"placements coded for the return": coded, "mothers recorded": mothers,
            "health assessments of past cases": assessed,
            "late health assessments brought back into their year": brought_back,
            "health assessments with immunisations recorded": immunised,
            "adviser contacts near a birthday": contacts}


def _code_placements(rng: random.Random, periods: dict[Any, list[Any]]) -> int:
    from harbour.placements.codes import NO_PROVIDER_CODE_TYPES, NO_URN_TYPES
    from harbour.placements.models import Placement

    placements: dict[Any, list[Any]] = defaultdict(list)
    for placement in Placement.objects.order_by(*by_child("child__"), "child_id", "start", "end"):
        placements[placement.child_id].append(placement)
    changed = []
    for child_id, rows in placements.items():
        home = rng.choice(data.ALL_IN_AREA_POSTCODES)
        previous = ""
        for placement, following in zip(rows, [*rows[1:], None], strict=True):
            code = placement.placement_type
            # A move is a new address: the same postcode, type, URN and provider as the placement
            # before would be no change of placement at all (rule 435).
            placement.postcode = placement.postcode or rng.choice(
                [c for c in data.ALL_IN_AREA_POSTCODES if c != previous])
            previous = placement.postcode
            if not placement.home_postcode and code != "P1":
                # Home and placement postcodes differ unless the child is placed at home (rule 392d).
                placement.home_postcode = home if home != placement.postcode else rng.choice(
                    [c for c in data.ALL_IN_AREA_POSTCODES if c != placement.postcode])
            in_house = code in FOSTER_TYPES and placement.place_provider in {"", "PR1"}
            if not placement.place_provider and code not in NO_PROVIDER_CODE_TYPES:
                placement.place_provider = "PR1" if code in FOSTER_TYPES else "PR4"
            if not placement.urn and code not in NO_URN_TYPES:
                placement.urn = data.COUNCIL_FOSTERING_URN if in_house else _urn(placement.carer_or_provider)
            if following is not None and not placement.reason_for_change and _same_period(
                    placement, following, periods[child_id]):
                placement.reason_for_change = _weighted(rng, PLACEMENT_CHANGE_REASONS)
            changed.append(placement)
    Placement.objects.bulk_update(changed, ["postcode", "home_postcode", "place_provider", "urn",
                                            "reason_for_change"], batch_size=1000)
    return len(changed)


def _same_period(placement: Any, following: Any, periods: list[Any]) -> bool:
    """Whether the child moved from ``placement`` to ``following`` while staying looked after."""
    return placement.end is not None and any(
        p.start <= placement.end and p.start <= following.start and (p.end is None or following.start < p.end)
        for p in periods)


def _complete_children(rng: random.Random, periods: dict[Any, list[Any]], today: dt.date) -> int:
    from harbour.children.models import Child
    from harbour.core.management.commands.demo import _upn
    from harbour.domain.ages import age_on, birthday

    children = list(Child.unscoped.filter(id__in=list(periods)).order_by(*by_child()))
    mothers = 0
    # Rule 209 counts a child as of school age from their 4th birthday by 31 August before the
    # collection year began; the demo answers for the year in progress.
    school_age_reference = dt.date(today.year - 1 if today.month >= 4 else today.year - 2, 8, 31)
    for child in children:
        if not child.category_of_need:
            child.category_of_need = "N8" if child.is_uasc else _weighted(rng, CATEGORIES_OF_NEED)
        if not child.upn and not child.upn_unknown_reason and child.date_of_birth:
            # Not yet of school age: no UPN yet (UN1, rule 209); unaccompanied: never at school in
            # England (UN2); others have the UPN their school gave them.
            if birthday(child.date_of_birth, 4) > school_age_reference:
                child.upn_unknown_reason = "UN1"
            elif child.is_uasc:
                child.upn_unknown_reason = "UN2"
            else:
                child.upn = _upn(rng, "999", birthday(child.date_of_birth, 5).year)
        if child.sex == "F" and child.is_mother is None:
            # Rule 393 (2024-25 on) asks whether every looked-after girl is a mother.
            child.is_mother = False
            if (mothers < MOTHERS_IN_DEMO and periods[child.id][-1].end is None and child.date_of_birth
                    and age_on(child.date_of_birth, today) >= 17):
                child.is_mother = True
                child.mother_child_date_of_birth = today - dt.timedelta(days=rng.randint(60, 300))
                mothers += 1
    Child.unscoped.bulk_update(children, ["category_of_need", "upn", "upn_unknown_reason", "is_mother",
                                          "mother_child_date_of_birth"], batch_size=1000)
    return mothers


def _collection_years_within(start: dt.date, end: dt.date) -> list[tuple[dt.date, dt.date]]:
    """The collection years (1 April to 31 March) that lie wholly from ``start`` to ``end``."""
    first = start.year if start <= dt.date(start.year, 4, 1) else start.year + 1
    years = []
    while dt.date(first + 1, 3, 31) <= end:
        years.append((dt.date(first, 4, 1), dt.date(first + 1, 3, 31)))
        first += 1
    return years


def _an_assessment_in_every_whole_year(periods: dict[Any, list[Any]], today: dt.date) -> int:
    """A child looked after for a whole collection year has a health assessment in it, which carries
    the year's SDQ (OC2, rule 186). The plan lets an assessment fall up to 24 days late, so one due in
    late March can land in April and leave a year without one; that one is brought back to the day it
    was due. Only the demo's own dates move, and never past the assessment before."""
    from harbour.children.models import Child
    from harbour.domain.timescales import next_health_assessment_due
    from harbour.reviews.models import HealthAssessment

    births = dict(Child.unscoped.filter(id__in=list(periods)).values_list("id", "date_of_birth"))
    assessments: dict[Any, list[Any]] = defaultdict(list)
    for assessment in HealthAssessment.objects.order_by("child_id", "assessed_on"):
        assessments[assessment.child_id].append(assessment)
    moved = []
    for child_id, spells in periods.items():
        born, held = births.get(child_id), assessments.get(child_id, [])
        if born is None:
            continue
        for spell in spells:
            for year_start, year_end in _collection_years_within(spell.start, min(spell.end or today, today)):
                if any(year_start <= a.assessed_on <= year_end for a in held):
                    continue
                before = [a for a in held if a.assessed_on < year_start]
                after = [a for a in held if a.assessed_on > year_end]
                if not before or not after:
                    continue
                due = next_health_assessment_due(before[-1].assessed_on, born)
                if year_start <= due <= year_end:
                    after[0].assessed_on = due
                    moved.append(after[0])
    HealthAssessment.objects.bulk_update(moved, ["assessed_on"], batch_size=1000)
    return len(moved)


def _complete_health_assessments(rng: random.Random) -> int:
    # OC2 IMMUNISATIONS is the latest assessment's answer; about 1 in 10 children in care in England
    # are not up to date (DfE, children looked after in England 2024: 89% up to date).
    from harbour.reviews.models import HealthAssessment

    assessments = list(HealthAssessment.objects.filter(immunisations_up_to_date__isnull=True)
                       .order_by(*by_child("child__"), "assessed_on"))
    for assessment in assessments:
        assessment.immunisations_up_to_date = rng.random() < 0.89
    HealthAssessment.objects.bulk_update(assessments, ["immunisations_up_to_date"], batch_size=1000)
    return len(assessments)


def _assess_past_cases(rng: random.Random, periods: dict[Any, list[Any]], today: dt.date) -> int:
    """Health assessments for the closed cases, which the demo's past (forecasting.demo_history)
    writes without any: the initial one within 20 working days of coming into care, then each review
    before it fell due (every 6 months under 5, 12 from 5: SI 2010/959 reg 7), while in care."""
    from harbour.children.models import Child
    from harbour.domain.timescales import next_health_assessment_due
    from harbour.reviews.models import HealthAssessment

    assessed = set(HealthAssessment.objects.values_list("child_id", flat=True))
    closed = [child_id for child_id, spells in periods.items()
              if child_id not in assessed and all(p.end is not None and p.end < today for p in spells)]
    births = dict(Child.unscoped.filter(id__in=closed).values_list("id", "date_of_birth"))
    rows = []
    for child_id in closed:
        born = births.get(child_id)
        if born is None:
            continue
        for period in periods[child_id]:
            day = period.start + dt.timedelta(days=rng.randint(10, 27))
            while day <= period.end:
                rows.append(HealthAssessment(child_id=child_id, assessed_on=day))
                day = next_health_assessment_due(day, born) - dt.timedelta(days=rng.randint(0, 25))
    HealthAssessment.objects.bulk_create(rows, batch_size=1000)
    return len(rows)
