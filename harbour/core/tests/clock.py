"""A starting time for tests that move the clock on by tens of minutes."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def a_morning() -> dt.datetime:
    """Now, or 8:00 the next day when fewer than six hours of today are left: a test that steps the
    clock on by ten minutes at a time must not cross midnight, where a new day rebuilds the snapshots.
    Forward, never back, so that what fixtures wrote is still in the past."""
    now = timezone.localtime()
    if now.hour < 18:
        return now
    return (now + dt.timedelta(days=1)).replace(hour=8, minute=0, second=0, microsecond=0)
