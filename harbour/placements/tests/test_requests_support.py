"""Shared set-up for the placement request tests: the people, providers and a child with needs.

Imported by the test modules (`from .test_requests_support import *`); it holds no tests itself.
"""

from __future__ import annotations

import datetime as dt
import itertools
import zoneinfo
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest

from harbour.accounts.models import PartnerAgency, Role
from harbour.placements.models import NeedsProfile, PlacementRequest, Provider

LONDON = zoneinfo.ZoneInfo("Europe/London")
TODAY = dt.date(2026, 11, 20)
NOW = dt.datetime(2026, 11, 20, 10, 0, tzinfo=LONDON)
NEEDED = dt.date(2026, 11, 27)
_numbers = itertools.count(1)

__all__ = ["LONDON", "NEEDED", "NOW", "TODAY", "People", "child", "make_provider", "make_request", "people",
           "provider_agency"]


@dataclass
class People:
    team: Any
    leader: Any
    worker: Any
    manager: Any
    officer: Any
    commissioner: Any
    other_worker: Any


@pytest.fixture
def people(make_team: Any, make_user: Any) -> People:
    team = make_team()
    return People(
        team=team,
        leader=make_user(Role.TEAM_LEADER, team=team),
        worker=make_user(Role.SOCIAL_WORKER, team=team),
        manager=make_user(Role.TEAM_MANAGER),
        officer=make_user(Role.PLACEMENTS_OFFICER),
        commissioner=make_user(Role.COMMISSIONING_OFFICER),
        other_worker=make_user(Role.SOCIAL_WORKER, team=make_team()),
    )


@pytest.fixture
def child(people: People, make_child: Any) -> Any:
    """A 15-year-old Afghan boy who speaks Pashto and Dari, Muslim, with needs recorded."""
    made = make_child(social_worker=people.worker, date_of_birth=dt.date(2011, 5, 20), given_names="Dawit",
                      family_name="Tesfay", sex="M", first_language="Pashto", other_languages="Dari, English",
                      religion="Muslim", nationality="Afghan", is_uasc=True)
    NeedsProfile.objects.create(child=made, needs=["trauma", "esol", "education"],
                                needs_detail="Nightmares since the journey; council eyes only")
    return made


@pytest.fixture
def provider_agency(make_agency: Any) -> Any:
    def make(name: str | None = None, email: str = "") -> PartnerAgency:
        agency = make_agency(kind=PartnerAgency.Kind.PROVIDER, name=name)
        if email:
            agency.email = email
            agency.save()
        return agency
    return make


@pytest.fixture
def make_provider(db: Any) -> Any:
    def make(**fields: Any) -> Provider:
        n = next(_numbers)
        kind = fields.pop("kind", Provider.Kind.FOSTER_CARER)
        defaults: dict[str, Any] = {
            "name": f"Provider {n:04d}", "kind": kind, "place_type": "U6",
            "place_provider": "PR1" if kind in Provider.IN_HOUSE_KINDS else "PR4",
            "places": 2, "vacancies": 1, "ages_from": 0, "ages_to": 17, "cost_per_week": Decimal("850"),
            "area": "Harbourside", "languages": "English", "faith": "", "communities": "",
        }
        if kind == Provider.Kind.SUPPORTED_ACCOMMODATION:
            defaults.update(place_type="K3", ages_from=16)
        elif kind == Provider.Kind.CHILDRENS_HOME:
            defaults.update(place_type="K2")
        defaults.update(fields)
        return Provider.objects.create(**defaults)
    return make


@pytest.fixture
def make_request(people: People) -> Any:
    from harbour.placements import services_requests as services

    def make(child: Any, *, actor: Any = None, needed_from: dt.date = NEEDED, area_wanted: str = "Harbourside",
             summary: str = "Needs a calm home near a college with ESOL classes", referral: Any = None,
             send: bool = False) -> PlacementRequest:
        actor = actor or people.officer
        request = services.request_create(actor=actor, child=child, needed_from=needed_from, area_wanted=area_wanted,
                                          summary_for_providers=summary, referral=referral, now=NOW, today=TODAY)
        if send:
            services.request_send(actor=actor, request=request, now=NOW, today=TODAY)
            request.refresh_from_db()
        return request
    return make
