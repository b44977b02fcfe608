"""The demo council's NTS intake set-up: the distribution list for the single referral form, the
allocation rota across the children-in-care teams, the UASC practice leads, the director's
delegate for section 20 sign-off, and the Home Office rates. Made-up addresses on .example."""

from __future__ import annotations

import datetime as dt
from typing import Any

# (name, kind, email, partner agency kind or "", only for 16 and over)
DISTRIBUTION_LIST = (
    ("Commissioning team", "commissioning", "commissioning@harbourside.example", "", False),
    ("Placements team", "placements", "placements@harbourside.example", "", False),
    ("Fostering service", "fostering", "fostering@harbourside.example", "", False),
    ("Children in care health team", "health", "lac.health@harbourside.example", "health", False),
    ("Education inclusion service", "education", "inclusion@harbourside.example", "", False),
    ("Harbourside Virtual School", "virtual_school", "virtual.school@harbourside.example", "education", False),
    ("Harbourside MASH", "mash", "mash@harbourside.example", "mash", False),
    ("Harbourside Police public protection unit", "police", "public.protection@harbourside.example", "police", False),
    ("Leaving care team", "leaving_care", "leaving.care@harbourside.example", "", True),
)


def seed_intake(*, users: dict[str, Any], agencies: dict[str, Any], today: dt.date) -> dict[str, int]:
    """Write the intake set-up for the demo's users, in the caller's transaction."""
    from harbour.accounts.models import Role
    from harbour.allocation.models import Leave, PracticeLead, RotaMember, RotaState
    from harbour.referrals.funding_rates import load_default_rates
    from harbour.referrals.models import DistributionEntry, SignOffDelegate

    DistributionEntry.objects.bulk_create([
        DistributionEntry(name=name, kind=kind, email=email, partner_agency=agencies.get(agency),
                          only_for_16_and_over=older)
        for name, kind, email, agency, older in DISTRIBUTION_LIST
    ])
    workers = sorted((u for u in users.values() if u.role == Role.SOCIAL_WORKER),
                     key=lambda u: (u.team.name if u.team else "", u.username))
    # Interleave the teams so that turns go round the service, not team by team: mixed caseloads.
    by_team: dict[str, list[Any]] = {}
    for worker in workers:
        by_team.setdefault(worker.team.name if worker.team else "", []).append(worker)
    order: list[Any] = []
    while any(by_team.values()):
        for members in by_team.values():
            if members:
                order.append(members.pop(0))
    members = [RotaMember(user=worker, position=index + 1, uasc_trained=index % 5 != 4,
                          uasc_trained_on=today - dt.timedelta(days=200) if index % 5 != 4 else None)
               for index, worker in enumerate(order)]
    RotaMember.objects.bulk_create(members)
    RotaState.objects.get_or_create(pk=1)
    leave = []
    if len(order) > 2:
        leave.append(Leave(user=order[1], start=today - dt.timedelta(days=2), end=today + dt.timedelta(days=9),
                           reason="Annual leave"))
    Leave.objects.bulk_create(leave)
    leads = [u for u in workers if u.job_title == "Senior social worker"][:2]
    PracticeLead.objects.bulk_create([
        PracticeLead(user=lead, specialism=specialism)
        for lead, specialism in zip(leads, ("Age assessment and asylum", "Trafficking and exploitation"), strict=False)
    ])
    delegates = 0
    if "teammanager" in users and "director" in users:
        SignOffDelegate.objects.create(user=users["teammanager"], named_by=users["director"],
                                       start=today - dt.timedelta(days=90))
        delegates = 1
    rates = load_default_rates()
    # The shipped rates stop in February 2023, the last a source confirms. A council enters the rate
    # in force from its funding instructions; the demo council has entered one, labelled as such.
    from decimal import Decimal

    from harbour.referrals.models import HomeOfficeFundingRate

    HomeOfficeFundingRate.objects.create(
        description="Demo council's entered rate for 2023 onwards (check the current UASC funding instructions)",
        start=dt.date(2023, 3, 1), min_age=0, max_age=17, nightly_rate=Decimal("114.00"),
        source="Entered by the demo council's administrator [unconfirmed: not from a published instruction]",
    )
    rates += 1
    return {"distribution list entries": len(DISTRIBUTION_LIST), "rota places": len(members),
            "practice leads": len(leads), "sign-off delegates": delegates, "Home Office rates": rates}


# Children referred through the NTS and not yet arrived, so the queue and the workspace have work in
# them when a newcomer signs in. (given, family, script, claimed date of birth as age in years and
# days, nationality, language, religion, where now, working days since referral, how far along)
SAMPLE_REFERRALS = (
    ("Dawit", "Tesfay", "ዳዊት ተስፋይ", (15, 120), "Eritrean", "Tigrinya", "Orthodox Christian",
     "Home Office hotel, Folkestone", 0, "received"),
    ("Mohammad Reza", "Ahmadi", "محمدرضا احمدی", (16, 40), "Afghan", "Dari", "Muslim",
     "Kent Reception and Safe Care Service", 3, "accepted"),
)


def seed_sample_referrals(*, users: dict[str, Any], now: dt.datetime, today: dt.date) -> int:
    """Record the sample referrals through the intake services, as a team leader would."""
    from django.utils import timezone

    from harbour.core.calendar import council_calendar
    from harbour.referrals import services_intake, services_signoff

    leader, director = users.get("teamleader"), users.get("director")
    if leader is None or director is None or leader.team is None:
        return 0
    calendar = council_calendar()
    made = 0
    for index, (given, family, script, (years, days), nationality, language, religion, where, back, stage) in enumerate(
        SAMPLE_REFERRALS
    ):
        received_on = today
        for _ in range(back):
            received_on -= dt.timedelta(days=1)
            while not calendar.is_working_day(received_on):
                received_on -= dt.timedelta(days=1)
        received_at = min(timezone.make_aware(dt.datetime.combine(received_on, dt.time(9, 40 + index))), now)
        born = _years_ago(today, years, days)
        referral = services_intake.referral_create(
            actor=leader, team=leader.team,
            referral_details={
                "received_at": received_at, "referring_authority": "Home Office NTS team",
                "referrer_contact": "nts.referrals@homeoffice.example", "nts_reference": f"NTS-DEMO-{4100 + index}",
                "current_location": where, "current_location_kind": "hotel" if "hotel" in where else "reception_centre",
                "age_assessment_status": "not_disputed",
                "health_information": "Seen by the port health team; no urgent needs recorded.",
                "family_links": "None known in the region.",
                "documents_received": "NTS referral form\nHome Office screening record",
            },
            identity={"given_names": given, "family_name": family, "names_in_original_script": script, "sex": "M",
                      "nationality": nationality, "first_language": language, "interpreter_needed": True,
                      "religion": religion},
            claimed_date_of_birth=born, home_office_date_of_birth=None, link_to_child=None,
            now=now, today=today, calendar=calendar, via="demo",
        )
        if stage == "accepted":
            services_intake.referral_decide(actor=leader, referral=referral, decision="accept", now=now, via="demo")
            services_signoff.approve_section20(actor=director, referral=referral, now=now, via="demo")
        made += 1
    return made


def _years_ago(today: dt.date, years: int, days: int) -> dt.date:
    from harbour.domain.ages import add_months

    return add_months(today, -12 * years) - dt.timedelta(days=days)
