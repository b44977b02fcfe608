"""The board report from draft to published PDF, on the council in support.py (counted by hand)."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from harbour.accounts.models import ApiToken, Role
from harbour.audit.models import AuditEvent
from harbour.domain.board_report import last_quarter
from harbour.reporting.board.models import BoardReport, Section, SectionCommentary

from .support import PERIOD, Council, add_leaver, build_council, figure

pytestmark = pytest.mark.django_db
SUITABLE = "leavers_suitable_accommodation"


@pytest.fixture
def council(make_user: Any, make_team: Any) -> Council:
    return build_council(make_user, make_team)


def _draft(client: Client, period: str = PERIOD) -> BoardReport:
    response = client.post("/board/new/", {"period": period})
    assert response.status_code == 302, response.content.decode()
    return BoardReport.objects.get(pk=response["Location"].strip("/").split("/")[-1])


def _comment_on_every_section(client: Client, report: BoardReport) -> None:
    for section in Section.values:
        report.refresh_from_db()
        data = ({"nothing_to_add": "on", "text": ""} if section == Section.VOICE
                else {"text": f"What lies behind the {section} figures."})
        response = client.post(f"/board/{report.pk}/sections/{section}/", {**data, "version": report.version})
        assert response.status_code == 302, response.content.decode()


def _bearer(user: Any) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(user=user, name='test')[1]}"}


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_draft_states_the_figures_counted_by_hand(council: Council, signed_in: Any) -> None:
    client = signed_in(council.analyst)
    report = _draft(client)
    page = _text(client.get(f"/board/{report.pk}/").content.decode())
    assert ("Care leavers aged 19 to 21 in suitable accommodation rose from 0% to 67%, below the national "
            "figure of 85% (2019).") in page
    assert "Care leavers aged 19 to 21 in higher education was 33%" not in page  # Q1 had a figure (0 of 1)
    assert "Care leavers aged 19 to 21 in higher education rose from 0% to 33%." in page
    assert "67% (2 of 3)" in page
    assert SectionCommentary.objects.filter(report=report).count() == len(Section.values)


def test_the_draft_is_for_the_last_quarter_unless_another_is_chosen(council: Council, signed_in: Any) -> None:
    client = signed_in(council.manager)
    page = client.get("/board/new/").content.decode()
    assert f'value="{last_quarter(timezone.localdate()).key}"' in page
    assert _draft(client, "2025-26").period_label == "2025 to 2026 (April to March)"


def test_a_period_that_is_not_a_quarter_or_year_is_explained(council: Council, signed_in: Any) -> None:
    response = signed_in(council.analyst).post("/board/new/", {"period": "Q2 2026"})
    page = response.content.decode()
    assert response.status_code == 200 and "govuk-error-summary" in page
    assert 'href="#id_period"' in page and "like 2026-27-Q2" in page
    assert not BoardReport.objects.exists()


def test_commentary_needs_words_or_nothing_to_add(council: Council, signed_in: Any) -> None:
    client = signed_in(council.analyst)
    report = _draft(client)
    url = f"/board/{report.pk}/sections/{Section.IRO}/"
    empty = client.post(url, {"text": " ", "version": report.version}).content.decode()
    assert "govuk-error-summary" in empty and 'href="#id_text"' in empty
    assert "Enter the commentary, or select that there is nothing to add" in empty
    both = client.post(url, {"text": "Words", "nothing_to_add": "on", "version": report.version}).content.decode()
    assert "not both" in both and 'href="#id_nothing_to_add"' in both
    assert not SectionCommentary.objects.get(report=report, section=Section.IRO).is_done


def test_two_editors_the_second_is_refused_not_overwriting(council: Council, signed_in: Any) -> None:
    first, second = signed_in(council.analyst), signed_in(council.manager)
    report = _draft(first)
    url = f"/board/{report.pk}/sections/{Section.EET}/"
    version = report.version  # both opened the form at this version
    assert first.post(url, {"text": "The analyst's words", "version": version}).status_code == 302
    late = second.post(url, {"text": "The manager's words", "version": version})
    assert late.status_code == 200
    assert "Someone else changed this report while you were editing it" in late.content.decode()
    assert SectionCommentary.objects.get(report=report, section=Section.EET).text == "The analyst's words"


def test_publishing_needs_every_section_then_freezes_the_report(council: Council, signed_in: Any) -> None:
    client = signed_in(council.analyst)
    report = _draft(client)
    early = client.post(f"/board/{report.pk}/publish/", {"version": report.version})
    assert early.status_code == 422 and "govuk-error-summary" in early.content.decode()
    assert "The child&#39;s voice" in early.content.decode() or "The child's voice" in early.content.decode()
    _comment_on_every_section(client, report)
    report.refresh_from_db()
    assert client.post(f"/board/{report.pk}/publish/", {"version": report.version}).status_code == 302
    report.refresh_from_db()
    assert report.is_published and report.published_by == council.analyst

    first = client.get(f"/board/{report.pk}/pdf/")
    second = client.get(f"/board/{report.pk}/pdf/")
    assert first["Content-Type"] == "application/pdf" and first.content.startswith(b"%PDF")
    assert hashlib.sha256(first.content).hexdigest() == hashlib.sha256(second.content).hexdigest()
    assert hashlib.sha256(first.content).hexdigest() == report.pdf_sha256
    assert hashlib.sha256(report.html.encode()).hexdigest() == report.html_sha256
    client.get(f"/board/{report.pk}/")  # shows, and so clears, the "published" banner
    page_before = _text(client.get(f"/board/{report.pk}/").content.decode())

    # The records change afterwards: a fourth care leaver turns 19 in Q2, unsuitably housed.
    add_leaver(council, "Eden", dt.date(2007, 8, 1), suitable=False, activity="G5")
    assert client.get(f"/board/{report.pk}/pdf/").content == first.content
    assert _text(client.get(f"/board/{report.pk}/").content.decode()) == page_before
    assert "rose from 0% to 67%" in page_before
    api = Client().get(f"/api/v1/board/reports/{report.pk}/", **_bearer(council.director)).json()
    assert figure(api["figures"], SUITABLE)["current"]["display"] == "67%"
    # ...while a new draft for the same period counts the records as they are now: 2 of 4.
    fresh = _draft(client)
    assert "rose from 0% to 50%" in _text(client.get(f"/board/{fresh.pk}/").content.decode())
    # Published reports cannot be edited.
    refused = client.post(f"/board/{report.pk}/sections/{Section.EET}/", {"text": "Late", "version": report.version})
    assert refused.status_code == 302
    assert SectionCommentary.objects.get(report=report, section=Section.EET).text != "Late"

    events = AuditEvent.objects.filter(record_id=str(report.pk), record_type="board.BoardReport")
    assert {e.action for e in events} == {AuditEvent.Action.CREATE, AuditEvent.Action.UPDATE}
    assert AuditEvent.objects.filter(record_type="board.SectionCommentary").count() == len(Section.values)


def test_a_draft_keeps_its_figures_until_counted_again(council: Council, signed_in: Any) -> None:
    client = signed_in(council.analyst)
    report = _draft(client)
    add_leaver(council, "Eden", dt.date(2007, 8, 1), suitable=False, activity="G5")
    assert "rose from 0% to 67%" in _text(client.get(f"/board/{report.pk}/").content.decode())
    stale = client.post(f"/board/{report.pk}/recount/", {"version": report.version + 1})
    assert stale.status_code == 409 and "govuk-error-summary" in stale.content.decode()
    assert client.post(f"/board/{report.pk}/recount/", {"version": report.version}).status_code == 302
    assert "rose from 0% to 50%" in _text(client.get(f"/board/{report.pk}/").content.decode())
    # A commentary form opened before the recount was written against the old figures: refused.
    late = client.post(f"/board/{report.pk}/sections/{Section.IRO}/", {"text": "Old", "version": report.version})
    assert "Someone else changed this report" in late.content.decode()


def test_publishing_from_a_stale_page_is_refused(council: Council, signed_in: Any) -> None:
    client = signed_in(council.analyst)
    report = _draft(client)
    stale = report.version
    _comment_on_every_section(client, report)
    response = client.post(f"/board/{report.pk}/publish/", {"version": stale})
    assert response.status_code == 409
    assert "Someone else changed this report" in response.content.decode()
    report.refresh_from_db()
    assert not report.is_published


@time_machine.travel(dt.datetime(2026, 12, 2, 12, 0, tzinfo=dt.UTC), tick=False)
def test_a_figure_in_the_pdf_equals_the_dashboard_and_the_api(council: Council, signed_in: Any) -> None:
    """No PDF text extractor is installed (no pypdf or pdfminer in the environment), so the PDF side is
    the HTML it was rendered from, stored with it at publication (its SHA-256 is checked too). The
    dashboards show the last 8 quarters, so the day is fixed: 2 December 2026, when Q2 is the last one."""
    client = signed_in(council.analyst)
    report = _draft(client)
    _comment_on_every_section(client, report)
    report.refresh_from_db()
    client.post(f"/board/{report.pk}/publish/", {"version": report.version})
    report.refresh_from_db()
    assert hashlib.sha256(report.html.encode()).hexdigest() == report.html_sha256
    printed = re.search(rf'data-measure="{SUITABLE}">([^<(]+)', report.html)
    assert printed is not None
    board_api = Client().get(f"/api/v1/board/reports/{report.pk}/", **_bearer(council.analyst)).json()
    performance_api = Client().get(f"/api/v1/performance/figures/?period={PERIOD}&measure={SUITABLE}",
                                   **_bearer(council.analyst)).json()
    dashboard = client.get("/performance/director/?by=quarter").content.decode()
    panel = dashboard[dashboard.index(f'id="measure-{SUITABLE}"'):]
    row = panel[panel.index("Q2 2026-27 (July to September 2026)"):]
    shown = re.findall(r'govuk-table__cell--numeric">([^<]*)<', row[:row.index("</tr>")])
    assert printed[1].strip() == figure(board_api["figures"], SUITABLE)["current"]["display"] == shown[-1] == "67%"
    assert [(f["period"], f["numerator"], f["denominator"], f["percent"]) for f in performance_api] == [
        (PERIOD, 2, 3, 67)]
    assert shown[:2] == ["2", "3"]


def test_only_analysts_managers_and_the_director(council: Council, signed_in: Any) -> None:
    worker = signed_in(council.worker)
    for path in ("/board/", "/board/new/", "/board/deep-dives/"):
        assert worker.get(path).status_code == 403
    assert Client().get("/api/v1/board/reports/", **_bearer(council.worker)).status_code == 403
    for user in (council.analyst, council.manager, council.director):
        page = signed_in(user).get("/board/").content.decode()
        assert 'href="/board/"' in page and "Board reports" in page
    assert "Board reports" not in worker.get("/").content.decode()


def test_the_api_lists_reports_and_serves_the_published_pdf(council: Council, signed_in: Any) -> None:
    client = signed_in(council.analyst)
    report = _draft(client)
    _comment_on_every_section(client, report)
    report.refresh_from_db()
    client.post(f"/board/{report.pk}/publish/", {"version": report.version})
    draft = _draft(client, "2026-27-Q1")
    api, auth = Client(), _bearer(council.manager)
    listed = api.get("/api/v1/board/reports/", **auth).json()
    assert [(r["period"], r["status"]) for r in listed] == [(PERIOD, "published"), ("2026-27-Q1", "draft")]
    pdf = api.get(f"/api/v1/board/reports/{report.pk}/pdf/", **auth)
    assert pdf.status_code == 200 and hashlib.sha256(pdf.content).hexdigest() == listed[0]["pdf_sha256"]
    assert api.get(f"/api/v1/board/reports/{draft.pk}/pdf/", **auth).status_code == 404
    assert api.get("/api/v1/board/reports/not-a-report/", **auth).status_code == 404
    detail = api.get(f"/api/v1/board/reports/{report.pk}/", **auth).json()
    assert detail["commentary"][Section.VOICE] == "" and "figures" in detail["commentary"][Section.IRO]


def test_the_deep_dives_counted_by_hand(council: Council, signed_in: Any) -> None:
    client = signed_in(council.director)
    page = _text(client.get("/board/deep-dives/").content.decode())
    assert "Foster care : the young people 2 1 50%" in page
    assert "Residential care : the young people 1 0 0%" in page
    assert "Cato Leaver Foster care" in page
    group = client.get("/board/deep-dives/?group=foster").content.decode()
    for name in ("Abel", "Cato"):
        assert f'href="/children/{council.children[name].pk}/"' in group
    assert f'href="/children/{council.children["Bina"].pk}/"' not in group


def test_the_deep_dives_charts_state_the_message_with_the_same_numbers_as_table_and_csv(council: Council,
                                                                                        signed_in: Any) -> None:
    client = signed_in(council.director)
    html = client.get("/board/deep-dives/").content.decode()
    page = _text(html)
    assert html.count('<svg class="harbour-chart"') == 2 and html.count('role="img"') == 2
    assert ("Care leavers who mostly lived in foster care were the most often in higher education: 50% (1 of 2), "
            "against 0% (0 of 1) for residential care.") in page
    assert ("Care leavers who mostly lived in foster care were the most often recorded homeless: 50% (1 of 2), "
            "against 0% (0 of 1) for residential care.") in page
    homeless = _text(html[html.index('id="deep-dive-homeless"'):])
    assert "Foster care 2 1 50%" in homeless and "Residential care 1 0 0%" in homeless
    assert "Supported or semi-independent accommodation 0 0 No data" in homeless
    csv = client.get("/board/deep-dives/?format=csv")
    assert csv["Content-Type"].startswith("text/csv")
    lines = csv.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "deep_dive,mostly_lived_in,care_leavers,counted,percent,label,counts"
    assert [line.split(",")[:5] for line in lines[1:]] == [
        ["higher-education", "foster", "2", "1", "50"], ["higher-education", "residential", "1", "0", "0"],
        ["higher-education", "supported", "0", "0", ""], ["higher-education", "other", "0", "0", ""],
        ["homeless", "foster", "2", "1", "50"], ["homeless", "residential", "1", "0", "0"],
        ["homeless", "supported", "0", "0", ""], ["homeless", "other", "0", "0", ""]]
    assert "Leaver" not in csv.content.decode("utf-8-sig")  # numbers only: no names


def test_the_deep_dives_show_only_children_within_access(council: Council, make_user: Any, signed_in: Any,
                                                        make_team: Any) -> None:
    # A team manager sees the service (ROLE_SCOPE); the access module is what decides, so a user whose
    # scope holds none of these children sees none: checked through a partner-like empty scope.
    from harbour.reporting.board.deep_dives import care_leavers_journeys

    outsider = make_user(Role.SOCIAL_WORKER, team=make_team())
    found = care_leavers_journeys(outsider, timezone.localdate())
    assert all(not row.young_people for row in found.outcomes) and not found.homeless
