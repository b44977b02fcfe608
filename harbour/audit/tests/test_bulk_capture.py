"""Bulk writes on case data leave audit rows (docs/security.md row 13, ADR 0016): update(),
bulk_update() and bulk_create() on every model of the case apps, related managers included."""

from __future__ import annotations

import datetime as dt

import pytest
from django.apps import apps
from django.db import transaction

from harbour.accounts.models import Role
from harbour.audit.bulk import CASE_APPS, CapturedBulkQuerySet, bulk_actor
from harbour.audit.models import AuditEvent
from harbour.children.models import Child, PeriodLookedAfter
from harbour.placements.models import Placement

pytestmark = pytest.mark.django_db


@pytest.fixture
def worker(make_team, make_user):
    return make_user(Role.SOCIAL_WORKER, team=make_team())


@pytest.fixture
def child(worker, make_child):
    return make_child(social_worker=worker, given_names="Bulk", family_name="Before")


def _bulk_events(**filters):
    return list(AuditEvent.objects.filter(via="bulk", **filters).order_by("at"))


def test_every_model_of_every_case_app_captures_its_bulk_writes():
    models = [model for label in CASE_APPS for model in apps.get_app_config(label).get_models()]
    assert len(models) > 20
    for model in models:
        assert isinstance(model._default_manager.all(), CapturedBulkQuerySet), model._meta.label
    # Models outside the case apps that share models.Manager are not touched.
    assert not isinstance(AuditEvent.objects.all(), CapturedBulkQuerySet)


def test_an_update_leaves_one_event_per_row_with_before_and_after(child, worker):
    with bulk_actor(worker):
        assert Child.unscoped.filter(pk=child.pk).update(family_name="After") == 1
    [event] = _bulk_events(record_type="children.Child")
    assert event.action == "update"
    assert event.record_id == str(child.pk)
    assert event.child_id == child.pk
    assert event.actor == worker
    assert event.changes == {"family_name": ["Before", "After"]}


def test_an_update_through_a_related_manager_is_captured_with_the_child(child):
    period = PeriodLookedAfter.objects.create(child=child, start=dt.date(2026, 1, 5))
    child.periods_looked_after.update(end=dt.date(2026, 6, 1))
    [event] = _bulk_events(record_type="children.PeriodLookedAfter")
    assert event.record_id == str(period.pk)
    assert event.child_id == child.pk
    assert event.actor is None
    assert event.changes == {"end": [None, "2026-06-01"]}


def test_bulk_create_and_bulk_update_are_captured(child):
    placements = Placement.objects.bulk_create([
        Placement(child=child, start=dt.date(2026, 1, 5), end=dt.date(2026, 3, 1), placement_type="U1",
                  carer_or_provider="First carer"),
        Placement(child=child, start=dt.date(2026, 3, 2), placement_type="U1", carer_or_provider="Second carer"),
    ])
    created = _bulk_events(record_type="placements.Placement", action="create")
    assert {e.record_id for e in created} == {str(p.pk) for p in placements}
    assert all(e.child_id == child.pk for e in created)
    assert {e.changes["carer_or_provider"][1] for e in created} == {"First carer", "Second carer"}

    for placement in placements:
        placement.carer_or_provider = "Renamed carer"
    Placement.objects.bulk_update(placements, ["carer_or_provider"])
    updated = _bulk_events(record_type="placements.Placement", action="update")
    assert {e.record_id for e in updated} == {str(p.pk) for p in placements}
    assert {tuple(e.changes["carer_or_provider"]) for e in updated} == {
        ("First carer", "Renamed carer"), ("Second carer", "Renamed carer")}


def test_a_rolled_back_bulk_write_leaves_no_event(child):
    already = len(_bulk_events())
    with pytest.raises(RuntimeError), transaction.atomic():
        Child.unscoped.filter(pk=child.pk).update(family_name="Never")
        raise RuntimeError("the surrounding work failed")
    assert len(_bulk_events()) == already
    child.refresh_from_db()
    assert child.family_name == "Before"


def test_a_queryset_delete_leaves_one_event_per_row_with_its_values_before(child, worker):
    first = Placement.objects.create(child=child, start=dt.date(2026, 1, 5), end=dt.date(2026, 3, 1),
                                     placement_type="U1", carer_or_provider="First carer")
    second = Placement.objects.create(child=child, start=dt.date(2026, 3, 2), placement_type="U1",
                                      carer_or_provider="Second carer")
    with bulk_actor(worker):
        deleted, _ = Placement.objects.filter(child=child).delete()
    assert deleted == 2
    events = _bulk_events(record_type="placements.Placement", action="delete")
    assert {e.record_id for e in events} == {str(first.pk), str(second.pk)}
    assert all(e.actor == worker and e.child_id == child.pk for e in events)
    assert {e.changes["carer_or_provider"][0] for e in events} == {"First carer", "Second carer"}
    assert all(after is None for e in events for _, after in e.changes.values())


def test_a_delete_records_the_rows_it_cascades_to(child):
    from harbour.children.models import ChildName

    PeriodLookedAfter.objects.create(child=child, start=dt.date(2026, 1, 5))
    names = ChildName.objects.filter(child=child).count()
    Child.unscoped.filter(pk=child.pk).delete()
    deleted = {e.record_type for e in _bulk_events(action="delete")}
    assert {"children.Child", "children.PeriodLookedAfter"} <= deleted
    assert names > 0 and "children.ChildName" in deleted  # the names the record was made with
    assert all(e.child_id == child.pk for e in _bulk_events(action="delete"))


def test_a_rolled_back_delete_leaves_no_event_and_the_rows(child):
    Placement.objects.create(child=child, start=dt.date(2026, 1, 5), placement_type="U1", carer_or_provider="Kept")
    with pytest.raises(RuntimeError), transaction.atomic():
        Placement.objects.filter(child=child).delete()
        raise RuntimeError("the caller's transaction fails")
    assert Placement.objects.filter(child=child).count() == 1
    assert _bulk_events(action="delete") == []


def test_a_bulk_write_made_while_answering_a_request_names_its_user_and_request(child, worker, signed_in):
    # Changing a name through the page rewrites the child's search names with delete() and
    # bulk_create(): those rows name the person and the request, though the service set no actor.
    form = {"given_names": "Renamed", "family_name": "Before", "sex": "U", "ethnicity": "NOBT",
            "interpreter_needed": "unknown", "version": child.version, "reason": "Name misheard"}
    before = {e.pk for e in _bulk_events(record_type="children.ChildName")}  # the child's first names
    response = signed_in(worker).post(f"/children/{child.pk}/identity/change/", form)
    assert response.status_code == 302, response.content[:500]
    events = [e for e in _bulk_events(record_type="children.ChildName") if e.pk not in before]
    assert {e.action for e in events} == {"delete", "create"}
    assert [(e.actor, e.request_id) for e in events] == [(worker, response["X-Request-ID"])] * len(events)


def test_a_bulk_write_outside_a_request_and_without_an_actor_names_nobody(child):
    Child.unscoped.filter(pk=child.pk).update(family_name="After")
    [event] = _bulk_events(record_type="children.Child")
    assert event.actor is None and event.request_id == ""
