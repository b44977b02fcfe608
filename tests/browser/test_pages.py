"""Every page, in its key states, passes axe (WCAG 2.2 AA) and the checks axe cannot make:
one h1 that starts the <title>, the skip link first in the Tab order, and no Error: without one."""

from __future__ import annotations

from typing import Any

import pytest

from .support import (
    assert_no_axe_violations,
    assert_reflows,
    assert_skip_link_first,
    assert_structure,
)

# (test id, who looks, path). "{child}" is the history child's id; None means signed out.
PAGES = [
    ("sign-in", None, "/accounts/sign-in/"),
    ("sign-in-timed-out", None, "/accounts/sign-in/?timed_out=1"),
    ("accessibility-signed-out", None, "/accessibility/"),
    ("help-signed-out", None, "/help/"),
    ("privacy-signed-out", None, "/privacy/"),
    ("404-signed-out", None, "/no-such-page/"),
    ("home-social-worker", "worker", "/"),
    ("home-team-leader", "leader", "/"),
    ("home-manager", "manager", "/"),
    ("home-partner", "partner", "/"),
    ("home-administrator", "admin", "/"),
    ("home-nothing-due", "newcomer", "/"),
    ("children-list", "leader", "/children/"),
    ("children-list-empty", "newcomer", "/children/"),
    ("search-empty", "worker", "/search/"),
    ("search-results", "worker", "/search/?q=Muhammad"),
    ("search-no-results", "worker", "/search/?q=Zebedee"),
    ("child-detail", "worker", "/children/{child}/"),
    ("child-detail-filtered", "worker", "/children/{child}/?kind=review&kind=visit#timeline"),
    ("child-detail-filtered-to-nothing", "worker", "/children/{child}/?kind=leaving_care"),
    ("child-detail-new-record", "newcomer", "/children/{empty_child}/"),
    ("child-partner-view", "partner", "/children/{child}/"),
    ("identity", "worker", "/children/{child}/identity/"),
    ("identity-new-record", "newcomer", "/children/{empty_child}/identity/"),
    ("legal", "worker", "/children/{child}/legal/"),
    ("legal-new-record", "newcomer", "/children/{empty_child}/legal/"),
    ("access-log", "leader", "/children/{child}/access-log/"),
    ("create-child", "leader", "/children/new/"),
    ("edit-identity", "worker", "/children/{child}/identity/change/"),
    ("add-name", "worker", "/children/{child}/names/new/"),
    ("add-date-of-birth", "worker", "/children/{child}/date-of-birth/new/"),
    ("add-legal-status", "worker", "/children/{child}/legal-status/new/"),
    ("add-period", "worker", "/children/{child}/periods-looked-after/new/"),
    ("add-timeline-entry", "worker", "/children/{child}/timeline/new/"),
    ("timescales", "worker", "/timescales/"),
    ("accessibility", "worker", "/accessibility/"),
    ("help", "worker", "/help/"),
    ("privacy", "worker", "/privacy/"),
    ("404", "worker", "/no-such-page/"),
    ("404-child-not-yours", "newcomer", "/children/{child}/"),
]
REFLOW = {"sign-in", "home-team-leader", "search-results", "child-detail", "identity", "access-log", "create-child",
          "timescales"}


@pytest.fixture
def newcomer(make_user: Any, make_child: Any, world: Any) -> Any:
    """A social worker in another team with one child and nothing recorded for it yet."""
    from harbour.accounts.models import Role

    worker = make_user(Role.SOCIAL_WORKER, username="newcomer", first_name="Nia", last_name="Newcomer")
    worker.first_child = make_child(social_worker=worker, given_names="Amira", family_name="Haddad", date_of_birth=None)
    return worker


@pytest.mark.parametrize(("name", "who", "path"), PAGES, ids=[p[0] for p in PAGES])
def test_page(name: str, who: str | None, path: str, world: Any, newcomer: Any, signed_in_page: Any,
              new_context: Any) -> None:
    if who is None:
        page = new_context().new_page()
    else:
        page = signed_in_page(newcomer if who == "newcomer" else getattr(world, who))
    path = path.format(child=world.child.pk, empty_child=newcomer.first_child.pk)
    response = page.goto(path)
    assert response is not None
    expected = 404 if name.startswith("404") else 200
    assert response.status == expected, f"{path} answered {response.status}"
    assert page.url.split("#")[0].endswith(path.split("#")[0]), f"{path} went to {page.url}"
    assert_structure(page)
    if "#" not in path:  # a fragment moves where Tab starts from, as it should
        assert_skip_link_first(page)
    assert_no_axe_violations(page)
    if name in REFLOW:
        assert_reflows(page)
