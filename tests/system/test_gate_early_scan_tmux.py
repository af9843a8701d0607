"""A scan typed while `examops gate` is still starting (a wedge scanner used right after launch) is checked once.

Keys that reach the terminal before the app takes it over pass the terminal's cooked mode, which turns the
scanner's Enter (CR) into a newline (LF): the app then reads the digits and a ctrl+j, not an Enter. The
scan field takes that newline as the end of the scan. Skipped where tmux is not installed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.pool import NullPool

from examops.adapters.store import schema
from examops.services.demo import DEMO_WITHOUT_PHOTO

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")

EXAMOPS = sys.executable.rsplit("/", 1)[0] + "/examops"
WAIT_S = 60.0  # a bound for a slow shared machine, not a speed requirement
TICKET = DEMO_WITHOUT_PHOTO[0]  # in the sample roster; the demo's photos make its card wait for Enter all the same


def tmux(*args: str) -> str:
    return subprocess.run(["tmux", *args], capture_output=True, text=True, check=True).stdout


def wait_for(condition, what: str) -> None:  # noqa: ANN001
    deadline = time.monotonic() + WAIT_S
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def test_a_ticket_and_enter_typed_before_the_gate_is_up_are_checked_once(tmp_path):
    session = f"examops-early-{uuid.uuid4().hex[:8]}"
    store = tmp_path / f"examops-demo-{os.getuid()}" / "demo.sqlite3"
    env = f"TMPDIR={tmp_path} EXAMOPS_HOME={tmp_path / 'home'} EXAMOPS_CLOCK=2021-10-16T08:05"
    tmux("new-session", "-d", "-s", session, "-x", "80", "-y", "24", f"env {env} {EXAMOPS} demo --lang zh-CN")
    try:
        tmux("send-keys", "-t", session, "-l", TICKET)  # the process has only just started: still in cooked mode
        tmux("send-keys", "-t", session, "Enter")
        pane = lambda: tmux("capture-pane", "-p", "-t", session)  # noqa: E731
        wait_for(lambda: "本场统计" in pane(), "the gate screen")
        wait_for(lambda: "人证核验" in pane() and TICKET in pane(), "the early scan's card, waiting for Enter")
        tmux("send-keys", "-t", session, "Enter")  # the staffer confirms the card
        engine = create_engine(f"sqlite:///{store}", poolclass=NullPool)

        def scans() -> list[tuple[str, str]]:
            with engine.connect() as conn:
                return [tuple(row) for row in conn.execute(select(schema.events.c.kind, schema.events.c.ticket).where(
                    schema.events.c.lane.is_not(None)).order_by(schema.events.c.pos))]

        wait_for(lambda: scans(), "the admission")
        wait_for(lambda: "已入场 1" in pane(), "the figures")
        assert scans() == [("admitted", TICKET)]  # once: no second scan, no empty or glued one
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)
