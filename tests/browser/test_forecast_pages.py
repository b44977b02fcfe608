"""The forecast journey in the browser: a director opens the forecast, changes the NTS scenario and
sees the figures move, saves two scenarios, compares them and downloads the business case PDF;
bad input shows the error summary. axe (WCAG 2.2 AA) on every page, and the checks axe cannot make."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from .support import (
    assert_error_state,
    assert_no_axe_violations,
    assert_reflows,
    assert_skip_link_first,
    assert_structure,
    submit,
)


@pytest.fixture
def director(make_user: Any) -> Any:
    from harbour.accounts.models import Role
    from harbour.core.models import CouncilSettings
    from harbour.forecasting.tests.support import grow_history

    CouncilSettings.objects.update_or_create(pk=1, defaults={"child_population": 30_000})
    grow_history(40, adviser=make_user(Role.PERSONAL_ADVISER))
    return make_user(Role.DIRECTOR, username="director", first_name="Dee", last_name="Rector")


def check(page: Page, *, reflow: bool = False) -> None:
    assert_structure(page)
    assert_no_axe_violations(page)
    if reflow:
        assert_reflows(page)


def test_the_director_forecasts_saves_compares_and_downloads_the_business_case(director: Any,
                                                                               signed_in_page: Any) -> None:
    page: Page = signed_in_page(director)
    page.goto("/")
    page.get_by_role("link", name="Forecast", exact=True).click()
    expect(page.locator("h1")).to_have_text("Forecast")
    expect(page.locator("svg[role='img']")).to_have_count(4)
    assert_skip_link_first(page)
    check(page, reflow=True)

    before = page.locator("#uasc_in_care h3").inner_text()
    page.get_by_label("Unaccompanied children transferred a year").fill("80")
    page.get_by_label("Children aged 0 to 17 in the council's area").fill("200000")
    submit(page, "Run forecast")
    after = page.locator("#uasc_in_care h3").inner_text()
    assert after != before
    page.get_by_label("Name for this scenario").fill("High transfers")
    submit(page, "Save scenario")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Scenario saved: High transfers")

    page.goto("/forecasting/?preset=low")
    page.get_by_label("Name for this scenario").fill("Low arrivals")
    submit(page, "Save scenario")
    expect(page.locator("tbody tr")).to_have_count(2)
    check(page)

    page.get_by_label("First scenario").select_option(label="High transfers")
    page.get_by_label("Second scenario").select_option(label="Low arrivals")
    submit(page, "Compare")
    expect(page.locator("h2").first).to_contain_text("High transfers and Low arrivals")
    check(page)

    page.goto("/forecasting/scenarios/")
    page.get_by_role("link", name="Business case for High transfers").click()
    expect(page.locator("h1")).to_have_text("Business case: five years, High transfers")
    check(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the business case (PDF)").click()
    assert download.value.suggested_filename == "business-case-5-years.pdf"


def test_bad_scenario_input_shows_the_error_summary(director: Any, signed_in_page: Any) -> None:
    page: Page = signed_in_page(director)
    page.goto("/forecasting/")
    page.get_by_label("Years to forecast").fill("0")
    page.get_by_label("NTS threshold").fill("150")
    submit(page, "Run forecast")
    assert_error_state(page, "Years to forecast must be between 1 and 10", "NTS threshold must be 100% or less")
    assert_no_axe_violations(page)
