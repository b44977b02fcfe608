"""Browser tests: headless Chromium against pytest-django's live server.

Every test under tests/browser is marked `browser`. Without a Chromium (`chromium` on PATH or
the CHROMIUM environment variable) they are skipped, unless HARBOUR_REQUIRE_BROWSER=1, when they
fail: CI must not pass by running none of them.

The recipe is the tried one in the design notes (design/ui.md section 4.2): one browser for the whole run, a
fresh context per test, axe-core from node_modules run with `page.evaluate` (the CSP blocks
injected script tags), the WCAG 2.2 AA tags.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

# Playwright's sync API runs an event loop in this thread; without this Django's ORM refuses to
# run in the test (it thinks it is inside async code).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

HERE = Path(__file__).resolve().parent
CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium")
BROWSER_REQUIRED = os.environ.get("HARBOUR_REQUIRE_BROWSER") == "1"
LAUNCH_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-quic",
]
NO_BROWSER = "No Chromium found: install Debian's chromium or set CHROMIUM to its path"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # This hook sees every item of the session, not only this folder's.
    for item in items:
        if HERE not in Path(str(item.path)).resolve().parents:
            continue
        item.add_marker(pytest.mark.browser)
        if not CHROMIUM and not BROWSER_REQUIRED:
            item.add_marker(pytest.mark.skip(reason=f"{NO_BROWSER} (HARBOUR_REQUIRE_BROWSER=1 makes this a failure)"))


@pytest.fixture(scope="session", autouse=True)
def _chromium_present() -> None:
    # Autouse and session-scoped, so it runs before Playwright tries (and fails, suggesting
    # `playwright install`, which must not be run here) to launch its own browser.
    if not CHROMIUM:
        pytest.fail(f"HARBOUR_REQUIRE_BROWSER=1 and {NO_BROWSER}", pytrace=False)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": LAUNCH_ARGS}


AXE_SOURCE = (HERE.parents[1] / "node_modules" / "axe-core" / "axe.min.js")
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
_AXE_CACHE: list[str] = []


def axe_violations(page: Any) -> list[tuple[str, str, list[Any]]]:
    """axe-core's WCAG 2.2 AA violations on the page as it is now: (rule id, impact, targets)."""
    if not _AXE_CACHE:
        _AXE_CACHE.append(AXE_SOURCE.read_text())
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_AXE_CACHE[0])  # page.add_script_tag is blocked by the CSP; evaluate is not
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})", WCAG_AA
    )
    return [(v["id"], v["impact"], [n["target"] for n in v["nodes"]]) for v in result["violations"]]


@pytest.fixture(scope="session")
def base_url(live_server: Any) -> str:
    """Pages are opened by path: page.goto("/children/")."""
    return str(live_server.url)


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    # en-GB and the council's time zone, so dates in the browser read as they do for staff.
    return {**browser_context_args, "locale": "en-GB", "timezone_id": "Europe/London"}


# --- The people and the child every page test needs -------------------------------------------------


@pytest.fixture
def world(make_team: Any, make_user: Any, make_agency: Any, share_with: Any) -> Any:
    """A team with a leader and a social worker, a manager, a partner and an administrator, and
    Mohammed: a looked-after child with a full history, allocated to the team's social worker."""
    from harbour.accounts.models import Role

    from .support import World, make_history_child

    team = make_team("Children in care team 1")
    leader = make_user(Role.TEAM_LEADER, team=team, username="leader", first_name="Lena", last_name="Leader")
    worker = make_user(Role.SOCIAL_WORKER, team=team, username="worker", first_name="Sam", last_name="Worker")
    manager = make_user(Role.TEAM_MANAGER, username="manager", first_name="Mina", last_name="Manager")
    agency = make_agency(name="Harbourside Community Health")
    partner = make_user(Role.PARTNER, agency=agency, username="partner", first_name="Pat", last_name="Partner")
    admin = make_user(Role.ADMINISTRATOR, username="admin", first_name="Ada", last_name="Admin")
    child = make_history_child(worker=worker)
    share_with(child, agency, by=leader)
    return World(team=team, leader=leader, worker=worker, manager=manager, partner=partner, admin=admin,
                 child=child)


@pytest.fixture
def signed_in_page(live_server: Any, new_context: Any, signed_in: Any) -> Callable[..., Any]:
    """`signed_in_page(user)`: a page in a fresh context holding a verified session for `user`
    (the session cookie of conftest's `verified_client`, so no password or code is typed)."""

    def make(user: Any, **context_args: Any) -> Any:
        context = new_context(**context_args)
        session_id = signed_in(user).cookies["sessionid"].value
        context.add_cookies([{"name": "sessionid", "value": session_id, "url": live_server.url}])
        return context.new_page()

    return make
