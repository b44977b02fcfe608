"""The rota and sign-off pages in the browser: axe (WCAG 2.2 AA), one h1 that starts the title, the
skip link first; the override form after a failed submit; and allocating and approving by clicking."""

from __future__ import annotations

import datetime as dt
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


@pytest.fixture
def council(world: Any, make_user: Any) -> dict[str, Any]:
    """A rota of four across two teams (one on leave, one at their limit), a practice lead, a
    director, a child just referred to the team leader's team, and one allocation already made."""
    from harbour.accounts.models import Allocation, Role, Team
    from harbour.allocation import services
    from harbour.allocation.models import Leave, PracticeLead, RotaMember
    from harbour.allocation.tests.support import new_child, referral_for

    today = timezone.localdate()
    other_team = Team.objects.create(name="Children in care team 2")
    people = [
        make_user(Role.SOCIAL_WORKER, team=world.team, first_name="Abeba", last_name="Tesfaye", caseload_limit=18),
        make_user(Role.SOCIAL_WORKER, team=other_team, first_name="Ben", last_name="Okafor", caseload_limit=1),
        make_user(Role.SOCIAL_WORKER, team=other_team, first_name="Chloe", last_name="Hughes", caseload_limit=18),
        make_user(Role.SOCIAL_WORKER, team=world.team, first_name="Dan", last_name="Price", caseload_limit=None),
    ]
    for position, user in enumerate(people, start=1):
        RotaMember.objects.create(user=user, position=position, uasc_trained=True, uasc_trained_on=dt.date(2026, 2, 1))
    Leave.objects.create(user=people[0], start=today - dt.timedelta(days=1), end=today + dt.timedelta(days=9),
                         reason="Annual leave")
    Allocation.objects.create(child=new_child(), worker=people[1], kind="social_worker", start=today)
    PracticeLead.objects.create(user=world.manager, specialism="Age assessment and trafficking")
    director = make_user(Role.DIRECTOR, username="director", first_name="Dee", last_name="Director")
    # One turn already taken, so the fairness table has something in it.
    services.allocate_from_rota(actor=world.manager, child=new_child(), today=today, now=timezone.now())
    child = new_child(given_names="Dawit", family_name="Tesfay", nationality="Eritrean")
    referral = referral_for(child, team=world.team, recorded_by=world.leader, nts_reference="NTS-2026-0042",
                            due=today + dt.timedelta(days=5))
    return {"people": people, "director": director, "child": child, "referral": referral}


PAGES = [
    ("rota", "manager", "/allocation/"),
    ("fairness", "manager", "/allocation/fairness/"),
    ("add-worker", "manager", "/allocation/workers/new/"),
    ("record-leave", "manager", "/allocation/leave/new/"),
    ("name-practice-lead", "manager", "/allocation/practice-leads/new/"),
    ("child-proposal", "leader", "/allocation/children/{child}/?referral={referral}"),
    ("child-someone-else", "leader", "/allocation/children/{child}/someone-else/?referral={referral}"),
    ("sign-off", "director", "/referrals/{referral}/sign-off/"),
    ("sign-off-waiting-for-director", "leader", "/referrals/{referral}/sign-off/"),
    ("sign-offs-waiting", "director", "/referrals/sign-off/"),
    ("sign-off-delegates", "director", "/referrals/sign-off/delegates/"),
]
REFLOW = {"rota", "child-proposal", "sign-off"}


def _page_for(who: str, world: Any, council: dict[str, Any], signed_in_page: Any) -> Page:
    user = council["director"] if who == "director" else getattr(world, who)
    return signed_in_page(user)


@pytest.mark.parametrize(("name", "who", "path"), PAGES, ids=[p[0] for p in PAGES])
def test_page(name: str, who: str, path: str, world: Any, council: dict[str, Any], signed_in_page: Any) -> None:
    page = _page_for(who, world, council, signed_in_page)
    path = path.format(child=council["child"].pk, referral=council["referral"].pk)
    response = page.goto(path)
    assert response is not None and response.status == 200, f"{path} answered {response and response.status}"
    assert_structure(page)
    assert_skip_link_first(page)
    assert_no_axe_violations(page)
    if name in REFLOW:
        assert_reflows(page)


def test_the_rota_names_who_is_next_and_why_others_are_passed_over(world: Any, council: dict[str, Any],
                                                                 signed_in_page: Any) -> None:
    page = signed_in_page(world.manager)
    page.goto("/allocation/")
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(4)
    # Abeba is on leave and Ben at his limit, so the fixture's turn went to Chloe and Dan is next.
    expect(rows.nth(3)).to_contain_text("Next")
    expect(rows.nth(0)).to_contain_text("On leave until")
    expect(rows.nth(1)).to_contain_text("At caseload limit (1 of 1)")


def test_allocating_someone_else_needs_a_reason_then_allocates(world: Any, council: dict[str, Any],
                                                              signed_in_page: Any) -> None:
    from harbour.allocation.models import RotaTurn

    page = signed_in_page(world.leader)
    page.goto(f"/allocation/children/{council['child'].pk}/?referral={council['referral'].pk}")
    expect(page.locator("h1")).to_have_text("Allocate a social worker")
    page.get_by_role("link", name="Allocate someone else").click()
    expect(page.locator("h1")).to_have_text("Allocate someone else")
    page.select_option("#id_worker", label="Abeba Tesfaye, Children in care team 1")
    submit(page, "Allocate social worker")
    assert_error_state(page, "Enter why you are allocating someone other than the next worker on the rota")
    assert_no_axe_violations(page)
    assert_reflows(page)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.get_by_label("Why are you allocating someone other than the next worker on the rota?").fill(
        "She speaks Tigrinya, as Dawit does")
    submit(page, "Allocate social worker")
    expect(page.locator("h1")).to_have_text("Dawit Tesfay")
    turn = RotaTurn.objects.get(child=council["child"])
    assert turn.overridden and turn.allocated == council["people"][0] and turn.referral == council["referral"]


def test_allocating_the_proposed_worker_by_clicking(world: Any, council: dict[str, Any], signed_in_page: Any) -> None:
    page = signed_in_page(world.leader)
    page.goto(f"/allocation/children/{council['child'].pk}/?next=/referrals/{council['referral'].pk}/sign-off/")
    submit(page, "Allocate Dan Price")
    expect(page.locator("h1")).to_have_text("Approve section 20 accommodation")
    assert council["child"].allocations.get().worker == council["people"][3]


def test_the_director_approves_from_the_list(world: Any, council: dict[str, Any], signed_in_page: Any) -> None:
    page = signed_in_page(council["director"])
    page.goto("/referrals/sign-off/")
    page.get_by_role("link", name="Dawit Tesfay").click()
    page.get_by_label("Note (optional)").fill("Agreed")
    submit(page, "Approve section 20 accommodation")
    expect(page.locator("h1")).to_have_text("Sign-offs waiting")
    expect(page.locator("main")).to_contain_text("No sign-offs are waiting.")
    assert_no_axe_violations(page)
    page.goto(f"/referrals/{council['referral'].pk}/sign-off/")
    expect(page.locator(".govuk-panel")).to_contain_text("Dee Director")
    assert_no_axe_violations(page)


def test_the_delegates_form_after_a_failed_submit(world: Any, council: dict[str, Any], signed_in_page: Any) -> None:
    page = signed_in_page(council["director"])
    page.goto("/referrals/sign-off/delegates/")
    submit(page, "Name delegate")
    assert_error_state(page, "Select the manager who can approve in your place", "Enter start date")
    assert_no_axe_violations(page)
