"""What each agency on the distribution list may see of the single referral form.

The form is one document made of named sections. Staff who may see the child see every section;
each agency's copy carries only the sections its kind of agency needs (`SECTIONS_BY_KIND`).
Everything that shows a form (the staff page, a partner's page, the PDF, the email) builds its
content with `form_sections`, which reads only the fields of the sections it is given: a
restricted field of a section left out never reaches a template, so it cannot leak through one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from harbour.children.codes import DateOfBirthSource
from harbour.children.models import ChildName, DateOfBirthRecord
from harbour.core.jinja import date_time
from harbour.domain.formatting import long_date, long_date_with_day

from .models import DistributionEntry, Referral

# Sections in the order the form shows them, with their headings.
SECTION_TITLES: dict[str, str] = {
    "identity": "The child",
    "referral": "The referral",
    "faith_and_culture": "Faith and culture",
    "family_links": "Family and community links",
    "health": "Health",
    "safety": "Risks and safety",
    "trafficking": "Trafficking and exploitation indicators",
}
ALL_SECTIONS: tuple[str, ...] = tuple(SECTION_TITLES)

# Special-category or otherwise sensitive data (UK GDPR art. 9; security checklist 4): religion,
# health, risks to and from the child, and trafficking indicators. An agency whose sections leave
# one of these out never sees its field, on the page, in the PDF or in an email.
RESTRICTED_SECTIONS: frozenset[str] = frozenset({"faith_and_culture", "health", "safety", "trafficking"})

_COUNCIL_TEAM = tuple(s for s in ALL_SECTIONS if s != "trafficking")
_IDENTIFY = ("identity", "referral")

SECTIONS_BY_KIND: dict[str, tuple[str, ...]] = {
    DistributionEntry.Kind.COMMISSIONING: _COUNCIL_TEAM,
    DistributionEntry.Kind.PLACEMENTS: _COUNCIL_TEAM,
    DistributionEntry.Kind.FOSTERING: _COUNCIL_TEAM,
    DistributionEntry.Kind.LEAVING_CARE: _COUNCIL_TEAM,
    DistributionEntry.Kind.HEALTH: (*_IDENTIFY, "health"),
    DistributionEntry.Kind.EDUCATION: (*_IDENTIFY, "faith_and_culture"),
    DistributionEntry.Kind.VIRTUAL_SCHOOL: (*_IDENTIFY, "faith_and_culture"),
    DistributionEntry.Kind.MASH: ALL_SECTIONS,
    DistributionEntry.Kind.POLICE: (*_IDENTIFY, "safety", "trafficking"),
}
"""Which sections of the single referral form each kind of agency receives.

Need to know, and UK GDPR data minimisation (art. 5(1)(c)): each agency gets what it needs for its
part of the transfer and no more, and special-category data (art. 9) only where a condition for it
applies to that agency's work.

* Council teams (commissioning, placements, fostering, leaving care) find and support the child's
  placement, so they need the whole picture except trafficking indicators, which are for the
  safeguarding route (MASH and police), not for placement finding.
* Health needs who the child is and their health information, for the initial health assessment.
* Education and the virtual school need who the child is and their faith and culture, to find a
  school place and plan the child's education; not health, risks or trafficking.
* The MASH makes safeguarding decisions for the child and so receives everything.
* Police need who the child is, the risks to and from the child and trafficking indicators, for
  safeguarding and the investigation of exploitation; not health or faith.
"""

# An agency of a kind this table does not know gets the least: who the child is and the referral.
LEAST = _IDENTIFY


def sections_for(kind: str) -> list[str]:
    """The sections an agency of this kind receives (SECTIONS_BY_KIND), in form order."""
    return list(SECTIONS_BY_KIND.get(kind, LEAST))


def ordered(sections: Iterable[str]) -> list[str]:
    """Known section names only, in the order the form shows them."""
    wanted = set(sections)
    return [name for name in ALL_SECTIONS if name in wanted]


def shared_sections(copy_sections: Iterable[str], kind: str) -> list[str]:
    """What a partner's link shows: the sections recorded on their copy when it was sent, and no
    more than the policy allows that kind of agency today (so a tightened policy takes effect on
    links already sent; a widened one never reaches them)."""
    allowed = set(sections_for(kind))
    return [name for name in ordered(copy_sections) if name in allowed]


@dataclass(frozen=True)
class Row:
    label: str
    lines: tuple[str, ...] = ()
    as_list: bool = False  # a list of things (documents), not paragraphs of one answer

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


@dataclass(frozen=True)
class FormSection:
    name: str
    title: str
    rows: list[Row] = field(default_factory=list)


def _row(label: str, value: Any, *, as_list: bool = False) -> Row:
    if value is None:
        return Row(label)
    if isinstance(value, list | tuple):
        lines = tuple(str(v).strip() for v in value if str(v).strip())
    else:
        lines = tuple(line.strip() for line in str(value).splitlines() if line.strip())
    return Row(label, lines, as_list=as_list)


def _yes_no(value: bool | None) -> str | None:
    return {True: "Yes", False: "No"}.get(value) if value is not None else None


def _identity(referral: Referral) -> list[Row]:
    child = referral.child
    others = list(
        ChildName.objects.filter(child=child, kind__in=[ChildName.Kind.ALIAS, ChildName.Kind.SPELLING])
        .order_by("name").values_list("name", flat=True)
    )
    # The latest date recorded from each source; the one in use is on the child.
    latest: dict[str, dt.date] = {}
    for record in DateOfBirthRecord.objects.filter(
        child=child, source__in=[DateOfBirthSource.CLAIMED, DateOfBirthSource.HOME_OFFICE]
    ).order_by("recorded_at"):
        latest[record.source] = record.date_of_birth
    in_use = None
    if child.date_of_birth:
        source = DateOfBirthSource(child.date_of_birth_source).label.lower() if child.date_of_birth_source else ""
        in_use = long_date(child.date_of_birth) + (f" ({source})" if source else "")
    languages = [lang for lang in (child.first_language, child.other_languages) if lang]
    return [
        _row("Given names", child.given_names),
        _row("Family name", child.family_name),
        _row("Preferred name", child.preferred_name),
        _row("Name in own script", child.names_in_original_script),
        _row("Other names and spellings", others, as_list=True),
        _row("Date of birth in use", in_use),
        _row("Date of birth the child gives", long_date(latest[DateOfBirthSource.CLAIMED])
             if DateOfBirthSource.CLAIMED in latest else None),
        _row("Date of birth on the Home Office record", long_date(latest[DateOfBirthSource.HOME_OFFICE])
             if DateOfBirthSource.HOME_OFFICE in latest else None),
        _row("Sex", child.get_sex_display()),
        _row("Nationality", child.nationality),
        _row("Languages", ", ".join(languages)),
        _row("Needs an interpreter", _yes_no(child.interpreter_needed)),
    ]


def _referral(referral: Referral) -> list[Row]:
    where = [referral.current_location]
    if referral.current_location_kind != Referral.LocationKind.UNKNOWN:
        where.append(referral.get_current_location_kind_display())
    return [
        _row("NTS reference", referral.nts_reference),
        _row("Referred by", referral.referring_authority),
        _row("Referral received", date_time(referral.received_at)),
        _row("Transfer due by", long_date_with_day(referral.transfer_due)),
        _row("Council team running the transfer", referral.team.name),
        _row("Where the child is now", where),
        _row("Age assessment", referral.get_age_assessment_status_display()),
        _row("Legal representative", referral.legal_representative),
        _row("Documents received", referral.documents, as_list=True),
    ]


def form_sections(referral: Referral, sections: Sequence[str]) -> list[FormSection]:
    """The content of the form for these sections only, in form order.

    Reads the child's data section by section: a section not asked for is never read, so its
    fields cannot end up on a page, in a PDF or in an email built from the result.
    """
    child = referral.child
    builders = {
        "identity": lambda: _identity(referral),
        "referral": lambda: _referral(referral),
        "faith_and_culture": lambda: [_row("Religion", child.religion)],
        "family_links": lambda: [_row("Family or community links", referral.family_links)],
        "health": lambda: [_row("Health information", referral.health_information)],
        "safety": lambda: [_row("Risks and safety information", referral.safety_information)],
        "trafficking": lambda: [_row("Trafficking indicators", referral.trafficking_indicators)],
    }
    return [FormSection(name, SECTION_TITLES[name], builders[name]()) for name in ordered(sections)]


def section_titles(sections: Iterable[str]) -> list[str]:
    return [SECTION_TITLES[name] for name in ordered(sections)]
