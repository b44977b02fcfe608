"""Placement matching: the hard rules an offer must pass, then a score explained in words.

Sources:
* Supported accommodation is for 16 and 17 year olds only: the Supported Accommodation (England)
  Regulations 2023 (SI 2023/416) and the Care Planning, Placement and Case Review (England)
  Regulations 2010 reg 27A as amended; SSDA903 validator rule 371 (PLACE K3 needs age 16 or over).
* The approval range of a foster carer (number, age range and sex of children): the Fostering
  Services (England) Regulations 2011 reg 27(5) and the terms of approval; a children's home or
  supported accommodation may only take children within its registration.
* Matching on the child's religion, racial origin, culture and language: Children Act 1989
  s22(5)(c) and the Care Planning Regulations 2010 reg 9 and Schedule 2 (the placement plan).
* Sufficiency (placing near home where practicable): Children Act 1989 s22C(7)-(9) and s22G.

The weights are the council's own (settings); with every weight at zero every offer scores 0.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from harbour.domain.ages import age_on
from harbour.domain.formatting import long_date

SUPPORTED_ACCOMMODATION_MINIMUM_AGE = 16

# The needs a request names and a provider can meet: code, and the words used in sentences.
NEEDS: dict[str, str] = {
    "health": "physical health needs",
    "mental_health": "emotional and mental health support",
    "trauma": "trauma-informed care",
    "disability": "disability",
    "education": "help into school or college",
    "esol": "English language support",
    "exploitation": "risk of exploitation or trafficking",
    "missing": "risk of going missing",
    "substances": "substance misuse",
    "offending": "offending behaviour",
    "self_harm": "risk of self-harm",
    "faith_practice": "support to practise their faith",
    "diet": "dietary needs",
}


@dataclass(frozen=True)
class ChildProfile:
    """What matching knows of the child: from the record, never re-typed."""

    date_of_birth: date | None
    sex: str  # "M", "F" or "U"
    first_language: str
    other_languages: tuple[str, ...]
    faith: str
    communities: tuple[str, ...]  # nationality and community, e.g. ("Afghan", "Pashtun")
    needs: frozenset[str]
    area_wanted: str


@dataclass(frozen=True)
class ProviderProfile:
    name: str
    supported_accommodation: bool  # PLACE K3 (or the retired H5 and P2)
    ages_from: int
    ages_to: int
    sexes: str  # "any", "M" or "F"
    vacancies: int
    languages: tuple[str, ...]
    faith: str
    communities: tuple[str, ...]
    needs_met: frozenset[str]
    area: str
    out_of_area: bool


@dataclass(frozen=True)
class Weights:
    language: int
    faith_and_culture: int
    community_and_distance: int
    needs: int
    cost: int

    @property
    def total(self) -> int:
        return self.language + self.faith_and_culture + self.community_and_distance + self.needs + self.cost


@dataclass(frozen=True)
class Contribution:
    criterion: str  # "Language", "Faith and culture", "Community and distance", "Needs", "Cost per week"
    points: Decimal  # 0 <= points <= weight
    weight: int
    words: str  # why, in a sentence a placements officer can read out


@dataclass(frozen=True)
class OfferToScore:
    key: str  # the caller's identifier for the offer (e.g. the Offer's id)
    provider: ProviderProfile
    cost_per_week: Decimal
    available_from: date


@dataclass(frozen=True)
class ScoredOffer:
    key: str
    refusals: tuple[str, ...]  # hard rules broken, in words; a refused offer has no score
    score: int | None  # 0 to 100, rounded; None when refused
    contributions: tuple[Contribution, ...] = field(default=())
    rank: int | None = None  # 1 is best; refused offers are not ranked


# The criteria in the order their contributions are listed (and read out).
LANGUAGE = "Language"
FAITH_AND_CULTURE = "Faith and culture"
COMMUNITY_AND_DISTANCE = "Community and distance"
NEEDS_CRITERION = "Needs"
COST = "Cost per week"
CRITERIA = (LANGUAGE, FAITH_AND_CULTURE, COMMUNITY_AND_DISTANCE, NEEDS_CRITERION, COST)

# Religion is free text on the child's record: these answers mean there is no faith to match on.
NO_FAITH = frozenset({
    "no religion", "no faith", "none", "not recorded", "not known", "unknown", "prefer not to say",
    "declined",
})  # fmt: skip

_PENNY = Decimal("0.01")
_NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def hard_rule_refusals(child: ChildProfile, provider: ProviderProfile, on: date) -> tuple[str, ...]:
    """The hard rules the provider breaks for this child on the date needed, in words (empty when none).

    Checked in order, and every rule broken is listed, not just the first:

    1. Supported accommodation (PLACE K3, or the retired H5 and P2) for a child under 16 on the date
       needed: the Supported Accommodation (England) Regulations 2023 (SI 2023/416); the Care
       Planning, Placement and Case Review (England) Regulations 2010 reg 27A as amended; SSDA903
       validator rule 371. A child with no date of birth cannot be shown to be 16, so is refused.
    2. No vacancy: the number of children in the terms of approval or registration (Fostering
       Services (England) Regulations 2011 reg 27(5)).
    3. Age outside the approval range (reg 27(5); the registration of a home or supported accommodation).
    4. Sex not one the provider is approved for (reg 27(5)). A child whose sex is not recorded cannot
       be shown to fit a single-sex approval, so is refused with words that say so.

    The age is the child's age on ``on`` (the date needed), by the birthday rule in
    :func:`harbour.domain.ages.birthday` (29 February birthdays fall on 1 March in other years).
    """
    age = _age_on_date_needed(child.date_of_birth, on)
    refusals: list[str] = []

    if provider.supported_accommodation:
        if age is None:
            refusals.append(
                "Supported accommodation is only for 16 and 17 year olds: the child's date of birth is "
                "not recorded, so they cannot be shown to be 16"
            )
        elif age < SUPPORTED_ACCOMMODATION_MINIMUM_AGE:
            refusals.append(
                f"Supported accommodation is only for 16 and 17 year olds: the child will be {age} on "
                f"{long_date(on)}"
            )

    if provider.vacancies <= 0:
        refusals.append("No vacancy")

    if age is None:
        refusals.append("The child's date of birth is not recorded, so the age range cannot be checked")
    elif not provider.ages_from <= age <= provider.ages_to:
        refusals.append(f"{_approval_range(provider)}: the child will be {age}")

    sexes = provider.sexes.strip().upper()
    if sexes in {"M", "F"}:
        approved = "girls" if sexes == "F" else "boys"
        child_sex = child.sex.strip().upper()
        if child_sex not in {"M", "F"}:
            refusals.append(f"Approved for {approved} only: the child's sex is not recorded")
        elif child_sex != sexes:
            refusals.append(f"Approved for {approved} only")

    return tuple(refusals)


def score_offers(
    child: ChildProfile, offers: Sequence[OfferToScore], weights: Weights, on: date
) -> list[ScoredOffer]:
    """Every offer with its refusals or its score and the contribution of each criterion, best first.

    Refused offers come last, in the order given. Ties keep the order given.

    Hard rules first (:func:`hard_rule_refusals`): a refused offer has no score, no rank and no
    contributions. Each other offer earns, per criterion, points from 0 to the council's weight
    (two decimal places), with a sentence saying why:

    * Language, and Faith and culture: Children Act 1989 s22(5)(c) (due consideration to the child's
      religious persuasion, racial origin and cultural and linguistic background) and the Care
      Planning, Placement and Case Review (England) Regulations 2010 reg 9 and Schedule 2.
    * Community and distance: Children Act 1989 s22C(7)-(9) (a placement near home, within the
      council's area, where reasonably practicable) and s22G (sufficiency).
    * Needs: s22C(5) and reg 9 (the placement is the most appropriate for the child's needs).
    * Cost per week: the council's own criterion (best value, s22G sufficiency), not statute.

    The score is ``round(100 * points / total weight)`` (halves rounded up; 0 when every weight is 0),
    worked from the rounded points shown, so an officer can add them up by hand.
    """
    for name, weight in zip(CRITERIA, _weight_list(weights), strict=True):
        if weight < 0:
            raise ValueError(f"the weight for {name} must not be negative")
    for offer in offers:
        if offer.cost_per_week < 0:
            raise ValueError(f"the cost per week of offer {offer.key} must not be negative")

    # Paired by position, not by key, so two offers given the same key are still two offers.
    checked = [(offer, hard_rule_refusals(child, offer.provider, on)) for offer in offers]
    open_offers = [offer for offer, refusals in checked if not refusals]
    costs = [offer.cost_per_week for offer in open_offers]

    scored: list[ScoredOffer] = []
    for offer in open_offers:
        contributions = (
            _language(child, offer.provider, weights.language),
            _faith_and_culture(child, offer.provider, weights.faith_and_culture),
            _community_and_distance(child, offer.provider, weights.community_and_distance),
            _needs(child, offer.provider, weights.needs),
            _cost(offer.cost_per_week, costs, weights.cost),
        )
        score = _score(contributions, weights.total)
        scored.append(ScoredOffer(key=offer.key, refusals=(), score=score, contributions=contributions))

    # sorted() is stable, so offers with the same score keep the order given.
    ranked = sorted(scored, key=lambda offer: -(offer.score or 0))
    result = [replace(offer, rank=position) for position, offer in enumerate(ranked, start=1)]
    result.extend(
        ScoredOffer(key=offer.key, refusals=refusals, score=None) for offer, refusals in checked if refusals
    )
    return result


def format_money(amount: Decimal) -> str:
    """``£1,200`` or ``£1,200.50``: thousands separated, pence only when the amount is not whole."""
    pence = amount.quantize(_PENNY, rounding=ROUND_HALF_UP)
    if pence == pence.to_integral_value():
        return f"£{int(pence):,}"
    return f"£{pence:,.2f}"


def _age_on_date_needed(date_of_birth: date | None, on: date) -> int | None:
    if date_of_birth is None:
        return None
    # A date needed before the recorded birth is a recording error; the child is then taken as 0,
    # which is refused by every rule that needs an older child rather than let through.
    if on < date_of_birth:
        return 0
    return age_on(date_of_birth, on)


def _approval_range(provider: ProviderProfile) -> str:
    if provider.ages_from == provider.ages_to:
        return f"Approved for age {provider.ages_from} only"
    return f"Approved for ages {provider.ages_from} to {provider.ages_to}"


def _weight_list(weights: Weights) -> tuple[int, int, int, int, int]:
    return (weights.language, weights.faith_and_culture, weights.community_and_distance, weights.needs,
            weights.cost)


def _points(weight: int, share: Decimal) -> Decimal:
    return (Decimal(weight) * share).quantize(_PENNY, rounding=ROUND_HALF_UP)


def _score(contributions: Sequence[Contribution], total: int) -> int:
    if total == 0:
        return 0
    points = sum((contribution.points for contribution in contributions), Decimal(0))
    return int((Decimal(100) * points / Decimal(total)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _key(text: str) -> str:
    """Case and spacing do not make two languages, faiths, communities or areas different."""
    return " ".join(text.split()).casefold()


def _shown(text: str) -> str:
    return " ".join(text.split())


def _recorded(values: Sequence[str]) -> list[str]:
    """The non-blank values, as written, without repeats (case- and space-insensitive)."""
    seen: set[str] = set()
    kept: list[str] = []
    for value in values:
        key = _key(value)
        if key and key not in seen:
            seen.add(key)
            kept.append(_shown(value))
    return kept


def _and(items: Sequence[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def _number(count: int) -> str:
    return _NUMBER_WORDS[count] if count < len(_NUMBER_WORDS) else str(count)


def _language(child: ChildProfile, provider: ProviderProfile, weight: int) -> Contribution:
    first = _shown(child.first_language)
    others = [language for language in _recorded(child.other_languages) if _key(language) != _key(first)]
    spoken = {_key(language) for language in provider.languages if _key(language)}

    def contribution(share: Decimal, words: str) -> Contribution:
        return Contribution(LANGUAGE, _points(weight, share), weight, words)

    if not first and not others:
        # Nothing to match on: every offer gets the same, so the order is not changed by a gap in the record.
        return contribution(Decimal(1), "The child's languages are not recorded, so language does not change "
                                        "the order")
    if not spoken:
        return contribution(Decimal(0), "The provider's languages are not recorded")
    if first and _key(first) in spoken:
        return contribution(Decimal(1), f"Speaks {first}, the child's first language")
    shared = [language for language in others if _key(language) in spoken]
    if shared and not first:
        return contribution(
            Decimal(1), f"Speaks {_and(shared)}, the child's languages (their first language is not recorded)"
        )
    if shared:
        which = "one of the child's other languages" if len(shared) == 1 else (
            f"{_number(len(shared))} of the child's other languages")
        return contribution(Decimal("0.5"), f"Speaks {_and(shared)}, {which}, but not {first}, their first")
    languages = ([first] if first else []) + others
    return contribution(Decimal(0), f"Speaks none of the child's languages ({', '.join(languages)})")


def _faith_and_culture(child: ChildProfile, provider: ProviderProfile, weight: int) -> Contribution:
    half = Decimal("0.5")
    faith_share, faith_words = _faith(child.faith, provider.faith)
    community_share, community_words = _community(child.communities, provider.communities)
    words = f"{faith_words}; {community_words}"
    return Contribution(FAITH_AND_CULTURE, _points(weight, half * (faith_share + community_share)), weight,
                        words)


def _faith(child_faith: str, provider_faith: str) -> tuple[Decimal, str]:
    faith = _shown(child_faith)
    if not faith:
        return Decimal(1), "The child's faith is not recorded, so faith does not change the order"
    if _key(faith) in NO_FAITH:
        return Decimal(1), f"The child's faith is recorded as {faith}, so faith does not change the order"
    if not _key(provider_faith):
        return Decimal(0), f"The provider's faith is not recorded (the child's is {faith})"
    if _key(provider_faith) == _key(faith):
        return Decimal(1), f"Shares the child's faith ({faith})"
    if _key(_main_faith(provider_faith)) == _key(_main_faith(faith)):
        # "Muslim" and "Muslim (Shia)", or two traditions of one faith: the faith is shared, and the
        # words say where the tradition differs or is not recorded.
        return Decimal(1), f"Shares the child's faith ({_main_faith(faith)}; the child's is {faith}, the " \
                           f"provider's {_shown(provider_faith)})"
    return Decimal(0), f"Does not share the child's faith ({faith})"


def _main_faith(faith: str) -> str:
    """The faith without its tradition: "Muslim (Shia)" gives "Muslim", "Christian (Orthodox)" "Christian"."""
    return faith.split("(", 1)[0].strip()


def _community(child_communities: Sequence[str], provider_communities: Sequence[str]) -> tuple[Decimal, str]:
    communities = _recorded(child_communities)
    if not communities:
        return Decimal(1), "the child's community is not recorded, so it does not change the order"
    theirs = {_key(community) for community in provider_communities if _key(community)}
    if not theirs:
        return Decimal(0), "the provider's communities are not recorded"
    shared = [community for community in communities if _key(community) in theirs]
    if shared:
        noun = "community" if len(shared) == 1 else "communities"
        return Decimal(1), f"shares the child's {noun} ({', '.join(shared)})"
    noun = "community" if len(communities) == 1 else "communities"
    return Decimal(0), f"does not share the child's {noun} ({', '.join(communities)})"


def _community_and_distance(child: ChildProfile, provider: ProviderProfile, weight: int) -> Contribution:
    # There is no geocoding: "near home" is read as the named area wanted, then the council's own area.
    wanted = _shown(child.area_wanted)
    area = _shown(provider.area)

    def contribution(share: Decimal, words: str) -> Contribution:
        return Contribution(COMMUNITY_AND_DISTANCE, _points(weight, share), weight, words)

    where = f" ({area})" if area else ""
    if wanted:
        if area and _key(area) == _key(wanted):
            return contribution(Decimal(1), f"In {area}, the area wanted")
        if provider.out_of_area:
            return contribution(
                Decimal(0), f"Outside the council's area{where}, not {wanted}, the area wanted"
            )
        if area:
            return contribution(
                Decimal("0.5"), f"In {area}, within the council's area but not {wanted}, the area wanted"
            )
        return contribution(
            Decimal("0.5"), f"Within the council's area, but its area is not recorded ({wanted} was wanted)"
        )
    if provider.out_of_area:
        return contribution(Decimal(0), f"Outside the council's area{where}; no area was asked for")
    return contribution(Decimal(1), f"Within the council's area{where}; no area was asked for")


def _needs(child: ChildProfile, provider: ProviderProfile, weight: int) -> Contribution:
    needs = _in_order(child.needs)
    if not needs:
        words = "The child has no needs recorded"
        return Contribution(NEEDS_CRITERION, _points(weight, Decimal(1)), weight, words)
    unmet = [need for need in needs if need not in provider.needs_met]
    met = len(needs) - len(unmet)
    total = len(needs)
    noun = "need" if total == 1 else "needs"
    if not unmet:
        words = f"Can meet the {noun}" if total == 1 else f"Can meet all {total} needs"
    else:
        words = f"Can meet {met} of {total} {noun}; not: {_and([NEEDS.get(need, need) for need in unmet])}"
    return Contribution(NEEDS_CRITERION, _points(weight, Decimal(met) / Decimal(total)), weight, words)


def _in_order(needs: frozenset[str]) -> list[str]:
    """The needs in the order of :data:`NEEDS`, then any other codes alphabetically."""
    known = [need for need in NEEDS if need in needs]
    return known + sorted(need for need in needs if need not in NEEDS)


def _cost(cost: Decimal, costs: Sequence[Decimal], weight: int) -> Contribution:
    lowest = min(costs)
    price = f"{format_money(cost)} a week"
    if len(costs) == 1:
        return Contribution(COST, _points(weight, Decimal(1)), weight, f"{price}, the only offer")
    if cost == 0 or cost <= lowest:
        words = f"{price}, the lowest of the {len(costs)} offers"
        return Contribution(COST, _points(weight, Decimal(1)), weight, words)
    return Contribution(
        COST,
        _points(weight, lowest / cost),
        weight,
        f"{price}, {format_money(cost - lowest)} more than the lowest ({format_money(lowest)})",
    )
