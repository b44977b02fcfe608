"""NRM timescales (reference.md 5.3). Each row names its case."""

from __future__ import annotations

import pytest

from harbour.domain.tests.support import ENGLAND, d
from harbour.domain.trafficking import reasonable_grounds_due, recovery_period_ends

RG = [
    ("2026-11-02", "2026-11-09", "a-monday-referral-is-due-the-next-monday"),
    ("2026-12-04", "2026-12-11", "a-friday-referral-counts-from-the-monday"),
    ("2026-12-22", "2026-12-31", "christmas-and-boxing-day-moved-to-monday-28-are-skipped"),
    ("2028-02-25", "2028-03-03", "over-29-february-in-a-leap-year"),
]


@pytest.mark.parametrize(("referred", "due"), [r[:2] for r in RG], ids=[r[2] for r in RG])
def test_reasonable_grounds_due(referred: str, due: str) -> None:
    assert reasonable_grounds_due(d(referred), ENGLAND) == d(due)


RECOVERY = [
    ("2022-12-12", "2023-01-26", "decided-the-day-before-the-cut-45-days"),
    ("2022-12-13", "2023-01-12", "decided-on-the-day-of-the-cut-30-days"),
    ("2028-02-01", "2028-03-02", "thirty-days-over-29-february"),
]


@pytest.mark.parametrize(("decided", "ends"), [r[:2] for r in RECOVERY], ids=[r[2] for r in RECOVERY])
def test_recovery_period_ends(decided: str, ends: str) -> None:
    assert recovery_period_ends(d(decided)) == d(ends)
