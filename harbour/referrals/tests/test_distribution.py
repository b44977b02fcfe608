"""The single referral form: one action sends a copy to every agency, each copy only with the sections
its agency may see, emails only after commit, the partner's link, and the one-working-day alert."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from unittest import mock

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from harbour.accounts.models import Role
from harbour.audit.models import AccessLogEntry, AuditEvent, Disclosure
from harbour.children.models import ChronologyEntry
from harbour.core.calendar import council_calendar
from harbour.core.models import CouncilSettings, OutboxMessage
from harbour.core.outbox import deliver, retry_due
from harbour.core.tests.pdf_text import pdf_text
from harbour.referrals import services_distribution as service
from harbour.referrals.disclosure import (
    ALL_SECTIONS,
    RESTRICTED_SECTIONS,
    SECTIONS_BY_KIND,
    sections_for,
)
from harbour.referrals.models import DistributionEntry, FormCopy, PartnerContribution, Referral
from harbour.referrals.views_distribution import print_html

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(dt.datetime(2026, 11, 23, 10, 0))  # Monday
TODAY = NOW.date()
Kind = DistributionEntry.Kind

# Every restricted field holds a string found nowhere else, so finding it anywhere is a leak.
SENTINELS = {
    "faith_and_culture": "Sentinelfaith7Q",
    "health": "Sentinelhealth3X",
    "safety": "Sentinelsafety9K",
    "trafficking": "Sentineltraffic5M",
}

AGENCIES = [
    # kind, name, email
    (Kind.COMMISSIONING, "Harbourside Commissioning", "commissioning@harbourside.example"),
    (Kind.PLACEMENTS, "Harbourside Placements", "placements@harbourside.example"),
    (Kind.FOSTERING, "Harbourside Fostering", "fostering@harbourside.example"),
    (Kind.HEALTH, "Harbourside Community Health", "lac.health@nhs.example"),
    (Kind.EDUCATION, "Harbourside Education", "admissions@harbourside.example"),
    (Kind.VIRTUAL_SCHOOL, "Harbourside Virtual School", "virtual.school@harbourside.example"),
    (Kind.MASH, "Harbourside MASH", "mash@harbourside.example"),
    (Kind.POLICE, "Harbourside Police", "public.protection@police.example"),
    (Kind.LEAVING_CARE, "Harbourside Leaving Care", "leaving.care@harbourside.example"),
]


# --- Building a referral ---------------------------------------------------------------------------


@dataclass
class Intake:
    team: Any
    leader: Any
    manager: Any
    worker: Any
    child: Any
    referral: Referral


def add_agencies(agencies: list[tuple[str, str, str]] = AGENCIES) -> list[DistributionEntry]:
    return [DistributionEntry.objects.create(kind=kind, name=name, email=email,
                                             only_for_16_and_over=kind == Kind.LEAVING_CARE)
            for kind, name, email in agencies]


def make_referral(*, child: Any, team: Any, recorded_by: Any, **values: Any) -> Referral:
    today = timezone.localdate()
    defaults: dict[str, Any] = {
        "received_at": timezone.now() - dt.timedelta(hours=2),
        "referring_authority": "Kent County Council",
        "nts_reference": "NTS-2026-0042",
        "current_location": "Reception centre, Ashford",
        "current_location_kind": Referral.LocationKind.RECEPTION_CENTRE,
        "age_assessment_status": Referral.AgeAssessment.NOT_DISPUTED,
        "legal_representative": "Lawson & Co solicitors",
        "documents_received": "Home Office referral letter\nKent placement summary",
        "family_links": "An uncle in Leeds",
        # Relative to the real day, so that links made by the pages are in date.
        "transfer_due": today + dt.timedelta(days=5),
        "transfer_working_days": 5,
        "health_information": SENTINELS["health"],
        "safety_information": SENTINELS["safety"],
        "trafficking_indicators": SENTINELS["trafficking"],
    }
    defaults.update(values)
    return Referral.objects.create(child=child, team=team, recorded_by=recorded_by, **defaults)


def build_intake(make_team: Callable[..., Any], make_user: Callable[..., Any], make_child: Callable[..., Any], *,
                 date_of_birth: dt.date | None = dt.date(2009, 6, 14)) -> Intake:
    team = make_team()
    leader = make_user(Role.TEAM_LEADER, team=team, first_name="Lena", last_name="Leader",
                       email="lena.leader@harbourside.example")
    manager = make_user(Role.TEAM_MANAGER, team=team, first_name="Mina", last_name="Manager",
                        email="mina.manager@harbourside.example")
    worker = make_user(Role.SOCIAL_WORKER, team=team, email="sam.worker@harbourside.example")
    child = make_child(social_worker=worker, given_names="Dawit", family_name="Tesfay", nationality="Eritrean",
                       first_language="Tigrinya", religion=SENTINELS["faith_and_culture"], date_of_birth=date_of_birth)
    referral = make_referral(child=child, team=team, recorded_by=leader)
    return Intake(team=team, leader=leader, manager=manager, worker=worker, child=child, referral=referral)


@pytest.fixture
def intake(make_team: Any, make_user: Any, make_child: Any) -> Intake:
    return build_intake(make_team, make_user, make_child)


@pytest.fixture
def agencies(db: Any) -> list[DistributionEntry]:
    return add_agencies()


def send(intake: Intake, **kwargs: Any) -> list[FormCopy]:
    kwargs.setdefault("now", NOW)
    return service.send_referral_form(actor=intake.leader, referral=intake.referral, **kwargs)


def send_with_tokens(intake: Intake, **kwargs: Any) -> dict[str, str]:
    """Send the form and read each agency's link out of its email (the only place the token is)."""
    mail.outbox.clear()
    with _commit_callbacks():
        send(intake, **kwargs)
    return {message.to[0]: _token(message.body) for message in mail.outbox}


def _token(body: str) -> str:
    match = re.search(r"/shared/([A-Za-z0-9_\-]+)/", body)
    assert match, "the email has no link"
    return match.group(1)


_capture: list[Any] = []


def _commit_callbacks() -> Any:
    return _capture[0](execute=True)


@pytest.fixture(autouse=True)
def _on_commit(django_capture_on_commit_callbacks: Any) -> None:
    _capture[:] = [django_capture_on_commit_callbacks]


# --- The policy --------------------------------------------------------------------------------------


def test_every_kind_of_agency_has_a_policy_and_only_mash_sees_everything() -> None:
    assert set(SECTIONS_BY_KIND) == set(Kind.values)
    assert [k for k, s in SECTIONS_BY_KIND.items() if set(s) == set(ALL_SECTIONS)] == [Kind.MASH]
    assert all("trafficking" not in SECTIONS_BY_KIND[k] for k in
               (Kind.COMMISSIONING, Kind.PLACEMENTS, Kind.FOSTERING, Kind.LEAVING_CARE))
    assert sections_for(Kind.HEALTH) == ["identity", "referral", "health"]
    assert sections_for(Kind.EDUCATION) == sections_for(Kind.VIRTUAL_SCHOOL) == ["identity", "referral", "faith_and_culture"]
    assert sections_for(Kind.POLICE) == ["identity", "referral", "safety", "trafficking"]
    assert sections_for("unknown") == ["identity", "referral"]


# --- Sending in one action -------------------------------------------------------------------------


def test_one_action_sends_one_copy_to_each_active_agency(intake: Intake, agencies: Any) -> None:
    DistributionEntry.objects.create(kind=Kind.HEALTH, name="Retired clinic", email="old@nhs.example", active=False)
    with _commit_callbacks():
        copies = send(intake)
    assert sorted(c.entry.name for c in copies) == sorted(name for _, name, _ in AGENCIES)
    assert OutboxMessage.objects.filter(state=OutboxMessage.State.SENT).count() == len(AGENCIES)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(email for _, _, email in AGENCIES)
    for copy in FormCopy.objects.select_related("entry"):
        assert copy.sections == sections_for(copy.entry.kind)
        assert copy.delivered_at is not None and copy.sent_by == intake.leader
        assert len(copy.token_digest) == 64
        assert timezone.localtime(copy.link_expires_at).date() == intake.referral.transfer_due + dt.timedelta(days=10)
    event = AuditEvent.objects.get(action=AuditEvent.Action.DISCLOSE)
    assert event.child_id == intake.child.pk and len(event.changes["sent_to"]) == len(AGENCIES)


def test_each_copy_is_a_disclosure_with_what_to_whom_why_and_the_legal_basis(intake: Intake, agencies: Any) -> None:
    copies = send(intake)
    rows = {d.record_id: d for d in Disclosure.objects.all()}
    assert len(rows) == len(copies)
    for copy in copies:
        row = rows[str(copy.pk)]
        assert row.recipient == copy.entry.name and row.recipient_email == copy.email
        assert row.what == sections_for(copy.entry.kind)
        assert row.purpose == "NTS transfer: single referral form"
        assert row.legal_basis == service.LEGAL_BASIS and "s69–73" in row.legal_basis
        assert row.disclosed_by == intake.leader and row.child_id == intake.child.pk


@pytest.mark.parametrize(("date_of_birth", "leaving_care_told"), [
    (dt.date(2010, 11, 23), True),   # 16 today: counts
    (dt.date(2010, 11, 24), False),  # 16 tomorrow
    (dt.date(2009, 1, 1), True),     # 17
    (dt.date(2012, 5, 5), False),    # 14
    (None, True),                    # not known: told, and the page says why
], ids=["turns-16-today", "turns-16-tomorrow", "17", "14", "date-of-birth-not-known"])
def test_leaving_care_is_told_only_about_a_child_of_16_or_over(
    make_team: Any, make_user: Any, make_child: Any, agencies: Any, date_of_birth: dt.date | None,
    leaving_care_told: bool,
) -> None:
    intake = build_intake(make_team, make_user, make_child, date_of_birth=date_of_birth)
    names = {c.entry.name for c in send(intake)}
    assert ("Harbourside Leaving Care" in names) is leaving_care_told
    assert len(names) == len(AGENCIES) - (0 if leaving_care_told else 1)
    lines = {line.entry.name: line for line in service.distribution(intake.referral, today=TODAY)}
    if date_of_birth is None:
        assert "date of birth is not known" in lines["Harbourside Leaving Care"].note
    if not leaving_care_told:
        assert lines["Harbourside Leaving Care"].note == "Not sent: the child is under 16"


def test_sending_again_sends_only_to_agencies_not_yet_sent(intake: Intake, agencies: Any) -> None:
    with _commit_callbacks():
        first = send(intake)
        again = send(intake)
    assert len(first) == len(AGENCIES) and again == []
    DistributionEntry.objects.create(kind=Kind.HEALTH, name="Harbourside CAMHS", email="camhs@nhs.example")
    with _commit_callbacks():
        later = send(intake)
    assert [c.entry.name for c in later] == ["Harbourside CAMHS"]
    assert FormCopy.objects.count() == len(AGENCIES) + 1
    assert len(mail.outbox) == OutboxMessage.objects.count() == Disclosure.objects.count() == len(AGENCIES) + 1


def test_the_api_can_name_agencies_by_id(intake: Intake, agencies: list[DistributionEntry]) -> None:
    copies = send(intake, entry_ids=[str(agencies[3].pk), agencies[7].pk])
    assert [c.entry.name for c in copies] == ["Harbourside Community Health", "Harbourside Police"]


@pytest.mark.parametrize(("setup", "field", "message"), [
    ("withdrawn", "referral", "You cannot send the form: the referral has been withdrawn"),
    ("empty_list", "entries", "Add agencies to the distribution list before sending the form"),
    ("unknown_agency", "entries", "Choose agencies from the distribution list"),
    ("inactive_agency", "entries", "Choose agencies from the distribution list"),
    ("malformed_agency", "entries", "Choose agencies from the distribution list"),
])
def test_refusals_are_keyed_by_field_and_save_nothing(intake: Intake, setup: str, field: str, message: str) -> None:
    kwargs: dict[str, Any] = {}
    if setup != "empty_list":
        entries = add_agencies()
        if setup == "unknown_agency":
            kwargs["entry_ids"] = [entries[0].pk, 999_999]
        if setup == "inactive_agency":
            DistributionEntry.objects.filter(pk=entries[1].pk).update(active=False)
            kwargs["entry_ids"] = [entries[1].pk]
        if setup == "malformed_agency":
            kwargs["entry_ids"] = ["'; drop table"]
    if setup == "withdrawn":
        Referral.objects.filter(pk=intake.referral.pk).update(status=Referral.Status.WITHDRAWN)
    with pytest.raises(ValidationError) as raised, _commit_callbacks() as callbacks:
        send(intake, **kwargs)
    assert raised.value.message_dict == {field: [message]}
    assert FormCopy.objects.count() == OutboxMessage.objects.count() == Disclosure.objects.count() == 0
    assert callbacks == [] and mail.outbox == []


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.DIRECTOR, Role.PLACEMENTS_OFFICER])
def test_only_team_leaders_and_managers_send(intake: Intake, agencies: Any, make_user: Any, role: str) -> None:
    other = make_user(role, team=intake.team)
    with pytest.raises(PermissionDenied):
        service.send_referral_form(actor=other, referral=intake.referral, now=NOW)
    assert FormCopy.objects.count() == 0
    assert len(service.send_referral_form(actor=intake.manager, referral=intake.referral, now=NOW)) == len(AGENCIES)


def test_a_team_leader_of_another_team_cannot_send(intake: Intake, agencies: Any, make_user: Any,
                                                   make_team: Any) -> None:
    stranger = make_user(Role.TEAM_LEADER, team=make_team())
    with pytest.raises(PermissionDenied):
        service.send_referral_form(actor=stranger, referral=intake.referral, now=NOW)


def test_emails_leave_only_after_commit(intake: Intake, agencies: Any, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        send(intake)
        assert OutboxMessage.objects.filter(state=OutboxMessage.State.QUEUED).count() == len(AGENCIES)
    assert mail.outbox == [] and len(callbacks) == len(AGENCIES)
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == len(AGENCIES)
    assert not OutboxMessage.objects.exclude(state=OutboxMessage.State.SENT).exists()


def test_a_database_failure_mid_send_saves_nothing_and_sends_nothing(intake: Intake, agencies: Any) -> None:
    real_create = Disclosure.objects.create
    calls = []

    def fail_on_the_third(**kwargs: Any) -> Any:
        calls.append(kwargs)
        if len(calls) == 3:
            raise RuntimeError("the database went away")
        return real_create(**kwargs)

    with mock.patch.object(Disclosure.objects, "create", side_effect=fail_on_the_third), \
            pytest.raises(RuntimeError), _commit_callbacks() as callbacks:
        send(intake)
    assert callbacks == [] and mail.outbox == []
    assert FormCopy.objects.count() == OutboxMessage.objects.count() == Disclosure.objects.count() == 0
    assert not AuditEvent.objects.filter(record_type="referrals.FormCopy").exists()


def test_the_email_carries_no_child_data_only_the_reference_the_date_and_the_link(intake: Intake,
                                                                                   agencies: Any) -> None:
    CouncilSettings.objects.update_or_create(pk=1, defaults={"name": "Harbourside Council"})
    tokens = send_with_tokens(intake)
    due = intake.referral.transfer_due
    for message in mail.outbox:
        text = message.subject + message.body
        assert message.subject.startswith("NTS referral NTS-2026-0042: please read and acknowledge by ")
        assert f"{due.day} {due:%B %Y}" in message.subject
        assert "Harbourside Council" in message.body
        assert f"http://127.0.0.1:8000/shared/{tokens[message.to[0]]}/" in message.body
        for forbidden in ("Dawit", "Tesfay", "Eritrean", "Tigrinya", "2009", "uncle", "Lawson", *SENTINELS.values()):
            assert forbidden not in text
    health = next(m for m in mail.outbox if m.to == ["lac.health@nhs.example"])
    assert health.body.startswith("To Harbourside Community Health,")


def test_only_the_digest_of_a_token_is_kept(intake: Intake, agencies: Any) -> None:
    tokens = send_with_tokens(intake)
    for email, token in tokens.items():
        copy = FormCopy.objects.get(email=email)
        assert token not in str(copy.__dict__) and len(token) >= 43
        # Once sent, the stored email keeps no working link either.
        assert token not in OutboxMessage.objects.get(about_id=copy.pk).body
    assert not any(token in str(e.changes) for e in AuditEvent.objects.all() for token in tokens.values())


# --- What each agency sees -------------------------------------------------------------------------


def test_restricted_fields_reach_only_the_agencies_whose_sections_include_them(intake: Intake, agencies: Any) -> None:
    tokens = send_with_tokens(intake)
    bodies = " ".join(m.subject + m.body for m in mail.outbox)
    assert not any(sentinel in bodies for sentinel in SENTINELS.values())
    client = Client()
    for copy in FormCopy.objects.select_related("entry", "referral__child", "referral__team"):
        token = tokens[copy.email]
        page = client.get(f"/shared/{token}/")
        assert page.status_code == 200
        pdf = client.get(f"/shared/{token}/form.pdf")
        assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
        feeds_pdf = print_html(referral=copy.referral, sections=copy.sections, recipient=copy.entry.name)
        surfaces = {"page": page.content.decode(), "pdf text": pdf_text(pdf.content), "pdf html": feeds_pdf,
                    "pdf bytes": pdf.content.decode("latin-1")}
        allowed = set(sections_for(copy.entry.kind))
        for section, sentinel in SENTINELS.items():
            for surface, text in surfaces.items():
                if section in allowed and surface != "pdf bytes":
                    assert sentinel in text, f"{copy.entry.name} should see {section} on the {surface}"
                else:
                    assert sentinel not in text, f"{copy.entry.name} sees {section} on the {surface}"
        assert "Dawit" in surfaces["page"] and "Dawit" in surfaces["pdf text"]
    assert RESTRICTED_SECTIONS == set(SENTINELS)


def test_staff_who_may_see_the_child_see_the_whole_form(intake: Intake, signed_in: Any) -> None:
    client = signed_in(intake.worker)
    page = client.get(f"/referrals/{intake.referral.pk}/form/")
    assert page.status_code == 200
    assert all(sentinel in page.content.decode() for sentinel in SENTINELS.values())
    pdf = client.get(f"/referrals/{intake.referral.pk}/form.pdf")
    assert pdf.status_code == 200 and pdf["Content-Disposition"].startswith("attachment;")
    assert all(sentinel in pdf_text(pdf.content) for sentinel in SENTINELS.values())
    assert AccessLogEntry.objects.filter(child_id=intake.child.pk, user=intake.worker).count() == 2


@pytest.mark.parametrize("who", ["worker in another team", "partner", "administrator"])
def test_the_staff_form_is_not_found_for_anyone_who_may_not_see_the_child(
    intake: Intake, make_user: Any, make_team: Any, make_agency: Any, share_with: Any, signed_in: Any, who: str,
) -> None:
    agency = make_agency()
    share_with(intake.child, agency, by=intake.leader)
    user = {
        "worker in another team": lambda: make_user(Role.SOCIAL_WORKER, team=make_team()),
        "partner": lambda: make_user(Role.PARTNER, agency=agency),
        "administrator": lambda: make_user(Role.ADMINISTRATOR, is_staff=True, is_superuser=True),
    }[who]()
    client = signed_in(user)
    for path in ("form/", "form.pdf", "agencies/"):
        assert client.get(f"/referrals/{intake.referral.pk}/{path}").status_code == 404
    assert client.post(f"/referrals/{intake.referral.pk}/agencies/send/").status_code == 404
    assert FormCopy.objects.count() == 0


# --- The partner's link ----------------------------------------------------------------------------


def test_a_wrong_or_expired_link_gives_the_same_404(intake: Intake, agencies: Any) -> None:
    tokens = send_with_tokens(intake)
    expired_token = tokens["lac.health@nhs.example"]
    FormCopy.objects.filter(email="lac.health@nhs.example").update(link_expires_at=timezone.now() - dt.timedelta(seconds=1))
    withdrawn_token = tokens["mash@harbourside.example"]
    client = Client()
    answers = {
        "wrong": client.get("/shared/" + "x" * 43 + "/"),
        "expired": client.get(f"/shared/{expired_token}/"),
        "expired pdf": client.get(f"/shared/{expired_token}/form.pdf"),
        "nonsense": client.get("/shared/%2e%2e/"),
    }
    Referral.objects.filter(pk=intake.referral.pk).update(status=Referral.Status.WITHDRAWN)
    answers["withdrawn"] = client.get(f"/shared/{withdrawn_token}/")
    assert {k: r.status_code for k, r in answers.items()} == dict.fromkeys(answers, 404)
    assert len({r.content for r in answers.values()}) == 1
    assert b"Page not found" in answers["wrong"].content
    assert AccessLogEntry.objects.count() == 0


def test_every_partner_view_is_logged_with_who_the_link_was_sent_to(intake: Intake, agencies: Any) -> None:
    token = send_with_tokens(intake)["lac.health@nhs.example"]
    client = Client()
    page = client.get(f"/shared/{token}/")
    client.get(f"/shared/{token}/form.pdf")
    client.post(f"/shared/{token}/acknowledge/", {"ack-name": ""})
    rows = list(AccessLogEntry.objects.filter(child_id=intake.child.pk).order_by("at"))
    assert [r.route for r in rows] == ["shared:form", "shared:form_pdf", "shared:acknowledge"]
    assert all(r.user is None for r in rows)
    assert {r.accessed_by for r in rows} == {"Harbourside Community Health (lac.health@nhs.example) via shared link"}
    # The address holds the token: at most the origin goes on (not "no-referrer", which makes
    # browsers post "Origin: null" and fail the CSRF check; the browser test posts the forms).
    assert page["Referrer-Policy"] == "strict-origin"
    assert '<meta name="robots" content="noindex' in page.content.decode()


def test_a_partner_acknowledges_and_a_missing_name_is_an_error(intake: Intake, agencies: Any) -> None:
    token = send_with_tokens(intake)["lac.health@nhs.example"]
    client = Client(enforce_csrf_checks=True)
    page = client.get(f"/shared/{token}/")
    csrf = client.cookies["csrftoken"].value
    refused = client.post(f"/shared/{token}/acknowledge/", {"ack-name": " ", "csrfmiddlewaretoken": csrf})
    assert refused.status_code == 422
    text = refused.content.decode()
    assert "There is a problem" in text and "Enter your name" in text and 'href="#id_ack-name"' in text
    assert "<title>Error: " in text
    assert client.post(f"/shared/{token}/acknowledge/", {"ack-name": "Dr Amal Haddad"}).status_code == 403  # CSRF
    done = client.post(f"/shared/{token}/acknowledge/", {"ack-name": "Dr Amal Haddad", "csrfmiddlewaretoken": csrf})
    assert done.status_code == 302 and done["Location"].endswith("?done=acknowledged")
    copy = FormCopy.objects.get(email="lac.health@nhs.example")
    assert copy.acknowledged_by_name == "Dr Amal Haddad" and copy.acknowledged_at is not None
    assert page.status_code == 200
    assert "Acknowledged by Dr Amal Haddad" in client.get(f"/shared/{token}/").content.decode()


def test_what_a_partner_adds_lands_on_the_childs_chronology_with_its_source(intake: Intake, agencies: Any) -> None:
    token = send_with_tokens(intake)["lac.health@nhs.example"]
    client = Client()
    refused = client.post(f"/shared/{token}/add/", {"add-kind": "police", "add-text": "", "add-given_by": ""})
    assert refused.status_code == 422
    for message in ("Select what kind of information you are adding", "Enter what your agency knows about the child",
                    "Enter your name"):
        assert message in refused.content.decode()
    added = client.post(f"/shared/{token}/add/", {
        "add-kind": "health", "add-text": "Registered with Quayside GP surgery; asthma inhaler prescribed.",
        "add-given_by": "Dr Amal Haddad"})
    assert added.status_code == 302
    entry = ChronologyEntry.objects.get(child=intake.child, kind=ChronologyEntry.Kind.PARTNER_INFORMATION)
    assert entry.source == "Dr Amal Haddad, Harbourside Community Health" and entry.recorded_by is None
    assert entry.title == "Health information from Harbourside Community Health"
    assert entry.description.startswith("Registered with Quayside GP")
    contribution = PartnerContribution.objects.get()
    assert contribution.chronology_entry == entry and contribution.copy.entry.kind == Kind.HEALTH
    audited = AuditEvent.objects.filter(child_id=intake.child.pk, via=service.SHARED_VIA)
    assert {e.record_type for e in audited} == {"children.ChronologyEntry", "referrals.PartnerContribution"}


@pytest.mark.parametrize(("kind", "choices"), [
    (Kind.HEALTH, ["health", "other"]),
    (Kind.EDUCATION, ["education", "other"]),
    (Kind.VIRTUAL_SCHOOL, ["education", "other"]),
    (Kind.POLICE, ["police", "other"]),
    (Kind.MASH, ["health", "education", "police", "other"]),
    (Kind.FOSTERING, ["other"]),
])
def test_an_agency_adds_only_its_own_kind_of_information(kind: str, choices: list[str]) -> None:
    assert [value for value, _ in service.contribution_kinds(kind)] == choices


# --- Tracking and chasing --------------------------------------------------------------------------


def test_the_agencies_page_tracks_each_copy_and_chasing_sends_a_new_link(intake: Intake, agencies: Any,
                                                                          signed_in: Any) -> None:
    client = signed_in(intake.leader)
    before = client.get(f"/referrals/{intake.referral.pk}/agencies/")
    assert "Send the referral form to every agency" in before.content.decode()
    with _commit_callbacks():
        sent = client.post(f"/referrals/{intake.referral.pk}/agencies/send/")
    assert sent.status_code == 302 and FormCopy.objects.count() == len(AGENCIES)
    old_token = _token(next(m for m in mail.outbox if m.to == ["lac.health@nhs.example"]).body)
    police = FormCopy.objects.get(email="public.protection@police.example")
    service.acknowledge_copy(copy=police, name="DC Rowe", now=timezone.now())
    health = FormCopy.objects.get(email="lac.health@nhs.example")
    mail.outbox.clear()
    with _commit_callbacks():
        chased = client.post(f"/referrals/{intake.referral.pk}/agencies/{health.pk}/chase/")
    assert chased.status_code == 302
    health.refresh_from_db()
    assert health.chase_count == 1 and health.chased_at is not None
    assert [m.subject.startswith("Reminder: NTS referral NTS-2026-0042") for m in mail.outbox] == [True]
    new_token = _token(mail.outbox[0].body)
    assert Client().get(f"/shared/{old_token}/").status_code == 404
    assert Client().get(f"/shared/{new_token}/").status_code == 200
    page = client.get(f"/referrals/{intake.referral.pk}/agencies/").content.decode()
    assert "Send the referral form to every agency" not in page
    assert "Reminder sent to Harbourside Community Health" in page
    tags = re.findall(r'class="govuk-tag[^"]*">\s*([^<]+?)\s*</strong>', page)
    assert sorted(tags) == sorted(["Acknowledged", "Chased"] + ["Delivered"] * (len(AGENCIES) - 2))
    assert "by DC Rowe" in page
    refused = client.post(f"/referrals/{intake.referral.pk}/agencies/{police.pk}/chase/")
    assert refused.status_code == 422 and "Harbourside Police has already acknowledged the form" in refused.content.decode()
    state = service.form_task_state(intake.referral)
    assert state == {"total": 9, "sent": 9, "delivered": 9, "acknowledged": 1, "chased": 1, "not_sent": 0,
                     "status": "in_progress"}


def test_sending_with_an_empty_list_is_refused_on_the_page(intake: Intake, signed_in: Any) -> None:
    response = signed_in(intake.leader).post(f"/referrals/{intake.referral.pk}/agencies/send/")
    assert response.status_code == 422
    text = response.content.decode()
    assert "There is a problem" in text and "Add agencies to the distribution list before sending the form" in text
    assert 'href="#send-form"' in text and 'id="send-form"' in text


def test_a_social_worker_sees_the_agencies_but_may_not_send(intake: Intake, agencies: Any, signed_in: Any) -> None:
    client = signed_in(intake.worker)
    page = client.get(f"/referrals/{intake.referral.pk}/agencies/")
    assert page.status_code == 200 and "Send the referral form" not in page.content.decode()
    assert client.post(f"/referrals/{intake.referral.pk}/agencies/send/").status_code == 403
    assert FormCopy.objects.count() == 0


def test_form_task_state_before_anything_is_sent(intake: Intake, agencies: Any) -> None:
    assert service.form_task_state(intake.referral, today=TODAY) == {
        "total": 9, "sent": 0, "delivered": 0, "acknowledged": 0, "chased": 0, "not_sent": 9, "status": "not_started"}


# --- Query counts ----------------------------------------------------------------------------------


def _agencies_named(n: int) -> list[tuple[str, str, str]]:
    kinds = list(Kind)
    return [(kinds[i % len(kinds)], f"Agency {i:02d}", f"agency{i}@example.org") for i in range(n)]


def _count(client: Client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def test_the_agencies_and_partner_pages_keep_a_fixed_number_of_queries(
    make_team: Any, make_user: Any, make_child: Any, signed_in: Any,
) -> None:
    counts = {}
    entries: list[DistributionEntry] = []
    for size in (2, 12):
        entries += add_agencies(_agencies_named(size)[len(entries):])
        intake = build_intake(make_team, make_user, make_child)
        tokens = send_with_tokens(intake)
        copies = list(FormCopy.objects.filter(referral=intake.referral))
        assert len(copies) == size
        # Some copies in each state, so every branch of the page is drawn.
        service.chase_copy(actor=intake.leader, copy=copies[0], now=timezone.now())
        service.acknowledge_copy(copy=copies[1], name="A Person", now=timezone.now())
        staff = signed_in(intake.leader)
        partner_token = tokens[copies[1].email]
        counts[size] = (
            _count(staff, f"/referrals/{intake.referral.pk}/agencies/"),
            _count(Client(), f"/shared/{partner_token}/"),
        )
    assert counts[2] == counts[12], counts


# --- One working day left --------------------------------------------------------------------------


def _at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(7, 0)))


@pytest.mark.parametrize(("today", "due", "placement_confirmed", "already_alerted", "alerted"), [
    (dt.date(2026, 11, 24), dt.date(2026, 11, 25), False, False, True),   # due tomorrow
    (dt.date(2026, 11, 24), dt.date(2026, 11, 24), False, False, True),   # due today
    (dt.date(2026, 11, 24), dt.date(2026, 11, 23), False, False, True),   # overdue: less than one day
    (dt.date(2026, 11, 24), dt.date(2026, 11, 26), False, False, False),  # 2 working days left
    (dt.date(2026, 11, 27), dt.date(2026, 11, 30), False, False, True),   # Friday, due Monday
    (dt.date(2026, 11, 26), dt.date(2026, 11, 30), False, False, False),  # Thursday, due Monday: 2 left
    (dt.date(2026, 12, 24), dt.date(2026, 12, 29), False, False, True),   # Christmas Day and the substitute day
    (dt.date(2026, 11, 24), dt.date(2026, 11, 25), True, False, False),   # placement confirmed
    (dt.date(2026, 11, 24), dt.date(2026, 11, 25), False, True, False),   # already alerted
], ids=["due-tomorrow", "due-today", "overdue", "two-working-days", "friday-due-monday", "thursday-due-monday",
        "christmas", "placement-confirmed", "already-alerted"])
def test_the_one_working_day_alert(intake: Intake, make_user: Any, today: dt.date, due: dt.date,
                                   placement_confirmed: bool, already_alerted: bool, alerted: bool) -> None:
    CouncilSettings.objects.update_or_create(pk=1, defaults={"intake_manager_email": "nts.intake@harbourside.example"})
    Referral.objects.filter(pk=intake.referral.pk).update(
        transfer_due=due, placement_confirmed_at=_at(today) if placement_confirmed else None,
        one_day_alert_sent_at=_at(today) - dt.timedelta(days=1) if already_alerted else None)
    make_user(Role.TEAM_LEADER, email="elsewhere@harbourside.example")  # not in the referral's team
    with _commit_callbacks():
        count = service.send_due_alerts(now=_at(today), calendar=council_calendar())
    assert count == (1 if alerted else 0)
    expected = ["lena.leader@harbourside.example", "mina.manager@harbourside.example",
                "nts.intake@harbourside.example"] if alerted else []
    assert sorted(m.to[0] for m in mail.outbox) == expected
    for message in mail.outbox:
        assert "NTS-2026-0042" in message.subject and f"{due.day} {due:%B %Y}" in message.subject
        assert "Dawit" not in message.body and "Tesfay" not in message.body
    with _commit_callbacks():
        assert service.send_due_alerts(now=_at(today) + dt.timedelta(minutes=15), calendar=council_calendar()) == 0
    assert len(mail.outbox) == len(expected)


def test_the_alert_mark_and_its_emails_are_saved_together(intake: Intake) -> None:
    Referral.objects.filter(pk=intake.referral.pk).update(transfer_due=dt.date(2026, 11, 25))
    with mock.patch("harbour.referrals.services_distribution.record_change", side_effect=RuntimeError("gone")), \
            pytest.raises(RuntimeError), _commit_callbacks():
        service.send_due_alerts(now=_at(dt.date(2026, 11, 24)), calendar=council_calendar())
    intake.referral.refresh_from_db()
    assert intake.referral.one_day_alert_sent_at is None
    assert OutboxMessage.objects.count() == 0 and mail.outbox == []


# --- The outbox ------------------------------------------------------------------------------------


def test_a_failed_email_is_recorded_without_its_body_and_retried(intake: Intake, agencies: Any, caplog: Any) -> None:
    with mock.patch("django.core.mail.backends.locmem.EmailBackend.send_messages",
                    side_effect=ConnectionRefusedError("mail server down")), _commit_callbacks():
        send(intake)
    failed = list(OutboxMessage.objects.all())
    assert {m.state for m in failed} == {OutboxMessage.State.FAILED} and {m.attempts for m in failed} == {1}
    assert all(m.last_error == "ConnectionRefusedError: mail server down" for m in failed)
    assert not FormCopy.objects.filter(delivered_at__isnull=False).exists()
    assert not any("/shared/" in r.getMessage() for r in caplog.records)
    assert retry_due(now=timezone.now()) == (0, 0)  # tried moments ago: may still be on its way
    assert retry_due(now=timezone.now() + dt.timedelta(minutes=6)) == (len(AGENCIES), len(AGENCIES))
    assert len(mail.outbox) == len(AGENCIES)
    assert FormCopy.objects.filter(delivered_at__isnull=False).count() == len(AGENCIES)
    assert deliver([m.pk for m in failed]) == 0  # sent once, never twice


def test_the_outbox_commands_have_help_and_run(intake: Intake, capsys: Any) -> None:
    from django.core.management import call_command

    for command in ("send_outbox", "nts_alerts"):
        with pytest.raises(SystemExit):
            call_command(command, "--help")
        assert "cron" in capsys.readouterr().out
    call_command("send_outbox")
    assert "Tried 0 messages, sent 0." in capsys.readouterr().out
    call_command("nts_alerts")
    assert "Alerted" in capsys.readouterr().out


# --- The administrator keeps the list --------------------------------------------------------------


def test_the_administrator_keeps_the_distribution_list_in_the_admin(make_user: Any, signed_in: Any) -> None:
    admin = make_user(Role.ADMINISTRATOR, is_staff=True, is_superuser=True)
    client = signed_in(admin)
    added = client.post("/admin/referrals/distributionentry/add/", {
        "name": "Harbourside Police", "kind": Kind.POLICE, "email": "public.protection@police.example",
        "active": "on"})
    assert added.status_code == 302
    listing = client.get("/admin/referrals/distributionentry/").content.decode()
    assert "Harbourside Police" in listing and "The child, The referral, Risks and safety" in listing
    entry = DistributionEntry.objects.get()
    assert AuditEvent.objects.get(record_type="referrals.DistributionEntry", actor=admin).via == "admin"
    assert client.get(f"/admin/referrals/distributionentry/{entry.pk}/delete/").status_code == 403
    # The role alone opens nothing: Django's admin needs is_staff (and permissions, or superuser).
    plain = signed_in(make_user(Role.ADMINISTRATOR))
    assert plain.get("/admin/referrals/distributionentry/").status_code == 302
