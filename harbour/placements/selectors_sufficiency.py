"""The sufficiency figures: demand for placements against the directory's capacity, the gaps, the
share of children placed out of area, and cost per week by kind of provider.

The rules (who counts as needing a placement, age bands, what a vacancy can take, the gap) are
in harbour.domain.sufficiency (Children Act 1989 s22G); this module fetches the facts and lays the
figures out as tables. Children are counted only through `access.children_visible_to(user)` and
only as numbers: no name, no identifier ever leaves here. Every figure comes from a handful of
aggregate queries, the same number whatever the number of children or providers.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import (
    Avg,
    Count,
    DecimalField,
    Exists,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, NullIf

from harbour.accounts import access
from harbour.accounts.models import Role
from harbour.domain import sufficiency as rules
from harbour.domain.ages import add_months, age_on, anniversary
from harbour.domain.matching import NEEDS
from harbour.referrals.models import Referral

from .codes import SUPPORTED_ACCOMMODATION_TYPES, Need
from .models import Placement, PlacementRequest, Provider

SUFFICIENCY_ROLES = frozenset({Role.COMMISSIONING_OFFICER, Role.PLACEMENTS_OFFICER, Role.TEAM_MANAGER, Role.DIRECTOR,
                               Role.PERFORMANCE_ANALYST})
# A request still looking for, or holding, a placement for the child.
OPEN_REQUEST_STATUSES = (PlacementRequest.Status.DRAFT, PlacementRequest.Status.SEARCHING,
                         PlacementRequest.Status.CHOSEN)
NOT_IN_DIRECTORY = "Not in the directory"
KIND_LABELS = dict(Provider.Kind.choices)
# How each kind reads in a headline: "9 of them at independent fostering agencies".
KIND_PLURALS = {
    Provider.Kind.FOSTER_CARER: "council foster carers",
    Provider.Kind.SUPPORTED_LODGINGS: "supported lodgings hosts",
    Provider.Kind.INTAKE_BASE: "the council intake base",
    Provider.Kind.SEMI_INDEPENDENT_FLAT: "council semi-independent flats",
    Provider.Kind.FOSTERING_AGENCY: "independent fostering agencies",
    Provider.Kind.CHILDRENS_HOME: "children's homes",
    Provider.Kind.SUPPORTED_ACCOMMODATION: "registered supported accommodation",
}


def may_see_sufficiency(user: Any) -> bool:
    return bool(getattr(user, "is_active", False)) and getattr(user, "role", None) in SUFFICIENCY_ROLES


# Column kinds, for formatting on the page (CSV and JSON carry the plain values).
TEXT, COUNT, MONEY, PERCENT = "text", "count", "money", "percent"


@dataclass(frozen=True)
class ChartSpec:
    title: str
    categories: list[str]
    series: list[tuple[str, list[Any]]]  # (series name, one value per category)
    money: bool = False


@dataclass(frozen=True)
class Table:
    key: str  # for ?format=csv&table=<key>
    heading: str
    headline: str  # the message, in a sentence
    caption: str
    columns: list[tuple[str, str]]  # (header, kind)
    rows: list[list[Any]]
    chart: ChartSpec
    notes: list[str] = field(default_factory=list)

    @property
    def headers(self) -> list[str]:
        return [header for header, _ in self.columns]


@dataclass(frozen=True)
class SufficiencyReport:
    today: dt.date
    needing_now: int
    likely_soon: int
    turning_18: int
    tables: list[Table]

    def table(self, key: str) -> Table | None:
        return next((t for t in self.tables if t.key == key), None)

    def as_json(self) -> dict[str, Any]:
        def plain(value: Any) -> Any:
            return str(value) if isinstance(value, Decimal) else value

        return {
            "today": self.today.isoformat(),
            "needing_now": self.needing_now,
            "likely_soon": self.likely_soon,
            "turning_18_within_6_months": self.turning_18,
            "tables": [{"key": t.key, "heading": t.heading, "headline": t.headline, "headers": t.headers,
                        "rows": [[plain(cell) for cell in row] for row in t.rows], "notes": t.notes}
                       for t in self.tables],
        }


# --- Facts from the database ---------------------------------------------------------------------


def _current_placements(today: dt.date) -> QuerySet[Placement]:
    return Placement.objects.filter(Q(end__isnull=True) | Q(end__gte=today), start__lte=today)


@dataclass(frozen=True)
class _Demand:
    demand: rules.Demand
    band: rules.AgeBand
    sex: str
    age: int | None
    needs: tuple[str, ...]


def _demand(user: Any, today: dt.date) -> list[_Demand]:
    """The children who need a placement now or are likely to soon: one query, only their facts."""
    current = _current_placements(today).filter(child=OuterRef("pk")).order_by("-start")
    open_request = PlacementRequest.objects.filter(child=OuterRef("pk"), status__in=OPEN_REQUEST_STATUSES)
    # An NTS referral counts until a placement request is made for it (then the request counts).
    awaiting_request = Referral.objects.filter(child=OuterRef("pk"), status__in=Referral.OPEN).exclude(
        Exists(PlacementRequest.objects.filter(referral=OuterRef("pk")).exclude(
            status=PlacementRequest.Status.CANCELLED)))
    soon_end = today + dt.timedelta(days=rules.ENDING_SOON_DAYS)
    # Every condition below needs an open request, an open referral or a current placement: finding
    # those children first, by semi-joins, spares a large council's closed records five subqueries each.
    candidates = (Q(pk__in=PlacementRequest.objects.filter(status__in=OPEN_REQUEST_STATUSES).values("child_id"))
                  | Q(pk__in=Referral.objects.filter(status__in=Referral.OPEN).values("child_id"))
                  | Q(pk__in=_current_placements(today).values("child_id")))
    rows = (
        access.children_visible_to(user).filter(candidates, date_of_death__isnull=True)
        .annotate(open_request=Exists(open_request), awaiting_request=Exists(awaiting_request),
                  place=Subquery(current.values("placement_type")[:1]),
                  provider_kind=Subquery(current.values("provider__kind")[:1]),
                  ends=Subquery(current.values("end")[:1]))
        .filter(Q(open_request=True) | Q(awaiting_request=True)
                | Q(place__in=rules.TEMPORARY_PLACEMENT_TYPES) | Q(provider_kind=Provider.Kind.INTAKE_BASE)
                | Q(ends__isnull=False, ends__lte=soon_end))
        .values_list("date_of_birth", "sex", "open_request", "awaiting_request", "place", "provider_kind", "ends",
                     "needs_profile__needs")
    )
    found = []
    for born, sex, open_req, awaiting, place, kind, ends, needs in rows:
        situation = rules.PlacementSituation(
            date_of_birth=born, open_request=bool(open_req), referral_awaiting_request=bool(awaiting),
            placement_type=place or "", at_intake_base=kind == Provider.Kind.INTAKE_BASE, placement_ends_on=ends)
        reason = rules.placement_demand(situation, today)
        band = rules.age_band(born, today)
        if reason is None or band is None:
            continue
        age = age_on(born, today) if born and born <= today else None
        found.append(_Demand(demand=reason.demand, band=band, sex=sex if sex in rules.SEXES else "U", age=age,
                             needs=tuple(code for code in (needs or ()) if code in Need.values)))
    return found


def _turning_18(user: Any, today: dt.date) -> int:
    """Children in a placement whose 18th birthday falls in the next 6 months. One query."""
    earliest = anniversary(today, -rules.ADULT_AGE) - dt.timedelta(days=1)
    latest = anniversary(add_months(today, rules.TURNING_18_MONTHS), -rules.ADULT_AGE) + dt.timedelta(days=1)
    placed = _current_placements(today).filter(child=OuterRef("pk"))
    born = (access.children_visible_to(user).filter(date_of_death__isnull=True,
                                                     date_of_birth__range=(earliest, latest))
            .filter(Exists(placed)).values_list("date_of_birth", flat=True))
    return sum(1 for day in born if rules.turns_18_within(day, today))


@dataclass(frozen=True)
class _Vacancy:
    capacity: rules.Capacity
    needs_met: frozenset[str]


def _vacancies() -> list[_Vacancy]:
    """Providers in use with a vacancy: their approval and the needs they meet. One query."""
    rows = (Provider.objects.filter(active=True, vacancies__gt=0)
            .values_list("ages_from", "ages_to", "sexes", "place_type", "needs_met", "vacancies"))
    return [_Vacancy(rules.Capacity(ages_from=a, ages_to=b, sexes=s, supported_accommodation=p in SUPPORTED_ACCOMMODATION_TYPES,
                                    vacancies=v), frozenset(n or ()))
            for a, b, s, p, n, v in rows]


# --- The tables ------------------------------------------------------------------------------------


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def _demand_table(demand: Sequence[_Demand], turning_18: int) -> Table:
    counts = Counter((d.band, d.sex, d.demand) for d in demand)
    rows = []
    for band in rules.AgeBand:
        for sex in rules.SEXES:
            now, soon = counts[(band, sex, rules.Demand.NOW)], counts[(band, sex, rules.Demand.SOON)]
            if (band == rules.AgeBand.NOT_KNOWN or sex == "U") and not (now or soon):
                continue
            rows.append([rules.AGE_BAND_LABELS[band], rules.SEX_LABELS[sex], now, soon])
    bands = [b for b in rules.AgeBand if b != rules.AgeBand.NOT_KNOWN or any(d.band == b for d in demand)]
    now_total = sum(1 for d in demand if d.demand == rules.Demand.NOW)
    soon_total = len(demand) - now_total
    headline = (f"{_plural(now_total, 'child needs', 'children need')} a placement now, and "
                f"{soon_total} {'is' if soon_total == 1 else 'are'} likely to need one soon")
    return Table(
        key="demand", heading="Children who need a placement", headline=headline,
        caption="Children who need a placement, by age band and sex",
        columns=[("Age band", TEXT), ("Sex", TEXT), ("Need a placement now", COUNT), ("Likely to need one soon", COUNT)],
        rows=rows,
        chart=ChartSpec(title="Children who need a placement, by age band",
                        categories=[rules.AGE_BAND_LABELS[b] for b in bands],
                        series=[("Now", [sum(1 for d in demand if d.band == b and d.demand == rules.Demand.NOW) for b in bands]),
                                ("Soon", [sum(1 for d in demand if d.band == b and d.demand == rules.Demand.SOON) for b in bands])]),
        notes=[
            "Need a placement now: " + rules.NEEDS_NOW_REQUEST[0].lower() + rules.NEEDS_NOW_REQUEST[1:]
            + ", or " + rules.NEEDS_NOW_REFERRAL[0].lower() + rules.NEEDS_NOW_REFERRAL[1:] + ".",
            "Likely to need one soon: the current placement is temporary (SSDA903 types T0 to T4), the child is at "
            f"the intake base, or the placement is due to end within {rules.ENDING_SOON_DAYS // 7} weeks.",
            f"Not counted: young people aged 18 or over. {_plural(turning_18, 'young person', 'young people')} in a "
            f"placement {'turns' if turning_18 == 1 else 'turn'} 18 in the next {rules.TURNING_18_MONTHS} months and "
            "will need accommodation as care leavers (for example Staying Put or supported lodgings).",
            "Ages are worked out from the date of birth in use on the child's record.",
        ],
    )


def _needs_table(demand: Sequence[_Demand], vacancies: Sequence[_Vacancy]) -> Table:
    now = Counter(code for d in demand if d.demand == rules.Demand.NOW for code in d.needs)
    soon = Counter(code for d in demand if d.demand == rules.Demand.SOON for code in d.needs)
    able = Counter()
    for vacancy in vacancies:
        for code in vacancy.needs_met:
            able[code] += vacancy.capacity.vacancies
    codes = [code for code in NEEDS if now[code] or soon[code]]
    rows = [[Need(code).label, now[code], soon[code], able[code]] for code in codes]
    without = sum(1 for d in demand if not d.needs)
    if without:
        rows.append(["No needs recorded", sum(1 for d in demand if not d.needs and d.demand == rules.Demand.NOW),
                     sum(1 for d in demand if not d.needs and d.demand == rules.Demand.SOON), ""])
    shortfalls = sorted(((now[code] - able[code], code) for code in codes), key=lambda pair: -pair[0])
    if not codes:
        headline = "No child who needs a placement has needs recorded"
    elif shortfalls[0][0] > 0:
        short, code = shortfalls[0]
        headline = (f"{Need(code).label}: {_plural(now[code], 'child needs', 'children need')} it now, and "
                    f"{_plural(able[code], 'vacancy', 'vacancies')} can meet it")
    else:
        headline = "For every need, there are as many vacancies that can meet it as children who need it now"
    return Table(
        key="needs", heading="Needs", headline=headline,
        caption="Needs of the children who need a placement, and vacancies that can meet them",
        columns=[("Need", TEXT), ("Children who need a placement now", COUNT), ("Likely to need one soon", COUNT),
                 ("Vacancies at providers that can meet it", COUNT)],
        rows=rows,
        chart=ChartSpec(title="Children who need a placement now, and vacancies, by need",
                        categories=[Need(code).label for code in codes],
                        series=[("Children now", [now[c] for c in codes]), ("Vacancies", [able[c] for c in codes])]),
        notes=["A child with several needs is counted under each of them. The needs are those on the child's record; "
               "the vacancies are at providers that say they can meet the need."],
    )


def _capacity_table() -> Table:
    rows_q = (Provider.objects.filter(active=True).values("kind", "area")
              .annotate(providers=Count("id"), places=Sum("places"), vacancies=Sum("vacancies"))
              .order_by("kind", "area"))
    order = {kind: i for i, kind in enumerate(Provider.Kind.values)}
    rows_raw = sorted(rows_q, key=lambda r: (order.get(r["kind"], 99), r["area"].casefold()))
    rows = [[KIND_LABELS.get(r["kind"], r["kind"]), r["area"] or "Not recorded", r["providers"], r["places"] or 0,
             r["vacancies"] or 0] for r in rows_raw]
    by_kind: dict[str, int] = defaultdict(int)
    for r in rows_raw:
        by_kind[r["kind"]] += r["vacancies"] or 0
    kinds = [k for k in Provider.Kind.values if k in by_kind]
    total = sum(by_kind.values())
    if total == 0:
        headline = "There are no vacancies in the directory"
    else:
        most = max(kinds, key=lambda k: by_kind[k])
        where = f"at {KIND_PLURALS[most]}"
        headline = (f"There {'is' if total == 1 else 'are'} {_plural(total, 'vacancy', 'vacancies')}, "
                    + (f"all {where}" if by_kind[most] == total else f"{by_kind[most]} of them {where}"))
    return Table(
        key="capacity", heading="Vacancies", headline=headline,
        caption="Providers in use, places and vacancies, by kind and area",
        columns=[("Kind of provider", TEXT), ("Area", TEXT), ("Providers", COUNT), ("Places", COUNT),
                 ("Vacancies", COUNT)],
        rows=rows,
        chart=ChartSpec(title="Vacancies by kind of provider", categories=[KIND_LABELS[k] for k in kinds],
                        series=[("Vacancies", [by_kind[k] for k in kinds])]),
        notes=["Vacancies as last recorded in the directory; each provider's page says when and by whom."],
    )


def _gaps_table(demand: Sequence[_Demand], vacancies: Sequence[_Vacancy]) -> Table:
    children = [rules.ChildNeedingPlacement(age=d.age, sex=d.sex) for d in demand if d.demand == rules.Demand.NOW]
    capacity = [v.capacity for v in vacancies]
    gaps = rules.sufficiency_gaps(children, capacity)
    bands = rules.cover_by_band(children, capacity)
    return Table(
        key="gaps", heading="Gaps", headline=rules.gap_headline(children, capacity),
        caption="Children who need a placement now against vacancies that could take them, by age band and sex",
        columns=[("Age band", TEXT), ("Sex", TEXT), ("Children who need a placement now", COUNT),
                 ("Vacancies that could take them", COUNT), ("Children the vacancies could take", COUNT),
                 ("Gap", COUNT)],
        rows=[[rules.AGE_BAND_LABELS[g.band], rules.SEX_LABELS[g.sex], g.children, g.matching_vacancies, g.covered,
               g.gap] for g in gaps],
        chart=ChartSpec(title="Children who need a placement now, and how many the vacancies could take",
                        categories=[rules.AGE_BAND_LABELS[b.band] for b in bands],
                        series=[("Children", [b.children for b in bands]), ("Could be placed", [b.covered for b in bands])]),
        notes=[
            "A vacancy could take a child when the provider is approved for the child's age and sex, and, for "
            "supported accommodation, the child is 16 or 17: the hard rules of matching.",
            "Each row counts the vacancies as if that group had them to itself, so a vacancy for any child "
            "counts in several rows and the rows do not add up. The chart counts each age band's children "
            "together, each in a place of their own.",
            "The gap is the children who could not be placed, the duty being to secure sufficient accommodation "
            "for the children the council looks after (Children Act 1989, section 22G).",
        ],
    )


def _out_of_area_table(user: Any, today: dt.date) -> Table:
    figures = (_current_placements(today).filter(child_id__in=access.children_visible_to(user).values("id"))
               .aggregate(placed=Count("id"), away=Count("id", filter=Q(out_of_area=True))))
    placed, away = figures["placed"], figures["away"]
    near = placed - away
    return Table(
        key="out_of_area", heading="Children placed out of area", headline=rules.out_of_area_headline(away, placed),
        caption="Children in a placement today, in and outside the council's area",
        columns=[("Where", TEXT), ("Children", COUNT), ("Share", PERCENT)],
        rows=[["In the council's area", near, rules.percentage(near, placed)],
              ["Outside the council's area", away, rules.percentage(away, placed)]],
        chart=ChartSpec(title="Children in a placement, in and outside the council's area",
                        categories=["In the council's area", "Outside the council's area"],
                        series=[("Children", [near, away])]),
        notes=["Placements in force today, as recorded on each placement."],
    )


def _money(value: Any) -> Decimal | None:
    if value is None:
        return None
    return Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _cost_table(user: Any, today: dt.date) -> Table:
    money = DecimalField(max_digits=8, decimal_places=2)
    # The placement's own cost, or else the provider's (a provider's 0 means not recorded).
    cost = Coalesce("cost_per_week", NullIf("provider__cost_per_week", Value(0, output_field=money)),
                    output_field=money)
    rows_q = (_current_placements(today).filter(child_id__in=access.children_visible_to(user).values("id"))
              .annotate(cost=cost).values("provider__kind")
              .annotate(placements=Count("id"), costed=Count("cost"), average=Avg("cost"), lowest=Min("cost"),
                        highest=Max("cost"))
              .order_by("provider__kind"))
    order = {kind: i for i, kind in enumerate(Provider.Kind.values)}
    raw = sorted(rows_q, key=lambda r: order.get(r["provider__kind"], 99))
    rows = [[KIND_LABELS.get(r["provider__kind"], NOT_IN_DIRECTORY), r["placements"], r["costed"],
             _money(r["average"]), _money(r["lowest"]), _money(r["highest"])] for r in raw]
    costed = [row for row in rows if row[3] is not None]
    if costed:
        kinds = {KIND_LABELS.get(r["provider__kind"], NOT_IN_DIRECTORY): r["provider__kind"] for r in raw}
        dearest = max(costed, key=lambda row: row[3])
        amount = dearest[3]
        words = f"£{int(amount):,}" if amount == amount.to_integral_value() else f"£{amount:,.2f}"
        who = KIND_PLURALS.get(kinds[dearest[0]], "providers not in the directory")
        headline = f"Placements with {who} cost the most: {words} a week on average"
    else:
        headline = "No placement in force has a cost recorded"
    return Table(
        key="cost", heading="Cost per week", headline=headline,
        caption="Cost per week of placements in force today, by kind of provider",
        columns=[("Kind of provider", TEXT), ("Placements", COUNT), ("With a cost recorded", COUNT),
                 ("Average per week", MONEY), ("Lowest", MONEY), ("Highest", MONEY)],
        rows=rows,
        chart=ChartSpec(title="Average cost per week by kind of provider", categories=[row[0] for row in costed],
                        series=[("Average per week", [row[3] for row in costed])], money=True),
        notes=["The cost recorded on the placement, or else the provider's cost per week in the directory. "
               "Placements with neither are counted but not averaged."],
    )


def sufficiency_report(*, user: Any, today: dt.date) -> SufficiencyReport:
    """Every figure on the sufficiency page for this user (children they may see), as of ``today``."""
    demand = _demand(user, today)
    turning_18 = _turning_18(user, today)
    vacancies = _vacancies()
    tables = [
        _demand_table(demand, turning_18),
        _needs_table(demand, vacancies),
        _capacity_table(),
        _gaps_table(demand, vacancies),
        _out_of_area_table(user, today),
        _cost_table(user, today),
    ]
    now = sum(1 for d in demand if d.demand == rules.Demand.NOW)
    return SufficiencyReport(today=today, needing_now=now, likely_soon=len(demand) - now, turning_18=turning_18,
                             tables=tables)
