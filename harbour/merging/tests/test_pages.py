"""The merging pages: propose with both records side by side, confirm by someone else, the
merged-away record's page leading to its merge, undo; errors on the page; partners never in."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from harbour.accounts.models import Allocation, PartnerAgency, Role
from harbour.audit.models import AccessLogEntry
from harbour.children.models import Child, PeriodLookedAfter
from harbour.merging import services
from harbour.merging.models import ChildMerge


@pytest.fixture
def setting(
    make_team: Any, make_user: Any, make_child: Any, make_agency: Any, share_with: Any
) -> Any:
    team = make_team()

    class Setting:
        worker = make_user(Role.SOCIAL_WORKER, team=team)
        leader = make_user(Role.TEAM_LEADER, team=team)
        partner = make_user(Role.PARTNER, agency=make_agency(PartnerAgency.Kind.HEALTH))
        kept = make_child(
            social_worker=worker,
            given_names="Mohammed",
            family_name="Ahmadi",
            home_office_reference="A1234567",
        )
        merged = make_child(
            social_worker=worker,
            given_names="Muhammad",
            family_name="Ahmady",
            home_office_reference="A1234567",
            date_of_birth=dt.date(2010, 1, 1),
        )

    # One allocated social worker at a time: the second record's ends today.
    Allocation.objects.filter(child=Setting.merged).update(end=timezone.localdate())
    share_with(Setting.kept, Setting.partner.partner_agency, by=Setting.worker)
    share_with(Setting.merged, Setting.partner.partner_agency, by=Setting.worker)
    return Setting


def test_a_worker_finds_the_duplicate_and_proposes_and_a_leader_confirms(
    setting: Any, signed_in: Any
) -> None:
    worker, leader = signed_in(setting.worker), signed_in(setting.leader)
    record = worker.get(f"/children/{setting.kept.pk}/").content.decode()
    assert f"/merges/children/{setting.kept.pk}/" in record
    possible = worker.get(f"/merges/children/{setting.kept.pk}/").content.decode()
    assert "Muhammad Ahmady" in possible and "Likely the same child" in possible
    page = worker.get(f"/merges/children/{setting.kept.pk}/propose/?with={setting.merged.pk}")
    body = page.content.decode()
    assert page.status_code == 200 and "Check both records before you propose merging them" in body
    assert "Differs" in body and "A1234567" in body

    response = worker.post(
        f"/merges/children/{setting.kept.pk}/propose/?with={setting.merged.pk}",
        {"keep": str(setting.kept.pk), "reason": "Same Home Office reference"},
    )
    merge = ChildMerge.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/merges/{merge.pk}/"
    assert (merge.kept_id, merge.merged_id, merge.state) == (
        setting.kept.pk,
        setting.merged.pk,
        "proposed",
    )
    # The proposer is not offered the confirmation, and posting it anyway is refused.
    assert "Merge the records" not in worker.get(f"/merges/{merge.pk}/").content.decode()
    assert worker.post(f"/merges/{merge.pk}/confirm/", {"checked": "on"}).status_code == 404
    assert ChildMerge.objects.get().state == "proposed"

    assert "Merge the records" in leader.get(f"/merges/{merge.pk}/").content.decode()
    response = leader.post(f"/merges/{merge.pk}/confirm/", {"checked": "on"})
    assert response.status_code == 302 and ChildMerge.objects.get().state == "merged"
    # The merged-away record's page leads to its merge, which says where it went.
    gone = leader.get(f"/children/{setting.merged.pk}/")
    assert gone.status_code == 302 and gone["Location"] == f"/merges/{merge.pk}/"
    said = leader.get(gone["Location"]).content.decode()
    assert "Muhammad Ahmady&#39;s record was merged into Mohammed Ahmadi&#39;s" in said
    assert "Muhammad Ahmady" not in leader.get("/children/").content.decode()
    kept_page = leader.get(f"/children/{setting.kept.pk}/").content.decode()
    assert "Muhammad Ahmady's record was merged into this one" in kept_page
    # Reading the merge logs a read of both records.
    assert AccessLogEntry.objects.filter(
        child_id=setting.merged.pk, route="merging:detail"
    ).exists()

    response = leader.post(f"/merges/{merge.pk}/undo/", {"undo_reason": "Brothers"})
    assert response.status_code == 302 and ChildMerge.objects.get().state == "undone"
    assert leader.get(f"/children/{setting.merged.pk}/").status_code == 200


def test_the_pages_name_each_missing_answer(setting: Any, signed_in: Any) -> None:
    worker, leader = signed_in(setting.worker), signed_in(setting.leader)
    page = worker.post(
        f"/merges/children/{setting.kept.pk}/propose/?with={setting.merged.pk}",
        {"keep": "", "reason": ""},
    )
    body = page.content.decode()
    assert page.status_code == 422 and "govuk-error-summary" in body
    assert (
        "Select which record Harbour should keep" in body
        and "Enter why these records are the same child" in body
    )
    merge = services.propose_merge(
        actor=setting.worker, kept=setting.kept, merged=setting.merged, reason="Same"
    )
    page = leader.post(f"/merges/{merge.pk}/confirm/", {})
    assert page.status_code == 422
    assert (
        "Confirm that you have checked both records and they are the same child"
        in page.content.decode()
    )
    page = leader.post(f"/merges/{merge.pk}/decline/", {"decline_reason": ""})
    assert (
        page.status_code == 422
        and "Enter why these are not the same child" in page.content.decode()
    )
    services.confirm_merge(actor=setting.leader, merge=merge)
    page = leader.post(f"/merges/{merge.pk}/undo/", {"undo_reason": ""})
    assert (
        page.status_code == 422 and "Enter why the merge is being undone" in page.content.decode()
    )


def test_a_refused_merge_says_why_on_the_page(setting: Any, signed_in: Any) -> None:
    PeriodLookedAfter.objects.create(child=setting.kept, start=dt.date(2024, 1, 1))
    PeriodLookedAfter.objects.create(child=setting.merged, start=dt.date(2024, 2, 1))
    worker = signed_in(setting.worker)
    page = worker.post(
        f"/merges/children/{setting.kept.pk}/propose/?with={setting.merged.pk}",
        {"keep": str(setting.kept.pk), "reason": "Same child"},
    )
    body = page.content.decode()
    assert page.status_code == 422 and "govuk-error-summary" in body
    assert "a child has one period of care at a time" in body and not ChildMerge.objects.exists()


def test_partners_and_users_who_cannot_see_the_records_get_404(
    setting: Any, signed_in: Any, make_user: Any, make_team: Any
) -> None:
    merge = services.propose_merge(
        actor=setting.worker, kept=setting.kept, merged=setting.merged, reason="Same"
    )
    paths = [
        f"/merges/children/{setting.kept.pk}/",
        f"/merges/children/{setting.kept.pk}/propose/?with={setting.merged.pk}",
        f"/merges/{merge.pk}/",
    ]
    partner = signed_in(setting.partner)
    # The partner sees the shared record itself, and nothing of merging it.
    assert partner.get(f"/children/{setting.kept.pk}/").status_code == 200
    assert "merges/" not in partner.get(f"/children/{setting.kept.pk}/").content.decode()
    outsider = signed_in(make_user(Role.TEAM_MANAGER))
    outsider_team_leader = signed_in(make_user(Role.TEAM_LEADER, team=make_team()))
    for client in (partner, outsider_team_leader):
        for path in paths:
            assert client.get(path).status_code == 404, path
        for action in ("confirm", "decline", "undo"):
            assert (
                client.post(
                    f"/merges/{merge.pk}/{action}/",
                    {"checked": "on", "decline_reason": "x", "undo_reason": "x"},
                ).status_code
                == 404
            )
    assert ChildMerge.objects.get().state == "proposed"
    # A team manager sees the whole service, so the same pages open for them.
    assert all(outsider.get(path).status_code == 200 for path in paths)


def test_the_merge_page_makes_as_many_queries_for_a_long_record_as_for_a_short_one(
    setting: Any, signed_in: Any, make_child: Any
) -> None:
    leader = signed_in(setting.leader)

    def queries(merged: Child) -> int:
        merge = services.propose_merge(
            actor=setting.worker, kept=setting.kept, merged=merged, reason="Same"
        )
        with CaptureQueriesContext(connection) as captured:
            assert leader.get(f"/merges/{merge.pk}/").status_code == 200
        services.decline_merge(actor=setting.leader, merge=merge, reason="No")
        return len(captured)

    short = queries(setting.merged)
    longer = make_child(social_worker=setting.worker)
    Allocation.objects.filter(child=longer).update(end=timezone.localdate())
    for year in range(2000, 2020):
        PeriodLookedAfter.objects.create(
            child=longer, start=dt.date(year, 1, 1), end=dt.date(year, 6, 1)
        )
    assert queries(longer) == short
