"""The dashboards, the children behind a figure and the API, against records in the database:
who may open what, that each figure counts only the children in the user's access, and that the
page, its CSV and the API give the same numbers.

The council: team A's social worker has Amir (looked after a year, three placements since) and
Leah (a care leaver who turned 19 twenty days ago, in touch and at university); team B's social
worker has Bea (looked after, one placement) and an NTS referral that arrived within its deadline.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from harbour.accounts.models import Allocation, ApiToken, Role
from harbour.children.models import PeriodLookedAfter
from harbour.domain.ages import add_months
from harbour.domain.review_measures import MONTH_NAMES
from harbour.leaving_care.models import AdviserContact
from harbour.placements.models import Placement
from harbour.referrals.models import Arrival, FundingClaim, Referral
from harbour.reporting.dashboards import DASHBOARDS

pytestmark = pytest.mark.django_db


def _placement(child: Any, start: dt.date, end: dt.date | None, cost: str | None = None,
               carer: str = "Foster carer") -> Placement:
    return Placement.objects.create(child=child, start=start, end=end, placement_type="U1",
                                    carer_or_provider=carer, cost_per_week=Decimal(cost) if cost else None)


@pytest.fixture
def council(make_team, make_user, make_child) -> dict[str, Any]:
    today = timezone.localdate()
    team_a, team_b = make_team("Team A"), make_team("Team B")
    worker_a = make_user(Role.SOCIAL_WORKER, team=team_a)
    worker_b = make_user(Role.SOCIAL_WORKER, team=team_b)
    adviser = make_user(Role.PERSONAL_ADVISER, team=team_a)
    people = {
        "worker": worker_a, "leader": make_user(Role.TEAM_LEADER, team=team_a),
        "director": make_user(Role.DIRECTOR), "analyst": make_user(Role.PERFORMANCE_ANALYST),
        "iro_manager": make_user(Role.IRO_MANAGER), "adviser": adviser,
    }
    year_ago = today - dt.timedelta(days=365)
    amir = make_child(social_worker=worker_a, given_names="Amir", family_name="Aldous", date_of_birth=dt.date(2012, 5, 1))
    PeriodLookedAfter.objects.create(child=amir, start=year_ago)
    # Three carers: the same carer throughout would be one placement to the DfE stability measure.
    _placement(amir, year_ago, year_ago + dt.timedelta(days=100), carer="Ash family")
    _placement(amir, year_ago + dt.timedelta(days=101), year_ago + dt.timedelta(days=200), carer="Birch family")
    _placement(amir, year_ago + dt.timedelta(days=201), None, carer="Cedar family")
    birthday = today - dt.timedelta(days=20)
    leah = make_child(social_worker=worker_a, given_names="Leah", family_name="Lowe",
                      date_of_birth=add_months(birthday, -12 * 19))
    PeriodLookedAfter.objects.create(child=leah, start=add_months(birthday, -12 * 5), end=add_months(birthday, -12))
    Allocation.objects.create(child=leah, worker=adviser, kind=Allocation.Kind.PERSONAL_ADVISER, start=year_ago)
    AdviserContact.objects.create(child=leah, contacted_on=birthday + dt.timedelta(days=1), adviser=adviser,
                                  in_touch="YES", activity="F1", accommodation="U", accommodation_suitable=True)
    bea = make_child(social_worker=worker_b, given_names="Bea", family_name="Brown", date_of_birth=dt.date(2009, 2, 3))
    arrived = today - dt.timedelta(days=30)
    PeriodLookedAfter.objects.create(child=bea, start=arrived)
    first = _placement(bea, arrived, None, cost="700")
    referral = Referral.objects.create(
        child=bea, team=team_b, received_at=timezone.now() - dt.timedelta(days=33), referring_authority="Kent",
        nts_reference="NTS-1", transfer_due=arrived + dt.timedelta(days=1), transfer_working_days=5,
        status=Referral.Status.ARRIVED, recorded_by=worker_b)
    Arrival.objects.create(referral=referral, arrived_at=timezone.now() - dt.timedelta(days=30),
                           first_placement=first, within_deadline=True, working_days_taken=3, recorded_by=worker_b)
    FundingClaim.objects.create(child=bea, referral=referral, claim_from=arrived, nightly_rate=Decimal("143"),
                                basis="Under 16 rate")
    return {"people": people, "amir": amir, "leah": leah, "bea": bea, "today": today, "birthday": birthday,
            "arrived": arrived}


def _csv(response: Any) -> dict[tuple[str, str], tuple[int, int]]:
    """(measure, period) -> (numerator, denominator) from a dashboard's CSV, whose first eight
    columns hold no commas (the title and the period's label come last)."""
    assert response["Content-Type"].startswith("text/csv")
    found = {}
    for line in response.content.decode("utf-8-sig").splitlines()[1:]:
        cells = line.split(",", 8)
        found[(cells[0], cells[1])] = (int(cells[4]), int(cells[5]))
    return found


@pytest.mark.parametrize(("role", "status"), [
    (Role.SOCIAL_WORKER, 403), (Role.PERSONAL_ADVISER, 403), (Role.PARTNER, 403), (Role.IRO, 403),
])
def test_roles_without_a_dashboard_are_refused(role, status, make_user, signed_in) -> None:
    client = signed_in(make_user(role))
    assert client.get("/performance/").status_code == status
    assert client.get("/performance/director/").status_code == status


def test_one_dashboard_goes_straight_to_it_and_others_choose(council, signed_in) -> None:
    people = council["people"]
    assert signed_in(people["director"]).get("/performance/").url == "/performance/director/"
    assert signed_in(people["iro_manager"]).get("/performance/").url == "/performance/iro/"
    leader = signed_in(people["leader"]).get("/performance/").content.decode()
    assert _links(leader, "/performance/") == {"team", "leaving-care"}
    analyst = signed_in(people["analyst"]).get("/performance/").content.decode()
    assert _links(analyst, "/performance/") == {"team", "iro", "leaving-care", "director"}


def _links(html: str, prefix: str) -> set[str]:
    """The dashboards a page's main content links to."""
    main = html[html.index("<main"):html.index("</main>")]
    return set(re.findall(rf'href="{prefix}([\w-]+)/"', main))


def test_a_role_opens_only_its_own_dashboards_and_the_analyst_every_one(council, signed_in) -> None:
    leader, analyst = signed_in(council["people"]["leader"]), signed_in(council["people"]["analyst"])
    assert leader.get("/performance/director/").status_code == 404
    assert leader.get("/performance/iro/").status_code == 404
    assert leader.get("/performance/team/").status_code == 200
    for key in ("team", "iro", "leaving-care", "director"):
        assert analyst.get(f"/performance/{key}/").status_code == 200
    assert analyst.get("/performance/nowhere/").status_code == 404


def test_the_directors_dashboard_shows_every_measure_with_chart_table_and_headline(council, signed_in) -> None:
    html = signed_in(council["people"]["analyst"]).get("/performance/director/").content.decode()
    today = council["today"]
    month = today.strftime("%Y-%m")
    for key in DASHBOARDS["director"].measures:
        section = html[html.index(f'id="measure-{key}"'):]
        section = section[:section.index("</section>")]
        assert '<svg class="harbour-chart"' in section and '<table class="govuk-table">' in section, key
        assert 'format=csv' in section and 'class="govuk-body-l harbour-headline"' in section, key
    # Amir (3 placements) of Amir and Bea, for the service: the headline says it.
    assert f"Children with 3 or more placements in the year: 50% in {MONTH_NAMES[today.month - 1]} {today.year} " \
           "(1 of 2)" in html
    assert f"/performance/placements_3_plus/{month}/" in html
    assert "England: 85% (2019)" in html  # suitable accommodation's national figure


def test_figures_count_only_the_children_in_the_users_access(council, signed_in) -> None:
    month = council["today"].strftime("%Y-%m")
    service = _csv(signed_in(council["people"]["director"]).get("/performance/director/?format=csv"))
    team = _csv(signed_in(council["people"]["leader"]).get("/performance/team/?format=csv"))
    assert service[("placements_3_plus", month)] == (1, 2)  # Amir of Amir and Bea
    assert team[("placements_3_plus", month)] == (1, 1)  # Bea is team B's
    arrival_month = (council["arrived"] + dt.timedelta(days=1)).strftime("%Y-%m")
    assert service[("nts_transfers", arrival_month)] == (1, 1)
    assert team[("nts_transfers", arrival_month)] == (0, 0)  # Bea was referred to team B
    birthday_month = council["birthday"].strftime("%Y-%m")
    assert service[("leavers_higher_education", birthday_month)] == (1, 1)


def test_the_records_behind_a_figure_are_the_users_children_each_linking_to_the_child(council, signed_in) -> None:
    month = council["today"].strftime("%Y-%m")
    analyst = signed_in(council["people"]["analyst"]).get(f"/performance/placements_3_plus/{month}/")
    leader = signed_in(council["people"]["leader"]).get(f"/performance/placements_3_plus/{month}/")
    amir, bea = council["amir"], council["bea"]
    rows = re.findall(r'href="/children/([\w-]+)/">[^<]+</a></td>\s*<td[^>]*>[^<]*</td>\s*<td[^>]*>.*?>\s*(Yes|No)\s*<',
                      analyst.content.decode(), re.S)
    assert rows == [(str(amir.pk), "Yes"), (str(bea.pk), "No")]
    assert re.findall(r'href="/children/([\w-]+)/"', leader.content.decode()) == [str(amir.pk)]


@pytest.mark.parametrize("path", ["/performance/nowhere/2026-01/", "/performance/reviews/1999-01/",
                                  "/performance/reviews/not-a-period/"])
def test_an_unknown_measure_or_period_is_not_found(path, council, signed_in) -> None:
    assert signed_in(council["people"]["analyst"]).get(path).status_code == 404


def test_a_leader_cannot_open_the_records_of_a_measure_not_on_their_dashboards(council, signed_in) -> None:
    month = council["today"].strftime("%Y-%m")
    assert signed_in(council["people"]["leader"]).get(f"/performance/home_office_funding/{month}/").status_code == 404


def _api(user: Any) -> Any:
    from django.test import Client

    _, raw = ApiToken.issue(user=user, name="perf")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def test_the_api_gives_the_dashboards_numbers(council, signed_in) -> None:
    director = council["people"]["director"]
    page = _csv(signed_in(director).get("/performance/director/?format=csv"))
    month = council["today"].strftime("%Y-%m")
    answer = _api(director).get(f"/api/v1/performance/figures/?period={month}")
    assert answer.status_code == 200
    api = {(row["measure"], row["period"]): (row["numerator"], row["denominator"]) for row in answer.json()}
    assert len(api) == 16
    assert api == {key: value for key, value in page.items() if key[1] == month}
    whole_year = _api(director).get("/api/v1/performance/figures/?measure=leavers_in_touch").json()
    assert {(r["measure"], r["period"]): (r["numerator"], r["denominator"]) for r in whole_year} == {
        key: value for key, value in page.items() if key[0] == "leavers_in_touch"}


def test_the_api_lists_the_measures_with_their_national_figures(council) -> None:
    answer = _api(council["people"]["analyst"]).get("/api/v1/performance/measures/").json()
    by_key = {row["key"]: row for row in answer}
    assert by_key["leavers_suitable_accommodation"]["national"] == {
        "value": 85, "year": "2019", "source": by_key["leavers_suitable_accommodation"]["national"]["source"],
        "url": "https://explore-education-statistics.service.gov.uk/find-statistics/"
               "children-looked-after-in-england-including-adoptions"}
    assert by_key["leavers_eet"]["national"] is None and "unconfirmed" in by_key["leavers_eet"]["national_note"]


@pytest.mark.parametrize(("query", "field"), [("period=1999-01", "period"), ("period=Q5", "period"),
                                              ("measure=nothing", "measure")])
def test_the_api_names_the_bad_field(query, field, council) -> None:
    answer = _api(council["people"]["analyst"]).get(f"/api/v1/performance/figures/?{query}")
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["loc"] == ["query", field]


def test_the_api_refuses_a_role_without_dashboards_and_a_measure_off_the_users_dashboards(council) -> None:
    assert _api(council["people"]["worker"]).get("/api/v1/performance/figures/").status_code == 403
    assert _api(council["people"]["worker"]).get("/api/v1/performance/measures/").status_code == 403
    answer = _api(council["people"]["leader"]).get("/api/v1/performance/figures/?measure=home_office_funding")
    assert answer.status_code == 422


def test_the_navigation_shows_performance_to_its_roles(council, signed_in) -> None:
    for key, shown in (("director", True), ("analyst", True), ("leader", True), ("worker", False)):
        html = signed_in(council["people"][key]).get("/").content.decode()
        assert ('href="/performance/"' in html) is shown, key


def test_the_checks_are_the_iro_measures_own(council) -> None:
    """The dashboards read the same reviews, visits, health assessments and PEPs as the review
    measures page (harbour.reviews.selectors.measure_data), twice (the second from memory)."""
    from harbour.accounts import access
    from harbour.core.calendar import council_calendar
    from harbour.reporting.measures import _checks
    from harbour.reviews.selectors import measure_data

    visible = access.children_visible_to(council["people"]["director"])
    theirs = measure_data(visible, today=council["today"], calendar=council_calendar())
    assert theirs.occurrences
    for _ in range(2):
        ours, held = _checks(visible, today=council["today"])
        def key(o: Any) -> tuple:
            return o.child_id, str(o.kind), o.due, o.met_on or dt.date.min, o.late_reason

        assert sorted(ours, key=key) == sorted(theirs.occurrences, key=key)
        assert sorted(held, key=repr) == sorted(theirs.reviews, key=repr)


def test_the_collector_is_paused_while_counting_and_left_as_it_was() -> None:
    import gc

    from harbour.core.collector import collector_paused

    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():  # another request on another thread, say
            assert not gc.isenabled()
        assert not gc.isenabled()  # still counting: not enabled by the inner one
    assert gc.isenabled()
    with pytest.raises(ValueError), collector_paused():
        raise ValueError("a page that fails")
    assert gc.isenabled()
    gc.disable()  # disabled by something else: left disabled
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_figure_asked_twice_is_counted_once_and_is_the_same() -> None:
    from harbour.domain.measures import MeasureData, figures
    from harbour.domain.review_measures import Occurrence, quarters_between

    today = dt.date(2026, 7, 15)
    data = MeasureData(occurrences=(Occurrence("a", "visit", dt.date(2026, 5, 1), dt.date(2026, 5, 1)),))
    quarters = quarters_between(dt.date(2026, 1, 1), today)
    first = figures(data, quarters[-2:], today, keys=["visits"])["visits"]
    again = figures(data, quarters, today, keys=["visits"])["visits"]
    assert again[-2:] == first and again[-2] is first[0]  # kept in the data, not counted again
    assert (first[0].numerator, first[0].denominator) == (1, 1)
    fresh = figures(MeasureData(occurrences=data.occurrences), quarters, today, keys=["visits"])["visits"]
    assert fresh == again and fresh[-2] is not first[0]  # another request counts its own
