"""The child's record: identity as the child gives it, dates of birth by source, legal status and
periods looked after. Every change goes through `children.services`, which audits it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Upper

from harbour.core.models import Record

from .codes import (
    AgeAssessmentOutcome,
    CategoryOfNeed,
    DateOfBirthSource,
    Ethnicity,
    LegalStatus,
    Sex,
    UpnUnknown,
)


class UnscopedChildQuery(Exception):
    """Raised when code asks for children without saying whose view it is."""


class ScopeRequiredManager(models.Manager["Child"]):
    def get_queryset(self) -> models.QuerySet[Child]:
        raise UnscopedChildQuery(
            "Children are read through harbour.accounts.access (children_visible_to, access_child); "
            "services that must see every child use Child.unscoped deliberately."
        )


class Child(Record):
    # `unscoped` comes first so Django's own machinery (forms, deletion) works; `objects`
    # fails closed so that a forgotten scope is an error, not a leak.
    unscoped = models.Manager()
    objects = ScopeRequiredManager()

    given_names = models.CharField(max_length=200, blank=True)
    family_name = models.CharField(max_length=200, blank=True)
    preferred_name = models.CharField(max_length=200, blank=True)
    names_in_original_script = models.CharField(max_length=300, blank=True)
    # The date of birth in use and where it comes from; every date recorded is in DateOfBirthRecord.
    date_of_birth = models.DateField(null=True, blank=True, db_index=True)
    date_of_birth_source = models.CharField(max_length=20, choices=DateOfBirthSource.choices, blank=True)
    sex = models.CharField(max_length=1, choices=Sex.choices, default=Sex.UNKNOWN)
    ethnicity = models.CharField(max_length=4, choices=Ethnicity.choices, default=Ethnicity.NOBT)
    nationality = models.CharField(max_length=100, blank=True)
    first_language = models.CharField(max_length=100, blank=True)
    other_languages = models.CharField(max_length=300, blank=True)
    interpreter_needed = models.BooleanField(null=True)
    religion = models.CharField(max_length=100, blank=True)
    upn = models.CharField("unique pupil number", max_length=13, blank=True)
    upn_unknown_reason = models.CharField(max_length=3, choices=UpnUnknown.choices, blank=True)
    home_office_reference = models.CharField(max_length=40, blank=True, db_index=True)
    port_reference = models.CharField(max_length=40, blank=True, db_index=True)
    is_uasc = models.BooleanField("unaccompanied asylum-seeking child", default=False)
    date_of_death = models.DateField(null=True, blank=True)
    # UK GDPR art. 18: while set (accuracy contested, or an objection pending) nothing about the
    # child is shared with partners. Who set it and when is in the audit trail.
    processing_restricted = models.BooleanField(default=False)
    processing_restriction_reason = models.CharField(max_length=500, blank=True)
    # What the SSDA903 return needs of a looked-after child that no other record holds: the category
    # of need (Episodes CIN) and, for a girl or young woman, whether she is a mother and her first
    # child's date of birth (Header MOTHER and MC_DOB).
    category_of_need = models.CharField(max_length=2, choices=CategoryOfNeed.choices, blank=True)
    is_mother = models.BooleanField(null=True)
    mother_child_date_of_birth = models.DateField("date of birth of her first child", null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    # Set when two people agreed this record is the same child as another and it was merged into
    # that one (ADR 0019): the record stays, hidden from lists and search, so that its history is
    # intact and the merge can be undone. An identifier, not a key: see merging.ChildMerge.
    merged_into = models.UUIDField(null=True, blank=True, db_index=True)

    class Meta:
        verbose_name_plural = "children"
        ordering = ["family_name", "given_names"]
        # Search compares references whatever their case (iexact is UPPER(column) = UPPER(query) on
        # PostgreSQL): without these, finding a child by reference reads every child.
        indexes = [
            models.Index(Upper("home_office_reference"), name="child_home_office_ref_upper"),
            models.Index(Upper("port_reference"), name="child_port_reference_upper"),
            models.Index(Upper("upn"), name="child_upn_upper"),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.given_names, self.family_name) if part) or "Name not known"

    @property
    def known_as(self) -> str:
        return self.preferred_name or self.full_name


class ChildName(models.Model):
    """Every name the child is known by, with a folded key so any spelling finds them."""

    class Kind(models.TextChoices):
        GIVEN = "given", "Given names"
        FAMILY = "family", "Family name"
        PREFERRED = "preferred", "Preferred name"
        ORIGINAL_SCRIPT = "original_script", "Name in original script"
        ALIAS = "alias", "Alias"
        SPELLING = "spelling", "Other spelling"

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="names")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    name = models.CharField(max_length=300)
    search_key = models.CharField(max_length=300, db_index=True)
    sound_key = models.CharField(max_length=300, db_index=True)

    class Meta:
        indexes = [models.Index(fields=["child", "kind"])]


class DateOfBirthRecord(models.Model):
    """One date of birth from one source. Never changed or deleted: a new one is added instead."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="dates_of_birth")
    date_of_birth = models.DateField()
    source = models.CharField(max_length=20, choices=DateOfBirthSource.choices)
    note = models.CharField(max_length=500, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    in_use_from = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-recorded_at"]


class LegalStatusPeriod(models.Model):
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="legal_statuses")
    legal_status = models.CharField(max_length=2, choices=LegalStatus.choices)
    start = models.DateField()
    end = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__isnull=True) | models.Q(end__gte=models.F("start")),
                name="legal_status_ends_after_start",
            )
        ]


class PeriodLookedAfter(models.Model):
    """A period of care: from becoming looked after to ceasing to be (SSDA903 episodes derive from it)."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="periods_looked_after")
    start = models.DateField()
    end = models.DateField(null=True, blank=True)
    reason_ceased = models.CharField(max_length=3, blank=True)

    class Meta:
        ordering = ["-start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__isnull=True) | models.Q(end__gte=models.F("start")),
                name="period_looked_after_ends_after_start",
            )
        ]


class ChronologyEntry(models.Model):
    """Something that happened to the child that no other record holds: a note, a significant event."""

    class Kind(models.TextChoices):
        NOTE = "note", "Case note"
        SIGNIFICANT_EVENT = "significant_event", "Significant event"
        CONTACT = "contact", "Contact"
        PARTNER_INFORMATION = "partner_information", "Information from a partner agency"

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="chronology")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    occurred_at = models.DateTimeField()
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    # A partner who answers through a shared form's link has no account: recorded_by is empty and
    # source says who gave the information.
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    source = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-occurred_at"]


class AgeAssessment(models.Model):
    """A Merton-compliant age assessment (R (B) v LB Merton [2003]): who assessed, when, with which
    interpreter, what they found and what the young person said. Recorded once; its date of birth
    is added to the dates of birth, never written over them."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="age_assessments")
    started_on = models.DateField()
    completed_on = models.DateField()
    assessors = models.CharField(max_length=300)
    interpreter = models.CharField(max_length=200, blank=True)
    outcome = models.CharField(max_length=20, choices=AgeAssessmentOutcome.choices)
    assessed_date_of_birth = models.DateField()
    child_response = models.TextField(blank=True)
    naab_referred_on = models.DateField("referred to the National Age Assessment Board on", null=True, blank=True)
    date_of_birth_record = models.OneToOneField(
        DateOfBirthRecord, null=True, blank=True, on_delete=models.PROTECT, related_name="age_assessment"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-completed_on", "-recorded_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(completed_on__gte=models.F("started_on")),
                                   name="age_assessment_completed_after_start"),
            models.CheckConstraint(condition=models.Q(assessed_date_of_birth__lte=models.F("completed_on")),
                                   name="age_assessment_date_of_birth_before_completion"),
        ]
