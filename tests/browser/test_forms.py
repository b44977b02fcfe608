"""Each form after a failed submit: axe, "Error: " in the title, focus on the error summary, summary
links that reach their fields; then the corrected form saves. And bad input refused with nothing
saved: a date of birth in the future, overlapping legal statuses and periods of care."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from .support import (
    LONG_DATE_WITH_DAY,
    assert_error_state,
    assert_no_axe_violations,
    assert_reflows,
    submit,
)


def long_date(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def fill_date(page: Page, field_id: str, day: dt.date) -> None:
    page.fill(f"#{field_id}-day", str(day.day))
    page.fill(f"#{field_id}-month", str(day.month))
    page.fill(f"#{field_id}-year", str(day.year))


def nothing(page: Page) -> None:
    pass


@dataclass
class FormCase:
    who: str | None
    path: str
    button: str
    messages: tuple[str, ...]
    bad: Callable[[Page], None] = nothing
    good: Callable[[Page], None] | None = None
    done_heading: str = ""
    reflow: bool = False


def _today() -> dt.date:
    return timezone.localdate()


def _create_good(page: Page) -> None:
    page.get_by_label("Given names").fill("Yusuf")
    page.get_by_label("Family name").fill("Karimi")
    page.select_option("#id_social_worker", label="Sam Worker, Children in care team 1")


def _identity_bad(page: Page) -> None:
    page.fill("#id_upn", "A123")
    page.fill("#id_reason", "The school gave us the pupil number")


def _identity_good(page: Page) -> None:
    page.fill("#id_upn", "A123456789012")
    page.fill("#id_reason", "The school gave us the pupil number")


def _name_good(page: Page) -> None:
    page.get_by_label("Name", exact=True).fill("Muhammad Ahmadi")
    page.get_by_label("Another spelling of the child's name").check()


def _dob_good(page: Page) -> None:
    fill_date(page, "id_date_of_birth", dt.date(_today().year - 16, 6, 1))
    page.get_by_label("Age assessment").check()
    page.get_by_label("No, keep it on record only").check()


def _legal_good(page: Page) -> None:
    # The history child's C2 order is still open, so a new status must end before it began.
    page.select_option("#id_legal_status", "L1")
    fill_date(page, "id_start", _today() - dt.timedelta(days=210))
    fill_date(page, "id_end", _today() - dt.timedelta(days=205))


def _period_bad(page: Page) -> None:
    fill_date(page, "id_start", _today() - dt.timedelta(days=300))
    fill_date(page, "id_end", _today() - dt.timedelta(days=310))


def _period_good(page: Page) -> None:
    fill_date(page, "id_start", _today() - dt.timedelta(days=300))
    fill_date(page, "id_end", _today() - dt.timedelta(days=250))


def _timeline_good(page: Page) -> None:
    page.get_by_label("Case note").check()
    fill_date(page, "id_occurred_on", _today())
    page.get_by_label("Summary").fill("Visited college with Mohammed")


def _timescales_bad(page: Page) -> None:
    page.get_by_label("Visits made").fill("14/3/2026\n31/2/2026")


def _timescales_good(page: Page) -> None:
    page.get_by_label("Visits made").fill("")
    fill_date(page, "id_looked_after_start", _today() - dt.timedelta(days=100))
    page.get_by_label("Reviews held").fill((_today() - dt.timedelta(days=85)).strftime("%d/%m/%Y"))


FORMS = {
    "sign-in": FormCase(None, "/accounts/sign-in/", "Sign in", ("Enter your username", "Enter your password")),
    "create-child": FormCase(
        "leader", "/children/new/", "Open the record",
        ("Enter the child's name, or a name they are known by", "Select the allocated social worker"),
        good=_create_good, done_heading="Yusuf Karimi", reflow=True,
    ),
    "edit-identity": FormCase(
        "worker", "/children/{child}/identity/change/", "Save changes",
        ("Unique pupil number must be 13 characters, like A123456789012",),
        bad=_identity_bad, good=_identity_good, done_heading="Identity and age",
    ),
    "add-name": FormCase(
        "worker", "/children/{child}/names/new/", "Add name", ("Enter the name", "Select what kind of name this is"),
        good=_name_good, done_heading="Identity and age",
    ),
    "add-date-of-birth": FormCase(
        "worker", "/children/{child}/date-of-birth/new/", "Record date of birth",
        ("Enter date of birth", "Select where this date of birth comes from",
         "Select whether to use this date of birth"),
        good=_dob_good, done_heading="Identity and age",
    ),
    "add-legal-status": FormCase(
        "worker", "/children/{child}/legal-status/new/", "Record legal status",
        ("Select the legal status", "Enter start date"), good=_legal_good, done_heading="Legal status and care",
    ),
    "add-period": FormCase(
        "worker", "/children/{child}/periods-looked-after/new/", "Record period",
        ("End date must be the same as or after the start date",), bad=_period_bad, good=_period_good,
        done_heading="Legal status and care",
    ),
    "add-timeline-entry": FormCase(
        "worker", "/children/{child}/timeline/new/", "Add to the timeline",
        ("Select what kind of entry this is", "Enter a summary"), good=_timeline_good, done_heading="Mohammed Ahmadi",
    ),
    "timescales": FormCase(
        "worker", "/timescales/", "Work out deadlines", ("Line 2 of visits made must be a real date, like 14/3/2026",),
        bad=_timescales_bad, good=_timescales_good, done_heading="Timescale calculator", reflow=True,
    ),
}


@pytest.mark.parametrize("name", list(FORMS))
def test_form_error_then_fixed(name: str, world: Any, signed_in_page: Any, new_context: Any) -> None:
    case = FORMS[name]
    page = new_context().new_page() if case.who is None else signed_in_page(getattr(world, case.who))
    path = case.path.format(child=world.child.pk)
    page.goto(path)
    case.bad(page)
    submit(page, case.button)

    assert_error_state(page, *case.messages)
    assert_no_axe_violations(page)
    # The first summary link takes keyboard focus to its field (govuk-frontend moves it).
    first = page.locator(".govuk-error-summary__list a").first
    target = (first.get_attribute("href") or "#")[1:]
    first.click()
    expect(page.locator(f"[id='{target}']")).to_be_focused()
    if case.reflow:
        assert_reflows(page)
        page.set_viewport_size({"width": 1280, "height": 720})

    if case.good is None:
        return
    case.good(page)
    submit(page, case.button)
    expect(page.locator(".govuk-error-summary")).to_have_count(0)
    expect(page.locator("h1")).to_have_text(case.done_heading)
    assert not page.title().startswith("Error")


def test_sign_in_with_a_wrong_password(world: Any, page: Page) -> None:
    page.goto("/accounts/sign-in/")
    page.get_by_label("Username").fill(world.worker.username)
    page.get_by_label("Password", exact=True).fill("not the password")
    submit(page, "Sign in")
    assert_error_state(page, "Enter a correct username and password")
    expect(page.get_by_label("Username")).to_have_value(world.worker.username)
    expect(page.get_by_label("Password", exact=True)).to_have_value("")  # never shown again
    assert_no_axe_violations(page)


def test_timescale_calculator_results(world: Any, signed_in_page: Any) -> None:
    page = signed_in_page(world.worker)
    page.goto("/timescales/")
    _timescales_good(page)
    fill_date(page, "id_date_of_birth", dt.date(_today().year - 15, 1, 1))
    fill_date(page, "id_placement_start", _today() - dt.timedelta(days=100))
    submit(page, "Work out deadlines")
    table = page.get_by_role("table")
    expect(table).to_contain_text("First review")
    expect(table).to_contain_text("Statutory visit")
    assert LONG_DATE_WITH_DAY.search(table.inner_text())
    assert_no_axe_violations(page)
    page.locator("summary").click()  # the same case as JSON, opened
    assert_no_axe_violations(page)
    assert_reflows(page)


# --- Bad input: refused, explained, nothing saved ------------------------------------------------


def test_future_date_of_birth_is_refused_and_nothing_saved(world: Any, signed_in_page: Any) -> None:
    from harbour.children.models import Child

    before = Child.unscoped.count()
    page = signed_in_page(world.worker)
    page.goto("/children/new/")
    page.get_by_label("Given names").fill("Yusuf")
    fill_date(page, "id_date_of_birth", _today() + dt.timedelta(days=1))
    submit(page, "Open the record")

    assert_error_state(page, "Date of birth must be today or in the past")
    expect(page.get_by_label("Given names")).to_have_value("Yusuf")  # what was typed is kept
    expect(page.locator("#id_date_of_birth-day")).to_have_class(  # the wrong date is marked
        "govuk-input govuk-date-input__input govuk-input--width-2 govuk-input--error")
    assert_no_axe_violations(page)
    assert Child.unscoped.count() == before


def test_overlapping_legal_status_is_refused_and_names_the_overlap(world: Any, signed_in_page: Any) -> None:
    from harbour.children.models import LegalStatusPeriod

    before = LegalStatusPeriod.objects.filter(child=world.child).count()
    c2_start = LegalStatusPeriod.objects.get(child=world.child, legal_status="C2").start
    page = signed_in_page(world.worker)
    page.goto(f"/children/{world.child.pk}/legal-status/new/")
    page.select_option("#id_legal_status", "C1")
    fill_date(page, "id_start", _today() - dt.timedelta(days=30))
    submit(page, "Record legal status")

    assert_error_state(page, f"Legal status must not overlap the C2 period that starts on {long_date(c2_start)}")
    assert_no_axe_violations(page)
    assert LegalStatusPeriod.objects.filter(child=world.child).count() == before


def test_overlapping_period_of_care_is_refused_and_names_the_overlap(world: Any, signed_in_page: Any) -> None:
    from harbour.children.models import PeriodLookedAfter

    start = PeriodLookedAfter.objects.get(child=world.child).start
    page = signed_in_page(world.worker)
    page.goto(f"/children/{world.child.pk}/periods-looked-after/new/")
    fill_date(page, "id_start", _today() - dt.timedelta(days=10))
    submit(page, "Record period")

    assert_error_state(page, f"Period of care must not overlap the one that starts on {long_date(start)}")
    assert PeriodLookedAfter.objects.filter(child=world.child).count() == 1
