"""The demo council's past: ten years of children who came into care and left, so that a forecast
has a history to learn from and a backtest has years to check against.

`plan_history` is pure: from `random.Random` and today's date it decides each child's date of
birth, periods looked after, legal status, placements and, for care leavers, the personal adviser
they had. Only closed cases are planned (children who left care before today): the children in
care today are the demo plan's own. Unaccompanied children arrive mostly at 16 or 17 and nearly
all stay until 18; other children come in at every age and most go home, to relatives or to
adoption within a year or two, as in a council's SSDA903 returns. `write_history` saves the plan
with bulk inserts in the demo's transaction. The numbers grow with the size of the demo council.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import uuid
from dataclasses import dataclass, field
from typing import Any

from harbour.core import demo_data as data
from harbour.domain.ages import add_months, birthday
from harbour.domain.leaving_care import care_leaver_status
from harbour.domain.types import Period

YEARS = 10
# Entries a year for each child or young person in the demo council today.
UASC_ENTRIES_PER_CHILD = 0.2
OTHER_ENTRIES_PER_CHILD = 0.25
# (age at entry, weight); then the yearly chance of leaving care before 18 by age band.
UASC_AGES = ((14, 5), (15, 15), (16, 45), (17, 35))
OTHER_AGES = ((0, 18), (2, 9), (4, 8), (6, 9), (8, 8), (11, 12), (13, 13), (14, 10), (16, 13))
OTHER_EXIT_PER_YEAR = ((1, 0.6), (5, 0.55), (10, 0.4), (16, 0.35), (18, 0.3))
UASC_EXIT_PER_YEAR = 0.06
MOVES_PER_YEAR = 0.7
SUPPORTED_TO_25 = {True: 0.35, False: 0.25}
CLOSED_NOTE = "Case closed"
DAY = dt.timedelta(days=1)


@dataclass
class PastChild:
    uasc: bool
    given: str
    family: str
    sex: str
    nationality: str
    date_of_birth: dt.date
    start: dt.date
    end: dt.date
    reason: str
    legal: str
    placements: list[tuple[dt.date, dt.date, str]] = field(default_factory=list)
    adviser: tuple[dt.date, dt.date | None] | None = None
    uuid: uuid.UUID = field(default_factory=uuid.uuid4)


def _weighted(rng: random.Random, options: tuple[tuple[Any, int], ...]) -> Any:
    return rng.choices([o[0] for o in options], weights=[o[1] for o in options])[0]


def _placement_type(rng: random.Random, age: int, uasc: bool) -> str:
    if age >= 16:
        return rng.choices(["K3", "U6", "K2"], weights=[60, 40, 0] if uasc else [40, 40, 20])[0]
    if age >= 10:
        return rng.choices(["U6", "U4", "K2"], weights=[55, 25, 20] if not uasc else [70, 20, 10])[0]
    return rng.choices(["U4", "U6", "U3", "K2"], weights=[40, 35, 20, 5])[0]


def _exit_rate(age: int) -> float:
    return next(rate for below, rate in OTHER_EXIT_PER_YEAR if age < below)


def _placements(rng: random.Random, child: PastChild) -> None:
    day = child.start
    while day <= child.end:
        age = (day - child.date_of_birth).days // 365
        last = min(child.end, day + dt.timedelta(days=max(30, int(rng.expovariate(MOVES_PER_YEAR) * 365))))
        code = _placement_type(rng, age, child.uasc)
        if child.legal == "V4":
            # Short breaks (V4) are never a long-term foster placement (SSDA903 rule 384).
            code = {"U4": "U6", "U1": "U3"}.get(code, code)
        child.placements.append((day, last, code))
        if last >= child.end:
            break
        day = last  # the next placement starts on the changeover day, as SSDA903 DEC is


def _adviser(rng: random.Random, child: PastChild, today: dt.date) -> None:
    """A care leaver's personal adviser from 18: to 21, or to 25 for those who ask (s23C, s23CZB)."""
    turned_18, turned_21, turned_25 = (birthday(child.date_of_birth, age) for age in (18, 21, 25))
    if turned_21 > today:
        child.adviser = (turned_18, None)
    elif rng.random() < SUPPORTED_TO_25[child.uasc]:
        child.adviser = (turned_18, None if turned_25 > today else turned_25 - DAY)
    else:
        child.adviser = (turned_18, turned_21 - DAY)


def _past_child(rng: random.Random, uasc: bool, start: dt.date) -> PastChild:
    if uasc:
        origin = _weighted(rng, tuple((o, o.weight) for o in data.ORIGINS))
        sex = "M" if rng.random() < 0.95 else "F"
        given = rng.choice(origin.female if sex == "F" and origin.female else origin.male).latin
        family, nationality = rng.choice(origin.family).latin, origin.nationality
        age = _weighted(rng, UASC_AGES)
    else:
        sex = "M" if rng.random() < 0.52 else "F"
        given = rng.choice(data.ENGLISH_BOYS if sex == "M" else data.ENGLISH_GIRLS)
        family, nationality = rng.choice(data.ENGLISH_FAMILY), "British"
        age = _weighted(rng, OTHER_AGES)
    born = add_months(start, -(12 * age + rng.randint(0, 11))) - dt.timedelta(days=rng.randint(0, 27))
    adult = birthday(born, 18)
    rate = UASC_EXIT_PER_YEAR if uasc else _exit_rate(age)
    leaves = start + dt.timedelta(days=1 + int(rng.expovariate(rate) * 365.25))
    if leaves < adult:
        end = leaves
        # Adoption (E11) needs a placement order and a placement for adoption (SSDA903 rules 336, 390,
        # 408), which this history does not model: a young child leaves to a child arrangements order.
        reason = "E13" if uasc else rng.choice(["E4A", "E4A", "E41", "E41", "E13"] if age < 5 else ["E4A", "E13", "E41"])
    else:
        end, reason = adult, rng.choice(["E5", "E17", "E6", "E8"])
    legal = "V2" if uasc else rng.choices(["C2", "V2", "V4"], weights=[60, 37, 3])[0]
    return PastChild(uasc=uasc, given=given, family=family, sex=sex, nationality=nationality, date_of_birth=born,
                     start=start, end=end, reason=reason, legal=legal)


def plan_history(*, children: int, seed: int, today: dt.date, keep_open: bool = False) -> list[PastChild]:
    """The closed cases of the last ten years for a demo council of ``children`` children today.

    ``keep_open`` keeps the children still in care today too (their period ends after today), for a
    whole made-up council such as the forecast benchmark's.
    """
    rng = random.Random(f"harbour-demo-history-{seed}")  # noqa: S311 - made-up demo data, not security
    ids = random.Random(f"harbour-demo-history-ids-{seed}")  # noqa: S311
    first = add_months(today, -12 * YEARS)
    span = (today - first).days
    found: list[PastChild] = []
    for uasc, per_child in ((True, UASC_ENTRIES_PER_CHILD), (False, OTHER_ENTRIES_PER_CHILD)):
        for _ in range(math.ceil(children * per_child * YEARS)):
            child = _past_child(rng, uasc, first + dt.timedelta(days=rng.randint(0, span - 1)))
            if child.end >= today and not keep_open:
                continue  # still in care: the demo plan holds the children in care today
            _placements(rng, child)
            if child.end >= birthday(child.date_of_birth, 18) - DAY:
                _adviser(rng, child, today)
            elif care_leaver_status(child.date_of_birth, [Period(child.start, child.end)], child.end + DAY):
                # Left care at 16 or 17 after 13 weeks: a relevant child, with an adviser from then to 21.
                turned_21 = birthday(child.date_of_birth, 21)
                child.adviser = (child.end + DAY, None if turned_21 > today else turned_21 - DAY)
            child.uuid = uuid.UUID(int=ids.getrandbits(128), version=4)
            found.append(child)
    return found


def write_history(*, users: dict[str, Any], today: dt.date, seed: int, children: int) -> dict[str, int]:
    """Save the demo's past in the caller's transaction; return what was made, for the demo's summary."""
    from django.utils import timezone

    from harbour.accounts.models import Allocation
    from harbour.children.models import (
        Child,
        ChildName,
        ChronologyEntry,
        DateOfBirthRecord,
        LegalStatusPeriod,
        PeriodLookedAfter,
    )
    from harbour.domain.names import search_key, sound_key
    from harbour.placements.models import Placement

    past = plan_history(children=children, seed=seed, today=today)
    worker, adviser = users["socialworker"], users["personaladviser"]
    # Each closed case had a social worker for the whole of its time in care (the return's
    # SWEpisodes, rule SW12STG2), taken in turn from the demo's social workers; the allocations
    # ended with the case, so no caseload today counts them.
    social_workers = sorted((u for u in users.values() if u.role == "social_worker"), key=lambda u: u.username)
    rows: dict[str, list[Any]] = {"names": [], "dobs": [], "periods": [], "legal": [], "placements": [],
                                  "social_workers": [], "advisers": [], "notes": []}
    made = [Child(id=p.uuid, given_names=p.given, family_name=p.family, sex=p.sex, nationality=p.nationality,
                  date_of_birth=p.date_of_birth, date_of_birth_source="claimed" if p.uasc else "document",
                  is_uasc=p.uasc) for p in past]
    Child.unscoped.bulk_create(made, batch_size=500)
    for child, p in zip(made, past, strict=True):
        rows["names"] += [ChildName(child=child, kind=kind, name=name, search_key=search_key(name),
                                    sound_key=sound_key(name)) for kind, name in (("given", p.given), ("family", p.family))]
        rows["dobs"].append(DateOfBirthRecord(child=child, date_of_birth=p.date_of_birth,
                                              source="claimed" if p.uasc else "document", recorded_by=worker,
                                              in_use_from=timezone.make_aware(dt.datetime.combine(p.start, dt.time(12)))))
        rows["periods"].append(PeriodLookedAfter(child=child, start=p.start, end=p.end, reason_ceased=p.reason))
        rows["legal"].append(LegalStatusPeriod(child=child, legal_status=p.legal, start=p.start, end=p.end))
        rows["placements"] += [Placement(child=child, start=a, end=b, placement_type=code,
                                         carer_or_provider="Supported accommodation" if code == "K3" else
                                         "Children's home" if code == "K2" else "Foster carer")
                               for a, b, code in p.placements]
        rows["social_workers"].append(Allocation(
            child=child, worker=social_workers[len(rows["social_workers"]) % len(social_workers)],
            kind=Allocation.Kind.SOCIAL_WORKER, start=p.start, end=p.end))
        if p.adviser:
            rows["advisers"].append(Allocation(child=child, worker=adviser, kind=Allocation.Kind.PERSONAL_ADVISER,
                                               start=p.adviser[0], end=p.adviser[1]))
        rows["notes"].append(ChronologyEntry(
            child=child, kind=ChronologyEntry.Kind.NOTE, title=CLOSED_NOTE, recorded_by=worker,
            occurred_at=timezone.make_aware(dt.datetime.combine(p.end, dt.time(16))),
            description="The child ceased to be looked after; the record is kept for 75 years."))
    for model, key in ((ChildName, "names"), (DateOfBirthRecord, "dobs"), (PeriodLookedAfter, "periods"),
                       (LegalStatusPeriod, "legal"), (Placement, "placements"), (Allocation, "social_workers"), (Allocation, "advisers"),
                       (ChronologyEntry, "notes")):
        model.objects.bulk_create(rows[key], batch_size=2000)
    return {"children who left care in the last ten years": len(made),
            "past placements": len(rows["placements"])}


def history_children() -> Any:
    """The demo's closed cases, told apart from the demo plan's children by their closing note."""
    from harbour.children.models import Child

    return Child.unscoped.filter(chronology__title=CLOSED_NOTE, chronology__kind="note").distinct()
