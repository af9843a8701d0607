"""The gate in a real terminal (tmux), at a wedge scanner's speed: six tickets, each + Enter, no gap; the demo's
photos make each card wait for the staffer's Enter, the rest queue in order.

Skipped where tmux is not installed. The gate is `examops demo` in zh-CN on an
80×24 pane with its own temp dir; the keys go in with `send-keys -l` and
`Enter` back to back, and the store is read afterwards.
"""

from __future__ import annotations

import os
import time

from sqlalchemy import create_engine, select
from sqlalchemy.pool import NullPool

from examops.adapters.store import schema
from examops.services.demo import DEMO_PIN
from tests.support.tmux import EXAMOPS, needs_tmux, pane, wait_for

pytestmark = needs_tmux


def demo_command(tmp_path) -> str:  # noqa: ANN001
    env = f"TMPDIR={tmp_path} EXAMOPS_HOME={tmp_path / 'home'} EXAMOPS_CLOCK=2021-10-16T08:05"
    return f"env {env} {EXAMOPS} demo --lang zh-CN"


def test_six_tickets_at_wedge_speed_queue_and_six_enters_admit_them_in_order(tmp_path):
    store = tmp_path / f"examops-demo-{os.getuid()}" / "demo.sqlite3"
    with pane(demo_command(tmp_path), name="examops-burst") as gate:
        gate.wait_for_text("本场统计", what="the gate screen")
        engine = create_engine(f"sqlite:///{store}", poolclass=NullPool)
        with engine.connect() as conn:
            tickets = [row[0] for row in conn.execute(
                select(schema.candidates.c.ticket).order_by(schema.candidates.c.ticket).limit(6))]
        started = time.monotonic()
        for ticket in tickets:
            gate.scan(ticket)

        def admitted() -> list[str]:
            with engine.connect() as conn:
                return [row[0] for row in conn.execute(select(schema.events.c.ticket).where(
                    schema.events.c.kind == "admitted").order_by(schema.events.c.pos))]

        # the demo has photos: each card waits for the staffer, the other scans queue behind it in order
        wait_for(lambda: "排队 5" in gate.text() and tickets[0] in gate.text(), "the first card, five scans waiting")
        assert admitted() == []
        for count, ticket in enumerate(tickets, 1):
            gate.wait_for_text(ticket, "人证核验", what=f"the card of {ticket}")
            gate.send("Enter")
            wait_for(lambda: len(admitted()) >= count, f"admission {count}")
        drained = time.monotonic() - started
        gate.wait_for_text("已入场 6", what="the figures")
        with engine.connect() as conn:
            kinds = [row[0] for row in conn.execute(select(schema.events.c.kind).where(
                schema.events.c.kind.not_in(("roster_imported", "device_enrolled", "plan_set", "photos_imported"))))]  # what the scans wrote
        print(f"tmux burst: typed {len(tickets)}, recorded {len(admitted())}, drained in {drained:.2f}s")
        assert admitted() == tickets
        assert kinds == ["admitted"] * len(tickets)  # no glued invalid scan, no duplicate


def test_exit_keys_in_a_real_terminal_leave_return_and_leave_for_good(tmp_path):
    """Ctrl+L and Ctrl+G as a terminal sends them (form feed, bell), Chinese reasons typed in, scans at wedge speed."""
    store = tmp_path / f"examops-demo-{os.getuid()}" / "demo.sqlite3"
    with pane(demo_command(tmp_path), name="examops-exits") as gate:
        gate.wait_for_text("本场统计", what="the gate screen")
        engine = create_engine(f"sqlite:///{store}", poolclass=NullPool)
        with engine.connect() as conn:
            ticket = conn.execute(select(schema.candidates.c.ticket).order_by(schema.candidates.c.ticket).limit(1)).scalar_one()

        def kinds() -> list[str]:
            with engine.connect() as conn:
                return [row[0] for row in conn.execute(select(schema.events.c.kind).where(
                    schema.events.c.ticket == ticket).order_by(schema.events.c.pos))]

        def leave(key: str, reason: str) -> None:
            gate.send(key)
            gate.wait_for_text("原因 *", what="the exit form")
            gate.type(reason)
            gate.send("Enter")

        def admit() -> None:  # the demo has photos: the card waits for Enter after the face is checked
            gate.scan(ticket)
            gate.wait_for_text(ticket, "人证核验", what="the card with the photo")
            gate.send("Enter")

        def leave_early() -> None:  # 08:05: before S1 allows it (09:00), the chief proctor authorises it with the PIN
            leave("C-g", "突发疾病")
            gate.wait_for_text("授权人（总监考）", "09:00 起方可提前离场", what="the chief's authorisation")
            gate.type("王总监")
            gate.send("Tab")
            gate.type(DEMO_PIN)
            gate.send("Enter")

        scan = lambda: gate.scan(ticket)  # noqa: E731
        steps = [(admit, ["admitted"]), (lambda: leave("C-l", "如厕"), ["admitted", "left"]),
                 (admit, ["admitted", "left", "returned"]), (leave_early, ["admitted", "left", "returned", "left"]),
                 (scan, ["admitted", "left", "returned", "left", "reentry_refused"])]
        for step, expected in steps:
            step()
            wait_for(lambda: kinds() == expected, " then ".join(expected))
        gate.wait_for_text("不得再次入场", what="the no re-entry verdict")
