"""SSDA903 episodes, derived from the periods of care, legal statuses and placements, never typed.

Source: DfE, "Children looked after return: guide" (SSDA903), as reproduced in the maintained
validator data-to-insight/csc-validator-be-903 (reference section 4.3): a new episode starts
whenever the legal status or the placement changes, or the child starts to be looked after; its
reason for new episode (RNE) says which changed:

* S started to be looked after; L legal status only; P placement and carer; T placement, same carer;
  B legal status, placement and carer; U legal status and placement, same carer.

An episode that ends because another starts the same day ends with REC X1; the last episode of a
period of care ends with the period's reason ceased. A placement's REASON_PLACE_CHANGE sits on the
episode that ends with that placement, and only when the child stays looked after.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class CarePeriod:
    start: date
    end: date | None
    reason_ceased: str  # REC for the last episode, blank while open


@dataclass(frozen=True)
class LegalStatusSpell:
    legal_status: str
    start: date
    end: date | None


@dataclass(frozen=True)
class PlacementFacts:
    start: date
    end: date | None
    place: str  # PLACE
    place_provider: str  # PLACE_PROVIDER
    urn: str
    carer: str  # who cares for the child: the same value on two placements means "same carer"
    postcode: str  # full postcode of the placement
    home_postcode: str  # full postcode of the child's home
    reason_for_change: str  # REASON_PLACE_CHANGE of this placement, when it ended with the child still in care


@dataclass(frozen=True)
class Episode:
    decom: date  # DECOM
    dec: date | None  # DEC
    rne: str  # RNE
    legal_status: str  # LS
    place: str  # PLACE
    place_provider: str  # PLACE_PROVIDER
    urn: str  # URN
    home_post: str  # HOME_POST, the postcode sector
    pl_post: str  # PL_POST, the postcode sector
    rec: str  # REC, blank while open
    reason_place_change: str  # REASON_PLACE_CHANGE


def postcode_sector(postcode: str) -> str:
    """The postcode sector SSDA903 asks for: 'LS1 4AP' gives 'LS1 4'. Blank or malformed gives ''."""
    raise NotImplementedError


def episodes(
    periods: Sequence[CarePeriod],
    legal_statuses: Sequence[LegalStatusSpell],
    placements: Sequence[PlacementFacts],
) -> list[Episode]:
    """The child's episodes in date order, one for each stretch with one legal status and one placement."""
    raise NotImplementedError
