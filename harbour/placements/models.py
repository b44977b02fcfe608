"""Where a looked-after child lives and how the place is found.

* `Provider`: the directory, in-house (the council's foster carers, supported lodgings hosts,
  intake base and flats) and external (independent fostering agencies, children's homes,
  registered supported accommodation), with the approval range and vacancies matching needs.
* `NeedsProfile`: the child's placement needs, recorded once on the child's record.
* `PlacementRequest`: one search for one child, sent in one action on both tracks; its profile is
  copied from the child's record when it is sent, so providers see what they were told.
* `RequestRecipient`: each provider asked, with its answer and when.
* `Offer`: an offer made by a provider asked, with the child's view of it.
* `Placement`: where the child lives, coded so that the SSDA903 episode follows without typing.
* `MatchingSettings`: the weights the council gives each matching criterion.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models

from harbour.core.models import Record
from harbour.placements.codes import (
    Need,
    PlacementProviderCode,
    PlacementType,
    ReasonPlacementChange,
)


class Track(models.TextChoices):
    IN_HOUSE = "in_house", "In-house"
    EXTERNAL = "external", "External"


class Provider(Record):
    class Kind(models.TextChoices):
        FOSTER_CARER = "foster_carer", "Council foster carer"
        SUPPORTED_LODGINGS = "supported_lodgings", "Supported lodgings host"
        INTAKE_BASE = "intake_base", "Council intake base"
        SEMI_INDEPENDENT_FLAT = "semi_independent_flat", "Council semi-independent flat"
        FOSTERING_AGENCY = "fostering_agency", "Independent fostering agency"
        CHILDRENS_HOME = "childrens_home", "Children's home"
        SUPPORTED_ACCOMMODATION = "supported_accommodation", "Registered supported accommodation"

    class Sexes(models.TextChoices):
        ANY = "any", "Any"
        MALE = "M", "Boys only"
        FEMALE = "F", "Girls only"

    class Mockingbird(models.TextChoices):
        NONE = "", "Not in a Mockingbird constellation"
        HUB = "hub", "Hub home"
        SATELLITE = "satellite", "Satellite home"

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=30, choices=Kind.choices)
    # A provider's own users (partner users of this agency) see this provider's requests only.
    partner_agency = models.ForeignKey(
        "accounts.PartnerAgency", null=True, blank=True, on_delete=models.PROTECT, related_name="providers"
    )
    ofsted_urn = models.CharField("Ofsted unique reference number", max_length=8, blank=True)
    registration = models.CharField("registration", max_length=200, blank=True,
                                    help_text="For example, 'Registered with Ofsted, judged good in 2025'.")
    postcode = models.CharField(max_length=10, blank=True)
    area = models.CharField(max_length=100, blank=True, help_text="The area of the council it is in.")
    out_of_area = models.BooleanField("outside the council's area", default=False)
    ages_from = models.PositiveSmallIntegerField("approved for ages from", default=0)
    ages_to = models.PositiveSmallIntegerField("approved for ages up to", default=17)
    places = models.PositiveSmallIntegerField("number of children approved for", default=1)
    sexes = models.CharField(max_length=3, choices=Sexes.choices, default=Sexes.ANY)
    languages = models.CharField("languages spoken", max_length=300, blank=True,
                                 help_text="Separate languages with commas.")
    faith = models.CharField(max_length=100, blank=True)
    communities = models.CharField("communities and cultures", max_length=300, blank=True,
                                   help_text="Nationalities or communities the household or staff share, "
                                             "separated with commas.")
    needs_met = models.JSONField("needs it can meet", default=list, blank=True)
    mockingbird = models.CharField(max_length=10, choices=Mockingbird.choices, blank=True)
    cost_per_week = models.DecimalField(max_digits=8, decimal_places=2, default=Decimal("0"))
    place_type = models.CharField("SSDA903 placement type", max_length=3, choices=PlacementType.choices)
    place_provider = models.CharField("SSDA903 placement provider", max_length=3,
                                      choices=PlacementProviderCode.choices)
    vacancies = models.PositiveSmallIntegerField(default=0)
    vacancies_updated_at = models.DateTimeField(null=True, blank=True)
    vacancies_updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    active = models.BooleanField(default=True)
    version = models.PositiveIntegerField(default=1)

    IN_HOUSE_KINDS = frozenset({Kind.FOSTER_CARER, Kind.SUPPORTED_LODGINGS, Kind.INTAKE_BASE,
                                Kind.SEMI_INDEPENDENT_FLAT})

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["active", "kind"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(ages_to__gte=models.F("ages_from")),
                                   name="provider_age_range_in_order"),
            models.CheckConstraint(condition=models.Q(vacancies__lte=models.F("places")),
                                   name="provider_vacancies_within_places"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def track(self) -> str:
        # A children's home the council runs itself is in-house too.
        in_house = self.kind in self.IN_HOUSE_KINDS or self.place_provider == PlacementProviderCode.PR1
        return Track.IN_HOUSE if in_house else Track.EXTERNAL


class NeedsProfile(models.Model):
    """The child's placement needs, kept on the child's record and copied into each request."""

    child = models.OneToOneField("children.Child", on_delete=models.CASCADE, related_name="needs_profile")
    needs = models.JSONField(default=list, blank=True)
    # Words for the council only: providers see the needs, never this.
    needs_detail = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")

    def need_labels(self) -> list[str]:
        return [Need(code).label for code in self.needs if code in Need.values]


class PlacementRequest(Record):
    class Status(models.TextChoices):
        DRAFT = "draft", "Not sent"
        SEARCHING = "searching", "Searching"
        CHOSEN = "chosen", "Offer chosen"
        PLACED = "placed", "Placed"
        CANCELLED = "cancelled", "Cancelled"

    class ChosenBy(models.TextChoices):
        CHILD = "child", "The child"
        CHILD_AND_SOCIAL_WORKER = "child_and_social_worker", "The child with their social worker"
        SOCIAL_WORKER = "social_worker", "The social worker, because the child could not choose"
        PLACEMENTS_PANEL = "placements_panel", "The placements panel"

    child = models.ForeignKey("children.Child", on_delete=models.CASCADE, related_name="placement_requests")
    referral = models.ForeignKey("referrals.Referral", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="placement_requests")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    needed_from = models.DateField("date needed")
    area_wanted = models.CharField(max_length=100, blank=True)
    # What providers were told, copied from the child's record when the request is sent.
    age_years = models.PositiveSmallIntegerField(null=True, blank=True)
    sex = models.CharField(max_length=1, blank=True)
    languages = models.CharField(max_length=300, blank=True)
    faith = models.CharField(max_length=100, blank=True)
    communities = models.CharField(max_length=300, blank=True)
    needs = models.JSONField(default=list, blank=True)
    summary_for_providers = models.TextField(
        blank=True, help_text="What providers need to know to make an offer. Do not include names, dates of birth "
                              "or references.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField(null=True, blank=True)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+")
    chosen_offer = models.OneToOneField("Offer", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    chosen_by = models.CharField(max_length=30, choices=ChosenBy.choices, blank=True)
    choice_reason = models.TextField(blank=True)
    choice_recorded_at = models.DateTimeField(null=True, blank=True)
    choice_recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                           on_delete=models.PROTECT, related_name="+")
    placement = models.OneToOneField("Placement", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="request")
    cancelled_reason = models.CharField(max_length=300, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "needed_from"])]


class RequestRecipient(Record):
    """A provider asked for a placement, and its answer."""

    class Answer(models.TextChoices):
        WAITING = "waiting", "Waiting for an answer"
        OFFERED = "offered", "Offered"
        DECLINED = "declined", "Declined"
        NO_ANSWER = "no_answer", "No answer"

    class DeclineReason(models.TextChoices):
        NO_VACANCY = "no_vacancy", "No vacancy"
        CANNOT_MEET_NEEDS = "cannot_meet_needs", "Cannot meet the child's needs"
        MATCHING = "matching", "Not a good match with the children already there"
        AGE_OR_SEX = "age_or_sex", "Outside the age range or sex approved for"
        LOCATION = "location", "Location not suitable"
        OTHER = "other", "Other"

    request = models.ForeignKey(PlacementRequest, on_delete=models.CASCADE, related_name="recipients")
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="requests")
    track = models.CharField(max_length=10, choices=Track.choices)
    asked_at = models.DateTimeField()
    answer = models.CharField(max_length=10, choices=Answer.choices, default=Answer.WAITING)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    decline_reason = models.CharField(max_length=20, choices=DeclineReason.choices, blank=True)
    decline_detail = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["track", "provider__name"]
        constraints = [
            models.UniqueConstraint(fields=["request", "provider"], name="one_ask_per_provider_per_request"),
        ]
        indexes = [models.Index(fields=["provider", "answer"])]


class Offer(Record):
    """A place offered for the child by a provider that was asked."""

    recipient = models.OneToOneField(RequestRecipient, on_delete=models.PROTECT, related_name="offer")
    request = models.ForeignKey(PlacementRequest, on_delete=models.CASCADE, related_name="offers")
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="offers")
    available_from = models.DateField()
    cost_per_week = models.DecimalField(max_digits=8, decimal_places=2)
    carer_or_unit = models.CharField("carer or unit", max_length=200, blank=True)
    details = models.TextField(blank=True, help_text="What the placement offers the child.")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # The child's view of this offer, in their words, recorded by the social worker.
    child_view = models.TextField(blank=True)
    child_view_recorded_at = models.DateTimeField(null=True, blank=True)
    child_view_recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                               on_delete=models.PROTECT, related_name="+")
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(cost_per_week__gte=0), name="offer_cost_not_negative"),
        ]


class Placement(models.Model):
    """Where the child lives. Its fields are the SSDA903 episode's placement columns."""

    PlacementType = PlacementType

    child = models.ForeignKey("children.Child", on_delete=models.CASCADE, related_name="placements")
    start = models.DateField()
    end = models.DateField(null=True, blank=True)
    placement_type = models.CharField(max_length=3, choices=PlacementType.choices)
    provider = models.ForeignKey(Provider, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="placements")
    carer_or_provider = models.CharField(max_length=200)
    place_provider = models.CharField("SSDA903 placement provider", max_length=3,
                                      choices=PlacementProviderCode.choices, blank=True)
    urn = models.CharField("Ofsted unique reference number", max_length=8, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    home_postcode = models.CharField("child's home postcode", max_length=10, blank=True,
                                     help_text="For an unaccompanied child, where they were first found.")
    out_of_area = models.BooleanField("outside the council's area", default=False)
    cost_per_week = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    long_term = models.BooleanField(
        default=False, help_text="Planned to last until the child is 18 (changes the visit frequency)."
    )
    reason_for_change = models.CharField("reason the placement changed", max_length=6,
                                         choices=ReasonPlacementChange.choices, blank=True)
    end_note = models.CharField(max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")

    class Meta:
        ordering = ["-start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__isnull=True) | models.Q(end__gte=models.F("start")),
                name="placement_ends_after_start",
            ),
            models.UniqueConstraint(fields=["child"], condition=models.Q(end__isnull=True),
                                    name="one_open_placement_per_child"),
        ]


class MatchingSettings(models.Model):
    """One row: how much each criterion counts when offers are compared (0 leaves it out)."""

    language = models.PositiveSmallIntegerField(default=3)
    faith_and_culture = models.PositiveSmallIntegerField("faith and culture", default=2)
    community_and_distance = models.PositiveSmallIntegerField("community and distance", default=2)
    needs = models.PositiveSmallIntegerField("needs the provider can meet", default=3)
    cost = models.PositiveSmallIntegerField("cost per week", default=1)
    no_answer_hours = models.PositiveSmallIntegerField(
        "hours after which a provider that has not answered is marked 'no answer'", default=48
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")

    class Meta:
        verbose_name = "matching settings"
        verbose_name_plural = "matching settings"

    @classmethod
    def current(cls) -> MatchingSettings:
        row, _ = cls.objects.get_or_create(pk=1)
        return row
