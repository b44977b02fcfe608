"""What every page's layout needs: the service navigation for the signed-in user."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from harbour.accounts.models import Role, Scope

SECTIONS = [
    ("Home", "/", "home"),
    ("Children", "/children/", "children"),
    ("Timescale calculator", "/timescales/", "timescales"),
]


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    sections = SECTIONS if user.scope not in {Scope.NONE, Scope.SHARED} else SECTIONS[:1]
    path = request.path
    items = []
    for text, href, _key in sections:
        active = path == href if href == "/" else path.startswith(href)
        items.append({"text": text, "href": href, "active": active})
    # The NTS referral queue is for those who run intake, and the director (harbour.referrals).
    from harbour.referrals.selectors import QUEUE_ROLES  # here: the referrals app loads after core

    signing_off = path.startswith("/referrals/sign-off/")
    if user.role in QUEUE_ROLES:
        items.append({"text": "Referrals", "href": "/referrals/",
                      "active": path.startswith("/referrals/") and not signing_off})
    # Section 20 sign-off waits on the director (delegates reach it from the referral itself).
    if user.role == Role.DIRECTOR:
        items.append({"text": "Sign-offs", "href": "/referrals/sign-off/", "active": signing_off})
    # The allocation rota is kept by team leaders and team managers (harbour.allocation).
    if user.role in {Role.TEAM_LEADER, Role.TEAM_MANAGER}:
        items.append({"text": "Rota", "href": "/allocation/", "active": path.startswith("/allocation/")})
    items.extend(_placement_items(user, path))
    # Forecasts and the business case are for the director and performance analysts (harbour.forecasting).
    if user.role in {Role.DIRECTOR, Role.PERFORMANCE_ANALYST}:
        items.append({"text": "Forecast", "href": "/forecasting/", "active": path.startswith("/forecasting/")})
    items.extend(_leaving_care_items(user, path))
    # Reviews, checks and the IRO's actions (harbour.reviews; imported here: it loads after core).
    from harbour.reviews.navigation import review_nav_items

    items.extend(review_nav_items(user, path))
    # The SSDA903 return is run by analysts, team managers and the director (harbour.returns).
    if user.role in {Role.PERFORMANCE_ANALYST, Role.TEAM_MANAGER, Role.DIRECTOR}:
        items.append({"text": "SSDA903", "href": "/returns/", "active": path.startswith("/returns/")})
    # Retention and destruction of records are the administrator's, as records manager (harbour.retention).
    if user.role == Role.ADMINISTRATOR:
        items.append({"text": "Retention", "href": "/retention/", "active": path.startswith("/retention/")})
    # The performance dashboards (harbour.reporting).
    if user.role in {Role.TEAM_LEADER, Role.TEAM_MANAGER, Role.IRO_MANAGER, Role.DIRECTOR, Role.PERFORMANCE_ANALYST}:
        items.append({"text": "Performance", "href": "/performance/", "active": path.startswith("/performance/")})
    # The Corporate Parenting Board report (harbour.reporting.board).
    if user.role in {Role.PERFORMANCE_ANALYST, Role.TEAM_MANAGER, Role.DIRECTOR}:
        items.append({"text": "Board reports", "href": "/board/", "active": path.startswith("/board/")})
    return {"nav_items": items}


PLACEMENT_REQUEST_ROLES = {Role.PLACEMENTS_OFFICER, Role.COMMISSIONING_OFFICER, Role.TEAM_LEADER, Role.TEAM_MANAGER}
DIRECTORY_ROLES = {Role.PLACEMENTS_OFFICER, Role.COMMISSIONING_OFFICER, Role.TEAM_MANAGER}
SUFFICIENCY_ROLES = {Role.PLACEMENTS_OFFICER, Role.COMMISSIONING_OFFICER, Role.TEAM_MANAGER, Role.DIRECTOR,
                     Role.PERFORMANCE_ANALYST}


def _placement_items(user: Any, path: str) -> list[dict[str, Any]]:
    """Placements (harbour.placements): requests, the directory and sufficiency; a provider's own view."""
    entries = []
    if user.role in PLACEMENT_REQUEST_ROLES:
        entries.append(("Placements", "/placements/requests/"))
    if user.role in DIRECTORY_ROLES:
        entries.append(("Providers", "/placements/providers/"))
    if user.role in SUFFICIENCY_ROLES:
        entries.append(("Sufficiency", "/placements/sufficiency/"))
    agency = getattr(user, "partner_agency", None) if user.role == Role.PARTNER else None
    if agency is not None and agency.kind == "provider":
        entries.append(("Placement requests", "/placements/provider/"))
    return [{"text": text, "href": href, "active": path.startswith(href)} for text, href in entries]


def _leaving_care_items(user: Any, path: str) -> list[dict[str, Any]]:
    """Leaving care (harbour.leaving_care): a personal adviser's caseload; leaders see every adviser's."""
    if user.role == Role.PERSONAL_ADVISER or (user.role in {Role.TEAM_LEADER, Role.TEAM_MANAGER, Role.DIRECTOR}):
        return [{"text": "Leaving care", "href": "/leaving-care/", "active": path.startswith("/leaving-care/")}]
    return []
