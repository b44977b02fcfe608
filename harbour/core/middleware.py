from __future__ import annotations

import re
import uuid
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

_SAFE_ID = re.compile(r"^[A-Za-z0-9\-]{8,64}$")


class RequestIdMiddleware:
    """Gives every request an identifier that the audit and access logs carry."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request.request_id = incoming if _SAFE_ID.match(incoming) else uuid.uuid4().hex  # type: ignore[attr-defined]
        response = self.get_response(request)
        response["X-Request-ID"] = request.request_id  # type: ignore[attr-defined]
        return response


class RequestBodyLimitMiddleware:
    """Refuses, unread, a request whose body is larger than ``HARBOUR_MAX_REQUEST_BYTES`` (413).

    The reverse proxy should cap bodies too (docs/how-to/running-in-production.md), but Harbour
    does not rely on it: without this, a multipart body of any size is streamed to a temporary file
    before the upload form can say the file is too big. It sits before the CSRF check and the
    idempotency middleware, which would read the body. A request without Content-Length (chunked)
    is read by Django as empty, so the header is enough.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.HARBOUR_MAX_REQUEST_BYTES:
            return self._too_big(request)
        return self.get_response(request)

    @staticmethod
    def _too_big(request: HttpRequest) -> HttpResponse:
        message = "The request must be smaller than 11MB: a file must be smaller than 10MB"
        if request.path.startswith("/api/"):
            # The API's error shape (harbour/api/errors.py).
            return JsonResponse({"detail": [{"loc": ["body"], "msg": message}]}, status=413)
        return render(request, "error_pages/413.html", {}, status=413)
