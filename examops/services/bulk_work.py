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


# Who turned the collector off for a command's start, if anyone did: "command" (ExamopsGroup.main, until the command is
# known), "start" (a screen until its first frame). One state, so a pause is handed on, never undone and redone.
_paused_by: str | None = None


@contextmanager
def collection_paused_for_command(*, resume_after: bool = True) -> Iterator[None]:
    """The cycle collector off until the command is known; `resume_collection` turns it back on earlier.

    A one-shot `check` runs its whole short life without it: its ~100 passes over SQLAlchemy's import free nothing.
    Without `resume_after` it stays off after the block (a process that exits then: turning it on would first run a
    pass over every object imported, for nothing)."""
    global _paused_by
    if gc.isenabled():
        gc.disable()
        _paused_by = "command"
    try:
        yield
    finally:
        if _paused_by == "command":
            _paused_by = None
            if resume_after:
                gc.enable()


def resume_collection() -> None:
    """The collector on again, if the command's pause turned it off (never one a caller had turned off)."""
    global _paused_by
    if _paused_by == "command":
        _paused_by = None
        gc.enable()


def pause_collection_for_start() -> None:
    """The cycle collector off while a screen starts (imports, the first layout): call first thing in the command.

    Textual, SQLAlchemy and the screen's widgets are a few hundred thousand objects made once and kept; the
    collector's two hundred passes over them free nothing and were a tenth of `examops gate`'s time to its first
    frame. A pause the command's start already holds is taken over. `collection_after_start` turns it back on.
    """
    global _paused_by
    if _paused_by == "command" or gc.isenabled():
        gc.disable()
        _paused_by = "start"


def collection_after_start() -> None:
    """After the first frame: what start-up made is frozen (never scanned again; it lives as long as the process) and
    the collector is back on, with nothing to catch up, so no pause falls on the first scans. A no-op unless
    `pause_collection_for_start` paused it (a test's app leaves its process's collector alone)."""
    global _paused_by, _lane_to_freeze
    if _paused_by == "start":
        _paused_by = None
        _lane_to_freeze = True
        gc.freeze()
        gc.enable()


_lane_to_freeze = False  # the first frame froze start-up's objects; the lane's, made after it, are still to freeze


def freeze_after_lane_start() -> None:
    """Once the gate's lane is open and its first figures drawn: what that made (SQLAlchemy, the store, the site, the
    first count) is frozen too, and the collector's full passes walk only what scans make. Unfrozen, those ~55k objects
    were most of every full pass, tens of ms that fell in a scan's frame. Once, and only after `collection_after_start`
    froze the start (a test's app leaves its process's collector alone)."""
    global _lane_to_freeze
    if _lane_to_freeze:
        _lane_to_freeze = False
        gc.freeze()
