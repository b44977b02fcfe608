"""NTS intake pages in the browser: the referral queue (with referrals and empty), the referral form
(empty, after a failed submit, and with the possible-duplicates panel), the referral workspace and
the decision page. Each passes axe (WCAG 2.2 AA) and the checks axe cannot make."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from .support import (
    LONG_DATE_WITH_DAY,
    assert_error_state,
    assert_no_axe_violations,
    assert_reflows,
    assert_skip_link_first,
    assert_structure,
    submit,
)


def fill_date(page: Page, field_id: str, day: dt.date) -> None:
    page.fill(f"#{field_id}-day", str(day.day))
    page.fill(f"#{field_id}-month", str(day.month))
    page.fill(f"#{field_id}-year", str(day.year))


def save_referral(page: Page) -> None:
    # With the duplicates panel there is a second "Save referral" button in it: either will do.
    with page.expect_navigation():
        page.get_by_role("button", name="Save referral", exact=True).first.click()


@pytest.fixture
def referral(world: Any) -> Any:
    """An NTS referral to the world's team: Dawit Tesfay, received an hour ago."""
    from harbour.core.calendar import council_calendar
    from harbour.referrals import services_intake

    return services_intake.referral_create(
        actor=world.leader, team=world.team,
        referral_details={"received_at": timezone.now() - dt.timedelta(hours=1), "referring_authority": "Kent County Council",
                          "nts_reference": "NTS-2026-0042", "current_location_kind": "reception_centre",
                          "current_location": "Kent Reception and Safe Care Service", "health_information": "Asthma",
                          "documents_received": "Home Office letter\nPhotograph"},
        identity={"given_names": "Dawit", "family_name": "Tesfay", "sex": "M", "nationality": "Eritrean",
                  "first_language": "Tigrinya", "interpreter_needed": True},
        claimed_date_of_birth=dt.date(timezone.localdate().year - 15, 9, 1), home_office_date_of_birth=None,
        link_to_child=None, now=timezone.now(), today=timezone.localdate(), calendar=council_calendar(),
    )


def check_page(page: Page, *, reflow: bool = False) -> None:
    assert_structure(page)
    assert_skip_link_first(page)
    assert_no_axe_violations(page)
    if reflow:
        assert_reflows(page)


def test_queue(world: Any, referral: Any, signed_in_page: Any) -> None:
    page = signed_in_page(world.leader)
    response = page.goto("/referrals/")
    assert response is not None and response.status == 200
    expect(page.locator("h1")).to_have_text("NTS referrals")
    table = page.get_by_role("table", name="Open referrals (1)")
    expect(table).to_contain_text("Dawit Tesfay")
    expect(table).to_contain_text("NTS-2026-0042")
    expect(table).to_contain_text("working days left")
    assert LONG_DATE_WITH_DAY.search(table.inner_text()), table.inner_text()
    expect(page.get_by_role("navigation", name="Main").get_by_role("link", name="Referrals")).to_be_visible()
    check_page(page, reflow=True)


def test_queue_empty(world: Any, make_user: Any, make_team: Any, referral: Any, signed_in_page: Any) -> None:
    from harbour.accounts.models import Role

    other = make_user(Role.TEAM_LEADER, team=make_team("Children in care team 2"), username="other-leader")
    page = signed_in_page(other)
    page.goto("/referrals/")
    expect(page.get_by_text("There are no open NTS referrals.")).to_be_visible()
    check_page(page)


def test_new_referral_form(world: Any, signed_in_page: Any) -> None:
    page = signed_in_page(world.leader)
    page.goto("/referrals/new/")
    expect(page.locator("h1")).to_have_text("Record an NTS referral")
    for legend in ("The referral", "The child", "Where the child is now", "Health, safety and links"):
        expect(page.get_by_role("group", name=legend, exact=True)).to_be_visible()
    check_page(page, reflow=True)


def test_form_with_errors(world: Any, signed_in_page: Any) -> None:
    page = signed_in_page(world.leader)
    page.goto("/referrals/new/")
    page.fill("#id_received_time", "25:00")
    save_referral(page)
    assert_error_state(page, "Enter the date the referral was received", "Enter the time received, like 14:30",
                       "Enter the referring authority", "Enter the NTS reference",
                       "Enter the child's name, or a name they are known by")
    assert_no_axe_violations(page)
    # Each summary link takes focus to its field.
    link = page.locator(".govuk-error-summary__list a", has_text="Enter the NTS reference")
    link.click()
    expect(page.locator("#id_nts_reference")).to_be_focused()
    first = page.locator(".govuk-error-summary__list a").first
    first.click()
    expect(page.locator("#id_received_on-day")).to_be_focused()
    expect(page.locator("#id_received_time")).to_have_value("25:00")  # typed values are kept


def fill_good_referral(page: Page, given: str, family: str, dob: dt.date) -> None:
    fill_date(page, "id_received_on", timezone.localdate())
    page.fill("#id_received_time", "00:01")
    page.get_by_label("Referring authority").fill("Kent County Council")
    page.get_by_label("NTS reference").fill("NTS-2026-0099")
    page.get_by_label("Given names").fill(given)
    page.get_by_label("Family name").fill(family)
    fill_date(page, "id_claimed_date_of_birth", dob)
    page.get_by_label("Male", exact=True).check()


def test_duplicates_panel_then_a_new_child(world: Any, signed_in_page: Any) -> None:
    page = signed_in_page(world.leader)
    page.goto("/referrals/new/")
    # The world's Mohammed Ahmadi, typed another way.
    fill_good_referral(page, "Muhammad", "Ahmadi", world.child.date_of_birth)
    save_referral(page)
    panel = page.locator("#possible-duplicates")
    expect(panel.get_by_role("heading", name="Children already on record who may be the same child")).to_be_visible()
    expect(panel).to_contain_text("Link this referral to Mohammed Ahmadi")
    expect(panel).to_contain_text("Given name sounds the same")
    expect(page.get_by_label("Given names")).to_have_value("Muhammad")  # the form is kept
    assert_structure(page)
    assert_no_axe_violations(page)
    # Going on without a choice is an error; then a new child.
    save_referral(page)
    assert_error_state(page, "Select a child to link this referral to, or record a new child")
    assert_no_axe_violations(page)
    page.get_by_label("None of these: record a new child").check()
    save_referral(page)
    expect(page.locator("h1")).to_have_text("NTS referral NTS-2026-0099")
    expect(page.locator(".govuk-caption-l")).to_have_text("Muhammad Ahmadi")


def test_workspace(world: Any, referral: Any, signed_in_page: Any) -> None:
    page = signed_in_page(world.leader)
    response = page.goto(f"/referrals/{referral.pk}/")
    assert response is not None and response.status == 200
    expect(page.locator("h1")).to_have_text("NTS referral NTS-2026-0042")
    clock = page.locator("#transfer-clock")
    expect(clock).to_contain_text("working days left – due")
    assert LONG_DATE_WITH_DAY.search(clock.inner_text())
    tasks = page.locator(".govuk-task-list__item")
    expect(tasks).to_have_count(7)
    expect(tasks.first).to_contain_text("Decision")
    expect(tasks.first).to_contain_text("Not started")
    expect(page.locator(".moj-timeline")).to_contain_text("NTS referral NTS-2026-0042 received")
    check_page(page, reflow=True)


def test_decision_page(world: Any, referral: Any, signed_in_page: Any) -> None:
    page = signed_in_page(world.leader)
    page.goto(f"/referrals/{referral.pk}/decision/")
    expect(page.locator("h1")).to_have_text("Accept or contest the referral")
    check_page(page)
    expect(page.locator("#threshold")).to_contain_text("The council looks after")
    page.get_by_label("Contest the referral").check()
    submit(page, "Save decision")
    assert_error_state(page, "Enter why the council is contesting the referral")
    assert_no_axe_violations(page)
    page.get_by_label("Accept the referral").check()
    submit(page, "Save decision")
    expect(page.locator("h1")).to_have_text("NTS referral NTS-2026-0042")
    expect(page.locator(".govuk-task-list__item").first).to_contain_text("Completed")
