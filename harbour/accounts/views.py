"""Signing in (password, then a one-time code), signing out and keeping a session alive."""

from __future__ import annotations

import base64
import time
from io import BytesIO
from typing import Any

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib.auth import authenticate, login, logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import devices_for_user, match_token, user_has_device
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from harbour.audit.models import AuditEvent
from harbour.audit.services import record_event

from .forms import OneTimeCodeForm, SignInForm
from .middleware import LAST_SEEN_AT, SIGNED_IN_AT

SIGN_IN_FAILED = "Enter a correct username and password"
LOCKED_OUT = (
    "You have entered the wrong details too many times. Wait 15 minutes and try again, "
    "or ask your administrator to unlock your account"
)


def _next_url(request: HttpRequest) -> str:
    target = request.GET.get("next") or request.POST.get("next") or "/"
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return "/"


def _render_sign_in(request: HttpRequest, form: SignInForm, status: int = 200) -> HttpResponse:
    return render(
        request, "accounts/sign_in.html",
        {"form": form, "next": _next_url(request), "timed_out": request.GET.get("timed_out") == "1",
         "two_factor_required": settings.HARBOUR_REQUIRE_TWO_FACTOR},
        status=status,
    )


def locked_out(request: HttpRequest, response: Any = None, credentials: Any = None, *args: Any, **kwargs: Any) -> HttpResponse:
    form = SignInForm(request.POST or None)
    form.is_valid()
    form.add_error(None, LOCKED_OUT)
    return _render_sign_in(request, form, status=429)


@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    form = SignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = authenticate(
            request, username=form.cleaned_data["username"], password=form.cleaned_data["password"]
        )
        if getattr(request, "axes_locked_out", False):
            return locked_out(request)
        if user is None:
            form.add_error(None, SIGN_IN_FAILED)
        else:
            login(request, user)  # rotates the session key
            request.session[SIGNED_IN_AT] = request.session[LAST_SEEN_AT] = time.time()
            record_event(actor=user, action=AuditEvent.Action.SIGN_IN, record_type="accounts.User",
                         record_id=str(user.pk), request_id=getattr(request, "request_id", ""))
            if settings.HARBOUR_REQUIRE_TWO_FACTOR:
                return redirect(f"/accounts/two-factor/?next={_next_url(request)}")
            return redirect(_next_url(request))
    return _render_sign_in(request, form)


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        record_event(actor=request.user, action=AuditEvent.Action.SIGN_OUT, record_type="accounts.User",
                     record_id=str(request.user.pk), request_id=getattr(request, "request_id", ""))
    logout(request)  # deletes the server-side session
    return redirect(settings.LOGIN_URL)


@require_POST
def keep_alive(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return HttpResponse(status=401)
    return HttpResponse(status=204)


def _qr_svg(uri: str) -> str:
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = BytesIO()
    image.save(buffer)
    return base64.b64encode(buffer.getvalue()).decode()


@require_http_methods(["GET", "POST"])
def two_factor(request: HttpRequest) -> HttpResponse:
    """Ask for the one-time code; a user with no authenticator yet sets one up first."""
    if not request.user.is_authenticated:
        return redirect(settings.LOGIN_URL)
    user = request.user
    setting_up = not user_has_device(user, confirmed=True)
    device = None
    if setting_up:
        device = TOTPDevice.objects.filter(user=user, confirmed=False).first() or TOTPDevice.objects.create(
            user=user, name="Authenticator app", confirmed=False
        )
    form = OneTimeCodeForm(request.POST or None)
    devices = [device] if setting_up else list(devices_for_user(user, confirmed=True))
    # After a wrong code django-otp refuses every code for a while (1 s, then 2, 4, 8…).
    throttled = bool(devices) and all(not d.verify_is_allowed()[0] for d in devices if d is not None)
    if request.method == "POST" and form.is_valid() and throttled:
        form.add_error("code", "You entered a wrong code. Wait a few seconds, then enter the latest code from your app")
    elif request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"]
        if setting_up and device is not None:
            matched = device if device.verify_token(code) else None
            if matched:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
        else:
            matched = match_token(user, code)
        if matched:
            otp_login(request, matched)
            return redirect(_next_url(request))
        form.add_error("code", "The security code is not correct or has already been used. Enter the latest code")
    context: dict[str, Any] = {"form": form, "next": _next_url(request), "setting_up": setting_up}
    if setting_up and device is not None:
        context["secret"] = base64.b32encode(device.bin_key).decode()
        context["qr_svg_base64"] = _qr_svg(device.config_url)
    return render(request, "accounts/two_factor.html", context)
