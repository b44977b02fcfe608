"""Recording the child's record through the pages: what a social worker does, and what goes wrong."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from harbour.accounts.models import Role
from harbour.audit.models import AuditEvent
from harbour.children.models import Child, ChronologyEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def worker(make_team, make_user):
    return make_user(Role.SOCIAL_WORKER, team=make_team())


def date_fields(name: str, day: dt.date) -> dict[str, str]:
    return {f"{name}-day": str(day.day), f"{name}-month": str(day.month), f"{name}-year": str(day.year)}


def test_social_worker_opens_a_record_and_is_allocated(worker, signed_in):
    form = {"given_names": "Dawit", "family_name": "Tesfay", "sex": "M", "ethnicity": "BAFR",
            "interpreter_needed": "yes", "date_of_birth_source": "claimed", "social_worker": str(worker.pk),
            **date_fields("date_of_birth", dt.date(2009, 9, 1))}
    response = signed_in(worker).post("/children/new/", form)
    child = Child.unscoped.get(given_names="Dawit")
    assert response.status_code == 302 and response["Location"] == f"/children/{child.pk}/"
    assert child.allocations.get().worker == worker
    assert child.interpreter_needed is True and child.date_of_birth == dt.date(2009, 9, 1)


def test_a_date_of_birth_in_the_future_is_refused_with_the_govuk_message(worker, signed_in):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    form = {"given_names": "Dawit", "sex": "M", "ethnicity": "BAFR", "interpreter_needed": "yes",
            "date_of_birth_source": "claimed", "social_worker": str(worker.pk), **date_fields("date_of_birth", tomorrow)}
    response = signed_in(worker).post("/children/new/", form)
    assert response.status_code == 422
    page = response.content.decode()
    assert "There is a problem" in page and "Date of birth must be today or in the past" in page
    assert 'href="#id_date_of_birth-day"' in page
    assert Child.unscoped.count() == 0


def test_a_note_lands_on_the_timeline_and_the_filter_keeps_only_its_kind(worker, make_child, signed_in):
    child = make_child(social_worker=worker)
    client = signed_in(worker)
    response = client.post(f"/children/{child.pk}/timeline/new/", {
        "kind": "significant_event", "title": "Met his solicitor about the asylum interview",
        "description": "He asked for a Tigrinya interpreter.", **date_fields("occurred_on", dt.date(2026, 11, 2))})
    assert response.status_code == 302
    assert ChronologyEntry.objects.get(child=child).recorded_by == worker
    notes_only = client.get(f"/children/{child.pk}/?kind=note").content.decode()
    assert "Met his solicitor" in notes_only and "Date of birth recorded" not in notes_only
    identity_only = client.get(f"/children/{child.pk}/?kind=identity").content.decode()
    assert "Met his solicitor" not in identity_only and "Date of birth recorded" in identity_only


def test_two_people_editing_at_once_do_not_overwrite_each_other(worker, make_child, signed_in):
    child = make_child(social_worker=worker, given_names="Yonas", family_name="Haile")
    base = {"given_names": "Yonas", "family_name": "Haile", "sex": "M", "ethnicity": "BAFR",
            "interpreter_needed": "yes", "version": str(child.version), "reason": "Told by the child"}
    client = signed_in(worker)
    first = client.post(f"/children/{child.pk}/identity/change/", {**base, "preferred_name": "Yoni"})
    second = client.post(f"/children/{child.pk}/identity/change/", {**base, "religion": "Orthodox Christian"})
    assert first.status_code == 302
    assert second.status_code == 422 and "Someone else changed this record" in second.content.decode()
    child = Child.unscoped.get(pk=child.pk)
    assert child.preferred_name == "Yoni" and child.religion == ""
    identity_changes = [e.changes for e in AuditEvent.objects.filter(record_id=str(child.pk), action="update")
                        if "date_of_birth" not in e.changes]
    assert len(identity_changes) == 1
    assert identity_changes[0]["preferred_name"] == ["", "Yoni"] and "religion" not in identity_changes[0]


def test_overlapping_legal_status_is_refused_on_the_page(worker, make_child, signed_in):
    child = make_child(social_worker=worker)
    client = signed_in(worker)
    ok = client.post(f"/children/{child.pk}/legal-status/new/", {"legal_status": "V2", **date_fields("start", dt.date(2026, 3, 2))})
    assert ok.status_code == 302
    clash = client.post(f"/children/{child.pk}/legal-status/new/", {"legal_status": "C2", **date_fields("start", dt.date(2026, 6, 1))})
    assert clash.status_code == 422
    assert "Legal status must not overlap the V2 period that starts on 2 March 2026" in clash.content.decode()
    assert child.legal_statuses.count() == 1


def test_a_new_date_of_birth_keeps_the_old_one_and_moves_the_deadlines(worker, make_child, signed_in):
    child = make_child(social_worker=worker, date_of_birth=dt.date(2010, 1, 1))
    response = signed_in(worker).post(f"/children/{child.pk}/date-of-birth/new/", {
        "source": "assessed", "use_it": "yes", "note": "Merton-compliant assessment", **date_fields("date_of_birth", dt.date(2008, 7, 14))})
    assert response.status_code == 302
    child = Child.unscoped.get(pk=child.pk)
    assert (child.date_of_birth, child.date_of_birth_source) == (dt.date(2008, 7, 14), "assessed")
    assert sorted(child.dates_of_birth.values_list("source", flat=True)) == ["assessed", "claimed"]


@pytest.mark.parametrize(
    ("start", "end", "field"),
    [(dt.date(2026, 6, 2), None, "start"), (dt.date(2026, 5, 1), dt.date(2026, 6, 2), "end")],
    ids=["starts the day after the child died", "ends the day after the child died"],
)
def test_nothing_is_recorded_after_the_child_died(start, end, field, worker, make_child):
    from django.core.exceptions import ValidationError

    from harbour.children import services

    child = make_child(social_worker=worker)
    Child.unscoped.filter(pk=child.pk).update(date_of_death=dt.date(2026, 6, 1))
    child.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        services.period_looked_after_add(actor=worker, child=child, start=start, end=end, today=dt.date(2026, 11, 20))
    assert list(refused.value.message_dict) == [field]
    assert "the date the child died" in refused.value.message_dict[field][0]
