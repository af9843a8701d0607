"""What the TUI tests share: an event loop per test, bounded waits, the screen as text, row counts."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import io
import threading
import time

import pytest
from rich.console import Console
from sqlalchemy import func, select


@pytest.fixture
def store_url(tmp_path):
    """The screens are the same over any store; the store itself is tested on both."""
    return f"sqlite:///{tmp_path / 'store.sqlite3'}"


def run_async(test):
    """Run an async test on its own event loop (no asyncio plugin needed)."""
    @functools.wraps(test)
    def wrapper(*args, **kwargs):
        return asyncio.run(test(*args, **kwargs))
    return wrapper


# A bound, not a speed requirement: generous, because CI machines are shared and slow at times.
WAIT_LIMIT_S = 30.0


def waiting():
    """Yield until the wait limit is spent; callers pause between rounds."""
    deadline = time.monotonic() + WAIT_LIMIT_S
    while time.monotonic() < deadline:
        yield


async def until(pilot, condition) -> None:
    """Wait for a condition in short pauses, up to the wait limit (never a fixed sleep)."""
    for _ in waiting():
        if condition():
            return
        await pilot.pause(0.01)
    raise AssertionError("condition not reached")


def screen_text(app) -> str:
    """What the terminal shows, as plain text."""
    console = Console(width=app.size.width, height=app.size.height, file=io.StringIO(), record=True,
                      force_terminal=True, color_system="truecolor", legacy_windows=False)
    console.print(app.screen._compositor.render_update(full=True))
    return console.export_text()


def count(site, table, **where) -> int:
    with site.store.read() as conn:
        query = select(func.count()).select_from(table)
        for column, value in where.items():
            query = query.where(getattr(table.c, column) == value)
        return conn.execute(query).scalar_one()


class HeldRefresh:
    """Hold a screen's next load in its worker across a layout pass of the screen, as a slow store does.

    Wraps `name` of `target`, a function the load worker calls once per load: its first call waits until
    `in_flight` is left, then runs as usual.
    """

    def __init__(self, monkeypatch, target, name: str) -> None:
        self.started, self.release = threading.Event(), threading.Event()
        original = getattr(target, name)

        def held(*args, **kwargs):
            if not self.started.is_set():
                self.started.set()
                self.release.wait()
            return original(*args, **kwargs)

        monkeypatch.setattr(target, name, held)

    @contextlib.asynccontextmanager
    async def in_flight(self, pilot, screen):
        """Request a refresh and lay the screen out while it loads; the load lands on leaving the block."""
        layouts: list = []
        screen.screen_layout_refresh_signal.subscribe(screen, layouts.append, immediate=True)
        try:
            screen.request_refresh()
            await until(pilot, self.started.is_set)
            seen = len(layouts)
            screen.refresh(layout=True)
            await until(pilot, lambda: len(layouts) > seen)
            await pilot.pause()
            yield
        finally:
            self.release.set()
            screen.screen_layout_refresh_signal.unsubscribe(screen)
