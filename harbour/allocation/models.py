"""Allocation by rota: social workers across teams take new children in turn.

The rota is one ordered list. `RotaState` holds whose turn it is; taking a turn locks that row,
so two allocations at the same moment never take the same turn.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class RotaMember(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="rota_member")
    position = models.PositiveIntegerField(unique=True)
    active = models.BooleanField(default=True)
    uasc_trained = models.BooleanField("has completed the council's UASC training", default=False)
    uasc_trained_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["position"]


class RotaState(models.Model):
    """One row: the last position that took a turn. Locked (SELECT ... FOR UPDATE) while a turn is taken."""

    last_position = models.PositiveIntegerField(default=0)
    turns_taken = models.PositiveIntegerField(default=0)


class Leave(models.Model):
    """A worker away (annual leave, sickness, training): the rota skips them."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="leave")
    start = models.DateField()
    end = models.DateField()
    reason = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["start"]
        constraints = [models.CheckConstraint(condition=models.Q(end__gte=models.F("start")), name="leave_ends_after_start")]


class PracticeLead(models.Model):
    """A UASC practice lead the allocated worker can consult."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="practice_lead")
    specialism = models.CharField(max_length=200, blank=True)
    active = models.BooleanField(default=True)


class RotaTurn(models.Model):
    """One allocation from the rota: who was proposed, who took the child, and why if they differ."""

    child = models.ForeignKey("children.Child", on_delete=models.PROTECT, related_name="rota_turns")
    referral = models.ForeignKey("referrals.Referral", null=True, blank=True, on_delete=models.PROTECT, related_name="rota_turns")
    proposed = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    allocated = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="rota_allocations")
    position = models.PositiveIntegerField(null=True, help_text="The rota position whose turn this was.")
    overridden = models.BooleanField(default=False)
    override_reason = models.TextField(blank=True)
    skipped = models.JSONField(default=list, help_text="Workers passed over and why.")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField()
    allocation = models.OneToOneField("accounts.Allocation", on_delete=models.PROTECT, related_name="rota_turn")

    class Meta:
        ordering = ["-decided_at"]
