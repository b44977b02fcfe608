"""The single referral form's pages pass axe (WCAG 2.2 AA) with the checks axe cannot make: the staff
form, the agencies page before and after sending (and after a refused send), and the partner's
link page, also after a failed acknowledgement."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from harbour.referrals import services_distribution as service
from harbour.referrals.tests.test_distribution import add_agencies, build_intake

from .support import (
    assert_error_state,
    assert_no_axe_violations,
    assert_reflows,
    assert_skip_link_first,
    assert_structure,
    submit,
)


@pytest.fixture
def intake(make_team: Any, make_user: Any, make_child: Any) -> Any:
    return build_intake(make_team, make_user, make_child)


def partner_link(intake: Any) -> str:
    """Send the form (the test's database commits, so the email goes at once) and return the
    health agency's link path."""
    mail.outbox.clear()
    service.send_referral_form(actor=intake.leader, referral=intake.referral, now=timezone.now())
    body = next(m.body for m in mail.outbox if m.to == ["lac.health@nhs.example"])
    match = re.search(r"/shared/[A-Za-z0-9_\-]+/", body)
    assert match
    return match.group(0)


def check_page(page: Any, *, banner: bool = False, reflow: bool = False) -> None:
    assert_structure(page)
    if not banner:  # a success banner takes focus (govuk-frontend), so Tab starts from there
        assert_skip_link_first(page)
    assert_no_axe_violations(page)
    if reflow:
        assert_reflows(page)


@pytest.mark.parametrize("path", ["form/", "agencies/"])
def test_staff_pages_before_anything_is_sent(intake: Any, signed_in_page: Any, path: str) -> None:
    add_agencies()
    page = signed_in_page(intake.leader)
    response = page.goto(f"/referrals/{intake.referral.pk}/{path}")
    assert response is not None and response.status == 200
    check_page(page, reflow=True)


def test_sending_from_the_agencies_page_then_chasing(intake: Any, signed_in_page: Any) -> None:
    add_agencies()
    page = signed_in_page(intake.leader)
    page.goto(f"/referrals/{intake.referral.pk}/agencies/")
    submit(page, "Send the referral form to every agency")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Referral form sent to 9 agencies")
    check_page(page, banner=True)
    page.get_by_role("button", name="Chase Harbourside Police").click()
    page.wait_for_load_state()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Reminder sent to Harbourside Police")
    check_page(page, banner=True, reflow=True)


def test_a_refused_send_shows_the_error_summary(intake: Any, signed_in_page: Any) -> None:
    page = signed_in_page(intake.leader)  # nothing on the distribution list
    page.goto(f"/referrals/{intake.referral.pk}/agencies/")
    submit(page, "Send the referral form to every agency")
    assert_error_state(page, "Add agencies to the distribution list before sending the form")
    assert_no_axe_violations(page)


def test_the_partner_link_page_and_its_acknowledge_form(intake: Any, new_context: Any) -> None:
    add_agencies()
    link = partner_link(intake)
    page = new_context().new_page()
    response = page.goto(link)
    assert response is not None and response.status == 200
    assert response.headers["referrer-policy"] == "strict-origin"
    check_page(page, reflow=True)
    submit(page, "Acknowledge the form")  # no name given
    assert_error_state(page, "Enter your name")
    assert_no_axe_violations(page)
    page.get_by_label("Your name").first.fill("Dr Amal Haddad")
    submit(page, "Acknowledge the form")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("the council can see that you have read the form")
    expect(page.get_by_text("Acknowledged by Dr Amal Haddad")).to_be_visible()
    check_page(page, banner=True)


def test_the_partner_add_form_error_and_success(intake: Any, new_context: Any) -> None:
    add_agencies()
    page = new_context().new_page()
    page.goto(partner_link(intake))
    submit(page, "Add to the child's record")
    assert_error_state(page, "Select what kind of information you are adding",
                       "Enter what your agency knows about the child", "Enter your name")
    assert_no_axe_violations(page)
    page.get_by_label("Health information").check()
    page.get_by_label("What does your agency know about the child?").fill("Registered with Quayside GP surgery.")
    page.locator("#id_add-given_by").fill("Dr Amal Haddad")
    submit(page, "Add to the child's record")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("now on the child's record")
    check_page(page, banner=True)


def test_a_dead_link_is_the_ordinary_404_page(new_context: Any, intake: Any) -> None:
    page = new_context().new_page()
    response = page.goto("/shared/" + "x" * 43 + "/")
    assert response is not None and response.status == 404
    assert_structure(page)
    assert_no_axe_violations(page)
