"""Reads of placement requests: who may see which, the list, the request page, the comparison of
offers and the provider view.

A request is seen through its child: staff see a request when they may see the child
(harbour.accounts.access), and opening one writes the child's access log. A provider's own users
see only what was sent to their providers, and of it only the provider-safe profile
(`ProviderRequest`): built field by field from what the request copied for providers, never from
the child's record, so names, dates of birth, references and the council's own notes cannot reach
them. Every read here keeps a fixed number of queries whatever the number of providers.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from harbour.accounts import access
from harbour.accounts.models import Role, Scope
from harbour.audit.models import AccessLogEntry
from harbour.audit.services import log_access
from harbour.children.codes import Sex
from harbour.children.models import Child
from harbour.domain import matching

from . import services_requests as services
from .codes import Need
from .models import MatchingSettings, Offer, PlacementRequest, Provider, RequestRecipient, Track

LIST_ROLES = frozenset({Role.PLACEMENTS_OFFICER, Role.COMMISSIONING_OFFICER, Role.TEAM_LEADER, Role.TEAM_MANAGER})
ANSWERS = RequestRecipient.Answer


def may_see_list(user: Any) -> bool:
    return bool(getattr(user, "is_active", False)) and getattr(user, "role", None) in LIST_ROLES


def _as_uuid(value: Any) -> uuid.UUID | None:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except (TypeError, ValueError):
        return None


# --- Staff ---------------------------------------------------------------------------------------


def requests_visible_to(user: Any) -> QuerySet[PlacementRequest]:
    """Every request whose child this user may see. Partners never: they have the provider view."""
    if getattr(user, "scope", Scope.NONE) == Scope.SHARED:
        return PlacementRequest.objects.none()
    return PlacementRequest.objects.filter(child_id__in=access.children_visible_to(user).values("id"))


def open_request(user: Any, request_id: Any, *, route: str, request_id_for_log: str = "",
                 purpose: str = "placement request") -> PlacementRequest:
    """The request, if this user may see its child, with the read written to the child's access log;
    else 404 (a malformed id, a request that does not exist and one out of scope answer alike)."""
    pk = _as_uuid(request_id)
    request = (requests_visible_to(user).select_related("referral", "created_by", "sent_by", "choice_recorded_by",
                                                        "chosen_offer__provider", "placement")
               .filter(pk=pk).first() if pk else None)
    if request is None:
        raise Http404("No placement request found")
    request.child = access.access_child(user, request.child_id, route=route, request_id=request_id_for_log,
                                        purpose=purpose)
    return request


@dataclass(frozen=True)
class TrackCounts:
    asked: int
    offered: int
    declined: int
    waiting: int
    no_answer: int


@dataclass(frozen=True)
class RequestRow:
    request: PlacementRequest
    child: Child
    in_house: TrackCounts
    external: TrackCounts


def _counts(track: str) -> dict[str, Count]:
    on_track = Q(recipients__track=track)
    return {
        f"{track}_{name}": Count("recipients", filter=on_track & condition)
        for name, condition in (
            ("asked", Q()),
            ("offered", Q(recipients__answer=ANSWERS.OFFERED)),
            ("declined", Q(recipients__answer=ANSWERS.DECLINED)),
            ("waiting", Q(recipients__answer=ANSWERS.WAITING)),
            ("no_answer", Q(recipients__answer=ANSWERS.NO_ANSWER)),
        )
    }


def request_list(user: Any) -> list[RequestRow]:
    """Open requests (not sent, searching, or an offer chosen), the nearest date needed first, with
    what each track has answered. One query: the answers are counted over a single join."""
    annotations = {**_counts(Track.IN_HOUSE), **_counts(Track.EXTERNAL)}
    rows = (requests_visible_to(user).filter(status__in=services.OPEN_STATUSES)
            .select_related("child").annotate(**annotations).order_by("needed_from", "created_at"))

    def counts(request: PlacementRequest, track: str) -> TrackCounts:
        return TrackCounts(*(getattr(request, f"{track}_{name}")
                             for name in ("asked", "offered", "declined", "waiting", "no_answer")))

    return [RequestRow(request=r, child=r.child, in_house=counts(r, Track.IN_HOUSE), external=counts(r, Track.EXTERNAL))
            for r in rows]


# --- The request page ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ProviderFacts:
    """What the council's own pages say of a provider beside an offer or an answer."""

    kind: str
    track: str
    area: str
    out_of_area: bool
    ages: str
    sexes: str
    ofsted_urn: str
    registration: str
    cost_per_week: Decimal


def provider_facts(provider: Provider) -> ProviderFacts:
    return ProviderFacts(
        kind=provider.get_kind_display(), track=Track(provider.track).label, area=provider.area,
        out_of_area=provider.out_of_area, ages=f"{provider.ages_from} to {provider.ages_to}",
        sexes=provider.get_sexes_display(), ofsted_urn=provider.ofsted_urn, registration=provider.registration,
        cost_per_week=provider.cost_per_week,
    )


@dataclass(frozen=True)
class RequestPage:
    in_house: list[RequestRecipient]
    external: list[RequestRecipient]
    may_be_asked: list[Provider]  # pass the hard rules now and not asked yet
    not_asked: list[services.NotAsked]  # fail a hard rule, with the words
    waiting_overdue: int  # waiting longer than the council's no-answer hours
    no_answer_hours: int


def _not_yet_asked(request: PlacementRequest, child: Child) -> services.ProviderSplit:
    asked = RequestRecipient.objects.filter(request=request).values("provider_id")
    providers = Provider.objects.filter(active=True).exclude(pk__in=asked).order_by("name")
    return services.split_providers(services.child_profile(request, child), providers, request.needed_from)


def preview_request(request: PlacementRequest, child: Child) -> PlacementRequest:
    """A draft as it would be sent now: the profile from the child's record today (not saved)."""
    profile = services.profile_from_record(child=child, needs_profile=services.needs_profile_of(child),
                                           needed_from=request.needed_from)
    preview = PlacementRequest(pk=request.pk, child_id=request.child_id, needed_from=request.needed_from,
                               area_wanted=request.area_wanted, summary_for_providers=request.summary_for_providers,
                               status=request.status)
    services.apply_profile(preview, profile)
    return preview


@dataclass(frozen=True)
class RecordProfile:
    """The child's record as matching uses it (for the council's eyes: faith, communities and every need)."""

    age_years: int | None
    sex: str
    languages: str
    faith: str
    communities: str
    needs: list[str]


def record_profile(child: Child, *, on: dt.date) -> RecordProfile:
    preview = preview_request(PlacementRequest(child_id=child.pk, needed_from=on), child)
    return RecordProfile(
        age_years=preview.age_years, sex=SEX_WORDS.get(preview.sex, "Not known"), languages=preview.languages,
        faith=preview.faith, communities=preview.communities,
        needs=[Need(code).label for code in preview.needs or [] if code in Need.values],
    )


def request_page(request: PlacementRequest, child: Child, *, now: dt.datetime) -> RequestPage:
    """Every provider asked, by track, with its answer, and the providers not asked with why. A fixed
    number of queries whatever the number of providers: the recipients with their providers and
    offers, the settings, the providers not asked (and, for a draft, the child's needs profile)."""
    recipients = list(RequestRecipient.objects.filter(request=request)
                      .select_related("provider", "answered_by", "offer").order_by("provider__name"))
    hours = MatchingSettings.current().no_answer_hours
    cutoff = now - dt.timedelta(hours=hours)
    searching = request.status == PlacementRequest.Status.SEARCHING
    if request.status in (PlacementRequest.Status.DRAFT, PlacementRequest.Status.SEARCHING):
        profiled = preview_request(request, child) if request.status == PlacementRequest.Status.DRAFT else request
        split = _not_yet_asked(profiled, child)
    else:
        split = services.ProviderSplit(eligible=[], refused=[])
    return RequestPage(
        in_house=[r for r in recipients if r.track == Track.IN_HOUSE],
        external=[r for r in recipients if r.track == Track.EXTERNAL],
        may_be_asked=split.eligible,
        not_asked=split.refused,
        waiting_overdue=sum(1 for r in recipients if searching and r.answer == ANSWERS.WAITING
                            and r.asked_at <= cutoff),
        no_answer_hours=hours,
    )


def provider_in_request(request: PlacementRequest, provider_id: Any) -> tuple[Provider, RequestRecipient | None]:
    """The provider (404 if there is none) and its place among those asked (None if not asked)."""
    pk = _as_uuid(provider_id)
    provider = Provider.objects.filter(pk=pk).first() if pk else None
    if provider is None:
        raise Http404("No provider found")
    recipient = RequestRecipient.objects.filter(request=request, provider=provider).first()
    return provider, recipient


# --- Comparing offers ----------------------------------------------------------------------------


@dataclass(frozen=True)
class OfferCard:
    offer: Offer
    scored: matching.ScoredOffer
    facts: ProviderFacts
    chosen: bool

    @property
    def refused(self) -> bool:
        return bool(self.scored.refusals)


@dataclass(frozen=True)
class Comparison:
    cards: list[OfferCard]
    weights: matching.Weights
    waiting: int  # providers still to answer
    asked: int


def compare_offers(request: PlacementRequest, child: Child) -> Comparison:
    """The offers made, ranked by `domain.matching.score_offers` with the council's weights, each
    with the points and words of every criterion. Three queries whatever the number of providers
    asked or offers made: the offers with their providers, the settings, the answers counted."""
    offers = list(Offer.objects.filter(request=request, withdrawn_at__isnull=True)
                  .select_related("provider", "recorded_by", "child_view_recorded_by").order_by("created_at"))
    council_weights = services.weights(MatchingSettings.current())
    scored = matching.score_offers(
        services.child_profile(request, child),
        [matching.OfferToScore(key=str(o.pk), provider=services.provider_profile(o.provider),
                               cost_per_week=o.cost_per_week, available_from=o.available_from) for o in offers],
        council_weights, request.needed_from,
    )
    by_key = {str(o.pk): o for o in offers}
    cards = [OfferCard(offer=by_key[s.key], scored=s, facts=provider_facts(by_key[s.key].provider),
                       chosen=request.chosen_offer_id == by_key[s.key].pk) for s in scored]
    answers = RequestRecipient.objects.filter(request=request).aggregate(
        asked=Count("pk"), waiting=Count("pk", filter=Q(answer=ANSWERS.WAITING)))
    return Comparison(cards=cards, weights=council_weights, waiting=answers["waiting"], asked=answers["asked"])


def offer_in_request(request: PlacementRequest, offer_id: Any) -> Offer:
    pk = _as_uuid(offer_id)
    offer = (Offer.objects.select_related("provider", "child_view_recorded_by")
             .filter(request=request, pk=pk, withdrawn_at__isnull=True).first() if pk else None)
    if offer is None:
        raise Http404("No offer found")
    return offer


# --- The provider view ---------------------------------------------------------------------------

SEX_WORDS = {Sex.MALE: "Boy", Sex.FEMALE: "Girl"}
PROVIDER_STATUSES = (PlacementRequest.Status.SEARCHING, PlacementRequest.Status.CHOSEN,
                     PlacementRequest.Status.PLACED, PlacementRequest.Status.CANCELLED)


@dataclass(frozen=True)
class SafeProfile:
    """What a provider is told of the child: the fields the request copied for providers, in words.
    The council's own pages show a draft through this too, so what they preview is what is sent."""

    age_years: int | None
    sex: str
    languages: str
    needs: list[str]
    area_wanted: str
    needed_from: dt.date
    summary_for_providers: str


# Providers are never told the child's religion, ethnicity (nor the nationality and communities that
# stand for it), health, immigration status or trafficking (security checklist item 4). The council
# matches on those itself, against what the directory says each provider offers; providers see only
# the needs that are none of these.
PROVIDER_VISIBLE_NEEDS = ("education", "esol", "missing")


def safe_profile(request: PlacementRequest) -> SafeProfile:
    return SafeProfile(
        age_years=request.age_years, sex=SEX_WORDS.get(request.sex, "Not known"), languages=request.languages,
        needs=[Need(code).label for code in request.needs or [] if code in PROVIDER_VISIBLE_NEEDS],
        area_wanted=request.area_wanted, needed_from=request.needed_from,
        summary_for_providers=request.summary_for_providers,
    )


@dataclass(frozen=True)
class OwnOffer:
    available_from: dt.date
    cost_per_week: Decimal
    carer_or_unit: str
    details: str


@dataclass(frozen=True)
class ProviderRequest:
    """All a provider is shown of a request sent to them. Built only from what the request copied
    for providers and the provider's own answer: nothing else of the child is ever in it."""

    recipient_id: uuid.UUID
    provider_id: uuid.UUID
    provider_name: str
    asked_at: dt.datetime
    answer: str
    answer_label: str
    answered_at: dt.datetime | None
    decline_reason: str
    decline_detail: str
    own_offer: OwnOffer | None
    own_offer_chosen: bool
    open_for_offers: bool
    status_text: str
    profile: SafeProfile

    @property
    def may_offer(self) -> bool:
        return self.open_for_offers and self.answer in (ANSWERS.WAITING, ANSWERS.NO_ANSWER, ANSWERS.DECLINED)

    @property
    def may_decline(self) -> bool:
        return self.open_for_offers and self.answer in (ANSWERS.WAITING, ANSWERS.NO_ANSWER)


def _status_text(request: PlacementRequest, own_offer_chosen: bool) -> str:
    if request.status == PlacementRequest.Status.SEARCHING:
        return "Open for offers"
    if own_offer_chosen:
        return "Closed: your offer was chosen"
    if request.status == PlacementRequest.Status.CANCELLED:
        return "Closed: the council no longer needs this placement"
    return "Closed: the council has chosen a placement"


def provider_safe(recipient: RequestRecipient) -> ProviderRequest:
    request = recipient.request
    offer = getattr(recipient, "offer", None) if recipient.answer == ANSWERS.OFFERED else None
    chosen = offer is not None and request.chosen_offer_id == offer.pk
    return ProviderRequest(
        recipient_id=recipient.pk, provider_id=recipient.provider_id, provider_name=recipient.provider.name,
        asked_at=recipient.asked_at, answer=recipient.answer, answer_label=recipient.get_answer_display(),
        answered_at=recipient.answered_at,
        decline_reason=recipient.get_decline_reason_display() if recipient.decline_reason else "",
        decline_detail=recipient.decline_detail,
        own_offer=(OwnOffer(available_from=offer.available_from, cost_per_week=offer.cost_per_week,
                            carer_or_unit=offer.carer_or_unit, details=offer.details) if offer else None),
        own_offer_chosen=chosen,
        open_for_offers=request.status == PlacementRequest.Status.SEARCHING,
        status_text=_status_text(request, chosen),
        profile=safe_profile(request),
    )


def _provider_recipients(user: Any) -> QuerySet[RequestRecipient]:
    if not services.is_provider_user(user):
        return RequestRecipient.objects.none()
    return (RequestRecipient.objects
            .filter(provider__partner_agency_id=user.partner_agency_id, provider__partner_agency__kind="provider",
                    request__status__in=PROVIDER_STATUSES)
            # only() keeps the child's identity out of memory too: the request's own copied fields
            .select_related("provider", "request", "offer")
            .only("id", "provider_id", "asked_at", "answer", "answered_at", "decline_reason", "decline_detail",
                  "track", "request_id", "provider__id", "provider__name", "provider__partner_agency_id",
                  "request__id", "request__child_id", "request__status", "request__chosen_offer_id",
                  "request__age_years", "request__sex", "request__languages", "request__faith",
                  "request__communities", "request__needs", "request__area_wanted", "request__needed_from",
                  "request__summary_for_providers", "offer__id", "offer__available_from", "offer__cost_per_week",
                  "offer__carer_or_unit", "offer__details", "offer__withdrawn_at"))


def provider_requests(user: Any, *, route: str, request_id: str = "") -> list[ProviderRequest]:
    """The requests sent to this provider user's providers, open ones first, the nearest date needed
    first. Two queries: the requests, and one access-log row per child shown, written in bulk."""
    recipients = list(_provider_recipients(user).order_by("request__needed_from", "provider__name"))
    recipients.sort(key=lambda r: r.request.status != PlacementRequest.Status.SEARCHING)  # stable: open first
    if recipients:
        AccessLogEntry.objects.bulk_create(
            AccessLogEntry(user=user, child_id=child_id, route=route[:200], request_id=request_id,
                           purpose="placement request (provider)")
            for child_id in dict.fromkeys(r.request.child_id for r in recipients)
        )
    return [provider_safe(r) for r in recipients]


def provider_request(user: Any, recipient_id: Any, *, route: str, request_id: str = "") -> tuple[
        ProviderRequest, RequestRecipient]:
    """One request sent to this provider user's provider, or 404 (someone else's answers alike)."""
    pk = _as_uuid(recipient_id)
    recipient = _provider_recipients(user).filter(pk=pk).first() if pk else None
    if recipient is None:
        raise Http404("No placement request found")
    log_access(user=user, child_id=recipient.request.child_id, route=route, request_id=request_id,
               purpose="placement request (provider)")
    return provider_safe(recipient), recipient
