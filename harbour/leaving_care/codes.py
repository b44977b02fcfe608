"""SSDA903 OC3 code lists for care leavers aged 17 to 21 (reference section 4.8), kept here once so
the SSDA903 export can reuse them."""

from __future__ import annotations

from django.db import models


class InTouch(models.TextChoices):
    """OC3 IN_TOUCH."""

    YES = "YES", "In touch"
    NO = "NO", "Not in touch"
    DIED = "DIED", "Died after leaving care"
    REFU = "REFU", "Refuses contact"
    NREQ = "NREQ", "No longer requires services"
    RHOM = "RHOM", "Returned to parents or someone with parental responsibility for 6 months or more"


class Activity(models.TextChoices):
    """OC3 ACTIV: education, training or employment. F3/P3 from older guides are not accepted."""

    F1 = "F1", "Higher education, full time"
    P1 = "P1", "Higher education, part time"
    F2 = "F2", "Other education, full time"
    P2 = "P2", "Other education, part time"
    F4 = "F4", "Apprenticeship, full time"
    P4 = "P4", "Apprenticeship, part time"
    F5 = "F5", "Training or employment, full time"
    P5 = "P5", "Training or employment, part time"
    G4 = "G4", "Not in education, training or employment: illness or disability"
    G5 = "G5", "Not in education, training or employment: other reasons"
    G6 = "G6", "Not in education, training or employment: pregnancy or parenting"
    NONE = "0", "Not in touch, died or returned home"


class AccommodationType(models.TextChoices):
    """OC3 ACCOM letter; the digit after it says whether the accommodation is suitable."""

    B = "B", "With parents or relatives"
    C = "C", "Community home or other residential care, including NHS"
    D = "D", "Semi-independent transitional accommodation"
    E = "E", "Supported lodgings"
    G = "G", "Gone abroad"
    H = "H", "Deported"
    K = "K", "Ordinary lodgings"
    R = "R", "Residence not known"
    S = "S", "No fixed abode or homeless"
    T = "T", "Foyer"
    U = "U", "Independent living"
    V = "V", "Emergency accommodation"
    W = "W", "Bed and breakfast"
    X = "X", "In custody"
    Y = "Y", "Other accommodation"
    Z = "Z", "With former foster carers (18 or over)"
    NONE = "0", "Not in touch, died or returned home"


# Codes that say nothing about the young person's life: used only when they are not in touch, died
# or went home (reference 4.8).
NOT_IN_TOUCH = {InTouch.NO, InTouch.DIED, InTouch.RHOM}
# SSDA903 validator rule 133: homeless and custody can only be coded unsuitable (S2, X2).
ALWAYS_UNSUITABLE = {AccommodationType.S, AccommodationType.X}
# Z (former foster carers) is for those 18 or over.
ADULT_ONLY = {AccommodationType.Z}


def oc3_accom(accommodation: str, suitable: bool | None) -> str:
    """The OC3 ACCOM value: the letter and 1 (suitable) or 2 (not suitable); "0" alone otherwise.

    The digit's meaning is inferred from the DfE statistics [unconfirmed] (reference 4.8).
    """
    if accommodation == AccommodationType.NONE or suitable is None:
        return "0"
    return f"{accommodation}{1 if suitable else 2}"


class FundingSource(models.TextChoices):
    COUNCIL = "council", "The council's leaving care budget"
    HOME_OFFICE = "home_office", "Home Office care leaver grant"
    COUNCIL_AND_HOME_OFFICE = "both", "The council and the Home Office grant together"
    OTHER = "other", "Other"


class LivingArrangementKind(models.TextChoices):
    STAYING_PUT = "staying_put", "Staying Put: with former foster carers (section 23CZA)"
    STAYING_CLOSE = "staying_close", "Staying Close: support near a former children's home (section 23CZAA)"


class HumanRightsOutcome(models.TextChoices):
    SUPPORT_CONTINUES = "continues", "Support continues: withdrawing it would breach their human rights"
    SUPPORT_ENDS = "ends", "Support ends: no breach of their human rights"


class DutyToReferOutcome(models.TextChoices):
    AWAITED = "awaited", "Waiting for the housing authority"
    PREVENTION = "prevention", "Prevention duty accepted"
    RELIEF = "relief", "Relief duty accepted"
    ACCOMMODATED = "accommodated", "Accommodation secured"
    NO_DUTY = "no_duty", "No duty owed"


class EndingKind(models.TextChoices):
    NOTICE = "notice", "Notice served to leave their accommodation"
    PLACEMENT_ENDING = "placement_ending", "Placement or accommodation ending"
