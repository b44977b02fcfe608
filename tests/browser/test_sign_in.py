"""Signing in through the real pages: a password, then a code from an authenticator app, worked out
here from the device's key as the app would. Each state of both pages passes axe."""

from __future__ import annotations

import base64
from typing import Any

from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from conftest import TEST_PASSWORD

from .support import (
    assert_error_state,
    assert_no_axe_violations,
    assert_skip_link_first,
    assert_structure,
    sign_in_through_pages,
    sign_out,
    submit,
    totp_token,
)

WRONG_CODE = "The security code is not correct or has already been used. Enter the latest code"


def password_step(page: Page, user: Any, next_path: str = "/") -> None:
    page.goto(f"/accounts/sign-in/?next={next_path}")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password", exact=True).fill(TEST_PASSWORD)
    submit(page, "Sign in")


def test_sign_in_with_password_and_code(world: Any, page: Page) -> None:
    sign_in_through_pages(page, world.worker)
    expect(page.locator("h1")).to_have_text("What to do next")
    expect(page.get_by_text("Signed in as")).to_have_count(1)
    assert_structure(page)
    sign_out(page)
    # Signed out means signed out: the home page asks for a sign-in again.
    page.goto("/")
    expect(page.locator("h1")).to_have_text("Sign in")


def test_code_entry_page_and_its_error(world: Any, page: Page) -> None:
    device = TOTPDevice.objects.create(user=world.leader, name="Work phone", confirmed=True)
    password_step(page, world.leader, next_path="/children/")
    expect(page.locator("h1")).to_have_text("Enter your security code")
    assert_structure(page)
    assert_skip_link_first(page)
    assert_no_axe_violations(page)
    expect(page.locator("img")).to_have_count(0)  # no QR code once an app is set up

    page.get_by_label("Security code").fill("abcdef")
    submit(page, "Continue")
    assert_error_state(page, WRONG_CODE)
    assert_no_axe_violations(page)

    # django-otp refuses every code for 1 second after a wrong one (2, 4, 8... after more). A person
    # takes longer than that to retype; the test lifts the throttle instead of sleeping.
    device.refresh_from_db()
    device.throttle_reset()
    page.get_by_label("Security code").fill(totp_token(device))
    submit(page, "Continue")
    expect(page.locator("h1")).to_have_text("Children")  # where the user was going


def test_setting_up_an_authenticator_app(world: Any, page: Page) -> None:
    password_step(page, world.manager)
    expect(page.locator("h1")).to_have_text("Set up your authenticator app")
    assert_structure(page)
    assert_skip_link_first(page)
    expect(page.get_by_role("img", name="QR code for your authenticator app")).to_be_visible()
    device = TOTPDevice.objects.get(user=world.manager, confirmed=False)
    expect(page.locator("code")).to_have_text(base64.b32encode(device.bin_key).decode())
    assert_no_axe_violations(page)

    submit(page, "Continue")
    assert_error_state(page, "Enter the security code")
    assert_no_axe_violations(page)

    page.get_by_label("Security code").fill(totp_token(device))
    submit(page, "Continue")
    expect(page.locator("h1")).to_have_text("What to do next")
    device.refresh_from_db()
    assert device.confirmed


def test_no_page_without_the_second_factor(world: Any, page: Page) -> None:
    password_step(page, world.worker)
    page.goto(f"/children/{world.child.pk}/")
    expect(page.locator("h1")).to_have_text("Set up your authenticator app")
    expect(page.get_by_text("Mohammed")).to_have_count(0)
