"""What the TUI tests share: an event loop per test, bounded waits, the screen as text, row counts."""

from __future__ import annotations

import asyncio
import functools
import io
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
