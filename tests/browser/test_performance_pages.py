"""The performance dashboards in the browser: a performance analyst opens the director's
dashboard from the navigation, reads a figure's chart and table, goes by keyboard from a figure to
the children behind it and on to a child. axe (WCAG 2.2 AA) on every page, reflow at 320 pixels,
and the checks axe cannot make. The pages have no form, so there is no error state to check."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page, expect

from .support import (
    assert_no_axe_violations,
    assert_reflows,
    assert_skip_link_first,
    assert_structure,
)


def check(page: Page) -> None:
    assert_structure(page)
    assert_no_axe_violations(page)
    assert_reflows(page)


def test_the_analyst_drills_from_the_directors_dashboard_to_a_child(world: Any, make_user: Any,
                                                                     signed_in_page: Any) -> None:
    from harbour.accounts.models import Role

    analyst = make_user(Role.PERFORMANCE_ANALYST, username="analyst", first_name="Ana", last_name="Lyst")
    page: Page = signed_in_page(analyst)
    page.goto("/")
    page.get_by_role("link", name="Performance", exact=True).click()
    expect(page.locator("h1")).to_have_text("Performance")
    check(page)

    page.get_by_role("link", name="Director's dashboard").click()
    expect(page.locator("h1")).to_have_text("Director's dashboard")
    assert_skip_link_first(page)
    expect(page.locator("svg[role='img']")).to_have_count(16)
    section = page.locator("#measure-placements_3_plus").locator("xpath=..")
    expect(section.locator(".harbour-headline")).to_contain_text("Children with 3 or more placements in the year")
    expect(section.locator("table caption")).to_contain_text("the figures in the chart")
    check(page)

    # By keyboard: focus the newest period's link in the table and press Enter.
    link = section.locator("tbody tr").first.get_by_role("link")
    link.focus()
    expect(link).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Children with 3 or more placements in the year")
    expect(page.get_by_role("link", name=world.child.known_as)).to_be_visible()
    check(page)

    page.get_by_role("link", name=world.child.known_as).click()
    expect(page).to_have_url(f"{page.url.split('/children/')[0]}/children/{world.child.pk}/")


def test_the_dashboard_by_quarter_passes_axe(world: Any, signed_in_page: Any) -> None:
    page: Page = signed_in_page(world.leader)
    page.goto("/performance/team/?by=quarter")
    expect(page.locator("h1")).to_have_text("Team leader's dashboard")
    expect(page.get_by_role("link", name="Show by month")).to_be_visible()
    check(page)
    page.get_by_role("link", name="Leaving care dashboard").click()
    expect(page.locator("h1")).to_have_text("Leaving care dashboard")
    check(page)
