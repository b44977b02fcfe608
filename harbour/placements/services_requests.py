"""Placement requests: built from the child's record, sent on both tracks in one action, every
answer recorded with its time, offers compared and the child's choice recorded.

* The request's profile (age, sex, languages, faith, communities, needs) is never typed: it is
  copied from the child's record (`profile_from_record`) when the draft is made and again at the
  moment of sending, so providers see what the record said when they were asked.
* Sending asks every active provider that passes the hard rules on the date needed
  (`domain.matching.hard_rule_refusals`), in-house and external at the same time: one
  `RequestRecipient` each, with its track and the time it was asked. External providers whose
  agency has an email address are told that a request is waiting; the email carries no personal
  data, only the link to the provider view. Every provider asked is a disclosure (security
  checklist 21): a `Disclosure` row names what they were told.
* An answer is an offer or a decline with its reason. An offer from a provider that was not
  asked, or one that fails a hard rule on the date needed, is refused and nothing is saved.
* Waiting answers older than `MatchingSettings.no_answer_hours` become "no answer"
  (`mark_no_answers`, from a button or a scheduled command).
* The choice records which offer, who chose and why; the request then takes no new offers.
  When the request came from an NTS referral, the referral's placement is confirmed in the same
  transaction (`referrals.services_arrival.placement_confirm`).
* The placement starts from the chosen offer through `services_placements.placement_from_offer`.

Writes are keyword-only, typed, transactional and audited. They raise ValidationError keyed by
field, in GOV.UK wording, and PermissionDenied for a user whose role may not make the change.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse

from harbour.accounts.models import PartnerAgency, Role, User
from harbour.audit.models import AuditEvent, Disclosure
from harbour.audit.services import record_change, record_event, snapshot
from harbour.children.models import Child, ChildName
from harbour.core.models import CouncilSettings
from harbour.core.outbox import queue_email
from harbour.domain import matching
from harbour.domain.ages import age_on
from harbour.domain.formatting import long_date
from harbour.referrals import services_arrival
from harbour.referrals.models import Referral

from . import services_placements
from .codes import SUPPORTED_ACCOMMODATION_TYPES, Need
from .models import (
    MatchingSettings,
    NeedsProfile,
    Offer,
    Placement,
    PlacementRequest,
    Provider,
    RequestRecipient,
    Track,
)

# Who may do what. Which requests a user sees follows from which children they may see
# (selectors_requests); these decide what their role lets them change there.
MANAGE_ROLES = frozenset({Role.PLACEMENTS_OFFICER, Role.COMMISSIONING_OFFICER, Role.TEAM_LEADER,
                          Role.TEAM_MANAGER})
# The choice confirms an NTS referral's placement, which the referral keeps to these roles.
CHOICE_ROLES = frozenset(services_arrival.PLACEMENT_ROLES)
CHILD_VIEW_ROLES = frozenset({Role.SOCIAL_WORKER, Role.TEAM_LEADER, Role.TEAM_MANAGER, Role.PLACEMENTS_OFFICER})

MAX_AREA_LENGTH = 100
MAX_SUMMARY_LENGTH = 2000
MAX_CARER_LENGTH = 200
MAX_DETAILS_LENGTH = 3000
MAX_DECLINE_DETAIL_LENGTH = 500
MAX_CHILD_VIEW_LENGTH = 3000
MAX_REASON_LENGTH = 3000
MAX_COST = Decimal("999999.99")

# What a provider is told about the child: the fields of the provider view, by name (the
# disclosure log lists them).
FIELDS_DISCLOSED = ["age in years", "sex", "languages", "faith", "communities", "needs", "area wanted",
                    "date needed", "summary for providers"]
DISCLOSURE_PURPOSE = "Finding a placement for the child"
DISCLOSURE_LEGAL_BASIS = ("Children Act 1989 s22C and s22G (the duty to place and sufficiency); "
                          "UK GDPR art 6(1)(e) and 9(2)(g)")
OPEN_STATUSES = (PlacementRequest.Status.DRAFT, PlacementRequest.Status.SEARCHING, PlacementRequest.Status.CHOSEN)


# --- Permissions ---------------------------------------------------------------------------------


def may_manage_requests(user: Any) -> bool:
    """Placements and commissioning officers, team leaders and team managers make, send and answer."""
    return getattr(user, "role", None) in MANAGE_ROLES


def may_choose(user: Any) -> bool:
    return getattr(user, "role", None) in CHOICE_ROLES


def may_record_child_view(user: Any) -> bool:
    """The social worker records the child's view; team leaders, managers and placements officers may."""
    return getattr(user, "role", None) in CHILD_VIEW_ROLES


def is_provider_user(user: Any) -> bool:
    agency = getattr(user, "partner_agency", None)
    return (getattr(user, "role", None) == Role.PARTNER and agency is not None
            and agency.kind == PartnerAgency.Kind.PROVIDER)


def may_answer_for(user: Any, provider: Provider) -> bool:
    """Staff who manage requests answer for any provider; a provider's own users for theirs only."""
    if may_manage_requests(user):
        return True
    return (is_provider_user(user) and provider.partner_agency_id is not None
            and provider.partner_agency_id == user.partner_agency_id)


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


# --- The profile, from the child's record ---------------------------------------------------------


@dataclass(frozen=True)
class RequestProfile:
    """What providers are told about the child, as the request stores it."""

    age_years: int | None
    sex: str
    languages: str
    faith: str
    communities: str
    needs: list[str] = field(default_factory=list)


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def _unique(items: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    kept = []
    for item in items:
        if item.casefold() not in seen:
            seen.add(item.casefold())
            kept.append(item)
    return kept


def age_in_years(date_of_birth: dt.date | None, on: dt.date) -> int | None:
    if date_of_birth is None or on < date_of_birth:
        return None
    return age_on(date_of_birth, on)


def profile_from_record(*, child: Child, needs_profile: NeedsProfile | None, needed_from: dt.date) -> RequestProfile:
    """The request's profile from the child's record: age on the date needed (the date of birth in
    use), sex, first and other languages, religion as faith, nationality as community, and the
    needs of the child's needs profile (codes only: the council's own words stay behind)."""
    needs = [code for code in (needs_profile.needs if needs_profile else []) if code in Need.values]
    return RequestProfile(
        age_years=age_in_years(child.date_of_birth, needed_from),
        sex=child.sex or "U",
        languages=", ".join(_unique([child.first_language.strip(), *_split(child.other_languages)]) if
                            child.first_language.strip() else _unique(_split(child.other_languages))),
        faith=child.religion.strip(),
        communities=", ".join(_unique(_split(child.nationality))),
        needs=needs,
    )


def needs_profile_of(child: Child) -> NeedsProfile | None:
    return NeedsProfile.objects.filter(child=child).first()


def child_profile(request: PlacementRequest, child: Child) -> matching.ChildProfile:
    """What matching knows of the child: the request's copied profile and the date of birth in use."""
    languages = _split(request.languages)
    return matching.ChildProfile(
        date_of_birth=child.date_of_birth,
        sex=request.sex or child.sex or "U",
        first_language=languages[0] if languages else "",
        other_languages=tuple(languages[1:]),
        faith=request.faith,
        communities=tuple(_split(request.communities)),
        needs=frozenset(request.needs or []),
        area_wanted=request.area_wanted,
    )


def provider_profile(provider: Provider) -> matching.ProviderProfile:
    return matching.ProviderProfile(
        name=provider.name,
        supported_accommodation=(provider.kind == Provider.Kind.SUPPORTED_ACCOMMODATION
                                 or provider.place_type in SUPPORTED_ACCOMMODATION_TYPES),
        ages_from=provider.ages_from,
        ages_to=provider.ages_to,
        sexes=provider.sexes,
        vacancies=provider.vacancies,
        languages=tuple(_split(provider.languages)),
        faith=provider.faith,
        communities=tuple(_split(provider.communities)),
        needs_met=frozenset(provider.needs_met or []),
        area=provider.area,
        out_of_area=provider.out_of_area,
    )


def weights(settings_row: MatchingSettings) -> matching.Weights:
    return matching.Weights(
        language=settings_row.language, faith_and_culture=settings_row.faith_and_culture,
        community_and_distance=settings_row.community_and_distance, needs=settings_row.needs,
        cost=settings_row.cost,
    )


@dataclass(frozen=True)
class NotAsked:
    provider: Provider
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class ProviderSplit:
    """Active providers sorted by the hard rules: those that may be asked, and those that may not."""

    eligible: list[Provider]
    refused: list[NotAsked]


def split_providers(profile: matching.ChildProfile, providers: Iterable[Provider], on: dt.date) -> ProviderSplit:
    eligible: list[Provider] = []
    refused: list[NotAsked] = []
    for provider in providers:
        reasons = matching.hard_rule_refusals(profile, provider_profile(provider), on)
        if reasons:
            refused.append(NotAsked(provider=provider, reasons=tuple(reasons)))
        else:
            eligible.append(provider)
    return ProviderSplit(eligible=eligible, refused=refused)


# --- Checking what the officer types ---------------------------------------------------------------


def _identifying_words(child: Child) -> list[str]:
    """The child's names, references and date of birth as they might be typed: none of them may go
    into the summary for providers."""
    names = {child.given_names, child.family_name, child.preferred_name, child.names_in_original_script,
             *ChildName.objects.filter(child=child).values_list("name", flat=True)}
    words = [part for name in names for part in name.split() if len(part) >= 3]
    words += [ref for ref in (child.home_office_reference, child.port_reference, child.upn) if ref]
    if child.date_of_birth:
        born = child.date_of_birth
        words += [born.isoformat(), long_date(born), f"{born:%d/%m/%Y}", f"{born.day}/{born.month}/{born.year}"]
    return words


def _mentions_identity(summary: str, child: Child) -> bool:
    text = summary.casefold()
    for word in _identifying_words(child):
        if re.search(rf"(?<!\w){re.escape(word.casefold())}(?!\w)", text):
            return True
    return False


def _draft_errors(*, child: Child, needed_from: dt.date | None, area_wanted: str, summary: str,
                  today: dt.date) -> dict[str, str]:
    errors: dict[str, str] = {}
    if child.date_of_death is not None:
        # Nothing is recorded after a child's death (as on the child's record).
        errors["child"] = "This child has died, so no placement can be requested"
    if needed_from is None:
        errors["needed_from"] = "Enter the date the placement is needed"
    elif needed_from < today:
        errors["needed_from"] = "Date needed must be today or in the future"
    if len(area_wanted) > MAX_AREA_LENGTH:
        errors["area_wanted"] = f"Area wanted must be {MAX_AREA_LENGTH} characters or fewer"
    if not summary:
        errors["summary_for_providers"] = "Enter a summary for providers of what the child needs from a placement"
    elif len(summary) > MAX_SUMMARY_LENGTH:
        errors["summary_for_providers"] = f"Summary for providers must be {MAX_SUMMARY_LENGTH} characters or fewer"
    elif _mentions_identity(summary, child):
        errors["summary_for_providers"] = ("Summary for providers must not include the child's name, date of birth "
                                           "or references")
    return errors


def apply_profile(request: PlacementRequest, profile: RequestProfile) -> None:
    request.age_years = profile.age_years
    request.sex = profile.sex
    request.languages = profile.languages
    request.faith = profile.faith
    request.communities = profile.communities
    request.needs = profile.needs


PROFILE_FIELDS = ["age_years", "sex", "languages", "faith", "communities", "needs"]


# --- The draft ------------------------------------------------------------------------------------


@transaction.atomic
def request_create(
    *,
    actor: User,
    child: Child,
    needed_from: dt.date | None,
    area_wanted: str,
    summary_for_providers: str,
    referral: Referral | None = None,
    now: dt.datetime,
    today: dt.date,
    request_id: str = "",
    via: str = "web",
) -> PlacementRequest:
    """Save a draft request for the child (the caller has opened the child through the access module).

    From an NTS referral, the referral is linked and its placement search recorded as started.
    """
    _require(may_manage_requests(actor), "Only placements and commissioning officers, team leaders and team "
                                         "managers may ask providers for a placement")
    area_wanted = " ".join(area_wanted.split())
    summary = summary_for_providers.strip()
    errors = _draft_errors(child=child, needed_from=needed_from, area_wanted=area_wanted, summary=summary,
                           today=today)
    if referral is not None and referral.child_id != child.pk:
        errors["referral"] = "This NTS referral is for another child"
    if errors:
        raise ValidationError(errors)
    assert needed_from is not None  # checked above
    request = PlacementRequest(child=child, referral=referral, needed_from=needed_from, area_wanted=area_wanted,
                               summary_for_providers=summary, created_by=actor)
    apply_profile(request, profile_from_record(child=child, needs_profile=needs_profile_of(child),
                                                needed_from=needed_from))
    request.save()
    record_change(actor=actor, action=AuditEvent.Action.CREATE, instance=request, child_id=child.pk,
                  request_id=request_id, via=via)
    if referral is not None and referral.is_open and services_arrival.may_manage_placement(actor):
        services_arrival.placement_search_start(actor=actor, referral=referral, now=now, request_id=request_id,
                                                via=via)
    return request


def _locked(request: PlacementRequest) -> PlacementRequest:
    return PlacementRequest.objects.select_for_update().get(pk=request.pk)


def _save(actor: User, locked: PlacementRequest, before: dict[str, Any], fields: list[str], request_id: str,
          via: str) -> None:
    locked.version += 1
    locked.save(update_fields=[*fields, "version", "updated_at"])
    record_change(actor=actor, action=AuditEvent.Action.UPDATE, instance=locked, child_id=locked.child_id,
                  before=before, request_id=request_id, via=via)


@transaction.atomic
def request_change(
    *,
    actor: User,
    request: PlacementRequest,
    needed_from: dt.date | None,
    area_wanted: str,
    summary_for_providers: str,
    today: dt.date,
    request_id: str = "",
    via: str = "web",
) -> PlacementRequest:
    """Change a draft's date needed, area and summary. A sent request keeps what providers were told."""
    _require(may_manage_requests(actor), "Only placements and commissioning officers, team leaders and team "
                                         "managers may change a placement request")
    locked = _locked(request)
    if locked.status != PlacementRequest.Status.DRAFT:
        raise ValidationError({"request": "This request has been sent to providers, so it cannot be changed"})
    child = Child.unscoped.get(pk=locked.child_id)
    area_wanted = " ".join(area_wanted.split())
    summary = summary_for_providers.strip()
    errors = _draft_errors(child=child, needed_from=needed_from, area_wanted=area_wanted, summary=summary,
                           today=today)
    if errors:
        raise ValidationError(errors)
    assert needed_from is not None
    before = snapshot(locked)
    locked.needed_from, locked.area_wanted, locked.summary_for_providers = needed_from, area_wanted, summary
    apply_profile(locked, profile_from_record(child=child, needs_profile=needs_profile_of(child),
                                               needed_from=needed_from))
    _save(actor, locked, before, ["needed_from", "area_wanted", "summary_for_providers", *PROFILE_FIELDS],
          request_id, via)
    return locked


# --- Sending on both tracks -----------------------------------------------------------------------


@dataclass(frozen=True)
class SendResult:
    request: PlacementRequest
    asked: list[RequestRecipient]
    not_asked: list[NotAsked]


def _no_provider_message(request: PlacementRequest, asked_before: bool) -> str:
    if asked_before:
        return "Every provider that can take this child has already been asked"
    return (f"No provider can take this child on {long_date(request.needed_from)}. Check the vacancies and "
            "approval ranges in the provider directory, or change the date needed")


@transaction.atomic
def request_send(
    *,
    actor: User,
    request: PlacementRequest,
    now: dt.datetime,
    today: dt.date,
    request_id: str = "",
    via: str = "web",
) -> SendResult:
    """Ask every active provider that passes the hard rules on the date needed, both tracks at once.

    A request already sent asks only the providers not yet asked (new to the directory, or with a
    vacancy since). The profile is refreshed from the child's record first. Refused, with nothing
    saved, when no provider can be asked.
    """
    _require(may_manage_requests(actor), "Only placements and commissioning officers, team leaders and team "
                                         "managers may send a placement request")
    locked = _locked(request)
    if locked.status not in (PlacementRequest.Status.DRAFT, PlacementRequest.Status.SEARCHING):
        raise ValidationError({"request": "This request is closed: no more providers can be asked"})
    if locked.needed_from < today:
        raise ValidationError({"needed_from": "The date needed has passed. Change the date needed before sending"
                               if locked.status == PlacementRequest.Status.DRAFT
                               else "The date needed has passed, so no more providers can be asked"})
    child = Child.unscoped.get(pk=locked.child_id)
    if child.date_of_death is not None:
        raise ValidationError({"child": "This child has died, so the request cannot be sent"})
    if _mentions_identity(locked.summary_for_providers, child):
        raise ValidationError({"summary_for_providers": "Summary for providers must not include the child's name, "
                                                        "date of birth or references"})
    before = snapshot(locked)
    apply_profile(locked, profile_from_record(child=child, needs_profile=needs_profile_of(child),
                                               needed_from=locked.needed_from))
    asked_before = set(RequestRecipient.objects.filter(request=locked).values_list("provider_id", flat=True))
    providers = Provider.objects.filter(active=True).exclude(pk__in=asked_before).select_related("partner_agency")
    split = split_providers(child_profile(locked, child), providers, locked.needed_from)
    if not split.eligible:
        raise ValidationError({"providers": _no_provider_message(locked, bool(asked_before))})
    asked = RequestRecipient.objects.bulk_create(
        RequestRecipient(request=locked, provider=provider, track=provider.track, asked_at=now)
        for provider in split.eligible
    )
    if locked.status == PlacementRequest.Status.DRAFT:
        locked.status, locked.sent_at, locked.sent_by = PlacementRequest.Status.SEARCHING, now, actor
    _save(actor, locked, before, ["status", "sent_at", "sent_by", *PROFILE_FIELDS], request_id, via)
    _record_asked(actor=actor, request=locked, asked=asked, request_id=request_id, via=via)
    _tell_external_providers(asked)
    return SendResult(request=locked, asked=asked, not_asked=split.refused)


def _record_asked(*, actor: User, request: PlacementRequest, asked: list[RequestRecipient], request_id: str,
                  via: str) -> None:
    """One audit event for the whole send and one disclosure per provider asked (a bulk insert each,
    so that asking a thousand providers is two queries, not two thousand)."""
    record_event(
        actor=actor, action=AuditEvent.Action.DISCLOSE, record_type=request._meta.label, record_id=str(request.pk),
        child_id=request.child_id, request_id=request_id,
        details={"asked": {Track(t).label: [r.provider.name for r in asked if r.track == t] for t in Track.values},
                 "fields": FIELDS_DISCLOSED, "purpose": DISCLOSURE_PURPOSE, "via": via},
    )
    Disclosure.objects.bulk_create(
        Disclosure(disclosed_by=actor, child_id=request.child_id, recipient=r.provider.name[:300],
                   recipient_email=(r.provider.partner_agency.email if r.provider.partner_agency else ""),
                   what=FIELDS_DISCLOSED, purpose=DISCLOSURE_PURPOSE, legal_basis=DISCLOSURE_LEGAL_BASIS,
                   record_type=r._meta.label, record_id=str(r.pk))
        for r in asked
    )


def provider_view_link() -> str:
    return f"{settings.HARBOUR_BASE_URL.rstrip('/')}{reverse('placements:provider_requests')}"


def _tell_external_providers(asked: list[RequestRecipient]) -> None:
    """One email to each external provider's agency that has an address: that a request is waiting,
    and where. Nothing about the child: names, ages and needs are seen only after signing in."""
    by_address: dict[str, list[RequestRecipient]] = {}
    for recipient in asked:
        agency = recipient.provider.partner_agency
        if recipient.track == Track.EXTERNAL and agency is not None and agency.email:
            by_address.setdefault(agency.email, []).append(recipient)
    if not by_address:
        return
    council = CouncilSettings.current().name
    link = provider_view_link()
    for address, recipients in by_address.items():
        names = ", ".join(sorted({r.provider.name for r in recipients}))
        body = (f"{council} has sent a placement request to {names}.\n\n"
                f"Sign in to Harbour to read it and to make an offer or decline:\n{link}\n\n"
                "This email does not contain any details of the child.\n")
        queue_email(to=address, subject=f"Placement request from {council}", body=body, about=recipients[0])


# --- Answers --------------------------------------------------------------------------------------


def _recipient_for(locked: PlacementRequest, provider: Provider, not_asked: str) -> RequestRecipient:
    recipient = (RequestRecipient.objects.select_for_update().filter(request=locked, provider=provider).first())
    if recipient is None:
        raise ValidationError({"provider": not_asked})
    return recipient


def _clean_cost(cost: Any, default: Decimal) -> tuple[Decimal | None, str | None]:
    if cost is None or (isinstance(cost, str) and not cost.strip()):
        return default, None
    try:
        value = Decimal(str(cost).replace("£", "").replace(",", "").strip())
    except InvalidOperation:
        return None, "Cost per week must be an amount of money, like 950 or 1,250.50"
    if not value.is_finite() or value < 0:
        return None, "Cost per week must be 0 or more"
    if value > MAX_COST:
        return None, "Cost per week must be £999,999.99 or less"
    return value.quantize(Decimal("0.01")), None


def _offer_errors(*, available_from: dt.date | None, cost: str | None, carer_or_unit: str, details: str,
                  today: dt.date) -> dict[str, str]:
    errors: dict[str, str] = {}
    if available_from is None:
        errors["available_from"] = "Enter the date the place is available from"
    elif available_from < today:
        errors["available_from"] = "Date available from must be today or in the future"
    if cost:
        errors["cost_per_week"] = cost
    if len(carer_or_unit) > MAX_CARER_LENGTH:
        errors["carer_or_unit"] = f"Carer or unit must be {MAX_CARER_LENGTH} characters or fewer"
    if len(details) > MAX_DETAILS_LENGTH:
        errors["details"] = f"Details of the offer must be {MAX_DETAILS_LENGTH} characters or fewer"
    return errors


def _answerable(locked: PlacementRequest, *, offer: bool) -> None:
    status = locked.status
    if status == PlacementRequest.Status.DRAFT:
        raise ValidationError({"request": "This request has not been sent to providers yet"})
    if status == PlacementRequest.Status.SEARCHING:
        return
    if offer or status != PlacementRequest.Status.CHOSEN:
        raise ValidationError({"request": "This request is closed to new offers: an offer has been chosen"
                               if status in (PlacementRequest.Status.CHOSEN, PlacementRequest.Status.PLACED)
                               else "This request was cancelled"})


def _refuse_hard_rules(locked: PlacementRequest, provider: Provider) -> None:
    child = Child.unscoped.get(pk=locked.child_id)
    reasons = matching.hard_rule_refusals(child_profile(locked, child), provider_profile(provider),
                                          locked.needed_from)
    if reasons:
        raise ValidationError({"provider": f"{provider.name} cannot take this child on "
                                           f"{long_date(locked.needed_from)}: " + "; ".join(reasons)})


@transaction.atomic
def offer_record(
    *,
    actor: User,
    request: PlacementRequest,
    provider: Provider,
    available_from: dt.date | None,
    cost_per_week: Decimal | str | None = None,
    carer_or_unit: str = "",
    details: str = "",
    now: dt.datetime,
    today: dt.date,
    request_id: str = "",
    via: str = "web",
) -> Offer:
    """Record a provider's offer. The cost per week is the provider's own unless given.

    Refused, with nothing saved, when the provider was not asked, has already offered, or fails a
    hard rule on the date needed, and when the request is not open to offers.
    """
    _require(may_answer_for(actor, provider), "You cannot answer for this provider")
    locked = _locked(request)
    _answerable(locked, offer=True)
    recipient = _recipient_for(locked, provider, f"{provider.name} was not asked for this child. Send the request "
                                                 "to them first")
    if recipient.answer == RequestRecipient.Answer.OFFERED:
        raise ValidationError({"provider": f"{provider.name} has already made an offer for this child"})
    _refuse_hard_rules(locked, provider)
    cost, cost_error = _clean_cost(cost_per_week, provider.cost_per_week)
    carer_or_unit, details = " ".join(carer_or_unit.split()), details.strip()
    errors = _offer_errors(available_from=available_from, cost=cost_error, carer_or_unit=carer_or_unit,
                           details=details, today=today)
    if errors:
        raise ValidationError(errors)
    assert available_from is not None and cost is not None
    recipient.request = locked
    offer = Offer.objects.create(recipient=recipient, request=locked, provider=provider,
                                 available_from=available_from, cost_per_week=cost, carer_or_unit=carer_or_unit,
                                 details=details, recorded_by=actor)
    record_change(actor=actor, action=AuditEvent.Action.CREATE, instance=offer, child_id=locked.child_id,
                  request_id=request_id, via=via)
    _answer(actor, recipient, RequestRecipient.Answer.OFFERED, now, request_id, via)
    return offer


def _answer(actor: User, recipient: RequestRecipient, answer: str, now: dt.datetime, request_id: str, via: str,
            reason: str = "", detail: str = "") -> None:
    child_id = recipient.request.child_id
    before = snapshot(recipient)
    recipient.answer, recipient.answered_at, recipient.answered_by = answer, now, actor
    recipient.decline_reason, recipient.decline_detail = reason, detail
    recipient.save(update_fields=["answer", "answered_at", "answered_by", "decline_reason", "decline_detail",
                                  "updated_at"])
    record_change(actor=actor, action=AuditEvent.Action.UPDATE, instance=recipient,
                  child_id=child_id, before=before, request_id=request_id, via=via)


@transaction.atomic
def decline_record(
    *,
    actor: User,
    request: PlacementRequest,
    provider: Provider,
    reason: str,
    detail: str = "",
    now: dt.datetime,
    request_id: str = "",
    via: str = "web",
) -> RequestRecipient:
    """Record that a provider declined, with its reason (and the detail, required for "other")."""
    _require(may_answer_for(actor, provider), "You cannot answer for this provider")
    locked = _locked(request)
    _answerable(locked, offer=False)
    recipient = _recipient_for(locked, provider, f"{provider.name} was not asked for this child, so there is "
                                                 "nothing to decline")
    if recipient.answer == RequestRecipient.Answer.OFFERED:
        raise ValidationError({"provider": f"{provider.name} has already made an offer for this child"})
    detail = " ".join(detail.split())
    errors: dict[str, str] = {}
    if reason not in RequestRecipient.DeclineReason.values:
        errors["decline_reason"] = "Select why the provider declined"
    elif reason == RequestRecipient.DeclineReason.OTHER and not detail:
        errors["decline_detail"] = "Enter why the provider declined"
    if len(detail) > MAX_DECLINE_DETAIL_LENGTH:
        errors["decline_detail"] = f"Why the provider declined must be {MAX_DECLINE_DETAIL_LENGTH} characters or fewer"
    if errors:
        raise ValidationError(errors)
    recipient.request = locked
    _answer(actor, recipient, RequestRecipient.Answer.DECLINED, now, request_id, via, reason, detail)
    return recipient


@transaction.atomic
def mark_no_answers(
    *,
    now: dt.datetime,
    actor: User | None = None,
    request: PlacementRequest | None = None,
    request_id: str = "",
    via: str = "web",
) -> int:
    """Mark as "no answer" every answer still waiting after `MatchingSettings.no_answer_hours`, on
    requests still searching (one request, or all of them for the scheduled command). Returns how
    many were marked. One audit event per request, naming the providers."""
    if actor is not None:
        _require(may_manage_requests(actor), "Only placements and commissioning officers, team leaders and team "
                                             "managers may mark answers")
    cutoff = now - dt.timedelta(hours=MatchingSettings.current().no_answer_hours)
    due = RequestRecipient.objects.select_for_update().filter(
        answer=RequestRecipient.Answer.WAITING, asked_at__lte=cutoff,
        request__status=PlacementRequest.Status.SEARCHING,
    )
    if request is not None:
        due = due.filter(request=request)
    rows = list(due.select_related("provider", "request").order_by("request_id"))
    if not rows:
        return 0
    RequestRecipient.objects.filter(pk__in=[r.pk for r in rows]).update(
        answer=RequestRecipient.Answer.NO_ANSWER, answered_at=now, answered_by=None, updated_at=now)
    by_request: dict[Any, list[RequestRecipient]] = {}
    for row in rows:
        by_request.setdefault(row.request_id, []).append(row)
    for recipients in by_request.values():
        record_event(actor=actor, action=AuditEvent.Action.UPDATE, record_type=RequestRecipient._meta.label,
                     record_id=str(recipients[0].request_id), child_id=recipients[0].request.child_id,
                     request_id=request_id,
                     details={"answer": ["waiting", "no_answer"], "providers": [r.provider.name for r in recipients],
                              "after_hours": int((now - cutoff).total_seconds() // 3600), "via": via})
    return len(rows)


# --- The child's view and the choice ---------------------------------------------------------------


@transaction.atomic
def child_view_record(
    *,
    actor: User,
    offer: Offer,
    child_view: str,
    now: dt.datetime,
    request_id: str = "",
    via: str = "web",
) -> Offer:
    """Record the child's view of an offer, in their words. Recording again replaces it."""
    _require(may_record_child_view(actor), "Only social workers, team leaders, team managers and placements "
                                           "officers may record the child's view")
    locked = Offer.objects.select_for_update().select_related("request").get(pk=offer.pk)
    if locked.request.status in (PlacementRequest.Status.PLACED, PlacementRequest.Status.CANCELLED):
        raise ValidationError({"request": "This request is closed: the child's view can no longer be changed"})
    text = child_view.strip()
    if not text:
        raise ValidationError({"child_view": "Enter the child's view of this offer, in their words"})
    if len(text) > MAX_CHILD_VIEW_LENGTH:
        raise ValidationError({"child_view": f"The child's view must be {MAX_CHILD_VIEW_LENGTH} characters or fewer"})
    before = snapshot(locked)
    locked.child_view, locked.child_view_recorded_at, locked.child_view_recorded_by = text, now, actor
    locked.save(update_fields=["child_view", "child_view_recorded_at", "child_view_recorded_by", "updated_at"])
    record_change(actor=actor, action=AuditEvent.Action.UPDATE, instance=locked, child_id=locked.request.child_id,
                  before=before, request_id=request_id, via=via)
    return locked


CHILD_CHOSE = frozenset({PlacementRequest.ChosenBy.CHILD, PlacementRequest.ChosenBy.CHILD_AND_SOCIAL_WORKER})


def offer_description(offer: Offer) -> str:
    """"Oak House (Room 2), from 3 December 2026": how the referral records where the child will live."""
    unit = f" ({offer.carer_or_unit})" if offer.carer_or_unit else ""
    return f"{offer.provider.name}{unit}, from {long_date(offer.available_from)}"[:services_arrival.MAX_DESCRIPTION_LENGTH]


def _choice_errors(locked: PlacementRequest, offer: Offer | None, chosen_by: str, reason: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    if offer is None or offer.request_id != locked.pk or offer.withdrawn_at is not None:
        errors["offer"] = "Select the offer that was chosen"
    elif chosen_by in CHILD_CHOSE and not offer.child_view:
        errors["offer"] = (f"Record the child's view of the offer from {offer.provider.name} before recording "
                           "that they chose it")
    if chosen_by not in PlacementRequest.ChosenBy.values:
        errors["chosen_by"] = "Select who chose"
    if not reason:
        errors["choice_reason"] = "Enter why this offer was chosen"
    elif len(reason) > MAX_REASON_LENGTH:
        errors["choice_reason"] = f"Why this offer was chosen must be {MAX_REASON_LENGTH} characters or fewer"
    return errors


@transaction.atomic
def choice_record(
    *,
    actor: User,
    request: PlacementRequest,
    offer: Offer | None,
    chosen_by: str,
    reason: str,
    now: dt.datetime,
    request_id: str = "",
    via: str = "web",
) -> PlacementRequest:
    """Record which offer was chosen, who chose and why. The request takes no new offers after this
    (answers still waiting are left as they are). A choice can be changed until the placement
    starts. From an NTS referral still open, the referral's placement is confirmed too."""
    _require(may_choose(actor), "Only placements officers, team leaders and team managers may record the choice")
    locked = _locked(request)
    if locked.status not in (PlacementRequest.Status.SEARCHING, PlacementRequest.Status.CHOSEN):
        raise ValidationError({"request": "The placement has started: the choice can no longer be changed"
                               if locked.status == PlacementRequest.Status.PLACED
                               else "This request is not open: send it to providers first"})
    reason = reason.strip()
    if offer is not None:
        offer = Offer.objects.select_related("provider").filter(pk=offer.pk).first()
    errors = _choice_errors(locked, offer, chosen_by, reason)
    if errors:
        raise ValidationError(errors)
    assert offer is not None
    _refuse_hard_rules(locked, offer.provider)
    before = snapshot(locked)
    locked.status, locked.chosen_offer = PlacementRequest.Status.CHOSEN, offer
    locked.chosen_by, locked.choice_reason = chosen_by, reason
    locked.choice_recorded_at, locked.choice_recorded_by = now, actor
    _save(actor, locked, before, ["status", "chosen_offer", "chosen_by", "choice_reason", "choice_recorded_at",
                                  "choice_recorded_by"], request_id, via)
    if locked.referral_id:
        referral = Referral.objects.get(pk=locked.referral_id)
        if referral.is_open:
            services_arrival.placement_confirm(actor=actor, referral=referral, description=offer_description(offer),
                                               now=now, request_id=request_id, via=via)
    return locked


# --- The placement --------------------------------------------------------------------------------


def waits_for_arrival(request: PlacementRequest) -> bool:
    """An NTS child not yet arrived: their first placement starts when the arrival is recorded."""
    return request.referral_id is not None and request.referral is not None and request.referral.is_open


@transaction.atomic
def placement_from_request(
    *,
    actor: User,
    request: PlacementRequest,
    start: dt.date,
    long_term: bool = False,
    today: dt.date,
    request_id: str = "",
    via: str = "web",
) -> Placement:
    """Start the placement from the chosen offer (`services_placements.placement_from_offer`) and
    mark the request placed."""
    _require(may_choose(actor), "Only placements officers, team leaders and team managers may start a placement")
    locked = _locked(request)
    if locked.status == PlacementRequest.Status.PLACED:
        raise ValidationError({"request": "The placement has already started"})
    if locked.status != PlacementRequest.Status.CHOSEN or locked.chosen_offer_id is None:
        raise ValidationError({"request": "Record which offer was chosen before starting the placement"})
    if waits_for_arrival(locked):
        raise ValidationError({"start": "This child has not arrived yet: the placement starts when the arrival is "
                                        "recorded on the NTS referral"})
    placement = services_placements.placement_from_offer(actor=actor, request=locked, start=start,
                                                         long_term=long_term, today=today, request_id=request_id,
                                                         via=via)
    # placement_from_offer may mark the request itself; read it again so neither write is lost.
    again = _locked(locked)
    if again.placement_id != placement.pk or again.status != PlacementRequest.Status.PLACED:
        before = snapshot(again)
        again.placement, again.status = placement, PlacementRequest.Status.PLACED
        _save(actor, again, before, ["placement", "status"], request_id, via)
    return placement
