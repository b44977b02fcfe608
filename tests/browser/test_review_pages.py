"""Reviews and the IRO's quality assurance in the browser: the IRO's reviews due, recording a review
and a late review, auditing a case file and raising an action that the social worker answers; axe
(WCAG 2.2 AA) on every page, the keyboard, the error summary, reflow."""

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


@pytest.fixture(autouse=True)
def _council_lists(db: Any) -> None:
    """Browser tests flush the database between tests, taking the migration's lists with it."""
    from harbour.reviews.defaults import seed_default_lists
    from harbour.reviews.models import AuditArea, LateReviewReason

    seed_default_lists(LateReviewReason, AuditArea)


@pytest.fixture
def iro(world: Any, make_user: Any, make_team: Any) -> Any:
    from harbour.accounts.models import Allocation, Role

    iro = make_user(Role.IRO, team=make_team("Independent reviewing service"), username="iro",
                    first_name="Siobhan", last_name="Murphy")
    Allocation.objects.create(child=world.child, worker=iro, kind=Allocation.Kind.IRO,
                              start=timezone.localdate() - dt.timedelta(days=200))
    return iro


def fill_date(page: Any, name: str, day: dt.date) -> None:
    page.locator(f"#id_{name}-day").fill(str(day.day))
    page.locator(f"#id_{name}-month").fill(str(day.month))
    page.locator(f"#id_{name}-year").fill(str(day.year))


def test_the_iro_records_a_review_with_participation_and_an_action(world: Any, iro: Any,
                                                                    signed_in_page: Any) -> None:
    from harbour.reviews.models import Review

    page = signed_in_page(iro)
    response = page.goto("/reviews/")
    assert response is not None and response.status == 200
    assert_skip_link_first(page)
    assert_structure(page)
    assert_no_axe_violations(page)
    assert_reflows(page)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("link", name="Mohammed Ahmadi").click()
    expect(page.get_by_role("heading", name="Reviews and checks", level=1)).to_be_visible()
    assert_no_axe_violations(page)
    assert_reflows(page)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("link", name="Record a review").click()
    assert_structure(page)
    assert_no_axe_violations(page)
    # The keyboard reaches the first field from the back link.
    page.get_by_role("link", name="Back to reviews and checks").focus()
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.id") == "id_held_on-day"

    submit(page, "Save the review")
    assert_error_state(page, "Enter date the review was held", "Select how the child took part in the review")
    assert_no_axe_violations(page)

    today = timezone.localdate()
    fill_date(page, "held_on", today)
    page.get_by_label("PN1: child attended and spoke for themselves").check()
    page.get_by_label("The child's views, in their own words (optional)").fill("I want to study to be a mechanic")
    page.get_by_label("In person, with the IRO").check()
    page.locator("#id_action_1_description").fill("Find a college course in motor mechanics")
    page.locator("#id_action_1_owner").select_option(label="Sam Worker, social worker")
    fill_date(page, "action_1_due_on", today + dt.timedelta(days=28))
    submit(page, "Save the review")
    expect(page.get_by_role("heading", name="Reviews and checks", level=1)).to_be_visible()
    expect(page.get_by_text("I want to study to be a mechanic")).to_be_visible()
    review = Review.objects.get(child=world.child, held_on=today)
    assert (review.participation, review.actions.get().owner) == ("PN1", world.worker)


def test_a_late_review_asks_for_its_reason(world: Any, iro: Any, signed_in_page: Any) -> None:
    from harbour.accounts.models import Allocation
    from harbour.children import services as child_services
    from harbour.reviews.models import Review

    today = timezone.localdate()
    child = child_services.child_create(
        actor=world.worker, identity={"given_names": "Selam", "family_name": "Haile"},
        date_of_birth=dt.date(today.year - 12, 5, 1), date_of_birth_source="claimed", social_worker=world.worker,
        today=today)
    child_services.period_looked_after_add(actor=world.worker, child=child, start=today - dt.timedelta(days=100),
                                           end=None, today=today)
    Allocation.objects.create(child=child, worker=iro, kind=Allocation.Kind.IRO, start=today - dt.timedelta(days=100))
    page = signed_in_page(iro)
    page.goto(f"/reviews/child/{child.pk}/record/")
    fill_date(page, "held_on", today - dt.timedelta(days=60))
    page.get_by_label("PN5: child did not attend, an advocate conveyed views").check()
    submit(page, "Save the review")
    assert_error_state(page, "select why it was held late")
    assert_no_axe_violations(page)
    page.get_by_label("Staff sickness").check()
    submit(page, "Save the review")
    expect(page.get_by_text("Staff sickness")).to_be_visible()
    assert Review.objects.get(child=child).late_reason is not None


def test_an_audit_raises_an_action_the_social_worker_answers(world: Any, iro: Any, signed_in_page: Any) -> None:
    from harbour.reviews.models import AuditArea, QualityAction

    page = signed_in_page(iro)
    page.goto(f"/reviews/child/{world.child.pk}/audit/")
    assert_structure(page)
    assert_no_axe_violations(page)
    submit(page, "Save the audit")
    assert_error_state(page, "Enter date of the audit")
    assert_no_axe_violations(page)
    today = timezone.localdate()
    fill_date(page, "audited_on", today)
    for area in AuditArea.objects.filter(active=True):
        page.locator(f"#id_area_{area.pk}_rating").check()  # the first option: outstanding
    page.locator("#id_qa_action_1_description").fill("Record Mohammed's own words at each visit")
    fill_date(page, "qa_action_1_due_on", today + dt.timedelta(days=7))
    submit(page, "Save the audit")
    expect(page.get_by_text("Record Mohammed's own words at each visit")).to_be_visible()
    action = QualityAction.objects.get(child=world.child)

    worker_page = signed_in_page(world.worker)
    worker_page.goto("/reviews/actions/")
    assert_structure(worker_page)
    assert_no_axe_violations(worker_page)
    worker_page.get_by_role("link", name="Record Mohammed's own words at each visit").click()
    assert_no_axe_violations(worker_page)
    submit(worker_page, "Send the response")
    assert_error_state(worker_page, "Enter your response to the action")
    assert_no_axe_violations(worker_page)
    worker_page.get_by_label("Your response").fill("Done at the visit on Monday, in Pashto with an interpreter")
    submit(worker_page, "Send the response")
    expect(worker_page.get_by_text("Done at the visit on Monday")).to_be_visible()
    action.refresh_from_db()
    assert action.responded_by == world.worker


@pytest.mark.parametrize("path", ["/reviews/", "/reviews/calendar/", "/reviews/compliance/", "/reviews/measures/",
                                  "/reviews/measures/?by=quarter", "/reviews/measures/visits/{month}/",
                                  "/reviews/measures/participation/{month}/", "/reviews/quality/",
                                  "/reviews/child/{child}/"])
def test_the_lists_and_measures_pass_axe(world: Any, iro: Any, make_user: Any, signed_in_page: Any,
                                         path: str) -> None:
    """As the IRO manager, who sees the whole service and every IRO's caseload."""
    from harbour.accounts.models import Role
    from harbour.reviews.models import Review

    today = timezone.localdate()
    Review.objects.create(child=world.child, held_on=today - dt.timedelta(days=2), participation="PN2")
    page = signed_in_page(make_user(Role.IRO_MANAGER, username="iromanager"))
    response = page.goto(path.format(month=f"{today:%Y-%m}", child=world.child.pk))
    assert response is not None and response.status == 200
    assert_structure(page)
    assert_no_axe_violations(page)
    assert_reflows(page)


def test_the_social_worker_records_a_health_assessment(world: Any, signed_in_page: Any) -> None:
    from harbour.reviews.models import HealthAssessment

    page = signed_in_page(world.worker)
    page.goto(f"/reviews/child/{world.child.pk}/")
    page.get_by_role("link", name="Record a visit or check").click()
    assert_structure(page)
    assert_no_axe_violations(page)
    submit(page, "Save")
    assert_error_state(page, "Select what you are recording", "Enter the date")
    assert_no_axe_violations(page)
    today = timezone.localdate()
    page.get_by_label("A health assessment").check()
    fill_date(page, "on", today)
    fill_date(page, "dental_check_on", today - dt.timedelta(days=10))
    page.locator("#id_immunisations_up_to_date").check()
    submit(page, "Save")
    expect(page.get_by_role("heading", name="Reviews and checks", level=1)).to_be_visible()
    assessment = HealthAssessment.objects.get(child=world.child, assessed_on=today)
    assert (assessment.dental_check_on, assessment.immunisations_up_to_date) == (today - dt.timedelta(days=10), True)


def test_the_iro_invites_everyone_to_the_review(world: Any, iro: Any, signed_in_page: Any) -> None:
    from harbour.reviews.models import ReviewInvitation

    page = signed_in_page(iro)
    page.goto(f"/reviews/child/{world.child.pk}/")
    page.get_by_role("link", name="Invite people to the review").click()
    assert_structure(page)
    assert_no_axe_violations(page)
    expect(page.get_by_text("no translation of the invitation in Pashto")).to_be_visible()
    submit(page, "Send the invitations")
    assert_error_state(page, "Enter date of the review")
    assert_no_axe_violations(page)
    fill_date(page, "review_on", timezone.localdate() + dt.timedelta(days=10))
    page.get_by_label("Parent 1: name (optional)").fill("Mr Ahmadi")
    submit(page, "Send the invitations")
    expect(page.get_by_role("heading", name="Invitations sent")).to_be_visible()
    assert ReviewInvitation.objects.filter(child=world.child).count() >= 4  # child, carer, 2 workers, partner, parent
    page.get_by_role("link", name="letter to print for Mr Ahmadi").click()
    assert_structure(page)
    assert_no_axe_violations(page)
