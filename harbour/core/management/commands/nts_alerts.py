"""harbour nts_alerts: email the team when an NTS transfer has one working day left (run it from cron)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from harbour.core.calendar import council_calendar
from harbour.referrals.services_distribution import send_due_alerts


class Command(BaseCommand):
    help = (
        "For every open NTS referral with one working day or less left before the transfer is due and no "
        "placement confirmed, email the referral team's team leaders and managers and the NTS intake manager, "
        "once per referral. Emails leave after the alert is saved. Run it every 15 minutes from cron or a "
        "systemd timer; running it again sends nothing twice."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        count = send_due_alerts(now=timezone.now(), calendar=council_calendar())
        self.stdout.write(f"Alerted {count} {'referral' if count == 1 else 'referrals'}.")
