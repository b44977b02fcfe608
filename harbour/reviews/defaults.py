"""The lists a council starts with, which it then keeps in the admin: reasons a review was late
(the issue's list) and the areas of the IRO's case-file audit. Used by the data migration and by
tests that flush the database (browser tests)."""

from __future__ import annotations

from typing import Any

LATE_REASONS = (
    ("Staff sickness", False),
    ("Carer or officer not available", False),
    ("The child's request", False),
    ("Other (say why)", True),
)
AUDIT_AREAS = (
    "The child's voice and views",
    "Care plan and permanence",
    "Statutory visits",
    "Health",
    "Education and the PEP",
    "Identity, culture and language",
    "Management oversight",
)


def seed_default_lists(late_review_reason: Any, audit_area: Any) -> None:
    """Add any missing default; the models are passed in so the migration can use its historical ones."""
    for position, (label, needs_detail) in enumerate(LATE_REASONS):
        late_review_reason.objects.get_or_create(label=label, defaults={"needs_detail": needs_detail,
                                                                       "position": position})
    for position, name in enumerate(AUDIT_AREAS):
        audit_area.objects.get_or_create(name=name, defaults={"position": position})
