"""SSDA903 code lists for placements (reference section 4.3).

Which codes are valid in which collection year is the returns work's concern; this list holds every
code a placement may carry, including those retired (H5, P2, Z1) so that history imports keep them.
"""

from __future__ import annotations

from django.db import models

from harbour.domain.matching import NEEDS


class PlacementType(models.TextChoices):
    """PLACE: the type of placement."""

    A3 = "A3", "A3: placed for adoption with consent, with current foster carer"
    A4 = "A4", "A4: placed for adoption with consent, not with current foster carer"
    A5 = "A5", "A5: placed for adoption with placement order, with current foster carer"
    A6 = "A6", "A6: placed for adoption with placement order, not with current foster carer"
    U1 = "U1", "U1: foster placement with relative or friend, long-term"
    U2 = "U2", "U2: foster placement with relative or friend, fostering for adoption or concurrent planning"
    U3 = "U3", "U3: foster placement with relative or friend, other"
    U4 = "U4", "U4: foster placement with other foster carer, long-term"
    U5 = "U5", "U5: foster placement with other foster carer, fostering for adoption or concurrent planning"
    U6 = "U6", "U6: foster placement with other foster carer, other"
    K1 = "K1", "K1: secure children's home"
    K2 = "K2", "K2: children's home"
    K3 = "K3", "K3: registered supported accommodation"
    H5 = "H5", "H5: semi-independent living (until 2024-25)"
    P1 = "P1", "P1: placed with parent or other person with parental responsibility"
    P2 = "P2", "P2: independent living (until 2024-25)"
    P3 = "P3", "P3: residential employment"
    R1 = "R1", "R1: residential care home"
    R2 = "R2", "R2: NHS or health trust establishment"
    R3 = "R3", "R3: family centre or mother and baby unit"
    R5 = "R5", "R5: young offender institution or prison"
    S1 = "S1", "S1: residential school"
    T0 = "T0", "T0: temporary move, all types"
    T1 = "T1", "T1: temporary move, hospital"
    T2 = "T2", "T2: temporary move, holiday"
    T3 = "T3", "T3: temporary move, carer on holiday"
    T4 = "T4", "T4: temporary accommodation of 7 days or less"
    Z1 = "Z1", "Z1: other placement (until 2024-25)"
    Z11 = "Z11", "Z11: other placement"
    Z12 = "Z12", "Z12: other placement"
    Z13 = "Z13", "Z13: other placement"
    Z14 = "Z14", "Z14: other placement"


# Supported accommodation is for 16 and 17 year olds only (validator rule 371; the Supported
# Accommodation (England) Regulations 2023).
SUPPORTED_ACCOMMODATION_TYPES = frozenset({"K3", "H5", "P2"})
TEMPORARY_TYPES = frozenset({"T0", "T1", "T2", "T3", "T4"})
# No Ofsted URN and no provider code for these (rules 178, 213, 222; 2025-26).
NO_URN_TYPES = frozenset({"P1", "P3", "R1", "R2", "R5", "T0", "T1", "T2", "T3", "T4", "Z11", "Z12", "Z13", "Z14"})
NO_PROVIDER_CODE_TYPES = frozenset({"T0", "T1", "T2", "T3", "Z11", "Z12", "Z13", "Z14"})


class PlacementProviderCode(models.TextChoices):
    """PLACE_PROVIDER: who provides the placement."""

    PR0 = "PR0", "PR0: parent or person with parental responsibility"
    PR1 = "PR1", "PR1: own council"
    PR2 = "PR2", "PR2: other council"
    PR3 = "PR3", "PR3: other public sector"
    PR4 = "PR4", "PR4: private sector"
    PR5 = "PR5", "PR5: voluntary or third sector"


class ReasonPlacementChange(models.TextChoices):
    """REASON_PLACE_CHANGE: why a placement ended while the child stayed looked after."""

    CARPL = "CARPL", "Change to or carrying out of the care plan"
    ALLEG = "ALLEG", "Allegation (section 47 enquiry)"
    STAND = "STAND", "Concern about standards of care"
    APPRR = "APPRR", "Carer's approval removed"
    CLOSE = "CLOSE", "Carer resigned or provision closed"
    CREQB = "CREQB", "Carer asked to end it because of the child's behaviour"
    CREQO = "CREQO", "Carer asked to end it for other reasons"
    CHILD = "CHILD", "The child asked to end it"
    LAREQ = "LAREQ", "The council asked to end it"
    PLACE = "PLACE", "Change in placement status only"
    CUSTOD = "CUSTOD", "Custody arrangement"
    OTHER = "OTHER", "Other"


class ReasonNewEpisode(models.TextChoices):
    """RNE: why a new SSDA903 episode starts. Derived from the periods, never typed."""

    S = "S", "Started to be looked after"
    L = "L", "Change of legal status only"
    P = "P", "Change of placement and carer"
    T = "T", "Change of placement, same carer"
    B = "B", "Change of legal status, placement and carer"
    U = "U", "Change of legal status and placement, same carer"


# The needs a placement request names and a provider says it can meet; the words live in the domain
# so that matching can explain itself without Django.
Need = models.TextChoices("Need", [(code.upper(), (code, words[:1].upper() + words[1:]))
                                   for code, words in NEEDS.items()])
