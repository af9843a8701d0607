"""`examops review` and `examops report view` in a real terminal (tmux): the PIN modal first, as Ctrl+T/Ctrl+B do.

Skipped where tmux is not installed. A wrong PIN ends the command with exit status 1 and the reason in
Chinese, and is logged; the right one opens the screen.
"""

from __future__ import annotations

import shutil
import subprocess
import uuid

import pytest
from sqlalchemy import create_engine, func, select
from sqlalchemy.pool import NullPool

from examops.adapters.store import schema
from tests.conftest import SAMPLE_PLAN, TEST_PIN
from tests.system.test_gate_tmux import EXAMOPS, tmux, wait_for

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


@pytest.fixture
def store(tmp_path):
    home = tmp_path / "home"
    env = {"EXAMOPS_HOME": str(home), "EXAMOPS_PIN": TEST_PIN, "PATH": str(EXAMOPS.parent) + ":/usr/bin:/bin"}
    subprocess.run([str(EXAMOPS), "init", "--plan", str(SAMPLE_PLAN)], env=env, check=True, capture_output=True)
    return home


def refused(home) -> int:  # noqa: ANN001
    engine = create_engine(f"sqlite:///{home / 'examops.sqlite3'}", poolclass=NullPool)
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(schema.events).where(schema.events.c.kind == "pin_refused")).scalar()


@pytest.mark.parametrize(("command", "opened"), [("review", "异常审批"), ("report view", "各考场到考情况")])
def test_the_command_asks_the_pin_in_the_terminal(store, command, opened):
    session = f"examops-lock-{uuid.uuid4().hex[:8]}"
    env = f"EXAMOPS_HOME={store} EXAMOPS_CLOCK=2021-10-16T08:40"
    pane = lambda: tmux("capture-pane", "-p", "-t", session)  # noqa: E731
    try:
        tmux("new-session", "-d", "-s", session, "-x", "100", "-y", "30",
             f"env {env} {EXAMOPS} {command} --lang zh-CN; echo EXIT=$?; sleep 60")
        wait_for(lambda: "总监考密码" in pane(), "the PIN modal")
        tmux("send-keys", "-t", session, "-l", "0000")
        wait_for(lambda: "••••" in pane(), "the masked PIN")
        tmux("send-keys", "-t", session, "Enter")
        wait_for(lambda: "EXIT=1" in pane(), "the refusal")
        assert "未执行：密码错误（此次尝试已记录）" in pane()
        assert refused(store) == 1
        tmux("kill-session", "-t", session)
        tmux("new-session", "-d", "-s", session, "-x", "100", "-y", "30",
             f"env {env} {EXAMOPS} {command} --lang zh-CN; echo EXIT=$?; sleep 60")
        wait_for(lambda: "总监考密码" in pane(), "the PIN modal")
        tmux("send-keys", "-t", session, "-l", TEST_PIN)
        wait_for(lambda: "••••" in pane(), "the masked PIN")
        tmux("send-keys", "-t", session, "Enter")
        wait_for(lambda: opened in pane() and "总监考密码" not in pane(), "the screen")
        assert refused(store) == 1
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)
