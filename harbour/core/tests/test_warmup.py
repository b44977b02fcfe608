"""Gunicorn warms Harbour up in its master process, so no worker's first request compiles templates."""

from __future__ import annotations

import runpy
from pathlib import Path
from typing import Any

import pytest
from django.db import connections
from django.template import engines

from harbour.core.warmup import warm_up

GUNICORN_CONF = Path(__file__).resolve().parents[3] / "config" / "gunicorn.conf.py"


def test_warm_up_compiles_every_template_and_leaves_no_connection_open(monkeypatch: pytest.MonkeyPatch) -> None:
    environment = engines["jinja2"].env  # type: ignore[attr-defined]
    environment.cache.clear()
    closed: list[bool] = []
    # Spied on, not checked afterwards: in a test run another test's connection may stay open.
    monkeypatch.setattr(connections, "close_all", lambda: closed.append(True))

    compiled = warm_up()

    names = environment.list_templates()
    assert compiled == len(names) > 100
    cached = {key[1] for key in environment.cache}
    assert cached >= set(names), "every template is compiled and kept"
    assert closed == [True]


def test_the_template_cache_holds_every_template() -> None:
    environment = engines["jinja2"].env  # type: ignore[attr-defined]
    # Jinja keeps the last `cache_size` templates; with more templates than that, the warm-up's would be evicted.
    assert environment.cache.capacity >= len(environment.list_templates())


class _Log:
    def __init__(self) -> None:
        self.lines: list[str] = []

    def info(self, message: str, *args: Any) -> None:
        self.lines.append(message % args)


class _Server:
    def __init__(self) -> None:
        self.log = _Log()


def test_gunicorn_preloads_harbour_and_warms_it_before_forking() -> None:
    settings = runpy.run_path(str(GUNICORN_CONF))
    assert settings["preload_app"] is True
    server = _Server()
    settings["when_ready"](server)
    assert server.log.lines and server.log.lines[0].startswith("Harbour warmed up:")
