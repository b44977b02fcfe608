"""NTS intake pages: the queue, recording a referral with the duplicate check, the workspace and the
decision; who may reach them; and a fixed number of queries whatever the number of referrals."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from harbour.accounts.models import Allocation, Role
from harbour.audit.models import AccessLogEntry
from harbour.children.models import Child, ChildName
from harbour.core.calendar import council_calendar
from harbour.core.models import CouncilSettings
from harbour.domain.names import search_key, sound_key
from harbour.referrals import services_intake
from harbour.referrals.models import Referral

from .test_intake import send_form, uasc_in_care

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(make_team):
    return make_team("Children in care team 1")


@pytest.fixture
def leader(make_user, team):
    return make_user(Role.TEAM_LEADER, team=team, first_name="Lena", last_name="Leader")


@pytest.fixture
def worker(make_user, team):
    return make_user(Role.SOCIAL_WORKER, team=team)


@pytest.fixture
def manager(make_user):
    return make_user(Role.TEAM_MANAGER)


def date_fields(name: str, day: dt.date) -> dict[str, str]:
    return {f"{name}-day": str(day.day), f"{name}-month": str(day.month), f"{name}-year": str(day.year)}


def yesterday() -> dt.date:
    return timezone.localdate() - dt.timedelta(days=1)


def good_form(**overrides: str) -> dict[str, str]:
    form = {
        **date_fields("received_on", yesterday()), "received_time": "14:30",
        "referring_authority": "Kent County Council", "nts_reference": "NTS-2026-0001",
        "given_names": "Dawit", "family_name": "Tesfay", "sex": "M", "interpreter_needed": "yes",
        "current_location_kind": "hotel", "age_assessment_status": "not_disputed",
        "documents_received": "Home Office letter",
    }
    form.update(overrides)
    return form


def referral_for(leader, **identity) -> Referral:
    identity.setdefault("given_names", "Dawit")
    return services_intake.referral_create(
        actor=leader, team=leader.team,
        referral_details={"received_at": timezone.now() - dt.timedelta(hours=1), "referring_authority": "Kent",
                          "nts_reference": f"NTS-{uuid.uuid4().hex[:8]}", "health_information": "Asthma",
                          "trafficking_indicators": "Owes a debt to the agent"},
        identity=identity, claimed_date_of_birth=dt.date(2010, 3, 14), home_office_date_of_birth=None,
        link_to_child=None, now=timezone.now(), today=timezone.localdate(), calendar=council_calendar(),
    )


# --------------------------------------------------------------------------------------------
# Who reaches the pages


@pytest.mark.parametrize("role", [Role.TEAM_LEADER, Role.TEAM_MANAGER, Role.DIRECTOR])
def test_the_queue_is_for_those_who_run_intake_and_the_director(make_user, team, signed_in, role):
    page = signed_in(make_user(role, team=team)).get("/referrals/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "There are no open NTS referrals." in html and 'href="/referrals/"' in html  # the nav entry
    assert ("Record an NTS referral" in html) == (role != Role.DIRECTOR)


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.PARTNER, Role.ADMINISTRATOR, Role.IRO])
def test_other_roles_find_no_queue_and_no_form(make_user, team, signed_in, role):
    client = signed_in(make_user(role, team=team))
    assert client.get("/referrals/").status_code == 404
    assert client.get("/referrals/new/").status_code == 404
    assert 'href="/referrals/"' not in client.get("/").content.decode()


def test_the_workspace_is_404_for_a_partner_and_an_unallocated_social_worker(
        leader, worker, signed_in, make_user, make_agency, share_with):
    referral = referral_for(leader)
    agency = make_agency()
    partner = make_user(Role.PARTNER, agency=agency)
    share_with(referral.child, agency, by=leader)
    path = f"/referrals/{referral.pk}/"
    assert signed_in(partner).get(path).status_code == 404
    assert signed_in(worker).get(path).status_code == 404
    assert signed_in(make_user(Role.TEAM_LEADER)).get(path).status_code == 404  # a leader without the team
    Allocation.objects.create(child=referral.child, worker=worker, kind="social_worker", start=timezone.localdate())
    assert signed_in(worker).get(path).status_code == 200
    assert signed_in(worker).get(f"{path}decision/").status_code == 404  # seeing is not deciding


@pytest.mark.parametrize("path", ["/referrals/not-a-uuid/", f"/referrals/{uuid.uuid4()}/",
                                  f"/referrals/{uuid.uuid4()}/decision/"])
def test_missing_and_malformed_referrals_are_404(leader, signed_in, path):
    assert signed_in(leader).get(path).status_code == 404


# --------------------------------------------------------------------------------------------
# Recording a referral


def test_the_form_page(leader, manager, signed_in):
    html = signed_in(leader).get("/referrals/new/").content.decode()
    for legend in ("The referral", "The child", "Where the child is now", "Health, safety and links"):
        assert f'<h2 class="govuk-fieldset__heading">{legend}</h2>' in html
    assert "Referrer&#39;s contact details (optional)" in html and "NTS reference (optional)" not in html
    assert 'name="team"' not in html  # a team leader's own team
    assert 'name="team"' in signed_in(manager).get("/referrals/new/").content.decode()


def test_a_referral_with_no_possible_duplicates_is_saved_and_opens_its_workspace(leader, signed_in):
    response = signed_in(leader).post("/referrals/new/", good_form())
    referral = Referral.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/referrals/{referral.pk}/"
    assert timezone.localtime(referral.received_at).time() == dt.time(14, 30)
    assert referral.team == leader.team and referral.child.interpreter_needed is True


def test_empty_form_answers_422_with_the_error_summary_and_saves_nothing(leader, signed_in):
    response = signed_in(leader).post("/referrals/new/", {"sex": "U"})
    assert response.status_code == 422
    html = response.content.decode()
    assert "<title>Error: Record an NTS referral" in html and "There is a problem" in html
    for anchor, message in [
        ("id_received_on-day", "Enter the date the referral was received"),
        ("id_received_time", "Enter the time received, like 14:30"),
        ("id_referring_authority", "Enter the referring authority"),
        ("id_nts_reference", "Enter the NTS reference"),
        ("id_given_names", "Enter the child&#39;s name, or a name they are known by"),
    ]:
        assert f'<a href="#{anchor}">{message}</a>' in html
    assert Referral.objects.count() == 0 and Child.unscoped.count() == 0


@pytest.mark.parametrize(("overrides", "anchor", "message"), [
    ({"received_time": "25:61"}, "id_received_time", "Enter the time received, like 14:30"),
    ({**date_fields("received_on", dt.date(2100, 1, 1))}, "id_received_on-day", "Date received must be today or in the past"),
    ({**date_fields("claimed_date_of_birth", dt.date(1990, 1, 1))}, "id_claimed_date_of_birth-day",
     "Date of birth must make the child 25 or younger"),
    ({**date_fields("home_office_date_of_birth", dt.date(2100, 1, 1))}, "id_home_office_date_of_birth-day",
     "Home Office date of birth must be today or in the past"),
])
def test_bad_input_gets_a_clear_error_and_nothing_is_saved(leader, signed_in, overrides, anchor, message):
    response = signed_in(leader).post("/referrals/new/", good_form(**overrides))
    assert response.status_code == 422
    assert f'<a href="#{anchor}">{message}</a>' in response.content.decode()
    assert Referral.objects.count() == 0 and Child.unscoped.count() == 0


def test_a_time_later_today_is_in_the_future(leader, signed_in):
    later = timezone.localtime() + dt.timedelta(hours=2)
    if later.date() != timezone.localdate():
        pytest.skip("too close to midnight for a later time today")
    response = signed_in(leader).post("/referrals/new/", good_form(
        **date_fields("received_on", later.date()), received_time=f"{later:%H:%M}"))
    assert response.status_code == 422
    assert '<a href="#id_received_time">Date and time received must be now or in the past</a>' in response.content.decode()


def test_a_service_error_lands_on_its_field(leader, signed_in):
    signed_in(leader).post("/referrals/new/", good_form())
    response = signed_in(leader).post("/referrals/new/", good_form(given_names="Yonas", family_name="Haile"))
    assert response.status_code == 422
    assert '<a href="#id_nts_reference">A referral with this NTS reference is already on record</a>' in response.content.decode()


@pytest.fixture
def muhammad(worker, make_child):
    return make_child(social_worker=worker, given_names="Muhammad", family_name="Ahmadi", nationality="Afghan",
                      date_of_birth=dt.date(2010, 3, 14))


def mohammed_form(**overrides: str) -> dict[str, str]:
    return good_form(given_names="Mohammed", family_name="Ahmadi", nationality="Afghan",
                     **date_fields("claimed_date_of_birth", dt.date(2010, 3, 14)), **overrides)


def test_possible_duplicates_are_shown_first_with_the_values_kept(leader, muhammad, signed_in):
    response = signed_in(leader).post("/referrals/new/", mohammed_form())
    assert response.status_code == 200
    html = response.content.decode()
    assert "Children already on record who may be the same child" in html
    assert f'value="{muhammad.pk}"' in html and "Link this referral to Muhammad Ahmadi" in html
    assert "None of these: record a new child" in html and "Same date of birth (14 March 2010)" in html
    assert 'value="Mohammed"' in html and 'value="NTS-2026-0001"' in html and 'name="checked"' in html
    assert "<title>Error:" not in html
    assert Referral.objects.count() == 0 and Child.unscoped.count() == 1


def test_linking_to_the_child_found(leader, muhammad, signed_in):
    response = signed_in(leader).post("/referrals/new/", mohammed_form(checked="1", link=str(muhammad.pk)))
    referral = Referral.objects.get()
    assert response.status_code == 302 and referral.child_id == muhammad.pk
    assert Child.unscoped.count() == 1
    assert ChildName.objects.filter(child=muhammad, name="Mohammed Ahmadi").exists()


def test_going_on_with_a_new_child(leader, muhammad, signed_in):
    response = signed_in(leader).post("/referrals/new/", mohammed_form(checked="1", link="new"))
    assert response.status_code == 302
    assert Child.unscoped.count() == 2 and Referral.objects.get().child_id != muhammad.pk


def test_the_choice_must_be_made_once_the_panel_was_shown(leader, muhammad, signed_in):
    response = signed_in(leader).post("/referrals/new/", mohammed_form(checked="1"))
    assert response.status_code == 422
    html = response.content.decode()
    assert '<a href="#id_link">Select a child to link this referral to, or record a new child</a>' in html
    assert 'id="id_link"' in html
    forged = signed_in(leader).post("/referrals/new/", mohammed_form(checked="1", link=str(uuid.uuid4())))
    assert forged.status_code == 422 and Referral.objects.count() == 0


def test_a_match_out_of_scope_is_only_counted(make_user, make_team, muhammad, signed_in):
    stranger = make_user(Role.TEAM_LEADER, team=make_team("Children in care team 2"))
    response = signed_in(stranger).post("/referrals/new/", mohammed_form())
    html = response.content.decode()
    assert response.status_code == 200
    assert "1 possible match is in a record you cannot see: ask a team manager to check it" in html
    assert "Muhammad" not in html and str(muhammad.pk) not in html
    assert signed_in(stranger).post("/referrals/new/", mohammed_form(checked="1", link="new")).status_code == 302


# --------------------------------------------------------------------------------------------
# The queue, the workspace and the decision


def test_the_queue_is_ordered_by_time_left_with_the_clock(leader, signed_in):
    later = referral_for(leader, given_names="Later")
    sooner = referral_for(leader, given_names="Sooner")
    Referral.objects.filter(pk=sooner.pk).update(transfer_due=later.transfer_due - dt.timedelta(days=1))
    html = signed_in(leader).get("/referrals/").content.decode()
    assert html.index("Sooner") < html.index("Later")
    assert "working day" in html and "due " in html and "Open referrals (2)" in html
    assert f'href="/referrals/{sooner.pk}/"' in html


def _bulk_referrals(leader, n: int) -> None:
    """n open referrals to the leader's team, written in bulk (not through the services)."""
    children = Child.unscoped.bulk_create(Child(given_names=f"Bulk{i}", family_name="Child", is_uasc=True)
                                          for i in range(n))
    ChildName.objects.bulk_create(ChildName(child=c, kind="given", name=c.given_names, search_key=search_key(c.given_names),
                                            sound_key=sound_key(c.given_names)) for c in children)
    now = timezone.now()
    Referral.objects.bulk_create(
        Referral(child=c, team=leader.team, received_at=now - dt.timedelta(hours=i), referring_authority="Kent",
                 nts_reference=f"BULK-{uuid.uuid4().hex[:10]}", transfer_due=timezone.localdate() + dt.timedelta(days=i % 9),
                 transfer_working_days=5, recorded_by=leader, status="received" if i % 2 else "accepted")
        for i, c in enumerate(children)
    )


def _count(client, path: str) -> tuple[int, int]:
    client.get(path)  # warm: the council's settings row and the like
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    return response.status_code, len(queries)


def test_the_queue_keeps_the_same_number_of_queries_for_2_or_200_referrals(leader, signed_in):
    client = signed_in(leader)
    _bulk_referrals(leader, 2)
    for referral in Referral.objects.all():
        send_form(referral, leader, agencies=2, acknowledged=1)
    small = _count(client, "/referrals/")
    _bulk_referrals(leader, 198)
    large = _count(client, "/referrals/")
    assert small[0] == large[0] == 200
    assert small[1] == large[1], f"{small[1]} queries for 2 referrals, {large[1]} for 200"
    assert "Open referrals (200)" in client.get("/referrals/").content.decode()


def test_the_workspace_keeps_the_same_number_of_queries_however_far_the_transfer_has_gone(leader, worker, signed_in):
    client = signed_in(leader)
    referral = referral_for(leader)
    path = f"/referrals/{referral.pk}/"
    before = _count(client, path)
    services_intake.referral_decide(actor=leader, referral=referral, decision="accept", now=timezone.now())
    send_form(referral, leader, agencies=9, acknowledged=5)
    Allocation.objects.create(child=referral.child, worker=worker, kind="social_worker", start=timezone.localdate())
    after = _count(client, path)
    assert before[0] == after[0] == 200 and before[1] == after[1]


def test_the_workspace_shows_the_clock_tasks_details_and_timeline(leader, signed_in):
    referral = referral_for(leader, given_names="Dawit", family_name="Tesfay", religion="Orthodox Christian")
    html = signed_in(leader).get(f"/referrals/{referral.pk}/").content.decode()
    assert f"NTS referral {referral.nts_reference}</h1>" in html and '<span class="govuk-caption-l">Dawit Tesfay</span>' in html
    assert "working days left – due" in html and "govuk-tag--blue" in html
    assert "govuk-task-list" in html
    for task in ("Decision", "Send the referral form", "Agencies acknowledged", "Director&#39;s sign-off",
                 "Placement search", "Allocation", "Arrival"):
        assert task in html
    assert f'href="/referrals/{referral.pk}/decision/"' in html and f'href="/referrals/{referral.pk}/agencies/"' in html
    assert "Asthma" in html and "Owes a debt to the agent" in html and "Orthodox Christian" in html
    assert f"NTS referral {referral.nts_reference} received" in html  # the timeline
    assert AccessLogEntry.objects.filter(child_id=referral.child_id, route="referrals:workspace").count() == 1


def test_the_decision_page_shows_the_threshold(leader, signed_in):
    settings = CouncilSettings.current()
    settings.child_population = 54_321
    settings.save()
    referral = referral_for(leader)
    html = signed_in(leader).get(f"/referrals/{referral.pk}/decision/").content.decode()
    assert "The threshold is 55: 0.1% of the 54,321 children in the council's area." in html
    assert "below the threshold, so it must accept the referral" in html


def test_accepting_through_the_page(leader, signed_in):
    referral = referral_for(leader)
    response = signed_in(leader).post(f"/referrals/{referral.pk}/decision/", {"decision": "accept", "version": "1"})
    assert response.status_code == 302 and response["Location"] == f"/referrals/{referral.pk}/"
    referral.refresh_from_db()
    assert referral.status == Referral.Status.ACCEPTED
    html = signed_in(leader).get(f"/referrals/{referral.pk}/decision/").content.decode()
    assert "This referral has been decided: <strong>Accepted</strong>" in html


def test_contesting_below_the_threshold_is_refused_on_the_page(leader, signed_in):
    referral = referral_for(leader)
    response = signed_in(leader).post(f"/referrals/{referral.pk}/decision/",
                                      {"decision": "contest", "reason": "We are full", "version": "1"})
    assert response.status_code == 422
    html = response.content.decode()
    assert ('<a href="#id_decision">You can only contest a referral when the council is at or above the NTS threshold '
            "(0 of an unknown threshold: the council&#39;s child population is not recorded)</a>") in html
    assert Referral.objects.get().status == Referral.Status.RECEIVED


def test_contesting_needs_a_reason_and_then_is_saved(leader, worker, make_child, signed_in):
    settings = CouncilSettings.current()
    settings.child_population = 1_000
    settings.save()
    uasc_in_care(worker, make_child, 1)
    referral = referral_for(leader)
    client = signed_in(leader)
    response = client.post(f"/referrals/{referral.pk}/decision/", {"decision": "contest", "version": "1"})
    assert response.status_code == 422
    assert '<a href="#id_reason">Enter why the council is contesting the referral</a>' in response.content.decode()
    response = client.post(f"/referrals/{referral.pk}/decision/",
                           {"decision": "contest", "reason": "At the threshold", "version": "1"})
    assert response.status_code == 302 and Referral.objects.get().status == Referral.Status.CONTESTED


def test_a_decision_from_a_stale_page_is_refused(leader, signed_in):
    referral = referral_for(leader)
    client = signed_in(leader)
    client.post(f"/referrals/{referral.pk}/decision/", {"decision": "accept", "version": "1"})
    Referral.objects.filter(pk=referral.pk).update(status=Referral.Status.RECEIVED)  # as if reopened meanwhile
    response = client.post(f"/referrals/{referral.pk}/decision/", {"decision": "accept", "version": "1"})
    assert response.status_code == 422 and "Someone else changed this referral" in response.content.decode()


def test_a_manager_names_the_team_that_runs_the_transfer(manager, team, signed_in):
    client = signed_in(manager)
    missing = client.post("/referrals/new/", good_form())
    assert missing.status_code == 422
    assert '<a href="#id_team">Select the team that will run the transfer</a>' in missing.content.decode()
    assert client.post("/referrals/new/", good_form(team=str(team.pk))).status_code == 302
    assert Referral.objects.get().team == team
