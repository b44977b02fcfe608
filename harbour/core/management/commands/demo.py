"""harbour demo: load a made-up council, Harbourside, with staff in every role and children whose
histories make the statutory deadlines real.

The build has two steps. `build_plan` is pure: from `random.Random(seed)` and today's date it
decides every person and every date. `write_plan` saves the plan in one transaction with bulk
inserts. The same seed gives the same council; dates are counted back from today, so reviews,
visits and assessments are due, met or overdue whenever the demo is loaded.

Every account shares one password, DEMO_PASSWORD. It exists only for the demo council.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import time
import unicodedata
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from harbour.core import demo_data as data
from harbour.core.calendar import council_calendar
from harbour.core.demo_intake import seed_intake, seed_sample_referrals
from harbour.core.demo_placements import seed_directory
from harbour.core.demo_return import complete_return_coding
from harbour.domain import timescales as ts
from harbour.domain.ages import add_months, age_on, birthday
from harbour.domain.names import search_key, sound_key
from harbour.domain.types import Period
from harbour.forecasting.demo_history import write_history
from harbour.leaving_care.demo import seed_journey
from harbour.reporting.demo import seed_nts_history
from harbour.returns.demo import seed_return_facts
from harbour.reviews.demo import seed_reviews

DEMO_PASSWORD = "harbour-demo-2026"  # only for the made-up demo council; printed with the sign-ins
DEFAULT_CHILDREN = 120
DEFAULT_SEED = 2026
MAX_CHILDREN = 20_000
CHILDREN_PER_SOCIAL_WORKER = 15
CHILDREN_PER_IRO = 60
YOUNG_PEOPLE_PER_ADVISER = 22
FEATURED_CASELOAD = 10

CIC_TEAMS = ("Children in care team 1", "Children in care team 2", "Children in care team 3")
LEAVING_CARE = "Leaving care team"
REVIEWING = "Independent reviewing service"
PLACEMENTS = "Placements and commissioning"
PERFORMANCE = "Performance and insight"
DIRECTORATE = "Directorate"
TEAMS = (
    *((name, "Children in care") for name in CIC_TEAMS),
    (LEAVING_CARE, "Leaving care"),
    (REVIEWING, "Quality assurance"),
    (PLACEMENTS, "Placements and commissioning"),
    (PERFORMANCE, "Performance"),
    (DIRECTORATE, "Directorate"),
)
# kind: (name, email)
AGENCIES = {
    "health": ("Harbourside Community Health NHS Trust", "lac.health@harbourside.example"),
    "education": ("Harbourside Virtual School", "virtual.school@harbourside.example"),
    "police": ("Harbourside Police", "public.protection@harbourside.example"),
    "mash": ("Harbourside MASH", "mash@harbourside.example"),
    "provider": ("Lighthouse Care Ltd", "referrals@lighthousecare.example"),
}

# The memorable sign-ins, in the order the table prints them.
# username, first name, last name, role, team, job title, caseload limit, agency
PRIMARY_STAFF: tuple[tuple[str, str, str, str, str, str, int | None, str], ...] = (
    ("socialworker", "Grace", "Mensah", "social_worker", CIC_TEAMS[0], "Social worker", 18, ""),
    ("teamleader", "Priya", "Sharma", "team_leader", CIC_TEAMS[0], "Team leader, children in care team 1", None, ""),
    ("teammanager", "David", "Clarke", "team_manager", CIC_TEAMS[0], "Team manager, children in care", None, ""),
    ("iro", "Siobhan", "Murphy", "iro", REVIEWING, "Independent reviewing officer", 70, ""),
    ("iromanager", "Tomasz", "Nowak", "iro_manager", REVIEWING, "Manager, independent reviewing service", None, ""),
    ("personaladviser", "Jamal", "Ahmed", "personal_adviser", LEAVING_CARE, "Personal adviser", 25, ""),
    ("placements", "Helen", "Davies", "placements_officer", PLACEMENTS, "Placements officer", None, ""),
    ("commissioning", "Rajesh", "Patel", "commissioning_officer", PLACEMENTS, "Commissioning officer", None, ""),
    ("director", "Margaret", "Osei-Bonsu", "director", DIRECTORATE, "Director of children's services", None, ""),
    ("analyst", "Wei", "Chen", "performance_analyst", PERFORMANCE, "Performance analyst", None, ""),
    ("admin", "Alex", "Turner", "administrator", "", "Harbour administrator", None, ""),
    ("health", "Fiona", "MacLeod", "partner", "", "Designated nurse for children in care", None, "health"),
    ("police", "Mark", "Wilson", "partner", "", "Detective constable, public protection unit", None, "police"),
)
OTHER_PARTNERS = (
    ("virtualschool", "Yetunde", "Adebayo", "partner", "", "Virtual school head", None, "education"),
    ("mash", "Lucy", "Brennan", "partner", "", "MASH coordinator", None, "mash"),
    ("provider", "Kwame", "Boateng", "partner", "", "Registered manager, Elm Lodge", None, "provider"),
)
PRIMARY_USERNAMES = tuple(row[0] for row in PRIMARY_STAFF)
ROLE_LABELS = {
    "social_worker": "Social worker", "team_leader": "Team leader", "team_manager": "Team manager",
    "iro": "Independent reviewing officer", "iro_manager": "IRO manager",
    "personal_adviser": "Personal adviser", "placements_officer": "Placements officer",
    "commissioning_officer": "Commissioning officer", "director": "Director of children's services",
    "performance_analyst": "Performance analyst", "partner": "Partner agency user",
    "administrator": "Administrator",
}

HEALTH_BASIS = "Children Act 1989 s22 and SI 2010/959 reg 7 / UK GDPR Art 6(1)(e), 9(2)(h)"
POLICE_BASIS = "Children Act 1989 s47 / UK GDPR Art 6(1)(e), 9(2)(g)"

T = TypeVar("T")
DAY = dt.timedelta(days=1)


# --- The plan ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StaffMember:
    username: str
    first_name: str
    last_name: str
    role: str
    team: str
    job_title: str
    caseload_limit: int | None = None
    agency: str = ""
    is_staff: bool = False
    is_superuser: bool = False


@dataclass(frozen=True)
class DateOfBirthPlan:
    date_of_birth: dt.date
    source: str
    note: str
    recorded_on: dt.date
    in_use: bool


@dataclass(frozen=True)
class PlacementPlan:
    start: dt.date
    end: dt.date | None
    placement_type: str
    carer_or_provider: str
    postcode: str
    long_term: bool


@dataclass(frozen=True)
class NotePlan:
    kind: str
    at: dt.datetime  # naive, in the council's time zone
    title: str
    description: str
    by: str


@dataclass
class ChildPlan:
    """One child and their history. Dates only; users are named by username."""

    kind: str  # uasc, care, leaver
    identity: dict[str, Any]
    date_of_birth: dt.date
    date_of_birth_source: str
    uuid: uuid.UUID
    origin: str = ""
    dates_of_birth: list[DateOfBirthPlan] = field(default_factory=list)
    names: list[tuple[str, str]] = field(default_factory=list)
    periods: list[tuple[dt.date, dt.date | None, str]] = field(default_factory=list)
    legal: list[tuple[str, dt.date, dt.date | None]] = field(default_factory=list)
    placements: list[PlacementPlan] = field(default_factory=list)
    care_plans: list[dt.date] = field(default_factory=list)
    reviews: list[tuple[dt.date, str, str]] = field(default_factory=list)
    visits: list[tuple[dt.date, bool | None, str]] = field(default_factory=list)
    health: list[dt.date] = field(default_factory=list)
    peps: list[dt.date] = field(default_factory=list)
    needs: list[dt.date] = field(default_factory=list)
    notes: list[NotePlan] = field(default_factory=list)
    # (kind, username, start, end)
    allocations: list[tuple[str, str, dt.date, dt.date | None]] = field(default_factory=list)
    # Things the planner uses while it builds; not saved.
    arrival_via_nts: bool = False
    age_assessed_on: dt.date | None = None
    overdue: set[str] = field(default_factory=set)

    @property
    def in_care(self) -> bool:
        return self.kind != "leaver"

    @property
    def given_names(self) -> str:
        return str(self.identity["given_names"])

    @property
    def family_name(self) -> str:
        return str(self.identity["family_name"])


@dataclass
class CouncilPlan:
    seed: int
    today: dt.date
    staff: list[StaffMember]
    children: list[ChildPlan]
    # (child index, agency kind, purpose, legal basis)
    grants: list[tuple[int, str, str, str]]

    def identities(self) -> list[tuple[str, str, dt.date]]:
        return [(c.given_names, c.family_name, c.date_of_birth) for c in self.children]


def _weighted(rng: random.Random, options: Sequence[tuple[T, int]]) -> T:
    return rng.choices([o[0] for o in options], weights=[o[1] for o in options])[0]


def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in folded if "a" <= c <= "z" or c.isdigit())


def _plain(text: str) -> str:
    """Text without accents, as English-language records often write Vietnamese and other names."""
    text = text.replace("Đ", "D").replace("đ", "d")
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _a(word: str) -> str:
    return f"an {word}" if word[:1].lower() in "aeiou" else f"a {word}"


def _upn(rng: random.Random, la_code: str, year: int) -> str:
    """A unique pupil number with a correct check letter (DfE: weights 2 to 13, modulus 23)."""
    body = f"{la_code}{rng.randint(2001, 4999):04d}{year % 100:02d}{rng.randint(1, 999):03d}"
    total = sum(int(char) * weight for weight, char in enumerate(body, start=2))
    return "ABCDEFGHJKLMNPQRTUVWXYZ"[total % 23] + body


class _Planner:
    def __init__(self, children: int, seed: int, today: dt.date) -> None:
        self.n = children
        self.seed = seed
        self.today = today
        self.rng = random.Random(seed)
        self.ids = random.Random(f"harbour-demo-ids-{seed}")
        self.calendar = council_calendar()
        self.terms = ts.default_school_terms(today.year - 25, today.year + 2)
        self.used_references: set[str] = set()
        self.provider_postcodes: dict[str, str] = {}

    # -- helpers ----------------------------------------------------------------------------

    def uuid(self) -> uuid.UUID:
        return uuid.UUID(int=self.ids.getrandbits(128), version=4)

    def days(self, low: int, high: int) -> dt.timedelta:
        return dt.timedelta(days=self.rng.randint(low, high))

    def postcode(self) -> str:
        return self.rng.choice(data.ALL_IN_AREA_POSTCODES)

    def provider_postcode(self, provider: str) -> str:
        if provider not in self.provider_postcodes:
            self.provider_postcodes[provider] = self.postcode()
        return self.provider_postcodes[provider]

    def dob_for_age(self, age: int) -> dt.date:
        """A date of birth that makes the child `age` today."""
        if age == 0:
            return self.today - self.days(7, 360)
        youngest = add_months(self.today, -12 * age)
        return youngest - self.days(0, 364)

    # -- the whole council ------------------------------------------------------------------

    def plan(self) -> CouncilPlan:
        children = [self.child(kind, index) for index, kind in enumerate(self.kinds())]
        staff, rota = self.staff(children)
        self.allocate(children, staff, rota)
        self.mark_overdue(children)
        for child in children:
            self.history(child)
        grants = self.grants(children)
        return CouncilPlan(seed=self.seed, today=self.today, staff=staff, children=children, grants=grants)

    def kinds(self) -> list[str]:
        """About 40% unaccompanied children in care, 15% care leavers (two in five of them
        former UASC, so about 46% UASC in all), the rest in care for other reasons."""
        leavers = round(self.n * 0.15)
        uasc = max(1, round(self.n * 0.40))
        leavers = min(leavers, self.n - uasc)
        care = self.n - uasc - leavers
        rest = ["uasc"] * (uasc - 1) + ["care"] * care + ["leaver"] * leavers
        self.rng.shuffle(rest)
        return ["featured", *rest]

    # -- identity ---------------------------------------------------------------------------

    def child(self, kind: str, index: int) -> ChildPlan:
        if kind == "featured":
            return self.featured_child()
        if kind == "uasc":
            return self.uasc_child()
        if kind == "care":
            return self.care_child()
        former_uasc = self.rng.random() < 0.4
        return self.leaver(former_uasc)

    def home_office_reference(self) -> str:
        while True:
            reference = f"{self.rng.choice('BCDFGHKMNST')}{self.rng.randint(1_000_000, 9_999_999)}"
            if reference not in self.used_references:
                self.used_references.add(reference)
                return reference

    def port_reference(self) -> str:
        port = _weighted(self.rng, (("DVR", 8), ("LHR", 1), ("MAN", 1)))
        return f"{port}/{self.rng.randint(10000, 99999)}"

    def uasc_names(self, origin: data.Origin, sex: str) -> tuple[str, str, str, str, list[tuple[str, str]]]:
        """(given names, family name, preferred name, name in original script, other names)."""
        rng = self.rng
        given = rng.choice(origin.female if sex == "F" and origin.female else origin.male)
        family = rng.choice(origin.family)
        others: list[tuple[str, str]] = []
        convention = origin.convention
        if convention == "vietnamese":
            middle = rng.choice(data.VIETNAMESE_MIDDLE[sex if sex == "F" else "M"])
            given_names = f"{middle} {given.latin}"
            original = f"{family.latin} {given_names}"
            others.append(("spelling", _plain(original)))
            others.append(("alias", f"{_plain(given.latin)} {_plain(family.latin)}"))
            return given_names, family.latin, given.latin, original, others
        if convention == "single_or_family" and rng.random() < 0.25:
            family_latin, family_script = "", ""
        else:
            family_latin, family_script = family.latin, family.script
            if convention == "nasab":  # father's and grandfather's names
                grandfather = rng.choice(origin.family)
                if grandfather.latin != family.latin:
                    family_latin = f"{family.latin} {grandfather.latin}"
                    family_script = f"{family.script} {grandfather.script}"
        script = " ".join(part for part in (given.script, family_script) if part)
        full = " ".join(part for part in (given.latin, family_latin) if part)
        if given.variants and rng.random() < 0.55:
            others.append(("spelling", " ".join(p for p in (rng.choice(given.variants), family_latin) if p)))
        if family_latin and family.variants and rng.random() < 0.35:
            others.append(("spelling", f"{given.latin} {rng.choice(family.variants)}"))
        if convention == "patronymic" and rng.random() < 0.45:
            grandfather = rng.choice(origin.family)
            if grandfather.latin != family.latin:
                others.append(("alias", f"{full} {grandfather.latin}"))
        if not family_latin and rng.random() < 0.6:
            # The Home Office needs two names; it often repeats the one given.
            others.append(("alias", f"{given.latin} {given.latin}"))
        return given.latin, family_latin, "", script, others

    def uasc_identity(self, origin: data.Origin, sex: str) -> tuple[dict[str, Any], list[tuple[str, str]]]:
        rng = self.rng
        given, family, preferred, script, others = self.uasc_names(origin, sex)
        language = _weighted(rng, origin.languages)
        other_languages = ""
        if origin.other_languages and rng.random() < 0.6:
            picks = [o for o in rng.sample(origin.other_languages, k=min(2, len(origin.other_languages))) if o != language]
            other_languages = ", ".join(picks)
        identity = {
            "given_names": given,
            "family_name": family,
            "preferred_name": preferred,
            "names_in_original_script": script,
            "sex": sex,
            "ethnicity": _weighted(rng, origin.ethnicities),
            "nationality": origin.nationality,
            "first_language": language,
            "other_languages": other_languages,
            "interpreter_needed": rng.random() < (0.6 if origin.key == "albanian" else 0.92),
            "religion": _weighted(rng, origin.religions),
            "upn": "",
            "upn_unknown_reason": "UN2",
            "home_office_reference": self.home_office_reference(),
            "port_reference": self.port_reference() if rng.random() < 0.55 else "",
            "is_uasc": True,
        }
        return identity, others

    def uasc_dates_of_birth(
        self, child: ChildPlan, arrival: dt.date, claimed_shift: int | None, assessed_on: dt.date | None,
        home_office: str | None,
    ) -> None:
        """Claimed, Home Office and assessed dates of birth; the assessed one is in use where present."""
        in_use = child.date_of_birth
        claimed = in_use + dt.timedelta(days=claimed_shift) if assessed_on and claimed_shift is not None else in_use
        records = [DateOfBirthPlan(claimed, "claimed", "Given by the child on arrival", arrival, assessed_on is None)]
        if home_office:
            ho_date = dt.date(claimed.year, 1, 1) if home_office == "first_january" else claimed - dt.timedelta(days=365)
            recorded = min(arrival + self.days(1, 20), self.today)
            records.append(DateOfBirthPlan(
                ho_date, "home_office", "From the Home Office's record of the asylum claim", recorded, False,
            ))
        if assessed_on:
            note = ("Age assessment accepted the age the child gave" if in_use == claimed
                    else "Merton-compliant age assessment by two social workers, with an interpreter")
            records.append(DateOfBirthPlan(in_use, "assessed", note, assessed_on, True))
            child.age_assessed_on = assessed_on
        child.dates_of_birth = records
        child.date_of_birth_source = "assessed" if assessed_on else "claimed"

    def featured_child(self) -> ChildPlan:
        featured = data.FEATURED_CHILD
        dob = add_months(self.today, -(16 * 12 + 4)) - dt.timedelta(days=9)
        identity = {
            "given_names": featured["given_names"], "family_name": featured["family_name"],
            "preferred_name": "", "names_in_original_script": featured["names_in_original_script"],
            "sex": "M", "ethnicity": "AOTH", "nationality": "Afghan", "first_language": "Dari",
            "other_languages": "Pashto, some English", "interpreter_needed": True, "religion": "Muslim (Sunni)",
            "upn": "", "upn_unknown_reason": "UN2", "home_office_reference": self.home_office_reference(),
            "port_reference": f"DVR/{self.rng.randint(10000, 99999)}", "is_uasc": True,
        }
        child = ChildPlan("uasc", identity, dob, "assessed", self.uuid(), origin="afghan")
        child.names = [("spelling", name) for name in featured["spellings"]]
        arrival = self.today - dt.timedelta(days=150)
        self.uasc_dates_of_birth(child, arrival, 396, arrival + dt.timedelta(days=70), "first_january")
        child.arrival_via_nts = True
        child.periods = [(arrival, None, "")]
        child.legal = [("V2", arrival, None)]
        # He said he was 15 when he arrived, so he went to foster carers rather than supported accommodation.
        first_end = arrival + dt.timedelta(days=9)
        child.placements = [
            PlacementPlan(arrival, first_end, "U6", "Ms Ashworth (emergency foster carer)", self.postcode(), False),
            PlacementPlan(first_end, None, "U6", "Mr and Mrs Rahimi (Dari-speaking foster carers)",
                          self.postcode(), False),
        ]
        return child

    def uasc_child(self) -> ChildPlan:
        rng = self.rng
        origin = _weighted(rng, [(o, o.weight) for o in data.ORIGINS])
        sex = "M" if rng.random() < 0.95 else "F"
        age = _weighted(rng, ((13, 2), (14, 6), (15, 17), (16, 35), (17, 40)))
        dob = self.dob_for_age(age)
        identity, others = self.uasc_identity(origin, sex)
        child = ChildPlan("uasc", identity, dob, "claimed", self.uuid(), origin=origin.key)
        child.names = others
        band = _weighted(rng, (((2, 30), 15), ((31, 180), 30), ((181, 540), 35), ((541, 1000), 20)))
        arrival = self.today - self.days(*band)
        arrival = max(arrival, add_months(dob, 13 * 12) + self.days(0, 200))
        arrival = min(arrival, self.today - DAY * 2)
        self.uasc_arrival(child, arrival, origin)
        return child

    def uasc_arrival(self, child: ChildPlan, arrival: dt.date, origin: data.Origin, end: dt.date | None = None) -> None:
        rng = self.rng
        in_care_days = ((end or self.today) - arrival).days
        assessed_on = None
        shift = None
        if in_care_days > 90 and rng.random() < 0.25:
            assessed_on = arrival + self.days(40, min(200, in_care_days - 10))
            shift = 0 if rng.random() < 0.3 else rng.randint(180, 900)
            claimed = child.date_of_birth + dt.timedelta(days=shift)
            if claimed >= arrival - dt.timedelta(days=365 * 10):
                shift = 0
        home_office = None
        if rng.random() < 0.45:
            home_office = "first_january" if rng.random() < 0.6 else "older"
        self.uasc_dates_of_birth(child, arrival, shift, assessed_on, home_office)
        child.arrival_via_nts = rng.random() < 0.75
        reason = "" if end is None else _weighted(rng, (("E5", 6), ("E6", 1), ("E17", 2), ("E8", 1)))
        child.periods = [(arrival, end, reason)]
        child.legal = [("V2", arrival, end)]
        child.placements = self.uasc_placements(child, arrival, end, origin)
        if child.identity["interpreter_needed"] and in_care_days > 540 and rng.random() < 0.5:
            child.identity["interpreter_needed"] = False
        age_now = age_on(child.date_of_birth, min(self.today, end or self.today))
        if child.kind == "uasc" and age_now < 16 and in_care_days > 120 and rng.random() < 0.6:
            child.identity["upn"] = _upn(rng, "999", (arrival + self.days(30, 90)).year)
            child.identity["upn_unknown_reason"] = ""

    def uasc_placements(
        self, child: ChildPlan, arrival: dt.date, end: dt.date | None, origin: data.Origin,
    ) -> list[PlacementPlan]:
        rng = self.rng
        horizon = end or self.today
        older = age_on(child.date_of_birth, arrival) >= 16
        intake_days = rng.randint(3, 28)
        if older:
            first = (data.INTAKE_BASE, "K3")
        else:
            first = (f"{rng.choice(data.CARER_TITLES)} {rng.choice(data.CARER_FAMILY)} (emergency foster carers)", "U6")
        spans: list[tuple[str, str, bool]] = [(first[0], first[1], False)]
        starts = [arrival]
        cursor = arrival + dt.timedelta(days=intake_days)
        while cursor <= horizon:
            age = age_on(child.date_of_birth, cursor)
            if age >= 16:
                kind = _weighted(rng, (("K3", 65), ("U6", 25), ("K2", 10)))
            else:
                kind = _weighted(rng, (("U6", 80), ("K2", 10), ("U4", 10)))
            spans.append(self.carer(kind, origin))
            starts.append(cursor)
            if rng.random() < 0.7:
                break
            cursor = cursor + self.days(120, 500)
        return self.placement_rows(spans, starts, end)

    def carer(self, kind: str, origin: data.Origin | None = None) -> tuple[str, str, bool]:
        rng = self.rng
        if kind == "K3":
            return rng.choice(data.SUPPORTED_ACCOMMODATION), kind, False
        if kind == "K2":
            return rng.choice(data.CHILDRENS_HOMES), kind, False
        if origin is not None and rng.random() < 0.35:
            family = rng.choice(origin.family).latin
        else:
            family = rng.choice(data.CARER_FAMILY)
        return f"{rng.choice(data.CARER_TITLES)} {family}", kind, kind == "U4"

    def placement_rows(
        self, spans: list[tuple[str, str, bool]], starts: list[dt.date], end: dt.date | None,
    ) -> list[PlacementPlan]:
        rows = []
        for i, (carer, kind, long_term) in enumerate(spans):
            # A placement ends on the day the next begins: the changeover day, as SSDA903 DEC is.
            finish = starts[i + 1] if i + 1 < len(starts) else end
            if kind in {"K2", "K3"}:
                postcode = self.provider_postcode(carer)
            else:
                postcode = self.postcode()
            rows.append(PlacementPlan(starts[i], finish, kind, carer, postcode, long_term))
        return rows

    def english_identity(self, sex: str) -> dict[str, Any]:
        rng = self.rng
        ethnicity = _weighted(rng, data.CARE_ETHNICITIES)
        boy = sex == "M"
        english = data.ENGLISH_BOYS if boy else data.ENGLISH_GIRLS
        family_pool: Sequence[str] = data.ENGLISH_FAMILY
        given_pool: Sequence[str] = english
        religion = _weighted(rng, (("", 4), ("No religion", 3), ("Christian", 2), ("Christian (Catholic)", 1)))
        first_language = "English"
        nationality = "British"
        if ethnicity in {"WIRI", "WIRT"}:
            given_pool = (data.IRISH_BOYS if boy else data.IRISH_GIRLS) + tuple(english[:10])
            family_pool = data.IRISH_FAMILY + tuple(data.ENGLISH_FAMILY[:10])
            religion = _weighted(rng, (("Christian (Catholic)", 3), ("", 2)))
        elif ethnicity in {"WOTH", "WROM"}:
            if rng.random() < 0.6:
                given_pool = data.POLISH_BOYS if boy else data.POLISH_GIRLS
                family_pool = [pair[0 if boy else 1] for pair in data.POLISH_FAMILY]
                first_language = "Polish" if rng.random() < 0.3 else "English"
                nationality = "Polish" if rng.random() < 0.4 else "British"
                religion = _weighted(rng, (("Christian (Catholic)", 3), ("", 2)))
            else:
                given_pool = data.ROMANIAN_BOYS if boy else data.ROMANIAN_GIRLS
                family_pool = data.ROMANIAN_FAMILY
                first_language = "Romanian" if rng.random() < 0.3 else "English"
                nationality = "Romanian" if rng.random() < 0.4 else "British"
        elif ethnicity in {"APKN", "AIND", "ABAN"}:
            boys, girls, families = data.SOUTH_ASIAN[ethnicity]
            given_pool, family_pool = (boys if boy else girls), families
            religion = {"APKN": "Muslim", "ABAN": "Muslim"}.get(ethnicity, _weighted(rng, (("Hindu", 2), ("Sikh", 2), ("", 1))))
            if ethnicity == "AIND" and religion == "Sikh":
                family_pool = ("Singh",) if boy else ("Kaur",)
        elif ethnicity in {"BCRB", "MWBC"}:
            given_pool = (data.CARIBBEAN_BOYS if boy else data.CARIBBEAN_GIRLS) + tuple(english[:8])
            family_pool = data.CARIBBEAN_FAMILY + tuple(data.ENGLISH_FAMILY[:15])
        elif ethnicity in {"BAFR", "MWBA", "BOTH"}:
            given_pool = (data.AFRICAN_BOYS if boy else data.AFRICAN_GIRLS) + tuple(english[:6])
            family_pool = data.AFRICAN_FAMILY + (tuple(data.ENGLISH_FAMILY[:10]) if ethnicity == "MWBA" else ())
            religion = _weighted(rng, (("Christian", 3), ("Muslim", 2), ("", 2)))
        elif ethnicity == "CHNE":
            family_pool = data.CHINESE_FAMILY
        given = rng.choice(list(given_pool))
        if rng.random() < 0.35:
            middle = rng.choice([n for n in given_pool if n != given] or list(english))
            given_names = f"{given} {middle}"
        else:
            given_names = given
        family = rng.choice(list(family_pool))
        if rng.random() < 0.05:
            family = f"{family}-{rng.choice(data.ENGLISH_FAMILY)}"
        preferred = data.PREFERRED_NAMES.get(given, "") if rng.random() < 0.5 else ""
        return {
            "given_names": given_names, "family_name": family, "preferred_name": preferred,
            "names_in_original_script": "", "sex": sex, "ethnicity": ethnicity, "nationality": nationality,
            "first_language": first_language, "other_languages": "" if first_language == "English" else "English",
            "interpreter_needed": False, "religion": religion, "upn": "", "upn_unknown_reason": "",
            "home_office_reference": "", "port_reference": "", "is_uasc": False,
        }

    def school_reference(self, child: ChildPlan, start: dt.date) -> None:
        age = age_on(child.date_of_birth, self.today)
        if child.kind == "care" and age < 5:
            child.identity["upn_unknown_reason"] = "UN1"
        elif child.kind == "care" and (self.today - start).days < 20 and self.rng.random() < 0.5:
            child.identity["upn_unknown_reason"] = "UN4"
        else:
            child.identity["upn"] = _upn(self.rng, "999", birthday(child.date_of_birth, 5).year)

    def care_child(self) -> ChildPlan:
        rng = self.rng
        sex = "M" if rng.random() < 0.56 else "F"
        band = _weighted(rng, (((0, 0), 5), ((1, 4), 13), ((5, 9), 18), ((10, 15), 39), ((16, 17), 25)))
        age = rng.randint(*band)
        dob = self.dob_for_age(age)
        child = ChildPlan("care", self.english_identity(sex), dob, "document", self.uuid())
        age_days = (self.today - dob).days
        band = _weighted(rng, (((14, 60), 10), ((61, 365), 25), ((366, 3300), 65)))
        in_care = min(rng.randint(*band), max(age_days - 2, 3))
        start = self.today - dt.timedelta(days=in_care)
        periods: list[tuple[dt.date, dt.date | None, str]] = []
        if (start - dob).days > 900 and rng.random() < 0.08:
            earlier_end = start - self.days(200, 700)
            earlier_start = max(earlier_end - self.days(60, 300), dob + DAY * 2)
            if earlier_start < earlier_end:
                periods.append((earlier_start, earlier_end, "E4A"))
        periods.append((start, None, ""))
        self.care_history(child, periods)
        self.school_reference(child, start)
        child.dates_of_birth = [DateOfBirthPlan(dob, "document", "Birth certificate", periods[0][0], True)]
        return child

    def leaver(self, former_uasc: bool) -> ChildPlan:
        rng = self.rng
        age = _weighted(rng, ((18, 30), (19, 27), (20, 23), (21, 20)))
        dob = self.dob_for_age(age)
        left = birthday(dob, 18)
        if former_uasc:
            origin = _weighted(rng, [(o, o.weight) for o in data.ORIGINS])
            sex = "M" if rng.random() < 0.95 else "F"
            identity, others = self.uasc_identity(origin, sex)
            identity["interpreter_needed"] = rng.random() < 0.3
            child = ChildPlan("leaver", identity, dob, "claimed", self.uuid(), origin=origin.key)
            child.names = others
            arrival = add_months(dob, rng.randint(15 * 12 + 3, 17 * 12 + 3)) + self.days(0, 25)
            self.uasc_arrival(child, arrival, origin, end=left)
        else:
            sex = "M" if rng.random() < 0.52 else "F"
            child = ChildPlan("leaver", self.english_identity(sex), dob, "document", self.uuid())
            start = add_months(dob, rng.randint(8 * 12, 16 * 12))
            reason = _weighted(rng, (("E5", 5), ("E17", 3), ("E6", 1), ("E8", 1)))
            self.care_history(child, [(start, left, reason)])
            child.identity["upn"] = _upn(rng, "999", birthday(dob, 5).year)
            child.dates_of_birth = [DateOfBirthPlan(dob, "document", "Birth certificate", start, True)]
        return child

    def care_history(self, child: ChildPlan, periods: list[tuple[dt.date, dt.date | None, str]]) -> None:
        child.periods = periods
        legal: list[tuple[str, dt.date, dt.date | None]] = []
        placements: list[PlacementPlan] = []
        for start, end, _reason in periods:
            legal += self.legal_statuses(child, start, end)
            placements += self.care_placements(child, start, end)
        child.legal = legal
        child.placements = placements

    def legal_statuses(self, child: ChildPlan, start: dt.date, end: dt.date | None) -> list[tuple[str, dt.date, dt.date | None]]:
        rng = self.rng
        horizon = end or self.today
        length = (horizon - start).days
        statuses: list[tuple[str, dt.date]] = []
        if rng.random() < 0.08 and length > 10:
            statuses.append(("L1", start))
            start = start + self.days(1, 3)
        if length < 200:
            statuses.append((_weighted(rng, (("V2", 4), ("C1", 6))), start))
        else:
            route = _weighted(rng, (("V2", 2), ("C2", 7), ("V2C", 1)))
            if route == "V2":
                statuses.append(("V2", start))
            else:
                if route == "V2C":
                    statuses.append(("V2", start))
                    start = start + self.days(30, 120)
                statuses.append(("C1", start))
                order = start + self.days(120, 300)
                if order < horizon:
                    statuses.append(("C2", order))
                    if age_on(child.date_of_birth, order) < 5 and rng.random() < 0.4:
                        # No placement order (E1): Harbour does not record the decision to place for
                        # adoption that the return then asks for (PlacedAdoption, rule 553). Drawn as
                        # before, so that the rest of the plan is unchanged.
                        self.days(60, 200)
        rows = []
        for i, (code, begins) in enumerate(statuses):
            ends = statuses[i + 1][1] - DAY if i + 1 < len(statuses) else end
            rows.append((code, begins, ends))
        return rows

    def care_placements(self, child: ChildPlan, start: dt.date, end: dt.date | None) -> list[PlacementPlan]:
        rng = self.rng
        horizon = end or self.today
        spans: list[tuple[str, str, bool]] = []
        starts: list[dt.date] = []
        cursor = start
        first = True
        while True:
            age = age_on(child.date_of_birth, cursor)
            if first:
                kind = "U6"
                carer = f"{rng.choice(data.CARER_TITLES)} {rng.choice(data.CARER_FAMILY)}"
                spans.append((carer, kind, False))
            else:
                if age >= 16:
                    kind = _weighted(rng, (("K3", 45), ("U6", 35), ("K2", 20)))
                elif age >= 11:
                    kind = _weighted(rng, (("U6", 55), ("K2", 25), ("U4", 20)))
                else:
                    kind = _weighted(rng, (("U6", 55), ("U4", 45)))
                spans.append(self.carer(kind))
            starts.append(cursor)
            stay = self.days(30, 120) if first else self.days(200, 1300)
            first = False
            if cursor + stay >= horizon or (len(spans) > 1 and rng.random() < 0.45):
                break
            cursor = cursor + stay
        return self.placement_rows(spans, starts, end)

    # -- staff ------------------------------------------------------------------------------

    def staff(self, children: list[ChildPlan]) -> tuple[list[StaffMember], dict[str, list[str]]]:
        rng = self.rng
        in_care = sum(1 for c in children if c.in_care)
        older = sum(1 for c in children if not c.in_care or age_on(c.date_of_birth, self.today) >= 16)
        taken = {(row[1], row[2]) for row in PRIMARY_STAFF + OTHER_PARTNERS}
        usernames = set(PRIMARY_USERNAMES) | {row[0] for row in OTHER_PARTNERS}

        def person(prefix: str) -> tuple[str, str, str]:
            for _attempt in range(50):  # a very large council runs out of new names and repeats some
                first, last = rng.choice(data.STAFF_FIRST), rng.choice(data.STAFF_LAST)
                if (first, last) not in taken:
                    break
            taken.add((first, last))
            base = f"{prefix}.{_ascii(first)}.{_ascii(last)}"
            username, suffix = base, 2
            while username in usernames:
                username, suffix = f"{base}{suffix}", suffix + 1
            usernames.add(username)
            return username, first, last

        staff = [StaffMember(*row[:6], caseload_limit=row[6], agency=row[7],  # type: ignore[misc]
                             is_staff=row[0] == "admin", is_superuser=row[0] == "admin")
                 for row in PRIMARY_STAFF + OTHER_PARTNERS]
        rota: dict[str, list[str]] = {"sw_" + team: [] for team in CIC_TEAMS}
        rota["iro"], rota["pa"] = ["iro"], ["personaladviser"]
        others = max(3, math.ceil(max(in_care - FEATURED_CASELOAD, 0) / CHILDREN_PER_SOCIAL_WORKER))
        for i in range(others):
            team = CIC_TEAMS[(i + 1) % 3]
            username, first, last = person("sw")
            title = "Senior social worker" if i % 4 == 3 else "Social worker"
            staff.append(StaffMember(username, first, last, "social_worker", team, title, 18))
            rota["sw_" + team].append(username)
        leaders = 1 + (self.n >= 600)
        for index, team in enumerate((*CIC_TEAMS, LEAVING_CARE)):
            for j in range(leaders):
                if index == 0 and j == 0:
                    continue  # `teamleader` leads team 1
                username, first, last = person("tl")
                staff.append(StaffMember(username, first, last, "team_leader", team, f"Team leader, {team[0].lower()}{team[1:]}"))
        username, first, last = person("tm")
        staff.append(StaffMember(username, first, last, "team_manager", LEAVING_CARE, "Team manager, leaving care"))
        for _ in range(max(1, math.ceil(in_care / CHILDREN_PER_IRO)) - 1):
            username, first, last = person("iro")
            staff.append(StaffMember(username, first, last, "iro", REVIEWING, "Independent reviewing officer", 70))
            rota["iro"].append(username)
        for _ in range(max(1, math.ceil(older / YOUNG_PEOPLE_PER_ADVISER)) - 1):
            username, first, last = person("pa")
            staff.append(StaffMember(username, first, last, "personal_adviser", LEAVING_CARE, "Personal adviser", 25))
            rota["pa"].append(username)
        if self.n >= 400:
            username, first, last = person("po")
            staff.append(StaffMember(username, first, last, "placements_officer", PLACEMENTS, "Placements officer"))
            username, first, last = person("pi")
            staff.append(StaffMember(username, first, last, "performance_analyst", PERFORMANCE, "Senior performance analyst"))
        return staff, rota

    # -- who works with each child ------------------------------------------------------------

    def allocate(self, children: list[ChildPlan], staff: list[StaffMember], rota: dict[str, list[str]]) -> None:
        """The first ten children in care are `socialworker`'s caseload; the rest go round the three
        children-in-care teams in turn, and round each team's social workers."""
        all_workers = [s.username for s in staff if s.role == "social_worker"]
        featured: list[ChildPlan] = []
        queue: list[ChildPlan] = []
        for child in children:
            if child.in_care and len(featured) < FEATURED_CASELOAD:
                featured.append(child)
            elif child.in_care:
                queue.append(child)
        assignments = [(child, "socialworker") for child in featured]
        teams = [t for t in CIC_TEAMS if rota["sw_" + t]]
        positions = dict.fromkeys(teams, 0)
        for i, child in enumerate(queue):
            team = teams[i % len(teams)]
            members = rota["sw_" + team]
            assignments.append((child, members[positions[team] % len(members)]))
            positions[team] += 1
        leavers = [c for c in children if not c.in_care]
        for i, child in enumerate(leavers):
            assignments.append((child, all_workers[i % len(all_workers)]))
        for child, worker in assignments:
            child.allocations += self.social_worker_segments(child, worker, all_workers)
        iros, advisers = rota["iro"], rota["pa"]
        older_count = 0
        for i, child in enumerate(children):
            first_start = child.periods[-1][0]
            last_end = child.periods[-1][1]
            child.allocations.append(("iro", iros[i % len(iros)], first_start, last_end))
            reaches_16 = birthday(child.date_of_birth, 16)
            if reaches_16 <= self.today:
                begins = max(reaches_16, first_start) + self.days(14, 60)
                begins = min(begins, self.today, (last_end or self.today) - DAY * 20)
                begins = max(begins, first_start)
                child.allocations.append(("personal_adviser", advisers[older_count % len(advisers)], begins, None))
                older_count += 1

    def social_worker_segments(
        self, child: ChildPlan, worker: str, all_workers: list[str],
    ) -> list[tuple[str, str, dt.date, dt.date | None]]:
        rng = self.rng
        others = [w for w in all_workers if w != worker] or [worker]
        segments: list[tuple[str, str, dt.date, dt.date | None]] = []
        for start, end, _ in child.periods[:-1]:
            segments.append(("social_worker", rng.choice(others), start, end))
        start, end, _ = child.periods[-1]
        length = ((end or self.today) - start).days
        if length > 400 and rng.random() < 0.4:
            switch = (end or self.today) - self.days(60, min(length - 30, 700))
            segments.append(("social_worker", rng.choice(others), start, switch - DAY))
            start = switch
        segments.append(("social_worker", worker, start, end))
        return segments

    def mark_overdue(self, children: list[ChildPlan]) -> None:
        """A few children with a review, a visit or a health assessment overdue today."""
        rng = self.rng
        in_care = [c for c in children if c.in_care]
        for duty, share in (("review", 0.03), ("visit", 0.04), ("health", 0.05)):
            count = max(1, round(len(in_care) * share))
            for child in rng.sample(in_care, k=min(count, len(in_care))):
                child.overdue.add(duty)
        caseload = [c for c in in_care[1:FEATURED_CASELOAD]]
        if caseload:
            caseload[len(caseload) // 2].overdue.add("review")
            caseload[-1].overdue.add("visit")

    # -- history --------------------------------------------------------------------------

    def worker_on(self, child: ChildPlan, day: dt.date, kind: str = "social_worker") -> str:
        chosen = ""
        for allocation_kind, username, start, end in child.allocations:
            if allocation_kind != kind:
                continue
            if not chosen:
                chosen = username
            if start <= day and (end is None or day <= end):
                return username
            if start <= day:
                chosen = username
        return chosen

    def events(
        self, first_due: dt.date, follow: Callable[[dt.date, int], dt.date], start: dt.date, horizon: dt.date,
        *, late: float, early: int, first_early: int | None = None, gap: int = 7, overdue: bool = False,
    ) -> list[dt.date]:
        """When a recurring duty was met, each time counted from the last, up to `horizon`."""
        rng = self.rng
        found: list[dt.date] = []
        due = first_due
        while True:
            if rng.random() < late:
                day = due + self.days(1, 24)
            else:
                day = due - self.days(0, first_early if (first_early is not None and not found) else early)
            floor = found[-1] + dt.timedelta(days=gap) if found else start
            day = max(day, floor)
            if day > horizon and horizon < self.today and floor <= due <= horizon:
                day = due  # a closed placement or period leaves no duty missed for ever
            if day > horizon:
                break
            found.append(day)
            due = follow(day, len(found))
        if overdue and horizon >= self.today:
            while found:
                outstanding = follow(found[-1], len(found))
                if outstanding < self.today:
                    break
                found.pop()
        return found

    def history(self, child: ChildPlan) -> None:
        rng = self.rng
        today = self.today
        dob = child.date_of_birth
        for start, end, _ in child.periods:
            horizon = min(end or today, today)
            self.care_plan(child, start, end)
            first_review = ts.first_review_due(start, self.calendar)

            def review_follow(held: dt.date, count: int) -> dt.date:
                return ts.second_review_due(held) if count == 1 else ts.later_review_due(held)

            held = self.events(first_review, review_follow, start + DAY * 3, horizon, late=0.1, early=20,
                               first_early=12, gap=28, overdue="review" in child.overdue and end is None)
            chair = self.worker_on(child, start, "iro")
            for day in held:
                child.reviews.append((day, self.participation(dob, day), chair))
                if day != held[0] and rng.random() < 0.5:
                    child.care_plans.append(day)
            child.health += self.events(
                ts.first_health_assessment_due(start, self.calendar),
                lambda day, _n: ts.next_health_assessment_due(day, dob),
                start + DAY, horizon, late=0.1, early=30, first_early=10, gap=60,
                overdue="health" in child.overdue and end is None,
            )
            school_starts, school_ends = ts.pep_period(dob)
            pep_from = max(start, school_starts)
            pep_to = min(horizon, school_ends)
            if pep_from <= pep_to:
                child.peps += self.events(
                    ts.first_pep_due(pep_from, self.calendar),
                    lambda day, _n: ts.pep_review_due(day, self.terms),
                    pep_from, pep_to, late=0.1, early=45, first_early=8, gap=30,
                )
        for placement in child.placements:
            horizon = min(placement.end or today, today)

            def visit_follow(day: dt.date, _n: int, placement: PlacementPlan = placement) -> dt.date:
                return ts.next_visit_due(day, placement.start, placement.long_term)

            current = placement.end is None
            for day in self.events(
                ts.first_visit_due(placement.start), visit_follow, placement.start, horizon,
                late=0.08, early=12, first_early=6, gap=14, overdue="visit" in child.overdue and current,
            ):
                age = age_on(dob, day)
                seen_alone = None if age < 4 else rng.random() < 0.8
                child.visits.append((day, seen_alone, self.worker_on(child, day)))
        child.care_plans.sort()
        self.needs_assessment(child)
        self.notes(child)

    def care_plan(self, child: ChildPlan, start: dt.date, end: dt.date | None) -> None:
        first_placement = min((p.start for p in child.placements if p.start >= start and (end is None or p.start <= end)),
                              default=start)
        if self.rng.random() < 0.93:
            agreed = self.calendar.add_working_days(first_placement, self.rng.randint(1, 10))
        else:
            agreed = self.calendar.add_working_days(first_placement, self.rng.randint(11, 18))
        if agreed <= min(end or self.today, self.today):
            child.care_plans.append(agreed)

    def participation(self, dob: dt.date, held: dt.date) -> str:
        if age_on(dob, held) < 4:
            return "PN0"
        return _weighted(self.rng, (("PN1", 50), ("PN2", 5), ("PN3", 3), ("PN4", 3), ("PN5", 15), ("PN6", 15), ("PN7", 9)))

    def needs_assessment(self, child: ChildPlan) -> None:
        periods = [Period(start, min(end or self.today, self.today)) for start, end, _ in child.periods if start <= self.today]
        eligible = ts.became_eligible_on(child.date_of_birth, periods)
        if eligible is None or eligible > self.today:
            return
        due = ts.needs_assessment_due(child.date_of_birth, eligible)
        reaches_16 = birthday(child.date_of_birth, 16)
        roll = self.rng.random()
        if roll < 0.12 and child.in_care:
            return  # not done yet: overdue once the due date passes
        if roll < 0.22:
            day = due + self.days(5, 40)
        else:
            day = due - self.days(0, 60)
        day = max(day, reaches_16, eligible - self.days(0, 20))
        if day <= self.today:
            child.needs.append(day)

    # -- the chronology -----------------------------------------------------------------------

    def note(self, child: ChildPlan, day: dt.date, kind: str, title: str, description: str, by: str = "") -> None:
        if day >= self.today or day < child.periods[0][0] - dt.timedelta(days=30):
            return
        at = dt.datetime.combine(day, dt.time(self.rng.randint(9, 17), self.rng.choice((0, 10, 15, 20, 30, 40, 45, 50))))
        child.notes.append(NotePlan(kind, at, title, description, by or self.worker_on(child, day)))

    def notes(self, child: ChildPlan) -> None:
        if child.identity["is_uasc"]:
            self.uasc_notes(child)
        else:
            self.care_notes(child)
        if not child.in_care:
            self.leaver_notes(child)

    def uasc_notes(self, child: ChildPlan) -> None:
        rng = self.rng
        name = child.identity["preferred_name"] or child.given_names.split()[0]
        language = child.identity["first_language"]
        arrival, end, _ = child.periods[0]
        origin = next((o for o in data.ORIGINS if o.key == child.origin), data.AFGHAN)
        muslim = "Muslim" in child.identity["religion"]
        first_place = child.placements[0].carer_or_provider
        if child.arrival_via_nts:
            self.note(child, arrival - self.days(1, 8), "significant_event", "Referred through the National Transfer Scheme",
                      f"The Home Office referred {name} to Harbourside from {rng.choice(data.NTS_FROM)}. "
                      f"We spoke to {name} by phone with {_a(language)} interpreter to say where they would live "
                      f"and who would meet them.")
            how = "arrived with a transport worker"
        else:
            how = rng.choice(data.FIRST_CONTACTS)
        food = "halal food" if muslim else "a hot meal"
        self.note(child, arrival, "significant_event", "Arrived at intake base" if "intake" in first_place else "Arrived in Harbourside",
                  f"{name} {how} and went to {first_place}. {name} was tired and asked to sleep first. "
                  f"Staff made sure there was {food} and showed {name} how to call the duty worker at night. "
                  f"{name} travelled through {rng.choice(origin.journeys)} and has a phone but no credit.")
        self.note(child, arrival + self.days(3, 12), "note", "Met with legal representative",
                  f"{name} met a solicitor at {rng.choice(data.SOLICITORS)} with {_a(language)} interpreter to start "
                  f"the asylum claim. {name} said it helped to hear that the solicitor does not work for the Home Office.")
        self.note(child, arrival + self.days(5, 20), "note", "Registered with a GP",
                  f"{name} is now registered at {rng.choice(data.GP_PRACTICES)}. {name} asked for a male doctor "
                  f"and an interpreter in person, not on the phone." if child.identity["sex"] == "M" else
                  f"{name} is now registered at {rng.choice(data.GP_PRACTICES)} and asked for a female doctor.")
        self.note(child, arrival + self.days(20, 70), "note", "Started English classes",
                  f"{name} started English classes at {rng.choice(data.COLLEGES)}, three mornings a week. "
                  f"{name} said they want to {rng.choice(data.ASPIRATIONS)} and enjoys {rng.choice(data.HOBBIES)}.")
        if child.age_assessed_on:
            agreed = child.dates_of_birth[0].date_of_birth == child.date_of_birth
            outcome = ("agreed with the age " + name + " gave" if agreed else
                       f"found {name} to be older than they said. The date of birth in use has changed and we "
                       f"explained what this means and how to challenge it, with the solicitor")
            self.note(child, child.age_assessed_on, "significant_event", "Age assessment completed",
                      f"Two social workers met {name} three times with an interpreter and an appropriate adult. "
                      f"The assessment {outcome}.")
        self.note(child, arrival + self.days(30, 120), "contact", "Spoke with family",
                  f"{name} spoke with an uncle by video call, arranged through the Red Cross family tracing service. "
                  f"{name} was quiet afterwards and asked to talk again next week.")
        if ((end or self.today) - arrival).days > 240:
            self.note(child, arrival + self.days(200, 400), "significant_event", "Asylum interview with the Home Office",
                      f"{name} had the asylum interview with {_a(language)} interpreter, their solicitor and an "
                      f"appropriate adult. It lasted four hours with breaks. {name} said they were nervous but glad it is done.")

    def care_notes(self, child: ChildPlan) -> None:
        rng = self.rng
        name = child.identity["preferred_name"] or child.given_names.split()[0]
        for index, (start, _end, _reason) in enumerate(child.periods):
            age = age_on(child.date_of_birth, start)
            why = rng.choice((
                "the court agreed it was not safe at home for now",
                "mum asked us for help while she is unwell",
                "worries about home were not getting better, even with support",
                "the police used police protection late at night",
            ))
            if age < 2:
                what = f"{name} went to foster carers straight from hospital with a bag of clothes and a blanket from home."
            else:
                what = f"{name} went to stay with foster carers and took their favourite {rng.choice(data.COMFORTS)}."
            self.note(child, start, "significant_event", "Came into care" if index == 0 else "Came back into care",
                      f"{name} came into care because {why}. {what}")
            if age < 5:
                self.note(child, start + self.days(7, 30), "contact", "Family time",
                          f"{name} had family time with mum at the Harbourside family centre. {name} enjoyed bath time "
                          f"and songs; mum brought a photo album for the carers.")
            else:
                self.note(child, start + self.days(7, 40), "contact", "Family time",
                          f"{name} had family time with mum at the family centre and showed her some drawings. "
                          f"{name} was sad when it ended, and the carer talked with them on the way home.")
        start = child.periods[-1][0]
        age_now = age_on(child.date_of_birth, self.today)
        if age_now >= 5:
            self.note(child, start + self.days(40, 200), "note", "Started at a new school",
                      f"{name} started at {rng.choice(data.SCHOOLS)}. The designated teacher met {name} first and "
                      f"showed them a quiet place to go at break times.")
            self.note(child, start + self.days(60, 400), "note", "Life story work",
                      f"We started life story work with {name}. {name} chose photos for the first page and asked "
                      f"questions about when they were small.")
        if child.reviews:
            held = child.reviews[-1][0]
            self.note(child, held - self.days(3, 10), "note", "Met the IRO before the review",
                      f"{name} met their independent reviewing officer and chose how to share their views at the review.",
                      by=child.reviews[-1][2])
        if age_now >= 12 and child.in_care and rng.random() < 0.25:
            self.note(child, self.today - self.days(5, 120), "significant_event", "Missing overnight and came back",
                      f"{name} did not come home until the morning. A return home interview was offered; {name} said "
                      f"they had been with friends and felt listened to.")

    def leaver_notes(self, child: ChildPlan) -> None:
        rng = self.rng
        name = child.identity["preferred_name"] or child.given_names.split()[0]
        left = child.periods[-1][1] or self.today
        adviser = self.worker_on(child, self.today, "personal_adviser")
        reason = child.periods[-1][2]
        moved = ("stayed on with their foster carers under Staying Put" if reason == "E17"
                 else "moved into a flat of their own with support from their personal adviser")
        self.note(child, left, "significant_event", "Turned 18 and moved on from care",
                  f"{name} turned 18 and {moved}. {name} chose a small celebration with the people who matter to them.",
                  by=adviser)
        self.note(child, left + self.days(30, 300), "note", "Pathway plan reviewed",
                  f"{name} and their personal adviser reviewed the pathway plan. {name} is at {rng.choice(data.COLLEGES)} "
                  f"and wants help with budgeting and a provisional driving licence.", by=adviser)

    # -- partners ---------------------------------------------------------------------------

    def grants(self, children: list[ChildPlan]) -> list[tuple[int, str, str, str]]:
        caseload = [i for i, c in enumerate(children) if c.in_care and any(
            a[0] == "social_worker" and a[1] == "socialworker" and a[3] is None for a in c.allocations)]
        grants = []
        health_ids = [i for i in caseload if children[i].identity["is_uasc"]][:2] + [i for i in caseload if not children[i].identity["is_uasc"]][:1]
        for i in health_ids:
            purpose = ("Initial health assessment and follow-up" if children[i].identity["is_uasc"]
                       else "Review health assessment")
            grants.append((i, "health", purpose, HEALTH_BASIS))
        teens = [i for i in caseload if age_on(children[i].date_of_birth, self.today) >= 12 and i not in health_ids]
        for j, i in enumerate(teens[:2]):
            purpose = ("Joint enquiry under section 47 of the Children Act 1989" if j == 0
                       else "Missing from care: return home interview follow-up")
            grants.append((i, "police", purpose, POLICE_BASIS))
        return grants


def build_plan(*, children: int = DEFAULT_CHILDREN, seed: int = DEFAULT_SEED, today: dt.date | None = None) -> CouncilPlan:
    """Decide the whole council from the seed and today's date, without touching the database."""
    if not 1 <= children <= MAX_CHILDREN:
        raise ValueError(f"children must be between 1 and {MAX_CHILDREN}")
    return _Planner(children, seed, today or timezone.localdate()).plan()


# --- Writing the plan ----------------------------------------------------------------------------


def _aware(day: dt.date, hour: int = 9) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def write_plan(plan: CouncilPlan) -> dict[str, int]:
    """Save the plan with bulk inserts, in the caller's transaction. Returns counts by record type."""
    from harbour.accounts.models import Allocation, PartnerAgency, PartnerGrant, Team, User
    from harbour.audit.services import record_event
    from harbour.children.models import (
        Child,
        ChildName,
        ChronologyEntry,
        DateOfBirthRecord,
        LegalStatusPeriod,
        PeriodLookedAfter,
    )
    from harbour.core.models import CouncilSettings
    from harbour.leaving_care.models import NeedsAssessment
    from harbour.placements.models import Placement
    from harbour.reviews.models import (
        CarePlan,
        HealthAssessment,
        PersonalEducationPlan,
        Review,
        Visit,
    )

    CouncilSettings.objects.update_or_create(pk=1, defaults={
        "name": getattr(settings, "HARBOUR_COUNCIL_NAME", "") or "Harbourside Council",
        "la_code": "999", "nts_transfer_working_days": 5, "child_population": 60_000,
    })
    # Teams and agencies an administrator made before any demo user existed are reused, not duplicated.
    existing_teams = {t.name: t for t in Team.objects.filter(name__in=[name for name, _ in TEAMS])}
    teams = {name: existing_teams.get(name) or Team(name=name, service_area=area) for name, area in TEAMS}
    Team.objects.bulk_create([t for name, t in teams.items() if name not in existing_teams])
    existing_agencies = {a.name: a for a in PartnerAgency.objects.filter(name__in=[n for n, _ in AGENCIES.values()])}
    agencies = {kind: existing_agencies.get(name) or PartnerAgency(name=name, kind=kind, email=email)
                for kind, (name, email) in AGENCIES.items()}
    PartnerAgency.objects.bulk_create([a for a in agencies.values() if a.name not in existing_agencies])

    password = make_password(DEMO_PASSWORD)
    ids = random.Random(f"harbour-demo-users-{plan.seed}")
    users: dict[str, Any] = {}
    for member in plan.staff:
        users[member.username] = User(
            id=uuid.UUID(int=ids.getrandbits(128), version=4), username=member.username,
            first_name=member.first_name, last_name=member.last_name,
            email=f"{member.username}@harbourside.example", password=password, role=member.role,
            team=teams.get(member.team), partner_agency=agencies.get(member.agency), job_title=member.job_title,
            caseload_limit=member.caseload_limit, is_staff=member.is_staff, is_superuser=member.is_superuser,
        )
    User.objects.bulk_create(users.values())

    children = [Child(id=c.uuid, date_of_birth=c.date_of_birth, date_of_birth_source=c.date_of_birth_source,
                      **c.identity) for c in plan.children]
    Child.unscoped.bulk_create(children, batch_size=500)

    rows: dict[str, list[Any]] = {key: [] for key in (
        "names", "dobs", "legal", "periods", "placements", "care_plans", "reviews", "visits", "health", "peps",
        "needs", "notes", "allocations")}
    recorded_at: list[dt.datetime] = []
    kinds = {"given_names": "given", "family_name": "family", "preferred_name": "preferred",
             "names_in_original_script": "original_script"}
    for child, c in zip(children, plan.children, strict=True):
        names = [(kind, c.identity[field_name]) for field_name, kind in kinds.items() if c.identity[field_name]]
        for kind, name in names + c.names:
            rows["names"].append(ChildName(child=child, kind=kind, name=name, search_key=search_key(name),
                                           sound_key=sound_key(name)))
        first_worker = users[c.allocations[0][1]]
        for record in c.dates_of_birth:
            rows["dobs"].append(DateOfBirthRecord(
                child=child, date_of_birth=record.date_of_birth, source=record.source, note=record.note,
                recorded_by=first_worker, in_use_from=_aware(record.recorded_on, 12) if record.in_use else None,
            ))
            recorded_at.append(_aware(record.recorded_on, 11))
        rows["legal"] += [LegalStatusPeriod(child=child, legal_status=code, start=start, end=end)
                          for code, start, end in c.legal]
        rows["periods"] += [PeriodLookedAfter(child=child, start=start, end=end, reason_ceased=reason)
                            for start, end, reason in c.periods]
        rows["placements"] += [Placement(child=child, start=p.start, end=p.end, placement_type=p.placement_type,
                                         carer_or_provider=p.carer_or_provider, postcode=p.postcode,
                                         long_term=p.long_term) for p in c.placements]
        rows["care_plans"] += [CarePlan(child=child, agreed_on=day) for day in c.care_plans]
        rows["reviews"] += [Review(child=child, held_on=day, participation=code, chair=users[chair])
                            for day, code, chair in c.reviews]
        rows["visits"] += [Visit(child=child, visited_on=day, seen_alone=alone, visitor=users.get(by))
                           for day, alone, by in c.visits]
        rows["health"] += [HealthAssessment(child=child, assessed_on=day) for day in c.health]
        rows["peps"] += [PersonalEducationPlan(child=child, reviewed_on=day) for day in c.peps]
        rows["needs"] += [NeedsAssessment(child=child, completed_on=day) for day in c.needs]
        rows["notes"] += [ChronologyEntry(child=child, kind=n.kind, occurred_at=timezone.make_aware(n.at),
                                          title=n.title, description=n.description, recorded_by=users[n.by])
                          for n in c.notes]
        rows["allocations"] += [Allocation(child=child, worker=users[username], kind=kind, start=start, end=end)
                                for kind, username, start, end in c.allocations]
    models = {"names": ChildName, "dobs": DateOfBirthRecord, "legal": LegalStatusPeriod, "periods": PeriodLookedAfter,
              "placements": Placement, "care_plans": CarePlan, "reviews": Review, "visits": Visit,
              "health": HealthAssessment, "peps": PersonalEducationPlan, "needs": NeedsAssessment,
              "notes": ChronologyEntry, "allocations": Allocation}
    for key, model in models.items():
        model.objects.bulk_create(rows[key], batch_size=2000)
    # recorded_at is set to "now" on insert; the demo's history says when each date was really given.
    for record, when in zip(rows["dobs"], recorded_at, strict=True):
        record.recorded_at = when
    DateOfBirthRecord.objects.bulk_update(rows["dobs"], ["recorded_at"], batch_size=500)

    leader = users["teamleader"]
    grants = [PartnerGrant(child=children[index], agency=agencies[kind], purpose=purpose, legal_basis=basis,
                           granted_by=leader, expires_at=timezone.now() + dt.timedelta(days=30))
              for index, kind, purpose, basis in plan.grants]
    PartnerGrant.objects.bulk_create(grants)
    intake = seed_intake(users=users, agencies=agencies, today=plan.today)
    referred = seed_sample_referrals(users=users, now=timezone.now(), today=plan.today)
    directory = seed_directory(agencies=agencies, today=plan.today, seed=plan.seed)
    directory.update(seed_journey(users=users, today=plan.today, seed=plan.seed))
    record_event(actor=None, action="create", record_type="demo.Council", record_id=f"seed-{plan.seed}",
                 details={"children": len(plan.children), "seed": plan.seed})
    counts = {"users": len(users), "teams": len(teams), "partner agencies": len(agencies),
              "children": len(children), "partner grants": len(grants), **intake,
              "NTS referrals awaiting transfer": referred, **directory}
    labels = {"names": "names", "dobs": "dates of birth", "legal": "legal statuses",
              "periods": "periods looked after", "placements": "placements", "care_plans": "care plans",
              "reviews": "reviews", "visits": "visits", "health": "health assessments", "peps": "PEPs",
              "needs": "needs assessments", "notes": "chronology entries", "allocations": "allocations"}
    counts.update({labels[key]: len(value) for key, value in rows.items()})
    counts.update(seed_reviews(users=users, today=plan.today, seed=plan.seed))
    counts.update(seed_nts_history(users=users, today=plan.today, seed=plan.seed))
    counts.update(write_history(users=users, today=plan.today, seed=plan.seed, children=len(plan.children)))
    counts.update(complete_return_coding(today=plan.today, seed=plan.seed))
    counts.update(seed_return_facts(today=plan.today))
    return counts


def build_council(*, children: int = DEFAULT_CHILDREN, seed: int = DEFAULT_SEED, today: dt.date | None = None) -> tuple[CouncilPlan, dict[str, int]]:
    plan = build_plan(children=children, seed=seed, today=today)
    with transaction.atomic():
        counts = write_plan(plan)
    return plan, counts


# --- The command ---------------------------------------------------------------------------------


def _whole_number(value: Any, option: str) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    text = str(value).strip()
    try:
        return int(text, 10)
    except ValueError:
        raise CommandError(f"{option} must be a whole number, like 120 (you gave {text!r})") from None


class Command(BaseCommand):
    help = (
        "Load the made-up Harbourside Council: staff in every role, partner agencies, and children in care, "
        "unaccompanied children and care leavers with histories that make the statutory deadlines real. "
        f"Every account's password is {DEMO_PASSWORD!r}, for the demo only."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--children", default=DEFAULT_CHILDREN,
                            help=f"How many children and young people (1 to {MAX_CHILDREN}; default {DEFAULT_CHILDREN})")
        parser.add_argument("--seed", default=DEFAULT_SEED,
                            help=f"The same seed builds the same council (default {DEFAULT_SEED})")
        parser.add_argument("--if-empty", action="store_true",
                            help="Do nothing if the database already has users")
        parser.add_argument("--logins", action="store_true",
                            help="Only print the demo sign-ins and password")

    def handle(self, *args: Any, **options: Any) -> None:
        from harbour.accounts.models import User

        if options["logins"]:
            self.print_logins()
            return
        count = _whole_number(options["children"], "--children")
        seed = _whole_number(options["seed"], "--seed")
        if not 1 <= count <= MAX_CHILDREN:
            raise CommandError(f"--children must be between 1 and {MAX_CHILDREN} (you gave {count})")
        if User.objects.exists():
            if options["if_empty"]:
                self.stdout.write("Harbour already has users, so the demo council was not loaded again.")
                self.print_logins()
                return
            raise CommandError("This database already has users. The demo council loads only into an empty "
                               "database; use --if-empty to skip quietly.")
        if not getattr(settings, "HARBOUR_DEMO", False):
            raise CommandError("The demo council is made-up data with one shared password, so it loads only where "
                               "HARBOUR_DEMO is on (the development settings). Set HARBOUR_DEMO=1 to load it here.")
        started = time.monotonic()
        plan, counts = build_council(children=count, seed=seed)
        elapsed = time.monotonic() - started
        uasc = sum(1 for c in plan.children if c.identity["is_uasc"])
        leavers = sum(1 for c in plan.children if not c.in_care)
        self.stdout.write(
            f"Built {getattr(settings, 'HARBOUR_COUNCIL_NAME', 'Harbourside Council')} (seed {seed}) in {elapsed:.1f} s: "
            f"{count} {'child or young person' if count == 1 else 'children and young people'} "
            f"({uasc} unaccompanied or formerly unaccompanied, {leavers} care leaver{'' if leavers == 1 else 's'}), "
            f"{counts['users']} staff and partner accounts."
        )
        self.stdout.write("Records: " + ", ".join(f"{value} {key}" for key, value in counts.items()
                                                 if key not in {"users", "children"}) + ".")
        self.print_logins()

    def print_logins(self) -> None:
        from harbour.accounts.models import User

        found = {u.username: u for u in User.objects.filter(username__in=PRIMARY_USERNAMES)}
        if not found:
            self.stdout.write("There is no demo council here yet: run `harbour demo` to load one.")
            return
        rows = [(ROLE_LABELS.get(found[name].role, found[name].role), name, found[name].get_full_name())
                for name in PRIMARY_USERNAMES if name in found]
        widths = [max(len(row[i]) for row in [("Role", "Username", "Name"), *rows]) for i in range(3)]
        self.stdout.write("")
        self.stdout.write("Demo sign-ins (made-up people; every account uses the same password):")
        for row in [("Role", "Username", "Name"), *rows]:
            self.stdout.write("  " + "  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip())
        self.stdout.write(f"Password for every demo account: {DEMO_PASSWORD}")
        self.stdout.write("This password is for the demo council only. Never load the demo into a real council's database.")
