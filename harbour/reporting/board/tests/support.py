"""A small council for the board report's tests, counted by hand.

Report period 2026-27-Q2 (July to September 2026); the period before is 2026-27-Q1.
Each young person was looked after from their 14th birthday to the day before their 18th, so
is a former relevant care leaver at 19; their personal adviser's contact is on the 19th birthday.

* Abel, born 10 July 2007: suitable accommodation, at university (F1). Foster care (U4) from 14
  to 17, then a children's home (K2) for a year: mostly foster care.
* Bina, born 20 August 2007: suitable accommodation, not in education or work (G5). A children's
  home (K2) throughout: mostly residential care.
* Cato, born 5 September 2007: unsuitable accommodation, in training (F5). Foster care (U6)
  throughout; recorded homeless (S) on 1 June 2026, before the contact at 19.
* Dawit, born 10 May 2007 (19 in Q1): unsuitable accommodation, not in education or work (G5).
  No placements recorded.

So in Q2, care leavers 19 to 21 in suitable accommodation: 2 of 3 (67%); in Q1: 0 of 1 (0%);
national figure 85% (2019). In education, training or employment in Q2: 2 of 3 (67%). In higher
education: 1 of 3 (33%). Deep dives: mostly foster care Abel and Cato, 1 of 2 at university
(50%); mostly residential Bina, 0 of 1 (0%); homeless: Cato, fostered throughout.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from harbour.accounts.models import Allocation, Role
from harbour.children.models import Child, PeriodLookedAfter
from harbour.domain.ages import birthday
from harbour.leaving_care.models import AdviserContact
from harbour.placements.models import Placement

PERIOD = "2026-27-Q2"


@dataclass
class Council:
    analyst: Any
    manager: Any
    director: Any
    worker: Any
    adviser: Any
    children: dict[str, Child]


def add_leaver(council: Council, name: str, born: dt.date, *, suitable: bool, activity: str,
               stays: tuple[tuple[str, dt.date, dt.date], ...] = (), homeless_on: dt.date | None = None) -> Child:
    child = Child.unscoped.create(given_names=name, family_name="Leaver", date_of_birth=born,
                                  date_of_birth_source="claimed")
    fourteen, eighteen, nineteen = birthday(born, 14), birthday(born, 18), birthday(born, 19)
    PeriodLookedAfter.objects.create(child=child, start=fourteen, end=eighteen - dt.timedelta(days=1),
                                     reason_ceased="E5")
    for placement_type, start, end in stays:
        Placement.objects.create(child=child, start=start, end=end, placement_type=placement_type,
                                 carer_or_provider="Harbour carers", postcode="HB2 1AA")
    Allocation.objects.create(child=child, worker=council.worker, kind=Allocation.Kind.SOCIAL_WORKER, start=fourteen)
    Allocation.objects.create(child=child, worker=council.adviser, kind=Allocation.Kind.PERSONAL_ADVISER,
                              start=eighteen)
    if homeless_on:
        AdviserContact.objects.create(child=child, contacted_on=homeless_on, adviser=council.adviser,
                                      in_touch="YES", activity="G5", accommodation="S", accommodation_suitable=False)
    AdviserContact.objects.create(child=child, contacted_on=nineteen, adviser=council.adviser, in_touch="YES",
                                  activity=activity, accommodation="U" if suitable else "V",
                                  accommodation_suitable=suitable)
    council.children[name] = child
    return child


def build_council(make_user: Any, make_team: Any) -> Council:
    team = make_team()
    council = Council(
        analyst=make_user(Role.PERFORMANCE_ANALYST, username="analyst"), manager=make_user(Role.TEAM_MANAGER, team=team),
        director=make_user(Role.DIRECTOR), worker=make_user(Role.SOCIAL_WORKER, team=team),
        adviser=make_user(Role.PERSONAL_ADVISER, team=team), children={})
    d = dt.date
    add_leaver(council, "Abel", d(2007, 7, 10), suitable=True, activity="F1",
               stays=(("U4", d(2021, 7, 10), d(2024, 7, 9)), ("K2", d(2024, 7, 10), d(2025, 7, 9))))
    add_leaver(council, "Bina", d(2007, 8, 20), suitable=True, activity="G5",
               stays=(("K2", d(2021, 8, 20), d(2025, 8, 19)),))
    add_leaver(council, "Cato", d(2007, 9, 5), suitable=False, activity="F5",
               stays=(("U6", d(2021, 9, 5), d(2025, 9, 4)),), homeless_on=d(2026, 6, 1))
    add_leaver(council, "Dawit", d(2007, 5, 10), suitable=False, activity="G5")
    return council


def figure(content: dict[str, Any], key: str) -> dict[str, Any]:
    """One measure's entry in a report's figures (figures.build), wherever its section is."""
    return next(f for section in content["sections"] for f in section["figures"] if f["key"] == key)
