"""The Corporate Parenting Board report in the browser: an analyst drafts the last quarter's report
from the navigation, meets the error summary (a bad period, commentary left empty, publishing too
early), adds commentary, publishes and downloads the PDF; the deep dives. axe (WCAG 2.2 AA) on
every page, keyboard and error-summary checks."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from harbour.reporting.board.tests.support import Council, build_council

from .support import (
    assert_error_state,
    assert_no_axe_violations,
    assert_reflows,
    assert_skip_link_first,
    assert_structure,
    submit,
)

SECTIONS = ["The National Transfer Scheme and unaccompanied children", "The independent reviewing officer service",
            "Care leavers in education", "Accommodation", "Education, employment and training", "The child's voice"]


@pytest.fixture
def council(make_user: Any, make_team: Any) -> Council:
    return build_council(make_user, make_team)


def check(page: Page, *, reflow: bool = False) -> None:
    assert_structure(page)
    assert_no_axe_violations(page)
    if reflow:
        assert_reflows(page)


def test_an_analyst_drafts_comments_publishes_and_downloads(council: Council, signed_in_page: Any) -> None:
    page: Page = signed_in_page(council.analyst)
    page.goto("/")
    page.get_by_role("link", name="Board reports", exact=True).click()
    expect(page.locator("h1")).to_have_text("Corporate Parenting Board reports")
    assert_skip_link_first(page)
    check(page)

    page.get_by_role("button", name="Draft a report").click()
    expect(page.locator("h1")).to_have_text("Draft a board report")
    check(page)
    page.get_by_label("Which period is the report for?").fill("Q2 2026")
    submit(page, "Draft the report")
    assert_error_state(page, "Enter a financial quarter like 2026-27-Q2 or a financial year like 2026-27")
    assert_no_axe_violations(page)
    page.get_by_label("Which period is the report for?").fill("2026-27-Q2")
    submit(page, "Draft the report")
    expect(page.locator("h1")).to_have_text("Board report: Q2 2026-27 (July to September 2026)")
    expect(page.locator("main")).to_contain_text("rose from 0% to 67%, below the national figure of 85% (2019)")
    check(page)

    submit(page, "Publish the report")
    assert_error_state(page, "Add commentary, or say there is nothing to add, for: " + "; ".join(SECTIONS))
    assert_no_axe_violations(page)

    page.get_by_role("link", name=f"Add commentary for {SECTIONS[0]}").click()
    expect(page.locator("h1")).to_have_text(f"Commentary: {SECTIONS[0]}")
    check(page)
    submit(page, "Save commentary")
    assert_error_state(page, "Enter the commentary, or select that there is nothing to add")
    assert_no_axe_violations(page)
    for number, section in enumerate(SECTIONS):
        if number:
            page.get_by_role("link", name=f"Add commentary for {section}").click()
        if section == "The child's voice":
            page.get_by_label("There is nothing to add to the figures").check()
        else:
            # Keyboard only: the textarea is reached and typed in without the mouse.
            page.get_by_label("Commentary").focus()
            page.keyboard.type(f"What lies behind the figures for {section.lower()}.")
        submit(page, "Save commentary")
        expect(page.locator(".govuk-notification-banner")).to_contain_text(f"Commentary saved: {section}")

    submit(page, "Publish the report")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Report published")
    check(page, reflow=True)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the report (PDF)").click()
    assert download.value.suggested_filename == "corporate-parenting-board-report-2026-27-Q2.pdf"

    page.goto("/board/")
    expect(page.locator("tbody tr")).to_have_count(1)
    expect(page.locator("tbody")).to_contain_text("Published")
    check(page)


def test_the_deep_dives(council: Council, signed_in_page: Any) -> None:
    page: Page = signed_in_page(council.director)
    page.goto("/board/deep-dives/")
    expect(page.locator("h1")).to_have_text("Deep dives: care leavers' journeys")
    # Each deep dive: a headline that states the message, the chart, then the same numbers as a table.
    expect(page.locator("svg[role='img']")).to_have_count(2)
    expect(page.locator("#deep-dive-homeless").locator("xpath=..").locator(".harbour-headline")).to_have_text(
        "Care leavers who mostly lived in foster care were the most often recorded homeless: 50% (1 of 2), "
        "against 0% (0 of 1) for residential care.")
    expect(page.get_by_role("img", name="Care leavers in higher education, by where they mostly lived in care")
           ).to_be_visible()
    check(page, reflow=True)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the figures in these charts (CSV)").click()
    assert download.value.suggested_filename.startswith("deep-dives-care-leavers-")
    page.get_by_role("link", name="Foster care").click()
    expect(page.locator("#group")).to_have_text("Foster care: the young people")
    expect(page.get_by_role("link", name="Abel Leaver")).to_be_visible()
    check(page)
