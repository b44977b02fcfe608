"""Leaving care: the needs assessment now; pathway plans and personal advisers come with that work."""

from __future__ import annotations

from django.db import models


class NeedsAssessment(models.Model):
    child = models.ForeignKey("children.Child", on_delete=models.CASCADE, related_name="needs_assessments")
    completed_on = models.DateField()

    class Meta:
        ordering = ["-completed_on"]
