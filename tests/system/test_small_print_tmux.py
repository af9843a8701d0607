"""The small print in a real terminal (tmux, 80×24, zh-CN): Chinese then Tab at once in the approval dialog,
and a Chinese toast across the gate's column edge drawn whole.

Skipped where tmux is not installed. `examops demo` runs in its own temp dir; keys go in
with `send-keys`, the store is read afterwards.
"""

from __future__ import annotations

import json
import os

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.pool import NullPool

from examops.adapters.store import schema
from tests.support.tmux import EXAMOPS, needs_tmux, pane, wait_for

pytestmark = needs_tmux

DEMO_PIN = "3917"


@pytest.fixture
def demo(tmp_path):
    """The demo's lane in a tmux pane: (send, pane text, the store's engine, the pane)."""
    env = f"TMPDIR={tmp_path} EXAMOPS_HOME={tmp_path / 'home'} EXAMOPS_CLOCK=2021-10-16T08:05"
    with pane(f"env {env} {EXAMOPS} demo --lang zh-CN", name="examops-print") as gate:
        gate.wait_for_text("查找", "代码", what="the gate screen")  # the footer
        store = tmp_path / f"examops-demo-{os.getuid()}" / "demo.sqlite3"
        yield gate.send, gate.text, create_engine(f"sqlite:///{store}", poolclass=NullPool), gate


def _first_ticket(engine) -> str:  # noqa: ANN001
    with engine.connect() as conn:
        return conn.execute(select(schema.candidates.c.ticket).order_by(schema.candidates.c.ticket).limit(1)).scalar_one()


def test_chinese_name_then_tab_at_once_keeps_name_and_note_apart(demo):
    send, pane, engine, _gate = demo
    send("-l", _first_ticket(engine))
    send("F7")  # fever: hold, the chief approves
    wait_for(lambda: "首次体温" in pane(), "the fever form")
    send("-l", "38.5")
    send("Enter")
    wait_for(lambda: "请扫描下一位考生" in pane() or "待审批" in pane(), "the held candidate")
    send("C-t")
    wait_for(lambda: "总监考密码" in pane(), "the PIN dialog")
    send("-l", DEMO_PIN)
    send("Enter")
    wait_for(lambda: "待审批 1" in pane(), "the review screen")
    send("a")
    wait_for(lambda: "审批人姓名" in pane(), "the approval dialog")
    # The name, Tab and the note in one write to the terminal, as an input method and a quick hand make them.
    send("-l", "赵组长\t电话批准")
    send("Enter")
    wait_for(lambda: "总监考密码" in pane(), "the PIN dialog")
    send("-l", DEMO_PIN)
    send("Enter")

    def approvals() -> list[dict]:
        with engine.connect() as conn:
            return [json.loads(row[0]) for row in conn.execute(
                select(schema.events.c.payload).where(schema.events.c.kind == "approved"))]

    wait_for(lambda: bool(approvals()), "the approval")
    assert (approvals()[0]["by"], approvals()[0]["note"]) == ("赵组长", "电话批准")


def test_a_chinese_hint_toast_across_the_column_edge_is_drawn_whole(demo):
    send, pane, _engine, _gate = demo
    send("Enter")  # nothing on the card to admit: a hint toast at the bottom right
    hint = "卡片上没有可入场的考生：请先扫描或查找"
    wait_for(lambda: "卡片上" in pane(), "the hint")
    # the toast lies over the side panel (24 columns at 80): its lines, read in order, are the whole hint
    toast = "".join(line.split("▌", 1)[1] for line in pane().splitlines() if "▌" in line)
    assert hint in toast.replace(" ", ""), pane()
