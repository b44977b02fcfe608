"""The whole service's "What to do next" works out deadlines only for children with open duties
(ADR 0016): the database selection agrees with the deadline engine child by child, closed records
are left out, and the page's query count does not grow with either kind of record."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from harbour.accounts import access
from harbour.accounts.models import Role, Team, User
from harbour.children.models import Child, PeriodLookedAfter
from harbour.children.selectors import (
    case_timelines,
    children_with_open_duties,
    may_have_open_duties,
)
from harbour.core.calendar import council_calendar
from harbour.core.tests.clock import a_morning
from harbour.domain.deadlines import outstanding_deadlines
from harbour.leaving_care.models import NeedsAssessment
from harbour.placements.models import Placement
from harbour.referrals.models import Arrival, Referral
from harbour.reviews.models import Review
from harbour.snapshot.services import SAFETY_MARGIN

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 12, 2)
_serial = itertools.count()
d = dt.date.fromisoformat


def _child(name: str, born: str | None) -> Child:
    return Child.unscoped.create(given_names=name, family_name=f"Dutyfamily{next(_serial)}",
                                 date_of_birth=None if born is None else d(born), date_of_birth_source="claimed")


def _period(child: Child, start: str, end: str | None = None) -> None:
    PeriodLookedAfter.objects.create(child=child, start=d(start), end=None if end is None else d(end))


def _placement(child: Child, start: str, end: str | None = None) -> Placement:
    return Placement.objects.create(child=child, start=d(start), end=None if end is None else d(end),
                                    placement_type="U1", carer_or_provider="Foster carer")


def _referral(child: Child, received: str, status: str, by: User, team: Team) -> Referral:
    return Referral.objects.create(
        child=child, team=team, received_at=timezone.make_aware(dt.datetime.combine(d(received), dt.time(10))),
        referring_authority="Kent", nts_reference=f"NTS{next(_serial)}", transfer_due=d(received) + dt.timedelta(7),
        transfer_working_days=5, status=status, recorded_by=by)


def _hand_built(manager: User) -> dict[str, Child]:
    """One child per case, each named for what makes it in or out."""
    team = manager.team
    assert team is not None
    made = {}

    made["in care"] = child = _child("In care", "2014-04-04")
    _period(child, "2026-06-01")
    _placement(child, "2026-06-01")

    made["closed in 2010 with a missed review"] = child = _child("Closed long ago", "1995-02-01")
    _period(child, "2009-03-02", "2010-07-30")

    made["left care yesterday, reviews missed"] = child = _child("Left yesterday", "2013-05-05")
    _period(child, "2026-01-05", "2026-12-01")

    made["placement left open after the period closed"] = child = _child("Open placement", "2013-05-05")
    _period(child, "2025-01-06", "2026-06-01")
    _placement(child, "2025-01-06")

    made["NTS referral, not yet arrived"] = child = _child("Referred", "2010-09-15")
    _referral(child, "2026-11-30", Referral.Status.ACCEPTED, manager, team)

    made["NTS referral contested"] = child = _child("Contested", "2010-09-15")
    _referral(child, "2026-11-02", Referral.Status.CONTESTED, manager, team)

    made["NTS referral arrived, since left care"] = child = _child("Arrived", "2010-09-15")
    referral = _referral(child, "2026-03-05", Referral.Status.ARRIVED, manager, team)
    _period(child, "2026-03-13", "2026-05-01")
    first = _placement(child, "2026-03-13", "2026-05-01")
    Arrival.objects.create(referral=referral, first_placement=first, within_deadline=False, working_days_taken=6,
                           arrived_at=timezone.make_aware(dt.datetime(2026, 3, 13, 15)), recorded_by=manager)

    # Born on 29 February 2008: looked after from 14 to 17, so an eligible child; 21 on 1 March 2029.
    made["care leaver, no needs assessment"] = child = _child("Leaver", "2008-02-29")
    _period(child, "2022-06-01", "2025-02-28")

    made["care leaver, needs assessment done"] = child = _child("Assessed", "2008-02-29")
    _period(child, "2022-06-01", "2025-02-28")
    NeedsAssessment.objects.create(child=child, completed_on=d("2024-04-01"))

    made["former eligible child now 25, never assessed"] = child = _child("Older", "2001-06-01")
    _period(child, "2015-06-01", "2019-05-31")

    made["open record, never looked after"] = _child("Never in care", "2019-01-01")

    made["no date of birth, closed period"] = child = _child("No birth date", None)
    _period(child, "2024-01-08", "2024-09-30")
    return made


def test_the_selection_leaves_out_exactly_the_children_with_nothing_to_do(make_team, make_user):
    manager = make_user(Role.TEAM_MANAGER, team=make_team())
    made = _hand_built(manager)
    Review.objects.create(child=made["in care"], held_on=d("2026-06-20"), chair=manager)
    visible = access.children_visible_to(manager)
    assert visible.count() == len(made)

    selected, _ = children_with_open_duties(visible=visible, today=TODAY)
    everyone = case_timelines(visible.values("id"), {c.pk: c.date_of_birth for c in visible})
    with_something_to_do = {
        pk for pk, timeline in everyone.items()
        if outstanding_deadlines(timeline, today=TODAY, calendar=council_calendar())
    }
    assert set(selected) == with_something_to_do
    assert {name for name, child in made.items() if child.pk in selected} == {
        "in care", "placement left open after the period closed", "NTS referral, not yet arrived",
        "care leaver, no needs assessment",
    }
    # Closed records are left out by the database, never loaded (one who left care young is loaded
    # in case a needs assessment is owed, and then left out by the rule).
    candidates = set(may_have_open_duties(visible, TODAY).values_list("pk", flat=True))
    assert made["left care yesterday, reviews missed"].pk in candidates
    for name in ("closed in 2010 with a missed review",
                 "former eligible child now 25, never assessed", "open record, never looked after",
                 "no date of birth, closed period", "NTS referral contested"):
        assert made[name].pk not in candidates, name


def _in_care(count: int, start: dt.date) -> None:
    children = Child.unscoped.bulk_create(
        Child(given_names="Incare", family_name=f"Caredfamily{next(_serial)}", date_of_birth=dt.date(2014, 1, 1),
              date_of_birth_source="claimed") for _ in range(count))
    PeriodLookedAfter.objects.bulk_create(PeriodLookedAfter(child=c, start=start) for c in children)
    Placement.objects.bulk_create(Placement(child=c, start=start, placement_type="U1", carer_or_provider="Carer")
                                  for c in children)


def _closed(count: int) -> None:
    children = Child.unscoped.bulk_create(
        Child(given_names="Closed", family_name=f"Closedfamily{next(_serial)}", date_of_birth=dt.date(1980, 1, 1),
              date_of_birth_source="claimed") for _ in range(count))
    PeriodLookedAfter.objects.bulk_create(
        PeriodLookedAfter(child=c, start=dt.date(1994, 1, 1), end=dt.date(1997, 12, 31), reason_ceased="E11")
        for c in children)


def _home(client: Any, clock: Any) -> tuple[int, str]:
    # Later than the deadline snapshot's safety margin after the records were written, so that the
    # warm-up request works out the new children and the measured one reads the snapshot.
    clock.shift(SAFETY_MARGIN + dt.timedelta(minutes=1))
    client.get("/")  # warm: the first request may make the council's settings row
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/")
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_the_whole_service_page_makes_as_many_queries_with_many_closed_records(make_team, make_user, signed_in,
                                                                               time_machine):
    time_machine.move_to(a_morning(), tick=True)
    manager = make_user(Role.TEAM_MANAGER, team=make_team())
    client = signed_in(manager)
    started = timezone.localdate() - dt.timedelta(days=40)  # the first review is overdue for each
    _in_care(10, started)
    _closed(10)
    small, page = _home(client, time_machine)
    # Care plan, first review, health assessment, PEP and first visit: five overdue for each child.
    assert "Overdue: 50<" in page
    _in_care(90, started)
    _closed(400)
    large, page = _home(client, time_machine)
    assert large == small
    assert "Overdue: 500<" in page
    assert "Closed" not in page  # no closed record is listed
    assert "You can see 510 children" in page
