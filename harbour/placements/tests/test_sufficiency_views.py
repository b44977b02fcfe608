"""The sufficiency page: who may see it, the figures (demand, needs, vacancies, gaps, out of area,
cost), counts only of children the user may see and never their names, CSV downloads, and a fixed
number of queries whatever the number of providers and children."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from harbour.accounts.models import Allocation, PartnerAgency, Role
from harbour.children.models import Child
from harbour.domain.ages import anniversary
from harbour.placements.models import NeedsProfile, Placement, PlacementRequest, Provider
from harbour.placements.selectors_sufficiency import sufficiency_report
from harbour.referrals.models import Referral

pytestmark = pytest.mark.django_db

SENTINEL = "Zzsentinelname"


def born(age: int, days_after_birthday: int = 30) -> dt.date:
    """A date of birth that makes the child ``age`` today, ``days_after_birthday`` days past the birthday."""
    return anniversary(timezone.localdate(), -age) - dt.timedelta(days=days_after_birthday)


def provider(name: str, kind: str, *, ages: tuple[int, int] = (0, 17), sexes: str = "any", place_type: str = "U6",
             vacancies: int = 0, places: int = 4, cost: str = "0", area: str = "Harbourside", needs: tuple = (),
             active: bool = True) -> Provider:
    return Provider.objects.create(name=name, kind=kind, ages_from=ages[0], ages_to=ages[1], sexes=sexes,
                                   place_type=place_type, place_provider="PR4", vacancies=vacancies, places=places,
                                   cost_per_week=Decimal(cost), area=area, needs_met=list(needs), active=active)


@dataclass
class Scenario:
    worker: Any
    leader: Any
    team: Any
    other_team_child: Any
    providers: dict[str, Provider]


def child(given: str, age: int | None, sex: str, *, worker: Any = None, days: int = 30, **extra: Any) -> Child:
    made = Child.unscoped.create(given_names=given, family_name=SENTINEL, sex=sex,
                                 date_of_birth=born(age, days) if age is not None else None, **extra)
    if worker is not None:
        Allocation.objects.create(child=made, worker=worker, kind=Allocation.Kind.SOCIAL_WORKER,
                                  start=timezone.localdate() - dt.timedelta(days=100))
    return made


def build_scenario(make_team: Any, make_user: Any) -> Scenario:
    """Ten children and four providers whose figures are worked out by hand in the tests below."""
    today = timezone.localdate()
    team = make_team()
    leader = make_user(Role.TEAM_LEADER, team=team)
    worker = make_user(Role.SOCIAL_WORKER, team=team)
    outsider = make_user(Role.SOCIAL_WORKER, team=make_team())
    providers = {
        "supported": provider("Harbour Point", "supported_accommodation", ages=(16, 17), place_type="K3",
                              vacancies=1, cost="1200", needs=("education",)),
        "carer": provider("Jones family", "foster_carer", vacancies=1, cost="500", needs=("health", "trauma")),
        "home": provider("Seaview House", "childrens_home", ages=(12, 17), sexes="M", place_type="K2", vacancies=2,
                         cost="4500", area="Northside"),
        "closed": provider("Old House", "childrens_home", vacancies=4, active=False),
        "intake": provider("Intake base", "intake_base", place_type="K2"),
    }
    ago = today - dt.timedelta(days=40)

    a = child("Amir", 16, "M", worker=worker)  # now: an open request
    PlacementRequest.objects.create(child=a, needed_from=today, created_by=leader, status="searching")
    NeedsProfile.objects.create(child=a, needs=["trauma", "education"])
    b = child("Bana", 17, "F", worker=outsider)  # now: NTS referral, no request yet
    Referral.objects.create(child=b, team=team, received_at=timezone.now(), referring_authority="Kent",
                            nts_reference="NTS-1", transfer_due=today, transfer_working_days=5, recorded_by=leader,
                            status="accepted")
    c = child("Cara", 8, "F", worker=worker)  # now: a request not sent yet
    PlacementRequest.objects.create(child=c, needed_from=today, created_by=leader, status="draft")
    NeedsProfile.objects.create(child=c, needs=["health"])
    d = child("Dawit", 12, "M", worker=worker)  # soon: temporary placement, out of area
    Placement.objects.create(child=d, start=ago, placement_type="T4", carer_or_provider="Hotel", out_of_area=True)
    e = child("Elham", 15, "M", worker=worker)  # soon: at the intake base
    Placement.objects.create(child=e, start=ago, placement_type="K2", carer_or_provider="Intake base",
                             provider=providers["intake"])
    f = child("Fatima", 14, "F", worker=worker)  # soon: placement ends in 30 days; costed from the provider
    Placement.objects.create(child=f, start=ago, end=today + dt.timedelta(days=30), placement_type="U6",
                             carer_or_provider="Jones family", provider=providers["carer"])
    g = child("Goitom", 17, "M", worker=worker, days=365 - 90)  # turns 18 in about 3 months: not demand
    Placement.objects.create(child=g, start=ago, placement_type="U6", carer_or_provider="Smith family",
                             cost_per_week=Decimal("600"))
    h = child("Hassan", 16, "M", worker=worker)  # a cancelled request: not demand
    PlacementRequest.objects.create(child=h, needed_from=today, created_by=leader, status="cancelled")
    i = child("Ibrahim", 16, "M", worker=worker)  # a referral whose request has placed him: not demand
    referral = Referral.objects.create(child=i, team=team, received_at=timezone.now(), referring_authority="Kent",
                                       nts_reference="NTS-2", transfer_due=today, transfer_working_days=5,
                                       recorded_by=leader, status="accepted")
    PlacementRequest.objects.create(child=i, referral=referral, needed_from=today, created_by=leader, status="placed")
    j = child("Jamal", 16, "M", worker=worker, date_of_death=today - dt.timedelta(days=3))  # never counted
    PlacementRequest.objects.create(child=j, needed_from=today, created_by=leader, status="searching")
    return Scenario(worker=worker, leader=leader, team=team, other_team_child=b, providers=providers)


@pytest.fixture
def scenario(make_team, make_user) -> Scenario:
    return build_scenario(make_team, make_user)


def rows_of(report, key: str) -> list[list[Any]]:
    return report.table(key).rows


ALLOWED = [Role.COMMISSIONING_OFFICER, Role.PLACEMENTS_OFFICER, Role.TEAM_MANAGER, Role.DIRECTOR,
           Role.PERFORMANCE_ANALYST]


@pytest.mark.parametrize("role", ALLOWED)
def test_commissioners_and_managers_see_the_page(role, make_user, signed_in, scenario):
    response = signed_in(make_user(role)).get("/placements/sufficiency/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1 class=\"govuk-heading-l\">Sufficiency</h1>" in html


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.TEAM_LEADER, Role.IRO, Role.PERSONAL_ADVISER,
                                  Role.ADMINISTRATOR, Role.PARTNER])
def test_others_do_not(role, make_user, signed_in, make_agency):
    agency = make_agency(PartnerAgency.Kind.PROVIDER) if role == Role.PARTNER else None
    client = signed_in(make_user(role, agency=agency))
    assert client.get("/placements/sufficiency/").status_code == 404
    assert client.get("/placements/sufficiency/?format=csv&table=gaps").status_code == 404


def test_the_figures(make_user, scenario):
    report = sufficiency_report(user=make_user(Role.COMMISSIONING_OFFICER), today=timezone.localdate())
    assert (report.needing_now, report.likely_soon, report.turning_18) == (3, 3, 1)
    assert rows_of(report, "demand") == [
        ["Under 10", "Boys", 0, 0], ["Under 10", "Girls", 1, 0],
        ["10 to 15", "Boys", 0, 2], ["10 to 15", "Girls", 0, 1],
        ["16 and 17", "Boys", 1, 0], ["16 and 17", "Girls", 1, 0],
    ]
    assert report.table("demand").headline == "3 children need a placement now, and 3 are likely to need one soon"
    assert rows_of(report, "needs") == [
        ["Physical health needs", 1, 0, 1], ["Trauma-informed care", 1, 0, 1], ["Help into school or college", 1, 0, 1],
        ["No needs recorded", 1, 3, ""],
    ]
    assert rows_of(report, "capacity") == [
        ["Council foster carer", "Harbourside", 1, 4, 1],
        ["Council intake base", "Harbourside", 1, 4, 0],
        ["Children's home", "Northside", 1, 4, 2],
        ["Registered supported accommodation", "Harbourside", 1, 4, 1],
    ]
    assert report.table("capacity").headline == "There are 4 vacancies, 2 of them at children's homes"
    assert rows_of(report, "gaps") == [
        ["Under 10", "Boys", 0, 1, 0, 0], ["Under 10", "Girls", 1, 1, 1, 0],
        ["10 to 15", "Boys", 0, 3, 0, 0], ["10 to 15", "Girls", 0, 1, 0, 0],
        ["16 and 17", "Boys", 1, 4, 1, 0], ["16 and 17", "Girls", 1, 2, 1, 0],
    ]
    assert report.table("gaps").headline == "Vacancies could cover all 3 children who need a placement now"
    assert rows_of(report, "out_of_area") == [["In the council's area", 3, 75], ["Outside the council's area", 1, 25]]
    assert report.table("out_of_area").headline == (
        "1 of the 4 children in a placement (25%) lives outside the council's area")
    assert rows_of(report, "cost") == [
        ["Council foster carer", 1, 1, Decimal("500.00"), Decimal("500.00"), Decimal("500.00")],
        ["Council intake base", 1, 0, None, None, None],
        ["Not in the directory", 2, 1, Decimal("600.00"), Decimal("600.00"), Decimal("600.00")],
    ]
    assert report.table("cost").headline == (
        "Placements with providers not in the directory cost the most: £600 a week on average")


def test_a_gap_when_the_vacancies_go(make_user, scenario):
    Provider.objects.filter(pk=scenario.providers["supported"].pk).update(vacancies=0)
    Provider.objects.filter(pk=scenario.providers["carer"].pk).update(vacancies=0)
    report = sufficiency_report(user=make_user(Role.COMMISSIONING_OFFICER), today=timezone.localdate())
    assert report.table("gaps").headline == "Vacancies for children under 10 cover 0 of the 1 child who needs them"
    assert ["16 and 17", "Girls", 1, 0, 0, 1] in rows_of(report, "gaps")


def test_children_are_counted_only_through_the_access_module(scenario, make_user):
    """The figures count whatever children the access module lets the user see. Every role that
    reaches the page sees the whole service; a team leader (who does not) shows the scoping."""
    today = timezone.localdate()
    # Bana is allocated to a social worker in another team; her NTS referral came to this team.
    assert sufficiency_report(user=scenario.leader, today=today).needing_now == 3
    other_leader = make_user(Role.TEAM_LEADER, team=scenario.other_team_child.allocations.get().worker.team)
    theirs = sufficiency_report(user=other_leader, today=today)
    assert (theirs.needing_now, theirs.likely_soon) == (1, 0)  # Bana only
    nobody = sufficiency_report(user=make_user(Role.TEAM_LEADER, team=None), today=today)
    assert (nobody.needing_now, nobody.likely_soon, nobody.turning_18) == (0, 0, 0)
    assert rows_of(nobody, "out_of_area") == [["In the council's area", 0, 0], ["Outside the council's area", 0, 0]]
    assert rows_of(nobody, "cost") == []


def test_no_child_is_named_on_the_page_or_in_any_download(make_user, signed_in, scenario):
    client = signed_in(make_user(Role.COMMISSIONING_OFFICER))
    bodies = [client.get("/placements/sufficiency/").content.decode()]
    for key in ("demand", "needs", "capacity", "gaps", "out_of_area", "cost"):
        bodies.append(client.get(f"/placements/sufficiency/?format=csv&table={key}").content.decode())
    for body in bodies:
        assert SENTINEL not in body and "Amir" not in body and "Bana" not in body


def test_every_block_has_a_chart_a_headline_a_table_and_a_download(make_user, signed_in, scenario):
    html = signed_in(make_user(Role.DIRECTOR)).get("/placements/sufficiency/").content.decode()
    for key in ("demand", "needs", "capacity", "gaps", "out_of_area", "cost"):
        assert f'id="{key}"' in html
        assert f'aria-labelledby="chart-{key}-title chart-{key}-desc"' in html
        assert f'href="?format=csv&amp;table={key}"' in html
    assert "Vacancies could cover all 3 children who need a placement now" in html
    assert html.count('<table class="govuk-table">') == 6
    assert "section 22G" in html
    assert "turn 18 in the next 6 months" in html or "turns 18 in the next 6 months" in html


def parse_csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8").removeprefix("\ufeff"), newline="")))


def test_the_csv_has_the_same_numbers_as_the_table(make_user, signed_in, scenario):
    response = signed_in(make_user(Role.PERFORMANCE_ANALYST)).get("/placements/sufficiency/?format=csv&table=gaps")
    assert response.status_code == 200 and response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="sufficiency-gaps-')
    rows = parse_csv(response)
    assert rows[0] == ["Age band", "Sex", "Children who need a placement now", "Vacancies that could take them",
                       "Children the vacancies could take", "Gap"]
    assert rows[-1] == ["16 and 17", "Girls", "1", "2", "1", "0"]
    cost = parse_csv(signed_in(make_user(Role.PERFORMANCE_ANALYST)).get("/placements/sufficiency/?format=csv&table=cost"))
    assert cost[1] == ["Council foster carer", "1", "1", "500.00", "500.00", "500.00"]


def test_a_formula_typed_into_the_directory_is_neutralised_in_the_csv(make_user, signed_in, scenario):
    Provider.objects.filter(pk=scenario.providers["home"].pk).update(area='=HYPERLINK("http://evil","x")')
    rows = parse_csv(signed_in(make_user(Role.COMMISSIONING_OFFICER)).get(
        "/placements/sufficiency/?format=csv&table=capacity"))
    assert ["Children's home", "'=HYPERLINK(\"http://evil\",\"x\")", "1", "4", "2"] in rows


def test_an_unknown_table_is_404(make_user, signed_in):
    assert signed_in(make_user(Role.DIRECTOR)).get("/placements/sufficiency/?format=csv&table=names").status_code == 404


def test_an_empty_council(make_user, signed_in):
    html = signed_in(make_user(Role.COMMISSIONING_OFFICER)).get("/placements/sufficiency/").content.decode()
    for headline in ("0 children need a placement now, and 0 are likely to need one soon",
                     "There are no vacancies in the directory", "No child needs a placement now",
                     "No child is in a placement", "No placement in force has a cost recorded"):
        assert headline in html


# --- Queries --------------------------------------------------------------------------------------


def _grow(n_providers: int, n_children: int, leader: Any, start: int) -> None:
    kinds = list(Provider.Kind.values)
    Provider.objects.bulk_create(
        Provider(name=f"P{i}", kind=kinds[i % len(kinds)], area=f"Area {i % 5}", place_type="K3" if i % 7 == 0 else "U6",
                 place_provider="PR4", places=3, vacancies=i % 3, ages_from=16 if i % 7 == 0 else 0, ages_to=17,
                 sexes=["any", "M", "F"][i % 3], needs_met=["trauma"] if i % 2 else [], cost_per_week=Decimal("700"))
        for i in range(start, start + n_providers))
    today = timezone.localdate()
    children = Child.unscoped.bulk_create(
        Child(given_names=f"C{i}", family_name=SENTINEL, sex="MF"[i % 2], date_of_birth=born(i % 18))
        for i in range(start, start + n_children))
    PlacementRequest.objects.bulk_create(
        PlacementRequest(child=c, needed_from=today, created_by=leader, status="searching", needs=[])
        for c in children[::2])
    Placement.objects.bulk_create(
        Placement(child=c, start=today - dt.timedelta(days=10), placement_type="T4" if i % 3 else "U6",
                  carer_or_provider="Somewhere", out_of_area=bool(i % 4 == 0), cost_per_week=Decimal("900"))
        for i, c in enumerate(children[1::2]))
    NeedsProfile.objects.bulk_create(NeedsProfile(child=c, needs=["trauma", "health"]) for c in children[::3])


def _count(client, path: str) -> tuple[int, int]:
    client.get(path)  # warm
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    return response.status_code, len(queries)


@pytest.mark.parametrize("path", ["/placements/sufficiency/", "/placements/sufficiency/?format=csv&table=gaps"])
def test_the_page_keeps_the_same_number_of_queries_for_10_or_1000_providers(path, make_user, signed_in, scenario):
    client = signed_in(make_user(Role.COMMISSIONING_OFFICER))
    _grow(10, 10, scenario.leader, start=0)
    small = _count(client, path)
    _grow(990, 600, scenario.leader, start=10)
    large = _count(client, path)
    assert small[0] == large[0] == 200
    assert small[1] == large[1], f"{small[1]} queries for 10 providers, {large[1]} for 1,000"
    assert small[1] <= 16
