"""Clashes between two records of one child that would break a rule once merged (ADR 0019)."""

from __future__ import annotations

from datetime import date

import pytest

from harbour.domain.merging import Spell, first_clash, spells_clash

D = date

CASES = [
    # (name, first, second, may_share_a_day, clash)
    (
        "apart",
        Spell(D(2024, 1, 1), D(2024, 2, 1)),
        Spell(D(2024, 3, 1), D(2024, 4, 1)),
        False,
        False,
    ),
    (
        "apart, either rule",
        Spell(D(2024, 1, 1), D(2024, 2, 1)),
        Spell(D(2024, 3, 1), None),
        True,
        False,
    ),
    (
        "one inside the other",
        Spell(D(2024, 1, 1), D(2024, 6, 1)),
        Spell(D(2024, 2, 1), D(2024, 3, 1)),
        False,
        True,
    ),
    ("both open", Spell(D(2024, 1, 1), None), Spell(D(2025, 1, 1), None), True, True),
    (
        "open one after an ended one",
        Spell(D(2024, 1, 1), D(2024, 2, 1)),
        Spell(D(2024, 2, 2), None),
        False,
        False,
    ),
    (
        "open one started before the other ended",
        Spell(D(2024, 1, 1), None),
        Spell(D(2023, 1, 1), D(2024, 1, 2)),
        True,
        True,
    ),
    (
        "same start",
        Spell(D(2024, 1, 1), D(2024, 1, 1)),
        Spell(D(2024, 1, 1), D(2024, 1, 1)),
        True,
        True,
    ),
    (
        "care periods sharing a day clash",
        Spell(D(2024, 1, 1), D(2024, 2, 1)),
        Spell(D(2024, 2, 1), None),
        False,
        True,
    ),
    (
        "a move day is not a clash",
        Spell(D(2024, 1, 1), D(2024, 2, 1)),
        Spell(D(2024, 2, 1), None),
        True,
        False,
    ),
    (
        "a move day either way round",
        Spell(D(2024, 2, 1), None),
        Spell(D(2024, 1, 1), D(2024, 2, 1)),
        True,
        False,
    ),
    (
        "one day past the move day",
        Spell(D(2024, 1, 1), D(2024, 2, 2)),
        Spell(D(2024, 2, 1), None),
        True,
        True,
    ),
]


@pytest.mark.parametrize(
    ("first", "second", "may_share_a_day", "clash"),
    [c[1:] for c in CASES],
    ids=[c[0] for c in CASES],
)
def test_spells_clash(first: Spell, second: Spell, may_share_a_day: bool, clash: bool) -> None:
    assert spells_clash(first, second, may_share_a_day=may_share_a_day) is clash
    assert spells_clash(second, first, may_share_a_day=may_share_a_day) is clash


def test_first_clash_names_the_earliest_pair_and_ignores_spells_of_one_record() -> None:
    kept = [
        Spell(D(2020, 1, 1), D(2020, 6, 1), "kept 2020"),
        Spell(D(2023, 1, 1), None, "kept 2023"),
    ]
    # The merged record's own spells overlap each other: not this function's business.
    merged = [
        Spell(D(2024, 1, 1), None, "merged 2024"),
        Spell(D(2020, 5, 1), D(2020, 7, 1), "merged 2020"),
    ]
    clash = first_clash(kept, merged, may_share_a_day=False)
    assert clash is not None and (clash[0].label, clash[1].label) == ("kept 2020", "merged 2020")
    assert first_clash(kept[:1], merged[:1], may_share_a_day=False) is None
    assert first_clash([], merged, may_share_a_day=True) is None
