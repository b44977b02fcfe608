"""Legal holds, destruction proposals and the tombstones destruction leaves behind (ADR 0018)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from harbour.audit.models import AppendOnlyModel
from harbour.domain.retention import RECORD_CLASS_LABELS

RECORD_CLASS_CHOICES = [(klass.value, label) for klass, label in RECORD_CLASS_LABELS.items()]


class LegalHold(models.Model):
    """A reason the record must be kept whatever its retention date: litigation, an inquiry, a
    subject access request in progress. While a hold is in force nobody can destroy the record."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    child = models.ForeignKey("children.Child", on_delete=models.CASCADE, related_name="legal_holds")
    reason = models.CharField(max_length=500)
    placed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    placed_at = models.DateTimeField(auto_now_add=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    released_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-placed_at"]


class DestructionProposal(models.Model):
    """One person proposes destroying a record that has reached its review date; another approves.
    The child is named by identifier, not by key, because the proposal outlives the record."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    child_id = models.UUIDField(db_index=True)
    record_class = models.CharField(max_length=20, choices=RECORD_CLASS_CHOICES)
    review_date = models.DateField()
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-proposed_at"]
        constraints = [
            # The two-person rule, kept by the database as well as the service.
            models.CheckConstraint(
                condition=models.Q(approved_by__isnull=True) | ~models.Q(approved_by=models.F("proposed_by")),
                name="destruction_approved_by_someone_else",
            ),
            models.UniqueConstraint(
                fields=["child_id"], condition=models.Q(approved_at__isnull=True), name="one_open_proposal_per_child"
            ),
        ]


class Tombstone(AppendOnlyModel):
    """What is left of a destroyed record: who it was (by identifier only), its class and dates, who
    proposed and approved destruction, and how many rows of each table went. No personal values."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    child_id = models.UUIDField(unique=True)
    record_class = models.CharField(max_length=20, choices=RECORD_CLASS_CHOICES)
    review_date = models.DateField()
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField()
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    destroyed_at = models.DateTimeField(auto_now_add=True)
    rows_destroyed = models.JSONField(default=dict, help_text="Rows deleted, by table.")
    audit_events_redacted = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-destroyed_at"]
