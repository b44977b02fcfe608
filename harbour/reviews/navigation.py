"""The reviews section's entries in the service navigation (read by core.context)."""

from __future__ import annotations

from typing import Any

from harbour.accounts.models import Role

MEASURE_ROLES = {Role.IRO, Role.IRO_MANAGER, Role.TEAM_MANAGER, Role.DIRECTOR, Role.PERFORMANCE_ANALYST}
CHECK_ROLES = {Role.SOCIAL_WORKER, Role.TEAM_LEADER, Role.TEAM_MANAGER, Role.IRO, Role.IRO_MANAGER,
               Role.PERSONAL_ADVISER, Role.DIRECTOR, Role.PERFORMANCE_ANALYST}


def review_nav_items(user: Any, path: str) -> list[dict[str, Any]]:
    entries = []
    if user.role in {Role.IRO, Role.IRO_MANAGER}:
        entries.append(("Reviews", "/reviews/", path == "/reviews/" or path.startswith("/reviews/child/")))
    if user.role in CHECK_ROLES:
        entries.append(("Checks due", "/reviews/compliance/", path.startswith("/reviews/compliance/")))
        entries.append(("IRO actions", "/reviews/actions/", path.startswith("/reviews/actions/")))
    if user.role in MEASURE_ROLES:
        entries.append(("Review measures", "/reviews/measures/", path.startswith("/reviews/measures/")
                        or path.startswith("/reviews/quality/")))
    return [{"text": text, "href": href, "active": active} for text, href, active in entries]
