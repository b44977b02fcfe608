"""Statutory reviews, visits, health assessments, PEPs and care plans: the facts the clocks run on;
the review record (who came, the child's views, decisions and actions, a late review's reason); and
the IRO's quality assurance (case-file audits, the actions raised from them and their escalation).

Every write goes through `reviews.services`, which checks the rules, audits the change and keeps
multi-row writes atomic."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from harbour.domain.oc2 import SDQ_REASONS


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

    class ViewsGathered(models.TextChoices):
        IN_PERSON = "in_person", "In person, with the IRO"
        ADVOCATE = "advocate", "Through an advocate"
        CONSULTATION_TOOL = "consultation_tool", "With a consultation tool (for example Mind of My Own)"
        NOT_GATHERED = "not_gathered", "The child's views were not gathered"

    # The occurrence the review discharged, from the deadlines engine at the time it was recorded.
    due_on = models.DateField(null=True, blank=True)
    late_reason = models.ForeignKey("LateReviewReason", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    late_reason_detail = models.CharField(max_length=500, blank=True)
    attendees = models.TextField(blank=True, help_text="Who attended, one per line")
    child_views = models.TextField(blank=True)
    views_gathered = models.CharField(max_length=20, choices=ViewsGathered.choices, blank=True)
    care_plan_view = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-held_on"]


class LateReviewReason(models.Model):
    """The council's list of reasons a review was held late; `needs_detail` asks for words ("Other")."""

    label = models.CharField(max_length=200, unique=True)
    needs_detail = models.BooleanField(default=False)
    active = models.BooleanField(default=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "label"]

    def __str__(self) -> str:
        return self.label


class ReviewAction(models.Model):
    """A decision of the review that someone must act on, by a date."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="actions")
    description = models.TextField()
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="review_actions")
    due_on = models.DateField()

    class Meta:
        ordering = ["due_on", "id"]


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
    dental_check_on = models.DateField(null=True, blank=True)
    immunisations_up_to_date = models.BooleanField(null=True)
    # The Strengths and Difficulties Questionnaire is done with the annual health assessment
    # (statutory guidance on promoting the health of looked-after children, 2015): a score or why not.
    sdq_score = models.PositiveSmallIntegerField(null=True, blank=True, help_text="SDQ total difficulties, 0 to 40.")
    sdq_reason = models.CharField(max_length=4, blank=True, choices=list(SDQ_REASONS.items()),
                                  help_text="Why there is no SDQ score.")

    class Meta:
        ordering = ["-assessed_on"]


class OutcomeEvent(models.Model):
    """Something that happened to a looked-after child that the OC2 file counts for the year: a
    substance misuse problem identified (and the intervention offered or received), or a conviction,
    final warning or reprimand (reference 4.7)."""

    class Kind(models.TextChoices):
        SUBSTANCE_MISUSE = "substance_misuse", "Substance misuse problem identified"
        CONVICTION = "conviction", "Convicted"
        FINAL_WARNING = "final_warning", "Final warning"
        REPRIMAND = "reprimand", "Reprimand"

    child = models.ForeignKey("children.Child", on_delete=models.CASCADE, related_name="outcome_events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    happened_on = models.DateField()
    intervention_offered = models.BooleanField(null=True, blank=True,
                                               help_text="Substance misuse only: an intervention was offered.")
    intervention_received = models.BooleanField(null=True, blank=True,
                                                help_text="Substance misuse only: an intervention was received.")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-happened_on"]
        indexes = [models.Index(fields=["child", "happened_on"])]


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


# --- The IRO's quality assurance ----------------------------------------------------------


class AuditArea(models.Model):
    """One area of the case file the council's audit tool rates (the council keeps the list)."""

    name = models.CharField(max_length=200, unique=True)
    active = models.BooleanField(default=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class CaseAudit(models.Model):
    child = models.ForeignKey("children.Child", on_delete=models.CASCADE, related_name="case_audits")
    auditor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    audited_on = models.DateField()
    summary = models.TextField(blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-audited_on", "-recorded_at"]


class AuditRating(models.Model):
    class Rating(models.TextChoices):
        OUTSTANDING = "outstanding", "Outstanding"
        GOOD = "good", "Good"
        REQUIRES_IMPROVEMENT = "requires_improvement", "Requires improvement"
        INADEQUATE = "inadequate", "Inadequate"

    audit = models.ForeignKey(CaseAudit, on_delete=models.CASCADE, related_name="ratings")
    area = models.ForeignKey(AuditArea, on_delete=models.PROTECT, related_name="+")
    rating = models.CharField(max_length=20, choices=Rating.choices)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["area__position", "area__name"]
        constraints = [models.UniqueConstraint(fields=["audit", "area"], name="one_rating_per_area")]


class QualityAction(models.Model):
    """An action the IRO raises with the social worker and their team manager, their answer and,
    when it is not answered in time, its escalation through the dispute resolution stages."""

    child = models.ForeignKey("children.Child", on_delete=models.CASCADE, related_name="quality_actions")
    audit = models.ForeignKey(CaseAudit, null=True, blank=True, on_delete=models.CASCADE, related_name="actions")
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    raised_on = models.DateField()
    description = models.TextField()
    social_worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                      related_name="quality_actions")
    team_manager = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    # The social worker's team when raised, so the report by team does not move with later transfers.
    team = models.ForeignKey("accounts.Team", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField()
    response = models.TextField(blank=True)
    responded_on = models.DateField(null=True, blank=True)
    responded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    stage = models.PositiveSmallIntegerField(default=0)
    escalated_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "raised_on"]
        indexes = [models.Index(fields=["social_worker", "responded_on"])]

    @property
    def answered(self) -> bool:
        return self.responded_on is not None

    @property
    def answered_in_time(self) -> bool:
        return self.responded_on is not None and self.responded_on <= self.due_on


# --- Invitations to a review -----------------------------------------------------------------


class InvitationWording(models.Model):
    """The council's wording of the invitation to a review in one language (it keeps the
    translations it has). ``{date}`` in the text is replaced by the date of the review."""

    language = models.CharField(max_length=100, unique=True, help_text="As recorded as a child's first language")
    subject = models.CharField(max_length=200)
    body = models.TextField()

    class Meta:
        ordering = ["language"]

    def __str__(self) -> str:
        return self.language


class ReviewInvitation(models.Model):
    class Invitee(models.TextChoices):
        CHILD = "child", "The child"
        CARER = "carer", "Carer"
        PARENT = "parent", "Parent"
        PROFESSIONAL = "professional", "Professional"

    child = models.ForeignKey("children.Child", on_delete=models.CASCADE, related_name="review_invitations")
    review_on = models.DateField()
    invitee = models.CharField(max_length=20, choices=Invitee.choices)
    name = models.CharField(max_length=200)
    email = models.EmailField(blank=True, help_text="Empty: a letter to print and give or post")
    language = models.CharField(max_length=100, default="English")
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-review_on", "invitee", "name"]
