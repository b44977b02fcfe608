from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import APIKeyCookie, HttpBearer

from harbour.accounts.models import ApiToken


class TokenAuth(HttpBearer):
    """`Authorization: Bearer hbr_…` for systems; each token acts as the user it was issued to."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = ApiToken.user_for(token)
        if user is not None:
            request.user = user
        return user


class SignedInSession(APIKeyCookie):
    """The browser's own session, second factor included, with Django's CSRF check on writes."""

    param_name = "sessionid"

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        from django.conf import settings

        if settings.HARBOUR_REQUIRE_TWO_FACTOR and not user.is_verified():
            return None
        return user
