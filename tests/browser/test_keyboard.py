"""Keyboard only: Tab reaches every control in order, and each one, when focused, is on screen
(WCAG 2.4.11, not hidden under anything) and shows a visible focus indicator (WCAG 2.4.7)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page

# What the focused element looks like. Radios and checkboxes draw their focus ring on the label's
# ::before (the real input is transparent), so look there for them.
FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const rect = el.getBoundingClientRect();
  const choice = el.matches('.govuk-radios__input, .govuk-checkboxes__input');
  const drawn = choice ? getComputedStyle(el.labels[0], '::before') : getComputedStyle(el);
  const ring = (drawn.outlineStyle !== 'none' && drawn.outlineWidth !== '0px'
                && drawn.outlineColor !== 'rgba(0, 0, 0, 0)') || drawn.boxShadow !== 'none'
               || drawn.backgroundColor === 'rgb(255, 221, 0)';  // the GOV.UK focus yellow
  const box = choice ? el.labels[0].getBoundingClientRect() : rect;
  return {
    name: el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + ' "' + (el.innerText || el.value || el.getAttribute('aria-label') || '').trim().slice(0, 40) + '"',
    visible: box.width > 0 && box.height > 0,
    onScreen: box.top >= 0 && box.bottom <= window.innerHeight + 1 && box.left >= 0 && box.right <= window.innerWidth + 1,
    ring,
  };
}"""

KEYBOARD_PAGES = {
    "sign-in": (None, "/accounts/sign-in/"),
    "home": ("leader", "/"),
    "child-detail": ("worker", "/children/{child}/"),
    "identity": ("worker", "/children/{child}/identity/"),
    "create-child": ("leader", "/children/new/"),
    "add-legal-status": ("worker", "/children/{child}/legal-status/new/"),
    "search-results": ("worker", "/search/?q=Ahmadi"),
}


def tab_through(page: Page, limit: int = 200) -> list[dict[str, Any]]:
    stops: list[dict[str, Any]] = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        stop = page.evaluate(FOCUSED)
        if stop is None or (stops and stop["name"] == stops[0]["name"]):
            break  # back out of the page, or round to the start again
        stops.append(stop)
    return stops


@pytest.mark.parametrize("name", list(KEYBOARD_PAGES))
def test_every_tab_stop_is_visible_and_shows_focus(name: str, world: Any, signed_in_page: Any,
                                                   new_context: Any) -> None:
    who, path = KEYBOARD_PAGES[name]
    page = new_context().new_page() if who is None else signed_in_page(getattr(world, who))
    page.goto(path.format(child=world.child.pk))
    stops = tab_through(page)
    assert len(stops) > 3, stops
    assert "skip-link" in stops[0]["name"] or stops[0]["name"].startswith('a "Skip to main content'), stops[0]
    hidden = [s["name"] for s in stops if not (s["visible"] and s["onScreen"])]
    no_ring = [s["name"] for s in stops if not s["ring"]]
    assert hidden == [], f"focused but not visible on {path}: {hidden}"
    assert no_ring == [], f"no focus indicator on {path}: {no_ring}"
