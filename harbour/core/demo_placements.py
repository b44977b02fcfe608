"""The demo council's placement directory: in-house carers, lodgings and units, and outside providers.

Made up, like the rest of the demo, but with real postcodes (demo_data.IN_AREA_POSTCODES: the return's
validator looks them up). The demo's placements that name a directory provider are linked to it,
so their SSDA903 coding (provider code, URN, postcode, cost) comes from the directory.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from harbour.core import demo_data as data
from harbour.core.demo_order import by_child

AREAS = ("Central", "North", "South")


def area_for(postcode: str) -> str:
    """The demo's area of an in-area postcode (demo_data.IN_AREA_POSTCODES), Central when not listed."""
    return next((area for area, codes in data.IN_AREA_POSTCODES.items() if postcode in codes), AREAS[0])


# name, languages, faith, communities, needs met, ages, places, sexes, mockingbird
IN_HOUSE_FOSTER_CARERS = (
    ("Mr and Mrs Rahimi", "English, Dari, Farsi", "Muslim", "Afghan, Iranian",
     ["trauma", "education", "esol", "faith_practice", "diet"], (11, 17), 2, "M", "hub"),
    ("Ms Haile", "English, Tigrinya, Amharic", "Christian (Orthodox)", "Eritrean, Ethiopian",
     ["trauma", "education", "esol", "faith_practice"], (8, 17), 2, "any", "satellite"),
    ("Mr and Mrs Yusuf", "English, Arabic", "Muslim", "Sudanese, Egyptian",
     ["education", "esol", "faith_practice", "diet", "mental_health"], (10, 17), 1, "any", "satellite"),
    ("Mrs Thompson", "English", "Christian", "British",
     ["health", "education", "disability"], (0, 12), 2, "any", ""),
    ("Mr and Mr Okafor", "English, Yoruba", "Christian", "Nigerian, British",
     ["trauma", "education", "missing", "exploitation"], (12, 17), 1, "M", ""),
    ("Ms and Ms Campbell", "English, French", "No religion", "British",
     ["mental_health", "self_harm", "education"], (10, 17), 1, "F", "satellite"),
    ("Mr and Mrs Hussain", "English, Urdu, Pashto", "Muslim", "Afghan, Pakistani",
     ["esol", "faith_practice", "diet", "education"], (12, 17), 2, "M", "satellite"),
    ("Mrs Nowak", "English, Polish", "Christian (Catholic)", "Polish, British",
     ["education", "health"], (5, 15), 1, "any", ""),
)
SUPPORTED_LODGINGS_HOSTS = (
    ("Mr Mensah (supported lodgings)", "English, Twi", "Christian", "Ghanaian", ["education", "esol"]),
    ("Mrs Begum (supported lodgings)", "English, Bengali, Arabic", "Muslim", "Bangladeshi",
     ["esol", "faith_practice", "diet"]),
    ("Ms Tesfay (supported lodgings)", "English, Tigrinya", "Christian (Orthodox)", "Eritrean",
     ["esol", "trauma"]),
)
# Registered settings, the council's own among them (PR1).
# name, kind, languages, faith, communities, needs met, ages, places, cost, sector, out of area, agency
REGISTERED_SETTINGS = (
    ("Willow Court children's home (Harbourside Council)", "childrens_home", "English, Pashto", "", "Afghan",
     ["trauma", "mental_health", "education", "missing"], (10, 17), 4, "4100", "PR1", False, False),
    ("Elm Lodge children's home (Lighthouse Care)", "childrens_home", "English, Arabic", "", "Syrian",
     ["trauma", "mental_health", "missing", "exploitation", "self_harm"], (12, 17), 4, "4850", "PR4", False, True),
    ("Saltmarsh House (Lighthouse Care)", "childrens_home", "English", "", "",
     ["trauma", "offending", "substances", "missing"], (13, 17), 3, "5200", "PR4", True, True),
    ("Beacon House children's home", "childrens_home", "English, Kurdish Sorani", "", "Kurdish",
     ["trauma", "mental_health", "education"], (11, 17), 5, "4400", "PR5", False, False),
    ("Quayside Supported Lodgings", "supported_accommodation", "English, Dari, Pashto", "", "Afghan",
     ["esol", "education"], (16, 17), 6, "950", "PR5", False, False),
    ("Aspire Supported Living, Marina Road", "supported_accommodation", "English, Arabic, Tigrinya", "",
     "Eritrean, Sudanese", ["esol", "education", "trauma"], (16, 17), 8, "1150", "PR4", False, False),
    ("Anchor Youth Housing, Dock House", "supported_accommodation", "English", "", "",
     ["education", "missing"], (16, 17), 10, "880", "PR5", True, False),
    ("Compass Supported Accommodation, Mill Lane", "supported_accommodation", "English, Farsi, Kurdish Sorani",
     "", "Iranian, Kurdish", ["esol", "mental_health"], (16, 17), 6, "1080", "PR4", True, False),
    ("Harbourside Foyer", "supported_accommodation", "English", "", "", ["education"], (16, 17), 12, "760",
     "PR5", False, False),
    ("Brightwater Fostering", "fostering_agency", "English, Arabic, Dari", "Muslim", "Afghan, Syrian",
     ["trauma", "esol", "education", "faith_practice"], (8, 17), 6, "1050", "PR4", True, False),
    ("Northstar Family Placements", "fostering_agency", "English, Tigrinya, Amharic", "Christian",
     "Eritrean, Ethiopian", ["trauma", "esol", "education"], (0, 17), 4, "980", "PR5", True, False),
)


def seed_directory(*, agencies: dict[str, Any], today: dt.date, seed: int) -> dict[str, int]:
    """Write the demo directory and link the demo's placements to it, in the caller's transaction."""
    from django.utils import timezone

    from harbour.placements.models import MatchingSettings, Placement, Provider

    rng = random.Random(seed + 4)
    stamp = timezone.now() - dt.timedelta(hours=rng.randint(2, 30))

    def in_area_postcode() -> str:
        return rng.choice(data.ALL_IN_AREA_POSTCODES)

    def out_of_area_postcode() -> str:
        return rng.choice(data.OUT_OF_AREA_POSTCODES)

    def urn() -> str:
        return f"SC{rng.randint(100000, 999999)}"

    providers: list[Provider] = []
    for name, languages, faith, communities, needs, (low, high), places, sexes, hub in IN_HOUSE_FOSTER_CARERS:
        postcode = in_area_postcode()
        providers.append(Provider(
            name=name, kind=Provider.Kind.FOSTER_CARER, postcode=postcode, area=area_for(postcode),
            ages_from=low, ages_to=high, places=places, sexes=sexes, languages=languages, faith=faith,
            communities=communities, needs_met=needs, mockingbird=hub, cost_per_week=Decimal("480"),
            place_type="U6", place_provider="PR1", vacancies=rng.randint(0, places), ofsted_urn=data.COUNCIL_FOSTERING_URN,
            registration="Approved by the Harbourside fostering panel",
        ))
    for name, languages, faith, communities, needs in SUPPORTED_LODGINGS_HOSTS:
        postcode = in_area_postcode()
        providers.append(Provider(
            name=name, kind=Provider.Kind.SUPPORTED_LODGINGS, postcode=postcode, area=area_for(postcode),
            ages_from=16, ages_to=17, places=1, languages=languages, faith=faith, communities=communities,
            needs_met=needs, cost_per_week=Decimal("350"), place_type="K3", place_provider="PR1", vacancies=1,
            ofsted_urn=urn(), registration="Harbourside supported lodgings service, registered with Ofsted",
        ))
    postcode = in_area_postcode()
    providers.append(Provider(
        name=data.INTAKE_BASE, kind=Provider.Kind.INTAKE_BASE, postcode=postcode, area=area_for(postcode),
        ages_from=16, ages_to=17, places=6, languages="English, Arabic, Dari, Pashto, Tigrinya",
        needs_met=["esol", "education", "trauma", "diet"], cost_per_week=Decimal("1250"), place_type="K3",
        place_provider="PR1", vacancies=2, ofsted_urn=urn(),
        registration="Registered supported accommodation, Harbourside Council",
    ))
    for number in (1, 2):
        postcode = in_area_postcode()
        providers.append(Provider(
            name=f"Harbourside semi-independent flat {number}, Wharf Street", kind=Provider.Kind.SEMI_INDEPENDENT_FLAT,
            postcode=postcode, area=area_for(postcode), ages_from=16, ages_to=17, places=2,
            languages="English", needs_met=["education"], cost_per_week=Decimal("620"), place_type="K3",
            place_provider="PR1", vacancies=number - 1, ofsted_urn=urn(),
            registration="Registered supported accommodation, Harbourside Council",
        ))
    provider_agency = agencies.get("provider")
    for (name, kind, languages, faith, communities, needs, (low, high), places, cost, sector, away,
         own_agency) in REGISTERED_SETTINGS:
        postcode = out_of_area_postcode() if away else in_area_postcode()
        place_type = {"childrens_home": "K2", "fostering_agency": "U6"}.get(kind, "K3")
        providers.append(Provider(
            name=name, kind=kind, postcode=postcode, area="Outside Harbourside" if away else area_for(postcode),
            out_of_area=away, ages_from=low, ages_to=high, places=places, languages=languages, faith=faith,
            communities=communities, needs_met=needs, cost_per_week=Decimal(cost), place_type=place_type,
            place_provider=sector, vacancies=rng.randint(0, min(places, 3)), ofsted_urn=urn(),
            registration="Registered with Ofsted", partner_agency=provider_agency if own_agency else None,
        ))
    for provider in providers:
        provider.vacancies_updated_at = stamp
    Provider.objects.bulk_create(providers)

    # The demo's placements with a directory provider take their coding from it.
    by_name = {provider.name: provider for provider in providers}
    linked = []
    for placement in Placement.objects.filter(carer_or_provider__in=by_name):
        provider = by_name[placement.carer_or_provider]
        placement.provider = provider
        placement.place_provider = provider.place_provider
        placement.urn = provider.ofsted_urn
        placement.postcode = provider.postcode
        placement.out_of_area = provider.out_of_area
        placement.cost_per_week = provider.cost_per_week
        linked.append(placement)
    Placement.objects.bulk_update(linked, ["provider", "place_provider", "urn", "postcode", "out_of_area",
                                           "cost_per_week"], batch_size=500)
    # In-house foster placements: the council's own carers (PR1); outside homes named in the demo's
    # history without a directory entry are private (PR4).
    Placement.objects.filter(provider__isnull=True, placement_type__in=["U4", "U6"]).update(place_provider="PR1")
    Placement.objects.filter(provider__isnull=True).exclude(placement_type__in=["U4", "U6"]).update(
        place_provider="PR4")
    MatchingSettings.current()
    profiles = seed_needs_profiles(rng)
    return {"providers in the directory": len(providers), "placements linked to the directory": len(linked),
            "needs profiles": profiles}


# Most unaccompanied children need help with English and into school; many carry trauma.
UASC_NEEDS = (("esol", 9), ("education", 8), ("trauma", 6), ("faith_practice", 4), ("diet", 3),
              ("mental_health", 3), ("exploitation", 2), ("missing", 1), ("health", 2))


def seed_needs_profiles(rng: random.Random) -> int:
    """A needs profile for every unaccompanied child the demo knows, so requests are built from the record."""
    from harbour.children.models import Child
    from harbour.placements.models import NeedsProfile

    profiles = []
    for child in Child.unscoped.filter(is_uasc=True).order_by(*by_child()):
        needs = sorted({code for code, weight in UASC_NEEDS if rng.random() < weight / 10})
        profiles.append(NeedsProfile(
            child=child, needs=needs,
            needs_detail="Demo: the social worker's own notes on these needs, for the council only."))
    NeedsProfile.objects.bulk_create(profiles)
    return len(profiles)
