"""The provider directory, a provider's page, the add-provider form (its error summary and the
keyboard), updating vacancies as a provider's own staff, the matching settings and the sufficiency
page, in the browser: axe (WCAG 2.2 AA) and the checks axe cannot make."""

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

NOW = timezone.make_aware(dt.datetime(2026, 11, 20, 10, 30))


@pytest.fixture
def officer(make_user: Any) -> Any:
    from harbour.accounts.models import Role

    return make_user(Role.PLACEMENTS_OFFICER, username="placements", first_name="Pip", last_name="Placer")


@pytest.fixture
def providers(officer: Any, make_agency: Any) -> dict[str, Any]:
    from harbour.accounts.models import PartnerAgency
    from harbour.placements import services_directory as services
    from harbour.placements.services_directory import ProviderDetails

    agency = make_agency(PartnerAgency.Kind.PROVIDER, name="Seaview Care Ltd")
    seaview = services.provider_create(actor=officer, details=ProviderDetails(
        name="Seaview House", kind="childrens_home", ofsted_urn="SC123456", postcode="HS1 2AB", area="Harbourside",
        ages_from=12, places=4, vacancies=1, place_provider="PR4", languages="English, Arabic",
        cost_per_week=Decimal("4500"), needs_met=("trauma", "education"), partner_agency_id=agency.pk), now=NOW)
    jones = services.provider_create(actor=officer, details=ProviderDetails(
        name="Jones family", kind="foster_carer", area="Northside", places=2, vacancies=1, languages="Pashto, Dari",
        mockingbird="hub", cost_per_week=Decimal("450")), now=NOW)
    point = services.provider_create(actor=officer, details=ProviderDetails(
        name="Harbour Point", kind="supported_accommodation", ofsted_urn="2654321", area="Harbourside",
        ages_from=16, places=6, vacancies=2, place_provider="PR5", cost_per_week=Decimal("1200")), now=NOW)
    return {"seaview": seaview, "jones": jones, "point": point, "agency": agency}


def check(page: Page, *, reflow: bool = False) -> None:
    assert_structure(page)
    assert_no_axe_violations(page)
    if reflow:
        assert_reflows(page)


def test_the_directory_and_its_filters(officer: Any, providers: dict[str, Any], signed_in_page: Any) -> None:
    page = signed_in_page(officer)
    response = page.goto("/placements/providers/")
    assert response is not None and response.status == 200
    assert_skip_link_first(page)
    expect(page.locator("caption")).to_contain_text("3 providers")
    check(page)

    page.get_by_label("Kind of provider").select_option("foster_carer")
    submit(page, "Apply filters")
    expect(page.locator("caption")).to_contain_text("1 provider found")
    expect(page.locator("tbody")).to_contain_text("Jones family")
    check(page, reflow=True)


def test_a_providers_page(officer: Any, providers: dict[str, Any], signed_in_page: Any) -> None:
    page = signed_in_page(officer)
    page.goto(f"/placements/providers/{providers['seaview'].pk}/")
    expect(page.locator("h1")).to_have_text("Seaview House")
    expect(page.locator("main")).to_contain_text("SC123456")
    expect(page.locator("main")).to_contain_text("Trauma-informed care")
    assert_skip_link_first(page)
    check(page, reflow=True)


def test_the_add_provider_form_its_errors_and_the_keyboard(officer: Any, providers: dict[str, Any],
                                                          signed_in_page: Any) -> None:
    page = signed_in_page(officer)
    page.goto("/placements/providers/new/")
    assert_skip_link_first(page)
    check(page)

    # Every control can be reached with Tab, is on screen when focused and shows where focus is.
    stops = tab_through(page, limit=120)
    assert len(stops) > 30, stops
    hidden = [s["name"] for s in stops if not (s["visible"] and s["onScreen"])]
    no_ring = [s["name"] for s in stops if not s["ring"]]
    assert hidden == [] and no_ring == [], (hidden, no_ring)

    page.goto("/placements/providers/new/")
    page.get_by_label("Approved for ages from").fill("")
    submit(page, "Add provider")
    assert_error_state(page, "Enter the provider's name", "Select the kind of provider",
                       "Enter approved for ages from")
    assert_no_axe_violations(page)

    page.get_by_label("Provider name").fill("Oak Lodge")
    page.get_by_label("Children's home").check()
    page.get_by_label("Approved for ages from").fill("11")
    page.get_by_label("Vacancies now").fill("9")
    submit(page, "Add provider")
    assert_error_state(page, "Enter the Ofsted URN, like SC123456",
                       "Vacancies must be no more than the number of children approved for (1)",
                       "Select who runs the provider")
    assert_no_axe_violations(page)

    page.get_by_label("Ofsted unique reference number (URN)").fill("sc654321")
    page.get_by_label("Number of children approved for").fill("3")
    page.get_by_label("Vacancies now").fill("2")
    page.get_by_label("PR5: voluntary or third sector").check()
    page.get_by_label("Trauma-informed care").check()
    submit(page, "Add provider")
    expect(page.locator("h1")).to_have_text("Oak Lodge")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Oak Lodge added to the directory")
    expect(page.locator("main")).to_contain_text("SC654321")
    check(page)


def test_a_provider_updates_its_own_vacancies(providers: dict[str, Any], make_user: Any,
                                              signed_in_page: Any) -> None:
    from harbour.accounts.models import Role

    staff = make_user(Role.PARTNER, agency=providers["agency"], username="seaview", first_name="Sally",
                      last_name="Seaview")
    page = signed_in_page(staff)
    page.goto(f"/placements/providers/{providers['seaview'].pk}/vacancies/")
    assert_skip_link_first(page)
    check(page, reflow=True)
    page.get_by_label("Vacancies now").fill("7")
    submit(page, "Update vacancies")
    assert_error_state(page, "Vacancies must be no more than the number of children approved for (4)")
    assert_no_axe_violations(page)
    page.get_by_label("Vacancies now").fill("3")
    submit(page, "Update vacancies")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Seaview House has 3 vacancies")
    check(page)
    assert page.goto(f"/placements/providers/{providers['jones'].pk}/vacancies/").status == 404


def test_the_matching_settings(make_user: Any, signed_in_page: Any) -> None:
    from harbour.accounts.models import Role

    page = signed_in_page(make_user(Role.TEAM_MANAGER, username="manager2"))
    page.goto("/placements/settings/")
    check(page)
    page.get_by_label("Language").fill("11")
    submit(page, "Save matching settings")
    assert_error_state(page, "Language must be a whole number from 0 to 10")
    assert_no_axe_violations(page)


def test_the_sufficiency_page(providers: dict[str, Any], make_user: Any, make_team: Any,
                              signed_in_page: Any) -> None:
    from harbour.accounts.models import Role
    from harbour.placements.tests.test_sufficiency_views import build_scenario

    build_scenario(make_team, make_user)
    page = signed_in_page(make_user(Role.COMMISSIONING_OFFICER, username="commissioner"))
    response = page.goto("/placements/sufficiency/")
    assert response is not None and response.status == 200
    expect(page.locator("#gaps h2")).to_have_text("Vacancies could cover all 3 children who need a placement now")
    expect(page.locator("svg[role='img']")).to_have_count(6)
    assert_skip_link_first(page)
    check(page, reflow=True)
    with page.expect_download() as download:
        page.locator("#gaps").get_by_role("link", name="Download this table as CSV").click()
    assert download.value.suggested_filename.startswith("sufficiency-gaps-")
