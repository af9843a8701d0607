"""The photo at a real terminal (tmux): half-blocks drawn inside tmux, the card waits for Enter, Sixel data goes out.

Skipped where tmux is not installed. The store is set up through the services (roster seeded, photos
imported through the real import), then `examops gate` runs in an 80×24 pane with its own environment.
tmux answers for itself, so the gate draws half-blocks there; `EXAMOPS_PHOTO=sixel` forces Sixel, whose
data tmux 3.3 does not draw but the pane's raw output (`pipe-pane`) still carries.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.pool import NullPool

from examops.adapters.store import schema
from tests.support.photos import give_photos
from tests.support.tui import store_url  # noqa: F401 (a fixture: SQLite, a file the pane can open)

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")

EXAMOPS = Path(sys.executable).with_name("examops")
WAIT_S = 60.0  # a bound for a slow shared machine, not a speed requirement


def tmux(*args: str) -> str:
    return subprocess.run(["tmux", *args], capture_output=True, text=True, check=True).stdout


def wait_for(condition, what: str) -> None:  # noqa: ANN001
    deadline = time.monotonic() + WAIT_S
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def admitted(url: str) -> list[str]:
    engine = create_engine(url, poolclass=NullPool)
    with engine.connect() as conn:
        return [row[0] for row in conn.execute(select(schema.events.c.ticket).where(schema.events.c.kind == "admitted"))]


def open_gate(url: str, extra_env: str = "") -> str:
    session = f"examops-photo-{uuid.uuid4().hex[:8]}"
    env = f"EXAMOPS_HOME={os.environ['EXAMOPS_HOME']} EXAMOPS_CLOCK=2021-10-16T08:10 {extra_env}"
    tmux("new-session", "-d", "-s", session, "-x", "80", "-y", "24",
         f"env {env} {EXAMOPS} --db {url} gate --lane A --staff 安检员1 --lang zh-CN")
    return session


def test_inside_tmux_the_photo_is_drawn_in_half_blocks_and_enter_admits(seeded_site, store_url):  # noqa: F811
    person = seeded_site.people[0]
    give_photos(seeded_site, [p.ticket for p in seeded_site.people[:5]])
    session = open_gate(store_url)
    try:
        pane = lambda: tmux("capture-pane", "-p", "-t", session)  # noqa: E731
        wait_for(lambda: "扫描准考证" in pane(), "the gate screen")
        tmux("send-keys", "-t", session, "-l", person.ticket)
        tmux("send-keys", "-t", session, "Enter")
        wait_for(lambda: "人证核验" in pane() and "▀" * 10 in pane(), "the card with the photo")
        assert person.ticket in pane()
        assert admitted(store_url) == []  # waiting for the staffer
        tmux("send-keys", "-t", session, "Enter")
        wait_for(lambda: admitted(store_url) == [person.ticket], "the admission")
        wait_for(lambda: "已入场 1" in pane(), "the figures")
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)


def test_a_forced_sixel_terminal_gets_the_photo_as_sixel_data(seeded_site, store_url, tmp_path):  # noqa: F811
    person = seeded_site.people[1]
    give_photos(seeded_site, [person.ticket])
    raw = tmp_path / "pane.raw"
    session = open_gate(store_url, "EXAMOPS_PHOTO=sixel")
    try:
        tmux("pipe-pane", "-t", session, "-o", f"cat >> {raw}")
        pane = lambda: tmux("capture-pane", "-p", "-t", session)  # noqa: E731
        wait_for(lambda: "扫描准考证" in pane(), "the gate screen")
        tmux("send-keys", "-t", session, "-l", person.ticket)
        tmux("send-keys", "-t", session, "Enter")
        wait_for(lambda: "人证核验" in pane(), "the waiting card")
        wait_for(lambda: b"\x1bP" in raw.read_bytes() and b"\x1b\\" in raw.read_bytes(), "Sixel data in the output")
        data = raw.read_bytes()
        start = data.index(b"\x1bP")
        assert b"q" in data[start:start + 12] and b'"1;1;' in data[start:start + 40]  # a Sixel header with its size
        assert "▀" * 10 not in pane()  # no half-blocks besides
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)
