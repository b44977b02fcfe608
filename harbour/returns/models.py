"""A run of the SSDA903 return to date: the files written and what the DfE's rules found in them."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from harbour.core.models import Record


class ReturnRun(Record):
    """One export of a collection year's return and its validation, by a person or the nightly check."""

    class State(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Running"
        DONE = "done", "Finished"
        FAILED = "failed", "Failed"

    year = models.PositiveSmallIntegerField(help_text="The year in which the collection ends on 31 March.")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+", help_text="Empty for the nightly check.")
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0, help_text="Per cent done.")
    stage = models.CharField(max_length=200, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    children = models.PositiveIntegerField(default=0)
    rows = models.JSONField(default=dict, blank=True, help_text="Rows written, by file.")
    errors = models.PositiveIntegerField(default=0)
    false_positives = models.PositiveIntegerField(default=0)
    crashed_rules = models.JSONField(default=list, blank=True)
    failure = models.CharField(max_length=500, blank=True)
    # The return as the DfE would receive it: a zip of the CSV files, a few hundred kilobytes at most.
    files = models.BinaryField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["year", "state", "-created_at"])]

    @property
    def finished(self) -> bool:
        return self.state in {self.State.DONE, self.State.FAILED}


class ReturnFinding(models.Model):
    """One rule failed on one row of the return, linked to the child whose record causes it."""

    run = models.ForeignKey(ReturnRun, on_delete=models.CASCADE, related_name="findings")
    child = models.ForeignKey("children.Child", null=True, blank=True, on_delete=models.CASCADE,
                              related_name="return_findings")
    rule = models.CharField(max_length=20)
    message = models.CharField(max_length=500)
    fields = models.CharField(max_length=200, blank=True)
    table = models.CharField(max_length=20)
    row = models.PositiveIntegerField()
    false_positive_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["table", "row", "rule"]
        indexes = [models.Index(fields=["child", "run"])]


class ReturnChild(models.Model):
    """The CHILD identifier a council's past returns gave a child, kept so that exports give it again.

    A child recorded in Harbour has no row here: its CHILD is derived from its record id.
    """

    child = models.OneToOneField("children.Child", primary_key=True, on_delete=models.CASCADE,
                                 related_name="return_identity")
    code = models.CharField(max_length=20, unique=True)
    imported = models.BooleanField(default=True, help_text="Created by import-903 from a past return.")


class ImportedRow(models.Model):
    """One row of a past return as imported: the history the child's periods, legal statuses and
    placements are rebuilt from, merged across years (a later year's row for the same episode wins)."""

    child = models.ForeignKey("children.Child", on_delete=models.CASCADE, related_name="imported_rows")
    table = models.CharField(max_length=20)
    key = models.CharField(max_length=20, help_text="What makes the row one: an episode's DECOM, a review's date.")
    year = models.PositiveSmallIntegerField()
    data = models.JSONField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["child", "table", "key"], name="one_imported_row_per_key")]


class PreviousPermanence(models.Model):
    """Whether a child who came into care had been adopted, or had a special guardianship, residence or
    child arrangements order, before: the SSDA903 PrevPerm file (reference 4.10), asked of every child
    who starts to be looked after (validator rule 630)."""

    class Order(models.TextChoices):
        ADOPTION = "P1", "Adopted"
        SPECIAL_GUARDIANSHIP = "P2", "Special guardianship order"
        RESIDENCE = "P3", "Residence order or child arrangements order"
        UNKNOWN = "P4", "Had an order, of a kind not known"
        NONE = "Z1", "No previous permanence order"

    child = models.OneToOneField("children.Child", primary_key=True, on_delete=models.CASCADE,
                                 related_name="previous_permanence")
    order = models.CharField(max_length=2, choices=Order.choices)
    local_authority = models.CharField(max_length=10, blank=True, help_text="LA_PERM: the council that made it.")
    made_on = models.DateField(null=True, blank=True, help_text="DATE_PERM")
