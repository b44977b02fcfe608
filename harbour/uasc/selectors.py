"""Reads for the asylum claim: the claim and what needs attention on it today."""

from __future__ import annotations

import datetime as dt

from django.conf import settings

from harbour.children.models import Child
from harbour.domain.asylum import (
    DEFAULT_APPROACHING_18_MONTHS,
    DEFAULT_SEF_WARNING_DAYS,
    Alert,
    AsylumFacts,
    asylum_alerts,
)

from .models import AsylumClaim


def claim_facts(claim: AsylumClaim) -> AsylumFacts:
    return AsylumFacts(
        claimed_on=claim.claimed_on, sef_due=claim.sef_due, sef_sent_on=claim.sef_sent_on,
        decided_on=claim.decided_on, leave_expires_on=claim.leave_expires_on,
        appeal_rights_exhausted_on=claim.appeal_rights_exhausted_on,
    )


def claim_alerts(claim: AsylumClaim, child: Child, today: dt.date) -> list[Alert]:
    """The alerts on the claim, with the council's settings: HARBOUR_SEF_WARNING_DAYS (default 10) and
    HARBOUR_APPROACHING_18_MONTHS (default 6) [unconfirmed: local practice]."""
    return asylum_alerts(
        claim_facts(claim), date_of_birth=child.date_of_birth, today=today,
        sef_warning_days=int(getattr(settings, "HARBOUR_SEF_WARNING_DAYS", DEFAULT_SEF_WARNING_DAYS)),
        approaching_18_months=int(getattr(settings, "HARBOUR_APPROACHING_18_MONTHS", DEFAULT_APPROACHING_18_MONTHS)),
    )
