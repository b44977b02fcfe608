"""The UASC journey's pages in the browser: the age assessment, the asylum claim, the personal
adviser's caseload, the young person's leaving-care page and its forms. axe (WCAG 2.2 AA), one h1
and a matching title, the keyboard, reflow, and the error summary on a refused submit."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from .support import (
    assert_error_state,
    assert_no_axe_violations,
    assert_reflows,
    assert_skip_link_first,
    assert_structure,
    submit,
)


@pytest.fixture
def leaver(world: Any, make_user: Any) -> Any:
    """Yonas: 18 and five weeks, left care at 18, still waiting for an asylum decision, with a personal adviser."""
    from harbour.accounts.models import Allocation, Role
    from harbour.children.models import Child, PeriodLookedAfter
    from harbour.domain.ages import add_months, birthday
    from harbour.placements.models import Placement
    from harbour.uasc.models import AsylumClaim

    today = timezone.localdate()
    adviser = make_user(Role.PERSONAL_ADVISER, username="adviser", first_name="Jamal", last_name="Ahmed")
    dob = add_months(today, -18 * 12) - dt.timedelta(days=35)
    child = Child.unscoped.create(given_names="Yonas", family_name="Gebremariam", date_of_birth=dob,
                                  date_of_birth_source="claimed", is_uasc=True)
    arrival, eighteen = add_months(dob, 16 * 12 + 3), birthday(dob, 18)
    PeriodLookedAfter.objects.create(child=child, start=arrival, end=eighteen, reason_ceased="E5")
    Placement.objects.create(child=child, start=arrival, end=eighteen, placement_type="K3",
                             carer_or_provider="Harbourside Supported Lodgings", postcode="HB4 2QT")
    Allocation.objects.create(child=child, worker=adviser, kind=Allocation.Kind.PERSONAL_ADVISER,
                              start=add_months(dob, 16 * 12 + 6))
    AsylumClaim.objects.create(child=child, claimed_on=arrival + dt.timedelta(days=9),
                               sef_due=arrival + dt.timedelta(days=90), sef_sent_on=arrival + dt.timedelta(days=70),
                               updated_by=world.worker)
    return adviser, child


def test_the_caseload_and_a_contact_recorded_from_it(leaver: Any, signed_in_page: Any) -> None:
    from harbour.leaving_care.models import AdviserContact

    adviser, child = leaver
    page = signed_in_page(adviser)
    page.goto("/leaving-care/")
    assert_skip_link_first(page)
    assert_structure(page)
    expect(page.get_by_role("heading", name="Due a contact")).to_be_visible()
    assert_no_axe_violations(page)
    assert_reflows(page)
    page.set_viewport_size({"width": 1280, "height": 900})

    with page.expect_navigation():
        page.get_by_role("link", name="Record a contact with Yonas").click()
    assert_structure(page)
    assert_no_axe_violations(page)
    submit(page, "Record the contact")
    assert_error_state(page, "Enter date of the contact", "Select whether the young person is in touch")
    assert_no_axe_violations(page)
    assert not AdviserContact.objects.exists()

    today = timezone.localdate()
    page.locator("#id_contacted_on-day").fill(str(today.day))
    page.locator("#id_contacted_on-month").fill(str(today.month))
    page.locator("#id_contacted_on-year").fill(str(today.year))
    page.get_by_label("In touch", exact=True).check()
    page.get_by_label("What are they doing?").select_option("F2")
    page.get_by_label("Where do they live?").select_option("E")
    page.get_by_label("Yes, suitable").check()
    submit(page, "Record the contact")
    expect(page.get_by_role("heading", name="Leaving care", exact=True)).to_be_visible()
    expect(page.get_by_text("(E1)")).to_be_visible()
    assert AdviserContact.objects.get(child=child).oc3_accom == "E1"


def test_the_young_persons_page_and_an_extension_from_the_keyboard(leaver: Any, signed_in_page: Any) -> None:
    from harbour.leaving_care.models import PlacementExtension

    adviser, child = leaver
    page = signed_in_page(adviser)
    page.goto(f"/leaving-care/children/{child.pk}/")
    assert_structure(page)
    assert_no_axe_violations(page)
    assert_reflows(page)
    page.set_viewport_size({"width": 1280, "height": 900})
    with page.expect_navigation():
        page.get_by_role("link", name="Extend the placement past 18").click()
    assert_structure(page)
    assert_no_axe_violations(page)
    eighteen = child.date_of_birth.replace(year=child.date_of_birth.year + 18)
    review = eighteen + dt.timedelta(days=90)
    page.locator("#id_starts_on-day").focus()
    for value in (eighteen.day, eighteen.month, eighteen.year, review.day, review.month, review.year):
        page.keyboard.type(str(value))
        page.keyboard.press("Tab")
    page.keyboard.type("-5")
    submit(page, "Record the extension")
    assert_error_state(page, "Weekly cost must be 0 or more", "Select how the extension is funded")
    assert_no_axe_violations(page)
    assert not PlacementExtension.objects.exists()
    page.get_by_label("Weekly cost to the council, in pounds").fill("485.50")
    page.get_by_label("The council and the Home Office grant together").check()
    page.get_by_label("Why is the placement being extended?").fill("No decision on the asylum claim yet")
    page.get_by_label("Why is the placement being extended?").press("Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_text("Extended from")).to_be_visible()
    assert str(PlacementExtension.objects.get(child=child).weekly_cost) == "485.50"


def test_the_age_assessment_form_and_its_errors(world: Any, signed_in_page: Any) -> None:
    from harbour.children.models import AgeAssessment

    page = signed_in_page(world.worker)
    page.goto(f"/children/{world.child.pk}/identity/")
    assert_structure(page)
    expect(page.get_by_role("heading", name="Age assessments")).to_be_visible()
    assert_no_axe_violations(page)
    with page.expect_navigation():
        page.get_by_role("link", name="Record an age assessment").click()
    assert_structure(page)
    assert_no_axe_violations(page)
    today = timezone.localdate()
    for name, day in (("started_on", today), ("completed_on", today), ("assessed_date_of_birth", today + dt.timedelta(days=1))):
        page.locator(f"#id_{name}-day").fill(str(day.day))
        page.locator(f"#id_{name}-month").fill(str(day.month))
        page.locator(f"#id_{name}-year").fill(str(day.year))
    page.get_by_label("Assessors").fill("A. Social worker and B. Social worker")
    page.get_by_label("A child, of a different age").check()
    submit(page, "Record the age assessment")
    assert_error_state(page, "Assessed date of birth must be on or before the date the assessment was completed")
    assert_no_axe_violations(page)
    assert not AgeAssessment.objects.exists()


def test_the_asylum_claim_pages(world: Any, signed_in_page: Any) -> None:
    world.child.is_uasc = True
    world.child.save(update_fields=["is_uasc"])
    page = signed_in_page(world.worker)
    page.goto(f"/uasc/children/{world.child.pk}/")
    assert_structure(page)
    assert_no_axe_violations(page)
    with page.expect_navigation():
        page.get_by_role("link", name="Record the asylum claim").click()
    assert_structure(page)
    assert_no_axe_violations(page)
    today = timezone.localdate()
    claimed = today - dt.timedelta(days=100)
    page.locator("#id_claimed_on-day").fill(str(claimed.day))
    page.locator("#id_claimed_on-month").fill(str(claimed.month))
    page.locator("#id_claimed_on-year").fill(str(claimed.year))
    page.get_by_label("Decision (optional)").select_option("refugee")
    submit(page, "Save the asylum claim")
    assert_error_state(page, "Enter the date of the decision")
    assert_no_axe_violations(page)
    page.get_by_label("Decision (optional)").select_option("")
    submit(page, "Save the asylum claim")
    expect(page.get_by_text("Awaiting a decision")).to_be_visible()
    assert_no_axe_violations(page)


def test_the_trafficking_and_missing_pages(world: Any, signed_in_page: Any) -> None:
    page = signed_in_page(world.worker)
    page.goto(f"/uasc/children/{world.child.pk}/safety/")
    assert_structure(page)
    assert_no_axe_violations(page)
    for link in ("Record a National Referral Mechanism referral", "Record a missing episode"):
        page.goto(f"/uasc/children/{world.child.pk}/safety/")
        with page.expect_navigation():
            page.get_by_role("link", name=link).click()
        assert_structure(page)
        assert_no_axe_violations(page)
    submit(page, "Record the episode")
    assert_error_state(page, "Select whether the child was missing or away", "Enter date they went missing")
    assert_no_axe_violations(page)


def test_the_at_risk_list_and_an_after_18_record(leaver: Any, signed_in_page: Any) -> None:
    from harbour.leaving_care.models import AccommodationEnding

    adviser, child = leaver
    AccommodationEnding.objects.create(child=child, kind="notice", known_on=timezone.localdate(),
                                       ends_on=timezone.localdate() + dt.timedelta(days=21), recorded_by=adviser)
    page = signed_in_page(adviser)
    page.goto("/leaving-care/at-risk/")
    assert_structure(page)
    expect(page.get_by_text("Notice served to leave their accommodation")).to_be_visible()
    assert_no_axe_violations(page)
    with page.expect_navigation():
        page.get_by_role("link", name="Record a referral for Yonas").click()
    assert_structure(page)
    assert_no_axe_violations(page)
    submit(page, "Record the referral")
    assert_error_state(page, "Enter date of the referral", "Enter the housing authority the young person chose")
    assert_no_axe_violations(page)
