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

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol


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
    # The full postcodes, as the return carries them: the validator looks each up in the ONS
    # postcode directory (rule 392c) to work out the placement's authority and distance.
    home_postcode: str = ""
    pl_postcode: str = ""


# Temporary placements carry no REASON_PLACE_CHANGE (validator rule 226).
TEMPORARY_PLACES = frozenset({"T0", "T1", "T2", "T3", "T4"})
# A new episode that ends because another starts the same day (reference section 4.3).
REC_NEW_EPISODE = "X1"
RNE_STARTED = "S"

# Outward code (area, district, optional sub-district letter or digit) and inward code (sector digit,
# unit letters), after the spaces are taken out: "LS14AP" is LS1 + 4AP. GIR 0AA is the one exception.
_FULL_POSTCODE = re.compile(r"(?P<outward>[A-Z]{1,2}[0-9][A-Z0-9]?|GIR)(?P<sector>[0-9])[A-Z]{2}")
# A sector already written on its own, which needs its space to be unambiguous: "LS1 4".
_SECTOR_ONLY = re.compile(r"(?P<outward>[A-Z]{1,2}[0-9][A-Z0-9]?) (?P<sector>[0-9])")


def postcode_sector(postcode: str) -> str:
    """The postcode sector SSDA903 asks for: 'LS1 4AP' gives 'LS1 4'. Blank or malformed gives ''.

    HOME_POST and PL_POST are postcode sectors: the outward code, a space and the first digit of the
    inward code (DfE SSDA903 guide; reference section 4.3). Case and spacing are not trusted:
    "ls14ap" gives "LS1 4". A sector given on its own with its space ("LS1 4") is kept; without the
    space it is ambiguous ("LS14" could be LS1 4 or LS14) and gives "".
    """
    text = " ".join(postcode.upper().split())
    full = _FULL_POSTCODE.fullmatch(text.replace(" ", ""))
    if full is not None:
        return f"{full['outward']} {full['sector']}"
    sector = _SECTOR_ONLY.fullmatch(text)
    if sector is not None:
        return f"{sector['outward']} {sector['sector']}"
    return ""


def full_postcode(postcode: str) -> str:
    """The postcode as the return carries it, upper case with one space: 'ls14ap' gives 'LS1 4AP'.

    The validator looks HOME_POST and PL_POST up in the ONS postcode directory (csc-validator-be-903
    rule 392c, reference section 4.3), so the return carries the full postcode; pages show only the
    sector (:func:`postcode_sector`). Blank or malformed gives ''.
    """
    full = _FULL_POSTCODE.fullmatch("".join(postcode.upper().split()))
    if full is None:
        return ""
    inward = full.string[full.end("outward"):]
    return f"{full['outward']} {inward}"


# Legal statuses of a series of short breaks (reference 4.3): no placement location in the return.
SHORT_BREAK_STATUSES = frozenset({"V3", "V4"})


def episodes(
    periods: Sequence[CarePeriod],
    legal_statuses: Sequence[LegalStatusSpell],
    placements: Sequence[PlacementFacts],
) -> list[Episode]:
    """The child's episodes in date order, one for each stretch with one legal status and one placement.

    Source: DfE SSDA903 guide, as coded by data-to-insight/csc-validator-be-903 (reference 4.3).

    * Within each period of care a new episode starts on the period's start (RNE S) and on every day
      the legal status or the placement changes (RNE L, P, T, B or U by what changed; two placements
      have the same carer when their ``carer`` values match, ignoring case and spacing, and are not blank).
    * An end date is the changeover day, as DEC is in the return: a placement that ends on 3 March and
      one that starts on 3 March follow each other with no gap. A stretch with no placement (or no legal
      status) recorded becomes an episode with a blank PLACE (or LS), so the returns validator flags it
      rather than Harbour inventing a value.
    * DEC is the next episode's DECOM with REC X1, or the period's end with the period's reason ceased
      (both blank while the period is open).
    * REASON_PLACE_CHANGE is the placement's reason, on the episode that ends with it when the child
      stays looked after (the next episode of the period has another placement): never on the last
      episode of a period, never on an open one (rule 233), and never on a T0 to T4 placement's
      episode or the episode just before one (rule 226).
    * HOME_POST and PL_POST are postcode sectors (:func:`postcode_sector`); PLACE, PLACE_PROVIDER and
      URN are the placement's own. Under a short-break legal status (V3, V4) HOME_POST, PL_POST and
      URN are left blank: the return does not collect where short breaks are (validator rules 214,
      398 and 420).

    Legal statuses and placements outside every period of care are not episodes and are ignored.
    """
    result: list[Episode] = []
    for period in sorted(periods, key=lambda period: period.start):
        result.extend(_period_episodes(period, legal_statuses, placements))
    return result


class _Dated(Protocol):
    """A legal status or a placement: both run from a start to an end (blank while open)."""

    @property
    def start(self) -> date: ...

    @property
    def end(self) -> date | None: ...


@dataclass(frozen=True)
class _Stretch:
    start: date
    legal_status: str
    placement: int | None  # index into the placements given; None when there is none


def _period_episodes(
    period: CarePeriod,
    legal_statuses: Sequence[LegalStatusSpell],
    placements: Sequence[PlacementFacts],
) -> list[Episode]:
    stretches = _stretches(period, legal_statuses, placements)
    found: list[Episode] = []
    for position, stretch in enumerate(stretches):
        following = stretches[position + 1] if position + 1 < len(stretches) else None
        placement = placements[stretch.placement] if stretch.placement is not None else None
        if following is None:
            dec, rec = period.end, period.reason_ceased if period.end is not None else ""
        else:
            dec, rec = following.start, REC_NEW_EPISODE
        reason = ""
        if placement is not None and following is not None and following.placement != stretch.placement:
            next_placement = placements[following.placement] if following.placement is not None else None
            # Rule 226: no reason on a temporary placement's episode, nor on the episode before one.
            if not _temporary(placement) and not (next_placement and _temporary(next_placement)):
                reason = placement.reason_for_change
        previous = stretches[position - 1] if position else None
        # Short breaks (V3, V4): the return collects no placement location or URN (rules 214, 398, 420).
        located = placement if stretch.legal_status not in SHORT_BREAK_STATUSES else None
        found.append(
            Episode(
                decom=stretch.start,
                dec=dec,
                rne=RNE_STARTED if previous is None else _rne(previous, stretch, placements),
                legal_status=stretch.legal_status,
                place=placement.place if placement else "",
                place_provider=placement.place_provider if placement else "",
                urn=located.urn if located else "",
                home_post=postcode_sector(located.home_postcode) if located else "",
                pl_post=postcode_sector(located.postcode) if located else "",
                rec=rec,
                reason_place_change=reason,
                home_postcode=full_postcode(located.home_postcode) if located else "",
                pl_postcode=full_postcode(located.postcode) if located else "",
            )
        )
    return found


def _stretches(
    period: CarePeriod,
    legal_statuses: Sequence[LegalStatusSpell],
    placements: Sequence[PlacementFacts],
) -> list[_Stretch]:
    """The days within the period on which something changes, with what is in force from each."""
    days = {period.start}
    spells: list[_Dated] = [*legal_statuses, *placements]
    for spell in spells:
        for day in (spell.start, spell.end):
            # A change on the period's last day starts nothing: the child leaves care that day.
            if day is not None and period.start < day and (period.end is None or day < period.end):
                days.add(day)

    stretches: list[_Stretch] = []
    for day in sorted(days):
        legal_status = _in_force(legal_statuses, day, period.end)
        placement = _in_force(placements, day, period.end)
        stretch = _Stretch(
            start=day,
            legal_status=legal_statuses[legal_status].legal_status if legal_status is not None else "",
            placement=placement,
        )
        # One legal status ending and the same one starting the same day is no change.
        if stretches and (stretches[-1].legal_status, stretches[-1].placement) == (
            stretch.legal_status,
            stretch.placement,
        ):
            continue
        stretches.append(stretch)
    return stretches


def _in_force(spells: Sequence[_Dated], day: date, last_day: date | None) -> int | None:
    """The index of the spell in force on ``day``: the latest to start, its end day being the next's start.

    On the period's last day (only ever an episode's start when the period lasts a single day) a spell
    that ends that day still counts, so a one-day period of care keeps its placement.
    """
    running = [
        i for i, spell in enumerate(spells) if spell.start <= day and (spell.end is None or day < spell.end)
    ]
    if not running and day == last_day:
        running = [i for i, spell in enumerate(spells) if spell.start <= day == spell.end]
    if not running:
        return None
    return max(running, key=lambda i: spells[i].start)


def _temporary(placement: PlacementFacts) -> bool:
    return placement.place.strip().upper() in TEMPORARY_PLACES


def _rne(previous: _Stretch, current: _Stretch, placements: Sequence[PlacementFacts]) -> str:
    """L, P, T, B or U: whether the legal status, the placement, or both changed, and the carer."""
    status_changed = previous.legal_status != current.legal_status
    if previous.placement == current.placement:
        return "L"
    same_carer = _same_carer(previous.placement, current.placement, placements)
    if status_changed:
        return "U" if same_carer else "B"
    return "T" if same_carer else "P"


def _same_carer(before: int | None, after: int | None, placements: Sequence[PlacementFacts]) -> bool:
    if before is None or after is None:
        return False
    carer_before = " ".join(placements[before].carer.split()).casefold()
    carer_after = " ".join(placements[after].carer.split()).casefold()
    return bool(carer_before) and carer_before == carer_after
