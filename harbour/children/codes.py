"""SSDA903 code lists used on the child's record (reference section 4.2 and 2.7)."""

from __future__ import annotations

from django.db import models


class Sex(models.TextChoices):
    # Header SEX from 2024-25 (reference 4.2); 1/2 before that, mapped at export.
    MALE = "M", "Male"
    FEMALE = "F", "Female"
    UNKNOWN = "U", "Not known"


class Ethnicity(models.TextChoices):
    WBRI = "WBRI", "White British"
    WIRI = "WIRI", "White Irish"
    WIRT = "WIRT", "Traveller of Irish heritage"
    WROM = "WROM", "Gypsy or Roma"
    WOTH = "WOTH", "Any other White background"
    MWBC = "MWBC", "White and Black Caribbean"
    MWBA = "MWBA", "White and Black African"
    MWAS = "MWAS", "White and Asian"
    MOTH = "MOTH", "Any other mixed background"
    AIND = "AIND", "Indian"
    APKN = "APKN", "Pakistani"
    ABAN = "ABAN", "Bangladeshi"
    AOTH = "AOTH", "Any other Asian background"
    BCRB = "BCRB", "Black Caribbean"
    BAFR = "BAFR", "Black African"
    BOTH = "BOTH", "Any other Black background"
    CHNE = "CHNE", "Chinese"
    OOTH = "OOTH", "Any other ethnic group"
    REFU = "REFU", "Refused"
    NOBT = "NOBT", "Information not yet obtained"


class UpnUnknown(models.TextChoices):
    UN1 = "UN1", "UN1: not of school age, no UPN yet"
    UN2 = "UN2", "UN2: never attended a maintained school in England"
    UN3 = "UN3", "UN3: educated outside England"
    UN4 = "UN4", "UN4: newly looked after, UPN not yet known"
    UN5 = "UN5", "UN5: sources disagree"


class LegalStatus(models.TextChoices):
    C1 = "C1", "C1: interim care order (s38)"
    C2 = "C2", "C2: full care order (s31)"
    D1 = "D1", "D1: freeing order granted"
    E1 = "E1", "E1: placement order granted"
    V2 = "V2", "V2: single period of accommodation under section 20"
    V3 = "V3", "V3: short-term breaks, individual episodes"
    V4 = "V4", "V4: short-term breaks, agreement"
    L1 = "L1", "L1: police protection"
    L2 = "L2", "L2: emergency protection order"
    L3 = "L3", "L3: child assessment order"
    J1 = "J1", "J1: remanded to local authority accommodation"
    J2 = "J2", "J2: placed under PACE 1984"
    J3 = "J3", "J3: youth rehabilitation order with residence requirement"


class DateOfBirthSource(models.TextChoices):
    CLAIMED = "claimed", "Claimed by the child"
    HOME_OFFICE = "home_office", "Home Office record"
    ASSESSED = "assessed", "Age assessment"
    DOCUMENT = "document", "Identity document"


class ReasonEpisodeCeased(models.TextChoices):
    """SSDA903 REC: why an episode (and a period looked after) ended (reference section 4.3)."""

    X1 = "X1", "X1: episode ends and a new one starts the same day"
    E11 = "E11", "E11: adopted, unopposed"
    E12 = "E12", "E12: adopted, consent dispensed with"
    E2 = "E2", "E2: died"
    E3 = "E3", "E3: care taken over by another council in the UK"
    E4A = "E4A", "E4A: returned home as part of care planning"
    E4B = "E4B", "E4B: returned home, not part of care planning"
    E13 = "E13", "E13: left to live with a parent or relative without parental responsibility"
    E41 = "E41", "E41: residence order or child arrangements order"
    E45 = "E45", "E45: special guardianship order to former foster carer, a relative or friend"
    E46 = "E46", "E46: special guardianship order to former foster carer, other"
    E47 = "E47", "E47: special guardianship order to another carer, a relative or friend"
    E48 = "E48", "E48: special guardianship order to another carer, other"
    E5 = "E5", "E5: independent living with formal support"
    E6 = "E6", "E6: independent living without formal support"
    E7 = "E7", "E7: moved to adult social care residential"
    E8 = "E8", "E8: any other reason"
    E9 = "E9", "E9: sentenced to custody"
    E14 = "E14", "E14: remand ended"
    E15 = "E15", "E15: age assessment found the person to be 18 or over"
    E16 = "E16", "E16: child moved abroad"
    E17 = "E17", "E17: aged 18 or over and stayed with current carers (including Staying Put)"


class AgeAssessmentOutcome(models.TextChoices):
    AS_CLAIMED = "as_claimed", "A child, of the age they claim"
    DIFFERENT_AGE = "different_age", "A child, of a different age"
    ADULT = "adult", "An adult (18 or over)"


class CategoryOfNeed(models.TextChoices):
    """CIN: the main reason the child is looked after, recorded at the start of the period of care
    (SSDA903 guide, reference 4.3; validator rule 504 wants it the same in every episode of a period)."""

    N1 = "N1", "N1: abuse or neglect"
    N2 = "N2", "N2: child's disability"
    N3 = "N3", "N3: parental illness or disability"
    N4 = "N4", "N4: family in acute stress"
    N5 = "N5", "N5: family dysfunction"
    N6 = "N6", "N6: socially unacceptable behaviour"
    N7 = "N7", "N7: low income"
    N8 = "N8", "N8: absent parenting"
