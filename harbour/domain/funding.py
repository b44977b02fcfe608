"""Home Office funding for a looked-after unaccompanied child: which dated rate applies.

The Home Office pays the council a nightly rate per UASC, set by the funding instructions and
changed over the years, sometimes by age (reference.md 1.6: £95/£71 by age in 2014-15, £114 and
£91 for arrivals from 1 July 2016, a flat £114 from May 2019, £143 for councils with most UASC
from June 2020, a £6,000 incentive from 24 August 2022). Rates after 2023-24 are [unconfirmed],
so the rates are dated settings the council keeps, and this module only chooses among them.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .ages import age_on

# The under-18 rates stop at the 18th birthday (reference.md 1.6, 2014-15 instructions).
OLDEST_AGE_FUNDED_AS_A_CHILD = 17


@dataclass(frozen=True)
class DatedRate:
    key: Hashable
    start: date
    end: date | None
    min_age: int
    max_age: int
    nightly_rate: Decimal
    one_off_amount: Decimal = Decimal(0)

    def in_force_on(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)

    def covers_age(self, age: int) -> bool:
        return self.min_age <= age <= self.max_age


def rate_in_force(rates: Sequence[DatedRate], *, date_of_birth: date | None, on: date) -> DatedRate | None:
    """The rate for a child of this date of birth arriving on ``on``; None when none applies.

    The rate is the one in force on the day of arrival for the child's age that day
    (funding instructions, reference.md 1.6). Where two rates overlap, the one that started
    later wins: a new instruction replaces the old one from its start. A child of 18 or over,
    or with no date of birth in use, has no under-18 rate.
    """
    if date_of_birth is None:
        return None
    age = age_on(date_of_birth, on)
    if age > OLDEST_AGE_FUNDED_AS_A_CHILD:
        return None
    candidates = [rate for rate in rates if rate.in_force_on(on) and rate.covers_age(age)]
    if not candidates:
        return None
    return max(candidates, key=lambda rate: rate.start)
