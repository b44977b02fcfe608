"""The same write sent twice is done once (security checklist 23).

Two kinds of repeat are caught, for every page and API route without listing them:

- **A form sent twice.** A browser sends a form again after a double click, a slow answer or the
  back button. Each rendered form carries its own CSRF token (Django masks it afresh for every
  form), so a form-encoded POST whose body, token included, is exactly one sent before by the same
  person to the same address is the same submission (the fields are compared, not the bytes, so
  a multipart boundary does not matter). If the first was saved (the page answered
  with a redirect, as every Harbour form does on success) the repeat gets the same redirect and
  nothing is saved twice. If the first was refused (422), nothing is kept and the repeat is
  checked again as usual.
- **An API write with an `Idempotency-Key` header** (IETF draft-ietf-httpapi-idempotency-key-header).
  A repeat with the same key from the same token gets the first answer again, with
  `Idempotent-Replayed: true`; the same key with a different request is refused with 422.

A repeat that arrives while the first is still being done waits for it (up to WAIT_SECONDS), so
two at once also make one. Server errors are not kept: the caller may try again. A repeat is
answered only while the caller is still signed in, or their token still valid, and only within a
day; older rows are removed as new ones are made.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import time
from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone

from harbour.accounts.models import ApiToken

from .models import Submission

KEPT_FOR = dt.timedelta(days=1)
WAIT_SECONDS = 10.0
_POLL_SECONDS = 0.1
_WRITES = {"POST", "PUT", "PATCH", "DELETE"}
_MAX_KEY = 255
_KEY = re.compile(rf"[\x20-\x7e]{{1,{_MAX_KEY}}}")
REPLAYED = "Idempotent-Replayed"
_FORMS = {"application/x-www-form-urlencoded", "multipart/form-data"}
# Signing in and out and the second factor act on the session itself: never answered from a store.
_NOT_FORMS = ("/accounts/",)


def _digest(*parts: str | bytes) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part if isinstance(part, bytes) else part.encode("utf-8"))
        digest.update(b"\x00")
    return digest.hexdigest()


def _api_error(status: int, field: str, message: str) -> JsonResponse:
    return JsonResponse({"detail": [{"loc": ["header", field], "msg": message}]}, status=status)


class IdempotencyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method not in _WRITES:
            return self.get_response(request)
        if request.path.startswith("/api/"):
            return self._api(request)
        return self._form(request)

    # --- API: the Idempotency-Key header -------------------------------------------------------

    def _api(self, request: HttpRequest) -> HttpResponse:
        key = request.headers.get("Idempotency-Key")
        if key is None:
            return self.get_response(request)
        if not _KEY.fullmatch(key):
            return _api_error(422, "Idempotency-Key", f"Idempotency-Key must be 1 to {_MAX_KEY} printable ASCII "
                                                      "characters, like a UUID")
        scope = self._api_scope(request)
        if scope is None:
            return self.get_response(request)  # not signed in: the API answers 401 itself
        fingerprint = _digest(request.method or "", request.get_full_path(), request.body)
        return self._once(request, scope=scope, key=_digest(key), fingerprint=fingerprint, keep=lambda r: True)

    @staticmethod
    def _api_scope(request: HttpRequest) -> str | None:
        header = request.headers.get("Authorization", "")
        if header.startswith("Bearer "):
            raw = header.removeprefix("Bearer ").strip()
            return _digest("token", raw) if ApiToken.user_for(raw) is not None else None
        user = getattr(request, "user", None)
        return _digest("user", str(user.pk)) if user is not None and user.is_authenticated else None

    # --- Pages: the same rendered form sent again -----------------------------------------------

    def _form(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (user is None or not user.is_authenticated or request.method != "POST"
                or request.content_type not in _FORMS or request.path.startswith(_NOT_FORMS)):
            return self.get_response(request)
        if not request.POST.get("csrfmiddlewaretoken"):
            return self.get_response(request)  # not a rendered form (scripts and tests without a token)
        # The fields as sent, whatever the encoding (a multipart boundary differs on every send).
        fields = sorted((name, value) for name, values in request.POST.lists() for value in values)
        key = _digest(request.get_full_path(), *(f"{name}={value}" for name, value in fields))
        # The session too: a page kept from before signing out and in again is a new submission.
        scope = _digest("user", str(user.pk), request.session.session_key or "")
        return self._once(request, scope=scope, key=key, fingerprint=key,
                          keep=lambda response: 300 <= response.status_code < 400)

    # --- Both ------------------------------------------------------------------------------------

    def _once(self, request: HttpRequest, *, scope: str, key: str, fingerprint: str,
              keep: Callable[[HttpResponse], bool]) -> HttpResponse:
        now = timezone.now()
        try:
            with transaction.atomic():
                row = Submission.objects.create(scope=scope, key=key, fingerprint=fingerprint)
        except IntegrityError:
            return self._repeat(request, scope=scope, key=key, fingerprint=fingerprint)
        Submission.objects.filter(created_at__lt=now - KEPT_FOR).delete()
        try:
            response = self.get_response(request)
        except BaseException:
            Submission.objects.filter(pk=row.pk).delete()
            raise
        if response.status_code >= 500 or not keep(response) or getattr(response, "streaming", False):
            Submission.objects.filter(pk=row.pk).delete()
            return response
        Submission.objects.filter(pk=row.pk).update(
            state=Submission.State.DONE, status_code=response.status_code,
            content_type=response.get("Content-Type", ""), location=response.get("Location", ""),
            body=response.content)
        return response

    def _repeat(self, request: HttpRequest, *, scope: str, key: str, fingerprint: str) -> HttpResponse:
        deadline = time.monotonic() + WAIT_SECONDS
        while True:
            first = Submission.objects.filter(scope=scope, key=key).first()
            if first is None:  # the first failed and was removed: this one is done as usual
                return self._once(request, scope=scope, key=key, fingerprint=fingerprint, keep=lambda r: True) \
                    if request.path.startswith("/api/") else self._form(request)
            if first.created_at < timezone.now() - KEPT_FOR:
                Submission.objects.filter(pk=first.pk).delete()
                continue
            if first.fingerprint != fingerprint:
                return _api_error(422, "Idempotency-Key", "This Idempotency-Key was used for a different request: "
                                                          "use a new key for a new request")
            if first.state == Submission.State.DONE:
                return self._replay(first)
            if time.monotonic() > deadline:
                return self._still_running(request)
            time.sleep(_POLL_SECONDS)

    @staticmethod
    def _replay(first: Submission) -> HttpResponse:
        response = HttpResponse(bytes(first.body), status=first.status_code or 200,
                                content_type=first.content_type or None)
        if first.location:
            response["Location"] = first.location
        response[REPLAYED] = "true"
        return response

    @staticmethod
    def _still_running(request: HttpRequest) -> HttpResponse:
        if request.path.startswith("/api/"):
            return _api_error(409, "Idempotency-Key", "The first request with this Idempotency-Key is still being "
                                                      "done: try again in a moment")
        return render(request, "error_pages/409.html", {}, status=409)
