"""Running the return to date from the page (a task with progress) and from cron, and the errors
shown where they are fixed: the run page, the child's page and the team's home page."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from harbour.accounts.models import Role
from harbour.audit.models import AccessLogEntry, AuditEvent
from harbour.returns.export import child_code
from harbour.returns.models import ReturnFinding, ReturnRun
from harbour.reviews.models import Review

from .test_export import LEEDS, _came_into_care, _looked_after, _placed


@pytest.fixture(autouse=True)
def leeds(settings: Any) -> None:
    settings.HARBOUR_LA_ONS_CODE = LEEDS


@pytest.fixture
def team(make_team: Any) -> Any:
    return make_team()


@pytest.fixture
def worker(make_user: Any, team: Any) -> Any:
    return make_user(Role.SOCIAL_WORKER, team=team)


@pytest.fixture
def analyst(make_user: Any) -> Any:
    return make_user(Role.PERFORMANCE_ANALYST)


def _child_in_care(make_child: Any, worker: Any, participation: str = "PN1", **identity: Any) -> Any:
    child = make_child(social_worker=worker, date_of_birth=dt.date(2010, 5, 1), sex="M", ethnicity="BAFR",
                       upn_unknown_reason="UN2", is_uasc=True, **identity)
    _looked_after(child, worker, dt.date(2025, 6, 10))
    _placed(child, dt.date(2025, 6, 10), None, carer="Rahimi", placement_type="U6", urn="SC123456",
            postcode="LS2 7EW")
    Review.objects.create(child=child, held_on=dt.date(2025, 7, 4), participation=participation)
    _came_into_care(child, dt.date(2025, 6, 10))
    return child


def test_an_analyst_runs_the_return_and_reads_each_error_linked_to_its_child(
    make_child: Any, worker: Any, analyst: Any, signed_in: Any, django_capture_on_commit_callbacks: Any
) -> None:
    wrong = _child_in_care(make_child, worker, participation="PN0", given_names="Nasrin")  # PN0 at 15
    other = _child_in_care(make_child, worker, given_names="Hana")
    client = signed_in(analyst)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/returns/", {"year": "2026"})
    run = ReturnRun.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/returns/runs/{run.id}/"
    assert (run.state, run.progress, run.requested_by, run.children, run.errors) == ("done", 100, analyst, 2, 1)
    assert run.rows == {"Header": 2, "Episodes": 2, "Reviews": 2, "UASC": 2, "OC2": 0, "OC3": 0, "AD1": 0,
                        "PlacedAdoption": 0, "PrevPerm": 2, "Missing": 0, "SWEpisodes": 2}
    [finding] = ReturnFinding.objects.filter(run=run)
    row = 2 + sorted([wrong.id, other.id]).index(wrong.id)  # the return lists children by record id
    assert (finding.rule, finding.child_id, finding.table, finding.row) == ("440", wrong.id, "Reviews", row)

    page = client.get(f"/returns/runs/{run.id}/").content.decode()
    assert "1 error to fix in the return for 2 children" in page
    assert f'href="/children/{wrong.id}/#return-errors">Nasrin' in page

    download = client.get(f"/returns/runs/{run.id}/download/")
    names = sorted(zipfile.ZipFile(io.BytesIO(download.content)).namelist())
    assert names == ["ad1.csv", "episodes.csv", "header.csv", "missing.csv", "oc2.csv", "oc3.csv", "placedadoption.csv",
                     "prevperm.csv", "reviews.csv", "swepisodes.csv", "uasc.csv"]
    assert AuditEvent.objects.filter(record_type="ssda903_download", actor=analyst).count() == 1
    assert AccessLogEntry.objects.filter(route="export-903", user=analyst).count() == 2


def test_the_error_shows_on_the_childs_page_and_clears_when_the_record_is_fixed(
    make_child: Any, worker: Any, signed_in: Any, capsys: Any
) -> None:
    child = _child_in_care(make_child, worker, participation="PN0")
    call_command("check_903", "--year", "2026")
    page = signed_in(worker).get(f"/children/{child.id}/").content.decode()
    assert "SSDA903 return: 1 error to fix" in page
    assert "Rule 440" in page and "REVIEW_CODE: The child&#39;s participation in the review" in page

    Review.objects.filter(child=child).update(participation="PN1")
    call_command("check_903", "--year", "2026")
    assert "2025-26: 1 children, 0 errors" in capsys.readouterr().out.splitlines()[-1]
    assert "SSDA903 return" not in signed_in(worker).get(f"/children/{child.id}/").content.decode()


def test_the_nightly_check_logs_each_child_read_with_no_person(make_child: Any, worker: Any) -> None:
    child = _child_in_care(make_child, worker)
    call_command("check_903", "--year", "2026")
    [entry] = AccessLogEntry.objects.filter(route="export-903")
    assert (entry.user, entry.accessed_by, entry.child_id) == (None, "nightly SSDA903 check", child.id)


def test_the_team_leaders_home_page_lists_their_childrens_errors(
    make_child: Any, make_user: Any, worker: Any, team: Any, signed_in: Any
) -> None:
    ours = _child_in_care(make_child, worker, participation="PN0", given_names="Nasrin")
    other_worker = make_user(Role.SOCIAL_WORKER)  # in no team
    _child_in_care(make_child, other_worker, participation="PN0", given_names="Leyla")
    call_command("check_903", "--year", "2026")
    leader = make_user(Role.TEAM_LEADER, team=team)
    page = signed_in(leader).get("/").content.decode()
    assert "SSDA903 return: 1 child with errors" in page
    assert f'href="/children/{ours.id}/#return-errors">Nasrin Example</a>: 1 error (rules 440)' in page
    assert "Leyla" not in page


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.TEAM_LEADER, Role.IRO, Role.PARTNER])
def test_only_analysts_managers_and_the_director_run_the_return(make_user: Any, signed_in: Any, role: str) -> None:
    assert signed_in(make_user(role)).get("/returns/").status_code == 404


def test_choosing_no_year_is_refused_in_words(analyst: Any, signed_in: Any) -> None:
    response = signed_in(analyst).post("/returns/", {})
    assert response.status_code == 200
    assert 'href="#id_year">Select the collection year' in response.content.decode()
    assert not ReturnRun.objects.exists()


def test_a_run_that_has_not_finished_shows_its_progress(analyst: Any, signed_in: Any) -> None:
    run = ReturnRun.objects.create(year=2026, requested_by=analyst, state="running", progress=40,
                                   stage="Checking the files against the DfE's rules")
    page = signed_in(analyst).get(f"/returns/runs/{run.id}/").content.decode()
    assert "40% done: Checking the files against the DfE&#39;s rules." in page
    assert signed_in(analyst).get(f"/returns/runs/{run.id}/download/").status_code == 404


def test_the_run_page_reads_in_a_fixed_number_of_queries(make_child: Any, worker: Any, analyst: Any,
                                                          signed_in: Any) -> None:
    run = ReturnRun.objects.create(year=2026, requested_by=analyst, state="done", progress=100, errors=0)
    client = signed_in(analyst)

    def queries_for(count: int) -> int:
        for _ in range(count):
            child = make_child(social_worker=worker)
            ReturnFinding.objects.create(run=run, child=child, rule="440", message="m", fields="REVIEW_CODE",
                                         table="Reviews", row=2)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/returns/runs/{run.id}/").status_code == 200
        return len(captured)

    assert queries_for(1) == queries_for(25)


def test_the_child_code_in_a_finding_is_the_one_written(make_child: Any, worker: Any) -> None:
    child = make_child(social_worker=worker)
    assert len(child_code(child.id)) == 10 and child_code(child.id) == child_code(str(child.id))
