"""Reliability under real failure (issue 10; security checklist 22 and 24), on PostgreSQL.

24: the database connection is killed with `pg_terminate_backend` from a second connection in the
middle of a multi-row write (a referral: child, dates of birth, referral, audit rows; sending the
single referral form: copies, disclosures, outbox rows). Afterwards either every row exists or
none, and no email was queued or sent.

22: two people save the same child's record from the same version at the same moment, each on its
own connection: one change is kept, the other is refused with "Someone else changed this record", and the audit trail
has one change.

SQLite cannot do either (no second backend to kill, no concurrent writers), so these are marked
`postgres` and skipped there.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any
from unittest import mock

import psycopg
import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, connections

from harbour.accounts.models import Role
from harbour.audit.models import AuditEvent, Disclosure
from harbour.children import services as child_services
from harbour.children.models import Child, DateOfBirthRecord
from harbour.core.models import OutboxMessage
from harbour.referrals import services_distribution
from harbour.referrals.models import FormCopy, Referral
from harbour.referrals.tests.test_distribution import add_agencies, build_intake
from harbour.referrals.tests.test_intake import create

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("killing a backend and racing two connections need PostgreSQL (set DATABASE_URL)")


def _terminate(pid: int) -> None:
    """From a second connection, end the backend `pid` and wait until it is gone."""
    settings = connection.settings_dict
    with psycopg.connect(dbname=settings["NAME"], host=settings["HOST"] or None, port=settings["PORT"] or None,
                         user=settings["USER"] or None, password=settings["PASSWORD"] or None,
                         autocommit=True) as killer, killer.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
        assert cursor.fetchone()[0] is True
        for _ in range(100):
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", [pid])
            if cursor.fetchone()[0] == 0:
                return
            threading.Event().wait(0.05)
    raise AssertionError(f"backend {pid} did not end")


@contextmanager
def killed_at(target: Any, attribute: str, *, on_call: int = 1) -> Iterator[list[int]]:
    """Patch `target.attribute` so that its `on_call`-th call first kills this test's backend."""
    real = getattr(target, attribute)
    calls: list[int] = []
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]

    def dying(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        if len(calls) == on_call:
            _terminate(pid)
        return real(*args, **kwargs)

    with mock.patch.object(target, attribute, side_effect=dying):
        yield calls
    connection.close()  # the next query reconnects, as the next request would


def test_killing_the_connection_mid_referral_leaves_no_child_no_referral_and_no_audit(make_user, make_team):
    leader = make_user(Role.TEAM_LEADER, team=make_team())
    with killed_at(Referral.objects, "create") as calls, pytest.raises(DatabaseError):
        create(leader, claimed=dt.date(2010, 3, 14))
    assert calls == [1]
    assert Child.unscoped.count() == DateOfBirthRecord.objects.count() == Referral.objects.count() == 0
    assert not AuditEvent.objects.filter(record_type__in=["children.Child", "referrals.Referral"]).exists()
    # And the same write succeeds on the new connection.
    create(leader, claimed=dt.date(2010, 3, 14))
    assert Referral.objects.count() == Child.unscoped.count() == 1


def test_killing_the_connection_mid_send_queues_and_sends_no_email(make_team, make_user, make_child):
    intake = build_intake(make_team, make_user, make_child)
    add_agencies()
    mail.outbox.clear()
    with killed_at(Disclosure.objects, "create", on_call=3) as calls, pytest.raises(DatabaseError):
        services_distribution.send_referral_form(actor=intake.leader, referral=intake.referral,
                                                 now=dt.datetime.now(dt.UTC))
    assert len(calls) == 3
    assert FormCopy.objects.count() == OutboxMessage.objects.count() == Disclosure.objects.count() == 0
    assert not AuditEvent.objects.filter(record_type="referrals.FormCopy").exists()
    assert mail.outbox == []


def _race(jobs: list[Callable[[], Any]]) -> list[Any]:
    """Run each job in its own thread (its own connection), released together by a barrier."""
    barrier = threading.Barrier(len(jobs))
    results: list[Any] = [None] * len(jobs)

    def run(i: int) -> None:
        try:
            barrier.wait(10)
            results[i] = jobs[i]()
        except BaseException as exc:  # noqa: BLE001 (reported to the test)
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(jobs))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not any(thread.is_alive() for thread in threads), "a thread is stuck (deadlock?)"
    return results


def test_two_saves_from_the_same_version_at_once_keep_one_and_refuse_the_other(make_user, make_child):
    worker = make_user(Role.SOCIAL_WORKER)
    child = make_child(social_worker=worker, given_names="Yonas", family_name="Haile")
    version = child.version
    updates = AuditEvent.objects.filter(record_id=str(child.pk), action=AuditEvent.Action.UPDATE)
    updates_before = updates.count()

    def save(changes: dict[str, str]) -> Callable[[], Any]:
        def job() -> Any:
            loaded = Child.unscoped.get(pk=child.pk)  # each person's own page, opened at `version`
            return child_services.child_update_identity(actor=worker, child=loaded, changes=changes, version=version,
                                                                reason="Corrected")
        return job

    results = _race([save({"preferred_name": "Yoni"}), save({"religion": "Orthodox Christian"})])
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(refused) == 1, results
    assert "Someone else changed this record" in str(refused[0])
    saved = Child.unscoped.get(pk=child.pk)
    assert saved.version == version + 1
    assert (saved.preferred_name, saved.religion) in {("Yoni", ""), ("", "Orthodox Christian")}
    assert updates.count() == updates_before + 1
