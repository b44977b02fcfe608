"""NTS intake writes: possible duplicates, recording a referral, and accepting or contesting it.

Keyword-only, typed, each in one transaction with its audit rows. Bad input raises
django.core.exceptions.ValidationError keyed by field, in GOV.UK wording, so that the page,
the API and the command line each say which field is wrong; a user who may not do the thing at
all gets PermissionDenied (the pages answer 404, the API 403).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from harbour.accounts import access
from harbour.accounts.models import Role, Team, User
from harbour.audit.models import AuditEvent
from harbour.audit.services import record_change, snapshot
from harbour.children import services as child_services
from harbour.children.codes import DateOfBirthSource, Sex
from harbour.children.models import Child, ChildName, ChronologyEntry, DateOfBirthRecord
from harbour.core.models import CouncilSettings
from harbour.domain.ages import age_on
from harbour.domain.calendar import WorkingDayCalendar
from harbour.domain.duplicates import PersonFacts, PossibleMatch, compare_people
from harbour.domain.names import search_key, sound_key
from harbour.domain.timescales import nts_transfer_due, nts_transfer_working_days

from .models import Referral
from .selectors import may_record_referral, threshold_figures

# --- Possible duplicates --------------------------------------------------------------------------

# Candidates scored per check. A name word as common as "Mohammed" can sound like hundreds of
# children in a large council; the references and the rarer words still find the right ones.
MAX_CANDIDATES = 500
_SHOWN_NAME_KINDS = (ChildName.Kind.GIVEN, ChildName.Kind.FAMILY)


@dataclass(frozen=True)
class DuplicateCandidate:
    """A child on record who may be the child referred, as the user may see them."""

    child: Child
    match: PossibleMatch
    dates_of_birth: tuple[dt.date, ...]
    other_names: tuple[str, ...]

    @property
    def score(self) -> int:
        return self.match.score

    @property
    def reasons(self) -> tuple[str, ...]:
        return self.match.reasons


@dataclass(frozen=True)
class DuplicateCheck:
    """What the duplicate check found: matches the user may see, and how many they may not.

    Matches outside the user's scope are only counted, never described: their names, dates and
    even their scores would tell the user about a child they may not see.
    """

    visible: tuple[DuplicateCandidate, ...]
    hidden_count: int

    @property
    def found(self) -> bool:
        return bool(self.visible) or self.hidden_count > 0

    @property
    def hidden_message(self) -> str:
        if self.hidden_count == 0:
            return ""
        if self.hidden_count == 1:
            return "1 possible match is in a record you cannot see: ask a team manager to check it"
        return (f"{self.hidden_count} possible matches are in records you cannot see: "
                "ask a team manager to check them")

    def candidate(self, child_id: Any) -> DuplicateCandidate | None:
        return next((c for c in self.visible if str(c.child.pk) == str(child_id)), None)


def _name_words(facts: PersonFacts) -> set[str]:
    words: set[str] = set()
    for name in (facts.given_names, facts.family_name, *facts.other_names):
        words.update(search_key(name).split())
    return words


def _word_in(field: str, word: str) -> Q:
    """The stored key (space-separated words) contains ``word`` as a whole word."""
    return (Q(**{field: word}) | Q(**{f"{field}__startswith": word + " "}) | Q(**{f"{field}__endswith": " " + word})
            | Q(**{f"{field}__contains": " " + word + " "}))


def _reference(value: str) -> str:
    return "".join(value.split())


def _candidate_ids(facts: PersonFacts) -> list[uuid.UUID]:
    """One query: children with a name that sounds like, or is, any word of the referral's names,
    or with the same Home Office or port reference.

    Dates of birth are not a way in on their own: compare_people never proposes a child on a date
    of birth alone (a 1 January date is shared by thousands), so they only score the candidates.
    """
    by_name = Q()
    for word in sorted(_name_words(facts)):
        by_name |= _word_in("sound_key", sound_key(word)) | _word_in("search_key", word)
    condition = Q(id__in=ChildName.objects.filter(by_name).values("child_id")) if by_name else Q(pk__in=[])
    for field in ("home_office_reference", "port_reference"):
        value = _reference(getattr(facts, field))
        if value:
            condition |= Q(**{f"{field}__iexact": value})
    # Deliberately unscoped: a match outside the user's scope must still be counted (and only counted).
    # A record merged into another (ADR 0019) is not a candidate: the record it was merged into is.
    return list(Child.unscoped.filter(condition, date_of_death__isnull=True, merged_into__isnull=True)
                .order_by("-created_at").values_list("id", flat=True)[:MAX_CANDIDATES])


def possible_duplicates(*, user: User, facts: PersonFacts) -> DuplicateCheck:
    """Children already on record who may be the child referred, best match first.

    Five queries whatever the number of candidates: the candidate ids, their records, their
    names, their dates of birth, and which of them the user may see. Never merges anything: a
    person links the referral to a child, or records a new one.
    """
    ids = _candidate_ids(facts)
    if not ids:
        return DuplicateCheck(visible=(), hidden_count=0)
    children = Child.unscoped.in_bulk(ids)
    names: dict[uuid.UUID, list[str]] = defaultdict(list)
    for child_id, name in (ChildName.objects.filter(child_id__in=ids).exclude(kind__in=_SHOWN_NAME_KINDS)
                           .order_by("kind", "name").values_list("child_id", "name")):
        names[child_id].append(name)
    dates: dict[uuid.UUID, set[dt.date]] = defaultdict(set)
    for child_id, day in DateOfBirthRecord.objects.filter(child_id__in=ids).values_list("child_id", "date_of_birth"):
        dates[child_id].add(day)
    matches: list[tuple[Child, PossibleMatch]] = []
    for pk, child in children.items():
        if child.date_of_birth:
            dates[pk].add(child.date_of_birth)
        candidate = PersonFacts(
            given_names=child.given_names, family_name=child.family_name, other_names=tuple(names[pk]),
            dates_of_birth=tuple(sorted(dates[pk])), home_office_reference=child.home_office_reference,
            port_reference=child.port_reference, nationality=child.nationality, sex=child.sex,
        )
        match = compare_people(facts, candidate)
        if match is not None:
            matches.append((child, match))
    if not matches:
        return DuplicateCheck(visible=(), hidden_count=0)
    visible_ids = set(access.children_visible_to(user).filter(pk__in=[c.pk for c, _ in matches])
                      .values_list("pk", flat=True))
    matches.sort(key=lambda pair: (-pair[1].score, pair[0].full_name))
    shown = tuple(
        DuplicateCandidate(child=child, match=match, dates_of_birth=tuple(sorted(dates[child.pk])),
                           other_names=tuple(names[child.pk]))
        for child, match in matches if child.pk in visible_ids
    )
    return DuplicateCheck(visible=shown, hidden_count=len(matches) - len(shown))


def person_facts(identity: dict[str, Any], dates_of_birth: list[dt.date | None]) -> PersonFacts:
    """The referral's identity as the duplicate check compares it."""
    return PersonFacts(
        given_names=str(identity.get("given_names") or ""),
        family_name=str(identity.get("family_name") or ""),
        other_names=tuple(n for n in (identity.get("names_in_original_script"),) if n),
        dates_of_birth=tuple(d for d in dates_of_birth if d),
        home_office_reference=str(identity.get("home_office_reference") or ""),
        port_reference=str(identity.get("port_reference") or ""),
        nationality=str(identity.get("nationality") or ""),
        sex=str(identity.get("sex") or Sex.UNKNOWN),
    )


# --- Recording a referral -------------------------------------------------------------------------

REFERRAL_FIELDS = (
    "received_at", "referring_authority", "referrer_contact", "nts_reference", "current_location",
    "current_location_kind", "age_assessment_status", "health_information", "safety_information",
    "trafficking_indicators", "family_links", "legal_representative", "documents_received",
)
# Identity the referral brings; the child's record holds it (children.services.IDENTITY_FIELDS).
REFERRAL_IDENTITY_FIELDS = (
    "given_names", "family_name", "names_in_original_script", "sex", "nationality", "first_language",
    "other_languages", "interpreter_needed", "religion", "home_office_reference", "port_reference",
)
REQUIRED = {
    "referring_authority": "Enter the referring authority",
    "nts_reference": "Enter the NTS reference",
}
CHOICES = {
    "current_location_kind": (Referral.LocationKind, "Select where the child is now"),
    "age_assessment_status": (Referral.AgeAssessment, "Select the age-assessment status"),
}
ADULT_AGE = 18
FUTURE_RECEIVED = "Date and time received must be now or in the past"


class _Errors:
    """Collects every field's first error, so that one submit shows them all."""

    def __init__(self) -> None:
        self.errors: dict[str, str] = {}

    def add(self, field: str, message: str) -> None:
        self.errors.setdefault(field, message)

    def take(self, error: ValidationError) -> None:
        for field, messages in error.message_dict.items():
            self.add(field, messages[0])

    def raise_any(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _max_length(model: Any, field: str, value: str, errors: _Errors) -> None:
    limit = getattr(model._meta.get_field(field), "max_length", None)
    if limit and len(value) > limit:
        label = str(model._meta.get_field(field).verbose_name)
        errors.add(field, f"{label[:1].upper()}{label[1:]} must be {limit} characters or fewer")


def _clean_details(details: dict[str, Any], now: dt.datetime, errors: _Errors) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for field in REFERRAL_FIELDS:
        if field == "received_at":
            continue
        value = _text(details.get(field))
        if not value and field in REQUIRED:
            errors.add(field, REQUIRED[field])
        if field in CHOICES:
            choices, message = CHOICES[field]
            value = value or choices.UNKNOWN
            if value not in choices.values:
                errors.add(field, message)
        _max_length(Referral, field, value, errors)
        values[field] = value
    received_at = details.get("received_at")
    if not isinstance(received_at, dt.datetime):
        errors.add("received_at", "Enter the date and time the referral was received")
    else:
        if timezone.is_naive(received_at):
            received_at = timezone.make_aware(received_at)
        if received_at > now:
            errors.add("received_at", FUTURE_RECEIVED)
    values["received_at"] = received_at
    return values


def _clean_identity(identity: dict[str, Any], errors: _Errors) -> dict[str, Any]:
    values = {f: identity[f] for f in REFERRAL_IDENTITY_FIELDS if f in identity}
    for field, value in values.items():
        if isinstance(value, str):
            values[field] = value.strip()
    values.setdefault("given_names", "")
    values.setdefault("family_name", "")
    values["sex"] = values.get("sex") or Sex.UNKNOWN
    if values["sex"] not in Sex.values:
        errors.add("sex", "Select the child's sex, or Not known")
    if values.get("interpreter_needed") not in (True, False, None):
        errors.add("interpreter_needed", "Select whether the child needs an interpreter, or Not known")
    for field, value in values.items():
        if isinstance(value, str):
            _max_length(Child, field, value, errors)
    try:
        # The child's record's own rules: names in any script, NFC, no hidden characters, one name needed.
        values = child_services._clean_names(values)
    except ValidationError as error:
        errors.take(error)
    values["is_uasc"] = True
    return values


def _clean_dates_of_birth(claimed: dt.date | None, home_office: dt.date | None, received_on: dt.date | None,
                          today: dt.date, errors: _Errors) -> None:
    for field, day in (("claimed_date_of_birth", claimed), ("home_office_date_of_birth", home_office)):
        if day is None:
            continue
        try:
            child_services._validate_date_of_birth(day, today, field=field)
        except ValidationError as error:
            errors.take(error)
            continue
        if received_on is not None and day > received_on:
            errors.add(field, "Date of birth must be on or before the date the referral was received")
        elif received_on is not None and age_on(day, received_on) >= ADULT_AGE:
            # The NTS transfers children only (Immigration Rules para 352ZD; reference 1.1): a date of
            # birth that makes the child 18 or over is a typing mistake, or a different process.
            errors.add(field, "Date of birth must make the child under 18 on the day the referral was received")


def _check_actor(actor: User, team: Team | None) -> None:
    if not may_record_referral(actor):
        raise PermissionDenied("Only team leaders and team managers record NTS referrals")
    # A team leader runs transfers for their own team: a referral to another team would leave
    # them unable to see the child they just recorded.
    if actor.role == Role.TEAM_LEADER and team is not None and team.pk != actor.team_id:
        raise PermissionDenied("A team leader records referrals for their own team")


def _check_nts_reference(reference: str, errors: _Errors) -> None:
    if reference and Referral.objects.filter(nts_reference__iexact=reference).exclude(
            status=Referral.Status.WITHDRAWN).exists():
        # The same referral recorded twice (a second click, a second person): say so, show nothing else.
        errors.add("nts_reference", "A referral with this NTS reference is already on record")


def _check_link(actor: User, child: Child | None, errors: _Errors) -> None:
    if child is None:
        return
    if not access.children_visible_to(actor).filter(pk=child.pk).exists():
        errors.add("link_to_child", "Select one of the children listed, or record a new child")
    elif Referral.objects.filter(child_id=child.pk, status__in=Referral.OPEN).exists():
        errors.add("link_to_child", "This child already has an open NTS referral: open that referral instead")


def _audit(actor: User, action: str, instance: Any, child_id: uuid.UUID, before: dict[str, Any] | None,
           request_id: str, via: str) -> None:
    record_change(actor=actor, action=action, instance=instance, child_id=child_id, before=before,
                  request_id=request_id, via=via)


def _open_child_record(*, actor: User, identity: dict[str, Any], dates: list[tuple[dt.date, str]], today: dt.date,
                       request_id: str, via: str) -> Child:
    """A new child's record, as children.services.child_create makes it but with no social worker:
    the rota allocates one later (issue 3, item 5)."""
    child = Child.unscoped.create(**identity)
    _audit(actor, AuditEvent.Action.CREATE, child, child.pk, None, request_id, via)
    child_services._sync_names(child)
    _record_dates_of_birth(actor=actor, child=child, dates=dates, today=today, request_id=request_id, via=via)
    return child


def _record_dates_of_birth(*, actor: User, child: Child, dates: list[tuple[dt.date, str]], today: dt.date,
                           request_id: str, via: str) -> None:
    """Each date of birth from the referral as its own record. The last of ``dates`` is put in use
    when the child has no date of birth in use yet; one in use is never replaced from here."""
    existing = set(DateOfBirthRecord.objects.filter(child=child).values_list("date_of_birth", "source"))
    use_last = child.date_of_birth is None
    for index, (day, source) in enumerate(dates):
        if (day, source) in existing:
            continue
        child_services.date_of_birth_record(
            actor=actor, child=child, date_of_birth=day, source=source,
            use_it=use_last and index == len(dates) - 1,
            note="From the NTS referral", today=today, request_id=request_id, via=via,
        )


# Identity details a referral may fill in on an existing child's record where it has none.
_FILLABLE = ("names_in_original_script", "nationality", "first_language", "other_languages", "religion",
             "home_office_reference", "port_reference")


def _add_to_existing_child(*, actor: User, child: Child, identity: dict[str, Any], dates: list[tuple[dt.date, str]],
                           today: dt.date, request_id: str, via: str) -> Child:
    """Link the referral to a child already on record: add what is new, overwrite nothing."""
    changes: dict[str, Any] = {f: identity[f] for f in _FILLABLE if identity.get(f) and not getattr(child, f)}
    if child.interpreter_needed is None and identity.get("interpreter_needed") is not None:
        changes["interpreter_needed"] = identity["interpreter_needed"]
    if child.sex == Sex.UNKNOWN and identity.get("sex") in {Sex.MALE, Sex.FEMALE}:
        changes["sex"] = identity["sex"]
    if not child.is_uasc:
        changes["is_uasc"] = True
    if changes:
        child = child_services.child_update_identity(actor=actor, child=child, changes=changes, version=child.version,
                                                     reason="Details missing from the record added from an NTS referral",
                                                     request_id=request_id, via=via)
    known = set(ChildName.objects.filter(child=child).values_list("search_key", flat=True))
    spellings = [identity.get("names_in_original_script"),
                 " ".join(p for p in (identity.get("given_names"), identity.get("family_name")) if p)]
    for name in spellings:
        if name and search_key(name) not in known and search_key(child.full_name) != search_key(name):
            child_services.child_add_name(actor=actor, child=child, name=name, kind=ChildName.Kind.SPELLING,
                                          request_id=request_id, via=via)
            known.add(search_key(name))
    _record_dates_of_birth(actor=actor, child=child, dates=dates, today=today, request_id=request_id, via=via)
    return child


@transaction.atomic
def referral_create(
    *,
    actor: User,
    team: Team | None,
    referral_details: dict[str, Any],
    identity: dict[str, Any],
    claimed_date_of_birth: dt.date | None,
    home_office_date_of_birth: dt.date | None,
    link_to_child: Child | None,
    now: dt.datetime,
    today: dt.date,
    calendar: WorkingDayCalendar,
    request_id: str = "",
    via: str = "web",
) -> Referral:
    """Record an NTS referral and open (or link) the child's record, all or nothing.

    ``referral_details`` holds the Referral fields (received_at an aware datetime); ``identity``
    the child as the referral gives them. A new child is recorded as unaccompanied with no social
    worker; with ``link_to_child`` the referral joins a child the actor may see, adding new
    spellings and dates of birth and filling only what the record does not have. The transfer
    deadline is worked out now, from the council's setting on the day the referral arrived.
    """
    _check_actor(actor, team)
    errors = _Errors()
    if team is None:
        errors.add("team", "Select the team that will run the transfer")
    details = _clean_details(referral_details, now, errors)
    values = _clean_identity(identity, errors)
    received_at = details["received_at"]
    received_on = timezone.localtime(received_at).date() if isinstance(received_at, dt.datetime) else None
    _clean_dates_of_birth(claimed_date_of_birth, home_office_date_of_birth, received_on, today, errors)
    _check_nts_reference(details["nts_reference"], errors)
    _check_link(actor, link_to_child, errors)
    errors.raise_any()
    assert received_on is not None and team is not None  # checked above; tells the type checker

    # The Home Office date is the one in use when there is one (it is what the scheme works to);
    # the child's own claim is kept beside it, never lost (security checklist 30).
    dates = [(d, s) for d, s in ((claimed_date_of_birth, DateOfBirthSource.CLAIMED),
                                 (home_office_date_of_birth, DateOfBirthSource.HOME_OFFICE)) if d is not None]
    if link_to_child is not None:
        child = _add_to_existing_child(actor=actor, child=Child.unscoped.select_for_update().get(pk=link_to_child.pk),
                                       identity=values, dates=dates, today=today, request_id=request_id, via=via)
    else:
        child = _open_child_record(actor=actor, identity=values, dates=dates, today=today,
                                   request_id=request_id, via=via)
    working_days = CouncilSettings.current().nts_transfer_working_days
    referral = Referral.objects.create(
        child=child, team=team, recorded_by=actor, **details,
        transfer_due=nts_transfer_due(received_on, calendar, working_days),
        transfer_working_days=nts_transfer_working_days(received_on, working_days),
    )
    _audit(actor, AuditEvent.Action.CREATE, referral, child.pk, None, request_id, via)
    return referral


# --- Deciding a referral --------------------------------------------------------------------------

ACCEPT, CONTEST = "accept", "contest"


class ReferralConflict(ValidationError):
    """Someone else changed the referral after this user opened it."""


def _lock_for_change(actor: User, referral: Referral, version: int | None) -> Referral:
    if not may_record_referral(actor):
        raise PermissionDenied("Only team leaders and team managers decide NTS referrals")
    if actor.role == Role.TEAM_LEADER and referral.team_id != actor.team_id:
        raise PermissionDenied("A team leader decides referrals to their own team")
    locked = Referral.objects.select_for_update().get(pk=referral.pk)
    if version is not None and locked.version != version:
        raise ReferralConflict({"__all__": "Someone else changed this referral while you were looking at it. "
                                           "Check what they did, then try again."})
    return locked


def _save(actor: User, locked: Referral, before: dict[str, Any], referral: Referral, request_id: str,
          via: str) -> Referral:
    locked.version += 1
    locked.save()
    _audit(actor, AuditEvent.Action.UPDATE, locked, locked.child_id, before, request_id, via)
    # The caller's object reads as saved too.
    for field in ("status", "decided_at", "decided_by_id", "contest_reason", "version"):
        setattr(referral, field, getattr(locked, field))
    return locked


@transaction.atomic
def referral_decide(
    *,
    actor: User,
    referral: Referral,
    decision: str,
    reason: str = "",
    now: dt.datetime,
    version: int | None = None,
    request_id: str = "",
    via: str = "web",
) -> Referral:
    """Accept the referral, or contest it with a reason when the council is at or above the NTS
    threshold (reference 1.2). Only a referral awaiting a decision can be decided. ``version`` is
    the one the user saw, when they saw one: a decision made meanwhile is not silently replaced."""
    locked = _lock_for_change(actor, referral, version)
    if decision not in {ACCEPT, CONTEST}:
        raise ValidationError({"decision": "Select whether to accept or contest the referral"})
    if locked.status != Referral.Status.RECEIVED:
        raise ValidationError({"decision": f"This referral has already been decided: {locked.get_status_display()}"})
    reason = _text(reason)
    if decision == CONTEST:
        figures = threshold_figures(today=timezone.localdate(now))
        if not figures.at_or_above:
            raise ValidationError({"decision": "You can only contest a referral when the council is at or above "
                                               f"the NTS threshold ({figures.text})"})
        if not reason:
            raise ValidationError({"reason": "Enter why the council is contesting the referral"})
    before = snapshot(locked)
    locked.status = Referral.Status.ACCEPTED if decision == ACCEPT else Referral.Status.CONTESTED
    locked.decided_at = now
    locked.decided_by = actor
    locked.contest_reason = reason if decision == CONTEST else ""
    return _save(actor, locked, before, referral, request_id, via)


@transaction.atomic
def referral_withdraw(
    *,
    actor: User,
    referral: Referral,
    reason: str,
    now: dt.datetime,
    version: int | None = None,
    request_id: str = "",
    via: str = "web",
) -> Referral:
    """The Home Office has withdrawn the referral. The reason goes on the child's timeline, since
    the referral has no field of its own for it."""
    locked = _lock_for_change(actor, referral, version)
    if locked.status not in Referral.OPEN:
        raise ValidationError({"__all__": f"This referral cannot be withdrawn: {locked.get_status_display()}"})
    reason = _text(reason)
    if not reason:
        raise ValidationError({"reason": "Enter why the referral was withdrawn"})
    before = snapshot(locked)
    locked.status = Referral.Status.WITHDRAWN
    saved = _save(actor, locked, before, referral, request_id, via)
    child_services.chronology_add(
        actor=actor, child=Child.unscoped.get(pk=locked.child_id), kind=ChronologyEntry.Kind.SIGNIFICANT_EVENT,
        occurred_at=min(now, timezone.now()), title=f"NTS referral {locked.nts_reference} withdrawn by the Home Office",
        description=reason, request_id=request_id, via=via,
    )
    return saved
