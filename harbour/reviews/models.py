"""Statutory reviews, visits, health assessments, PEPs and care plans: the facts the clocks run on."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Review(models.Model):
    class Participation(models.TextChoices):
        PN0 = "PN0", "PN0: child under 4 at the time of the review"
        PN1 = "PN1", "PN1: child attended and spoke for themselves"
        PN2 = "PN2", "PN2: child attended, an advocate spoke for them"
        PN3 = "PN3", "PN3: child attended, conveyed views non-verbally"
        PN4 = "PN4", "PN4: child attended, did not convey views"
        PN5 = "PN5", "PN5: child did not attend, an advocate conveyed views"
        PN6 = "PN6", "PN6: child did not attend, conveyed views by other means"
        PN7 = "PN7", "PN7: child did not attend or convey views"

    child = models.ForeignKey("children.Child", on_delete=models.CASCADE, related_name="reviews")
    held_on = models.DateField()
    chair = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    participation = models.CharField(max_length=3, choices=Participation.choices, blank=True)

    class Meta:
        ordering = ["-held_on"]


class Visit(models.Model):
    child = models.ForeignKey("children.Child", on_delete=models.CASCADE, related_name="visits")
    visited_on = models.DateField()
    visitor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    seen_alone = models.BooleanField(null=True)

    class Meta:
        ordering = ["-visited_on"]


class HealthAssessment(models.Model):
    child = models.ForeignKey("children.Child", on_delete=models.CASCADE, related_name="health_assessments")
    assessed_on = models.DateField()

    class Meta:
        ordering = ["-assessed_on"]


class PersonalEducationPlan(models.Model):
    child = models.ForeignKey("children.Child", on_delete=models.CASCADE, related_name="peps")
    reviewed_on = models.DateField()

    class Meta:
        ordering = ["-reviewed_on"]


class CarePlan(models.Model):
    child = models.ForeignKey("children.Child", on_delete=models.CASCADE, related_name="care_plans")
    agreed_on = models.DateField()

    class Meta:
        ordering = ["-agreed_on"]
