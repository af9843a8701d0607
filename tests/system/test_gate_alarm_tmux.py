"""The gate's alarm in a real terminal (tmux), at a wedge scanner's speed, in Chinese at 80×24: an exit key sent right
behind a burst does not cover its duplicate, a locked store's NOT RECORDED card names the tickets, and the bell
(counted by tmux's alert-bell hook) rings when the burst's alarms are recorded, not again when a waiting one is drawn.

The lane is `examops gate --confirm never` on the demo's store (each scan recorded as it comes, as on a site without
photos); a ticket admitted at lane B beforehand makes its scan here a duplicate. Skipped where tmux is not installed.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess

import pytest

from tests.support.tmux import EXAMOPS, needs_tmux, pane, tmux, wait_for

pytestmark = needs_tmux

FIRST, TWIN, OTHER_TWIN, LAST = "21150054251571", "21150054251574", "21150054251575", "21150054251573"
DUPLICATE = "疑似替考"  # the duplicate card's line: possible impersonation, call the chief proctor


@pytest.fixture
def demo(tmp_path):
    """The demo's store, with TWIN and OTHER_TWIN already admitted at lane B; (env, store file)."""
    env = {**os.environ, "TMPDIR": str(tmp_path), "EXAMOPS_HOME": str(tmp_path / "home"),
           "EXAMOPS_CLOCK": "2021-10-16T08:05"}
    subprocess.run([str(EXAMOPS), "demo", "--no-ui"], env=env, check=True, capture_output=True)
    store = tmp_path / f"examops-demo-{os.getuid()}" / "demo.sqlite3"
    for ticket in (TWIN, OTHER_TWIN):
        subprocess.run([str(EXAMOPS), "--db", str(store), "check", ticket, "--lane", "B", "--staff", "s2"],
                       env=env, check=True, capture_output=True)
    return env, store


def gate_command(env: dict, store) -> str:  # noqa: ANN001
    keep = " ".join(f"{key}={env[key]}" for key in ("TMPDIR", "EXAMOPS_HOME", "EXAMOPS_CLOCK"))
    return f"env {keep} {EXAMOPS} --db {store} gate --lane A --staff demo --confirm never --lang zh-CN"


def count_bells(gate, path) -> None:  # noqa: ANN001
    tmux("set-option", "-t", gate.session, "monitor-bell", "on")
    tmux("set-option", "-t", gate.session, "bell-action", "any")
    tmux("set-hook", "-t", gate.session, "alert-bell", f'run-shell "echo bell >> {path}"')


def bells(path) -> int:  # noqa: ANN001
    return path.read_text().count("bell") if path.exists() else 0


def kinds(store) -> list[str]:  # noqa: ANN001
    with sqlite3.connect(store) as conn:
        return [row[0] for row in conn.execute("SELECT kind FROM events WHERE lane = 'A' ORDER BY pos")]


def test_ctrl_l_right_behind_a_burst_does_not_cover_its_duplicate(demo):
    env, store = demo
    with pane(gate_command(env, store), name="examops-alarm-exit") as gate:
        gate.wait_for_text("本场统计", what="the gate screen")
        for ticket in (FIRST, TWIN, LAST):
            gate.scan(ticket)
        gate.send("C-l")  # a staffer's exit key, a moment after the scanner's burst
        gate.wait_for_text(DUPLICATE, "另有 1 次扫描", what="the duplicate, the last card waiting behind it")
        wait_for(lambda: len(kinds(store)) == 3, "the burst recorded")
        assert "原因 *" not in gate.text()  # no exit form over the alarm
        gate.send("C-l")  # with the alarm on screen: refused, the alarm stays
        gate.wait_for_text("请先按 Esc", what="the word that refuses the exit key")
        assert "原因 *" not in gate.text() and DUPLICATE in gate.text()
        gate.send("Escape")  # the alarm seen: the card waiting behind it
        gate.wait_for_text("准予入场", LAST, what="the last card of the burst")
        gate.send("C-l")
        gate.wait_for_text("原因 *", what="the exit form, now that the alarm was seen")
    assert sorted(kinds(store)) == ["admitted", "admitted", "duplicate_scan"]


def test_the_bell_rings_when_the_bursts_duplicates_are_recorded_and_not_again_on_esc(demo, tmp_path):
    env, store = demo
    rung = tmp_path / "bells.txt"
    with pane(gate_command(env, store), name="examops-alarm-bell") as gate:
        gate.wait_for_text("本场统计", what="the gate screen")
        count_bells(gate, rung)
        for ticket in (FIRST, TWIN, OTHER_TWIN, LAST):
            gate.scan(ticket)
        gate.wait_for_text(DUPLICATE, "另有 2 次扫描", what="the first duplicate, two cards waiting")
        wait_for(lambda: len(kinds(store)) == 4 and bells(rung) >= 1, "the burst recorded and its bell")
        gate.send("Escape")  # the second duplicate, recorded with the burst: drawn now
        gate.wait_for_text(DUPLICATE, OTHER_TWIN, what="the second duplicate")
        gate.send("Escape")
        gate.wait_for_text("准予入场", LAST, what="the last card")
        assert bells(rung) == 1  # one bell, when the alarms were recorded; none when a waiting one was drawn
        gate.scan(TWIN)  # typed after the last card was seen: a new alarm, its own bell
        wait_for(lambda: bells(rung) == 2, "the new duplicate's bell")


def test_a_locked_store_names_the_tickets_it_did_not_record(demo):
    """Another program holds the store's write lock: each NOT RECORDED card names its tickets (a burst's, all on one
    card); a card waiting behind one is not said to be recorded. Esc goes through them until all three were named."""
    env, store = demo
    tickets = (FIRST, LAST, "21150054251576")
    named: set[str] = set()
    with pane(gate_command(env, store), name="examops-alarm-locked") as gate:
        gate.wait_for_text("本场统计", what="the gate screen")
        holder = sqlite3.connect(store, isolation_level=None)
        holder.execute("BEGIN EXCLUSIVE")
        try:
            for ticket in tickets:
                gate.scan(ticket)
            for _card in tickets:  # the lane may take the first scan alone or all three as one burst
                gate.wait_for_text("未记录，请重新扫描：", what="a not-recorded card naming whom to re-scan")
                wait_for(lambda: "核验中" not in gate.text() or "另有" in gate.text(), "the checks behind it")
                text = gate.text()
                assert "已记录待显示" not in text  # the cards behind a not-recorded one are not recorded either
                card = {ticket for ticket in tickets if ticket in text}
                assert card, text
                named |= card
                if named == set(tickets):
                    break
                gate.wait_for_text("另有", what="the note that more cards wait")
                gate.send("Escape")
                wait_for(lambda: {t for t in tickets if t in gate.text()} - card, "the next card")
            assert "锁定" in gate.text()  # and why: the store was locked
        finally:
            holder.execute("ROLLBACK")
            holder.close()
    assert named == set(tickets) and kinds(store) == []
