"""The board's pages keep the same number of queries whatever the caseload (architecture.md, "Scale"):
each is measured with 10 care leavers and again with 40."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from harbour.accounts.models import ApiToken
from harbour.domain.board_report import parse_period
from harbour.reporting.board import services
from harbour.reporting.board.models import BoardReport, Section

from .support import PERIOD, Council, add_leaver, build_council

pytestmark = pytest.mark.django_db
SMALL, LARGE = 10, 40


def _add(council: Council, count: int) -> None:
    for n in range(count):
        born = dt.date(2007, 7, 1) + dt.timedelta(days=n % 90)
        add_leaver(council, f"Extra{len(council.children)}", born, suitable=n % 2 == 0,
                   activity="F1" if n % 3 == 0 else "G5",
                   stays=(("U4" if n % 2 else "K2", born.replace(year=2021), born.replace(year=2025)),),
                   homeless_on=dt.date(2026, 5, 1) if n % 4 == 0 else None)


def _counts(client: Client, api: Client, token: str, paths: list[str]) -> dict[str, int]:
    counts = {}
    for path in paths:
        with CaptureQueriesContext(connection) as captured:
            if path.startswith("/api/"):
                response = api.get(path, HTTP_AUTHORIZATION=f"Bearer {token}")
            else:
                response = client.get(path)
        assert response.status_code == 200, path
        counts[path] = len(captured)
    return counts


def test_board_pages_keep_their_queries(make_user: Any, make_team: Any, signed_in: Any) -> None:
    council = build_council(make_user, make_team)
    today = timezone.localdate()
    draft = services.draft_report(user=council.analyst, period=parse_period(PERIOD), today=today)
    published = services.draft_report(user=council.analyst, period=parse_period("2026-27-Q1"), today=today)
    for section in Section.values:
        published.refresh_from_db()
        services.save_commentary(user=council.analyst, report=published, section=section, text="Noted.",
                                 nothing_to_add=False, version=published.version)
    published = services.publish(user=council.analyst, report=BoardReport.objects.get(pk=published.pk),
                                 version=BoardReport.objects.get(pk=published.pk).version)
    paths = ["/board/", f"/board/{draft.pk}/", f"/board/{published.pk}/", f"/board/{published.pk}/pdf/",
             f"/board/{draft.pk}/sections/{Section.IRO}/", "/board/deep-dives/", "/board/deep-dives/?group=foster",
             "/api/v1/board/reports/", f"/api/v1/board/reports/{draft.pk}/"]
    client, api = signed_in(council.analyst), Client()
    token = ApiToken.issue(user=council.analyst, name="counts")[1]
    _add(council, SMALL - len(council.children))
    small = _counts(client, api, token, paths)
    with CaptureQueriesContext(connection) as counting_small:
        services.recount(user=council.analyst, report=draft, version=draft.version, today=today)
    _add(council, LARGE - SMALL)
    assert len(council.children) == LARGE
    assert _counts(client, api, token, paths) == small
    with CaptureQueriesContext(connection) as counting_large:
        services.recount(user=council.analyst, report=draft, version=draft.version, today=today)
    assert len(counting_large) == len(counting_small)
