"""Leaving care: the needs assessment, the pathway plan and its reviews, the personal adviser's
contacts coded for SSDA903 OC3, and placements extended past 18 for young people still waiting for
an asylum decision. The personal adviser is an accounts.Allocation of kind PERSONAL_ADVISER."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from .codes import (
    AccommodationType,
    Activity,
    DutyToReferOutcome,
    EndingKind,
    FundingSource,
    HumanRightsOutcome,
    InTouch,
    LivingArrangementKind,
    oc3_accom,
)


class NeedsAssessment(models.Model):
    child = models.ForeignKey("children.Child", on_delete=models.CASCADE, related_name="needs_assessments")
    completed_on = models.DateField()

    class Meta:
        ordering = ["-completed_on"]


class PathwayPlan(models.Model):
    """The pathway plan (SI 2010/959 reg 43) or one of its reviews, with the triple plan: what
    happens for each immigration outcome (DfE guidance on unaccompanied migrant children, 2017)."""

    class Kind(models.TextChoices):
        PLAN = "plan", "Pathway plan agreed"
        REVIEW = "review", "Pathway plan reviewed"

    child = models.ForeignKey("children.Child", on_delete=models.CASCADE, related_name="pathway_plans")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    held_on = models.DateField()
    plan_if_leave_granted = models.TextField(blank=True)
    plan_if_no_decision = models.TextField(blank=True)
    plan_if_refused = models.TextField(blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-held_on"]
        indexes = [models.Index(fields=["child", "held_on"])]


class AdviserContact(models.Model):
    """The personal adviser's contact with a care leaver, coded as SSDA903 OC3 records it."""

    child = models.ForeignKey("children.Child", on_delete=models.CASCADE, related_name="adviser_contacts")
    contacted_on = models.DateField()
    adviser = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    in_touch = models.CharField(max_length=4, choices=InTouch.choices)
    activity = models.CharField(max_length=2, choices=Activity.choices)
    accommodation = models.CharField(max_length=1, choices=AccommodationType.choices)
    accommodation_suitable = models.BooleanField(null=True)
    note = models.TextField(blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-contacted_on", "-recorded_at"]
        indexes = [models.Index(fields=["child", "contacted_on"])]

    @property
    def oc3_accom(self) -> str:
        """The SSDA903 OC3 ACCOM value, like U1 or S2."""
        return oc3_accom(self.accommodation, self.accommodation_suitable)


class PlacementExtension(models.Model):
    """A placement kept on past 18 for a young person still waiting for a decision on their asylum
    claim, who cannot rent or claim housing benefit meanwhile, with what it costs the council."""

    child = models.ForeignKey("children.Child", on_delete=models.CASCADE, related_name="placement_extensions")
    placement = models.ForeignKey("placements.Placement", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    starts_on = models.DateField()
    review_on = models.DateField()
    weekly_cost = models.DecimalField(max_digits=8, decimal_places=2)
    funding_source = models.CharField(max_length=20, choices=FundingSource.choices)
    reason = models.TextField()
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(condition=models.Q(review_on__gte=models.F("starts_on")),
                                   name="extension_review_after_start"),
            models.CheckConstraint(condition=models.Q(weekly_cost__gte=0), name="extension_cost_not_negative"),
        ]


class SupportTo25(models.Model):
    """A former relevant young person aged 21 to 24 asked for a personal adviser (Children Act 1989
    s23CZB, CSWA 2017 s3): they stay a care leaver until 25, or until they decline the support."""

    child = models.ForeignKey("children.Child", on_delete=models.CASCADE, related_name="support_to_25")
    requested_on = models.DateField()
    declined_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-requested_on"]


class LivingArrangement(models.Model):
    """Staying Put or Staying Close, recorded as such (reference 3.3)."""

    child = models.ForeignKey("children.Child", on_delete=models.CASCADE, related_name="living_arrangements")
    kind = models.CharField(max_length=20, choices=LivingArrangementKind.choices)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    carer_or_provider = models.CharField(max_length=200)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-starts_on"]


class HumanRightsAssessment(models.Model):
    """Whether withdrawing support from a young person whose appeal rights are exhausted would breach
    their human rights (Nationality, Immigration and Asylum Act 2002 Sch 3; reference 3.4)."""

    child = models.ForeignKey("children.Child", on_delete=models.CASCADE, related_name="human_rights_assessments")
    completed_on = models.DateField()
    outcome = models.CharField(max_length=20, choices=HumanRightsOutcome.choices)
    reasons = models.TextField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-completed_on"]


class DutyToRefer(models.Model):
    """A referral to a housing authority under the duty to refer (Housing Act 1996 s213B; reference 6),
    made with the young person's consent to the authority they chose."""

    child = models.ForeignKey("children.Child", on_delete=models.CASCADE, related_name="duty_to_refer")
    referred_on = models.DateField()
    housing_authority = models.CharField(max_length=200)
    consent_to_refer = models.BooleanField()
    consent_to_share_contact_details = models.BooleanField()
    outcome = models.CharField(max_length=20, choices=DutyToReferOutcome.choices, default=DutyToReferOutcome.AWAITED)
    outcome_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-referred_on"]


class AccommodationEnding(models.Model):
    """Notice served, or a placement or accommodation coming to an end: with no next home recorded,
    the young person is on the at-risk list."""

    child = models.ForeignKey("children.Child", on_delete=models.CASCADE, related_name="accommodation_endings")
    kind = models.CharField(max_length=20, choices=EndingKind.choices)
    known_on = models.DateField()
    ends_on = models.DateField()
    next_home = models.CharField(max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["ends_on"]
