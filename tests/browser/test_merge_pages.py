"""Merging two records of one child in the browser (ADR 0019): a social worker finds the duplicate
from the child's record and proposes merging, with the error summary first; a team leader checks
both records side by side, confirms (error summary first), and undoes the merge (error summary
first). axe (WCAG 2.2 AA), the keyboard and reflow on each page."""

from __future__ import annotations

import datetime as dt
from typing import Any

from playwright.sync_api import expect

from .support import (
    assert_error_state,
    assert_no_axe_violations,
    assert_reflows,
    assert_skip_link_first,
    assert_structure,
    submit,
)


def test_a_worker_proposes_a_merge_a_leader_confirms_and_undoes_it(
    world: Any, make_child: Any, signed_in_page: Any
) -> None:
    from django.utils import timezone

    from harbour.accounts.models import Allocation
    from harbour.children.models import Child
    from harbour.merging.models import ChildMerge

    twin = make_child(
        social_worker=world.worker,
        given_names="Muhammad",
        family_name="Ahmady",
        home_office_reference="HO-1234567",
        date_of_birth=dt.date(2009, 1, 1),
    )
    Allocation.objects.filter(child=twin).update(end=timezone.localdate())

    page = signed_in_page(world.worker)
    page.goto(f"/children/{world.child.pk}/")
    page.get_by_role("link", name="Possible duplicates and merging records").click()
    expect(page.locator("h1")).to_have_text("Possible duplicates of this record")
    assert_skip_link_first(page)
    assert_structure(page)
    assert_no_axe_violations(page)
    assert_reflows(page)
    page.set_viewport_size({"width": 1280, "height": 800})

    page.get_by_role(
        "link", name="Compare and propose merging with Muhammad Ahmady's record"
    ).click()
    expect(page.locator("h1")).to_have_text("Check both records before you propose merging them")
    expect(page.get_by_role("table")).to_contain_text("HO-1234567")
    assert_structure(page)
    assert_no_axe_violations(page)
    # The keyboard reaches the reason from the choice of record, and the summary names what is missing.
    page.get_by_label("Keep Mohammed Ahmadi's record (this one)").focus()
    page.keyboard.press("Tab")
    expect(page.get_by_label("Why are these records the same child?")).to_be_focused()
    submit(page, "Propose merging these records")
    assert_error_state(page, "Enter why these records are the same child")
    assert_no_axe_violations(page)
    page.get_by_label("Why are these records the same child?").fill("Same Home Office reference")
    submit(page, "Propose merging these records")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("must confirm it")
    expect(page.get_by_role("button", name="Merge the records")).to_have_count(0)
    assert_no_axe_violations(page)
    merge = ChildMerge.objects.get()

    leader = signed_in_page(world.leader)
    leader.goto(f"/merges/{merge.pk}/")
    expect(leader.locator("h1")).to_have_text("Check both records before you merge them")
    assert_skip_link_first(leader)
    assert_structure(leader)
    assert_no_axe_violations(leader)
    assert_reflows(leader)
    leader.set_viewport_size({"width": 1280, "height": 800})
    submit(leader, "Merge the records")
    assert_error_state(
        leader, "Confirm that you have checked both records and they are the same child"
    )
    assert_no_axe_violations(leader)
    leader.get_by_label("I have checked both records and they are the same child").check()
    submit(leader, "Merge the records")
    expect(leader.locator(".govuk-notification-banner")).to_contain_text("Records merged")
    expect(leader.locator("h1")).to_have_text(
        "Muhammad Ahmady's record was merged into Mohammed Ahmadi's"
    )
    assert_no_axe_violations(leader)
    assert Child.unscoped.get(pk=twin.pk).merged_into == world.child.pk

    # The merged-away record's page leads here.
    leader.goto(f"/children/{twin.pk}/")
    expect(leader.locator("h1")).to_have_text(
        "Muhammad Ahmady's record was merged into Mohammed Ahmadi's"
    )
    submit(leader, "Undo the merge")
    assert_error_state(leader, "Enter why the merge is being undone")
    assert_no_axe_violations(leader)
    leader.get_by_label("Why is the merge being undone?").fill(
        "Brothers with one reference by mistake"
    )
    submit(leader, "Undo the merge")
    expect(leader.locator(".govuk-notification-banner")).to_contain_text("Merge undone")
    expect(leader.locator("h1")).to_have_text("Merge undone")
    assert_no_axe_violations(leader)
    assert Child.unscoped.get(pk=twin.pk).merged_into is None
