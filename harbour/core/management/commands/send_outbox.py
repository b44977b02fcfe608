"""harbour send_outbox: send the emails still waiting in the outbox (run it from cron)."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from harbour.core.outbox import MAX_ATTEMPTS, RETRY_AFTER, retry_due


class Command(BaseCommand):
    help = (
        "Send emails waiting in the outbox: those queued whose delivery after commit did not happen, and those "
        f"that failed, up to {MAX_ATTEMPTS} attempts each. Messages queued or tried in the last "
        f"{int(RETRY_AFTER.total_seconds() // 60)} minutes are left, as they may be on their way. "
        "Run it every few minutes from cron or a systemd timer. Exits 1 if any message tried was not sent."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--max-attempts", type=int, default=MAX_ATTEMPTS,
                            help=f"Leave messages that have failed this many times (default {MAX_ATTEMPTS})")
        parser.add_argument("--limit", type=int, default=500, help="Send at most this many messages (default 500)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["max_attempts"] < 1 or options["limit"] < 1:
            raise CommandError("--max-attempts and --limit must be 1 or more", returncode=2)
        tried, sent = retry_due(now=timezone.now(), max_attempts=options["max_attempts"], limit=options["limit"])
        self.stdout.write(f"Tried {tried} {'message' if tried == 1 else 'messages'}, sent {sent}.")
        if sent < tried:
            raise CommandError(f"{tried - sent} could not be sent; they stay in the outbox to try again", returncode=1)
