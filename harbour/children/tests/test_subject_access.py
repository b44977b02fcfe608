"""The subject-access export (security checklist 17): every record linked to the child, found by
walking the model graph, chronological, third-party data marked, audited, from the page and the
command line."""

from __future__ import annotations

import datetime as dt
import io
import json
import uuid
import zipfile
from decimal import Decimal
from typing import Any

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import DatabaseError, models, transaction
from django.utils import timezone

from harbour.accounts.models import Role
from harbour.audit.models import AccessLogEntry, AuditEvent
from harbour.children import subject_access
from harbour.children.models import Child
from harbour.core.management.commands.demo import build_council

pytestmark = pytest.mark.django_db


# --- The model graph, walked independently ------------------------------------------------------


def _points_at(model: type[models.Model]) -> set[type[models.Model]]:
    """Every model this one refers to, by any kind of relation (many-to-many included, which the
    export's walk does not follow: a model linked only that way must fail the test)."""
    return {f.related_model for f in model._meta.get_fields()
            if f.is_relation and f.related_model is not None and (f.concrete or f.many_to_many)
            and not f.auto_created}


def _models_with_a_path_to_child() -> set[str]:
    linked = {Child}
    changed = True
    while changed:  # to a fixed point, with no limit on the length of a chain
        changed = False
        for model in apps.get_models():
            if model not in linked and _points_at(model) & linked:
                linked.add(model)
                changed = True
    named = {m for m in apps.get_models() if any(f.name == "child_id" for f in m._meta.concrete_fields)}
    return {m._meta.label for m in linked | named}


def test_the_walk_reaches_every_model_with_a_path_to_a_child():
    expected = _models_with_a_path_to_child()
    reached = set(subject_access.reachable_models())
    assert reached == expected, f"not exported: {sorted(expected - reached)}; not linked: {sorted(reached - expected)}"
    # A floor, so a walk that silently finds little fails too: every app that keeps case data.
    apps_reached = {label.split(".")[0] for label in reached}
    assert {"children", "referrals", "placements", "reviews", "leaving_care", "uasc", "allocation", "returns",
            "audit", "accounts"} <= apps_reached


# Counts of children, not any one child's data.
AGGREGATES = {"core.CouncilSettings.child_population", "returns.ReturnRun.children"}


def test_no_model_the_walk_misses_mentions_a_child_in_a_field_name():
    # A child's id kept as text (not a foreign key or a `child_id` UUID) would escape the walk.
    reached = set(subject_access.reachable_models())
    suspicious = {f"{m._meta.label}.{f.name}" for m in apps.get_models() if m._meta.label not in reached
                  for f in m._meta.concrete_fields if "child" in f.name.lower()}
    assert suspicious == AGGREGATES


# --- A rich fixture: the demo council, then one more row of every kind the demo leaves out -------


def _value_for(field: models.Field, child: Child, today: dt.date) -> Any:
    if field.choices:
        return field.choices[0][0]
    if isinstance(field, models.UUIDField):
        return child.pk if field.name == "child_id" else uuid.uuid4()
    if isinstance(field, models.EmailField):
        return "someone@example.org"
    if isinstance(field, models.DateTimeField):
        return timezone.now() - dt.timedelta(days=30)
    if isinstance(field, models.DateField):
        return today - dt.timedelta(days=30)
    if isinstance(field, models.BooleanField):
        return False
    if isinstance(field, models.DecimalField):
        return Decimal("1")
    if isinstance(field, models.IntegerField | models.FloatField):
        return 1
    if isinstance(field, models.JSONField):
        return {}
    if isinstance(field, models.CharField | models.TextField):
        return "Filled in by the test"[: field.max_length or None]
    raise LookupError(field)


def _existing_row(model: type[models.Model], child: Child) -> Any:
    reach = subject_access.reachable_models().get(model._meta.label)
    if reach is None:
        return None
    query = models.Q()
    for lookup in reach.lookups:
        query |= models.Q(**{lookup: child.pk})
    return model._base_manager.filter(query).first()


def _row_linked_to(model: type[models.Model], child: Child, made: dict[str, models.Model], today: dt.date) -> Any:
    """A row of `model` belonging to `child`: one that exists, or one made field by field."""
    existing = _existing_row(model, child)
    if existing is not None:
        return existing
    if model._meta.label in made:
        return made[model._meta.label]
    values: dict[str, Any] = {}
    for field in model._meta.concrete_fields:
        if field.primary_key or field.null or field.has_default() or getattr(field, "auto_now", False) \
                or getattr(field, "auto_now_add", False):
            if not (field.is_relation and field.related_model is Child) and field.name != "child_id":
                continue
        if field.is_relation:
            target = field.related_model
            if target is Child:
                values[field.name] = child
            elif target._meta.label in subject_access.reachable_models():
                values[field.name] = _row_linked_to(target, child, made, today)
            else:
                values[field.name] = target._base_manager.first()
            if values[field.name] is None:
                return None
        else:
            values[field.attname] = _value_for(field, child, today)
    try:
        with transaction.atomic():
            row = model._base_manager.create(**values)
    except (DatabaseError, ValueError, TypeError):
        return None
    made[model._meta.label] = row
    return row


@pytest.fixture
def council() -> dict[str, Any]:
    build_council(children=12, seed=7)
    today = timezone.localdate()
    child = max(Child.unscoped.all(), key=lambda c: AuditEvent.objects.filter(child_id=c.pk).count()
                + c.placements.count() + c.reviews.count())
    made: dict[str, models.Model] = {}
    for reach in subject_access.reachable_models().values():
        _row_linked_to(reach.model, child, made, today)
    return {"child": child, "made": made}


def _everything_linked_to(child: Child) -> set[tuple[str, str]]:
    """Every (model, id) in the database that belongs to the child, worked out row by row in
    Python by following each row's foreign-key values: not through the export's ORM lookups."""
    rows: dict[tuple[str, str], tuple[type[models.Model], models.Model]] = {}
    for model in apps.get_models():
        for row in model._base_manager.all():
            rows[(model._meta.label, str(row.pk))] = (model, row)
    memo: dict[tuple[str, str], bool] = {}

    def linked(key: tuple[str, str]) -> bool:
        if key in memo:
            return memo[key]
        memo[key] = False  # a cycle does not make a row the child's
        model, row = rows[key]
        if model is Child:
            memo[key] = str(row.pk) == str(child.pk)
            return memo[key]
        for field in model._meta.concrete_fields:
            value = getattr(row, field.attname)
            if value is None:
                continue
            if field.name == "child_id" and str(value) == str(child.pk):
                memo[key] = True
            elif field.is_relation and (field.many_to_one or field.one_to_one):
                target = (field.related_model._meta.label, str(value))
                if target in rows and linked(target):
                    memo[key] = True
            if memo[key]:
                break
        return memo[key]

    return {key for key in rows if linked(key)}


def test_the_export_holds_every_record_linked_to_the_child_and_no_other(council, make_user):
    child = council["child"]
    manager = make_user(Role.TEAM_MANAGER)
    expected = _everything_linked_to(child)  # before the export, which adds its own audit event
    export, content = subject_access.export_record(actor=manager, child=child, reference="SAR-1", reason="The child asked",
                                                   exported_by=manager.display_name)
    exported = {(r.model, r.id) for r in export.records}
    assert exported == expected
    kinds = {model for model, _ in expected}
    # The fixture is rich: the demo's records and one of each kind it leaves out.
    assert len(kinds) >= 40, sorted(set(subject_access.reachable_models()) - kinds)
    assert len(export.records) >= 100
    # Another child's records are not in it.
    assert not any(r.model == "children.Child" and r.id != str(child.pk) for r in export.records)
    payload = json.loads(zipfile.ZipFile(io.BytesIO(content)).read(f"{subject_access.filename(export)}.json"))
    assert {(r["model"], r["id"]) for r in payload["records"]} == expected


def test_the_export_is_chronological_and_marks_third_party_data(council, make_user):
    child = council["child"]
    manager = make_user(Role.DIRECTOR)
    export, content = subject_access.export_record(actor=manager, child=child, reference="SAR/2026/7",
                                                   reason="Advocate's request", exported_by=manager.display_name)
    dated = [r.when for r in export.records if r.when is not None]
    assert dated == sorted(dated) and len(dated) > 50
    undated_after_dated = [r.when for r in export.records]
    assert undated_after_dated[: len(dated)] == dated  # undated records come last
    placements = [r for r in export.records if r.model == "placements.Placement"]
    assert placements and all("carer_or_provider" in r.third_party for r in placements)
    staff = [r for r in export.records if r.model == "accounts.Allocation"]
    assert staff and all("worker_id" in r.third_party for r in staff)
    own = next(r for r in export.records if r.model == "children.Child")
    assert "given_names" not in own.third_party and "family_name" not in own.third_party
    archive = zipfile.ZipFile(io.BytesIO(content))
    assert sorted(archive.namelist()) == [f"subject-access-SAR-2026-7-{export.exported_at:%Y%m%d}.{ext}"
                                          for ext in ("html", "json")]
    html = archive.read(archive.namelist()[0]).decode()
    carer = placements[0].values["carer_or_provider"]
    assert f'<span class="marker">{subject_access.THIRD_PARTY}</span> {carer}' in html


def _zip_records(content: bytes) -> list[dict[str, Any]]:
    archive = zipfile.ZipFile(io.BytesIO(content))
    name = next(n for n in archive.namelist() if n.endswith(".json"))
    return json.loads(archive.read(name))["records"]


@pytest.fixture
def one_child(make_team, make_user, make_child):
    worker = make_user(Role.SOCIAL_WORKER, team=make_team())
    return make_child(social_worker=worker, given_names="Sentinelname", family_name="Zzyzx"), worker


def test_a_manager_downloads_the_export_from_the_page_and_it_is_audited(one_child, make_user, signed_in):
    child, _ = one_child
    manager = make_user(Role.TEAM_MANAGER)
    client = signed_in(manager)
    assert "Export the whole record" in client.get(f"/children/{child.pk}/").content.decode()
    assert client.get(f"/children/{child.pk}/subject-access/").status_code == 200
    response = client.post(f"/children/{child.pk}/subject-access/",
                           {"reference": "SAR-2026-0412", "reason": "The young person, through their advocate"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert 'filename="subject-access-SAR-2026-0412-' in response["Content-Disposition"]
    assert any(r["model"] == "children.Child" and r["id"] == str(child.pk) for r in _zip_records(response.content))
    event = AuditEvent.objects.get(record_type="children.SubjectAccessExport")
    assert event.actor == manager and event.child_id == child.pk and event.record_id == "SAR-2026-0412"
    assert event.changes["reason"] == "The young person, through their advocate"
    assert AccessLogEntry.objects.filter(user=manager, child_id=child.pk, purpose="subject access export").exists()


def test_the_request_reference_and_reason_are_required(one_child, make_user, signed_in):
    child, _ = one_child
    client = signed_in(make_user(Role.DIRECTOR))
    response = client.post(f"/children/{child.pk}/subject-access/", {"reference": " ", "reason": ""})
    assert response.status_code == 422
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert "Enter the subject access request reference" in page and "Enter why the record is being exported" in page
    assert not AuditEvent.objects.filter(record_type="children.SubjectAccessExport").exists()


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.IRO_MANAGER, Role.PERFORMANCE_ANALYST, Role.PERSONAL_ADVISER])
def test_only_managers_may_export(role, one_child, make_user, signed_in):
    child, worker = one_child
    user = worker if role == Role.SOCIAL_WORKER else make_user(role)
    client = signed_in(user)
    assert client.get(f"/children/{child.pk}/subject-access/").status_code == 404
    assert client.post(f"/children/{child.pk}/subject-access/", {"reference": "A", "reason": "B"}).status_code == 404
    assert not AuditEvent.objects.filter(record_type="children.SubjectAccessExport").exists()


def test_the_command_writes_the_zip_and_audits_it(one_child, tmp_path):
    child, _ = one_child
    out = tmp_path / "sar.zip"
    call_command("subject_access", str(child.pk), "--reference", "SAR-9", "--reason", "Court order", "--out", str(out))
    assert any(r["id"] == str(child.pk) for r in _zip_records(out.read_bytes()))
    event = AuditEvent.objects.get(record_type="children.SubjectAccessExport")
    assert event.actor is None and event.changes["via"] == "command line"


@pytest.mark.parametrize(("args", "message"), [
    (["--reference", "SAR-9", "--out", "x.zip"], "--reason"),
    (["--reference", " ", "--reason", "Court order", "--out", "x.zip"], "Enter the subject access request reference"),
    (["--reference", "SAR-9", "--reason", "Court order", "--out", "/no/such/folder/x.zip"], "/no/such/folder"),
])
def test_the_command_refuses_bad_input_naming_it(one_child, args, message):
    child, _ = one_child
    with pytest.raises((CommandError, SystemExit)) as refused:
        call_command("subject_access", str(child.pk), *args)
    assert message in str(refused.value) or isinstance(refused.value, SystemExit)
    assert not AuditEvent.objects.filter(record_type="children.SubjectAccessExport").exists()


def test_the_command_refuses_an_unknown_child(db):
    with pytest.raises(CommandError, match="No child has the id"):
        call_command("subject_access", str(uuid.uuid4()), "--reference", "R", "--reason", "Why", "--out", "x.zip")


def test_the_export_makes_as_many_queries_for_a_rich_record_as_for_a_new_one(council, one_child):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for child in (one_child[0], council["child"]):
        with CaptureQueriesContext(connection) as queries:
            export = subject_access.collect(child=child, reference="R", reason="Why", exported_by="Test")
        counts.append((len(queries), len(export.records)))
    (new_queries, new_records), (rich_queries, rich_records) = counts
    assert rich_records > 10 * new_records
    assert rich_queries == new_queries == len(subject_access.reachable_models())
