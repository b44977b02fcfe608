"""The placement request pages in the browser: axe (WCAG 2.2 AA), one h1 that starts the title, the
skip link first and reflow; the new request form's error summary; the request page on both tracks;
the comparison of offers by keyboard; and the provider's own view."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from .support import (
    assert_error_state,
    assert_no_axe_violations,
    assert_reflows,
    assert_skip_link_first,
    assert_structure,
    submit,
)
from .test_keyboard import tab_through


def check(page: Page, *, reflow: bool = False) -> None:
    assert_structure(page)
    assert_no_axe_violations(page)
    if reflow:
        assert_reflows(page)


@pytest.fixture
def placements(world: Any, make_user: Any, make_agency: Any) -> dict[str, Any]:
    """A placements officer, Oak Care (a provider agency with a user and two providers), two
    in-house providers, and Mohammed's needs recorded."""
    from harbour.accounts.models import PartnerAgency, Role
    from harbour.placements.models import NeedsProfile, Provider

    officer = make_user(Role.PLACEMENTS_OFFICER, username="placements", first_name="Pip", last_name="Placer")
    oak = make_agency(kind=PartnerAgency.Kind.PROVIDER, name="Oak Care Ltd")
    oak_user = make_user(Role.PARTNER, agency=oak, username="oak", first_name="Olu", last_name="Oak")
    NeedsProfile.objects.create(child=world.child, needs=["trauma", "esol", "education"])

    def provider(name: str, kind: str, **extra: Any) -> Provider:
        fields = {"place_type": {"childrens_home": "K2", "supported_accommodation": "K3"}.get(kind, "U6"),
                  "place_provider": "PR1" if kind in Provider.IN_HOUSE_KINDS else "PR4", "places": 2, "vacancies": 1,
                  "area": "Harbourside", "cost_per_week": Decimal("850")}
        fields.update(extra)
        return Provider.objects.create(name=name, kind=kind, **fields)

    return {
        "officer": officer, "oak_user": oak_user,
        "carer": provider("Amina and Yusuf Khan", "foster_carer", languages="Pashto, English", faith="Muslim",
                          communities="Afghan", needs_met=["trauma", "esol"]),
        "base": provider("Harbourside intake base", "intake_base"),
        "ifa": provider("Bright Futures Fostering", "fostering_agency", partner_agency=oak,
                        cost_per_week=Decimal("1100")),
        "home": provider("Oak House", "childrens_home", partner_agency=oak, cost_per_week=Decimal("4200")),
        "full": provider("Full House", "foster_carer", vacancies=0),
    }


def sent_request(world: Any, placements: dict[str, Any], *, offers: bool = False) -> Any:
    from harbour.placements import services_requests as services

    today, now = timezone.localdate(), timezone.now()
    request = services.request_create(actor=placements["officer"], child=world.child,
                                      needed_from=today + dt.timedelta(days=5), area_wanted="Harbourside",
                                      summary_for_providers="Needs a calm home near a college with ESOL classes",
                                      now=now, today=today)
    services.request_send(actor=placements["officer"], request=request, now=now, today=today)
    if offers:
        for key, unit in (("carer", ""), ("ifa", "The Smith family"), ("home", "")):
            services.offer_record(actor=placements["officer"], request=request, provider=placements[key],
                                  available_from=today + dt.timedelta(days=5), carer_or_unit=unit, now=now,
                                  today=today)
    services.decline_record(actor=placements["officer"], request=request, provider=placements["base"],
                            reason="no_vacancy", now=now)
    return request


def fill_date(page: Page, field: str, day: dt.date) -> None:
    page.fill(f"#id_{field}-day", str(day.day))
    page.fill(f"#id_{field}-month", str(day.month))
    page.fill(f"#id_{field}-year", str(day.year))


def test_the_new_request_form_its_errors_and_the_draft(world: Any, placements: dict[str, Any],
                                                       signed_in_page: Any) -> None:
    page = signed_in_page(placements["officer"])
    response = page.goto(f"/placements/requests/new/{world.child.pk}/")
    assert response is not None and response.status == 200
    assert_skip_link_first(page)
    check(page, reflow=True)

    submit(page, "Save the request")
    assert_error_state(page, "Enter the date the placement is needed",
                       "Enter a summary for providers of what the child needs from a placement")
    assert_no_axe_violations(page)

    fill_date(page, "needed_from", timezone.localdate() + dt.timedelta(days=5))
    page.get_by_label("Area wanted (optional)").fill("Harbourside")
    page.get_by_label("Summary for providers").fill("Mohammed needs a calm home")
    submit(page, "Save the request")
    assert_error_state(page, "Summary for providers must not include the child's name, date of birth or references")
    assert_no_axe_violations(page)

    page.get_by_label("Summary for providers").fill("Needs a calm home near a college")
    submit(page, "Save the request")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Request saved")
    expect(page.locator("main")).to_contain_text("What providers will be told")
    expect(page.locator("main")).to_contain_text("Full House: No vacancy")
    check(page, reflow=True)

    submit(page, "Send to both tracks")
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Request sent to 4 providers: 2 in-house and 2 external")
    check(page)


def test_the_request_page_and_the_answer_forms(world: Any, placements: dict[str, Any], signed_in_page: Any) -> None:
    request = sent_request(world, placements)
    page = signed_in_page(placements["officer"])
    response = page.goto(f"/placements/requests/{request.pk}/")
    assert response is not None and response.status == 200
    expect(page.locator("#in-house")).to_have_text("In-house (2 asked)")
    expect(page.locator("#external")).to_have_text("External (2 asked)")
    assert_skip_link_first(page)
    check(page, reflow=True)

    page.get_by_role("link", name="Record offer from Bright Futures Fostering").click()
    check(page)
    page.get_by_label("Cost per week, in pounds (optional)").fill("lots")
    submit(page, "Record offer")
    assert_error_state(page, "Enter the date the place is available from")
    assert_no_axe_violations(page)
    fill_date(page, "available_from", timezone.localdate() + dt.timedelta(days=5))
    page.get_by_label("Cost per week, in pounds (optional)").fill("")
    submit(page, "Record offer")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Offer from Bright Futures Fostering recorded")

    page.get_by_role("link", name="Record decline from Oak House").click()
    submit(page, "Record decline")
    assert_error_state(page, "Select why the provider declined")
    assert_no_axe_violations(page)
    page.get_by_label("Other").check()
    submit(page, "Record decline")
    assert_error_state(page, "Enter why the provider declined")
    page.get_by_label("More about why (optional)").fill("Staff shortage")
    submit(page, "Record decline")
    expect(page.locator("main")).to_contain_text("Other: Staff shortage")
    check(page)


def test_the_comparison_by_keyboard_the_child_view_and_the_choice(world: Any, placements: dict[str, Any],
                                                                 signed_in_page: Any) -> None:
    request = sent_request(world, placements, offers=True)
    page = signed_in_page(placements["officer"])
    response = page.goto(f"/placements/requests/{request.pk}/offers/")
    assert response is not None and response.status == 200
    titles = page.locator(".govuk-summary-card__title")
    expect(titles.first).to_have_text("1. Amina and Yusuf Khan")
    expect(page.locator("main")).to_contain_text("Speaks Pashto, the child's first language")
    assert_skip_link_first(page)
    check(page, reflow=True)

    # Keyboard only: every link and control is reached, on screen, with a visible focus indicator.
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"/placements/requests/{request.pk}/offers/")
    stops = tab_through(page)
    names = [s["name"] for s in stops]
    assert any("Record the child's view" in n for n in names), names
    assert [s["name"] for s in stops if not (s["visible"] and s["onScreen"])] == []
    assert [s["name"] for s in stops if not s["ring"]] == []

    # On by keyboard too: the card's action link, then Enter.
    page.get_by_role("link", name="Record the child's view of the offer from Amina and Yusuf Khan").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    check(page)
    submit(page, "Save the child's view")
    assert_error_state(page, "Enter the child's view of this offer, in their words")
    assert_no_axe_violations(page)
    page.get_by_label("The child's view of this offer").fill("They speak Pashto. I want to live there.")
    submit(page, "Save the child's view")
    expect(page.locator("main")).to_contain_text("They speak Pashto. I want to live there.")
    check(page)

    page.get_by_role("button", name="Record the child's choice").click()
    page.wait_for_load_state()
    check(page)
    submit(page, "Record the choice")
    assert_error_state(page, "Select the offer that was chosen", "Select who chose", "Enter why this offer was chosen")
    assert_no_axe_violations(page)
    page.get_by_label("Amina and Yusuf Khan").check()
    page.get_by_label("The child", exact=True).check()
    page.get_by_label("Why was this offer chosen?").fill("Mohammed chose the family who speak Pashto")
    submit(page, "Record the choice")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Choice recorded")
    expect(page.locator("main")).to_contain_text("Offer chosen Amina and Yusuf Khan")
    check(page)

    page.get_by_role("link", name="Start the placement").click()
    check(page, reflow=True)
    page.fill("#id_start-day", "")
    submit(page, "Start the placement")
    assert_error_state(page, "Start date must include a day", "Select yes if this is a long-term placement")
    assert_no_axe_violations(page)
    fill_date(page, "start", timezone.localdate())
    page.get_by_label("No", exact=True).check()
    submit(page, "Start the placement")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Placement started")
    expect(page.locator("main")).to_contain_text("Placed")
    check(page)


def test_the_provider_view(world: Any, placements: dict[str, Any], signed_in_page: Any) -> None:
    from harbour.placements.models import RequestRecipient

    request = sent_request(world, placements)
    mine = RequestRecipient.objects.get(request=request, provider=placements["ifa"])
    page = signed_in_page(placements["oak_user"])
    response = page.goto("/placements/provider/")
    assert response is not None and response.status == 200
    expect(page.locator("table")).to_contain_text("Bright Futures Fostering")
    expect(page.locator("table")).not_to_contain_text("Amina and Yusuf Khan")
    assert_skip_link_first(page)
    check(page, reflow=True)

    page.locator(f"a[href='/placements/provider/{mine.pk}/']").click()
    expect(page.locator("main")).to_contain_text("Needs a calm home near a college with ESOL classes")
    expect(page.locator("main")).not_to_contain_text("Mohammed")
    check(page, reflow=True)

    page.get_by_role("button", name="Make an offer").click()
    page.wait_for_load_state()
    check(page)
    submit(page, "Send offer")
    assert_error_state(page, "Enter the date the place is available from")
    assert_no_axe_violations(page)
    fill_date(page, "available_from", timezone.localdate() + dt.timedelta(days=5))
    page.get_by_label("Carer or unit (optional)").fill("The Smith family")
    submit(page, "Send offer")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Offer sent to the council")
    expect(page.locator("main")).to_contain_text("The Smith family")
    check(page)

    other = RequestRecipient.objects.get(request=request, provider=placements["home"])
    page.goto(f"/placements/provider/{other.pk}/decline/")
    submit(page, "Send answer")
    assert_error_state(page, "Select why you are declining")
    assert_no_axe_violations(page)
