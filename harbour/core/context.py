"""What every page's layout needs: the service navigation for the signed-in user."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from harbour.accounts.models import Scope

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
    return {"nav_items": items}
