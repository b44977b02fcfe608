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
