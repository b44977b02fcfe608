"""Placements: starting, changing and ending them, and the child's needs profile."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["placements"])
