"""The council's own settings, kept by the administrator, and the base every record shares."""

from __future__ import annotations

import uuid

from django.db import models


class Record(models.Model):
    """A record of the case: a random, unguessable identifier and when it was made and changed."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class CouncilSettings(models.Model):
    """One row: the council this installation serves and the local choices the law leaves to it."""

    name = models.CharField(max_length=200, default="Harbourside Council")
    la_code = models.CharField("local authority code", max_length=3, default="999")
    nts_transfer_working_days = models.PositiveSmallIntegerField(
        "NTS transfer deadline in working days",
        default=5,
        help_text="Working days from the NTS referral to the child arriving (5 since 24 August 2022).",
    )
    child_population = models.PositiveIntegerField(
        "children aged 0 to 17 in the council's area", null=True, blank=True
    )

    class Meta:
        verbose_name = "council settings"
        verbose_name_plural = "council settings"

    def __str__(self) -> str:
        return self.name

    @classmethod
    def current(cls) -> CouncilSettings:
        settings, _ = cls.objects.get_or_create(pk=1)
        return settings
