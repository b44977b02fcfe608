"""What the SSDA903 return needs of the child, in the browser: the change page's error summary and
field errors, the keyboard, axe, and the legal status page showing what was saved."""

from __future__ import annotations

import datetime as dt
from typing import Any

from playwright.sync_api import Page, expect

from .support import (
    assert_error_state,
    assert_no_axe_violations,
    assert_reflows,
    assert_skip_link_first,
    submit,
)
from .test_keyboard import tab_through


def test_a_social_worker_records_the_category_of_need_and_motherhood(
    make_user: Any, make_child: Any, signed_in_page: Any
) -> None:
    from harbour.accounts.models import Role

    worker = make_user(Role.SOCIAL_WORKER)
    child = make_child(social_worker=worker, given_names="Chloe", family_name="Walsh", sex="F",
                       date_of_birth=dt.date(2009, 2, 14))
    page: Page = signed_in_page(worker)
    page.goto(f"/children/{child.pk}/legal/")
    expect(page.locator("main")).to_contain_text("For the children looked after return")
    assert_no_axe_violations(page)

    page.goto(f"/children/{child.pk}/return-facts/change/")
    expect(page.locator("h1")).to_have_text("Change what the return needs")
    assert_skip_link_first(page)
    assert_no_axe_violations(page)
    assert_reflows(page)
    stops = tab_through(page, limit=40)
    hidden = [s["name"] for s in stops if not (s["visible"] and s["onScreen"])]
    no_ring = [s["name"] for s in stops if not s["ring"]]
    assert hidden == [] and no_ring == [], (hidden, no_ring)

    page.goto(f"/children/{child.pk}/return-facts/change/")
    page.get_by_role("radio", name="Yes").check()
    submit(page, "Save")
    assert_error_state(page, "Select the category of need, N1 to N8")
    assert_no_axe_violations(page)

    page.get_by_label("Category of need").select_option("N5")
    page.get_by_role("radio", name="Yes").check()
    submit(page, "Save")
    assert_error_state(page, "Enter the date of birth of her first child")
    assert_no_axe_violations(page)

    page.get_by_label("Category of need").select_option("N5")
    page.get_by_role("radio", name="No").check()
    submit(page, "Save")
    expect(page.locator("h1")).to_have_text("Legal status and care")
    expect(page.locator("main")).to_contain_text("N5: family dysfunction")
