"""Placement requests: sent on both tracks, answers, offers compared with reasons, the child's choice."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["placement requests"])
