"""NTS intake: the referral, the agencies told about it, the director's sign-off and the arrival.

The child's identity is held once, on the child's record (`children.Child`), which is opened when
the referral is recorded; the referral holds what only the transfer needs. Every change goes
through `referrals.services`, which audits it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from harbour.core.models import Record


class Referral(Record):
    """One NTS referral of one child to this council."""

    class Status(models.TextChoices):
        RECEIVED = "received", "Awaiting decision"
        ACCEPTED = "accepted", "Accepted"
        CONTESTED = "contested", "Contested"
        WITHDRAWN = "withdrawn", "Withdrawn"
        ARRIVED = "arrived", "Child arrived"

    class LocationKind(models.TextChoices):
        HOTEL = "hotel", "Home Office hotel"
        RECEPTION_CENTRE = "reception_centre", "Reception centre (for example Kent's Reception and Safe Care Service)"
        OTHER_COUNCIL = "other_council", "In another council's care"
        POLICE = "police", "Police station"
        HOSPITAL = "hospital", "Hospital"
        OTHER = "other", "Somewhere else"
        UNKNOWN = "unknown", "Not known"

    class AgeAssessment(models.TextChoices):
        NOT_DISPUTED = "not_disputed", "Age not disputed"
        DISPUTED = "disputed", "Age disputed, no assessment yet"
        IN_PROGRESS = "in_progress", "Age assessment in progress"
        COMPLETE = "complete", "Age assessment complete"
        UNKNOWN = "unknown", "Not known"

    # Statuses in which the transfer is still to be made.
    OPEN = (Status.RECEIVED, Status.ACCEPTED)

    child = models.ForeignKey("children.Child", on_delete=models.PROTECT, related_name="nts_referrals")
    team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, related_name="nts_referrals",
                             help_text="The team that received the referral and runs the transfer.")
    received_at = models.DateTimeField(db_index=True)
    referring_authority = models.CharField(max_length=200, help_text="The council or Home Office unit that referred the child.")
    referrer_contact = models.CharField(max_length=300, blank=True)
    nts_reference = models.CharField("NTS reference", max_length=40, db_index=True)
    current_location = models.CharField("where the child is now", max_length=300, blank=True)
    current_location_kind = models.CharField(max_length=20, choices=LocationKind.choices, default=LocationKind.UNKNOWN)
    age_assessment_status = models.CharField(max_length=20, choices=AgeAssessment.choices, default=AgeAssessment.UNKNOWN)
    # Restricted: health, safety and trafficking go only to the roles and agencies that may see them
    # (referrals.disclosure decides which).
    health_information = models.TextField(blank=True)
    safety_information = models.TextField("risks and safety information", blank=True)
    trafficking_indicators = models.TextField(blank=True)
    family_links = models.TextField("family or community links", blank=True)
    legal_representative = models.CharField(max_length=300, blank=True)
    documents_received = models.TextField("documents that came with the referral", blank=True,
                                          help_text="One document per line.")
    # The deadline is worked out once, from the council's setting on the day the referral arrived.
    transfer_due = models.DateField(db_index=True)
    transfer_working_days = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.RECEIVED, db_index=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    contest_reason = models.TextField(blank=True)
    # The placement search itself belongs to the placements work; the referral records that a
    # placement has been confirmed, which stops the one-day-left alert.
    placement_search_started_at = models.DateTimeField(null=True, blank=True)
    placement_confirmed_at = models.DateTimeField(null=True, blank=True)
    placement_confirmed_description = models.CharField(max_length=300, blank=True)
    one_day_alert_sent_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["transfer_due", "received_at"]
        indexes = [models.Index(fields=["status", "transfer_due"])]

    def __str__(self) -> str:
        return f"NTS referral {self.nts_reference}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN

    @property
    def documents(self) -> list[str]:
        return [line.strip() for line in self.documents_received.splitlines() if line.strip()]


class DistributionEntry(models.Model):
    """One agency on the council's distribution list for the single referral form."""

    class Kind(models.TextChoices):
        COMMISSIONING = "commissioning", "Commissioning"
        PLACEMENTS = "placements", "Placements"
        FOSTERING = "fostering", "Fostering"
        HEALTH = "health", "Health"
        EDUCATION = "education", "Education"
        VIRTUAL_SCHOOL = "virtual_school", "Virtual school"
        MASH = "mash", "Multi-agency safeguarding hub"
        POLICE = "police", "Police"
        LEAVING_CARE = "leaving_care", "Leaving care"

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    email = models.EmailField()
    partner_agency = models.ForeignKey("accounts.PartnerAgency", null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="+", help_text="Set when the agency is outside the council.")
    only_for_16_and_over = models.BooleanField(default=False, help_text="Leaving care is told only about children of 16 or over.")
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name_plural = "distribution list"

    def __str__(self) -> str:
        return self.name


class FormCopy(Record):
    """One agency's copy of the single referral form: sent, delivered, acknowledged, chased."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="form_copies")
    entry = models.ForeignKey(DistributionEntry, on_delete=models.PROTECT, related_name="copies")
    # The address and the sections shared are kept as they were when sent, whatever the list says later.
    email = models.EmailField()
    sections = models.JSONField(default=list)
    token_digest = models.CharField(max_length=64, unique=True)
    link_expires_at = models.DateTimeField()
    sent_at = models.DateTimeField()
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    delivered_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by_name = models.CharField(max_length=200, blank=True)
    chased_at = models.DateTimeField(null=True, blank=True)
    chase_count = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["entry__kind", "entry__name"]
        constraints = [models.UniqueConstraint(fields=["referral", "entry"], name="one_copy_per_agency_per_referral")]


class PartnerContribution(Record):
    """What an agency added through its copy of the form; it lands on the child's chronology too."""

    class Kind(models.TextChoices):
        HEALTH = "health", "Health information"
        EDUCATION = "education", "Education information"
        POLICE = "police", "Police information"
        OTHER = "other", "Other information"

    copy = models.ForeignKey(FormCopy, on_delete=models.CASCADE, related_name="contributions")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    text = models.TextField()
    given_by = models.CharField(max_length=200)
    chronology_entry = models.ForeignKey("children.ChronologyEntry", null=True, on_delete=models.SET_NULL, related_name="+")


class SignOffDelegate(models.Model):
    """Someone the director has named to approve section 20 accommodation in their place."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="sign_off_delegations")
    named_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    start = models.DateField()
    end = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-start"]


class Section20Approval(Record):
    """The director's (or a named delegate's) approval to accommodate the child under section 20."""

    referral = models.OneToOneField(Referral, on_delete=models.PROTECT, related_name="section20_approval")
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField()
    as_delegate = models.BooleanField(default=False)
    note = models.TextField(blank=True)


class Arrival(Record):
    """The child arriving in the council's care: the end of the transfer and the start of the clocks."""

    referral = models.OneToOneField(Referral, on_delete=models.PROTECT, related_name="arrival")
    arrived_at = models.DateTimeField()
    first_placement = models.ForeignKey("placements.Placement", on_delete=models.PROTECT, related_name="+")
    within_deadline = models.BooleanField()
    working_days_taken = models.PositiveSmallIntegerField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")


class ArrivalTask(Record):
    """Work that follows arrival: legal advice, the initial health assessment and the like."""

    class Kind(models.TextChoices):
        LEGAL_ADVICE = "legal_advice", "Refer for immigration legal advice"
        HEALTH_ASSESSMENT = "health_assessment", "Request the initial health assessment"
        OTHER = "other", "Other"

    child = models.ForeignKey("children.Child", on_delete=models.CASCADE, related_name="arrival_tasks")
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="tasks")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=200)
    due = models.DateField()
    assigned_to = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due"]


class HomeOfficeFundingRate(models.Model):
    """A Home Office rate for looked-after UASC, in force between two dates for an age band.

    Dated settings kept by the administrator (reference 1.6): the rate that applies is the one in
    force on the day the child arrives, for the child's age that day.
    """

    description = models.CharField(max_length=200)
    start = models.DateField()
    end = models.DateField(null=True, blank=True)
    min_age = models.PositiveSmallIntegerField(default=0)
    max_age = models.PositiveSmallIntegerField(default=17, help_text="The oldest age, in whole years, the rate covers.")
    nightly_rate = models.DecimalField(max_digits=8, decimal_places=2)
    one_off_amount = models.DecimalField(max_digits=8, decimal_places=2, default=0,
                                         help_text="A lump sum paid once per child, for example an incentive payment.")
    source = models.CharField(max_length=300)

    class Meta:
        ordering = ["-start", "min_age"]


class FundingClaim(Record):
    """The Home Office funding that follows a child's arrival, recorded for claiming."""

    child = models.ForeignKey("children.Child", on_delete=models.PROTECT, related_name="funding_claims")
    referral = models.OneToOneField(Referral, on_delete=models.PROTECT, related_name="funding_claim")
    rate = models.ForeignKey(HomeOfficeFundingRate, null=True, on_delete=models.PROTECT, related_name="+")
    claim_from = models.DateField()
    age_on_arrival = models.PositiveSmallIntegerField(null=True)
    nightly_rate = models.DecimalField(max_digits=8, decimal_places=2, null=True)
    one_off_amount = models.DecimalField(max_digits=8, decimal_places=2, default=0)
    basis = models.CharField(max_length=500)
