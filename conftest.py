"""Fixtures shared by every test: people in each role, signed-in clients, children."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.hashers import make_password
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from harbour.accounts.models import PartnerAgency, PartnerGrant, Role, Team, User

_counter = itertools.count(1)
# One Argon2 hash made once: hashing per user would make the suite slow.
TEST_PASSWORD = "correct horse battery staple 42"
_HASH: list[str] = []


def _password_hash() -> str:
    if not _HASH:
        _HASH.append(make_password(TEST_PASSWORD))
    return _HASH[0]


@pytest.fixture
def make_team(db: Any) -> Callable[..., Team]:
    def make(name: str | None = None) -> Team:
        return Team.objects.create(name=name or f"Team {next(_counter)}")
    return make


@pytest.fixture
def make_agency(db: Any) -> Callable[..., PartnerAgency]:
    def make(kind: str = PartnerAgency.Kind.HEALTH, name: str | None = None) -> PartnerAgency:
        return PartnerAgency.objects.create(name=name or f"Agency {next(_counter)}", kind=kind)
    return make


@pytest.fixture
def make_user(db: Any) -> Callable[..., User]:
    def make(role: str = Role.SOCIAL_WORKER, *, team: Team | None = None, agency: PartnerAgency | None = None,
             username: str | None = None, **extra: Any) -> User:
        n = next(_counter)
        return User.objects.create(
            username=username or f"{role}-{n}", first_name=extra.pop("first_name", role.replace("_", " ").title()),
            last_name=extra.pop("last_name", f"Person{n}"), role=role, team=team, partner_agency=agency,
            password=_password_hash(), **extra,
        )
    return make


def verified_client(user: User) -> Client:
    """A browser session that has signed in with a password and a one-time code."""
    client = Client()
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
        user=user, name="test", confirmed=True
    )
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


@pytest.fixture
def signed_in() -> Callable[[User], Client]:
    return verified_client


@pytest.fixture
def make_child(db: Any) -> Callable[..., Any]:
    from harbour.children import services

    def make(*, social_worker: User, actor: User | None = None, date_of_birth: dt.date | None = dt.date(2010, 3, 14),
             **identity: Any) -> Any:
        identity.setdefault("given_names", f"Child{next(_counter)}")
        identity.setdefault("family_name", "Example")
        return services.child_create(
            actor=actor or social_worker, identity=identity, date_of_birth=date_of_birth,
            date_of_birth_source="claimed", social_worker=social_worker, today=dt.date(2026, 11, 20),
        )
    return make


@pytest.fixture
def share_with(db: Any) -> Callable[..., PartnerGrant]:
    from django.utils import timezone

    def share(child: Any, agency: PartnerAgency, *, by: User, days: int = 30) -> PartnerGrant:
        return PartnerGrant.objects.create(
            child=child, agency=agency, purpose="Health assessment", legal_basis="UK GDPR Art 6(1)(e), 9(2)(h)",
            granted_by=by, expires_at=timezone.now() + dt.timedelta(days=days),
        )
    return share
