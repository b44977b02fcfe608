"""The access log and the audit trail (security checklist items 12, 14, 15 and 16, and the audit
half of 13: every create and update through a service leaves a row with before and after)."""

from __future__ import annotations

import datetime as dt
import json
import logging
import uuid

import pytest
import time_machine
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.utils import timezone

from harbour.accounts.models import ApiToken, Role
from harbour.audit.models import AccessLogEntry, AppendOnlyError, AuditEvent
from harbour.audit.selectors import access_log_for_child
from harbour.children import services
from harbour.children.models import ChildName, ChronologyEntry, DateOfBirthRecord, LegalStatusPeriod

TODAY = dt.date(2026, 11, 20)


@pytest.fixture
def team(make_team):
    return make_team()


@pytest.fixture
def worker(team, make_user):
    return make_user(Role.SOCIAL_WORKER, team=team, first_name="Wendy", last_name="Worker")


@pytest.fixture
def child(worker, make_child):
    return make_child(social_worker=worker, given_names="Sentinelname", family_name="Zzyzx",
                      religion="Sentinelreligion")


def api_client(user) -> Client:
    _, raw = ApiToken.issue(user=user, name="test")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


# --------------------------------------------------------------------------------------------
# 12. Every read of a child's record writes one access-log row, before any data leaves.

READS = [
    ("page", "/children/{id}/", "children:detail"),
    ("page", "/children/{id}/identity/", "children:identity"),
    ("page", "/children/{id}/legal/", "children:legal"),
    ("api", "/api/v1/children/{id}", "api:get_child"),
    ("api", "/api/v1/children/{id}/deadlines", "api:child_deadlines"),
    ("api", "/api/v1/children/{id}/timeline", "api:child_timeline"),
]


@pytest.mark.parametrize(("via", "path", "route"), READS, ids=[r[2] for r in READS])
def test_reading_a_child_writes_exactly_one_access_log_row(via, path, route, worker, child, signed_in):
    client = signed_in(worker) if via == "page" else api_client(worker)
    before = timezone.now()
    response = client.get(path.format(id=child.pk))
    assert response.status_code == 200
    rows = list(AccessLogEntry.objects.filter(child_id=child.pk))
    assert len(rows) == 1
    row = rows[0]
    assert row.user == worker
    assert row.route == route
    assert row.request_id and row.request_id == response["X-Request-ID"]
    assert before <= row.at <= timezone.now()


def test_reading_the_list_or_searching_does_not_count_as_opening_a_record(worker, child, signed_in):
    client = signed_in(worker)
    for path in ("/", "/children/", "/search/?q=Sentinelname"):
        assert client.get(path).status_code == 200
    assert not AccessLogEntry.objects.exists()


@pytest.mark.parametrize(("via", "path", "route"), READS, ids=[r[2] for r in READS])
def test_if_the_access_log_cannot_be_written_nothing_about_the_child_is_returned(
        via, path, route, worker, child, signed_in, monkeypatch):
    def broken_log(**kwargs):
        raise DatabaseError("the access log is unavailable")

    monkeypatch.setattr("harbour.accounts.access.log_access", broken_log)
    client = signed_in(worker) if via == "page" else api_client(worker)
    client.raise_request_exception = False
    response = client.get(path.format(id=child.pk))
    assert response.status_code == 500
    for sentinel in (b"Sentinelname", b"Zzyzx", b"Sentinelreligion", b"2010-03-14", b"14 March 2010"):
        assert sentinel not in response.content, sentinel
    assert not AccessLogEntry.objects.exists()


def test_the_request_id_a_caller_sends_is_kept_in_the_log_and_a_malformed_one_is_replaced(
        worker, child, signed_in):
    client = signed_in(worker)
    client.get(f"/children/{child.pk}/", HTTP_X_REQUEST_ID="trace-0123456789abcdef")
    client.get(f"/children/{child.pk}/", HTTP_X_REQUEST_ID="bad\r\nid")
    ids = {row.request_id for row in AccessLogEntry.objects.filter(child_id=child.pk)}
    assert "trace-0123456789abcdef" in ids
    other = (ids - {"trace-0123456789abcdef"}).pop()
    assert "\n" not in other and len(other) == 32


# --------------------------------------------------------------------------------------------
# 14. Audit rows are append-only: the ORM refuses, and PostgreSQL refuses raw SQL too.


@pytest.fixture
def audit_rows(worker, child, signed_in):
    signed_in(worker).get(f"/children/{child.pk}/")
    return AuditEvent.objects.filter(child_id=child.pk).first(), AccessLogEntry.objects.get(child_id=child.pk)


def test_saving_or_deleting_an_existing_audit_row_through_the_orm_raises(audit_rows):
    for row in audit_rows:
        model = type(row)
        if model is AuditEvent:
            row.action = AuditEvent.Action.DELETE
        else:
            row.route = "forged"
        with pytest.raises(AppendOnlyError):
            row.save()
        with pytest.raises(AppendOnlyError):
            row.delete()
        with pytest.raises(AppendOnlyError):
            model.objects.filter(pk=row.pk).update(request_id="forged")
        with pytest.raises(AppendOnlyError):
            model.objects.filter(pk=row.pk).delete()
        with pytest.raises(AppendOnlyError), transaction.atomic():
            model.objects.bulk_update([row], ["request_id"])
        fresh = model.objects.get(pk=row.pk)
        assert fresh.request_id != "forged"
        assert getattr(fresh, "route", "") != "forged"
    # Appending is what the application does, and it still works.
    AuditEvent.objects.create(action=AuditEvent.Action.SIGN_IN, record_type="accounts.User", record_id="x")


@pytest.mark.postgres
def test_raw_sql_update_and_delete_of_audit_rows_fail_with_a_permission_error(audit_rows):
    if connection.vendor != "postgresql":
        pytest.skip("the database-level guard is PostgreSQL's (DATABASE_URL)")
    from django.db import ProgrammingError

    for row in audit_rows:
        table = row._meta.db_table
        for sql in (f"UPDATE {table} SET request_id = 'forged' WHERE id = %s", f"DELETE FROM {table} WHERE id = %s"):
            with pytest.raises(ProgrammingError) as refused, transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(sql, [row.pk])
            assert getattr(refused.value.__cause__, "sqlstate", None) == "42501"  # insufficient_privilege
            assert "append-only" in str(refused.value)
        assert type(row).objects.filter(pk=row.pk).exclude(request_id="forged").exists()


# --------------------------------------------------------------------------------------------
# 15. Logs carry no secrets or record data, and nothing written into a record can forge a log line.

FAKE = "harmless\r\nFAKE ENTRY 2026-11-20 09:00:00 INFO audit everything is fine"
SECRET_PASSWORD = "Sentinel-password-Qv8#x"


def _check_log_records(records: list[logging.LogRecord], forbidden: list[str]) -> None:
    assert records, "expected the requests to log something"
    for record in records:
        message = record.getMessage()
        assert "\n" not in message and "\r" not in message, message
        for value in forbidden:
            assert value not in message, (value, message)
            assert value not in repr(record.args), (value, record.args)


def test_logs_hold_no_secrets_and_stay_one_line_whatever_users_type(worker, child, signed_in, caplog):
    caplog.set_level(logging.DEBUG)
    # A note that tries to start a new log line, written and then read back.
    services.chronology_add(actor=worker, child=child, kind=ChronologyEntry.Kind.NOTE,
                            occurred_at=timezone.now(), title=FAKE, description=FAKE)
    client = signed_in(worker)
    assert client.get(f"/children/{child.pk}/").status_code == 200
    # A failed sign-in whose username tries the same trick, and whose password must never be logged.
    anonymous = Client()
    anonymous.post("/accounts/sign-in/", {"username": FAKE, "password": SECRET_PASSWORD})
    anonymous.post("/accounts/sign-in/", {"username": worker.username, "password": SECRET_PASSWORD})
    # Paths are logged by Django for 4xx answers: a path with an encoded line break.
    assert client.get("/children/x%0D%0AFAKE%20ENTRY/").status_code == 404
    assert client.get("/nowhere%0D%0AFAKE%20ENTRY").status_code == 404

    _check_log_records(caplog.records, [SECRET_PASSWORD, "Sentinelreligion"])
    messages = [r.getMessage() for r in caplog.records]
    assert any(m.startswith("Not Found: /children/x") and "FAKE ENTRY" in m for m in messages)  # logged, escaped
    assert any("login failure" in m for m in messages)  # the throttle logged the failures, masked
    formatted = logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s")
    for record in caplog.records:
        assert not any(line.startswith("FAKE ENTRY") for line in formatted.format(record).splitlines())

    # The audit trail keeps the text as data: one JSON document per row, no raw line breaks.
    event = AuditEvent.objects.get(record_type="children.ChronologyEntry")
    assert event.changes["description"] == [None, FAKE]
    exported = json.dumps({"at": event.at.isoformat(), "actor": str(event.actor_id), "changes": event.changes})
    assert "\n" not in exported and "\r" not in exported
    # The password appears in no audit row, no access-log row and no throttling record.
    from axes.models import AccessAttempt, AccessFailureLog

    stored = [json.dumps(e.changes) for e in AuditEvent.objects.all()]
    stored += [f"{a.username} {a.get_data} {a.post_data}" for a in AccessAttempt.objects.all()]
    stored += [f"{a.username} {a.path_info}" for a in AccessFailureLog.objects.all()]
    assert AccessAttempt.objects.exists()
    assert not any(SECRET_PASSWORD in text for text in stored)


def test_the_access_log_records_that_a_record_was_read_not_what_it_says(worker, child, signed_in):
    signed_in(worker).get(f"/children/{child.pk}/identity/")
    row = AccessLogEntry.objects.get(child_id=child.pk)
    values = " ".join(str(getattr(row, f.attname)) for f in row._meta.concrete_fields)
    for sentinel in ("Sentinelname", "Zzyzx", "Sentinelreligion", "2010-03-14"):
        assert sentinel not in values


def test_sign_in_and_sign_out_are_audited_without_the_password(worker):
    from harbour.accounts.tests.test_sign_in import sign_in

    client = Client()
    sign_in(client, worker.username)
    client.post("/accounts/sign-out/")
    actions = list(AuditEvent.objects.filter(actor=worker).order_by("at").values_list("action", flat=True))
    assert actions == [AuditEvent.Action.SIGN_IN, AuditEvent.Action.SIGN_OUT]
    assert all(e.changes == {} for e in AuditEvent.objects.filter(actor=worker))


# --------------------------------------------------------------------------------------------
# 16. "Who has looked at this child's record": the report for managers and for subject access.


def test_the_access_report_lists_exactly_who_viewed_the_record_and_when(team, worker, child, make_user, make_child,
                                                                        signed_in):
    leader = make_user(Role.TEAM_LEADER, team=team, first_name="Lena", last_name="Leader")
    manager = make_user(Role.TEAM_MANAGER, first_name="Mo", last_name="Manager")
    other_child = make_child(social_worker=worker)
    visits = [
        (worker, dt.datetime(2026, 11, 20, 9, 5, tzinfo=dt.UTC), "Wendy Worker", "20 November 2026 at 9:05am"),
        (leader, dt.datetime(2026, 11, 20, 13, 40, tzinfo=dt.UTC), "Lena Leader", "20 November 2026 at 1:40pm"),
        (manager, dt.datetime(2026, 11, 21, 8, 15, tzinfo=dt.UTC), "Mo Manager", "21 November 2026 at 8:15am"),
    ]
    for user, when, _, _ in visits:
        with time_machine.travel(when, tick=False):
            assert signed_in(user).get(f"/children/{child.pk}/").status_code == 200
            signed_in(user).get(f"/children/{other_child.pk}/")  # a different child's log

    # The selector behind the report (and behind a subject access request).
    entries = list(access_log_for_child(child_id=child.pk))
    assert [(e.user, e.at) for e in entries] == [(u, when) for u, when, _, _ in reversed(visits)]

    with time_machine.travel(dt.datetime(2026, 11, 22, 10, 0, tzinfo=dt.UTC), tick=False):
        response = signed_in(manager).get(f"/children/{child.pk}/access-log/")
    assert response.status_code == 200
    page = response.content.decode()
    rows = page.split("<tbody")[1].split("</tbody>")[0].split("<tr")[1:]
    # The three views, newest first, after the manager's own opening of this report.
    assert "Mo Manager" in rows[0] and "22 November 2026 at 10:00am" in rows[0] and "Who has looked at this record" in rows[0]
    assert len(rows) == 4
    for row, (_, _, name, when) in zip(rows[1:], reversed(visits), strict=True):
        assert name in row and when in row and "Overview" in row


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.PERSONAL_ADVISER, Role.IRO, Role.PERFORMANCE_ANALYST,
                                  Role.PLACEMENTS_OFFICER])
def test_only_managers_may_read_the_access_report(role, worker, child, make_user, signed_in):
    from harbour.accounts.models import Allocation

    reader = worker if role == Role.SOCIAL_WORKER else make_user(role)
    if role in {Role.PERSONAL_ADVISER, Role.IRO}:
        Allocation.objects.create(child=child, worker=reader, kind=role, start=TODAY)
    client = signed_in(reader)
    assert client.get(f"/children/{child.pk}/").status_code == 200  # may see the child...
    assert client.get(f"/children/{child.pk}/access-log/").status_code == 404  # ...not who else did


# --------------------------------------------------------------------------------------------
# Every create and update through a service writes an audit event with before and after.


def _only_event(**filters) -> AuditEvent:
    events = list(AuditEvent.objects.filter(**filters))
    assert len(events) == 1, events
    return events[0]


def test_opening_a_record_audits_the_child_its_date_of_birth_and_its_allocation(worker):
    child = services.child_create(actor=worker, identity={"given_names": "Amani", "family_name": "Tesfay",
                                                          "religion": "Orthodox"},
                                  date_of_birth=dt.date(2010, 3, 14), date_of_birth_source="claimed",
                                  social_worker=worker, today=TODAY, request_id="req-create-1", via="web")
    created = _only_event(record_type="children.Child", action=AuditEvent.Action.CREATE)
    assert created.actor == worker and created.child_id == child.pk and created.record_id == str(child.pk)
    assert created.changes["given_names"] == [None, "Amani"]
    assert created.changes["family_name"] == [None, "Tesfay"]
    assert created.request_id == "req-create-1" and created.via == "web"
    dob = _only_event(record_type="children.DateOfBirthRecord")
    assert dob.changes["date_of_birth"] == [None, "2010-03-14"] and dob.changes["source"] == [None, "claimed"]
    allocation = _only_event(record_type="accounts.Allocation")
    assert allocation.changes["worker_id"] == [None, str(worker.pk)]
    in_use = _only_event(record_type="children.Child", action=AuditEvent.Action.UPDATE)
    assert in_use.changes["date_of_birth"] == [None, "2010-03-14"]
    assert set(AuditEvent.objects.values_list("child_id", flat=True)) == {child.pk}


def test_changing_identity_audits_exactly_the_changed_fields_with_before_and_after(worker, child):
    # The search names rebuilt from the new name are bulk writes, captured on their own (via "bulk").
    start = AuditEvent.objects.exclude(via="bulk").count()
    services.child_update_identity(actor=worker, child=child, version=child.version,
                                   changes={"given_names": "Samuel", "nationality": "Eritrean",
                                            "family_name": "Zzyzx"}, reason="Misspelt at referral", request_id="req-2")
    assert AuditEvent.objects.exclude(via="bulk").count() == start + 1
    event = AuditEvent.objects.filter(action=AuditEvent.Action.UPDATE, record_type="children.Child").order_by(
        "-at").first()
    assert event.changes == {"given_names": ["Sentinelname", "Samuel"], "nationality": ["", "Eritrean"],
                             "correction_reason": "Misspelt at referral"}
    assert event.actor == worker and event.request_id == "req-2"


CHILD_WRITES = {
    "another name": (lambda a, c: services.child_add_name(actor=a, child=c, name="Sami", kind=ChildName.Kind.ALIAS),
                     "children.ChildName", {"name": [None, "Sami"], "kind": [None, "alias"]}),
    "a date of birth kept on record": (
        lambda a, c: services.date_of_birth_record(actor=a, child=c, date_of_birth=dt.date(2009, 1, 1),
                                                   source="home_office", use_it=False, today=TODAY),
        "children.DateOfBirthRecord", {"date_of_birth": [None, "2009-01-01"], "source": [None, "home_office"]}),
    "a legal status": (
        lambda a, c: services.legal_status_add(actor=a, child=c, legal_status="C2", start=dt.date(2026, 1, 5),
                                               end=None, today=TODAY),
        "children.LegalStatusPeriod", {"legal_status": [None, "C2"], "start": [None, "2026-01-05"]}),
    "a period looked after": (
        lambda a, c: services.period_looked_after_add(actor=a, child=c, start=dt.date(2026, 1, 5), end=None,
                                                      today=TODAY),
        "children.PeriodLookedAfter", {"start": [None, "2026-01-05"]}),
    "a note": (
        lambda a, c: services.chronology_add(actor=a, child=c, kind="note", title="Visit",
                                             occurred_at=dt.datetime(2026, 1, 5, 10, tzinfo=dt.UTC)),
        "children.ChronologyEntry", {"title": [None, "Visit"], "kind": [None, "note"]}),
}


@pytest.mark.parametrize("what", list(CHILD_WRITES))
def test_each_service_write_leaves_one_audit_event_with_its_values(what, worker, child):
    write, record_type, expected = CHILD_WRITES[what]
    record = write(worker, child)
    event = _only_event(record_type=record_type, record_id=str(record.pk))
    assert event.action == AuditEvent.Action.CREATE and event.actor == worker
    assert event.child_id == child.pk
    for field, before_after in expected.items():
        assert event.changes[field] == before_after


def test_using_a_new_date_of_birth_audits_the_change_on_the_child(worker, child):
    services.date_of_birth_record(actor=worker, child=child, date_of_birth=dt.date(2009, 6, 1), source="assessed",
                                  use_it=True, today=TODAY)
    change = AuditEvent.objects.filter(record_type="children.Child", action=AuditEvent.Action.UPDATE).first()
    assert change.changes["date_of_birth"] == ["2010-03-14", "2009-06-01"]
    assert change.changes["date_of_birth_source"] == ["claimed", "assessed"]


def test_a_refused_write_leaves_no_audit_event_and_no_record(worker, child):
    from django.core.exceptions import ValidationError

    start = AuditEvent.objects.count()
    with pytest.raises(ValidationError):
        services.legal_status_add(actor=worker, child=child, legal_status="C2", start=dt.date(2026, 5, 1),
                                  end=dt.date(2026, 4, 1), today=TODAY)
    with pytest.raises(ValidationError):
        services.child_update_identity(actor=worker, child=child, version=child.version,
                                       changes={"given_names": "Bad\u202ename"}, reason="Typo")
    assert AuditEvent.objects.count() == start
    assert not LegalStatusPeriod.objects.filter(child=child).exists()


def test_edits_through_the_page_and_the_api_are_audited_with_their_channel_and_request(worker, child, signed_in):
    client = signed_in(worker)
    form = {"given_names": "Samuel", "family_name": "Zzyzx", "sex": "U", "ethnicity": "NOBT",
            "interpreter_needed": "unknown", "version": child.version, "religion": "Sentinelreligion",
            "reason": "Name misheard"}
    response = client.post(f"/children/{child.pk}/identity/change/", form)
    assert response.status_code == 302, response.content[:500]
    event = AuditEvent.objects.filter(record_type="children.Child", action="update").order_by("-at").first()
    assert event.changes == {"given_names": ["Sentinelname", "Samuel"], "correction_reason": "Name misheard"}
    assert event.via == "web" and event.request_id == response["X-Request-ID"]

    api = api_client(worker)
    response = api.post("/api/v1/children", {"given_names": "Api", "family_name": "Child",
                                              "social_worker_id": str(worker.pk)}, content_type="application/json")
    assert response.status_code == 201, response.content
    new_id = uuid.UUID(response.json()["id"])
    created = _only_event(record_type="children.Child", action="create", child_id=new_id)
    assert created.via == "api" and created.actor == worker and created.request_id == response["X-Request-ID"]
    assert DateOfBirthRecord.objects.filter(child_id=new_id).count() == 0
