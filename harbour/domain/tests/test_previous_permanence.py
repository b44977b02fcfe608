"""Previous permanence as recorded: the DfE's rules 631 to 635, one row per case."""

from __future__ import annotations

from datetime import date

import pytest

from harbour.domain.previous_permanence import previous_permanence_errors

TODAY = date(2026, 12, 2)
CAME_INTO_CARE = date(2026, 6, 1)

CASES = [
    # order, LA, made on, fields in error, case
    ("Z1", "", None, [], "no-previous-order"),
    ("Z1", "383", date(2020, 1, 1), ["local_authority", "made_on"], "no-order-with-details"),
    ("P1", "383", date(2019, 2, 28), [], "adopted-in-Leeds"),
    ("P2", "WAL", date(2020, 2, 29), [], "special-guardianship-in-Wales-on-29-February"),
    ("P3", "999", date(2026, 5, 31), [], "order-the-day-before-care"),
    ("P3", "383", date(2026, 6, 1), ["made_on"], "order-the-day-care-began"),
    ("P2", "383", date(2026, 12, 3), ["made_on"], "order-tomorrow"),
    ("P1", "", None, ["local_authority", "made_on"], "adoption-without-details"),
    ("P1", "12", date(2019, 1, 1), ["local_authority"], "not-a-council-code"),
    ("P4", "", None, [], "kind-not-known-no-details"),
    ("P4", "999", date(2015, 1, 1), [], "kind-not-known-with-details"),
    ("", "", None, ["order"], "nothing-selected"),
    ("P5", "383", date(2019, 1, 1), ["order"], "not-a-code"),
]


@pytest.mark.parametrize(("order", "la", "made_on", "fields"), [c[:4] for c in CASES], ids=[c[4] for c in CASES])
def test_previous_permanence_as_the_dfe_checks_it(order: str, la: str, made_on: date | None,
                                                  fields: list[str]) -> None:
    errors = previous_permanence_errors(order=order, local_authority=la, made_on=made_on,
                                        came_into_care_on=CAME_INTO_CARE, today=TODAY)
    assert sorted(errors) == fields
