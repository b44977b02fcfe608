"""The journey from the issue, end to end: sign in with a password and a code, see what is overdue
and due, find Mohammed by typing "Muhammad", read his timeline and filter it to reviews, read his
deadlines, sign out. First his team leader, then his social worker. And the same search-to-child
path with JavaScript switched off."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import Page, expect

from .support import (
    LONG_DATE_WITH_DAY,
    assert_no_axe_violations,
    sign_in_through_pages,
    sign_out,
    submit,
)

REVIEW_TITLES = {"Looked-after review held", "Care plan agreed"}


def read_home_page(page: Page) -> None:
    expect(page.locator("h1")).to_have_text("What to do next")
    # Overdue and due work is written out, with dates, not shown by colour alone.
    expect(page.get_by_role("heading", name=re.compile(r"^Overdue: \d+$"))).to_be_visible()
    overdue = page.get_by_role("table", name=re.compile("^Overdue, oldest first"))
    expect(overdue).to_contain_text("Mohammed Ahmadi")
    expect(overdue).to_contain_text("Statutory visit")
    expect(overdue).to_contain_text("working days overdue")
    assert LONG_DATE_WITH_DAY.search(overdue.inner_text()), overdue.inner_text()
    expect(page.get_by_role("heading", name=re.compile(r"^Due in the next 4 weeks: \d+$"))).to_be_visible()
    due = page.get_by_role("table", name=re.compile("^Due soon, soonest first"))
    expect(due).to_contain_text("Mohammed Ahmadi")
    assert LONG_DATE_WITH_DAY.search(due.inner_text()), due.inner_text()


def find_mohammed(page: Page) -> None:
    page.get_by_label("Search for a child").fill("Muhammad")
    submit(page, "Search")
    expect(page.locator("h1")).to_have_text("Search results")
    expect(page.get_by_role("status")).to_have_text("1 child found for “Muhammad”.")
    with page.expect_navigation():
        page.get_by_role("link", name="Mohammed Ahmadi").click()
    expect(page.locator("h1")).to_have_text("Mohammed Ahmadi")


def timeline_titles(page: Page) -> list[str]:
    return page.locator(".moj-timeline__title").all_inner_texts()


def read_and_filter_timeline(page: Page, *, axe: bool = True) -> None:
    everything = timeline_titles(page)
    assert {"Looked-after review held", "Statutory visit", "Placed with Seaview House", "Became looked after",
            "Spoke to Mohammed about college"} <= set(everything), everything
    page.get_by_role("checkbox", name="Reviews").check()
    submit(page, "Filter timeline")
    assert "kind=review" in page.url
    expect(page.get_by_role("checkbox", name="Reviews")).to_be_checked()
    reviews = timeline_titles(page)
    assert reviews and set(reviews) <= REVIEW_TITLES, reviews
    assert reviews.count("Looked-after review held") == 2
    if axe:  # axe is JavaScript: it cannot run in a page with JavaScript switched off
        assert_no_axe_violations(page)


def read_deadlines(page: Page) -> None:
    deadlines = page.get_by_role("table", name="Due and overdue")
    expect(deadlines).to_contain_text("Statutory visit")
    expect(deadlines).to_contain_text("Overdue")
    expect(deadlines).to_contain_text("Review")
    expect(deadlines).to_contain_text("working days left")
    assert LONG_DATE_WITH_DAY.search(deadlines.inner_text()), deadlines.inner_text()


def test_team_leader_then_social_worker_find_mohammed_and_read_his_record(world: Any, page: Page) -> None:
    for person in (world.leader, world.worker):
        sign_in_through_pages(page, person)
        expect(page.locator(".harbour-user__name")).to_have_text(f"Signed in as {person.get_full_name()}")
        read_home_page(page)
        find_mohammed(page)
        read_and_filter_timeline(page)
        read_deadlines(page)
        sign_out(page)


def test_search_to_child_without_javascript(world: Any, signed_in_page: Any) -> None:
    page = signed_in_page(world.worker, java_script_enabled=False)
    page.goto("/")
    expect(page.locator("body")).not_to_have_class(re.compile("govuk-frontend-supported"))
    read_home_page(page)
    page.get_by_label("Search for a child").fill("Muhammad")
    page.get_by_label("Search for a child").press("Enter")
    expect(page.locator("h1")).to_have_text("Search results")
    page.get_by_role("link", name="Mohammed Ahmadi").click()
    expect(page.locator("h1")).to_have_text("Mohammed Ahmadi")
    read_and_filter_timeline(page, axe=False)
    read_deadlines(page)

    # A form still says what is wrong without JavaScript (focus stays where the browser puts it).
    page.goto(f"/children/{world.child.pk}/names/new/")
    submit(page, "Add name")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the name")
    assert page.title().startswith("Error: Add another name or spelling")

