"""The access module: the one door to children's records.

Which children a user may see follows from their role (accounts.models.ROLE_SCOPE):
their own caseload, their team's, the whole service, or only what is shared with their
agency. A child outside a user's scope is indistinguishable from a child that does not
exist: both answer 404. Every read of a child's record through `access_child` is written to
the access log before the record is returned.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from harbour.audit.services import log_access
from harbour.children.models import Child
from harbour.referrals.models import Referral

from .models import ACCESS_LOG_READERS, Allocation, PartnerGrant, Role, Scope, User


def _active_allocations(today: Any) -> Q:
    return Q(end__isnull=True) | Q(end__gte=today)


def children_visible_to(user: Any) -> QuerySet[Child]:
    """Every child this user may see, as a queryset to filter further. Fails closed.

    A record merged into another (ADR 0019) is seen by nobody: its rows are on the kept record,
    and its page leads there."""
    return _children_visible_to(user).filter(merged_into__isnull=True)


def _children_visible_to(user: Any) -> QuerySet[Child]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Child.unscoped.none()
    scope = user.scope
    today = timezone.localdate()
    if scope == Scope.SERVICE:
        return Child.unscoped.all()
    if scope == Scope.CASELOAD:
        allocated = Allocation.objects.filter(_active_allocations(today), worker=user).values("child_id")
        return Child.unscoped.filter(id__in=allocated)
    if scope == Scope.TEAM and user.team_id:
        allocated = Allocation.objects.filter(
            _active_allocations(today), worker__team_id=user.team_id, worker__is_active=True
        ).values("child_id")
        # A team leader runs the transfer of every child referred to their team, before anyone is allocated.
        referred = Referral.objects.filter(team_id=user.team_id).values("child_id")
        return Child.unscoped.filter(Q(id__in=allocated) | Q(id__in=referred))
    if scope == Scope.SHARED and user.partner_agency_id:
        shared = PartnerGrant.objects.filter(
            agency_id=user.partner_agency_id, revoked_at__isnull=True, expires_at__gt=timezone.now()
        ).values("child_id")
        # A child whose processing is restricted (UK GDPR art. 18) is shown to no partner: 404.
        return Child.unscoped.filter(id__in=shared, processing_restricted=False)
    return Child.unscoped.none()


def can_view_child(user: Any, child: Child) -> bool:
    return children_visible_to(user).filter(pk=child.pk).exists()


def is_partner(user: Any) -> bool:
    return getattr(user, "role", None) == Role.PARTNER


def _as_uuid(value: Any) -> uuid.UUID | None:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except (TypeError, ValueError):
        return None


def access_child(user: Any, child_id: Any, *, route: str, request_id: str = "", purpose: str = "") -> Child:
    """The child, if this user may see them, with the read written to the access log; else 404.

    A malformed identifier, a child that does not exist and a child out of scope all give the
    same 404, so that nobody can learn which children exist.
    """
    pk = _as_uuid(child_id)
    child = children_visible_to(user).filter(pk=pk).first() if pk else None
    if child is None:
        raise Http404("No child found")
    log_access(user=user, child_id=child.pk, route=route, request_id=request_id, purpose=purpose)
    return child


def may_read_access_log(user: Any) -> bool:
    return getattr(user, "role", None) in ACCESS_LOG_READERS


def may_edit_child(user: Any) -> bool:
    return getattr(user, "role", None) in {
        Role.SOCIAL_WORKER, Role.TEAM_LEADER, Role.TEAM_MANAGER, Role.PERSONAL_ADVISER,
    }


def may_create_child(user: Any) -> bool:
    return getattr(user, "role", None) in {Role.SOCIAL_WORKER, Role.TEAM_LEADER, Role.TEAM_MANAGER}


def partner_grants_for(user: User) -> QuerySet[PartnerGrant]:
    return PartnerGrant.objects.filter(
        agency_id=user.partner_agency_id, revoked_at__isnull=True, expires_at__gt=timezone.now()
    )
