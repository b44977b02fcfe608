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
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from harbour.domain.ages import age_on  # noqa: F401  (the age on the date needed)

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


def hard_rule_refusals(child: ChildProfile, provider: ProviderProfile, on: date) -> tuple[str, ...]:
    """The hard rules the provider breaks for this child on the date needed, in words (empty when none).

    Checked in order: supported accommodation under 16; no vacancy; age outside the approval range;
    sex not one the provider is approved for. A child with no date of birth cannot be matched to
    an age range and is refused with a sentence that says so.
    """
    raise NotImplementedError


def score_offers(
    child: ChildProfile, offers: Sequence[OfferToScore], weights: Weights, on: date
) -> list[ScoredOffer]:
    """Every offer with its refusals or its score and the contribution of each criterion, best first.

    Refused offers come last, in the order given. Ties keep the order given.
    """
    raise NotImplementedError
