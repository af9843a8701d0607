"""What a scan leaves on the gate's heap, counted, never timed: the collector's full passes walk every object not
frozen, and one falling in a scan's frame was the tail of scan → card (issue 15, gatetail5)."""

from __future__ import annotations

import gc

from textual.app import App

from examops.services import bulk_work
from examops.tui.widgets.plain import DataTable
from tests.support.gate import SIZE, gate_of, make_app, wedge
from tests.support.tui import run_async, until


def stale_entries(table) -> dict[str, int]:  # noqa: ANN001
    """Per cache of the table's rendered rows, cells and lines: its entries drawn at an update count not the table's
    own (Textual keys them by it, so none of them can be drawn again)."""
    count = table._update_count
    caches = {"lines": (table._line_cache, -2), "rows": (table._row_render_cache, -2),
              "cells": (table._cell_render_cache, -2), "renderables": (table._row_renderable_cache, 0)}
    return {name: sum(key[at] != count for key in cache.keys()) for name, (cache, at) in caches.items()}


class OneTable(App):
    def compose(self):  # noqa: ANN201
        yield DataTable(id="table")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column("time", key="time")
        table.add_column("verdict", key="verdict")
        for index in range(30):
            table.add_row(f"08:{index:02d}", "admitted", key=str(index))


@run_async
async def test_a_table_keeps_no_rows_drawn_before_its_last_change():
    """The gate's recent scans change cells on every scan: what was drawn before is freed at once, never left in
    the caches (1,000 lines, 10,000 cells) for the collector to walk."""
    app = OneTable()
    async with app.run_test(size=(60, 20)) as pilot:
        table = app.query_one(DataTable)
        for scan in range(6):
            table.update_cell(str(scan), "verdict", "duplicate")
            await pilot.pause(0.05)
            assert len(table._line_cache) > 0  # the rows in sight are drawn (and kept for the next frame)
            assert stale_entries(table) == {"lines": 0, "rows": 0, "cells": 0, "renderables": 0}
        assert str(table.get_cell("5", "verdict")) == "duplicate"


def tracked(obj: object) -> bool:
    return any(other is obj for generation in range(3) for other in gc.get_objects(generation))


@run_async
async def test_what_the_lane_made_at_its_start_is_frozen_once_its_first_figures_are_drawn(seeded_site, monkeypatch):
    monkeypatch.setattr(bulk_work, "_paused_by", None)
    monkeypatch.setattr(bulk_work, "_lane_to_freeze", False, raising=False)
    was_enabled = gc.isenabled()
    bulk_work.pause_collection_for_start()  # as `examops gate` does before anything else
    try:
        app = make_app(seeded_site)
        async with app.run_test(size=SIZE) as pilot:
            await until(pilot, lambda: gate_of(app).idle and gate_of(app)._panels is not None)
            await pilot.pause()
            gate = gate_of(app)
            assert gc.isenabled()
            assert not tracked(gate.lane) and not tracked(gate.site)  # made after the first frame, frozen since
            wedge(app, seeded_site.people[7].ticket)
            await until(pilot, lambda: gate.idle and gate.last_verdict is not None)
            assert gate.last_verdict.verdict == "admitted"
    finally:
        gc.unfreeze()
        (gc.enable if was_enabled else gc.disable)()
