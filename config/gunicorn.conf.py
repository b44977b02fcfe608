"""Gunicorn settings for Harbour: `gunicorn -c config/gunicorn.conf.py config.wsgi:application`.

Command-line options override these (the load scenario, benchmarks/load.py, sets its own port and
workers). The process environment sets the rest of Harbour (config/settings/production.py).
"""

from __future__ import annotations

import multiprocessing
import os
from typing import Any

bind = os.environ.get("HARBOUR_BIND", "127.0.0.1:8000")
# Gunicorn's rule of thumb: two workers a core and one more.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
timeout = 60
graceful_timeout = 30
# Load Harbour once in the master, then fork: the workers share its imports and compiled templates.
preload_app = True


def when_ready(server: Any) -> None:
    """Import every view and compile every template before the first worker is forked (harbour.core.warmup)."""
    from harbour.core.warmup import warm_up

    server.log.info("Harbour warmed up: %d templates compiled", warm_up())
