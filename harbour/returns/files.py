"""One function per SSDA903 file beyond Header, Episodes and Reviews: each derives a child's rows
from what Harbour records (reference.md section 4; docs/how-to/ssda903.md lists each column's
source). A column Harbour does not record is written blank, so that the validator asks for it
rather than Harbour guessing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from harbour.domain.leaving_care import oc3_contact_for
from harbour.domain.oc2 import (
    SdqRecorded,
    SubstanceMisuseFacts,
    oc2_convicted,
    oc2_sdq,
    oc2_substance_misuse,
)
from harbour.domain.ssda903 import CollectionYear, date_903
from harbour.domain.ssda903_cohorts import (
    continuously_looked_after,
    end_in_year,
    social_worker_id,
)
from harbour.domain.types import Period
from harbour.leaving_care.codes import oc3_accom

Row = dict[str, str]

# SW_REASON for a child's first allocated social worker: "first contact or re-referral" (reference 4.9).
FIRST_CONTACT = "FCONTA"


def uasc_row(*, code: str, born: str, sex: str, duc: str) -> Row:
    """UASC: a child unaccompanied and seeking asylum in the year; DUC, the day the status ceased, is
    their 18th birthday (uasc_status_ceased) unless a past return said otherwise."""
    return {"CHILD": code, "SEX": sex, "DOB": born, "DUC": duc}


def oc2_row(*, code: str, born: str, date_of_birth: date | None, year: CollectionYear, periods: Sequence[Period],
            short_breaks: bool, health_assessments: Iterable[Any], outcome_events: Iterable[Any]) -> Row | None:
    """OC2, for a child looked after continuously for 12 months at 31 March: the health assessment,
    dental check, immunisations and SDQ from the health assessments recorded; substance misuse and
    convictions from the child's outcome events (harbour.domain.oc2). Harbour records no under-5
    health check, so HEALTH_CHECK is blank."""
    if not continuously_looked_after(periods, year, short_breaks_in_year=short_breaks):
        return None
    health_assessments = list(health_assessments)
    events = list(outcome_events)
    sdq_score, sdq_reason = ("", "") if date_of_birth is None else oc2_sdq(date_of_birth, year, (
        SdqRecorded(a.assessed_on, a.sdq_score, a.sdq_reason) for a in health_assessments))
    misuse, received, offered = oc2_substance_misuse(year, (
        SubstanceMisuseFacts(e.happened_on, bool(e.intervention_offered), bool(e.intervention_received))
        for e in events if e.kind == "substance_misuse"))
    convicted = oc2_convicted(date_of_birth, year, (e.happened_on for e in events if e.kind != "substance_misuse"))
    assessments = sorted((a for a in health_assessments if a.assessed_on <= year.end), key=lambda a: a.assessed_on)
    in_year = [a for a in assessments if a.assessed_on >= year.start]
    dental = any(a.dental_check_on and year.start <= a.dental_check_on <= year.end for a in assessments)
    immunised = assessments[-1].immunisations_up_to_date if assessments else None
    return {
        "CHILD": code, "DOB": born, "SDQ_SCORE": sdq_score, "SDQ_REASON": sdq_reason, "CONVICTED": convicted,
        "HEALTH_CHECK": "", "IMMUNISATIONS": "" if immunised is None else str(int(immunised)),
        "TEETH_CHECK": str(int(dental)), "HEALTH_ASSESSMENT": str(int(bool(in_year))),
        "SUBSTANCE_MISUSE": misuse, "INTERVENTION_RECEIVED": received, "INTERVENTION_OFFERED": offered,
    }


def oc3_row(*, code: str, born: str, birthday_on: date, contacts: Sequence[Any]) -> Row:
    """OC3 for a care leaver at a 17th to 21st birthday: the personal adviser's contact nearest the
    birthday (oc3_contact_for); blank when there was none near it."""
    chosen = oc3_contact_for(birthday_on, [contact.contacted_on for contact in contacts])
    contact = next((c for c in contacts if c.contacted_on == chosen), None)
    if contact is None:
        return {"CHILD": code, "DOB": born, "IN_TOUCH": "", "ACTIV": "", "ACCOM": ""}
    return {"CHILD": code, "DOB": born, "IN_TOUCH": contact.in_touch, "ACTIV": contact.activity,
            "ACCOM": oc3_accom(contact.accommodation, contact.accommodation_suitable)}


def missing_rows(*, code: str, born: str, year: CollectionYear, episodes: Iterable[Any]) -> list[Row]:
    """Missing: each time missing (M) or away without authorisation (A) in the year, oldest first;
    one still going on 31 March is returned open."""
    rows = []
    for episode in sorted(episodes, key=lambda e: e.started_on):
        if year.includes(episode.started_on, episode.ended_on):
            rows.append({"CHILD": code, "DOB": born, "MISSING": episode.kind, "MIS_START": date_903(episode.started_on),
                         "MIS_END": date_903(end_in_year(episode.ended_on, year))})
    return rows


def sw_episode_rows(*, code: str, born: str, year: CollectionYear, allocations: Sequence[Any]) -> list[Row]:
    """SWEpisodes: the allocated social workers in the year, oldest first. SW_ID is the worker's
    Social Work England number or XXXX. SW_REASON is FCONTA for the child's first social worker,
    and for a later one the reason recorded when the allocation changed (blank when none was, so
    that the validator asks: rule SW13STG1)."""
    ordered = sorted(allocations, key=lambda a: a.start)
    rows = []
    for index, allocation in enumerate(ordered):
        if not year.includes(allocation.start, allocation.end):
            continue
        rows.append({
            "CHILD": code, "DOB": born, "SW_ID": social_worker_id(allocation.worker.social_work_england_number),
            "SW_DECOM": date_903(allocation.start), "SW_DEC": date_903(end_in_year(allocation.end, year)),
            "SW_REASON": FIRST_CONTACT if index == 0 else allocation.change_reason,
        })
    return rows


def prev_perm_row(*, code: str, born: str, permanence: Any) -> Row | None:
    """PrevPerm, for a child who started to be looked after in the year: the previous permanence
    order recorded (PreviousPermanence), or no row, so that the validator asks (rule 630)."""
    if permanence is None:
        return None
    return {"CHILD": code, "DOB": born, "PREV_PERM": permanence.order, "LA_PERM": permanence.local_authority,
            "DATE_PERM": date_903(permanence.made_on)}
