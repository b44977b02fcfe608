"""NTS intake services and selectors: recording a referral, possible duplicates, the decision,
and what the workspace, the queue and the child's timeline make of them."""

from __future__ import annotations

import datetime as dt
import uuid
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from harbour.accounts import access
from harbour.accounts.models import Allocation, Role
from harbour.audit.models import AccessLogEntry, AuditEvent
from harbour.children import selectors as child_selectors
from harbour.children import services as child_services
from harbour.children.models import Child, ChildName, ChronologyEntry, DateOfBirthRecord
from harbour.core.calendar import council_calendar
from harbour.core.models import CouncilSettings
from harbour.domain.duplicates import PersonFacts
from harbour.referrals import selectors, services_intake
from harbour.referrals.models import DistributionEntry, FormCopy, Referral, Section20Approval

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
TODAY = dt.date(2026, 11, 20)  # a Friday
NOW = dt.datetime(2026, 11, 20, 15, 0, tzinfo=LONDON)
RECEIVED = dt.datetime(2026, 11, 20, 9, 30, tzinfo=LONDON)
CALENDAR = council_calendar()


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


@pytest.fixture
def other_team_leader(make_user, make_team):
    return make_user(Role.TEAM_LEADER, team=make_team("Children in care team 2"))


def details(**overrides):
    values = {"received_at": RECEIVED, "referring_authority": "Kent County Council",
              "nts_reference": f"NTS-{uuid.uuid4().hex[:8]}", "current_location_kind": "reception_centre",
              "age_assessment_status": "not_disputed", "documents_received": "Home Office letter\n\nPhoto"}
    values.update(overrides)
    return values


def create(actor, *, team=None, identity=None, claimed=None, home_office=None, link=None, **detail_overrides):
    return services_intake.referral_create(
        actor=actor, team=team if team is not None else actor.team, referral_details=details(**detail_overrides),
        identity=identity if identity is not None else {"given_names": "Dawit", "family_name": "Tesfay", "sex": "M"},
        claimed_date_of_birth=claimed, home_office_date_of_birth=home_office, link_to_child=link,
        now=NOW, today=TODAY, calendar=CALENDAR,
    )


def messages(raised: pytest.ExceptionInfo[ValidationError]) -> dict[str, str]:
    return {field: errors[0] for field, errors in raised.value.message_dict.items()}


def nothing_saved() -> bool:
    return Referral.objects.count() == 0 and Child.unscoped.count() == 0 and DateOfBirthRecord.objects.count() == 0


# --------------------------------------------------------------------------------------------
# Recording a referral


def test_a_referral_opens_an_unaccompanied_childs_record_without_a_social_worker(leader, team):
    referral = create(leader, claimed=dt.date(2010, 3, 14), home_office=dt.date(2009, 1, 1),
                      identity={"given_names": "Dawit", "family_name": "Tesfay", "sex": "M", "nationality": "Eritrean",
                                "interpreter_needed": True, "home_office_reference": "HO-77"})
    child = referral.child
    assert child.is_uasc and child.nationality == "Eritrean" and child.home_office_reference == "HO-77"
    assert not Allocation.objects.filter(child=child).exists()  # the rota allocates later
    assert referral.team == team and referral.recorded_by == leader and referral.status == Referral.Status.RECEIVED
    # Both dates of birth kept, the Home Office one in use.
    records = {(r.source, r.date_of_birth, r.in_use_from is not None) for r in DateOfBirthRecord.objects.filter(child=child)}
    assert records == {("claimed", dt.date(2010, 3, 14), False), ("home_office", dt.date(2009, 1, 1), True)}
    assert child.date_of_birth == dt.date(2009, 1, 1) and child.date_of_birth_source == "home_office"
    # Five working days from Friday 20 November 2026.
    assert referral.transfer_due == dt.date(2026, 11, 27) and referral.transfer_working_days == 5
    assert referral.documents == ["Home Office letter", "Photo"]
    audited = set(AuditEvent.objects.filter(child_id=child.pk).values_list("record_type", flat=True))
    assert {"children.Child", "referrals.Referral", "children.DateOfBirthRecord"} <= audited
    # The team leader now sees the child, though nobody in the team is allocated.
    assert access.can_view_child(leader, child)


def test_the_claimed_date_is_in_use_when_the_home_office_gives_none(leader):
    child = create(leader, claimed=dt.date(2010, 3, 14)).child
    assert child.date_of_birth == dt.date(2010, 3, 14) and child.date_of_birth_source == "claimed"


def test_the_deadline_follows_the_councils_setting(leader):
    settings = CouncilSettings.current()
    settings.nts_transfer_working_days = 3
    settings.save()
    referral = create(leader)
    assert referral.transfer_due == dt.date(2026, 11, 25) and referral.transfer_working_days == 3


def test_only_the_scheme_needs_are_required_and_every_error_is_given_at_once(leader):
    with pytest.raises(ValidationError) as raised:
        services_intake.referral_create(
            actor=leader, team=leader.team, referral_details={}, identity={}, claimed_date_of_birth=None,
            home_office_date_of_birth=None, link_to_child=None, now=NOW, today=TODAY, calendar=CALENDAR,
        )
    assert messages(raised) == {
        "received_at": "Enter the date and time the referral was received",
        "referring_authority": "Enter the referring authority",
        "nts_reference": "Enter the NTS reference",
        "given_names": "Enter the child's name, or a name they are known by",
    }
    assert nothing_saved()


def test_a_family_name_alone_is_a_name(leader):
    referral = create(leader, identity={"family_name": "Tesfay"})
    assert referral.child.full_name == "Tesfay"


def test_a_referral_received_in_the_future_is_refused(leader):
    with pytest.raises(ValidationError) as raised:
        create(leader, received_at=NOW + dt.timedelta(minutes=1))
    assert messages(raised) == {"received_at": "Date and time received must be now or in the past"}
    assert nothing_saved()


def test_a_naive_received_time_is_read_as_the_councils_time(leader):
    referral = create(leader, received_at=dt.datetime(2026, 11, 20, 9, 30))
    assert referral.received_at == RECEIVED


@pytest.mark.parametrize(("field", "day", "message"), [
    ("claimed_date_of_birth", dt.date(2000, 11, 19), "Date of birth must make the child 25 or younger"),
    ("home_office_date_of_birth", dt.date(1990, 1, 1), "Date of birth must make the child 25 or younger"),
    ("claimed_date_of_birth", dt.date(2026, 11, 21), "Date of birth must be today or in the past"),
    ("home_office_date_of_birth", dt.date(2026, 11, 20),
     "Date of birth must be on or before the date the referral was received"),
])
def test_impossible_dates_of_birth_are_refused_and_nothing_is_saved(leader, field, day, message):
    dates = {"claimed": None, "home_office": None, field.removesuffix("_date_of_birth"): day}
    if field == "home_office_date_of_birth" and day == TODAY:
        # Born on the day of the referral but the referral came the day before.
        with pytest.raises(ValidationError) as raised:
            create(leader, received_at=RECEIVED - dt.timedelta(days=1), **dates)
    else:
        with pytest.raises(ValidationError) as raised:
            create(leader, **dates)
    assert messages(raised) == {field: message}
    assert nothing_saved()


AGES_ON_THE_DAY_RECEIVED = [
    # The NTS is for children: a date of birth making the child 18 or over on the day is refused.
    (dt.date(2001, 11, 20), False, "aged-25"),
    (dt.date(2008, 11, 20), False, "18th-birthday-on-the-day-received"),
    (dt.date(2008, 11, 21), True, "18th-birthday-the-day-after-receipt"),
    (dt.date(2010, 2, 28), True, "aged-16"),
]


@pytest.mark.parametrize(("born", "accepted"), [r[:2] for r in AGES_ON_THE_DAY_RECEIVED],
                         ids=[r[2] for r in AGES_ON_THE_DAY_RECEIVED])
def test_a_referral_is_for_a_child_under_18(leader, born, accepted):
    if accepted:
        assert create(leader, claimed=born).child.date_of_birth == born
        return
    with pytest.raises(ValidationError) as raised:
        create(leader, claimed=born)
    assert messages(raised) == {
        "claimed_date_of_birth": "Date of birth must make the child under 18 on the day the referral was received"}


@pytest.mark.parametrize("sex", ["U", "", None])
def test_sex_may_be_not_known(leader, sex):
    identity = {"given_names": "Dawit", "sex": sex}
    assert create(leader, identity=identity).child.sex == "U"


def test_an_unknown_sex_code_and_a_hidden_character_are_refused(leader):
    with pytest.raises(ValidationError) as raised:
        create(leader, identity={"given_names": "Da\u202ewit", "sex": "X", "interpreter_needed": "perhaps"})
    assert messages(raised) == {
        "sex": "Select the child's sex, or Not known",
        "interpreter_needed": "Select whether the child needs an interpreter, or Not known",
        "given_names": "Name must not contain hidden characters that change the order of letters",
    }


def test_text_longer_than_the_record_holds_is_refused_not_cut(leader):
    with pytest.raises(ValidationError) as raised:
        create(leader, nts_reference="N" * 41)
    assert messages(raised) == {"nts_reference": "NTS reference must be 40 characters or fewer"}


def test_the_same_nts_reference_cannot_be_recorded_twice(leader):
    create(leader, nts_reference="NTS-1")
    with pytest.raises(ValidationError) as raised:
        create(leader, nts_reference="nts-1")
    assert messages(raised) == {"nts_reference": "A referral with this NTS reference is already on record"}
    assert Referral.objects.count() == 1 and Child.unscoped.count() == 1


def test_a_failure_part_way_leaves_nothing_half_saved(leader, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(Referral.objects, "create", broken)
    with pytest.raises(RuntimeError):
        create(leader, claimed=dt.date(2010, 3, 14))
    assert nothing_saved() and not AuditEvent.objects.filter(record_type="children.Child").exists()


def test_linking_adds_dates_of_birth_and_spellings_and_overwrites_nothing(manager, worker, make_child):
    existing = make_child(social_worker=worker, given_names="Muhammad", family_name="Ahmadi", nationality="",
                          date_of_birth=dt.date(2010, 3, 14))
    before_names = set(ChildName.objects.filter(child=existing).values_list("name", flat=True))
    referral = create(manager, team=worker.team, link=existing, claimed=dt.date(2010, 3, 14),
                      home_office=dt.date(2009, 1, 1),
                      identity={"given_names": "Mohammed", "family_name": "Ahmadi", "nationality": "Afghan",
                                "names_in_original_script": "محمد", "sex": "M"})
    child = Child.unscoped.get(pk=existing.pk)
    assert referral.child_id == existing.pk and Child.unscoped.count() == 1
    # Nothing overwritten: the name and the date of birth in use stay as they were.
    assert (child.given_names, child.date_of_birth, child.date_of_birth_source) == (
        "Muhammad", dt.date(2010, 3, 14), "claimed")
    # Blanks filled, new spellings and the Home Office date added beside the old.
    assert child.nationality == "Afghan" and child.names_in_original_script == "محمد" and child.is_uasc
    names = set(ChildName.objects.filter(child=child).values_list("name", flat=True))
    assert names - before_names == {"Mohammed Ahmadi", "محمد"}
    records = sorted(DateOfBirthRecord.objects.filter(child=child).values_list("source", "date_of_birth"))
    assert records == [("claimed", dt.date(2010, 3, 14)), ("home_office", dt.date(2009, 1, 1))]


def test_linking_to_a_child_the_user_cannot_see_is_refused(other_team_leader, worker, make_child):
    hidden = make_child(social_worker=worker)
    with pytest.raises(ValidationError) as raised:
        create(other_team_leader, link=hidden)
    assert messages(raised) == {"link_to_child": "Select one of the children listed, or record a new child"}
    assert Referral.objects.count() == 0


def test_a_child_with_an_open_referral_is_not_referred_again(leader):
    first = create(leader)
    with pytest.raises(ValidationError) as raised:
        create(leader, link=first.child)
    assert "already has an open NTS referral" in messages(raised)["link_to_child"]


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.DIRECTOR, Role.PLACEMENTS_OFFICER, Role.PARTNER])
def test_only_team_leaders_and_managers_record_referrals(make_user, team, role):
    with pytest.raises(PermissionDenied):
        create(make_user(role, team=team), team=team)
    assert nothing_saved()


def test_a_team_leader_records_referrals_for_their_own_team_only(leader, other_team_leader):
    with pytest.raises(PermissionDenied):
        create(leader, team=other_team_leader.team)


def test_a_manager_must_name_the_team(manager):
    with pytest.raises(ValidationError) as raised:
        services_intake.referral_create(
            actor=manager, team=None, referral_details=details(), identity={"given_names": "Dawit"},
            claimed_date_of_birth=None, home_office_date_of_birth=None, link_to_child=None, now=NOW, today=TODAY,
            calendar=CALENDAR)
    assert messages(raised) == {"team": "Select the team that will run the transfer"}


# --------------------------------------------------------------------------------------------
# Possible duplicates


@pytest.fixture
def on_record(worker, make_child):
    """Children already on record, allocated to the team's social worker."""
    def make(given, family="Ahmadi", dob=dt.date(2010, 3, 14), **identity):
        return make_child(social_worker=worker, given_names=given, family_name=family, date_of_birth=dob, **identity)
    return make


@pytest.mark.parametrize("spelling", ["Muhammad", "Mohamad", "Mohamed", "محمد"])
def test_transliterations_of_one_name_are_found(leader, on_record, spelling):
    existing = on_record(spelling, family="Ahmadi" if spelling != "محمد" else "")
    check = services_intake.possible_duplicates(
        user=leader, facts=PersonFacts(given_names="Mohammed", family_name="Ahmadi", dates_of_birth=(dt.date(2010, 3, 14),)))
    assert [c.child for c in check.visible] == [existing]
    assert any("sounds the same" in reason for reason in check.visible[0].reasons)
    assert check.hidden_count == 0


def test_a_name_in_arabic_script_on_the_referral_finds_the_latin_spelling(leader, on_record):
    existing = on_record("Muhammad")
    check = services_intake.possible_duplicates(
        user=leader, facts=PersonFacts(given_names="محمد", dates_of_birth=(dt.date(2010, 3, 14),)))
    assert [c.child for c in check.visible] == [existing]


def test_a_missing_family_name_is_said(leader, on_record):
    on_record("Muhammad")
    check = services_intake.possible_duplicates(
        user=leader, facts=PersonFacts(given_names="Mohammed", dates_of_birth=(dt.date(2010, 3, 14),)))
    assert "Family name missing on one record" in check.visible[0].reasons


def test_a_1_january_date_of_birth_is_a_clue(leader, on_record):
    on_record("Muhammad", dob=dt.date(2010, 6, 15))
    check = services_intake.possible_duplicates(
        user=leader, facts=PersonFacts(given_names="Mohammed", family_name="Ahmadi", dates_of_birth=(dt.date(2010, 1, 1),)))
    assert any("1 January" in reason for reason in check.visible[0].reasons)


def test_every_date_of_birth_on_record_counts(leader, on_record, worker):
    existing = on_record("Yonas", family="Haile", dob=dt.date(2009, 5, 5))
    child_services.date_of_birth_record(actor=worker, child=existing, date_of_birth=dt.date(2008, 2, 2),
                                        source="home_office", use_it=False, today=TODAY)
    check = services_intake.possible_duplicates(
        user=leader, facts=PersonFacts(given_names="Yonas", dates_of_birth=(dt.date(2008, 2, 2),)))
    assert check.visible[0].dates_of_birth == (dt.date(2008, 2, 2), dt.date(2009, 5, 5))
    assert "Same date of birth (2 February 2008)" in check.visible[0].reasons


def test_a_shared_reference_finds_a_child_under_another_name(leader, on_record):
    existing = on_record("Samuel", family="Bekele", home_office_reference="B1234567")
    check = services_intake.possible_duplicates(
        user=leader, facts=PersonFacts(given_names="Yonas", home_office_reference="b123 4567"))
    assert [c.child for c in check.visible] == [existing] and "Same Home Office reference" in check.visible[0].reasons


def test_the_best_match_comes_first_and_unlikely_children_are_left_out(leader, on_record):
    weaker = on_record("Muhammad", dob=dt.date(2011, 7, 7))
    stronger = on_record("Mohammed", home_office_reference="HO-1")
    on_record("Dawit", family="Tesfay")  # nothing alike
    check = services_intake.possible_duplicates(
        user=leader, facts=PersonFacts(given_names="Mohammed", family_name="Ahmadi", dates_of_birth=(dt.date(2010, 3, 14),),
                                       home_office_reference="HO-1"))
    assert [c.child for c in check.visible] == [stronger, weaker]
    assert check.visible[0].match.strong


def test_a_match_outside_the_users_scope_is_only_counted(other_team_leader, manager, on_record):
    hidden = on_record("Muhammad")
    check = services_intake.possible_duplicates(
        user=other_team_leader, facts=PersonFacts(given_names="Mohammed", family_name="Ahmadi",
                                                  dates_of_birth=(dt.date(2010, 3, 14),)))
    assert check.visible == () and check.hidden_count == 1 and check.found
    assert check.hidden_message == "1 possible match is in a record you cannot see: ask a team manager to check it"
    assert check.candidate(hidden.pk) is None
    # A manager sees the whole service, so the same child is listed for them.
    assert [c.child for c in services_intake.possible_duplicates(
        user=manager, facts=PersonFacts(given_names="Mohammed", family_name="Ahmadi")).visible] == [hidden]


def test_two_hidden_matches_are_counted_in_the_plural(other_team_leader, on_record):
    on_record("Muhammad")
    on_record("Mohamed")
    check = services_intake.possible_duplicates(
        user=other_team_leader, facts=PersonFacts(given_names="Mohammed", family_name="Ahmadi"))
    assert check.hidden_message.startswith("2 possible matches are in records you cannot see")


def test_the_check_takes_the_same_number_of_queries_for_1_or_30_candidates(leader, on_record):
    facts = PersonFacts(given_names="Mohammed", family_name="Ahmadi", dates_of_birth=(dt.date(2010, 3, 14),))
    on_record("Muhammad")
    with CaptureQueriesContext(connection) as one:
        assert len(services_intake.possible_duplicates(user=leader, facts=facts).visible) == 1
    for n in range(29):
        on_record("Mohamed" if n % 2 else "Muhammed", family="Ahmadi", dob=dt.date(2010, 1, 1))
    with CaptureQueriesContext(connection) as many:
        assert len(services_intake.possible_duplicates(user=leader, facts=facts).visible) == 30
    assert len(one) == len(many) <= 6


def test_the_check_never_changes_anything(leader, on_record):
    on_record("Muhammad")
    before = (Child.unscoped.count(), ChildName.objects.count(), AuditEvent.objects.count())
    services_intake.possible_duplicates(user=leader, facts=PersonFacts(given_names="Mohammed"))
    assert (Child.unscoped.count(), ChildName.objects.count(), AuditEvent.objects.count()) == before


# --------------------------------------------------------------------------------------------
# Accepting or contesting


def set_population(n):
    settings = CouncilSettings.current()
    settings.child_population = n
    settings.save()


def uasc_in_care(worker, make_child, n=1):
    for _ in range(n):
        child = make_child(social_worker=worker, is_uasc=True)
        child_services.period_looked_after_add(actor=worker, child=child, start=dt.date(2026, 1, 5), end=None,
                                               today=TODAY)


def test_a_team_leader_accepts_a_referral(leader):
    referral = create(leader)
    decided = services_intake.referral_decide(actor=leader, referral=referral, decision="accept", now=NOW,
                                              version=referral.version)
    referral.refresh_from_db()
    assert referral.status == Referral.Status.ACCEPTED and referral.decided_by == leader and referral.decided_at == NOW
    assert decided.version == referral.version == 2
    assert AuditEvent.objects.filter(record_type="referrals.Referral", action="update").count() == 1


def test_contesting_below_the_threshold_is_refused_with_the_figures(leader, worker, make_child):
    set_population(10_000)  # threshold: 10 children
    uasc_in_care(worker, make_child, 3)
    referral = create(leader)
    with pytest.raises(ValidationError) as raised:
        services_intake.referral_decide(actor=leader, referral=referral, decision="contest", reason="Full", now=NOW)
    assert messages(raised) == {"decision": "You can only contest a referral when the council is at or above "
                                            "the NTS threshold (3 of 10)"}
    referral.refresh_from_db()
    assert referral.status == Referral.Status.RECEIVED


def test_contesting_without_a_child_population_is_refused(leader):
    referral = create(leader)
    with pytest.raises(ValidationError) as raised:
        services_intake.referral_decide(actor=leader, referral=referral, decision="contest", reason="Full", now=NOW)
    assert "the council's child population is not recorded" in messages(raised)["decision"]


def test_contesting_at_the_threshold_needs_a_reason(leader, worker, make_child):
    set_population(2_500)  # 0.1% is 2.5: 3 children reach it
    uasc_in_care(worker, make_child, 3)
    referral = create(leader)
    with pytest.raises(ValidationError) as raised:
        services_intake.referral_decide(actor=leader, referral=referral, decision="contest", reason=" ", now=NOW)
    assert messages(raised) == {"reason": "Enter why the council is contesting the referral"}
    services_intake.referral_decide(actor=leader, referral=referral, decision="contest",
                                    reason="At 0.12% of our child population", now=NOW)
    referral.refresh_from_db()
    assert referral.status == Referral.Status.CONTESTED and referral.contest_reason == "At 0.12% of our child population"


def test_children_who_left_care_or_are_not_uasc_do_not_count_towards_the_threshold(leader, worker, make_child):
    set_population(1_000)  # threshold: 1 child
    left = make_child(social_worker=worker, is_uasc=True)
    child_services.period_looked_after_add(actor=worker, child=left, start=dt.date(2026, 1, 5),
                                           end=dt.date(2026, 6, 1), today=TODAY)
    local = make_child(social_worker=worker, is_uasc=False)
    child_services.period_looked_after_add(actor=worker, child=local, start=dt.date(2026, 1, 5), end=None, today=TODAY)
    figures = selectors.threshold_figures(today=TODAY)
    assert (figures.uasc_looked_after, figures.threshold, figures.at_or_above) == (0, 1, False)


def test_a_referral_is_decided_once(leader):
    referral = create(leader)
    services_intake.referral_decide(actor=leader, referral=referral, decision="accept", now=NOW)
    with pytest.raises(ValidationError) as raised:
        services_intake.referral_decide(actor=leader, referral=referral, decision="accept", now=NOW)
    assert messages(raised) == {"decision": "This referral has already been decided: Accepted"}


def test_a_decision_on_a_stale_page_is_not_saved(leader):
    referral = create(leader)
    with pytest.raises(services_intake.ReferralConflict):
        services_intake.referral_decide(actor=leader, referral=referral, decision="accept", now=NOW, version=7)
    referral.refresh_from_db()
    assert referral.status == Referral.Status.RECEIVED and referral.version == 1


def test_an_unknown_decision_is_refused(leader):
    referral = create(leader)
    with pytest.raises(ValidationError) as raised:
        services_intake.referral_decide(actor=leader, referral=referral, decision="maybe", now=NOW)
    assert messages(raised) == {"decision": "Select whether to accept or contest the referral"}


def test_only_team_leaders_of_the_team_and_managers_decide(leader, manager, other_team_leader, worker, make_user):
    referral = create(leader)
    for someone in (worker, other_team_leader, make_user(Role.DIRECTOR)):
        with pytest.raises(PermissionDenied):
            services_intake.referral_decide(actor=someone, referral=referral, decision="accept", now=NOW)
    services_intake.referral_decide(actor=manager, referral=referral, decision="accept", now=NOW)
    assert Referral.objects.get().decided_by == manager


def test_a_withdrawn_referral_says_why_on_the_childs_timeline(leader):
    referral = create(leader)
    with pytest.raises(ValidationError):
        services_intake.referral_withdraw(actor=leader, referral=referral, reason="", now=NOW)
    services_intake.referral_withdraw(actor=leader, referral=referral, reason="Child placed in Kent", now=NOW)
    referral.refresh_from_db()
    assert referral.status == Referral.Status.WITHDRAWN
    entry = ChronologyEntry.objects.get(child=referral.child)
    assert entry.description == "Child placed in Kent" and "withdrawn" in entry.title


# --------------------------------------------------------------------------------------------
# Scope, the workspace's tasks, the queue and the timeline


def test_referrals_are_seen_through_the_child(leader, other_team_leader, manager, worker, make_user, make_agency,
                                              share_with):
    referral = create(leader)
    assert list(selectors.referrals_visible_to(leader)) == [referral]
    assert list(selectors.referrals_visible_to(manager)) == [referral]
    assert list(selectors.referrals_visible_to(other_team_leader)) == []
    assert list(selectors.referrals_visible_to(worker)) == []  # not allocated yet
    Allocation.objects.create(child=referral.child, worker=worker, kind="social_worker", start=TODAY)
    assert list(selectors.referrals_visible_to(worker)) == [referral]
    # A partner sees a shared child's record, never the referral with its restricted fields.
    agency = make_agency()
    partner = make_user(Role.PARTNER, agency=agency)
    share_with(referral.child, agency, by=leader)
    assert access.can_view_child(partner, referral.child)
    assert list(selectors.referrals_visible_to(partner)) == []


def test_opening_a_referral_logs_the_read_of_the_child_and_404s_alike(leader, other_team_leader):
    referral = create(leader)
    opened = selectors.open_referral(leader, str(referral.pk), route="referrals:workspace", request_id="r1")
    assert opened == referral and opened.child == referral.child
    log = AccessLogEntry.objects.get()
    assert (log.user, log.child_id, log.route, log.request_id) == (leader, referral.child_id, "referrals:workspace", "r1")
    for user, referral_id in ((other_team_leader, referral.pk), (leader, "not-a-uuid"), (leader, uuid.uuid4())):
        with pytest.raises(Http404):
            selectors.open_referral(user, referral_id, route="referrals:workspace")
    assert AccessLogEntry.objects.count() == 1


def send_form(referral, by, *, agencies=2, acknowledged=0):
    for i in range(agencies):
        entry = DistributionEntry.objects.create(name=f"Agency {uuid.uuid4().hex[:6]}", kind="health",
                                                 email=f"a{i}@harbourside.example")
        FormCopy.objects.create(
            referral=referral, entry=entry, email=entry.email, token_digest=uuid.uuid4().hex,
            link_expires_at=NOW + dt.timedelta(days=30), sent_at=NOW, sent_by=by,
            acknowledged_at=NOW + dt.timedelta(hours=1) if i < acknowledged else None,
            acknowledged_by_name="Nurse Jones" if i < acknowledged else "",
        )


def states(tasks):
    return {task.key: task.state for task in tasks}


def test_a_new_referrals_tasks(leader):
    referral = create(leader)
    tasks = selectors.workspace_tasks(referral, today=TODAY)
    assert [t.name for t in tasks] == ["Decision", "Send the referral form", "Agencies acknowledged",
                                       "Director's sign-off", "Placement search", "Allocation", "Arrival"]
    assert states(tasks) == {"decision": "Not started", "form": "Not started", "acknowledgements": "Cannot start yet",
                             "sign_off": "Not started", "placement": "Not started", "allocation": "Not started",
                             "arrival": "Cannot start yet"}
    hrefs = {t.key: t.href for t in tasks}
    assert hrefs["decision"] == f"/referrals/{referral.pk}/decision/"
    assert hrefs["acknowledgements"] is None and hrefs["arrival"] is None  # "Cannot start yet" is not a link
    assert hrefs["allocation"].startswith("/allocation/") and f"referral={referral.pk}" in hrefs["allocation"]
    assert f"next=%2Freferrals%2F{referral.pk}%2F" in hrefs["allocation"]


def test_tasks_move_on_as_the_work_is_done(leader, worker):
    referral = create(leader)
    services_intake.referral_decide(actor=leader, referral=referral, decision="accept", now=NOW)
    send_form(referral, leader, agencies=3, acknowledged=1)
    Section20Approval.objects.create(referral=referral, approved_by=leader, approved_at=NOW)
    Referral.objects.filter(pk=referral.pk).update(placement_search_started_at=NOW)
    Allocation.objects.create(child=referral.child, worker=worker, kind="social_worker", start=TODAY)
    tasks = selectors.workspace_tasks(Referral.objects.get(pk=referral.pk), today=TODAY)
    assert states(tasks) == {"decision": "Completed", "form": "Completed", "acknowledgements": "In progress",
                             "sign_off": "Completed", "placement": "In progress", "allocation": "Completed",
                             "arrival": "Not started"}
    hints = {t.key: t.hint for t in tasks}
    assert hints["form"] == "Sent to 3 agencies" and hints["acknowledgements"] == "1 of 3 agencies acknowledged"


def test_a_contested_referral_stops_the_tasks_not_done(leader, worker, make_child):
    set_population(1_000)
    uasc_in_care(worker, make_child, 1)
    referral = create(leader)
    services_intake.referral_decide(actor=leader, referral=referral, decision="contest", reason="Over", now=NOW)
    tasks = selectors.workspace_tasks(referral, today=TODAY)
    assert states(tasks)["decision"] == "Completed"
    assert {t.state for t in tasks[1:]} == {"Cannot start yet"}


def test_the_queue_lists_open_referrals_least_time_left_first(leader):
    later = create(leader, received_at=RECEIVED)
    sooner = create(leader, received_at=RECEIVED - dt.timedelta(days=3))
    done = create(leader, received_at=RECEIVED - dt.timedelta(days=4))
    Referral.objects.filter(pk=done.pk).update(status=Referral.Status.WITHDRAWN)
    rows = selectors.referral_queue(user=leader, today=TODAY, calendar=CALENDAR)
    assert [r.referral for r in rows] == [sooner, later]
    assert rows[0].clock.text == "2 working days left – due Tuesday 24 November 2026"
    assert rows[0].clock.tag_text == "2 working days left"
    assert rows[1].clock.text == "5 working days left – due Friday 27 November 2026"
    assert rows[1].clock.tag_text == "5 working days left"


def test_the_queue_takes_one_query_for_2_or_40_referrals(leader, worker):
    for _ in range(2):
        send_form(create(leader), leader, agencies=2, acknowledged=1)
    with CaptureQueriesContext(connection) as few:
        rows = selectors.referral_queue(user=leader, today=TODAY, calendar=CALENDAR)
    assert len(rows) == 2 and rows[0].progress.forms_sent == 2 and rows[0].progress.forms_acknowledged == 1
    for _ in range(38):
        referral = create(leader)
        Allocation.objects.create(child=referral.child, worker=worker, kind="social_worker", start=TODAY)
    with CaptureQueriesContext(connection) as many:
        rows = selectors.referral_queue(user=leader, today=TODAY, calendar=CALENDAR)
    assert len(rows) == 40 and sum(r.progress.allocated for r in rows) == 38
    assert len(few) == len(many) == 1


def test_the_childs_timeline_shows_each_step_of_the_transfer(leader):
    referral = create(leader)
    services_intake.referral_decide(actor=leader, referral=referral, decision="accept", now=NOW)
    send_form(referral, leader, agencies=2, acknowledged=1)
    Section20Approval.objects.create(referral=referral, approved_by=leader, approved_at=NOW, as_delegate=True)
    with CaptureQueriesContext(connection) as queries:
        items = child_selectors.child_timeline(child=referral.child, kinds=["referral"])
    titles = [item.title for item in items]
    ref = referral.nts_reference
    assert set(titles) == {f"NTS referral {ref} received", f"NTS referral {ref} accepted", "Referral form sent to 2 agencies",
                           items[0].title, "Section 20 accommodation approved"}
    assert items[0].title.startswith("Referral form acknowledged by") and items[0].byline == "Nurse Jones"
    assert all(item.kind == "referral" for item in items)
    assert len(queries) == 5  # referrals, form copies, approvals, rota turns, arrivals
    assert child_selectors.TIMELINE_KINDS["referral"] == "NTS transfer"


def test_the_deadline_engine_shows_the_transfer_duty(leader):
    referral = create(leader)
    deadlines = child_selectors.child_deadlines(child=referral.child, today=TODAY, calendar=CALENDAR,
                                                nts_working_days=5)
    nts = [d for d in deadlines if d.duty == "nts_transfer"]
    assert len(nts) == 1 and nts[0].due == dt.date(2026, 11, 27) and nts[0].status == "due"


def test_a_contested_referral_sets_no_transfer_duty(leader, worker, make_child):
    set_population(1_000)
    uasc_in_care(worker, make_child, 1)
    referral = create(leader)
    services_intake.referral_decide(actor=leader, referral=referral, decision="contest", reason="Over", now=NOW)
    deadlines = child_selectors.child_deadlines(child=referral.child, today=TODAY, calendar=CALENDAR,
                                                nts_working_days=5)
    assert not [d for d in deadlines if d.duty == "nts_transfer"]
