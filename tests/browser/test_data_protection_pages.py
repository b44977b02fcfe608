"""The data-protection pages (ADR 0017): the subject-access export, the restriction of processing
and the corrections on the identity page. axe, keyboard, the error summary, and what a manager
sees and downloads."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

import pytest
from playwright.sync_api import expect

from .support import assert_error_state, assert_no_axe_violations, assert_skip_link_first, submit

pytestmark = pytest.mark.browser


def test_a_manager_exports_the_whole_record_by_keyboard(world: Any, signed_in_page: Any) -> None:
    page = signed_in_page(world.manager)
    page.goto(f"/children/{world.child.pk}/")
    page.get_by_role("link", name="Export the whole record for a subject access request").click()
    expect(page.locator("h1")).to_have_text("Export the whole record for a subject access request")
    assert_skip_link_first(page)
    assert_no_axe_violations(page)

    submit(page, "Download the export")
    assert_error_state(page, "Enter the subject access request reference", "Enter why the record is being exported")
    assert_no_axe_violations(page)
    first = page.locator(".govuk-error-summary__list a").first
    first.click()
    expect(page.locator("#id_reference")).to_be_focused()

    page.keyboard.type("SAR-2026-0412")
    page.keyboard.press("Tab")
    page.keyboard.type("The young person, through their advocate")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the export").press("Enter")
    content = open(download.value.path(), "rb").read()  # noqa: PTH123, SIM115 - playwright gives a path
    archive = zipfile.ZipFile(io.BytesIO(content))
    records = json.loads(archive.read(next(n for n in archive.namelist() if n.endswith(".json"))))["records"]
    assert any(r["model"] == "children.Child" and r["id"] == str(world.child.pk) for r in records)
    assert download.value.suggested_filename.startswith("subject-access-SAR-2026-0412-")


def test_a_manager_restricts_processing_and_the_record_says_so(world: Any, signed_in_page: Any) -> None:
    page = signed_in_page(world.manager)
    page.goto(f"/children/{world.child.pk}/restriction/")
    assert_no_axe_violations(page)
    submit(page, "Restrict processing")
    assert_error_state(page, "Enter the reason")
    assert_no_axe_violations(page)
    page.get_by_label("Reason").fill("The young person contests their date of birth")
    submit(page, "Restrict processing")
    warning = page.locator("#processing-restricted")
    expect(warning).to_contain_text("Processing is restricted")
    expect(warning).to_contain_text("contests their date of birth")
    assert_no_axe_violations(page)


def test_the_identity_page_lists_corrections_accessibly(world: Any, signed_in_page: Any) -> None:
    page = signed_in_page(world.worker)
    page.goto(f"/children/{world.child.pk}/identity/change/")
    page.fill("#id_preferred_name", "Mo")
    page.fill("#id_reason", "The name he asked us to use")
    submit(page, "Save changes")
    expect(page.locator("h1")).to_have_text("Identity and age")
    corrections = page.locator("#corrections + .govuk-summary-card")
    expect(corrections).to_contain_text("The name he asked us to use")
    expect(corrections).to_contain_text("Mo")
    assert_no_axe_violations(page)
