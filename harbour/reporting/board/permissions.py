"""Who works on board reports: performance analysts, team managers and the director."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied

from harbour.accounts.models import Role

BOARD_ROLES = {Role.PERFORMANCE_ANALYST, Role.TEAM_MANAGER, Role.DIRECTOR}


def may_work_on_board_reports(user: Any) -> bool:
    return getattr(user, "is_authenticated", False) and user.is_active and user.role in BOARD_ROLES


def require_board_role(user: Any) -> None:
    if not may_work_on_board_reports(user):
        raise PermissionDenied("Board reports are for performance analysts, team managers and the director")
