"""The referral form's emails through Django's real SMTP backend to a real SMTP server on loopback
(aiosmtpd), with real commits: each agency's email arrives after the transaction commits, a
failure of the database mid-send sends nothing, and a mail server that was down is caught up."""

from __future__ import annotations

import datetime as dt
import socket
import threading
from collections.abc import Iterator
from email import message_from_bytes
from email.message import Message
from typing import Any
from unittest import mock

import pytest
from aiosmtpd.controller import Controller
from django.test import override_settings
from django.utils import timezone

from harbour.audit.models import Disclosure
from harbour.core.models import OutboxMessage
from harbour.core.outbox import retry_due
from harbour.referrals import services_distribution as service
from harbour.referrals.models import FormCopy
from harbour.referrals.tests.test_distribution import (
    AGENCIES,
    SENTINELS,
    Intake,
    add_agencies,
    build_intake,
)

pytestmark = pytest.mark.django_db(transaction=True)


class Collector:
    """An aiosmtpd handler that keeps every message it is given."""

    def __init__(self) -> None:
        self.received: list[tuple[str, list[str], Message]] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # aiosmtpd's name for it
        with self.lock:
            self.received.append((envelope.mail_from, list(envelope.rcpt_tos), message_from_bytes(envelope.content)))
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def smtp_settings(port: int) -> Any:
    return override_settings(EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend", EMAIL_HOST="127.0.0.1",
                             EMAIL_PORT=port, EMAIL_USE_TLS=False, EMAIL_TIMEOUT=5,
                             DEFAULT_FROM_EMAIL="harbour@harbourside.example")


@pytest.fixture
def smtp_server() -> Iterator[tuple[Collector, int]]:
    collector = Collector()
    port = free_port()
    controller = Controller(collector, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        with smtp_settings(port):
            yield collector, port
    finally:
        controller.stop()


@pytest.fixture
def intake(make_team: Any, make_user: Any, make_child: Any) -> Intake:
    add_agencies()
    return build_intake(make_team, make_user, make_child)


def test_each_agency_receives_its_email_from_a_real_smtp_server(smtp_server: Any, intake: Intake) -> None:
    collector, _ = smtp_server
    copies = service.send_referral_form(actor=intake.leader, referral=intake.referral, now=timezone.now())
    assert len(copies) == len(AGENCIES)
    # The service's transaction has committed, and its after-commit delivery has run.
    assert sorted(rcpt for _, rcpts, _ in collector.received for rcpt in rcpts) == sorted(e for _, _, e in AGENCIES)
    assert all(len(rcpts) == 1 and sender == "harbour@harbourside.example" for sender, rcpts, _ in collector.received)
    for _, rcpts, message in collector.received:
        copy = FormCopy.objects.select_related("entry").get(email=rcpts[0])
        assert message["To"] == rcpts[0]
        assert message["Subject"].startswith("NTS referral NTS-2026-0042: please read and acknowledge by ")
        body = message.get_payload(decode=True).decode()
        assert body.startswith(f"To {copy.entry.name},") and "/shared/" in body
        assert not any(sentinel in body for sentinel in SENTINELS.values()) and "Dawit" not in body
        assert copy.delivered_at is not None
    assert set(OutboxMessage.objects.values_list("state", flat=True)) == {OutboxMessage.State.SENT}


def test_a_database_failure_mid_send_sends_nothing_to_the_server(smtp_server: Any, intake: Intake) -> None:
    collector, _ = smtp_server
    real_create = Disclosure.objects.create
    calls: list[Any] = []

    def fail_on_the_fifth(**kwargs: Any) -> Any:
        calls.append(kwargs)
        if len(calls) == 5:
            raise RuntimeError("the database went away")
        return real_create(**kwargs)

    with mock.patch.object(Disclosure.objects, "create", side_effect=fail_on_the_fifth), pytest.raises(RuntimeError):
        service.send_referral_form(actor=intake.leader, referral=intake.referral, now=timezone.now())
    assert len(calls) == 5  # four copies were made and queued before the failure
    assert collector.received == []
    assert FormCopy.objects.count() == OutboxMessage.objects.count() == Disclosure.objects.count() == 0
    # The same action, tried again once the database is back, sends to everyone once.
    service.send_referral_form(actor=intake.leader, referral=intake.referral, now=timezone.now())
    assert len(collector.received) == len(AGENCIES)


def test_emails_that_failed_while_the_server_was_down_are_sent_by_the_retry(intake: Intake) -> None:
    port = free_port()  # nothing listens here yet
    with smtp_settings(port):
        service.send_referral_form(actor=intake.leader, referral=intake.referral, now=timezone.now())
        failed = list(OutboxMessage.objects.all())
        assert {m.state for m in failed} == {OutboxMessage.State.FAILED}
        assert all(m.last_error.startswith("ConnectionRefusedError") for m in failed)
        assert not FormCopy.objects.filter(delivered_at__isnull=False).exists()
        collector = Collector()
        controller = Controller(collector, hostname="127.0.0.1", port=port)
        controller.start()
        try:
            later = timezone.now() + dt.timedelta(minutes=10)
            assert retry_due(now=later) == (len(AGENCIES), len(AGENCIES))
            assert retry_due(now=later) == (0, 0)
        finally:
            controller.stop()
    assert len(collector.received) == len(AGENCIES)
    assert FormCopy.objects.filter(delivered_at__isnull=False).count() == len(AGENCIES)
