"""The harness itself: styles load from the live server, and axe really reports problems."""

from __future__ import annotations

from typing import Any

from .conftest import axe_violations
from .support import assert_no_axe_violations, assert_styled


def test_stylesheets_load_and_apply(live_server: Any, page: Any) -> None:
    stylesheets: dict[str, int] = {}
    page.on("response", lambda r: stylesheets.__setitem__(r.url, r.status) if r.url.endswith(".css") else None)
    page.goto(f"{live_server.url}/accounts/sign-in/")
    assert {url.rsplit("/", 1)[-1]: status for url, status in stylesheets.items()} == {
        "govuk.css": 200, "moj.css": 200, "harbour.css": 200,
    }
    assert_styled(page)
    # The GOV.UK font stack on body text, and the brand colour on the header.
    assert "Helvetica Neue" in page.locator(".govuk-body, .govuk-label").first.evaluate("e => getComputedStyle(e).fontFamily")
    assert page.locator(".harbour-header").evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(0, 89, 79)"


def test_axe_reports_a_missing_alt_and_low_contrast(live_server: Any, page: Any) -> None:
    """Negative control: a page that passes, spoiled on purpose, must fail."""
    page.goto(f"{live_server.url}/accessibility/")
    assert_no_axe_violations(page)
    page.evaluate("""() => {
        const main = document.querySelector('main');
        const img = document.createElement('img');
        img.src = '/static/harbour/images/harbour-icon-180.png';
        main.prepend(img);
        const p = document.createElement('p');
        p.textContent = 'Pale grey text that nobody can read';
        p.style.color = '#dddddd';
        p.style.backgroundColor = '#ffffff';
        main.prepend(p);
    }""")
    found = {rule for rule, _impact, _targets in axe_violations(page)}
    assert {"image-alt", "color-contrast"} <= found, found


def test_no_broken_assets_script_errors_or_csp_blocks(world: Any, signed_in_page: Any) -> None:
    """Everything a page asks for arrives, and nothing is refused by the Content-Security-Policy
    (a refusal shows as a console error)."""
    page = signed_in_page(world.worker)
    problems: list[Any] = []
    page.on("response", lambda r: problems.append((r.status, r.url)) if r.status >= 400 else None)
    page.on("console", lambda m: problems.append((m.type, m.text)) if m.type in {"error", "warning"} else None)
    page.on("pageerror", lambda e: problems.append(("pageerror", str(e))))
    for path in ("/", f"/children/{world.child.pk}/", f"/children/{world.child.pk}/names/new/", "/timescales/"):
        page.goto(path)
        page.wait_for_load_state("networkidle")
    assert problems == []
