"""Python's cyclic garbage collector paused while a request makes many small objects."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_pauses = threading.Lock()
_paused = 0
_was_enabled = True


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector paused while a page counts its figures (ADR 0012, "Speed") or
    reads the whole service's deadlines (the home page, ADR 0016). Counting a council's measures makes a few hundred thousand small objects (the occurrences, the
    spells, the rows read), none of them in cycles: reference counting frees them all, but the
    collector, which runs every few hundred allocations, looks through them again and again and
    took a third of a dashboard's time. Paused for one request at most, then enabled as it was.
    The collector is the process's: with requests on several threads, it is enabled again when the
    last one ends, and never if something else had disabled it."""
    global _paused, _was_enabled
    with _pauses:
        if _paused == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _paused += 1
    try:
        yield
    finally:
        with _pauses:
            _paused -= 1
            if _paused == 0 and _was_enabled:
                gc.enable()
