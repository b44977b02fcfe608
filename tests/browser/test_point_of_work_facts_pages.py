"""The facts the SSDA903 return asks for, recorded at the point of work, in the browser: substance
misuse and offending, the SDQ with a health assessment, changing the social worker with its reason,
and previous permanence. Axe (WCAG 2.2 AA) on every page, the keyboard, the error summary, reflow."""

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

pytestmark = pytest.mark.browser


def fill_date(page: Any, name: str, day: dt.date) -> None:
    page.locator(f"#id_{name}-day").fill(str(day.day))
    page.locator(f"#id_{name}-month").fill(str(day.month))
    page.locator(f"#id_{name}-year").fill(str(day.year))


def test_substance_misuse_and_offending(world: Any, signed_in_page: Any) -> None:
    from harbour.reviews.models import OutcomeEvent

    page = signed_in_page(world.worker)
    page.goto(f"/reviews/child/{world.child.pk}/")
    page.get_by_role("link", name="Substance misuse and offending").click()
    expect(page.get_by_role("heading", name="Substance misuse and offending", level=1)).to_be_visible()
    assert_skip_link_first(page)
    assert_structure(page)
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Back to reviews and checks").focus()
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.name") == "kind"
    page.get_by_label("Substance misuse problem identified").check()
    fill_date(page, "happened_on", timezone.localdate() - dt.timedelta(days=3))
    submit(page, "Save")
    assert_error_state(page, "Select yes if the child received an intervention")
    assert_no_axe_violations(page)
    page.locator("input[name=intervention_received][value=no]").check()
    page.locator("input[name=intervention_offered][value=yes]").check()
    submit(page, "Save")
    expect(page.get_by_text("Offered, not received")).to_be_visible()
    assert_no_axe_violations(page)
    assert_reflows(page)
    assert OutcomeEvent.objects.get(child=world.child).intervention_offered is True


def test_an_sdq_with_the_health_assessment(world: Any, signed_in_page: Any) -> None:
    page = signed_in_page(world.worker)
    page.goto(f"/reviews/child/{world.child.pk}/check/?kind=health_assessment")
    page.get_by_label("A health assessment").check()
    fill_date(page, "on", timezone.localdate() - dt.timedelta(days=2))
    page.locator("#id_sdq_score").fill("12")
    page.locator("#id_sdq_reason").select_option("SDQ2")
    submit(page, "Save")
    assert_error_state(page, "Enter either an SDQ score or a reason there is no score, not both")
    assert_no_axe_violations(page)
    page.locator("#id_sdq_reason").select_option("")
    submit(page, "Save")
    expect(page.get_by_text("SDQ score 12")).to_be_visible()


def test_adding_the_sdq_to_a_health_assessment(world: Any, signed_in_page: Any) -> None:
    from harbour.reviews.models import HealthAssessment

    assessment = HealthAssessment.objects.create(child=world.child,
                                                 assessed_on=timezone.localdate() - dt.timedelta(days=20))
    page = signed_in_page(world.worker)
    page.goto(f"/reviews/child/{world.child.pk}/")
    page.locator(f'a[href$="/sdq/?assessment={assessment.pk}"]').click()
    expect(page.get_by_role("heading", name="Add the SDQ to a health assessment", level=1)).to_be_visible()
    assert_skip_link_first(page)
    assert_structure(page)
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Back to reviews and checks").focus()
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.name") == "assessment"
    assert page.evaluate("() => document.activeElement.checked")  # the one whose link was followed
    submit(page, "Save")
    assert_error_state(page, "Enter the SDQ score, or select why there is no score")
    assert_no_axe_violations(page)
    page.locator("#id_sdq_score").fill("14")
    submit(page, "Save")
    expect(page.get_by_text("SDQ score 14")).to_be_visible()
    assert_reflows(page)
    assessment.refresh_from_db()
    assert assessment.sdq_score == 14


def test_changing_the_social_worker_asks_why(world: Any, signed_in_page: Any, make_user: Any) -> None:
    from harbour.accounts.models import Allocation, Role

    make_user(Role.SOCIAL_WORKER, team=world.team, username="second", first_name="Tariq", last_name="Second")
    page = signed_in_page(world.leader)
    page.goto(f"/children/{world.child.pk}/")
    page.get_by_role("link", name="Change the social worker").click()
    expect(page.get_by_role("heading", name="Change the social worker", level=1)).to_be_visible()
    assert_skip_link_first(page)
    assert_structure(page)
    assert_no_axe_violations(page)
    page.locator("#id_worker").select_option(label="Tariq Second, Children in care team 1")
    submit(page, "Change social worker")
    assert_error_state(page, "Select why the social worker is changing")
    assert_no_axe_violations(page)
    page.get_by_label("Managing caseloads").check()
    submit(page, "Change social worker")
    assert Allocation.objects.get(child=world.child, kind="social_worker", end__isnull=True).change_reason == "MANAGE"
    assert_reflows(page)


def test_previous_permanence_from_the_legal_page(world: Any, signed_in_page: Any) -> None:
    from harbour.returns.models import PreviousPermanence

    page = signed_in_page(world.worker)
    page.goto(f"/children/{world.child.pk}/legal/")
    expect(page.get_by_text("Not recorded: whether Mohammed Ahmadi had a previous permanence order")).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Record previous permanence").click()
    expect(page.get_by_role("heading", name="Previous permanence", level=1)).to_be_visible()
    assert_skip_link_first(page)
    assert_structure(page)
    assert_no_axe_violations(page)
    page.get_by_label("Special guardianship order").check()
    submit(page, "Save")
    assert_error_state(page, "Enter the code of the council where the order was made", "Enter the date the order was made")
    assert_no_axe_violations(page)
    page.get_by_label("Code of the council where the order was made").fill("383")
    fill_date(page, "made_on", dt.date(2019, 1, 14))
    submit(page, "Save")
    expect(page.get_by_text("Special guardianship order, council 383, made 14 January 2019")).to_be_visible()
    assert PreviousPermanence.objects.get(child=world.child).order == "P2"
    page.goto(f"/returns/children/{world.child.pk}/previous-permanence/")
    assert_reflows(page)
