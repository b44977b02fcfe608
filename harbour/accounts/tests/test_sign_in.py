"""Signing in, the second factor, throttling, passwords, sessions and the production settings
(security checklist items 6, 7, 8, 9, 10 and 11)."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import TEST_PASSWORD
from harbour.accounts.middleware import LAST_SEEN_AT
from harbour.accounts.models import ApiToken, Role
from harbour.accounts.tests.test_access import child_routes, normalised

REPO = Path(__file__).resolve().parents[3]
SIGN_IN = "/accounts/sign-in/"
TWO_FACTOR = "/accounts/two-factor/"


def sign_in(client: Client, username: str, password: str = TEST_PASSWORD, ip: str = "127.0.0.1", next_url: str = ""):
    data = {"username": username, "password": password}
    if next_url:
        data["next"] = next_url
    return client.post(SIGN_IN, data, REMOTE_ADDR=ip)


def code_for(device: TOTPDevice, seconds_ago: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() - seconds_ago
    return f"{totp.token():0{device.digits}d}"


@pytest.fixture
def worker(make_team, make_user):
    user = make_user(Role.SOCIAL_WORKER, team=make_team(), username="alice")
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    return user


@pytest.fixture
def child(worker, make_child):
    return make_child(social_worker=worker, given_names="Sentinelname")


# --------------------------------------------------------------------------------------------
# 6. The second factor comes before any child data.


def test_a_password_alone_reaches_no_child_page_only_the_second_factor_step(worker, child):
    client = Client()
    response = sign_in(client, "alice")
    assert response.status_code == 302 and response["Location"].startswith(TWO_FACTOR)
    pages = [r for r in child_routes() if not r.is_api]
    for route in pages:
        response = client.get(route.url(child.pk))
        assert response.status_code == 302, route.name
        assert response["Location"] == f"{TWO_FACTOR}?next={route.url(child.pk)}", route.name
    for path in ("/", "/children/", "/search/?q=Sentinelname", "/timescales/", "/children/new/"):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"].startswith(TWO_FACTOR), path
    # The API with the half-signed-in browser session: no child data either.
    for route in (r for r in child_routes() if r.is_api):
        response = client.get(route.url(child.pk))
        assert response.status_code == 401, route.name
        assert b"Sentinelname" not in response.content
    assert client.get("/api/v1/children").status_code == 401
    # A script asking for JSON gets a JSON 401 rather than a redirect.
    response = client.get(f"/children/{child.pk}/", HTTP_ACCEPT="application/json")
    assert response.status_code == 401 and response.json() == {"detail": "Second factor required"}


def test_a_valid_code_opens_the_record_and_the_same_code_cannot_be_used_again(worker, child):
    device = worker.totpdevice_set.get()
    url = f"/children/{child.pk}/"
    first = Client()
    sign_in(first, "alice", next_url=url)
    code = code_for(device)
    response = first.post(f"{TWO_FACTOR}?next={url}", {"code": code})
    assert response.status_code == 302 and response["Location"] == url
    response = first.get(url)
    assert response.status_code == 200 and b"Sentinelname" in response.content

    second = Client()
    sign_in(second, "alice")
    response = second.post(TWO_FACTOR, {"code": code})
    assert response.status_code == 200
    assert b"already been used" in response.content
    assert second.get(url).status_code == 302


def test_an_expired_code_is_refused(worker, child):
    device = worker.totpdevice_set.get()
    client = Client()
    sign_in(client, "alice")
    response = client.post(TWO_FACTOR, {"code": code_for(device, seconds_ago=120)})
    assert response.status_code == 200 and b"is not correct" in response.content
    assert client.get(f"/children/{child.pk}/").status_code == 302


def test_a_backup_code_works_once(worker, child):
    static = StaticDevice.objects.create(user=worker, name="backup", confirmed=True)
    static.token_set.create(token="backup7q3k")
    url = f"/children/{child.pk}/"
    first = Client()
    sign_in(first, "alice")
    assert first.post(TWO_FACTOR, {"code": "backup7q3k"}).status_code == 302
    assert first.get(url).status_code == 200
    assert not static.token_set.exists()

    second = Client()
    sign_in(second, "alice")
    response = second.post(TWO_FACTOR, {"code": "backup7q3k"})
    assert response.status_code == 200 and b"already been used" in response.content
    assert second.get(url).status_code == 302


def test_someone_with_no_authenticator_must_set_one_up_before_seeing_children(make_user, make_child):
    newcomer = make_user(Role.SOCIAL_WORKER, username="newcomer")
    child = make_child(social_worker=newcomer)
    client = Client()
    sign_in(client, "newcomer")
    page = client.get(TWO_FACTOR)
    assert b"Set up your authenticator app" in page.content
    assert client.get(f"/children/{child.pk}/").status_code == 302
    device = TOTPDevice.objects.get(user=newcomer, confirmed=False)
    assert client.post(TWO_FACTOR, {"code": code_for(device)}).status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(f"/children/{child.pk}/").status_code == 200


# --------------------------------------------------------------------------------------------
# 7. Throttling by username and address, saying nothing about whether the account exists.


def test_five_failures_lock_the_username_from_that_address_even_with_the_right_password(worker):
    client = Client()
    for attempt in range(1, 5):
        response = sign_in(client, "alice", "wrong password", ip="10.0.0.1")
        assert response.status_code == 200 and b"Enter a correct username and password" in response.content, attempt
    response = sign_in(client, "alice", "wrong password", ip="10.0.0.1")
    assert response.status_code == 429 and b"too many times" in response.content
    response = sign_in(client, "alice", TEST_PASSWORD, ip="10.0.0.1")
    assert response.status_code == 429 and b"too many times" in response.content
    assert "_auth_user_id" not in client.session

    elsewhere = Client()
    response = sign_in(elsewhere, "alice", TEST_PASSWORD, ip="10.0.0.2")
    assert response.status_code == 302 and response["Location"].startswith(TWO_FACTOR)


def test_known_and_unknown_usernames_get_identical_answers_failing_and_locked(worker):
    def answers(username: str) -> list[tuple[int, bytes]]:
        client = Client()
        result = []
        for _ in range(6):
            response = sign_in(client, username, "wrong password", ip="10.0.0.9")
            body = normalised(response.content).replace(username.encode(), b"<username>")
            result.append((response.status_code, body))
        return result

    known, unknown = answers("alice"), answers("nobody-here")
    assert [s for s, _ in known] == [200, 200, 200, 200, 429, 429]
    assert known == unknown


# --------------------------------------------------------------------------------------------
# 8. Argon2id, rehashing of old hashes, strong passwords, no forced expiry.


def test_passwords_are_stored_as_argon2id(worker):
    assert worker.password.startswith("argon2$argon2id$")
    worker.set_password("a brand new long passphrase 7")
    assert worker.password.startswith("argon2$argon2id$")


def test_a_legacy_pbkdf2_hash_is_replaced_by_argon2id_at_sign_in(worker):
    worker.password = make_password(TEST_PASSWORD, hasher="pbkdf2_sha256")
    worker.save()
    assert worker.password.startswith("pbkdf2_sha256$")
    assert sign_in(Client(), "alice").status_code == 302
    worker.refresh_from_db()
    assert worker.password.startswith("argon2$argon2id$")


@pytest.mark.parametrize(("password", "code"), [
    ("Kx7#mQ2vLp", "password_too_short"),  # 10 characters
    ("telechargement", "password_too_common"),  # 14 characters, on the common list
    ("402938475612", "password_entirely_numeric"),
])
def test_weak_passwords_are_refused(password, code, worker):
    with pytest.raises(ValidationError) as refused:
        validate_password(password, user=worker)
    assert code in {e.code for e in refused.value.error_list}


def test_a_long_passphrase_is_accepted(worker):
    validate_password("harbour lighthouse ferry 2031", user=worker)


def test_passwords_never_expire(worker):
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(days=5 * 365)):
        response = sign_in(Client(), "alice")
    assert response.status_code == 302 and response["Location"].startswith(TWO_FACTOR)
    assert not any("EXPIR" in name for name in dir(settings) if name.startswith(("PASSWORD", "HARBOUR")))


# --------------------------------------------------------------------------------------------
# 9. A new session key at sign-in; sign-out destroys the server-side session.


def test_signing_in_rotates_the_session_key_and_signing_out_destroys_the_session(worker, child):
    client = Client()
    session = client.session
    session["visited"] = True
    session.save()
    before = client.cookies[settings.SESSION_COOKIE_NAME].value
    sign_in(client, "alice")
    after = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert after != before
    assert not Session.objects.filter(session_key=before).exists()
    client.post(TWO_FACTOR, {"code": code_for(worker.totpdevice_set.get())})
    url = f"/children/{child.pk}/"
    assert client.get(url).status_code == 200

    response = client.post("/accounts/sign-out/")
    assert response.status_code == 302 and response["Location"] == SIGN_IN
    assert not Session.objects.filter(session_key=after).exists()

    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = after
    response = replay.get(url)
    assert response.status_code == 302 and response["Location"].startswith(SIGN_IN)
    page = replay.get(response["Location"])
    assert page.status_code == 200 and b"Sign in" in page.content and b"Sentinelname" not in page.content


def test_signing_out_needs_a_post(worker, signed_in):
    client = signed_in(worker)
    assert client.get("/accounts/sign-out/").status_code == 405
    assert client.get("/").status_code == 200


# --------------------------------------------------------------------------------------------
# 10. 30 minutes idle or 10 hours in all, enforced on the server.

START = dt.datetime(2026, 11, 20, 8, 30, tzinfo=dt.UTC)


def test_thirty_minutes_idle_signs_the_user_out(worker, child, signed_in):
    url = f"/children/{child.pk}/"
    with time_machine.travel(START, tick=False) as clock:
        client = signed_in(worker)
        assert client.get(url).status_code == 200
        clock.shift(dt.timedelta(minutes=29, seconds=59))
        assert client.get(url).status_code == 200  # still inside the window, which restarts
        clock.shift(dt.timedelta(minutes=31))
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == f"{SIGN_IN}?timed_out=1&next={url}"
        assert client.get(url).status_code == 302  # and the session is gone, not just refused once
        assert "_auth_user_id" not in client.session
        page = client.get(response["Location"])
        assert b"inactive for 30 minutes" in page.content


def test_the_last_seen_time_is_written_at_most_once_a_minute_and_never_extends_the_session(
        worker, child, signed_in, settings):
    settings.HARBOUR_SESSION_LAST_SEEN_EVERY_SECONDS = 60  # as in production (the test settings write every time)
    url = f"/children/{child.pk}/"
    with time_machine.travel(START, tick=False) as clock:
        client = signed_in(worker)
        assert client.get(url).status_code == 200
        first = client.session[LAST_SEEN_AT]
        clock.shift(dt.timedelta(seconds=59))
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        assert client.session[LAST_SEEN_AT] == first
        assert not any(q["sql"].startswith("UPDATE \"django_session\"") for q in queries.captured_queries)
        clock.shift(dt.timedelta(seconds=1))
        assert client.get(url).status_code == 200
        assert client.session[LAST_SEEN_AT] == first + 60
        # Idle 30 minutes from the last time written: signed out, even though a request came 59 s after it.
        clock.shift(dt.timedelta(seconds=59))
        assert client.get(url).status_code == 200
        clock.shift(dt.timedelta(minutes=30, seconds=1) - dt.timedelta(seconds=59))
        assert client.get(url).status_code == 302


def test_continuous_activity_is_still_signed_out_after_ten_hours(worker, child, signed_in):
    url = f"/children/{child.pk}/"
    with time_machine.travel(START, tick=False) as clock:
        client = signed_in(worker)
        assert client.get(url).status_code == 200
        for _ in range(24):  # every 25 minutes for 10 hours
            clock.shift(dt.timedelta(minutes=25))
            assert client.post("/accounts/keep-alive/").status_code == 204
        assert client.get(url).status_code == 200  # exactly 10 hours
        clock.shift(dt.timedelta(minutes=1))
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(f"{SIGN_IN}?timed_out=1")


def test_an_idle_session_cannot_use_the_api_either(worker, child, signed_in):
    url = f"/api/v1/children/{child.pk}"
    with time_machine.travel(START, tick=False) as clock:
        client = signed_in(worker)
        assert client.get("/").status_code == 200
        assert client.get(url).status_code == 200
        clock.shift(dt.timedelta(minutes=31))
        response = client.get(url)
        assert response.status_code == 401
        assert b"Sentinelname" not in response.content
        assert client.get("/").status_code == 302


def test_an_api_token_is_not_a_session_and_does_not_time_out(worker, child):
    _, raw = ApiToken.issue(user=worker, name="system")
    with time_machine.travel(START, tick=False) as clock:
        api = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
        assert api.get(f"/api/v1/children/{child.pk}").status_code == 200
        clock.shift(dt.timedelta(hours=11))
        assert api.get(f"/api/v1/children/{child.pk}").status_code == 200
        assert settings.SESSION_COOKIE_NAME not in api.cookies


# --------------------------------------------------------------------------------------------
# 11. Security headers on every kind of response; Django's deploy checks on production settings.


def _csp(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


def test_responses_carry_the_security_headers(worker, child, signed_in):
    _, raw = ApiToken.issue(user=worker, name="system")
    signed = signed_in(worker)
    api = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    responses = {
        "sign-in page": Client().get(SIGN_IN),
        "home": signed.get("/"),
        "child": signed.get(f"/children/{child.pk}/"),
        "form": signed.get(f"/children/{child.pk}/identity/change/"),
        "not found": signed.get("/children/nobody/"),
        "redirect": Client().get("/"),
        "api": api.get(f"/api/v1/children/{child.pk}"),
        "api 404": api.get("/api/v1/children/nobody"),
    }
    for name, response in responses.items():
        assert response["X-Content-Type-Options"] == "nosniff", name
        assert response["X-Frame-Options"] == "DENY", name
        assert response["Referrer-Policy"] in {"same-origin", "no-referrer", "strict-origin-when-cross-origin"}, name
        assert response["Cross-Origin-Opener-Policy"] == "same-origin", name
        policy = _csp(response)
        scripts = policy.get("script-src", policy["default-src"])
        assert "'unsafe-inline'" not in scripts and "'unsafe-eval'" not in scripts, name
        assert "*" not in scripts and "data:" not in scripts, name
        assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"], name
        assert "'unsafe-inline'" not in policy.get("style-src", []), name
        if response["Content-Type"].startswith("text/html"):
            # Every inline script must be one the policy allows by hash, or the browser blocks it.
            for body in re.findall(rb"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", response.content, re.S):
                digest = base64.b64encode(hashlib.sha256(body).digest()).decode()
                assert f"'sha256-{digest}'" in scripts, (name, body[:80])


def _production_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "HARBOUR_", "DATABASE_URL"))}
    env.update({
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "HARBOUR_SECRET_KEY": base64.b64encode(os.urandom(48)).decode(),
        "HARBOUR_ALLOWED_HOSTS": "harbour.example.org",
    })
    return env


def test_production_settings_pass_the_deploy_checks():
    harbour = Path(sys.executable).with_name("harbour")
    result = subprocess.run(
        [str(harbour), "check", "--deploy", "--fail-level", "WARNING", "--settings=config.settings.production"],
        cwd=REPO, env=_production_env(), capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


PRODUCTION_PROBE = """
import django
django.setup()
from django.test import Client
client = Client(HTTP_HOST="harbour.example.org")
plain = client.get("/api/v1/children")
secure = client.get("/api/v1/children", secure=True)
print(plain.status_code, plain.get("Location"))
print(secure.status_code, secure.get("Strict-Transport-Security"))
from django.conf import settings
print(settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE, settings.DEBUG, settings.HARBOUR_REQUIRE_TWO_FACTOR)
"""


def test_production_redirects_to_https_and_sends_hsts():
    result = subprocess.run([sys.executable, "-c", PRODUCTION_PROBE], cwd=REPO, env=_production_env(),
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    redirect, secure, flags = result.stdout.strip().splitlines()[-3:]
    assert redirect == "301 https://harbour.example.org/api/v1/children"
    assert secure == "401 max-age=31536000; includeSubDomains; preload"
    assert flags == "True True False True"


def test_a_second_try_straight_after_a_wrong_code_is_told_to_wait(worker):
    device = TOTPDevice.objects.create(user=worker, name="app", confirmed=True)
    client = Client()
    sign_in(client, "alice")
    wrong = client.post(TWO_FACTOR, {"code": "000000" if code_for(device) != "000000" else "111111"})
    assert b"not correct" in wrong.content
    right = client.post(TWO_FACTOR, {"code": code_for(device)})
    assert right.status_code == 200 and b"Wait a few seconds" in right.content
