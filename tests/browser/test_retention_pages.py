"""Retention and documents in the browser: an administrator places a legal hold (with the error
summary first), proposes destruction, a second administrator approves it; a social worker uploads a
document (with the error summary for a file that is not allowed) and downloads it. axe (WCAG 2.2 AA),
the keyboard and reflow on each page."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
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
def due_child(world: Any) -> Any:
    from harbour.children.models import Child, PeriodLookedAfter

    Child.unscoped.filter(pk=world.child.pk).update(date_of_birth=dt.date(1940, 5, 1))
    PeriodLookedAfter.objects.create(child=world.child, start=dt.date(1950, 1, 1), end=dt.date(1958, 5, 1))
    return world.child


def test_two_administrators_hold_then_destroy_a_record(world: Any, due_child: Any, make_user: Any,
                                                       signed_in_page: Any) -> None:
    from harbour.accounts.models import Role
    from harbour.children.models import Child

    page = signed_in_page(world.admin)
    page.goto("/")
    page.get_by_role("link", name="Retention", exact=True).click()
    expect(page.locator("h1")).to_have_text("Retention")
    expect(page.locator("#due ~ div table tbody tr")).to_have_count(1)
    assert_skip_link_first(page)
    assert_structure(page)
    assert_no_axe_violations(page)
    assert_reflows(page)

    # The keyboard reaches the hold form's first field and the error summary says what to fix.
    page.get_by_label("Record identifier").focus()
    page.keyboard.type("not an identifier")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Why the record must be kept")).to_be_focused()
    submit(page, "Place the hold")
    assert_error_state(page, "Enter the record identifier in the form shown in the list",
                       "Enter why the record must be kept")
    assert_no_axe_violations(page)

    page.get_by_label("Record identifier").fill(str(due_child.pk))
    page.get_by_label("Why the record must be kept").fill("Claim against the council")
    submit(page, "Place the hold")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Legal hold placed")
    expect(page.locator("#due ~ div table").first).to_contain_text("Legal hold")
    submit(page, "Release the hold")
    submit(page, "Propose destruction")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Another administrator must approve it")
    expect(page.get_by_role("button", name="Approve and destroy")).to_have_count(0)
    assert_no_axe_violations(page)

    second = signed_in_page(make_user(Role.ADMINISTRATOR, username="admin2", first_name="Bo", last_name="Second"))
    second.goto("/retention/")
    submit(second, "Approve and destroy")
    expect(second.locator(".govuk-notification-banner")).to_contain_text("The record has been destroyed")
    expect(second.get_by_role("region", name="Tombstones of destroyed records")).to_contain_text(str(due_child.pk))
    assert_no_axe_violations(second)
    assert not Child.unscoped.filter(pk=due_child.pk).exists()


def test_a_social_worker_uploads_and_downloads_a_document(world: Any, signed_in_page: Any, tmp_path: Path,
                                                          settings: Any) -> None:
    settings.HARBOUR_DOCUMENTS_ROOT = tmp_path / "documents"
    page = signed_in_page(world.worker)
    page.goto(f"/children/{world.child.pk}/")
    page.get_by_role("link", name="Documents", exact=True).click()
    expect(page.locator("h1")).to_have_text("Documents")
    assert_structure(page)
    assert_no_axe_violations(page)
    assert_reflows(page)

    fake = tmp_path / "report.pdf"
    fake.write_bytes(b"<html><script>alert(1)</script></html>")
    page.get_by_label("Age assessment report").check()
    page.get_by_label("Upload a file").set_input_files(str(fake))
    submit(page, "Upload the document")
    assert_error_state(page, "The selected file must be a PDF, PNG, JPEG or DOCX")
    assert_no_axe_violations(page)

    real = tmp_path / "signed plan.pdf"
    real.write_bytes(b"%PDF-1.7\n%%EOF\n")
    page.get_by_label("Signed pathway plan").check()
    page.get_by_label("Upload a file").set_input_files(str(real))
    submit(page, "Upload the document")
    expect(page.locator("tbody tr")).to_have_count(1)
    assert_no_axe_violations(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="signed plan.pdf").click()
    assert download.value.suggested_filename == "signed plan.pdf"


def test_a_body_too_big_for_the_server_gets_a_page_that_says_what_to_do(world: Any, signed_in_page: Any,
                                                                          tmp_path: Path, settings: Any) -> None:
    settings.HARBOUR_DOCUMENTS_ROOT = tmp_path / "documents"
    settings.HARBOUR_MAX_REQUEST_BYTES = 32 * 1024  # the same rule as at 11MB, with a small file
    page = signed_in_page(world.worker)
    page.goto(f"/documents/children/{world.child.pk}/")
    big = tmp_path / "scan.pdf"
    big.write_bytes(b"%PDF-1.7\n" + b"0" * (64 * 1024))
    page.get_by_label("Age assessment report").check()
    page.get_by_label("Upload a file").set_input_files(str(big))
    submit(page, "Upload the document")
    expect(page.locator("h1")).to_have_text("What you sent was too big")
    expect(page.locator("main")).to_contain_text("smaller than 10MB")
    assert_skip_link_first(page)
    assert_structure(page)
    assert_no_axe_violations(page)
    assert_reflows(page)
