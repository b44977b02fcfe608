"""Issue 3's "Done when", in the browser: a team leader signs in, records an NTS referral (after one
refused for a date in the future, which saves nothing), sees the child already on record who may be
the same child and records a new one, accepts the referral, sends the single referral form to every
agency in one action (each agency acknowledges through its link), the director signs off section 20
from the sign-offs waiting, the team leader allocates the next worker on the rota, confirms the
placement and records the arrival, and the workspace shows the transfer made within 5 working days
with every task completed. axe (WCAG 2.2 AA) and the page structure are checked on every page.

The same journey through the API is tests/flows/test_nts_intake_api.py.

Times are taken from the clock, not frozen (the live server runs in its own thread): the referral
was received two hours ago and the child arrived an hour ago, so the arrival is at most a day after
the referral and always within the deadline, whatever the day and hour the test runs.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from harbour.accounts.models import Role
from harbour.allocation.models import RotaMember, RotaState, RotaTurn
from harbour.children import services as child_services
from harbour.children.models import Child, PeriodLookedAfter
from harbour.core.calendar import council_calendar
from harbour.core.models import OutboxMessage
from harbour.domain.nts import transfer_clock
from harbour.domain.timescales import nts_transfer_due
from harbour.placements.models import Placement
from harbour.referrals.funding_rates import load_default_rates
from harbour.referrals.models import (
    Arrival,
    DistributionEntry,
    FormCopy,
    FundingClaim,
    Referral,
    Section20Approval,
)

from .support import (
    LONG_DATE_WITH_DAY,
    assert_error_state,
    assert_no_axe_violations,
    assert_structure,
    sign_in_through_pages,
    submit,
)

NTS_REFERENCE = "NTS-2026-4411"
AGENCIES = {
    # name: (kind, email, only for a child of 16 or over)
    "Placements team": ("placements", "placements@harbourside.example", False),
    "Children in care health team": ("health", "health@harbourside.example", False),
    "Harbourside Police": ("police", "police@harbourside.example", False),
    "Harbourside MASH": ("mash", "mash@harbourside.example", False),
    "Leaving care team": ("leaving_care", "leaving.care@harbourside.example", True),
}
TASKS = ["Decision", "Send the referral form", "Agencies acknowledged", "Director's sign-off", "Placement search",
         "Allocation", "Arrival"]
INTAKE_BASE = "Harbourside intake base"


def born_on() -> dt.date:
    """1 January, 16 years ago: the child is 16 whenever the test runs (so leaving care is told too),
    and a 1 January date of birth is one of the signs of the same child."""
    return dt.date(timezone.localdate().year - 16, 1, 1)


@pytest.fixture
def council(make_team: Any, make_user: Any) -> dict[str, Any]:
    """The demo council's intake as the API flow test has it: a team leader, a director, three
    UASC-trained social workers on the rota across two teams, the distribution list, the Home
    Office rates, and Mohammed Noori already on record, born on 1 January."""
    team = make_team("Children in care team 1")
    other_team = make_team("Children in care team 2")
    leader = make_user(Role.TEAM_LEADER, team=team, username="leader", first_name="Lena", last_name="Leader",
                       email="leader@harbourside.example")
    director = make_user(Role.DIRECTOR, username="director", first_name="Dee", last_name="Director")
    workers = [make_user(Role.SOCIAL_WORKER, team=t, username=f"worker-{first.lower()}", first_name=first,
                         last_name=last, caseload_limit=18)
               for t, first, last in ((team, "Grace", "Adjei"), (other_team, "Yusuf", "Rahimi"), (team, "Ama", "Mensah"))]
    for position, worker in enumerate(workers, start=1):
        RotaMember.objects.create(user=worker, position=position, uasc_trained=True)
    RotaState.objects.create(last_position=0)
    for name, (kind, email, older) in AGENCIES.items():
        DistributionEntry.objects.create(name=name, kind=kind, email=email, only_for_16_and_over=older)
    load_default_rates()
    known = child_services.child_create(
        actor=workers[0], identity={"given_names": "Mohammed", "family_name": "Noori", "nationality": "Afghan",
                                    "sex": "M", "is_uasc": True},
        date_of_birth=born_on(), date_of_birth_source="claimed", social_worker=workers[0],
        today=timezone.localdate(),
    )
    return {"leader": leader, "director": director, "workers": workers, "known": known}


# --- Helpers ---------------------------------------------------------------------------------------


def check(page: Page) -> None:
    """Every page of the journey: one h1 that starts the title, and no axe violations."""
    assert_structure(page)
    assert_no_axe_violations(page)


def follow(page: Page, link: Locator) -> None:
    with page.expect_navigation():
        link.click()


def fill_date(group: Locator, day: dt.date) -> None:
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def save_referral(page: Page) -> None:
    # With the possible-duplicates panel there is a second "Save referral" button, in the panel.
    with page.expect_navigation():
        page.get_by_role("button", name="Save referral", exact=True).first.click()


def task(page: Page, name: str) -> Locator:
    return page.locator(".govuk-task-list__item").filter(
        has=page.locator(".govuk-task-list__name-and-hint").get_by_text(name, exact=True))


def open_task(page: Page, name: str) -> None:
    follow(page, page.locator(".govuk-task-list").get_by_role("link", name=name, exact=True))


def expect_task(page: Page, name: str, state: str) -> None:
    expect(task(page, name).locator(".govuk-task-list__status")).to_have_text(state)


def back_to_workspace(page: Page) -> None:
    follow(page, page.get_by_role("link", name="Back to the referral").first)
    expect(page.locator("h1")).to_have_text(f"NTS referral {NTS_REFERENCE}")
    check(page)


def local_moment(hours_ago: int, *, not_before_today: bool = False) -> dt.datetime:
    """A moment some hours ago on the council's clock, to the minute (as a person types it); with
    not_before_today, no earlier than midnight this morning."""
    now = timezone.localtime()
    moment = (now - dt.timedelta(hours=hours_ago)).replace(second=0, microsecond=0)
    if not_before_today:
        moment = max(moment, now.replace(hour=0, minute=0, second=0, microsecond=0))
    return moment


# --- The steps -------------------------------------------------------------------------------------


def fill_referral(page: Page, *, received: dt.datetime, received_on: dt.date) -> None:
    referral = page.get_by_role("group", name="The referral", exact=True)
    fill_date(referral.get_by_role("group", name="Date received"), received_on)
    page.get_by_label("Time received").fill(received.strftime("%H:%M"))
    page.get_by_label("Referring authority").fill("Home Office NTS team")
    page.get_by_label("Referrer's contact details").fill("nts.referrals@homeoffice.example")
    page.get_by_label("NTS reference").fill(NTS_REFERENCE)
    page.get_by_label("Home Office reference").fill("HO-7788990")
    page.get_by_label("Given names").fill("Muhammad")  # and no family name
    page.get_by_label("Name in the child's own script").fill("محمد")
    fill_date(page.get_by_role("group", name="Claimed date of birth"), born_on())
    page.get_by_role("group", name="Sex").get_by_label("Male", exact=True).check()
    page.get_by_label("Nationality").fill("Afghan")
    page.get_by_label("First language").fill("Dari")
    page.get_by_role("group", name="Does the child need an interpreter?").get_by_label("Yes", exact=True).check()
    page.get_by_label("Religion").fill("Muslim")
    page.get_by_label("Home Office hotel").check()
    page.get_by_label("Address or name of the place").fill("Home Office hotel, Dover")
    page.get_by_label("Age not disputed").check()
    page.get_by_label("Health information").fill("Scabies treated on arrival")
    page.get_by_label("Family or community links").fill("An uncle in Birmingham")
    page.get_by_label("Documents received with the referral").fill("Home Office referral form\nPort health check")


def record_the_referral(page: Page, council: dict[str, Any], received: dt.datetime) -> Referral:
    """Home page, Referrals in the navigation, the form refused once for a date in the future, the
    possible duplicate, a new child, and the workspace with its clock and tasks."""
    expect(page.locator("h1")).to_have_text("What to do next")
    check(page)
    follow(page, page.get_by_role("navigation", name="Main").get_by_role("link", name="Referrals", exact=True))
    expect(page.locator("h1")).to_have_text("NTS referrals")
    expect(page.get_by_text("There are no open NTS referrals.")).to_be_visible()
    check(page)
    follow(page, page.get_by_role("button", name="Record an NTS referral"))
    expect(page.locator("h1")).to_have_text("Record an NTS referral")
    check(page)

    # Received tomorrow: refused, the form kept as typed, and nothing saved.
    children_before = Child.unscoped.count()
    fill_referral(page, received=received, received_on=timezone.localdate() + dt.timedelta(days=1))
    save_referral(page)
    assert_error_state(page, "Date received must be today or in the past")
    assert_no_axe_violations(page)
    expect(page.get_by_label("Given names")).to_have_value("Muhammad")
    expect(page.get_by_label("Name in the child's own script")).to_have_value("محمد")
    assert Referral.objects.count() == 0
    assert Child.unscoped.count() == children_before
    assert FormCopy.objects.count() == 0 and OutboxMessage.objects.count() == 0

    # The right date: Harbour shows Mohammed Noori, who may be the same child, and saves nothing yet.
    fill_date(page.get_by_role("group", name="Date received"), received.date())
    save_referral(page)
    panel = page.locator("#possible-duplicates")
    expect(panel.get_by_role("heading", name="Children already on record who may be the same child")).to_be_visible()
    known = panel.get_by_role("radio", name="Link this referral to Mohammed Noori")
    expect(known).to_be_visible()
    # Why: the reasons, written out.
    for reason in ("Given name sounds the same (Muhammad", "Family name missing on one record",
                   f"Same date of birth (1 January {born_on().year})", "Same nationality (Afghan)"):
        expect(panel).to_contain_text(reason)
    expect(panel).to_contain_text(f"Date of birth: 1 January {born_on().year}")
    expect(panel.get_by_role("link", name="View Mohammed Noori's record (opens in new tab)")).to_be_visible()
    assert page.title().startswith("Record an NTS referral")
    check(page)
    assert Referral.objects.count() == 0

    # Not the same child: record a new one.
    page.get_by_label("None of these: record a new child").check()
    save_referral(page)
    expect(page.locator("h1")).to_have_text(f"NTS referral {NTS_REFERENCE}")
    referral = Referral.objects.select_related("child").get()
    assert referral.child_id != council["known"].pk
    assert page.url.endswith(f"/referrals/{referral.pk}/")
    expect(page.locator(".govuk-caption-l").first).to_have_text("Muhammad")

    # The clock: "N working days left – due <weekday> <date>", from the day the referral came.
    due = nts_transfer_due(received.date(), council_calendar(), 5)
    assert referral.transfer_due == due
    clock = transfer_clock(due=due, today=timezone.localdate(), calendar=council_calendar())
    assert re.fullmatch(r"\d working days? left – due " + LONG_DATE_WITH_DAY.pattern, clock.text), clock.text
    expect(page.locator("#transfer-clock")).to_contain_text(clock.text)
    expect(page.locator("#transfer-clock .govuk-tag")).to_have_text(clock.tag_text)
    expect(page.locator(".govuk-task-list__item")).to_have_count(len(TASKS))
    for name, state in zip(TASKS, ["Not started", "Not started", "Cannot start yet", "Not started", "Not started",
                                   "Not started", "Cannot start yet"], strict=True):
        expect_task(page, name, state)
    main = page.locator("main")
    expect(main).to_contain_text("محمد")
    expect(main).to_contain_text("Scabies treated on arrival")
    expect(main).to_contain_text("Port health check")
    expect(page.locator(".moj-timeline")).to_contain_text(f"NTS referral {NTS_REFERENCE} received")
    check(page)
    return referral


def accept(page: Page) -> None:
    open_task(page, "Decision")
    expect(page.locator("h1")).to_have_text("Accept or contest the referral")
    check(page)
    page.get_by_label("Accept the referral").check()
    submit(page, "Save decision")
    expect(page.locator("h1")).to_have_text(f"NTS referral {NTS_REFERENCE}")
    expect_task(page, "Decision", "Completed")
    expect(page.locator("main")).to_contain_text("Status: Accepted")
    check(page)


def send_to_every_agency(page: Page) -> list[str]:
    """One button sends the form to all five agencies (the child is 16, so leaving care too); each
    email reaches the mail server and the copy shows as delivered. Returns each agency's link."""
    open_task(page, "Send the referral form")
    expect(page.locator("h1")).to_have_text("Agencies sent the referral form")
    expect(page.locator("main")).to_contain_text("0 of 5 agencies have been sent the form")
    check(page)
    mail.outbox.clear()
    submit(page, "Send the referral form to every agency")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Referral form sent to 5 agencies")
    expect(page.locator("main")).to_contain_text("5 of 5 agencies have been sent the form; 0 have acknowledged it")
    expect(page.get_by_role("button", name="Send the referral form to every agency")).to_have_count(0)
    cards = page.locator(".govuk-summary-card")
    expect(cards).to_have_count(len(AGENCIES))
    for name in AGENCIES:
        card = cards.filter(has=page.get_by_role("heading", name=re.compile(f"^{re.escape(name)}")))
        expect(card.locator(".govuk-tag")).to_have_text("Delivered")
        expect(card).to_contain_text(AGENCIES[name][1])
    check(page)

    # The live server runs in this process, so Django's test mail box has every email.
    assert sorted(m.to[0] for m in mail.outbox) == sorted(email for _, email, _ in AGENCIES.values())
    assert all(NTS_REFERENCE in m.subject for m in mail.outbox)
    # For the child's safety the emails carry no name and no health information.
    assert all("Muhammad" not in m.body and "محمد" not in m.body and "Scabies" not in m.body for m in mail.outbox)
    assert OutboxMessage.objects.filter(state=OutboxMessage.State.SENT).count() == len(AGENCIES)
    assert FormCopy.objects.filter(delivered_at__isnull=False).count() == len(AGENCIES)
    links = []
    for message in mail.outbox:
        match = re.search(r"/shared/[A-Za-z0-9_\-]+/", message.body)
        assert match, message.body
        links.append(match.group(0))
    return links


def every_agency_acknowledges(partner: Page, links: list[str]) -> None:
    """Each agency opens its link (no account) and acknowledges the form."""
    for number, link in enumerate(links, start=1):
        response = partner.goto(link)
        assert response is not None and response.status == 200
        expect(partner.locator("h1")).to_have_text("Single referral form")
        check(partner)
        acknowledge = partner.locator("form").filter(has=partner.get_by_role("button", name="Acknowledge the form"))
        acknowledge.get_by_label("Your name").fill(f"Duty officer {number}")
        submit(partner, "Acknowledge the form")
        expect(partner.locator(".govuk-notification-banner")).to_contain_text(
            "the council can see that you have read the form")
        expect(partner.get_by_text(f"Acknowledged by Duty officer {number}")).to_be_visible()
        check(partner)
    assert FormCopy.objects.filter(acknowledged_at__isnull=False).count() == len(AGENCIES)


def director_signs_off(page: Page, director: Any) -> None:
    sign_in_through_pages(page, director)
    check(page)
    follow(page, page.get_by_role("navigation", name="Main").get_by_role("link", name="Sign-offs", exact=True))
    expect(page.locator("h1")).to_have_text("Sign-offs waiting")
    waiting = page.get_by_role("table", name=re.compile(r"^Waiting for approval \(1\)"))
    expect(waiting).to_contain_text(NTS_REFERENCE)
    check(page)
    follow(page, waiting.get_by_role("link", name="Muhammad", exact=True))
    expect(page.locator("h1")).to_have_text("Approve section 20 accommodation")
    main = page.locator("main")
    expect(main).to_contain_text(NTS_REFERENCE)
    expect(main).to_contain_text("Age not disputed")
    check(page)
    page.get_by_label("Note (optional)").fill("Approved: accommodate under section 20 on arrival")
    submit(page, "Approve section 20 accommodation")
    expect(page.locator("h1")).to_have_text("Sign-offs waiting")
    expect(page.locator("main")).to_contain_text("No sign-offs are waiting.")
    check(page)


def allocate_by_rota(page: Page, grace: Any) -> None:
    open_task(page, "Allocation")
    expect(page.locator("h1")).to_have_text("Allocate a social worker")
    expect(page.locator(".govuk-caption-l").first).to_have_text(f"NTS referral {NTS_REFERENCE}")
    expect(page.locator(".govuk-summary-card__title")).to_have_text("Grace Adjei")
    expect(page.locator(".govuk-summary-card")).to_contain_text("Children in care team 1")
    check(page)
    submit(page, "Allocate Grace Adjei")
    expect(page.locator("h1")).to_have_text(f"NTS referral {NTS_REFERENCE}")
    expect_task(page, "Allocation", "Completed")
    check(page)
    turn = RotaTurn.objects.get()
    assert turn.allocated == grace and not turn.overridden


def confirm_placement_and_record_arrival(page: Page, arrived: dt.datetime) -> None:
    open_task(page, "Placement search")
    expect(page.locator("h1")).to_have_text("Placement on arrival")
    check(page)
    submit(page, "Start the placement search")
    expect(page.locator(".govuk-summary-list")).to_contain_text("Started")
    check(page)
    page.get_by_label("Where will the child live when they arrive?").fill(INTAKE_BASE)
    submit(page, "Confirm placement")
    expect(page.locator(".govuk-summary-list")).to_contain_text(f"{INTAKE_BASE}, confirmed")
    check(page)

    follow(page, page.get_by_role("link", name="Record the child's arrival"))
    expect(page.locator("h1")).to_have_text("Record the child's arrival")
    expect(page.locator("main")).to_contain_text("gives Grace Adjei the tasks")
    check(page)
    fill_date(page.get_by_role("group", name="Date of arrival"), arrived.date())
    page.get_by_label("Time of arrival").fill(arrived.strftime("%H:%M"))
    page.get_by_label("K2: children's home").check()
    expect(page.get_by_label("Carer or provider name")).to_have_value(INTAKE_BASE)  # from the confirmed placement
    page.get_by_label("Postcode of the placement").fill("HB1 2AA")
    submit(page, "Record arrival")

    expect(page.locator(".govuk-panel h1")).to_have_text("Arrival recorded")
    expect(page.locator(".govuk-panel")).to_contain_text("Transfer made within 5 working days")
    tasks = page.get_by_role("table", name="Tasks after arrival")
    expect(tasks).to_contain_text("Refer for immigration legal advice")
    expect(tasks).to_contain_text("Grace Adjei")
    expect(page.get_by_role("heading", name="Home Office funding")).to_be_visible()
    check(page)


def workspace_shows_the_transfer_in_time(page: Page, referral: Referral, arrived: dt.datetime) -> None:
    follow(page, page.get_by_role("link", name="Go to the referral"))
    expect(page.locator("h1")).to_have_text(f"NTS referral {NTS_REFERENCE}")
    # The clock has stopped: "Arrived Sunday 22 November 2026 – due Friday 27 November 2026".
    stopped = transfer_clock(due=referral.transfer_due, today=timezone.localdate(), calendar=council_calendar(),
                             arrived_on=arrived.date())
    assert stopped.tag_text == "Transferred in time"
    clock = page.locator("#transfer-clock")
    expect(clock.locator(".govuk-tag")).to_have_text("Transferred in time")
    expect(clock).to_contain_text(stopped.text)
    for name in TASKS:
        expect_task(page, name, "Completed")
    expect(page.locator("main")).to_contain_text("Status: Child arrived")
    check(page)

    # What was saved, step by step.
    referral.refresh_from_db()
    child = referral.child
    arrival = Arrival.objects.get(referral=referral)
    assert referral.status == Referral.Status.ARRIVED
    assert arrival.within_deadline
    assert timezone.localtime(arrival.arrived_at).replace(tzinfo=None) == arrived.replace(tzinfo=None)
    assert arrival.working_days_taken <= 1
    assert Section20Approval.objects.filter(referral=referral).exists()
    assert Placement.objects.filter(child=child, carer_or_provider=INTAKE_BASE, placement_type="K2",
                                    start=arrived.date()).exists()
    assert PeriodLookedAfter.objects.filter(child=child, start=arrived.date(), end__isnull=True).exists()
    assert FundingClaim.objects.filter(referral=referral, claim_from=arrived.date()).exists()


def child_timeline_shows_the_transfer(page: Page) -> None:
    follow(page, page.get_by_role("link", name="View Muhammad's record"))
    expect(page.locator("h1")).to_have_text("Muhammad")
    check(page)
    page.get_by_role("checkbox", name="NTS transfer").check()
    submit(page, "Filter timeline")
    assert "kind=referral" in page.url
    titles = page.locator(".moj-timeline__title").all_inner_texts()
    expected = {
        f"NTS referral {NTS_REFERENCE} received",
        f"NTS referral {NTS_REFERENCE} accepted",
        "Referral form sent to 5 agencies",
        *(f"Referral form acknowledged by {name}" for name in AGENCIES),
        "Section 20 accommodation approved",
        "Allocated to Grace Adjei",
        "Placement search started",
        "Placement confirmed",
        "Arrived in the council's care, within the transfer deadline",
    }
    assert expected <= set(titles), sorted(expected - set(titles))
    check(page)


# --- The journey ---------------------------------------------------------------------------------


def test_a_newcomer_takes_an_nts_referral_to_arrival_within_five_working_days(
    council: dict[str, Any], new_context: Any,
) -> None:
    # Received two hours ago: yesterday evening if the test runs just after midnight. The child
    # arrives today, an hour ago (or at midnight), so always after the referral and before now.
    received = local_moment(hours_ago=2)
    arrived = local_moment(hours_ago=1, not_before_today=True)

    leader = new_context().new_page()
    sign_in_through_pages(leader, council["leader"])
    referral = record_the_referral(leader, council, received)
    accept(leader)

    links = send_to_every_agency(leader)
    every_agency_acknowledges(new_context().new_page(), links)
    leader.reload()  # the agencies page again: every copy acknowledged
    expect(leader.locator("main")).to_contain_text("5 of 5 agencies have been sent the form; 5 have acknowledged it")
    expect(leader.locator(".govuk-tag", has_text="Acknowledged")).to_have_count(len(AGENCIES))
    check(leader)
    back_to_workspace(leader)
    expect_task(leader, "Send the referral form", "Completed")
    expect_task(leader, "Agencies acknowledged", "Completed")
    expect_task(leader, "Director's sign-off", "Not started")
    expect_task(leader, "Arrival", "Cannot start yet")

    director_signs_off(new_context().new_page(), council["director"])
    leader.reload()
    expect_task(leader, "Director's sign-off", "Completed")
    expect_task(leader, "Arrival", "Not started")
    check(leader)

    allocate_by_rota(leader, council["workers"][0])
    confirm_placement_and_record_arrival(leader, arrived)
    workspace_shows_the_transfer_in_time(leader, referral, arrived)
    child_timeline_shows_the_transfer(leader)
