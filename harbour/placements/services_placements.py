"""Starting, changing and ending placements: every write keyword-only, atomic and audited.

The placement carries the SSDA903 episode's placement columns (PLACE, PLACE_PROVIDER, URN, home and
placement postcodes, reason for a change) so the return follows from it without further typing.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from harbour.accounts.models import User
from harbour.children.models import Child
from harbour.placements.models import Placement, PlacementRequest, Provider


def placement_start(
    *,
    actor: User,
    child: Child,
    start: dt.date,
    placement_type: str,
    carer_or_provider: str,
    provider: Provider | None = None,
    place_provider: str = "",
    urn: str = "",
    postcode: str = "",
    home_postcode: str | None = None,
    long_term: bool = False,
    cost_per_week: Decimal | None = None,
    reason_for_change: str = "",
    end_note: str = "",
    today: dt.date,
    request_id: str = "",
    via: str = "web",
) -> Placement:
    """Start a placement. When the child has an open placement it ends the day before... (see the
    placements work for the rule); a change needs `reason_for_change` for the placement it ends."""
    raise NotImplementedError


def placement_from_offer(
    *,
    actor: User,
    request: PlacementRequest,
    start: dt.date,
    long_term: bool = False,
    today: dt.date,
    request_id: str = "",
    via: str = "web",
) -> Placement:
    """Start the placement the child chose: provider, codes, postcode and cost come from the offer."""
    raise NotImplementedError


def placement_end(
    *,
    actor: User,
    placement: Placement,
    end: dt.date,
    reason_for_change: str = "",
    end_note: str = "",
    today: dt.date,
    request_id: str = "",
    via: str = "web",
) -> Placement:
    raise NotImplementedError
