"""Bulk writes on case data are captured in the audit trail (ADR 0016, docs/security.md row 13).

``QuerySet.update()``, ``bulk_update()``, ``bulk_create()`` and ``QuerySet.delete()`` skip ``save()``
and so every service's ``record_change``. On the models of the case apps they are captured here
instead: each row they write or delete (and each row a delete cascades to) leaves an ``AuditEvent``
(before and after, ``via="bulk"``) in the same transaction. Every
model of those apps is covered when the apps are ready, including models added later, and the
related managers (``child.placements.update(...)``) too, as Django builds them from the model's
default manager class. Reads and ``save()`` are untouched.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from contextvars import ContextVar
from typing import Any

from django.apps import apps
from django.db import connections, models, router, transaction

CASE_APPS = ("children", "placements", "reviews", "leaving_care", "uasc", "referrals")
BULK = "bulk"

# Who is doing a bulk write, when a command or service knows: ``with bulk_actor(user): ...``.
_actor: ContextVar[Any] = ContextVar("harbour_bulk_actor", default=None)
# Otherwise, the request being answered (set by RequestActorMiddleware): its signed-in user, read
# when the write happens, so an API token's user (set by the API's authentication) counts too.
_request: ContextVar[Any] = ContextVar("harbour_bulk_request", default=None)


class bulk_actor:  # noqa: N801 - used as a context manager, like transaction.atomic
    def __init__(self, actor: Any) -> None:
        self.actor = actor

    def __enter__(self) -> None:
        self._token = _actor.set(self.actor)

    def __exit__(self, *exc: object) -> None:
        _actor.reset(self._token)


class RequestActorMiddleware:
    """Makes the request's user the actor, and its id the request id, of the bulk writes made while
    answering it."""

    def __init__(self, get_response: Callable[[Any], Any]) -> None:
        self.get_response = get_response

    def __call__(self, request: Any) -> Any:
        token = _request.set(request)
        try:
            return self.get_response(request)
        finally:
            _request.reset(token)


def _who_and_which_request() -> tuple[Any, str]:
    request = _request.get()
    actor = _actor.get()
    if actor is None and request is not None:
        user = getattr(request, "user", None)
        actor = user if getattr(user, "is_authenticated", False) else None
    return (actor if getattr(actor, "pk", None) else None), getattr(request, "request_id", "")


def _child_id(model: type[models.Model], pk: Any, row: dict[str, Any]) -> Any:
    if model._meta.label == "children.Child":
        return pk
    return row.get("child_id")


def _events(model: type[models.Model], action: str, rows: Iterable[tuple[Any, dict[str, Any], dict[str, Any]]]) -> None:
    from harbour.audit.models import AuditEvent
    from harbour.audit.services import _plain, changed_fields

    actor, request_id = _who_and_which_request()
    _insert_in_one_statement([
        AuditEvent(actor=actor, action=action, request_id=request_id,
                   record_type=model._meta.label, record_id=str(pk), child_id=_child_id(model, pk, {**before, **after}),
                   changes=changed_fields({k: _plain(v) for k, v in before.items()},
                                          {k: _plain(v) for k, v in after.items()}), via=BULK)
        for pk, before, after in rows
    ])


def _insert_in_one_statement(events: list[Any]) -> None:
    """Insert the events with one executemany: bulk_create would split them into batches on SQLite
    (999 parameters a statement), so a bulk write of 1,000 rows would cost more queries than one
    of 10, and pages must keep a fixed number of queries whatever the caseload."""
    from harbour.audit.models import AuditEvent

    if not events:
        return
    connection = connections[router.db_for_write(AuditEvent) or "default"]
    fields = AuditEvent._meta.concrete_fields
    quote = connection.ops.quote_name
    # Only the model's own table and column names are formatted in; every value is a parameter.
    columns = ", ".join(quote(str(f.column)) for f in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {quote(AuditEvent._meta.db_table)} ({columns}) VALUES ({placeholders})"  # noqa: S608
    params = [[f.get_db_prep_save(f.pre_save(event, True), connection) for f in fields] for event in events]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def _audited(model: type[models.Model]) -> bool:
    return model._meta.app_label in CASE_APPS or _has_child(model)


def _has_child(model: type[models.Model]) -> bool:
    return any(field.attname == "child_id" for field in model._meta.concrete_fields)


class CapturedBulkQuerySet(models.QuerySet[Any]):
    """A case model's queryset whose bulk writes leave one audit event per row written."""

    def _columns(self, names: Iterable[str]) -> list[str]:
        wanted = {self.model._meta.get_field(name).attname for name in names}
        if _has_child(self.model):
            wanted.add("child_id")
        return sorted(wanted)

    def update(self, **kwargs: Any) -> int:
        columns = self._columns(kwargs)
        with transaction.atomic(using=self.db):
            before = {row.pop("pk"): row for row in self.values("pk", *columns)}
            count = super().update(**kwargs)
            after = self.model._base_manager.using(self.db).filter(pk__in=list(before)).values("pk", *columns)
            _events(self.model, "update", (
                (row["pk"], before.get(row["pk"], {}), {k: v for k, v in row.items() if k != "pk"}) for row in after))
        return count

    def bulk_update(self, objs: Iterable[Any], fields: Iterable[str], batch_size: int | None = None) -> int:
        objs = list(objs)
        fields = list(fields)
        columns = self._columns(fields)
        with transaction.atomic(using=self.db):
            base = self.model._base_manager.using(self.db)
            before = {row.pop("pk"): row for row in base.filter(pk__in=[o.pk for o in objs]).values("pk", *columns)}
            count = super().bulk_update(objs, fields, batch_size=batch_size)
            _events(self.model, "update", (
                (obj.pk, before.get(obj.pk, {}), {column: getattr(obj, column) for column in columns}) for obj in objs))
        return count

    def delete(self) -> tuple[int, dict[str, int]]:
        """Delete as Django does, leaving one event per row removed with its values before: the rows
        asked for and every row their deletion cascades to, of a case app or about a child.

        Django's own collection runs twice (once here to read the rows, once in ``delete()``), so
        what is recorded is what the same rules remove; a delete is rare enough for the extra reads.
        """
        from django.db.models.deletion import Collector

        from harbour.audit.services import snapshot

        with transaction.atomic(using=self.db):
            wanted = self.all()
            wanted.query.select_related = False
            wanted.query.clear_ordering(force=True)
            collector = Collector(using=self.db, origin=self)
            collector.collect(wanted)
            doomed: dict[type[models.Model], set[Any]] = {}
            for model, instances in collector.data.items():
                doomed.setdefault(model, set()).update(obj.pk for obj in instances)
            for fast in collector.fast_deletes:  # querysets, or a list of one model's rows
                for obj in fast:
                    doomed.setdefault(type(obj), set()).add(obj.pk)
            # The collector reads only the columns it needs, so each model's rows are read whole.
            before = [(model, [(obj.pk, snapshot(obj), {}) for obj in model._base_manager.using(self.db)
                               .filter(pk__in=list(pks)).order_by("pk")])
                      for model, pks in doomed.items() if _audited(model)]
            result = super().delete()
            for model, rows in before:
                _events(model, "delete", rows)
        return result

    def bulk_create(self, objs: Iterable[models.Model], *args: Any, **kwargs: Any) -> list[models.Model]:
        from harbour.audit.services import snapshot

        with transaction.atomic(using=self.db):
            created = super().bulk_create(objs, *args, **kwargs)
            _events(self.model, "create", ((obj.pk, {}, snapshot(obj)) for obj in created))
        return created


def _captured(queryset_class: type[models.QuerySet[Any]]) -> type[models.QuerySet[Any]]:
    if issubclass(queryset_class, CapturedBulkQuerySet):
        return queryset_class
    return type(f"Captured{queryset_class.__name__}", (CapturedBulkQuerySet, queryset_class), {})


def capture_bulk_writes(app_labels: Sequence[str] = CASE_APPS) -> None:
    """Give every manager of every model in ``app_labels`` a capturing queryset (called once, when
    the apps are ready). Each manager instance gets its own subclass, so models outside the case
    apps that share ``models.Manager`` are not touched."""
    for label in app_labels:
        for model in apps.get_app_config(label).get_models():
            for manager in model._meta.managers:
                manager_class = type(manager)
                queryset_class = getattr(manager_class, "_queryset_class", None)
                if queryset_class is None or issubclass(queryset_class, CapturedBulkQuerySet):
                    continue
                manager.__class__ = type(manager_class.__name__, (manager_class,),
                                         {"_queryset_class": _captured(queryset_class),
                                          "__module__": manager_class.__module__})
