"""A real terminal for the system tests: an examops command in a detached tmux pane, keys in, the pane's text out.

Tests that use it mark themselves `needs_tmux` (skipped where tmux is not installed). Every wait is bounded by
`WAIT_S`, a bound for a slow shared machine, never a speed requirement.
"""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Callable, Iterator

import pytest

EXAMOPS = Path(sys.executable).with_name("examops")
WAIT_S = 60.0
needs_tmux = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


def tmux(*args: str) -> str:
    return subprocess.run(["tmux", *args], capture_output=True, text=True, check=True).stdout


def wait_for(condition: Callable[[], bool], what: str, every: float = 0.05) -> None:
    deadline = time.monotonic() + WAIT_S
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(every)


class Pane:
    """One tmux session running `command` (a shell command line) at `size` columns × rows."""

    def __init__(self, command: str, *, size: tuple[int, int] = (80, 24), name: str = "examops") -> None:
        self.session = f"{name}-{uuid.uuid4().hex[:8]}"
        tmux("new-session", "-d", "-s", self.session, "-x", str(size[0]), "-y", str(size[1]), command)

    def text(self) -> str:
        return tmux("capture-pane", "-p", "-t", self.session)

    def send(self, *keys: str) -> None:
        """Keys by tmux's names (Enter, C-l, F7) or, after "-l", literally."""
        tmux("send-keys", "-t", self.session, *keys)

    def type(self, text: str) -> None:
        self.send("-l", text)

    def scan(self, code: str) -> None:
        """A wedge scanner: the code, then Enter."""
        self.type(code)
        self.send("Enter")

    def wait_for_text(self, *words: str, what: str | None = None) -> None:
        wait_for(lambda: all(word in self.text() for word in words), what or " and ".join(words))

    def kill(self) -> None:
        subprocess.run(["tmux", "kill-session", "-t", self.session], capture_output=True)


@contextlib.contextmanager
def pane(command: str, *, size: tuple[int, int] = (80, 24), name: str = "examops") -> Iterator[Pane]:
    """A `Pane` for the length of the block; the session is killed however the block ends."""
    opened = Pane(command, size=size, name=name)
    try:
        yield opened
    finally:
        opened.kill()
