from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def not_found(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return render(request, "error_pages/404.html", {}, status=404)


def forbidden(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return render(request, "error_pages/403.html", {}, status=403)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "error_pages/500.html", {}, status=500)
