"""harbour placement-no-answers: mark providers that have not answered a placement request in time."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from harbour.placements.services_requests import mark_no_answers


class Command(BaseCommand):
    help = (
        "Mark every provider still waiting to answer a placement request after the council's set number of "
        "hours (Matching settings) as 'no answer', with the time. Run it hourly from cron or a systemd timer; "
        "running it again changes nothing twice."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        count = mark_no_answers(now=timezone.now(), via="command")
        self.stdout.write(f"Marked {count} {'provider' if count == 1 else 'providers'} as not answering.")
