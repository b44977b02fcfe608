"""The order in which the demo walks its records when it makes random choices.

Ids are random (uuid4), so walking rows in id order hands the seeded random numbers to different
children on each build, and the same seed would not write the same council: now and then the demo
failed its own checks (an SSDA903 OC3 row without a contact near the birthday). The demo walks
children by name and date of birth instead; the plan makes these unique enough that a tie is not
met in practice, and a test (core/tests/test_demo.py) writes the council twice and compares.
"""

from __future__ import annotations


def by_child(via: str = "") -> tuple[str, ...]:
    """``order_by`` fields that put rows in the order of their child: ``via`` is the path to the
    child, such as ``"child__"``; empty for the Child model itself."""
    return (f"{via}family_name", f"{via}given_names", f"{via}date_of_birth")
