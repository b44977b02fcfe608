"""Session lifetime and the second factor, enforced on the server for every request."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect

SIGNED_IN_AT = "harbour_signed_in_at"
LAST_SEEN_AT = "harbour_last_seen_at"

# Paths a signed-in user may reach before the second factor: the second factor itself and sign-out.
TWO_FACTOR_EXEMPT = ("/accounts/two-factor/", "/accounts/sign-out/", "/static/", "/accessibility/", "/help/", "/shared/")


class SessionLifetimeMiddleware:
    """Signs out after 30 minutes idle or 10 hours in all (security checklist 10)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # The API is included: a browser session used against /api/ times out like the pages.
        # (A request signed with an API token has no session user here, so it is not affected.)
        if request.user.is_authenticated:
            now = time.time()
            signed_in = request.session.get(SIGNED_IN_AT, now)
            last_seen = request.session.get(LAST_SEEN_AT, now)
            idle = now - last_seen > settings.HARBOUR_SESSION_IDLE_SECONDS
            too_long = now - signed_in > settings.HARBOUR_SESSION_ABSOLUTE_SECONDS
            if idle or too_long:
                logout(request)
                if request.path.startswith("/api/"):
                    return self.get_response(request)  # now anonymous: 401 unless a token signs it
                return redirect(f"{settings.LOGIN_URL}?timed_out=1&next={request.path}")
            request.session.setdefault(SIGNED_IN_AT, signed_in)
            # Written at most once a minute: each write is an UPDATE and a commit on every page. The
            # stored time is then up to a minute early, so the idle sign-out can come up to a minute
            # sooner, never later.
            every = settings.HARBOUR_SESSION_LAST_SEEN_EVERY_SECONDS
            if LAST_SEEN_AT not in request.session or now - last_seen >= every:
                request.session[LAST_SEEN_AT] = now
        return self.get_response(request)


class RequireTwoFactorMiddleware:
    """No page beyond the second-factor step until the user has given a one-time code."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            settings.HARBOUR_REQUIRE_TWO_FACTOR
            and user.is_authenticated
            and not user.is_verified()  # type: ignore[union-attr]
            and not request.path.startswith(TWO_FACTOR_EXEMPT)
            and not request.path.startswith("/api/")
        ):
            if request.headers.get("Accept", "").startswith("application/json"):
                return JsonResponse({"detail": "Second factor required"}, status=401)
            return redirect(f"/accounts/two-factor/?next={request.path}")
        return self.get_response(request)
