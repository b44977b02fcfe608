"""A council keeps a looked-after child's record until their 75th birthday, so the whole service's
pages must cope with care that began long ago. Found by the load scenario (issue 10): one closed
record from 1982 made the team manager's home page answer 500, because the working-day calendar
began in 2000."""

from __future__ import annotations

import datetime as dt

import pytest

from harbour.accounts.models import Role
from harbour.children.models import Child, PeriodLookedAfter
from harbour.core.calendar import FIRST_YEAR, council_calendar

pytestmark = pytest.mark.django_db


def test_the_calendar_covers_every_record_kept_for_75_years():
    oldest_kept = dt.date.today().year - 75
    assert FIRST_YEAR <= oldest_kept
    assert council_calendar().is_working_day(dt.date(1982, 5, 21))
    assert not council_calendar().is_working_day(dt.date(1975, 12, 25))


def test_the_whole_service_home_page_answers_with_a_closed_record_from_1982(make_user, signed_in):
    child = Child.unscoped.create(given_names="Historic", family_name="Record", date_of_birth=dt.date(1970, 2, 3),
                                  date_of_birth_source="document")
    PeriodLookedAfter.objects.create(child=child, start=dt.date(1982, 5, 21), end=dt.date(1988, 2, 3),
                                     reason_ceased="E11")
    response = signed_in(make_user(Role.TEAM_MANAGER)).get("/")
    assert response.status_code == 200
