"""The demo council's past NTS transfers, so the NTS and funding figures have something to count.

The demo's unaccompanied children came into care without the referral that brought them; the
sample referrals (harbour.core.demo_intake) are all still awaiting transfer. Here each looked-after
unaccompanied child who came into care in the last two years gets the referral, the arrival on the
day care started and the Home Office funding claim that would have followed: one in four referrals
was received earlier, so that child arrived after the 5-working-day deadline.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.utils import timezone

from harbour.audit.services import record_event
from harbour.children.models import Child, PeriodLookedAfter
from harbour.core.calendar import council_calendar
from harbour.core.demo_order import by_child
from harbour.domain.funding import rate_in_force
from harbour.placements.models import Placement
from harbour.referrals.models import Arrival, FundingClaim, HomeOfficeFundingRate, Referral
from harbour.referrals.services_arrival import dated_rates

TRANSFER_WORKING_DAYS = 5
MOST = 12


def seed_nts_history(*, users: dict[str, Any], today: dt.date, seed: int) -> dict[str, int]:
    leader = users.get("teamleader")
    if leader is None or leader.team is None:
        return {}
    rng = random.Random(seed)  # noqa: S311 - made-up demo dates, not secrets
    calendar = council_calendar()
    rates = {row.pk: row for row in HomeOfficeFundingRate.objects.all()}
    made = 0
    starts = (PeriodLookedAfter.objects.filter(child__is_uasc=True, start__gte=today - dt.timedelta(days=730),
                                               start__lt=today - dt.timedelta(days=7))
              .exclude(child__nts_referrals__isnull=False).order_by("start", *by_child("child__")).select_related("child"))
    for period in starts[:MOST]:
        child: Child = period.child
        placement = Placement.objects.filter(child=child, start__gte=period.start).order_by("start").first()
        if placement is None:
            continue
        received_on = period.start - dt.timedelta(days=rng.choice((2, 3, 4, 10)))
        while not calendar.is_working_day(received_on):
            received_on -= dt.timedelta(days=1)
        due = calendar.add_working_days(received_on, TRANSFER_WORKING_DAYS)
        referral = Referral.objects.create(
            child=child, team=leader.team, referring_authority="Home Office NTS team",
            received_at=timezone.make_aware(dt.datetime.combine(received_on, dt.time(10))),
            nts_reference=f"NTS-DEMO-{3000 + made}", transfer_due=due, transfer_working_days=TRANSFER_WORKING_DAYS,
            status=Referral.Status.ARRIVED, recorded_by=leader)
        Arrival.objects.create(
            referral=referral, arrived_at=timezone.make_aware(dt.datetime.combine(period.start, dt.time(15))),
            first_placement=placement, within_deadline=period.start <= due,
            working_days_taken=calendar.working_days_between(received_on, period.start), recorded_by=leader)
        chosen = rate_in_force(dated_rates(rates.values()), date_of_birth=child.date_of_birth, on=period.start)
        row = rates[chosen.key] if chosen else None
        FundingClaim.objects.create(
            child=child, referral=referral, rate=row, claim_from=period.start,
            nightly_rate=row.nightly_rate if row else None, one_off_amount=row.one_off_amount if row else 0,
            basis=f"{row.description}. Source: {row.source}" if row else "No Home Office rate recorded for the day")
        made += 1
    record_event(actor=None, action="create", record_type="demo.NtsHistory", record_id="nts-history",
                 details={"referrals": made})
    return {"past NTS transfers, with arrival and funding": made}
