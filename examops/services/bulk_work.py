"""What a bulk job (a roster import, a report) does around its work."""

from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator


@contextmanager
def cycle_collection_paused() -> Iterator[None]:
    """The cycle collector off while a bulk job runs, back on (and catching up) after.

    An import or a report allocates a million or more objects (cells, entries, rows, events), none in a cycle; the
    collector's passes over them free nothing and cost a fifth of a 50k import's CPU, a second of a 50k report.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


_paused_for_start = False


def pause_collection_for_start() -> None:
    """The cycle collector off while a screen starts (imports, the first layout): call first thing in the command.

    Textual, SQLAlchemy and the screen's widgets are a few hundred thousand objects made once and kept; the
    collector's two hundred passes over them free nothing and were a tenth of `examops gate`'s time to its first
    frame. `collection_after_start` turns it back on.
    """
    global _paused_for_start
    if gc.isenabled():
        gc.disable()
        _paused_for_start = True


def collection_after_start() -> None:
    """After the first frame: what start-up made is frozen (never scanned again; it lives as long as the process) and
    the collector is back on, with nothing to catch up, so no pause falls on the first scans. A no-op unless
    `pause_collection_for_start` paused it (a test's app leaves its process's collector alone)."""
    global _paused_for_start
    if _paused_for_start:
        _paused_for_start = False
        gc.freeze()
        gc.enable()
