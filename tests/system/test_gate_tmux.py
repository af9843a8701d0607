"""The gate in a real terminal (tmux), at a wedge scanner's speed: six tickets, each + Enter, no gap; the demo's
photos make each card wait for the staffer's Enter, the rest queue in order.

Skipped where tmux is not installed. The gate is `examops demo` in zh-CN on an
80×24 pane with its own temp dir; the keys go in with `send-keys -l` and
`Enter` back to back, and the store is read afterwards.
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


def test_six_tickets_at_wedge_speed_queue_and_six_enters_admit_them_in_order(tmp_path):
    session = f"examops-burst-{uuid.uuid4().hex[:8]}"
    store = tmp_path / f"examops-demo-{os.getuid()}" / "demo.sqlite3"
    env = f"TMPDIR={tmp_path} EXAMOPS_HOME={tmp_path / 'home'} EXAMOPS_CLOCK=2021-10-16T08:05"
    tmux("new-session", "-d", "-s", session, "-x", "80", "-y", "24", f"env {env} {EXAMOPS} demo --lang zh-CN")
    try:
        pane = lambda: tmux("capture-pane", "-p", "-t", session)  # noqa: E731
        wait_for(lambda: "本场统计" in pane(), "the gate screen")
        engine = create_engine(f"sqlite:///{store}", poolclass=NullPool)
        with engine.connect() as conn:
            tickets = [row[0] for row in conn.execute(
                select(schema.candidates.c.ticket).order_by(schema.candidates.c.ticket).limit(6))]
        started = time.monotonic()
        for ticket in tickets:
            tmux("send-keys", "-t", session, "-l", ticket)
            tmux("send-keys", "-t", session, "Enter")

        def admitted() -> list[str]:
            with engine.connect() as conn:
                return [row[0] for row in conn.execute(select(schema.events.c.ticket).where(
                    schema.events.c.kind == "admitted").order_by(schema.events.c.pos))]

        # the demo has photos: each card waits for the staffer, the other scans queue behind it in order
        wait_for(lambda: "排队 5" in pane() and tickets[0] in pane(), "the first card, five scans waiting")
        assert admitted() == []
        for count, ticket in enumerate(tickets, 1):
            wait_for(lambda: ticket in pane() and "人证核验" in pane(), f"the card of {ticket}")
            tmux("send-keys", "-t", session, "Enter")
            wait_for(lambda: len(admitted()) >= count, f"admission {count}")
        drained = time.monotonic() - started
        wait_for(lambda: "已入场 6" in pane(), "the figures")
        with engine.connect() as conn:
            kinds = [row[0] for row in conn.execute(select(schema.events.c.kind).where(
                schema.events.c.kind.not_in(("roster_imported", "device_enrolled", "plan_set", "photos_imported"))))]  # what the scans wrote
        print(f"tmux burst: typed {len(tickets)}, recorded {len(admitted())}, drained in {drained:.2f}s")
        assert admitted() == tickets
        assert kinds == ["admitted"] * len(tickets)  # no glued invalid scan, no duplicate
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)


def test_exit_keys_in_a_real_terminal_leave_return_and_leave_for_good(tmp_path):
    """Ctrl+L and Ctrl+G as a terminal sends them (form feed, bell), Chinese reasons typed in, scans at wedge speed."""
    session = f"examops-exits-{uuid.uuid4().hex[:8]}"
    store = tmp_path / f"examops-demo-{os.getuid()}" / "demo.sqlite3"
    env = f"TMPDIR={tmp_path} EXAMOPS_HOME={tmp_path / 'home'} EXAMOPS_CLOCK=2021-10-16T08:05"
    tmux("new-session", "-d", "-s", session, "-x", "80", "-y", "24", f"env {env} {EXAMOPS} demo --lang zh-CN")
    try:
        pane = lambda: tmux("capture-pane", "-p", "-t", session)  # noqa: E731
        wait_for(lambda: "本场统计" in pane(), "the gate screen")
        engine = create_engine(f"sqlite:///{store}", poolclass=NullPool)
        with engine.connect() as conn:
            ticket = conn.execute(select(schema.candidates.c.ticket).order_by(schema.candidates.c.ticket).limit(1)).scalar_one()

        def kinds() -> list[str]:
            with engine.connect() as conn:
                return [row[0] for row in conn.execute(select(schema.events.c.kind).where(
                    schema.events.c.ticket == ticket).order_by(schema.events.c.pos))]

        def scan() -> None:
            tmux("send-keys", "-t", session, "-l", ticket)
            tmux("send-keys", "-t", session, "Enter")

        def leave(key: str, reason: str) -> None:
            tmux("send-keys", "-t", session, key)
            wait_for(lambda: "原因 *" in pane(), "the exit form")
            tmux("send-keys", "-t", session, "-l", reason)
            tmux("send-keys", "-t", session, "Enter")

        def admit() -> None:  # the demo has photos: the card waits for Enter after the face is checked
            scan()
            wait_for(lambda: ticket in pane() and "人证核验" in pane(), "the card with the photo")
            tmux("send-keys", "-t", session, "Enter")

        steps = [(admit, ["admitted"]), (lambda: leave("C-l", "如厕"), ["admitted", "left"]),
                 (scan, ["admitted", "left", "returned"]), (lambda: leave("C-g", "提前交卷"), ["admitted", "left", "returned", "left"]),
                 (scan, ["admitted", "left", "returned", "left", "reentry_refused"])]
        for step, expected in steps:
            step()
            wait_for(lambda: kinds() == expected, " then ".join(expected))
        wait_for(lambda: "不得再次入场" in pane(), "the no re-entry verdict")
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)
