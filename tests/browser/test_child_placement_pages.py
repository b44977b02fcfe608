"""The child's placements pages in the browser: axe (WCAG 2.2 AA), the keyboard, reflow, and the
change-of-placement form's error state."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from .support import (
    assert_error_state,
    assert_no_axe_violations,
    assert_reflows,
    assert_skip_link_first,
    assert_structure,
    submit,
)


def test_placements_page(world: Any, signed_in_page: Any) -> None:
    page = signed_in_page(world.worker)
    response = page.goto(f"/placements/child/{world.child.pk}/")
    assert response is not None and response.status == 200
    assert_skip_link_first(page)
    assert_structure(page)
    expect(page.get_by_role("heading", name="SSDA903 episodes")).to_be_visible()
    assert_no_axe_violations(page)
    assert_reflows(page)


def test_change_of_placement_form_errors_and_keyboard(world: Any, signed_in_page: Any) -> None:
    from harbour.placements.models import Placement

    before = Placement.objects.filter(child=world.child).count()
    page = signed_in_page(world.worker)
    page.goto(f"/placements/child/{world.child.pk}/change/")
    assert_structure(page)
    assert_no_axe_violations(page)
    # The keyboard reaches the first field of the form from the back link.
    page.get_by_role("link", name="Back to placements").focus()
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.id") == "id_start-day"

    submit(page, "Record the change")
    assert_error_state(page, "Enter start date", "Select the type of placement, or choose a provider")
    assert_no_axe_violations(page)
    assert Placement.objects.filter(child=world.child).count() == before


def test_needs_page(world: Any, signed_in_page: Any) -> None:
    from harbour.placements.models import NeedsProfile

    page = signed_in_page(world.worker)
    page.goto(f"/placements/child/{world.child.pk}/needs/")
    assert_structure(page)
    assert_no_axe_violations(page)
    page.get_by_label("Trauma-informed care").check()
    page.get_by_label("English language support").check()
    submit(page, "Save the needs")
    expect(page.get_by_role("heading", name="Placements", exact=True)).to_be_visible()
    assert NeedsProfile.objects.get(child=world.child).needs == ["trauma", "esol"]
    assert_no_axe_violations(page)


def test_a_change_recorded_from_the_keyboard_and_the_end_page(world: Any, signed_in_page: Any) -> None:
    """The whole change by keyboard: type, choose with the arrow keys, press Enter to send. The new
    placement and its derived episode then show on the placements page; the end page passes axe."""
    import datetime as dt

    from django.utils import timezone

    from harbour.placements.models import Placement

    moved_on = timezone.localdate() - dt.timedelta(days=1)
    page = signed_in_page(world.worker)
    page.goto(f"/placements/child/{world.child.pk}/change/")
    page.locator("#id_start-day").fill(str(moved_on.day))
    page.keyboard.press("Tab")
    page.keyboard.type(str(moved_on.month))
    page.keyboard.press("Tab")
    page.keyboard.type(str(moved_on.year))
    page.get_by_label("Why did the placement change?").select_option("CHILD")
    page.get_by_label("Type of placement", exact=False).select_option("U6")
    page.get_by_label("Carer or provider name", exact=False).fill("Mr and Mrs Rahimi")
    page.get_by_label("Child's home postcode", exact=False).fill("HB7 3CD")
    page.get_by_label("No", exact=True).check()
    with page.expect_navigation():
        page.get_by_label("Carer or provider name", exact=False).press("Enter")
    assert page.url.endswith(f"/placements/child/{world.child.pk}/")
    expect(page.locator("main")).to_contain_text("Living with Mr and Mrs Rahimi")
    expect(page.get_by_role("region", name="SSDA903 episodes")).to_contain_text("CHILD")
    assert_no_axe_violations(page)

    Placement.objects.get(child=world.child, end__isnull=True)
    page.goto(f"/placements/child/{world.child.pk}/end/")
    assert_structure(page)
    assert_no_axe_violations(page)
    submit(page, "End the placement")
    assert_error_state(page, "Enter end date")
    assert_no_axe_violations(page)
