"""`examops review` and `examops report view` in a real terminal (tmux): the PIN modal first, as Ctrl+T/Ctrl+B do.

Skipped where tmux is not installed. A wrong PIN ends the command with exit status 1 and the reason in
Chinese, and is logged; the right one opens the screen.
"""

from __future__ import annotations

import subprocess

import pytest
from sqlalchemy import create_engine, func, select
from sqlalchemy.pool import NullPool

from examops.adapters.store import schema
from tests.conftest import SAMPLE_PLAN, TEST_PIN
from tests.support.tmux import EXAMOPS, needs_tmux, pane, wait_for

pytestmark = needs_tmux


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
    line = f"env EXAMOPS_HOME={store} EXAMOPS_CLOCK=2021-10-16T08:40 {EXAMOPS} {command} --lang zh-CN; echo EXIT=$?; sleep 60"
    with pane(line, size=(100, 30), name="examops-lock") as screen:
        screen.wait_for_text("总监考密码", what="the PIN modal")
        screen.type("0000")
        screen.wait_for_text("••••", what="the masked PIN")
        screen.send("Enter")
        screen.wait_for_text("EXIT=1", what="the refusal")
        assert "未执行：密码错误（此次尝试已记录）" in screen.text()
        assert refused(store) == 1
    with pane(line, size=(100, 30), name="examops-lock") as screen:
        screen.wait_for_text("总监考密码", what="the PIN modal")
        screen.type(TEST_PIN)
        screen.wait_for_text("••••", what="the masked PIN")
        screen.send("Enter")
        wait_for(lambda: opened in screen.text() and "总监考密码" not in screen.text(), "the screen")
        assert refused(store) == 1
