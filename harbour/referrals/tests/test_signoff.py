"""The director's sign-off of section 20 accommodation (issue 3, item 4): who may sign, the one
step, the guard the arrival calls, the delegates, and the pages."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import resolve
from django.utils import timezone

from harbour.accounts.models import Role
from harbour.allocation.tests.support import new_child, referral_for
from harbour.audit.models import AccessLogEntry, AuditEvent
from harbour.referrals import services_signoff, views_signoff
from harbour.referrals.models import Referral, Section20Approval, SignOffDelegate

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 23)
NOW = timezone.make_aware(dt.datetime(2026, 11, 23, 16, 5))


def test_the_sign_off_list_is_not_shadowed_by_a_referral_page():
    # Fixed paths must come before the referral's own <referral_id>/ pages in referrals/urls.py.
    assert resolve("/referrals/sign-off/").func is views_signoff.sign_off_list
    assert resolve("/referrals/sign-off/delegates/").func is views_signoff.delegates


def has_button(page: str, text: str) -> bool:
    return re.search(r"<button[^>]*>\s*" + re.escape(text) + r"\s*</button>", page) is not None


@pytest.fixture
def team(make_team):
    return make_team("NTS intake team")


@pytest.fixture
def director(make_user):
    return make_user(Role.DIRECTOR, first_name="Dee", last_name="Director")


@pytest.fixture
def leader(make_user, team):
    return make_user(Role.TEAM_LEADER, team=team, first_name="Lena", last_name="Leader")


@pytest.fixture
def referral(team, leader):
    return referral_for(new_child(given_names="Dawit", family_name="Tesfay", nationality="Eritrean"), team=team,
                        recorded_by=leader, nts_reference="NTS-2026-0042")


# --- Who may sign off -----------------------------------------------------------------------------

MAY_SIGN = [
    ("the director", Role.DIRECTOR, None, True),
    ("a team manager with no delegation", Role.TEAM_MANAGER, None, False),
    ("a delegate in force", Role.TEAM_MANAGER, (TODAY - dt.timedelta(days=3), TODAY + dt.timedelta(days=3)), True),
    ("a delegate on the first day", Role.TEAM_MANAGER, (TODAY, TODAY), True),
    ("a delegate with no end date", Role.TEAM_MANAGER, (TODAY - dt.timedelta(days=30), None), True),
    ("a delegation that ended yesterday", Role.TEAM_MANAGER, (TODAY - dt.timedelta(days=9), TODAY - dt.timedelta(days=1)), False),
    ("a delegation starting tomorrow", Role.TEAM_MANAGER, (TODAY + dt.timedelta(days=1), None), False),
    ("a social worker", Role.SOCIAL_WORKER, None, False),
]


@pytest.mark.parametrize(("role", "delegation", "expected"), [r[1:] for r in MAY_SIGN], ids=[r[0] for r in MAY_SIGN])
def test_may_sign_off(role, delegation, expected, make_user, director):
    user = make_user(role)
    if delegation:
        SignOffDelegate.objects.create(user=user, named_by=director, start=delegation[0], end=delegation[1])
    assert services_signoff.may_sign_off(user, TODAY) is expected


def test_a_closed_account_may_not_sign_off_even_as_director(make_user):
    assert services_signoff.may_sign_off(make_user(Role.DIRECTOR, is_active=False), TODAY) is False


# --- Approving ------------------------------------------------------------------------------------


def test_the_director_approves_in_one_step_with_the_time_recorded_and_audited(director, referral):
    approval = services_signoff.approve_section20(actor=director, referral=referral, now=NOW, note=" Agreed ",
                                                  request_id="s20")
    assert (approval.approved_by, approval.approved_at, approval.as_delegate, approval.note) == (
        director, NOW, False, "Agreed")
    event = AuditEvent.objects.get(request_id="s20")
    assert (event.record_type, event.action, event.actor, event.child_id) == (
        "referrals.Section20Approval", "create", director, referral.child_id)


def test_a_delegate_approves_as_delegate(director, make_user, referral):
    deputy = make_user(Role.TEAM_MANAGER)
    services_signoff.name_delegate(actor=director, user=deputy, start=TODAY, end=TODAY)
    approval = services_signoff.approve_section20(actor=deputy, referral=referral, now=NOW)
    assert approval.as_delegate is True


REFUSED = [
    ("already approved", "already approved by Dee Director on 23 November 2026 at 4:05pm"),
    ("contested", "The referral has been contested, so there is nothing to approve"),
    ("withdrawn", "The referral has been withdrawn, so there is nothing to approve"),
    ("not the director", "Only the director or a delegate named by the director can approve"),
]


@pytest.mark.parametrize(("case", "message"), REFUSED, ids=[r[0] for r in REFUSED])
def test_approval_is_refused(case, message, director, leader, referral):
    actor = director
    if case == "already approved":
        services_signoff.approve_section20(actor=director, referral=referral, now=NOW)
    elif case in ("contested", "withdrawn"):
        Referral.objects.filter(pk=referral.pk).update(status=case)
    else:
        actor = leader
    with pytest.raises(ValidationError) as refused:
        services_signoff.approve_section20(actor=actor, referral=referral, now=NOW)
    assert list(refused.value.message_dict) == ["referral"]
    assert message in refused.value.message_dict["referral"][0]
    assert Section20Approval.objects.count() == (1 if case == "already approved" else 0)


def test_an_accepted_referral_can_be_approved_too(director, referral):
    Referral.objects.filter(pk=referral.pk).update(status=Referral.Status.ACCEPTED)
    assert services_signoff.approve_section20(actor=director, referral=referral, now=NOW)


# --- The guard the arrival calls ------------------------------------------------------------------


def test_the_guard_refuses_until_approved_and_sign_off_required_follows(director, referral):
    child = referral.child
    assert services_signoff.sign_off_required(child) is True
    with pytest.raises(ValidationError) as refused:
        services_signoff.assert_section20_approved(referral)
    assert refused.value.message_dict == {"section20": [
        "The director must approve section 20 accommodation before the child can be recorded as looked after"]}
    services_signoff.approve_section20(actor=director, referral=referral, now=NOW)
    services_signoff.assert_section20_approved(referral)
    assert services_signoff.sign_off_required(child) is False


def test_no_sign_off_is_required_for_a_child_with_no_open_referral(team, leader):
    assert services_signoff.sign_off_required(new_child()) is False
    withdrawn = referral_for(new_child(), team=team, recorded_by=leader, status=Referral.Status.WITHDRAWN)
    assert services_signoff.sign_off_required(withdrawn.child) is False


# --- Delegates ------------------------------------------------------------------------------------


def test_naming_and_ending_a_delegate_is_audited(director, make_user):
    deputy = make_user(Role.TEAM_MANAGER)
    delegation = services_signoff.name_delegate(actor=director, user=deputy, start=TODAY - dt.timedelta(days=2),
                                                request_id="name")
    assert services_signoff.may_sign_off(deputy, TODAY)
    services_signoff.end_delegation(actor=director, delegation=delegation, today=TODAY, request_id="end")
    assert not services_signoff.may_sign_off(deputy, TODAY)
    assert SignOffDelegate.objects.get().end == TODAY - dt.timedelta(days=1)
    assert AuditEvent.objects.get(request_id="name").action == "create"
    assert AuditEvent.objects.get(request_id="end").changes["end"][1] == (TODAY - dt.timedelta(days=1)).isoformat()


def test_a_delegation_ended_before_it_began_is_never_in_force_and_not_listed(director, make_user):
    deputy = make_user(Role.TEAM_MANAGER)
    delegation = services_signoff.name_delegate(actor=director, user=deputy, start=TODAY + dt.timedelta(days=5))
    services_signoff.end_delegation(actor=director, delegation=delegation, today=TODAY)
    assert not services_signoff.may_sign_off(deputy, TODAY + dt.timedelta(days=6))
    assert list(services_signoff.current_delegations(TODAY)) == []


DELEGATE_REFUSALS = [
    ("named by someone not the director", "user", "Only the director can name or end a delegate"),
    ("a social worker", "user", "Select a manager whose account is active"),
    ("a closed account", "user", "Select a manager whose account is active"),
    ("the director themself", "user", "Select someone other than yourself"),
    ("ends before it starts", "end", "End date must be the same as or after the start date"),
    ("overlaps a delegation of the same person", "user", "is already a delegate for some of those dates"),
]


@pytest.mark.parametrize(("case", "field", "message"), DELEGATE_REFUSALS, ids=[r[0] for r in DELEGATE_REFUSALS])
def test_naming_a_delegate_is_refused(case, field, message, director, make_user):
    actor, user, start, end = director, make_user(Role.TEAM_MANAGER), TODAY, None
    if case == "named by someone not the director":
        actor = make_user(Role.TEAM_MANAGER)
    elif case == "a social worker":
        user = make_user(Role.SOCIAL_WORKER)
    elif case == "a closed account":
        user = make_user(Role.TEAM_MANAGER, is_active=False)
    elif case == "the director themself":
        user = director
    elif case == "ends before it starts":
        end = TODAY - dt.timedelta(days=1)
    else:
        services_signoff.name_delegate(actor=director, user=user, start=TODAY + dt.timedelta(days=10))
    with pytest.raises(ValidationError) as refused:
        services_signoff.name_delegate(actor=actor, user=user, start=start, end=end)
    assert message in refused.value.message_dict[field][0]


# --- Pages ----------------------------------------------------------------------------------------


def test_the_sign_off_page_shows_the_facts_and_the_director_approves(director, referral, signed_in):
    client = signed_in(director)
    url = f"/referrals/{referral.pk}/sign-off/"
    page = client.get(url).content.decode()
    assert "Dawit Tesfay" in page and "NTS-2026-0042" in page and "Kent County Council" in page
    assert "Eritrean" in page and has_button(page, "Approve section 20 accommodation")
    assert "Transfer due:" in page
    assert AccessLogEntry.objects.filter(user=director, child_id=referral.child_id).exists()
    response = client.post(url, {"note": "Agreed by phone with the team leader"})
    assert response.status_code == 302 and response["Location"] == url
    approval = Section20Approval.objects.get(referral=referral)
    assert approval.approved_by == director and approval.note == "Agreed by phone with the team leader"
    page = client.get(url).content.decode()
    assert "Approved" in page and "Dee Director" in page
    assert not has_button(page, "Approve section 20 accommodation")


def test_approving_twice_gives_an_error_summary_and_422(director, referral, signed_in, make_user):
    deputy = make_user(Role.TEAM_MANAGER)
    SignOffDelegate.objects.create(user=deputy, named_by=director, start=timezone.localdate())
    url = f"/referrals/{referral.pk}/sign-off/"
    client = signed_in(deputy)
    client.get(url)  # the page opens, then the director approves first
    services_signoff.approve_section20(actor=director, referral=referral, now=timezone.now())
    response = client.post(url, {"note": ""})
    assert response.status_code == 422
    page = response.content.decode()
    assert "There is a problem" in page and "already approved by Dee Director" in page
    assert Section20Approval.objects.count() == 1


def test_a_safe_next_is_followed_after_approving(director, referral, signed_in):
    url = f"/referrals/{referral.pk}/sign-off/?next=https://evil.example.com/"
    response = signed_in(director).post(url, {"next": "https://evil.example.com/"})
    assert response["Location"] == f"/referrals/{referral.pk}/sign-off/"


def test_a_team_leader_sees_the_page_without_the_button_and_cannot_post(leader, referral, signed_in):
    client = signed_in(leader)
    page = client.get(f"/referrals/{referral.pk}/sign-off/").content.decode()
    assert "Waiting for approval" in page and not has_button(page, "Approve section 20 accommodation")
    assert client.post(f"/referrals/{referral.pk}/sign-off/", {}).status_code == 404
    assert not Section20Approval.objects.exists()


@pytest.mark.parametrize("who", ["social worker", "partner", "administrator", "leader of another team"])
def test_people_who_cannot_see_the_child_get_404(who, referral, signed_in, make_user, make_team, make_agency):
    user = {
        "social worker": lambda: make_user(Role.SOCIAL_WORKER),
        "partner": lambda: make_user(Role.PARTNER, agency=make_agency()),
        "administrator": lambda: make_user(Role.ADMINISTRATOR),
        "leader of another team": lambda: make_user(Role.TEAM_LEADER, team=make_team()),
    }[who]()
    assert signed_in(user).get(f"/referrals/{referral.pk}/sign-off/").status_code == 404


def test_a_malformed_or_unknown_referral_is_404(director, signed_in):
    client = signed_in(director)
    assert client.get("/referrals/not-a-uuid/sign-off/").status_code == 404
    assert client.get("/referrals/6f1c1d8e-0000-4000-8000-000000000000/sign-off/").status_code == 404


def test_the_list_shows_open_referrals_without_approval_soonest_due_first(director, team, leader, signed_in):
    later = referral_for(new_child(given_names="Later"), team=team, recorded_by=leader, due=dt.date(2026, 12, 4))
    sooner = referral_for(new_child(given_names="Sooner"), team=team, recorded_by=leader, due=dt.date(2026, 11, 27))
    approved = referral_for(new_child(given_names="Approved"), team=team, recorded_by=leader)
    services_signoff.approve_section20(actor=director, referral=approved, now=NOW)
    referral_for(new_child(given_names="Contested"), team=team, recorded_by=leader, status=Referral.Status.CONTESTED)
    page = signed_in(director).get("/referrals/sign-off/").content.decode()
    assert "Waiting for approval (2)" in page
    assert page.index("Sooner") < page.index("Later")
    assert "Approved Example" not in page and "Contested Example" not in page
    assert f"/referrals/{later.pk}/sign-off/" in page and f"/referrals/{sooner.pk}/sign-off/" in page


def test_the_list_takes_as_many_queries_for_30_referrals_as_for_3(director, team, leader, signed_in):
    client = signed_in(director)

    def measure() -> int:
        client.get("/referrals/sign-off/")
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/referrals/sign-off/")
        assert response.status_code == 200
        return len(queries)

    for _ in range(3):
        referral_for(new_child(), team=team, recorded_by=leader)
    small = measure()
    for _ in range(27):
        referral_for(new_child(), team=team, recorded_by=leader)
    assert measure() == small


def test_the_list_is_for_those_who_may_sign_off(leader, signed_in):
    assert signed_in(leader).get("/referrals/sign-off/").status_code == 404


def test_the_sign_off_page_takes_as_many_queries_whatever_the_number_of_referrals(director, team, leader,
                                                                                   referral, signed_in):
    client = signed_in(director)
    url = f"/referrals/{referral.pk}/sign-off/"

    def measure() -> int:
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        return len(queries)

    small = measure()
    for _ in range(20):
        referral_for(new_child(), team=team, recorded_by=leader)
    assert measure() == small


def test_the_director_names_a_delegate_through_the_page(director, make_user, signed_in):
    deputy = make_user(Role.TEAM_MANAGER, first_name="Deputy")
    client = signed_in(director)
    assert "Deputy" in client.get("/referrals/sign-off/delegates/").content.decode()
    start = timezone.localdate()
    bad = client.post("/referrals/sign-off/delegates/", {"user": str(deputy.pk)})
    assert bad.status_code == 422 and "Enter start date" in bad.content.decode()
    good = client.post("/referrals/sign-off/delegates/", {
        "user": str(deputy.pk), "start-day": str(start.day), "start-month": str(start.month),
        "start-year": str(start.year)})
    assert good.status_code == 302
    delegation = SignOffDelegate.objects.get()
    assert delegation.named_by == director and delegation.end is None
    assert client.post(f"/referrals/sign-off/delegates/{delegation.pk}/end/").status_code == 302
    assert not services_signoff.may_sign_off(deputy, start)


@pytest.mark.parametrize("role", [Role.TEAM_MANAGER, Role.TEAM_LEADER, Role.SOCIAL_WORKER])
def test_only_the_director_reaches_the_delegates_page(role, make_user, signed_in, director):
    client = signed_in(make_user(role))
    assert client.get("/referrals/sign-off/delegates/").status_code == 404
    delegation = SignOffDelegate.objects.create(user=make_user(Role.TEAM_MANAGER), named_by=director, start=TODAY)
    assert client.post(f"/referrals/sign-off/delegates/{delegation.pk}/end/").status_code == 404


def test_the_childs_record_refuses_a_period_looked_after_until_section_20_is_approved(make_user, make_team):
    """Issue 3 item 4: the child cannot be recorded as looked after without the sign-off, by any route."""
    from harbour.children import services as child_services
    from harbour.core.calendar import council_calendar
    from harbour.referrals import services_intake

    team = make_team()
    leader = make_user(Role.TEAM_LEADER, team=team)
    director = make_user(Role.DIRECTOR)
    now = timezone.now()
    referral = services_intake.referral_create(
        actor=leader, team=team,
        referral_details={"received_at": now - dt.timedelta(hours=1), "referring_authority": "Home Office",
                          "nts_reference": "NTS-GUARD-1"},
        identity={"given_names": "Samuel"}, claimed_date_of_birth=None, home_office_date_of_birth=None,
        link_to_child=None, now=now, today=timezone.localdate(), calendar=council_calendar())
    with pytest.raises(ValidationError) as refused:
        child_services.period_looked_after_add(actor=leader, child=referral.child, start=timezone.localdate(), end=None,
                                               today=timezone.localdate())
    assert "approve section 20" in refused.value.message_dict["start"][0]
    Section20Approval.objects.create(referral=referral, approved_by=director, approved_at=now)
    period = child_services.period_looked_after_add(actor=leader, child=referral.child, start=timezone.localdate(),
                                                    end=None, today=timezone.localdate())
    assert period.pk
