"""The photo at a real terminal (tmux): half-blocks drawn inside tmux, the card waits for Enter, Sixel data goes out.

Skipped where tmux is not installed. The store is set up through the services (roster seeded, photos
imported through the real import), then `examops gate` runs in an 80×24 pane with its own environment.
tmux answers for itself, so the gate draws half-blocks there; `EXAMOPS_PHOTO=sixel` forces Sixel, whose
data tmux 3.3 does not draw but the pane's raw output (`pipe-pane`) still carries.
"""

from __future__ import annotations

import os

from sqlalchemy import create_engine, select
from sqlalchemy.pool import NullPool

from examops.adapters.store import schema
from tests.support.photos import give_photos
from tests.support.tmux import EXAMOPS, needs_tmux, pane, tmux, wait_for
from tests.support.tui import store_url  # noqa: F401 (a fixture: SQLite, a file the pane can open)

pytestmark = needs_tmux


def admitted(url: str) -> list[str]:
    engine = create_engine(url, poolclass=NullPool)
    with engine.connect() as conn:
        return [row[0] for row in conn.execute(select(schema.events.c.ticket).where(schema.events.c.kind == "admitted"))]


def gate_command(url: str, extra_env: str = "") -> str:
    env = f"EXAMOPS_HOME={os.environ['EXAMOPS_HOME']} EXAMOPS_CLOCK=2021-10-16T08:10 {extra_env}"
    return f"env {env} {EXAMOPS} --db {url} gate --lane A --staff 安检员1 --lang zh-CN"


def test_inside_tmux_the_photo_is_drawn_in_half_blocks_and_enter_admits(seeded_site, store_url):  # noqa: F811
    person = seeded_site.people[0]
    give_photos(seeded_site, [p.ticket for p in seeded_site.people[:5]])
    with pane(gate_command(store_url), name="examops-photo") as gate:
        gate.wait_for_text("扫描准考证", what="the gate screen")
        gate.scan(person.ticket)
        wait_for(lambda: "人证核验" in gate.text() and "▀" * 10 in gate.text(), "the card with the photo")
        assert person.ticket in gate.text()
        assert admitted(store_url) == []  # waiting for the staffer
        gate.send("Enter")
        wait_for(lambda: admitted(store_url) == [person.ticket], "the admission")
        gate.wait_for_text("已入场 1", what="the figures")


def test_a_forced_sixel_terminal_gets_the_photo_as_sixel_data(seeded_site, store_url, tmp_path):  # noqa: F811
    person = seeded_site.people[1]
    give_photos(seeded_site, [person.ticket])
    raw = tmp_path / "pane.raw"
    with pane(gate_command(store_url, "EXAMOPS_PHOTO=sixel"), name="examops-photo") as gate:
        tmux("pipe-pane", "-t", gate.session, "-o", f"cat >> {raw}")
        gate.wait_for_text("扫描准考证", what="the gate screen")
        gate.scan(person.ticket)
        gate.wait_for_text("人证核验", what="the waiting card")
        wait_for(lambda: b"\x1bP" in raw.read_bytes() and b"\x1b\\" in raw.read_bytes(), "Sixel data in the output")
        data = raw.read_bytes()
        start = data.index(b"\x1bP")
        assert b"q" in data[start:start + 12] and b'"1;1;' in data[start:start + 40]  # a Sixel header with its size
        assert "▀" * 10 not in gate.text()  # no half-blocks besides
