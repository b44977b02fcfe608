"""The deadline snapshot (ADR 0016, "Deadline snapshot"): each child's outstanding deadlines as the
engine worked them out for one day. Derived and rebuildable, never a second source of truth: the
page recomputes any child whose records changed since their row was written, and the whole table
is rebuilt on a new day."""

from __future__ import annotations

from django.db import models

# One snapshot for the whole council: the row that says which day it is for.
THE_SNAPSHOT = 1


class SnapshotDay(models.Model):
    """The day the whole snapshot was last worked out for, when, and with which council setting."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=THE_SNAPSHOT)
    day = models.DateField()
    computed_at = models.DateTimeField()
    nts_working_days = models.PositiveSmallIntegerField()


class ChildDeadlines(models.Model):
    """One child's outstanding deadlines on ``day``, as ``Deadline.as_json`` (an empty list: nothing
    to do). Children with nothing to do on the day of the rebuild have no row at all."""

    # A foreign key, so that destroying a child's record (ADR 0018) removes their row with it and a
    # subject-access export finds it.
    child = models.OneToOneField("children.Child", on_delete=models.CASCADE, primary_key=True, related_name="+")
    day = models.DateField()
    # When the child's records were read: an audit event later than this (less the safety margin)
    # means the row may be out of date.
    computed_at = models.DateTimeField()
    deadlines = models.JSONField(default=list)
    # What the home page needs to find its first rows without reading every row (ADR 0016): the
    # earliest due date among the overdue deadlines and among those due within the page's horizon
    # (``harbour.snapshot.services.HORIZON_DAYS`` from ``day``), and how many of each.
    first_overdue = models.DateField(null=True, blank=True, db_index=True)
    first_due_soon = models.DateField(null=True, blank=True, db_index=True)
    overdue_count = models.PositiveIntegerField(default=0)
    due_soon_count = models.PositiveIntegerField(default=0)


class ChecksDay(models.Model):
    """The day every child's measured checks (below) were last worked out for, and when."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=THE_SNAPSHOT)
    day = models.DateField()
    computed_at = models.DateTimeField()


class ChildChecks(models.Model):
    """One child's reviews, visits, health assessments and PEPs over their whole history, as the
    deadlines engine worked them out on ``day``, for the performance measures (ADR 0012, "Speed"):
    by due date, one fixed-width record a check (``harbour.snapshot.checks.encode``: the due date,
    a letter for the kind, the day met or blanks), so that a dashboard cuts out its periods by
    bisection without reading ten years of checks. Every child has a row after a rebuild (an empty
    text: nothing measured)."""

    child = models.OneToOneField("children.Child", on_delete=models.CASCADE, primary_key=True, related_name="+")
    day = models.DateField()
    computed_at = models.DateTimeField()
    checks = models.TextField(default="", blank=True)
