"""The facts the SSDA903 OC2 and SWEpisodes files ask for beyond health assessments, as recorded at
the point of work: the Strengths and Difficulties Questionnaire (SDQ), substance misuse, convictions,
and why a child's social worker changed.

Pure rules: the codes and their labels (reference.md 4.7 and 4.9), the checks made when a fact is
recorded, and the 0/1 values OC2 derives from the facts for a collection year (the validator
csc-validator-be-903 being the primary source for what the DfE accepts).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from harbour.domain.ages import age_on
from harbour.domain.ssda903 import CollectionYear

__all__ = [
    "SDQ_MAX",
    "SDQ_REASONS",
    "SW_REASONS",
    "SW_REASONS_CONFIRMED",
    "SdqRecorded",
    "SubstanceMisuseFacts",
    "oc2_convicted",
    "oc2_sdq",
    "oc2_substance_misuse",
    "sdq_errors",
]

# The SDQ total difficulties score runs from 0 to 40 (rule 180 accepts 0 to 40).
SDQ_MAX = 40
# SDQ_REASON, why there is no score (reference 4.7; rule 196).
SDQ_REASONS: dict[str, str] = {
    "SDQ1": "Child is under 4 or over 16",
    "SDQ2": "Carer refused",
    "SDQ3": "The severity of the child's disability",
    "SDQ4": "Other",
    "SDQ5": "Young person refused",
}
# SW_REASON, why a child's social worker changed (reference 4.9; rule SW13STG1). Four labels are
# confirmed by the DfE's "social worker reasons for change" data set; the rest are read from the
# codes' names and are unconfirmed, and the pages say so.
SW_REASONS: dict[str, str] = {
    "MANAGE": "Managing caseloads",
    "FCONTA": "First contact or re-referral",
    "LEFTRL": "Social worker left the role or the council",
    "ORGRST": "Organisational restructure",
    "TSPROC": "Transfer as the standard process",
    "ABSENC": "Absence cover or return from absence",
    "CHCHAN": "Child requested change from previous social worker",
    "PCCHAN": "Parent or carer requested change",
    "SWDIED": "Social worker died",
    "OTHERS": "Other",
}
SW_REASONS_CONFIRMED = frozenset({"MANAGE", "FCONTA", "ABSENC", "CHCHAN"})


def _sdq_age_band(date_of_birth: date, on: date) -> bool:
    """Whether a child is under 4 or over 16 on a day: the only children for whom SDQ1 is a reason."""
    age = age_on(date_of_birth, on)
    return age < 4 or age > 16


def sdq_errors(*, score: int | None, reason: str, date_of_birth: date | None, on: date) -> dict[str, str]:
    """What is wrong with an SDQ as recorded with a health assessment on ``on``, by field (GOV.UK wording).

    A score from 0 to 40 or a reason for no score, not both (rules 180, 196, 197a); SDQ1 ("under 4
    or over 16") only for a child of that age on the day (rule 157). Neither is allowed: the SDQ is
    recorded when it is done, and OC2 asks for it only of children aged 4 to 16 (rule 186).
    """
    if score is not None and reason:
        return {"sdq_reason": "Enter either an SDQ score or a reason there is no score, not both"}
    if score is not None and not 0 <= score <= SDQ_MAX:
        return {"sdq_score": f"SDQ score must be between 0 and {SDQ_MAX}"}
    if reason and reason not in SDQ_REASONS:
        return {"sdq_reason": "Select why there is no SDQ score"}
    if reason == "SDQ1" and date_of_birth is not None and not _sdq_age_band(date_of_birth, on):
        return {"sdq_reason": "The child is between 4 and 16: select another reason there is no SDQ score"}
    return {}


@dataclass(frozen=True)
class SdqRecorded:
    """An SDQ as recorded with a health assessment."""

    on: date
    score: int | None
    reason: str


def oc2_sdq(date_of_birth: date, year: CollectionYear, recorded: Iterable[SdqRecorded]) -> tuple[str, str]:
    """(SDQ_SCORE, SDQ_REASON) for a child in OC2: the latest SDQ recorded in the year.

    Blank for a child under 4 at the year's end or 17 or over at its start (rules 188 and 189 refuse
    any value then). Otherwise blank when none was recorded, so that the validator asks (rule 186).
    """
    if age_on(date_of_birth, year.end) < 4 or age_on(date_of_birth, year.start) >= 17:
        return "", ""
    in_year = sorted((r for r in recorded if year.start <= r.on <= year.end and (r.score is not None or r.reason)),
                     key=lambda r: r.on)
    if not in_year:
        return "", ""
    latest = in_year[-1]
    return ("" if latest.score is None else str(latest.score)), latest.reason


@dataclass(frozen=True)
class SubstanceMisuseFacts:
    """A substance misuse problem identified on a day, and whether an intervention was offered or received."""

    identified_on: date
    intervention_offered: bool
    intervention_received: bool


def oc2_substance_misuse(year: CollectionYear, recorded: Iterable[SubstanceMisuseFacts]) -> tuple[str, str, str]:
    """(SUBSTANCE_MISUSE, INTERVENTION_RECEIVED, INTERVENTION_OFFERED) for a child in OC2.

    1 when a problem was identified in the year, else 0 with both interventions blank (rule 193).
    When identified: INTERVENTION_RECEIVED is 1 if any intervention was received in the year (and
    INTERVENTION_OFFERED is then blank, rule 158), else 0 with INTERVENTION_OFFERED given (rules
    159 and 192).
    """
    in_year = [r for r in recorded if year.start <= r.identified_on <= year.end]
    if not in_year:
        return "0", "", ""
    if any(r.intervention_received for r in in_year):
        return "1", "1", ""
    return "1", "0", str(int(any(r.intervention_offered for r in in_year)))


def oc2_convicted(date_of_birth: date | None, year: CollectionYear, outcomes_on: Iterable[date]) -> str:
    """CONVICTED for a child in OC2: 1 when the child was convicted, or given a final warning or
    reprimand, in the year; else 0 (reference 4.7; rules 181 and 543).

    Blank for a child under 10 on 31 March (rule 542): below the age of criminal responsibility
    (Children and Young Persons Act 1933 s.50), so nothing is asked. Blank too when the date of
    birth is not known, so that the validator asks rather than Harbour guessing the age.
    """
    if date_of_birth is None or age_on(date_of_birth, year.end) < 10:
        return ""
    return str(int(any(year.start <= day <= year.end for day in outcomes_on)))
