"""The placement and arrival pages in the browser: axe (WCAG 2.2 AA) and the checks axe cannot make
on the placement page, the arrival form, the form after a failed submit, and the confirmation."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from .support import (
    assert_error_state,
    assert_no_axe_violations,
    assert_reflows,
    assert_skip_link_first,
    assert_structure,
    submit,
)

OUTCOME = re.compile(r"Transfer made (within 5 working days|in \d+ working days?: outside the deadline)")


@pytest.fixture
def referral(world: Any, make_user: Any) -> Any:
    """An accepted NTS referral, received two days ago, section 20 approved, the child allocated to
    the team's social worker."""
    from harbour.accounts.models import Role
    from harbour.children import services
    from harbour.core.calendar import council_calendar
    from harbour.domain.timescales import nts_transfer_due
    from harbour.referrals.models import Referral, Section20Approval

    received_at = timezone.now() - dt.timedelta(days=2)
    received_on = timezone.localtime(received_at).date()
    child = services.child_create(
        actor=world.leader, identity={"given_names": "Dawit", "family_name": "Tesfay", "is_uasc": True,
                                      "home_office_reference": "HO-7654321"},
        date_of_birth=dt.date(received_on.year - 15, 5, 20), date_of_birth_source="claimed",
        social_worker=world.worker, today=received_on,
    )
    referral = Referral.objects.create(
        child=child, team=world.team, received_at=received_at, referring_authority="Home Office NTS team",
        nts_reference="NTS-2026-0420", transfer_due=nts_transfer_due(received_on, council_calendar(), 5),
        transfer_working_days=5, status=Referral.Status.ACCEPTED, recorded_by=world.leader,
    )
    director = make_user(Role.DIRECTOR, username="director", first_name="Dee", last_name="Director")
    Section20Approval.objects.create(referral=referral, approved_by=director, approved_at=received_at)
    return referral


def check(page: Page, *, reflow: bool = False) -> None:
    assert_structure(page)
    assert_no_axe_violations(page)
    if reflow:
        assert_reflows(page)


def test_placement_page(world: Any, referral: Any, signed_in_page: Any, make_user: Any) -> None:
    from harbour.accounts.models import Role

    officer = make_user(Role.PLACEMENTS_OFFICER, username="placements", first_name="Pip", last_name="Placer")
    page = signed_in_page(officer)
    response = page.goto(f"/referrals/{referral.pk}/placement/")
    assert response is not None and response.status == 200
    assert_skip_link_first(page)
    check(page, reflow=True)

    submit(page, "Start the placement search")
    submit(page, "Confirm placement")
    assert_error_state(page, "Enter where the child will live, for example Harbourside intake base")
    assert_no_axe_violations(page)

    page.get_by_label("Where will the child live when they arrive?").fill("Harbourside intake base")
    submit(page, "Confirm placement")
    expect(page.locator(".govuk-summary-list")).to_contain_text("Harbourside intake base, confirmed")
    check(page)


def test_arrival_form_its_errors_and_the_confirmation(world: Any, referral: Any, signed_in_page: Any) -> None:
    page = signed_in_page(world.leader)
    response = page.goto(f"/referrals/{referral.pk}/arrival/")
    assert response is not None and response.status == 200
    assert_skip_link_first(page)
    check(page, reflow=True)

    submit(page, "Record arrival")
    assert_error_state(page, "Enter the date of arrival", "Enter the time of arrival",
                       "Select the type of first placement",
                       "Enter the name of the carer or provider, for example Harbourside intake base")
    assert_no_axe_violations(page)

    # A time that is not a time, then the corrected form.
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    page.fill("#id_arrived_on-day", str(yesterday.day))
    page.fill("#id_arrived_on-month", str(yesterday.month))
    page.fill("#id_arrived_on-year", str(yesterday.year))
    page.get_by_label("Time of arrival").fill("25:99")
    page.get_by_label("K2: children's home").check()
    page.get_by_label("Carer or provider name").fill("Harbourside intake base")
    submit(page, "Record arrival")
    assert_error_state(page, "Time of arrival must be a real time, like 9:30am or 14:30")
    assert_no_axe_violations(page)

    page.get_by_label("Time of arrival").fill("12:00")
    page.get_by_label("Postcode of the placement (optional)").fill("hs1 2ab")
    submit(page, "Record arrival")
    assert page.url.endswith(f"/referrals/{referral.pk}/arrival/done/")
    expect(page.locator(".govuk-panel h1")).to_have_text("Arrival recorded")
    expect(page.locator(".govuk-panel")).to_contain_text(OUTCOME)
    expect(page.locator("table")).to_contain_text("Refer for immigration legal advice")
    expect(page.get_by_text("No Home Office rate recorded for")).to_be_visible()
    assert_skip_link_first(page)
    check(page, reflow=True)

    # A task marked done from the same page (a team leader may, as may the allocated worker).
    submit(page, "Mark as done (Refer for immigration legal advice)")
    expect(page.locator("table")).to_contain_text("Done")
    check(page)


def test_arrival_form_that_cannot_be_used_yet(world: Any, referral: Any, signed_in_page: Any) -> None:
    referral.section20_approval.delete()
    page = signed_in_page(world.worker)
    response = page.goto(f"/referrals/{referral.pk}/arrival/")
    assert response is not None and response.status == 200
    expect(page.locator(".govuk-warning-text")).to_contain_text("You cannot record the arrival yet")
    expect(page.locator("main")).to_contain_text("The director must approve section 20 accommodation")
    check(page)
