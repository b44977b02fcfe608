"""Rectification and restriction (security checklist 18; UK GDPR art. 16, 18 and 19): a correction
needs a reason, the record shows its corrections and who was told each old value, and while
processing is restricted nothing about the child reaches a partner."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from harbour.accounts.models import ApiToken, PartnerAgency, Role
from harbour.audit.models import AuditEvent, Disclosure
from harbour.children import rectification, services
from harbour.children.models import Child
from harbour.referrals.models import FormCopy
from harbour.referrals.tests.test_distribution import (
    NOW,
    _on_commit,  # noqa: F401 - the autouse fixture send_with_tokens needs
    add_agencies,
    build_intake,
    send,
    send_with_tokens,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def worker(make_team, make_user):
    return make_user(Role.SOCIAL_WORKER, team=make_team())


@pytest.fixture
def child(worker, make_child):
    return make_child(social_worker=worker, given_names="Dawit", family_name="Tesfai", religion="Orthodox")


def _correct(worker: Any, child: Child, reason: str = "Spelling confirmed with an interpreter", **changes: Any) -> Child:
    fresh = Child.unscoped.get(pk=child.pk)
    return services.child_update_identity(actor=worker, child=fresh, changes=changes, version=fresh.version,
                                          reason=reason)


# --- A correction needs a reason ------------------------------------------------------------------


@pytest.mark.parametrize("reason", ["", "   ", "x" * 501])
def test_a_correction_without_a_reason_is_refused_and_nothing_changes(worker, child, reason):
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as refused:
        _correct(worker, child, reason=reason, family_name="Tesfay")
    assert list(refused.value.message_dict) == ["reason"]
    assert Child.unscoped.get(pk=child.pk).family_name == "Tesfai"
    assert AuditEvent.objects.count() == before


def test_the_page_asks_for_the_reason_and_keeps_it_with_the_change(worker, child, signed_in):
    client = signed_in(worker)
    form = {"given_names": "Dawit", "family_name": "Tesfay", "sex": "U", "ethnicity": "NOBT",
            "interpreter_needed": "unknown", "religion": "Orthodox", "version": child.version}
    refused = client.post(f"/children/{child.pk}/identity/change/", form)
    page = refused.content.decode()
    assert refused.status_code == 422
    assert "govuk-error-summary" in page and 'href="#id_reason"' in page
    assert page.count("Enter why the record is being changed") == 2  # summary and field
    assert Child.unscoped.get(pk=child.pk).family_name == "Tesfai"

    saved = client.post(f"/children/{child.pk}/identity/change/", {**form, "reason": "The child spelt it for us"})
    assert saved.status_code == 302
    event = AuditEvent.objects.filter(record_id=str(child.pk), action="update").latest("at")
    assert event.changes == {"family_name": ["Tesfai", "Tesfay"], "correction_reason": "The child spelt it for us"}
    history = client.get(f"/children/{child.pk}/identity/").content.decode()
    assert "The child spelt it for us" in history and "Tesfai" in history


# --- Who was told the old value -------------------------------------------------------------------


def _disclose(child: Child, recipient: str, what: list[str]) -> Disclosure:
    return Disclosure.objects.create(child_id=child.pk, recipient=recipient, what=what, purpose="NTS transfer",
                                     legal_basis="Children Act 1989 s20")


def test_each_correction_lists_who_was_shown_the_old_value_and_nobody_else(worker, child):
    start = timezone.now()
    with time_machine.travel(start + dt.timedelta(hours=1), tick=False):
        _disclose(child, "Health before", ["identity", "health"])
    with time_machine.travel(start + dt.timedelta(hours=2), tick=False):
        _correct(worker, child, family_name="Tesfay", reason="First spelling was wrong")
    with time_machine.travel(start + dt.timedelta(hours=3), tick=False):
        _disclose(child, "Police between", ["identity", "safety"])
        _disclose(child, "Health, health only", ["health"])
        _disclose(child, "School, faith", ["identity", "faith_and_culture"])
    with time_machine.travel(start + dt.timedelta(hours=4), tick=False):
        _correct(worker, child, family_name="Tesfaye", religion="Eritrean Orthodox", reason="Confirmed with passport")
    with time_machine.travel(start + dt.timedelta(hours=5), tick=False):
        _disclose(child, "MASH after", ["identity", "faith_and_culture"])

    latest, first = rectification.corrections(Child.unscoped.get(pk=child.pk))
    assert first.reason == "First spelling was wrong"
    assert [(f.field, f.before, f.after, [d.recipient for d in f.told]) for f in first.fields] == [
        ("family_name", "Tesfai", "Tesfay", ["Health before"]),
    ]
    assert latest.reason == "Confirmed with passport"
    # "Tesfay" stood from the first correction: only those who saw it then are listed, not the
    # agency told before it (it saw "Tesfai") nor the one told after the correction.
    assert [(f.field, f.before, f.after, [d.recipient for d in f.told]) for f in latest.fields] == [
        ("family_name", "Tesfay", "Tesfaye", ["Police between", "School, faith"]),
        ("religion", "Orthodox", "Eritrean Orthodox", ["School, faith"]),
    ]
    assert latest.recipients_to_tell == ["Police between", "School, faith"]


def test_the_identity_page_shows_whom_to_tell(worker, child, signed_in):
    _disclose(child, "Harbourside Police", ["identity", "safety"])
    _correct(worker, child, family_name="Tesfay")
    page = signed_in(worker).get(f"/children/{child.pk}/identity/").content.decode()
    assert "Spelling confirmed with an interpreter" in page
    assert "Tell Harbourside Police about this correction" in page


def test_the_history_takes_two_queries_however_many_corrections(worker, child, django_assert_num_queries):
    for n in range(6):
        _correct(worker, child, family_name=f"Tesfay{n}")
        _disclose(child, f"Agency {n}", ["identity"])
    with django_assert_num_queries(2):
        found = rectification.corrections(child)
    assert len(found) == 6


# --- Restriction of processing --------------------------------------------------------------------


@pytest.fixture
def shared(child, worker, make_user, make_agency, share_with):
    agency = make_agency(PartnerAgency.Kind.HEALTH)
    share_with(child, agency, by=worker)
    partner = make_user(Role.PARTNER, agency=agency)
    _, raw = ApiToken.issue(user=partner, name="test")
    return partner, Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def test_a_manager_restricts_processing_with_a_reason_and_partners_then_get_404(child, shared, make_user, signed_in):
    partner, api = shared
    partner_page = signed_in(partner)
    assert partner_page.get(f"/children/{child.pk}/").status_code == 200
    assert api.get(f"/api/v1/children/{child.pk}").status_code == 200

    manager = make_user(Role.TEAM_MANAGER)
    client = signed_in(manager)
    refused = client.post(f"/children/{child.pk}/restriction/", {"reason": ""})
    assert refused.status_code == 422 and "Enter the reason" in refused.content.decode()
    assert client.post(f"/children/{child.pk}/restriction/",
                       {"reason": "The young person contests their date of birth"}).status_code == 302
    page = client.get(f"/children/{child.pk}/").content.decode()
    assert "Processing is restricted" in page and "contests their date of birth" in page
    event = AuditEvent.objects.filter(record_id=str(child.pk), action="update").latest("at")
    assert event.actor == manager and event.changes["processing_restricted"] == [False, True]
    assert event.changes["correction_reason"] == "The young person contests their date of birth"

    assert partner_page.get(f"/children/{child.pk}/").status_code == 404
    assert api.get(f"/api/v1/children/{child.pk}").status_code == 404
    assert str(child.pk) not in api.get("/api/v1/children").content.decode()

    assert client.post(f"/children/{child.pk}/restriction/", {"reason": "Accuracy agreed"}).status_code == 302
    assert partner_page.get(f"/children/{child.pk}/").status_code == 200


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.IRO_MANAGER, Role.PERSONAL_ADVISER])
def test_only_managers_may_restrict(role, child, worker, make_user, signed_in):
    user = worker if role == Role.SOCIAL_WORKER else make_user(role)
    assert signed_in(user).post(f"/children/{child.pk}/restriction/", {"reason": "x"}).status_code == 404
    with pytest.raises(PermissionDenied):
        services.child_set_processing_restriction(actor=user, child=child, restricted=True, reason="x")
    assert not Child.unscoped.get(pk=child.pk).processing_restricted


def test_while_restricted_the_referral_form_is_not_sent_chased_or_opened(make_team, make_user, make_child):
    intake = build_intake(make_team, make_user, make_child)
    add_agencies()
    tokens = send_with_tokens(intake)
    assert tokens and Client().get(f"/shared/{next(iter(tokens.values()))}/").status_code == 200
    services.child_set_processing_restriction(actor=intake.manager, child=intake.child, restricted=True,
                                              reason="Accuracy contested")
    disclosures = Disclosure.objects.count()
    for token in tokens.values():
        assert Client().get(f"/shared/{token}/").status_code == 404
    FormCopy.objects.all().delete()  # as if never sent: the restriction, not "already sent", must refuse
    with pytest.raises(ValidationError, match="sharing this child's record is restricted"):
        send(intake, now=NOW)
    assert Disclosure.objects.count() == disclosures


def test_the_referral_page_says_why_the_form_cannot_be_sent(make_team, make_user, make_child, signed_in):
    intake = build_intake(make_team, make_user, make_child)
    add_agencies()
    services.child_set_processing_restriction(actor=intake.manager, child=intake.child, restricted=True,
                                              reason="Accuracy contested")
    response = signed_in(intake.leader).post(f"/referrals/{intake.referral.pk}/agencies/send/", {})
    page = response.content.decode()
    assert response.status_code == 422 and "govuk-error-summary" in page and "record is restricted" in page
    assert not FormCopy.objects.exists()


def test_while_restricted_no_agency_is_emailed_about_a_placement_or_invited_to_a_review(child, worker, make_agency,
                                                                                      make_user, share_with):
    from harbour.core.models import OutboxMessage
    from harbour.placements.services_placements import _tell_people_concerned
    from harbour.reviews.services_invitations import invitees_for

    agency = make_agency(PartnerAgency.Kind.HEALTH, name="Harbourside Community Health")
    agency.email = "lac.health@nhs.example"
    agency.save()
    share_with(child, agency, by=worker)
    today = timezone.localdate()

    def told() -> set[str]:
        return set(OutboxMessage.objects.values_list("to", flat=True))

    _tell_people_concerned(child, "Placement change", today)
    assert "lac.health@nhs.example" in told()
    assert "Harbourside Community Health" in [i.name for i in invitees_for(child)]

    OutboxMessage.objects.all().delete()
    services.child_set_processing_restriction(actor=make_user(Role.TEAM_MANAGER), child=child, restricted=True,
                                              reason="Accuracy contested")
    _tell_people_concerned(child, "Placement change", today)
    assert "lac.health@nhs.example" not in told()
    assert "Harbourside Community Health" not in [i.name for i in invitees_for(child)]

