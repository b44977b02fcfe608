"""The outbox: every email Harbour sends is first a row, written in the transaction of the work that
causes it, and handed to the mail server only after that transaction commits (architecture.md,
"email"). Work that is rolled back therefore sends nothing, and a message the server could not
take stays in the table to be retried by `harbour send_outbox` (cron).

A message is claimed before it is sent, by a conditional update of its attempt count, so that the
after-commit delivery and the retry command never both send it. Logs name a message by its id and
never carry its body.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import uuid
from collections.abc import Iterable
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import models, transaction
from django.utils import timezone

from .models import OutboxMessage

logger = logging.getLogger(__name__)

# After this many failed attempts the retry command leaves a message alone: someone has to look.
MAX_ATTEMPTS = 10
# The retry command leaves a message that was claimed this recently: it may be on its way now.
RETRY_AFTER = dt.timedelta(minutes=5)
SMTP_TIMEOUT = 20  # seconds, unless EMAIL_TIMEOUT says otherwise
# A sent message keeps its record but not a working link: the token a link carries is a key to a
# child's form, and the database otherwise holds only its digest.
_SHARED_LINK = re.compile(r"(/shared/)[A-Za-z0-9_\-]{16,}(/)")
REDACTED_LINK = r"\1[link removed after sending]\2"


def queue_email(*, to: str, subject: str, body: str, about: models.Model | None = None) -> OutboxMessage:
    """Record an email to send once the caller's transaction commits. Call it inside that
    transaction: if the work is rolled back, the message is too and nothing is sent."""
    message = OutboxMessage.objects.create(
        to=to, subject=subject[:300], body=body,
        about_type=about._meta.label if about is not None else "",
        about_id=about.pk if about is not None and isinstance(about.pk, uuid.UUID) else None,
    )
    # robust: a failure to deliver must not turn the committed work into an error page; the
    # message stays queued and the retry command picks it up.
    transaction.on_commit(lambda: deliver([message.pk]), robust=True)
    return message


def _claim(message: OutboxMessage, now: dt.datetime) -> bool:
    """Take this message for one attempt. False if someone else took it first or it was sent."""
    claimed = OutboxMessage.objects.filter(
        pk=message.pk, attempts=message.attempts,
        state__in=[OutboxMessage.State.QUEUED, OutboxMessage.State.FAILED],
    ).update(attempts=message.attempts + 1, updated_at=now)
    return claimed == 1


def _error_text(error: Exception) -> str:
    # The exception's type and message from the mail library; never the message's content.
    return f"{type(error).__name__}: {error}"[:500]


def _mark_sent(message: OutboxMessage, now: dt.datetime) -> None:
    OutboxMessage.objects.filter(pk=message.pk).update(
        state=OutboxMessage.State.SENT, sent_at=now, last_error="", updated_at=now,
        body=_SHARED_LINK.sub(REDACTED_LINK, message.body),
    )
    if message.about_type == "referrals.FormCopy" and message.about_id:
        # The first email about a copy to reach the mail server makes the copy "delivered".
        form_copy = apps.get_model("referrals", "FormCopy")
        form_copy.objects.filter(pk=message.about_id, delivered_at__isnull=True).update(delivered_at=now)


def deliver(ids: Iterable[uuid.UUID], *, connection: Any = None) -> int:
    """Send these messages through the configured email backend. Returns how many were sent.

    Each is claimed, sent and marked on its own: one bad address does not hold up the others.
    Messages already sent, or being sent by another process, are left alone.
    """
    messages = list(OutboxMessage.objects.filter(
        pk__in=list(ids), state__in=[OutboxMessage.State.QUEUED, OutboxMessage.State.FAILED]
    ).order_by("created_at"))
    if not messages:
        return 0
    sent = 0
    # A page waits for this after its transaction commits: never wait on a mail server for long.
    connection = connection or get_connection(fail_silently=False, timeout=settings.EMAIL_TIMEOUT or SMTP_TIMEOUT)
    try:
        for message in messages:
            now = timezone.now()
            if not _claim(message, now):
                continue
            email = EmailMessage(subject=message.subject, body=message.body,
                                 from_email=settings.DEFAULT_FROM_EMAIL, to=[message.to], connection=connection)
            try:
                email.send(fail_silently=False)
            except Exception as error:  # any failure of the mail server is recorded, not raised
                OutboxMessage.objects.filter(pk=message.pk).update(
                    state=OutboxMessage.State.FAILED, last_error=_error_text(error), updated_at=timezone.now(),
                )
                logger.warning("Outbox message %s could not be sent (attempt %s): %s",
                               message.pk, message.attempts + 1, type(error).__name__)
                _reset(connection)  # the next message opens a fresh connection
                continue
            _mark_sent(message, timezone.now())
            sent += 1
    finally:
        _reset(connection)
    return sent


def _reset(connection: Any) -> None:
    try:
        connection.close()
    except Exception:  # closing a broken connection must not hide what was sent
        logger.warning("Closing the mail connection failed")


def retry_due(*, now: dt.datetime, max_attempts: int = MAX_ATTEMPTS, limit: int = 500) -> tuple[int, int]:
    """Send queued and failed messages that are not being sent right now. Returns (tried, sent)."""
    due = list(
        OutboxMessage.objects.filter(
            state__in=[OutboxMessage.State.QUEUED, OutboxMessage.State.FAILED], attempts__lt=max_attempts,
        )
        # Not one queued or tried in the last few minutes: its after-commit delivery may be
        # under way now, and sending it here too would send it twice.
        .filter(updated_at__lte=now - RETRY_AFTER)
        .order_by("created_at").values_list("pk", flat=True)[:limit]
    )
    return len(due), deliver(due)
