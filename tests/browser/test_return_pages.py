"""The SSDA903 return in the browser: choosing the year (its error summary and the keyboard), the run
with its errors linked to the child, and the error on the child's page; axe on each."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from .support import (
    assert_error_state,
    assert_no_axe_violations,
    assert_reflows,
    assert_skip_link_first,
    submit,
)
from .test_keyboard import tab_through


@pytest.fixture
def nasrin(make_user: Any, make_child: Any, settings: Any) -> Any:
    """A girl of 15 whose review is coded PN0 (under 4): the DfE's rule 440 fails on it."""
    from harbour.accounts.models import Allocation, Role
    from harbour.children import services
    from harbour.placements.models import Placement
    from harbour.returns.models import PreviousPermanence
    from harbour.reviews.models import Review

    settings.HARBOUR_LA_ONS_CODE = "E08000035"  # the real postcodes below are in Leeds
    worker = make_user(Role.SOCIAL_WORKER)
    child = make_child(social_worker=worker, given_names="Nasrin", family_name="Ahmadi", sex="M",
                       date_of_birth=dt.date(2010, 5, 1), ethnicity="BAFR", upn_unknown_reason="UN2", is_uasc=True)
    start, today = dt.date(2025, 6, 10), dt.date(2026, 11, 20)
    services.period_looked_after_add(actor=worker, child=child, start=start, end=None, today=today)
    services.legal_status_add(actor=worker, child=child, legal_status="V2", start=start, end=None, today=today)
    Placement.objects.create(child=child, start=start, placement_type="U6", place_provider="PR1", urn="SC123456",
                             carer_or_provider="Rahimi", postcode="LS2 7EW", home_postcode="LS1 4AB")
    Review.objects.create(child=child, held_on=dt.date(2025, 7, 4), participation="PN0")
    # What the return asks of a child who comes into care: a social worker from that day (make_child
    # allocates from today) and whether a permanence order came before (none).
    Allocation.objects.filter(child=child, kind=Allocation.Kind.SOCIAL_WORKER).update(start=start)
    PreviousPermanence.objects.create(child=child, order=PreviousPermanence.Order.NONE)
    return child


def check(page: Page) -> None:
    assert_skip_link_first(page)
    assert_no_axe_violations(page)
    assert_reflows(page)


def test_an_analyst_runs_the_return_and_follows_an_error_to_the_child(
    nasrin: Any, make_user: Any, signed_in_page: Any
) -> None:
    from harbour.accounts.models import Role

    page: Page = signed_in_page(make_user(Role.PERFORMANCE_ANALYST))
    page.goto("/returns/")
    expect(page.locator("h1")).to_have_text("SSDA903 return")
    expect(page.locator("main")).to_contain_text("The return has not been run yet.")
    check(page)
    stops = tab_through(page, limit=60)
    hidden = [s["name"] for s in stops if not (s["visible"] and s["onScreen"])]
    no_ring = [s["name"] for s in stops if not s["ring"]]
    assert hidden == [] and no_ring == [], (hidden, no_ring)

    submit(page, "Write and check the return")
    assert_error_state(page, "Select the collection year")
    assert_no_axe_violations(page)

    page.get_by_label("2025-26, ended 31 March 2026").check()
    submit(page, "Write and check the return")
    expect(page.locator("h1")).to_have_text("SSDA903 return 2025-26")
    expect(page.locator("main")).to_contain_text("1 error to fix in the return for 1 child.")
    expect(page.locator("#rule-440")).to_have_text("Rule 440: 1")
    check(page)

    page.get_by_role("link", name="Nasrin Ahmadi").click()
    expect(page.locator("#return-errors")).to_have_text("SSDA903 return: 1 error to fix")
    expect(page.locator("main")).to_contain_text("REVIEW_CODE: The child's participation in the review")
    assert_no_axe_violations(page)
