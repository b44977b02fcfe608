"""A proposal that two records are the same child, its confirmation by a second person, and the
exact rows the merge moved, so that it can be undone (ADR 0019)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models


class ChildMerge(models.Model):
    """Two records of one child: `merged` is folded into `kept`. Proposed by one person, confirmed
    (or declined) by a manager who is someone else; never merged automatically. The merged-away
    record is kept, marked `Child.merged_into`, so its history stays whole."""

    class State(models.TextChoices):
        PROPOSED = "proposed", "Waiting for a manager to confirm"
        DECLINED = "declined", "Declined"
        MERGED = "merged", "Merged"
        UNDONE = "undone", "Merge undone"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # PROTECT and no reverse name: the merge record outlives nothing it names, and moving a
    # child's rows must never move the merge records that name them.
    kept = models.ForeignKey("children.Child", on_delete=models.PROTECT, related_name="+")
    merged = models.ForeignKey("children.Child", on_delete=models.PROTECT, related_name="+")
    state = models.CharField(
        max_length=10, choices=State.choices, default=State.PROPOSED, db_index=True
    )
    reason = models.CharField("why these are the same child", max_length=500)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.CharField(max_length=500, blank=True)
    # Written once, when the merge is carried out: [{"model": "app.Model", "table": ..., "pk": ...}]
    # for every row moved from `merged` to `kept`; and the rows added to `kept` (its other names
    # and dates of birth), which undoing removes.
    moved_rows = models.JSONField(default=list, blank=True)
    added_rows = models.JSONField(default=list, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    undone_at = models.DateTimeField(null=True, blank=True)
    undo_reason = models.CharField(max_length=500, blank=True)
    # What undoing found: rows moved back, and rows deleted since the merge that could not be.
    returned_rows = models.JSONField(default=list, blank=True)
    missing_rows = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-proposed_at"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kept=models.F("merged")), name="merge_two_different_records"
            ),
            # The two-person rule, kept by the database as well as the service.
            models.CheckConstraint(
                condition=models.Q(decided_by__isnull=True)
                | ~models.Q(decided_by=models.F("proposed_by")),
                name="merge_decided_by_someone_else",
            ),
            # A record is folded into at most one other, and has at most one proposal open.
            models.UniqueConstraint(
                fields=["merged"],
                condition=models.Q(state__in=["proposed", "merged"]),
                name="one_open_merge_per_merged_record",
            ),
        ]

    def __str__(self) -> str:
        return f"Merge {self.pk}: {self.merged_id} into {self.kept_id} ({self.state})"
