"""The Home Office rates Harbour ships, for a council to start from (reference.md 1.6).

Rates are dated settings (`referrals.HomeOfficeFundingRate`) that the administrator keeps in the
admin: the claim for a child uses the rate in force on the day they arrive, for their age that
day (`harbour.domain.funding.rate_in_force`). Only the under-18 nightly rates that reference 1.6
gives with a source are here, each with its confidence tag as the reference has it:

* 2014-15: £95 a night under 16, £71 at 16 or 17 [secondary];
* children arriving from 1 July 2016: £114 under 16, £91 at 16 or 17 [secondary];
* May 2019: a flat £114 whatever the age [secondary];
* June 2020 to February 2023: £114, or £143 for the councils with the most UASC relative to
  their child population [secondary]. Which of the two a council gets depends on the council,
  not the child, so `load_default_rates(higher_rate=True)` loads £143 instead of £114.

Left out, on purpose:

* every rate after February 2023. The under-18 instructions for 2023-24 were not read and the
  2024-25 and 2025-26 rates are [unconfirmed] (reference 1.6 and "Gaps" 2), so the last rate
  here ends on 28 February 2023, the last month a source confirms. A child arriving later gets a
  claim recorded with no rate and a reason, until the administrator adds the rate in force;
* the £6,000 incentive from 24 August 2022 [primary] and the £15,000 lump sums [secondary;
  conditions unconfirmed]. They are paid only for a child moved from a Home Office hotel (or
  Kent's reception service), and a rate row cannot yet say which children it covers, so loading
  them would claim them for every child;
* the care leaver rates (£240, then £270 a week): they are weekly, for young people of 18 and
  over, and a FundingClaim is the under-18 claim made on arrival.

Where a source gives a month but not a day, the first of the month is taken, and the source text
says so. A financial year runs from 1 April to 31 March.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from harbour.audit.models import AuditEvent
from harbour.audit.services import record_change

from .models import HomeOfficeFundingRate

HIGHER_RATE = Decimal("143.00")


@dataclass(frozen=True)
class DefaultRate:
    description: str
    start: dt.date
    end: dt.date | None
    min_age: int
    max_age: int
    nightly_rate: Decimal
    source: str
    one_off_amount: Decimal = Decimal("0.00")
    # The June 2020 to February 2023 rate, which a council with the most UASC gets at £143.
    has_higher_rate: bool = False


_SOURCE_2014 = (
    "[secondary] howe.co.uk summary of the Home Office UASC funding instructions 2014-15: £95 a day "
    "under 16, £71 a day at 16 or 17, stopping the day before the 18th birthday. Financial year "
    "1 April 2014 to 31 March 2015 (reference 1.6)"
)
_SOURCE_2016 = (
    "[secondary] Lords written answer HL13373 (February 2019); hayatandco.co.uk: for children "
    "arriving from 1 July 2016, £114 a day under 16 and £91 a day at 16 or 17 (reference 1.6)"
)
_SOURCE_2019 = (
    "[secondary] parliamenttoday and governmentbusiness.co.uk reporting the Home Office "
    "announcement: a flat £114 a night whatever the age from May 2019. The day in May is not "
    "given: 1 May 2019 is taken (reference 1.6)"
)
_SOURCE_2020 = (
    "[secondary] northbankforum.org.uk, 8 June 2020; Lords written answer HL5515, 14 February "
    "2023: £114 a night, or £143 for councils with the most UASC for their child population. "
    "The day in June is not given: 1 June 2020 is taken. Confirmed to February 2023 (reference 1.6)"
)

DEFAULT_RATES: tuple[DefaultRate, ...] = (
    DefaultRate("Under 16: 2014-15 funding instructions", dt.date(2014, 4, 1), dt.date(2015, 3, 31),
                0, 15, Decimal("95.00"), _SOURCE_2014),
    DefaultRate("Aged 16 or 17: 2014-15 funding instructions", dt.date(2014, 4, 1), dt.date(2015, 3, 31),
                16, 17, Decimal("71.00"), _SOURCE_2014),
    DefaultRate("Under 16: children arriving from 1 July 2016", dt.date(2016, 7, 1), dt.date(2019, 4, 30),
                0, 15, Decimal("114.00"), _SOURCE_2016),
    DefaultRate("Aged 16 or 17: children arriving from 1 July 2016", dt.date(2016, 7, 1), dt.date(2019, 4, 30),
                16, 17, Decimal("91.00"), _SOURCE_2016),
    DefaultRate("Under 18: flat rate from May 2019", dt.date(2019, 5, 1), dt.date(2020, 5, 31),
                0, 17, Decimal("114.00"), _SOURCE_2019),
    DefaultRate("Under 18: standard rate from June 2020", dt.date(2020, 6, 1), dt.date(2023, 2, 28),
                0, 17, Decimal("114.00"), _SOURCE_2020, has_higher_rate=True),
)


@transaction.atomic
def load_default_rates(*, higher_rate: bool = False) -> int:
    """Create the rates of `DEFAULT_RATES` if the council has none yet; return how many were made.

    Does nothing (and returns 0) when any rate is already recorded, so that a council's own rates
    are never mixed with these. ``higher_rate`` loads £143 for June 2020 to February 2023, for a
    council with the most UASC for its child population. Each rate made is audited.
    """
    if HomeOfficeFundingRate.objects.exists():
        return 0
    for default in DEFAULT_RATES:
        higher = higher_rate and default.has_higher_rate
        rate = HomeOfficeFundingRate.objects.create(
            description=default.description + (" (higher rate)" if higher else ""),
            start=default.start, end=default.end, min_age=default.min_age, max_age=default.max_age,
            nightly_rate=HIGHER_RATE if higher else default.nightly_rate,
            one_off_amount=default.one_off_amount, source=default.source,
        )
        record_change(actor=None, action=AuditEvent.Action.CREATE, instance=rate, child_id=None,
                      via="default rates")
    return len(DEFAULT_RATES)
