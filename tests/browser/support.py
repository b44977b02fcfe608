"""Helpers for the browser tests: test data built with the ORM, signing in, and page checks."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from conftest import TEST_PASSWORD  # the repository root's conftest: every test user's password

from .conftest import axe_violations

# "Monday 7 December 2026": how deadlines are written, weekday and all.
LONG_DATE_WITH_DAY = re.compile(
    r"(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday) \d{1,2} "
    r"(January|February|March|April|May|June|July|August|September|October|November|December) \d{4}"
)


@dataclass
class World:
    team: Any
    leader: Any
    worker: Any
    manager: Any
    partner: Any
    admin: Any
    child: Any


def make_history_child(*, worker: Any) -> Any:
    """Mohammed Ahmadi: in care for 200 days, two placements, reviews, visits, a health assessment,
    a PEP, a care plan, a case note, an alias and two dates of birth. Dates run back from today,
    so that one visit is overdue and the next review is due within four weeks."""
    from harbour.children import services
    from harbour.children.models import ChronologyEntry
    from harbour.placements.models import Placement
    from harbour.reviews.models import (
        CarePlan,
        HealthAssessment,
        PersonalEducationPlan,
        Review,
        Visit,
    )

    today = timezone.localdate()

    def ago(days: int) -> dt.date:
        return today - dt.timedelta(days=days)

    child = services.child_create(
        actor=worker, identity={"given_names": "Mohammed", "family_name": "Ahmadi", "nationality": "Afghan",
                                "first_language": "Pashto", "interpreter_needed": True,
                                "home_office_reference": "HO-1234567", "is_uasc": True},
        date_of_birth=dt.date(today.year - 16, 3, 14), date_of_birth_source="claimed", social_worker=worker,
        today=today,
    )
    services.date_of_birth_record(actor=worker, child=child, date_of_birth=dt.date(today.year - 17, 1, 1),
                                  source="home_office", use_it=False, note="From the Home Office letter", today=today)
    services.child_add_name(actor=worker, child=child, name="Mo Ahmadi", kind="alias")
    services.period_looked_after_add(actor=worker, child=child, start=ago(200), end=None, today=today)
    services.legal_status_add(actor=worker, child=child, legal_status="V2", start=ago(200), end=ago(150), today=today)
    services.legal_status_add(actor=worker, child=child, legal_status="C2", start=ago(149), end=None, today=today)
    Placement.objects.create(child=child, start=ago(200), end=ago(120), placement_type="U6",
                             carer_or_provider="Jones family")
    Placement.objects.create(child=child, start=ago(119), placement_type="K2", carer_or_provider="Seaview House")
    CarePlan.objects.create(child=child, agreed_on=ago(195))
    Review.objects.create(child=child, held_on=ago(185), chair=worker, participation="PN1")
    Review.objects.create(child=child, held_on=ago(170), participation="PN1")
    for days in (197, 160, 115, 75):
        Visit.objects.create(child=child, visited_on=ago(days), visitor=worker, seen_alone=True)
    HealthAssessment.objects.create(child=child, assessed_on=ago(190))
    PersonalEducationPlan.objects.create(child=child, reviewed_on=ago(185))
    ChronologyEntry.objects.create(child=child, kind="note", occurred_at=timezone.now() - dt.timedelta(days=3),
                                   title="Spoke to Mohammed about college", recorded_by=worker)
    return child


# --- Signing in ----------------------------------------------------------------------------------


def totp_token(device: TOTPDevice) -> str:
    device.refresh_from_db()
    return str(TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token()).zfill(device.digits)


def submit(page: Page, button: str) -> None:
    """Press a form's button and wait for the page the server sends back."""
    with page.expect_navigation():
        page.get_by_role("button", name=button, exact=True).click()


def sign_in_through_pages(page: Page, user: Any, *, next_path: str = "/") -> None:
    """Sign in as a person does: username and password, then the code from the authenticator app."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
        user=user, name="Work phone", confirmed=True
    )
    page.goto(f"/accounts/sign-in/?next={next_path}")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password", exact=True).fill(TEST_PASSWORD)
    submit(page, "Sign in")
    expect(page.locator("h1")).to_have_text("Enter your security code")
    page.get_by_label("Security code").fill(totp_token(device))
    submit(page, "Continue")


def sign_out(page: Page) -> None:
    submit(page, "Sign out")
    expect(page.locator("h1")).to_have_text("Sign in")


# --- Page checks ---------------------------------------------------------------------------------


def assert_styled(page: Page) -> None:
    """The GOV.UK stylesheet applied: axe's colour-contrast check means nothing on an unstyled page."""
    font = page.evaluate("() => getComputedStyle(document.querySelector('h1') || document.body).fontFamily")
    assert "Arial" in font, (f"GOV.UK styles did not load on {page.url}: h1 font-family is {font!r}. "
                             "Is static/dist built? Run `npm run build` (`make test` does).")


def assert_no_axe_violations(page: Page) -> None:
    assert_styled(page)
    violations = axe_violations(page)
    assert violations == [], f"axe found problems on {page.url}:\n" + "\n".join(map(str, violations))


def _squash(text: str) -> str:
    return " ".join(text.split())


def assert_structure(page: Page, *, error: bool = False) -> None:
    """One h1; the <title> starts with it (after "Error: " when a submit failed)."""
    headings = page.locator("h1")
    assert headings.count() == 1, f"{page.url} has {headings.count()} h1 elements"
    h1 = _squash(headings.inner_text())
    title = _squash(page.title())
    prefix = "Error: " if error else ""
    assert title.startswith(prefix + h1), f"title {title!r} does not start with {prefix + h1!r} on {page.url}"
    if not error:
        assert not title.startswith("Error:"), f"{page.url} says Error in its title without an error"


def assert_skip_link_first(page: Page) -> None:
    """Tab from the top of a freshly loaded page lands on the skip link, whose target exists."""
    page.keyboard.press("Tab")
    focused = page.evaluate(
        "() => ({cls: document.activeElement.className, href: document.activeElement.getAttribute('href')})"
    )
    assert "govuk-skip-link" in focused["cls"], f"first Tab stop on {page.url} is {focused}"
    assert page.locator(focused["href"]).count() == 1
    page.keyboard.press("Shift+Tab")  # leave the page as it was for axe


def assert_error_state(page: Page, *messages: str) -> None:
    """After a failed submit: "Error: " title, focus on the error summary, working summary links,
    and each expected message in the summary."""
    assert_structure(page, error=True)
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()  # govuk-frontend's ErrorSummary moves focus here
    for message in messages:
        expect(summary).to_contain_text(message)
    links = summary.locator(".govuk-error-summary__list a")
    for i in range(links.count()):
        href = links.nth(i).get_attribute("href") or ""
        assert href.startswith("#"), f"error summary link {href!r} on {page.url}"
        target = page.locator(f"[id='{href[1:]}']")
        assert target.count() == 1, f"error summary link {href!r} points at nothing on {page.url}"


def assert_reflows(page: Page, width: int = 320) -> None:
    """WCAG 1.4.10: at 320 CSS pixels wide nothing needs horizontal scrolling."""
    page.set_viewport_size({"width": width, "height": 800})
    scroll_width = page.evaluate("() => document.documentElement.scrollWidth")
    assert scroll_width <= width, f"{page.url} is {scroll_width}px wide at a {width}px viewport"
