"""People who use Harbour, their teams and roles, and what ties a worker or a partner to a child."""

from __future__ import annotations

import hashlib
import secrets
import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from harbour.domain.oc2 import SW_REASONS
from harbour.domain.ssda903_cohorts import parse_social_work_england_number


class Role(models.TextChoices):
    SOCIAL_WORKER = "social_worker", "Social worker"
    TEAM_LEADER = "team_leader", "Team leader"
    TEAM_MANAGER = "team_manager", "Team manager"
    IRO = "iro", "Independent reviewing officer"
    IRO_MANAGER = "iro_manager", "IRO manager"
    PERSONAL_ADVISER = "personal_adviser", "Personal adviser"
    PLACEMENTS_OFFICER = "placements_officer", "Placements officer"
    COMMISSIONING_OFFICER = "commissioning_officer", "Commissioning officer"
    DIRECTOR = "director", "Director of children's services"
    PERFORMANCE_ANALYST = "performance_analyst", "Performance analyst"
    PARTNER = "partner", "Partner agency user"
    ADMINISTRATOR = "administrator", "Administrator"


class Scope(models.TextChoices):
    """How far a role sees. The access module is the only reader of this."""

    CASELOAD = "caseload", "Own caseload"
    TEAM = "team", "Team"
    SERVICE = "service", "Whole service"
    SHARED = "shared", "Only what is shared with their agency"
    NONE = "none", "No children"


ROLE_SCOPE: dict[str, str] = {
    Role.SOCIAL_WORKER: Scope.CASELOAD,
    Role.PERSONAL_ADVISER: Scope.CASELOAD,
    Role.IRO: Scope.CASELOAD,
    Role.TEAM_LEADER: Scope.TEAM,
    Role.TEAM_MANAGER: Scope.SERVICE,
    Role.IRO_MANAGER: Scope.SERVICE,
    Role.DIRECTOR: Scope.SERVICE,
    Role.PERFORMANCE_ANALYST: Scope.SERVICE,
    Role.PLACEMENTS_OFFICER: Scope.SERVICE,
    Role.COMMISSIONING_OFFICER: Scope.SERVICE,
    Role.PARTNER: Scope.SHARED,
    Role.ADMINISTRATOR: Scope.NONE,
}

# Roles that may read the access log of a child's record.
ACCESS_LOG_READERS = {Role.TEAM_LEADER, Role.TEAM_MANAGER, Role.IRO_MANAGER, Role.DIRECTOR}


class Team(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=120, unique=True)
    service_area = models.CharField(max_length=120, blank=True)

    def __str__(self) -> str:
        return self.name


class PartnerAgency(models.Model):
    class Kind(models.TextChoices):
        HEALTH = "health", "Health"
        EDUCATION = "education", "Education"
        POLICE = "police", "Police"
        MASH = "mash", "Multi-agency safeguarding hub"
        PROVIDER = "provider", "Placement provider"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    email = models.EmailField(blank=True)

    class Meta:
        verbose_name_plural = "partner agencies"

    def __str__(self) -> str:
        return self.name


def validate_social_work_england_number(value: str) -> None:
    try:
        parse_social_work_england_number(value)
    except ValueError as error:
        raise ValidationError(str(error), code="invalid") from error


class User(AbstractUser):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    role = models.CharField(max_length=40, choices=Role.choices, default=Role.SOCIAL_WORKER)
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.PROTECT, related_name="members")
    partner_agency = models.ForeignKey(
        PartnerAgency, null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    job_title = models.CharField(max_length=120, blank=True)
    caseload_limit = models.PositiveSmallIntegerField(null=True, blank=True)
    social_work_england_number = models.CharField(
        "Social Work England registration number", max_length=10, blank=True,
        validators=[validate_social_work_england_number],
        help_text="Like SW123456. The SSDA903 return gives it as the social worker's SW_ID.",
    )

    def clean(self) -> None:
        super().clean()
        try:
            self.social_work_england_number = parse_social_work_england_number(self.social_work_england_number)
        except ValueError:
            pass  # blank, or the field's validator names the mistake

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username

    @property
    def scope(self) -> str:
        return ROLE_SCOPE.get(self.role, Scope.NONE)


class Allocation(models.Model):
    """A worker's responsibility for a child: the allocated social worker, the IRO, the personal adviser."""

    class Kind(models.TextChoices):
        SOCIAL_WORKER = "social_worker", "Social worker"
        IRO = "iro", "Independent reviewing officer"
        PERSONAL_ADVISER = "personal_adviser", "Personal adviser"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    child = models.ForeignKey("children.Child", on_delete=models.CASCADE, related_name="allocations")
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="allocations")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    start = models.DateField()
    end = models.DateField(null=True, blank=True)
    # SW_REASON: why the child's social worker changed to this one (SSDA903 SWEpisodes, reference 4.9).
    change_reason = models.CharField(max_length=6, blank=True, choices=list(SW_REASONS.items()))

    class Meta:
        indexes = [models.Index(fields=["worker", "end"]), models.Index(fields=["child", "kind"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__isnull=True) | models.Q(end__gte=models.F("start")),
                name="allocation_ends_after_start",
            ),
            # One allocated social worker, one IRO and one personal adviser at a time.
            models.UniqueConstraint(
                fields=["child", "kind"], condition=models.Q(end__isnull=True), name="one_open_allocation_per_kind"
            ),
        ]


class PartnerGrant(models.Model):
    """A child's record shared with a partner agency, for a purpose, until a date."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    child = models.ForeignKey("children.Child", on_delete=models.CASCADE, related_name="partner_grants")
    agency = models.ForeignKey(PartnerAgency, on_delete=models.PROTECT, related_name="grants")
    purpose = models.CharField(max_length=200)
    legal_basis = models.CharField(max_length=200, blank=True)
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["agency", "expires_at"])]


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A token for a system that calls the API as a named user. Only its digest is kept."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    @classmethod
    def issue(cls, *, user: User, name: str) -> tuple[ApiToken, str]:
        raw = "hbr_" + secrets.token_urlsafe(32)
        token = cls.objects.create(user=user, name=name, digest=_digest(raw))
        return token, raw

    @classmethod
    def user_for(cls, raw: str) -> User | None:
        token = (
            cls.objects.select_related("user")
            .filter(digest=_digest(raw), revoked_at__isnull=True, user__is_active=True)
            .first()
        )
        return token.user if token else None
