"""What only an unaccompanied asylum-seeking child faces: the asylum claim and its milestones, and
the National Referral Mechanism when they may have been trafficked (reference section 5)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class AsylumDecision(models.TextChoices):
    REFUGEE = "refugee", "Refugee status"
    HUMANITARIAN = "humanitarian", "Humanitarian protection"
    UASC_LEAVE = "uasc_leave", "Limited leave as an unaccompanied child (UASC leave)"
    OTHER_LEAVE = "other_leave", "Other leave to remain"
    REFUSED = "refused", "Refused"


GRANTS_LEAVE = {AsylumDecision.REFUGEE, AsylumDecision.HUMANITARIAN, AsylumDecision.UASC_LEAVE,
                AsylumDecision.OTHER_LEAVE}


class AsylumClaim(models.Model):
    """One claim and its milestones, from the claim to leave granted or appeal rights exhausted."""

    child = models.OneToOneField("children.Child", on_delete=models.CASCADE, related_name="asylum_claim")
    claimed_on = models.DateField()
    legal_representative = models.CharField(max_length=300, blank=True)
    sef_due = models.DateField("statement of evidence form due")
    sef_sent_on = models.DateField("statement of evidence form sent", null=True, blank=True)
    interview_on = models.DateField(null=True, blank=True)
    decision = models.CharField(max_length=20, choices=AsylumDecision.choices, blank=True)
    decided_on = models.DateField(null=True, blank=True)
    leave_granted_on = models.DateField(null=True, blank=True)
    leave_expires_on = models.DateField(null=True, blank=True)
    appeal_lodged_on = models.DateField(null=True, blank=True)
    appeal_rights_exhausted_on = models.DateField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(leave_expires_on__isnull=True) | models.Q(leave_granted_on__isnull=True)
                | models.Q(leave_expires_on__gt=models.F("leave_granted_on")),
                name="asylum_leave_expires_after_granted",
            ),
        ]

    @property
    def awaiting_decision(self) -> bool:
        return not self.decision


class GroundsDecision(models.TextChoices):
    POSITIVE = "positive", "Positive"
    NEGATIVE = "negative", "Negative"


class NrmReferral(models.Model):
    """A National Referral Mechanism referral made by the council as first responder, the
    reasonable- and conclusive-grounds decisions, and the child's safety plan (reference 5.3)."""

    child = models.ForeignKey("children.Child", on_delete=models.CASCADE, related_name="nrm_referrals")
    referred_on = models.DateField()
    reasonable_grounds = models.CharField(max_length=10, choices=GroundsDecision.choices, blank=True)
    reasonable_grounds_on = models.DateField(null=True, blank=True)
    conclusive_grounds = models.CharField(max_length=10, choices=GroundsDecision.choices, blank=True)
    conclusive_grounds_on = models.DateField(null=True, blank=True)
    safety_plan = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-referred_on"]


class MissingEpisode(models.Model):
    """A time the child was missing (whereabouts unknown) or away (known but not where they should
    be), with the return interview: SSDA903 Missing file, MISSING M or A (reference 4.6)."""

    class Kind(models.TextChoices):
        MISSING = "M", "Missing: whereabouts unknown"
        AWAY = "A", "Away from placement without authorisation: whereabouts known"

    child = models.ForeignKey("children.Child", on_delete=models.CASCADE, related_name="missing_episodes")
    kind = models.CharField(max_length=1, choices=Kind.choices)
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    return_interview_on = models.DateField(null=True, blank=True)
    note = models.TextField(blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-started_on"]
        constraints = [
            models.CheckConstraint(condition=models.Q(ended_on__isnull=True) | models.Q(ended_on__gte=models.F("started_on")),
                                   name="missing_episode_ends_after_start"),
        ]
