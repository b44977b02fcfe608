"""The child's record as data: impossible dates, dates of birth by source, names in any script,
and free text that can never become markup (security checklist items 29, 30, 32 and 35)."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from pathlib import Path

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client

from harbour.accounts.models import ApiToken, Role
from harbour.children import selectors, services
from harbour.children.forms import DateOfBirthForm, LegalStatusForm, PeriodForm
from harbour.children.models import (
    Child,
    ChildName,
    DateOfBirthRecord,
    LegalStatusPeriod,
    PeriodLookedAfter,
)

TODAY = dt.date(2026, 11, 20)
NOON = dt.datetime(2026, 11, 20, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def worker(make_team, make_user):
    return make_user(Role.SOCIAL_WORKER, team=make_team())


@pytest.fixture
def child(worker, make_child):
    return make_child(social_worker=worker, given_names="Dawit", family_name="Tesfay", date_of_birth=dt.date(2010, 3, 14))


def api_client(user) -> Client:
    _, raw = ApiToken.issue(user=user, name="test")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def error_of(raised: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return raised.value.message_dict


# --------------------------------------------------------------------------------------------
# 29. Impossible dates are refused, with a message that says what to do.

FUTURE = "Date of birth must be today or in the past"
TOO_OLD = "Date of birth must make the child 25 or younger"

DATE_OF_BIRTH_ROWS = [
    # name, today, date of birth, expected message (None: accepted)
    pytest.param(TODAY, dt.date(2026, 11, 20), None, id="DOB today"),
    pytest.param(TODAY, dt.date(2026, 11, 21), FUTURE, id="DOB tomorrow is in the future"),
    pytest.param(TODAY, dt.date(2031, 1, 1), FUTURE, id="DOB years in the future"),
    pytest.param(TODAY, dt.date(2000, 11, 21), None, id="DOB making the child 25, a day before turning 26"),
    pytest.param(TODAY, dt.date(2000, 11, 20), TOO_OLD, id="DOB making the child 26 today"),
    pytest.param(TODAY, dt.date(2000, 1, 1), TOO_OLD, id="DOB making the child 26 since January"),
    pytest.param(TODAY, dt.date(1999, 6, 1), TOO_OLD, id="DOB making the child 27"),
    pytest.param(TODAY, dt.date(2024, 2, 29), None, id="DOB 29 February 2024"),
    pytest.param(dt.date(2026, 2, 28), dt.date(2000, 2, 29), None,
                 id="born 29 February 2000 is still 25 on 28 February 2026"),
    pytest.param(dt.date(2026, 3, 1), dt.date(2000, 2, 29), TOO_OLD,
                 id="born 29 February 2000 is 26 on 1 March 2026"),
    pytest.param(dt.date(2028, 2, 29), dt.date(2002, 2, 28), TOO_OLD, id="26 on 28 February in a leap year"),
    pytest.param(dt.date(2028, 2, 28), dt.date(2002, 2, 28), TOO_OLD, id="26 exactly on the birthday"),
    pytest.param(dt.date(2028, 2, 27), dt.date(2002, 2, 28), None, id="25 the day before"),
]


@pytest.mark.parametrize(("today", "date_of_birth", "message"), DATE_OF_BIRTH_ROWS)
def test_service_date_of_birth_rules(today, date_of_birth, message, worker, child):
    def record():
        return services.date_of_birth_record(actor=worker, child=child, date_of_birth=date_of_birth,
                                             source="assessed", use_it=True, today=today)

    if message is None:
        assert record().date_of_birth == date_of_birth
        assert Child.unscoped.get(pk=child.pk).date_of_birth == date_of_birth
        return
    with pytest.raises(ValidationError) as refused:
        record()
    assert error_of(refused) == {"date_of_birth": [message]}
    assert DateOfBirthRecord.objects.filter(child=child).count() == 1  # only the original


@pytest.mark.parametrize(("today", "date_of_birth", "message"), DATE_OF_BIRTH_ROWS)
def test_opening_a_record_applies_the_same_date_of_birth_rules(today, date_of_birth, message, worker):
    def create():
        return services.child_create(actor=worker, identity={"given_names": "Amani"}, date_of_birth=date_of_birth,
                                     date_of_birth_source="claimed", social_worker=worker, today=today)

    if message is None:
        assert create().date_of_birth == date_of_birth
        return
    with pytest.raises(ValidationError) as refused:
        create()
    assert error_of(refused) == {"date_of_birth": [message]}
    assert not Child.unscoped.filter(given_names="Amani").exists()


def _date(prefix: str, day: dt.date | str | None) -> dict[str, str]:
    if day is None:
        return {f"{prefix}-day": "", f"{prefix}-month": "", f"{prefix}-year": ""}
    if isinstance(day, str):
        d, m, y = day.split("/")
        return {f"{prefix}-day": d, f"{prefix}-month": m, f"{prefix}-year": y}
    return {f"{prefix}-day": str(day.day), f"{prefix}-month": str(day.month), f"{prefix}-year": str(day.year)}


FORM_DATE_OF_BIRTH_ROWS = [
    pytest.param("20/11/2026", None, id="DOB today"),
    pytest.param("21/11/2026", FUTURE, id="DOB in the future"),
    pytest.param("29/2/2024", None, id="29 February in a leap year"),
    pytest.param("29/2/2023", "Date of birth must be a real date", id="29 February in a common year"),
    pytest.param("31/4/2010", "Date of birth must be a real date", id="31 April"),
]


@pytest.mark.parametrize(("typed", "message"), FORM_DATE_OF_BIRTH_ROWS)
def test_form_date_of_birth_rules(typed, message):
    with time_machine.travel(NOON, tick=False):
        form = DateOfBirthForm({**_date("date_of_birth", typed), "source": "claimed", "use_it": "yes"})
        assert form.is_valid() is (message is None)
    if message:
        assert form.errors["date_of_birth"] == [message]


@pytest.mark.parametrize(("typed", "status", "message"), [
    pytest.param("21/11/2026", 422, FUTURE, id="DOB in the future"),
    pytest.param("1/6/1999", 422, TOO_OLD, id="DOB making the child 27"),
    pytest.param("20/11/2000", 422, TOO_OLD, id="DOB making the child 26 today"),
    pytest.param("29/2/2023", 422, "Date of birth must be a real date", id="29 February 2023"),
    pytest.param("29/2/2024", 302, None, id="29 February 2024"),
])
def test_page_date_of_birth_rules(typed, status, message, worker, child, signed_in):
    with time_machine.travel(NOON, tick=False):
        client = signed_in(worker)
        response = client.post(f"/children/{child.pk}/date-of-birth/new/",
                               {**_date("date_of_birth", typed), "source": "assessed", "use_it": "yes"})
    assert response.status_code == status
    if message:
        assert message in response.content.decode()
        assert DateOfBirthRecord.objects.filter(child=child).count() == 1


@pytest.mark.parametrize(("date_of_birth", "status", "message"), [
    pytest.param("2026-11-21", 422, FUTURE, id="DOB in the future"),
    pytest.param("1999-06-01", 422, TOO_OLD, id="DOB making the child 27"),
    pytest.param("2000-11-20", 422, TOO_OLD, id="DOB making the child 26 today"),
    pytest.param("2023-02-29", 422, None, id="29 February 2023 is not a date"),
    pytest.param("2024-02-29", 201, None, id="29 February 2024"),
    pytest.param("2026-11-20", 201, None, id="DOB today"),
])
def test_api_date_of_birth_rules(date_of_birth, status, message, worker):
    with time_machine.travel(NOON, tick=False):
        response = api_client(worker).post(
            "/api/v1/children", {"given_names": "Amani", "date_of_birth": date_of_birth,
                                 "social_worker_id": str(worker.pk)}, content_type="application/json")
    assert response.status_code == status, response.content
    if status == 201:
        assert response.json()["date_of_birth"] == date_of_birth
    elif message:
        assert response.json() == {"detail": [{"loc": ["body", "date_of_birth"], "msg": message}]}
    else:
        assert not Child.unscoped.filter(given_names="Amani").exists()


END_BEFORE_START = "End date must be the same as or after the start date"

PERIOD_ROWS = [
    # start, end, expected {field: message} or None
    pytest.param(dt.date(2026, 5, 1), dt.date(2026, 4, 30), {"end": END_BEFORE_START}, id="end the day before start"),
    pytest.param(dt.date(2026, 5, 1), dt.date(2026, 5, 1), None, id="same-day period: ends the day it starts"),
    pytest.param(dt.date(2026, 5, 1), None, None, id="open period"),
    pytest.param(dt.date(2026, 11, 20), None, None, id="starts today"),
    pytest.param(dt.date(2026, 11, 21), None, {"start": "Start date must be today or in the past"},
                 id="starts tomorrow"),
    pytest.param(dt.date(2026, 5, 1), dt.date(2026, 11, 21), {"end": "End date must be today or in the past"},
                 id="ends tomorrow"),
    pytest.param(dt.date(2010, 3, 14), dt.date(2010, 3, 20), None, id="starts on the date of birth"),
    pytest.param(dt.date(2010, 3, 13), None, {"start": "Start date must be on or after the child's date of birth"},
                 id="starts the day before birth"),
    pytest.param(dt.date(2024, 2, 29), dt.date(2025, 2, 28), None, id="29 February 2024 to 28 February 2025"),
    pytest.param(dt.date(2026, 3, 29), dt.date(2026, 3, 29), None, id="the day the clocks go forward"),
    pytest.param(dt.date(2026, 10, 25), dt.date(2026, 10, 25), None, id="the day the clocks go back"),
]


@pytest.mark.parametrize("kind", ["legal status", "period looked after"])
@pytest.mark.parametrize(("start", "end", "expected"), PERIOD_ROWS)
def test_service_period_rules(kind, start, end, expected, worker, child):
    def add():
        if kind == "legal status":
            return services.legal_status_add(actor=worker, child=child, legal_status="C2", start=start, end=end,
                                             today=TODAY)
        return services.period_looked_after_add(actor=worker, child=child, start=start, end=end, today=TODAY)

    if expected is None:
        period = add()
        assert (period.start, period.end) == (start, end)
        return
    with pytest.raises(ValidationError) as refused:
        add()
    assert error_of(refused) == {k: [v] for k, v in expected.items()}


# Existing periods: C2 from 1 January to 30 April 2026, then V2 open from 1 June 2026.
# An end date is the last day of the period (as in harbour.domain.types.Period.contains), so a
# period starting on the day another ends overlaps it by that day.
OVERLAP_ROWS = [
    pytest.param(dt.date(2026, 3, 1), dt.date(2026, 3, 31), "C2", id="inside an earlier period"),
    pytest.param(dt.date(2025, 12, 1), dt.date(2026, 1, 1), "C2", id="ends the day the earlier one starts"),
    pytest.param(dt.date(2025, 12, 1), dt.date(2025, 12, 31), None, id="ends the day before the earlier one starts"),
    pytest.param(dt.date(2025, 12, 1), dt.date(2026, 5, 15), "C2", id="encloses an earlier period"),
    pytest.param(dt.date(2026, 4, 30), dt.date(2026, 5, 20), "C2", id="same-day boundary: starts the day one ends"),
    pytest.param(dt.date(2026, 5, 1), dt.date(2026, 5, 31), None, id="starts the day after one ends, ends the day before the next"),
    pytest.param(dt.date(2026, 5, 1), dt.date(2026, 6, 1), "V2", id="same-day boundary: ends the day the open one starts"),
    pytest.param(dt.date(2026, 8, 1), None, "V2", id="open after an open period"),
    pytest.param(dt.date(2026, 5, 10), None, "V2", id="open before an open period"),
]


# A legal status hands over to the next on the same day (SSDA903: one episode ceases on the day the
# next starts), so the two same-day boundary rows are allowed for legal status.
LEGAL_STATUS_OVERLAP_ROWS = [
    pytest.param(*row.values[:2], None, id=row.id.replace("same-day boundary", "same-day handover"))
    if row.id.startswith("same-day boundary") or row.id == "ends the day the earlier one starts" else row
    for row in OVERLAP_ROWS
]


@pytest.mark.parametrize(("start", "end", "clashes_with"), LEGAL_STATUS_OVERLAP_ROWS)
def test_legal_status_periods_must_not_overlap(start, end, clashes_with, worker, child):
    services.legal_status_add(actor=worker, child=child, legal_status="C2", start=dt.date(2026, 1, 1),
                              end=dt.date(2026, 4, 30), today=TODAY)
    services.legal_status_add(actor=worker, child=child, legal_status="V2", start=dt.date(2026, 6, 1), end=None,
                              today=TODAY)
    if clashes_with is None:
        services.legal_status_add(actor=worker, child=child, legal_status="E1", start=start, end=end, today=TODAY)
        assert LegalStatusPeriod.objects.filter(child=child).count() == 3
        return
    with pytest.raises(ValidationError) as refused:
        services.legal_status_add(actor=worker, child=child, legal_status="E1", start=start, end=end, today=TODAY)
    started = "1 January 2026" if clashes_with == "C2" else "1 June 2026"
    assert error_of(refused) == {"start": [
        f"Legal status must not overlap the {clashes_with} period that starts on {started}. "
        "End that period first, or change these dates"]}
    assert LegalStatusPeriod.objects.filter(child=child).count() == 2


@pytest.mark.parametrize(("start", "end", "clashes_with"), OVERLAP_ROWS)
def test_periods_looked_after_must_not_overlap(start, end, clashes_with, worker, child):
    services.period_looked_after_add(actor=worker, child=child, start=dt.date(2026, 1, 1), end=dt.date(2026, 4, 30),
                                     today=TODAY)
    services.period_looked_after_add(actor=worker, child=child, start=dt.date(2026, 6, 1), end=None, today=TODAY)
    if clashes_with is None:
        services.period_looked_after_add(actor=worker, child=child, start=start, end=end, today=TODAY)
        return
    with pytest.raises(ValidationError) as refused:
        services.period_looked_after_add(actor=worker, child=child, start=start, end=end, today=TODAY)
    assert list(error_of(refused)) == ["start"]
    assert PeriodLookedAfter.objects.filter(child=child).count() == 2


@pytest.mark.parametrize("form_class", [PeriodForm, LegalStatusForm])
@pytest.mark.parametrize(("start", "end", "message"), [
    pytest.param("1/5/2026", "30/4/2026", END_BEFORE_START, id="end before start"),
    pytest.param("1/5/2026", "1/5/2026", None, id="same day"),
    pytest.param("29/2/2024", "", None, id="29 February 2024, open"),
    pytest.param("29/2/2025", "", "Start date must be a real date", id="29 February 2025"),
    pytest.param("21/11/2026", "", "Start date must be today or in the past", id="starts in the future"),
])
def test_form_period_rules(form_class, start, end, message):
    with time_machine.travel(NOON, tick=False):
        form = form_class({**_date("start", start), **_date("end", end or None), "legal_status": "C2"})
        assert form.is_valid() is (message is None), form.errors
    if message:
        assert message in [m for messages in form.errors.values() for m in messages]


def test_page_shows_the_overlap_and_saves_nothing(worker, child, signed_in):
    services.legal_status_add(actor=worker, child=child, legal_status="C2", start=dt.date(2026, 1, 1), end=None,
                              today=TODAY)
    with time_machine.travel(NOON, tick=False):
        response = signed_in(worker).post(f"/children/{child.pk}/legal-status/new/",
                                          {"legal_status": "V2", **_date("start", "1/3/2026"), **_date("end", None)})
    assert response.status_code == 422
    assert "Legal status must not overlap the C2 period that starts on 1 January 2026" in response.content.decode()
    assert LegalStatusPeriod.objects.filter(child=child).count() == 1


def test_page_refuses_a_period_ending_before_it_starts(worker, child, signed_in):
    with time_machine.travel(NOON, tick=False):
        response = signed_in(worker).post(f"/children/{child.pk}/periods-looked-after/new/",
                                          {**_date("start", "1/5/2026"), **_date("end", "30/4/2026")})
    assert response.status_code == 422 and END_BEFORE_START in response.content.decode()
    assert not PeriodLookedAfter.objects.filter(child=child).exists()


# --------------------------------------------------------------------------------------------
# 30. Dates of birth by source: each kept with who recorded it and when; none ever overwritten.


def test_claimed_home_office_and_assessed_dates_of_birth_are_all_kept_and_the_assessed_one_used(
        worker, make_child, signed_in):
    claimed, home_office, assessed = dt.date(2010, 6, 1), dt.date(2007, 6, 1), dt.date(2009, 6, 1)
    with time_machine.travel(NOON, tick=False):
        amani = make_child(social_worker=worker, given_names="Amani", date_of_birth=claimed)  # says 16
        original = DateOfBirthRecord.objects.get(child=amani)
        snapshot = {f.attname: getattr(original, f.attname) for f in original._meta.concrete_fields}
        services.date_of_birth_record(actor=worker, child=amani, date_of_birth=home_office, source="home_office",
                                      use_it=False, note="Home Office says 19", today=TODAY)
        amani.refresh_from_db()
        assert (amani.date_of_birth, amani.date_of_birth_source) == (claimed, "claimed")  # on record only
        services.date_of_birth_record(actor=worker, child=amani, date_of_birth=assessed, source="assessed",
                                      use_it=True, note="Merton-compliant age assessment", today=TODAY)
        amani.refresh_from_db()
        assert (amani.date_of_birth, amani.date_of_birth_source) == (assessed, "assessed")

        records = DateOfBirthRecord.objects.filter(child=amani).order_by("recorded_at", "id")
        assert [(r.date_of_birth, r.source) for r in records] == [
            (claimed, "claimed"), (home_office, "home_office"), (assessed, "assessed")]
        assert all(r.recorded_by == worker and r.recorded_at for r in records)
        original.refresh_from_db()
        assert {f.attname: getattr(original, f.attname) for f in original._meta.concrete_fields} == snapshot

        page = signed_in(worker).get(f"/children/{amani.pk}/identity/").content.decode()
        for shown in ("1 June 2010", "1 June 2007", "1 June 2009", "Claimed by the child", "Home Office record",
                      "Age assessment", "Home Office says 19", "Merton-compliant age assessment"):
            assert shown in page, shown
        assert page.count("(now)") == 1
        assert "age 17" in page  # ages use the date in use: the assessed one
        detail = api_client(worker).get(f"/api/v1/children/{amani.pk}").json()
        assert detail["date_of_birth"] == "2009-06-01" and detail["date_of_birth_source"] == "assessed"
        assert sorted((d["date_of_birth"], d["source"]) for d in detail["dates_of_birth"]) == [
            ("2007-06-01", "home_office"), ("2009-06-01", "assessed"), ("2010-06-01", "claimed")]


def test_the_api_marks_only_the_date_of_birth_in_use_now(worker, child):
    services.date_of_birth_record(actor=worker, child=child, date_of_birth=dt.date(2009, 6, 1), source="assessed",
                                  use_it=True, today=TODAY)
    dates = api_client(worker).get(f"/api/v1/children/{child.pk}").json()["dates_of_birth"]
    assert [d["source"] for d in dates if d["in_use"]] == ["assessed"]


def test_a_date_of_birth_added_on_the_page_joins_the_history(worker, child, signed_in):
    with time_machine.travel(NOON, tick=False):
        response = signed_in(worker).post(f"/children/{child.pk}/date-of-birth/new/", {
            **_date("date_of_birth", "1/6/2009"), "source": "assessed", "use_it": "no", "note": "Pending review"})
    assert response.status_code == 302
    assert sorted(DateOfBirthRecord.objects.filter(child=child).values_list("source", flat=True)) == [
        "assessed", "claimed"]
    child.refresh_from_db()
    assert child.date_of_birth == dt.date(2010, 3, 14)  # "keep it on record only"


# --------------------------------------------------------------------------------------------
# 32. Names in any script, one part or many, stored NFC; hidden characters refused.

NAMES = [
    pytest.param("", "O", id="single letter O"),
    pytest.param("Alejandro", "Carreño Quiñones", id="Carreño Quiñones"),
    pytest.param("Siobhán", "O'Brien", id="O'Brien"),
    pytest.param("Isa", "", id="single-part Isa"),
    pytest.param("ዳዊት", "ተስፋይ", id="Tigrinya ዳዊት ተስፋይ"),
    pytest.param("محمد", "", id="Arabic محمد"),
    pytest.param("می‌خواهم", "", id="Persian with ZWNJ می‌خواهم"),
    pytest.param("Anne-Marie", "Ní Bhriain", id="hyphen and space"),
]


@pytest.mark.parametrize(("given", "family"), NAMES)
def test_names_are_stored_exactly_as_given_through_the_service(given, family, worker):
    child = services.child_create(actor=worker, identity={"given_names": given, "family_name": family},
                                  date_of_birth=None, date_of_birth_source="claimed", social_worker=worker, today=TODAY)
    stored = Child.unscoped.get(pk=child.pk)
    assert (stored.given_names, stored.family_name) == (given, family)
    assert unicodedata.is_normalized("NFC", stored.full_name)
    assert stored.full_name == " ".join(p for p in (given, family) if p)


@pytest.mark.parametrize(("given", "family"), NAMES)
def test_names_round_trip_through_the_api_and_the_page(given, family, worker, signed_in):
    created = api_client(worker).post("/api/v1/children", {"given_names": given, "family_name": family,
                                                           "social_worker_id": str(worker.pk)},
                                      content_type="application/json")
    assert created.status_code == 201, created.content
    fetched = api_client(worker).get(f"/api/v1/children/{created.json()['id']}").json()
    assert (fetched["given_names"], fetched["family_name"]) == (given, family)

    client = signed_in(worker)
    response = client.post("/children/new/", {"given_names": given, "family_name": family, "sex": "U",
                                              "ethnicity": "NOBT", "interpreter_needed": "unknown",
                                              "date_of_birth_source": "claimed", "social_worker": str(worker.pk),
                                              **_date("date_of_birth", None)})
    assert response.status_code == 302, response.content.decode()[:3000]
    child_id = response["Location"].strip("/").split("/")[-1]
    assert (Child.unscoped.get(pk=child_id).given_names, Child.unscoped.get(pk=child_id).family_name) == (given, family)
    page = client.get(f"/children/{child_id}/identity/").content.decode()
    assert (given or family) in page


def test_a_name_typed_decomposed_is_stored_composed_and_found_by_the_composed_spelling(worker, signed_in):
    typed = unicodedata.normalize("NFD", "Carreño Quiñones")
    assert typed != "Carreño Quiñones" and len(typed) == len("Carreño Quiñones") + 2
    child = services.child_create(actor=worker, identity={"given_names": "José", "family_name": typed},
                                  date_of_birth=None, date_of_birth_source="claimed", social_worker=worker,
                                  today=TODAY)
    stored = Child.unscoped.get(pk=child.pk)
    assert stored.family_name == "Carreño Quiñones"
    assert ChildName.objects.get(child=child, kind="family").name == "Carreño Quiñones"
    visible = Child.unscoped.filter(pk=child.pk)
    for query in ("Carreño", "Carreño Quiñones", typed, "carreno quinones", "QUIÑONES"):
        assert [c.pk for c in selectors.search_children(visible=visible, query=query)] == [child.pk], query
    page = signed_in(worker).get("/search/", {"q": "Quiñones"})
    assert str(child.pk) in page.content.decode()
    api = api_client(worker).get("/api/v1/children", {"q": "Carreño"}).json()
    assert [c["id"] for c in api] == [str(child.pk)]


def test_names_in_other_scripts_are_found_as_written(worker):
    child = services.child_create(actor=worker, identity={"given_names": "ዳዊት", "family_name": "ተስፋይ",
                                                          "names_in_original_script": "محمد"},
                                  date_of_birth=None, date_of_birth_source="claimed", social_worker=worker,
                                  today=TODAY)
    visible = Child.unscoped.all()
    for query in ("ዳዊት", "ተስፋይ", "محمد"):
        assert child in selectors.search_children(visible=visible, query=query), query


HIDDEN = [
    pytest.param("Mo\u202edammah", "Name must not contain hidden characters that change the order of letters",
                 id="U+202E right-to-left override"),
    pytest.param("\u2066Ali\u2069", "Name must not contain hidden characters that change the order of letters",
                 id="U+2066 isolate"),
    pytest.param("Ah\u200bmad", "Name must not contain invisible characters", id="U+200B zero-width space"),
    pytest.param("\ufeffSara", "Name must not contain invisible characters", id="U+FEFF byte order mark"),
]


@pytest.mark.parametrize(("name", "message"), HIDDEN)
def test_hidden_characters_in_names_are_refused_everywhere(name, message, worker, child, signed_in):
    with pytest.raises(ValidationError) as refused:
        services.child_create(actor=worker, identity={"given_names": name}, date_of_birth=None,
                              date_of_birth_source="claimed", social_worker=worker, today=TODAY)
    assert error_of(refused) == {"given_names": [message]}
    with pytest.raises(ValidationError) as refused:
        services.child_update_identity(actor=worker, child=child, changes={"family_name": name}, version=child.version,
                                       reason="Spelling corrected")
    assert error_of(refused) == {"family_name": [message]}
    with pytest.raises(ValidationError) as refused:
        services.child_add_name(actor=worker, child=child, name=name, kind=ChildName.Kind.ALIAS)
    assert error_of(refused) == {"name": [message]}

    response = api_client(worker).post("/api/v1/children", {"given_names": name, "social_worker_id": str(worker.pk)},
                                       content_type="application/json")
    assert response.status_code == 422
    assert response.json() == {"detail": [{"loc": ["body", "given_names"], "msg": message}]}

    page = signed_in(worker).post("/children/new/", {
        "given_names": name, "sex": "U", "ethnicity": "NOBT", "interpreter_needed": "unknown",
        "date_of_birth_source": "claimed", "social_worker": str(worker.pk), **_date("date_of_birth", None)})
    assert page.status_code == 422 and message in page.content.decode()
    assert Child.unscoped.count() == 1  # only the fixture's child
    assert not ChildName.objects.filter(child=child, kind=ChildName.Kind.ALIAS).exists()


# --------------------------------------------------------------------------------------------
# 35. Free text never becomes markup.

SCRIPT = '<script>alert("owned")</script>'
IMG = "<img src=x onerror=alert(1)>"


@pytest.fixture
def hostile(worker, make_child, make_agency, make_user, share_with):
    child = make_child(social_worker=worker, given_names=SCRIPT, family_name=IMG, preferred_name="",
                       nationality=IMG, religion=SCRIPT)
    services.chronology_add(actor=worker, child=child, kind="note", title=SCRIPT, description=IMG,
                            occurred_at=dt.datetime(2026, 1, 5, 10, tzinfo=dt.UTC))
    services.child_add_name(actor=worker, child=child, name=IMG, kind=ChildName.Kind.ALIAS)
    services.period_looked_after_add(actor=worker, child=child, start=dt.date(2026, 1, 5), end=None,
                                     today=dt.date(2026, 11, 20))
    agency = make_agency()
    share_with(child, agency, by=worker)
    return child, make_user(Role.PARTNER, agency=agency)


def test_script_and_image_payloads_in_names_and_notes_are_escaped_on_every_page(hostile, worker, make_user,
                                                                                 signed_in):
    child, partner = hostile
    manager = make_user(Role.TEAM_MANAGER)
    pages = [
        (worker, f"/children/{child.pk}/"),
        (worker, f"/children/{child.pk}/identity/"),
        (worker, f"/children/{child.pk}/identity/change/"),
        (worker, f"/children/{child.pk}/legal/"),
        (worker, f"/children/{child.pk}/names/new/"),
        (worker, "/children/"),
        (worker, "/search/?q=alert"),
        (worker, "/"),
        (manager, f"/children/{child.pk}/access-log/"),
        (partner, f"/children/{child.pk}/"),
        (partner, "/"),
    ]
    for user, path in pages:
        response = signed_in(user).get(path)
        assert response.status_code == 200, path
        body = response.content.decode()
        assert SCRIPT not in body and IMG not in body, path
        assert "&lt;script&gt;" in body or "&lt;img" in body, path


def test_a_search_for_markup_is_echoed_escaped(worker, signed_in):
    body = signed_in(worker).get("/search/", {"q": f'"><svg onload=alert(1)>{SCRIPT}'}).content.decode()
    assert "<svg onload" not in body and SCRIPT not in body
    assert "&lt;svg onload=alert(1)&gt;" in body


def test_the_api_returns_markup_as_json_text_never_as_html(hostile, worker):
    child, _ = hostile
    response = api_client(worker).get(f"/api/v1/children/{child.pk}")
    assert response["Content-Type"].startswith("application/json")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response.json()["given_names"] == SCRIPT


# The only places where markup may be marked safe. Each entry: the file and the exact line text,
# with the reason. A new use anywhere else, or a changed line here, fails the test below.
SAFE_MARKUP_ALLOWLIST: dict[str, dict[str, str]] = {
    "harbour/core/jinja2/macros/moj.html": {
        '<svg class="moj-alert__icon" role="presentation" focusable="false" xmlns="http://www.w3.org/2000/svg" '
        'viewBox="0 0 30 30" height="30" width="30">{{ _alert_icons[variant] | safe }}</svg>':
            "SVG path data defined as constants at the top of the same template (MoJ Frontend's alert icons); "
            "the key is limited to four fixed variants, so no user text can reach it.",
    },
    "harbour/forecasting/charts.py": {
        "return Markup(svg)  # noqa: S704 - every piece of text in it is escaped above":
            "Server-drawn SVG fan charts: the title, description and every value label pass through "
            "markupsafe.escape, the chart id is reduced to letters, digits, - and _, and the rest are numbers.",
    },
    "harbour/reporting/charts.py": {
        "return Markup(svg)  # noqa: S704 - every piece of text in it is escaped above":
            "Server-drawn SVG line charts of a measure: the title, description and every label pass through "
            "markupsafe.escape, the chart id is reduced to letters, digits, - and _, and the rest are numbers.",
    },
    "harbour/reporting/board/jinja2/board/_body.html": {
        '<div class="govuk-!-margin-bottom-4">{{ figure.chart | safe }}</div>':
            "The SVG harbour.reporting.charts.line_chart drew (every text in it escaped), kept as text with the "
            "report's figures (harbour/reporting/board/figures.py) so a published report shows the chart it was "
            "published with; no user's text reaches it.",
    },
    "harbour/core/charts.py": {
        "return Markup(svg)  # noqa: S704 - every piece of text in it is escaped above":
            "Server-drawn SVG charts: every label, title and value is passed through markupsafe.escape, the "
            "chart id is reduced to letters, digits, - and _, and the rest are numbers the code formats.",
    },
}
_MARKUP_PATTERNS = [
    re.compile(r"\|\s*safe\b"),  # the Jinja/Django filter
    re.compile(r"\bmark_safe\s*\("),
    re.compile(r"\bMarkup\("),
    re.compile(r"\bSafeString\("),
    re.compile(r"\bautoescape\s+(false|off)\b", re.I),  # {% autoescape false %} / {% autoescape off %}
    re.compile(r"\bautoescape\s*=\s*False\b"),
]


def test_no_template_or_python_file_marks_text_safe_outside_the_allowlist():
    repo = Path(__file__).resolve().parents[3]
    found: dict[str, list[str]] = {}
    files = [*repo.joinpath("harbour").rglob("*.html"), *repo.joinpath("harbour").rglob("*.py")]
    assert len(files) > 50
    for path in files:
        if path == Path(__file__).resolve():
            continue  # this file names the patterns in order to look for them
        relative = path.relative_to(repo).as_posix()
        for line in path.read_text(encoding="utf-8").splitlines():
            if any(p.search(line) for p in _MARKUP_PATTERNS):
                found.setdefault(relative, []).append(line.strip())
    unexpected = {
        f: [line for line in lines if line not in SAFE_MARKUP_ALLOWLIST.get(f, {})] for f, lines in found.items()
    }
    unexpected = {f: lines for f, lines in unexpected.items() if lines}
    assert not unexpected, f"markup marked safe outside the allowlist: {unexpected}"
    stale = {f: set(lines) - set(found.get(f, [])) for f, lines in SAFE_MARKUP_ALLOWLIST.items()}
    assert not any(stale.values()), f"allowlist entries no longer in the code, remove them: {stale}"


def test_the_template_engine_escapes_by_default():
    from django.template import engines

    jinja = engines["jinja2"].env
    assert jinja.autoescape is True or jinja.autoescape("x.html")
    assert jinja.from_string("{{ v }}").render(v=SCRIPT) == "&lt;script&gt;alert(&#34;owned&#34;)&lt;/script&gt;"
