"""Where a looked-after child lives. The provider directory and matching come with the placements work."""

from __future__ import annotations

from django.db import models


class Placement(models.Model):
    class PlacementType(models.TextChoices):
        U4 = "U4", "U4: foster placement, long-term"
        U6 = "U6", "U6: foster placement, other"
        K2 = "K2", "K2: children's home"
        K3 = "K3", "K3: registered supported accommodation"
        H5 = "H5", "H5: semi-independent living"
        R5 = "R5", "R5: young offender institution or prison"
        Z1 = "Z1", "Z1: other placement"

    child = models.ForeignKey("children.Child", on_delete=models.CASCADE, related_name="placements")
    start = models.DateField()
    end = models.DateField(null=True, blank=True)
    placement_type = models.CharField(max_length=2, choices=PlacementType.choices)
    carer_or_provider = models.CharField(max_length=200)
    postcode = models.CharField(max_length=10, blank=True)
    long_term = models.BooleanField(
        default=False, help_text="Planned to last until the child is 18 (changes the visit frequency)."
    )

    class Meta:
        ordering = ["-start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__isnull=True) | models.Q(end__gte=models.F("start")),
                name="placement_ends_after_start",
            )
        ]
