"""Placeholder: filled in by the placements work."""

from __future__ import annotations

from typing import Any

urlpatterns: list[Any] = []
