"""The gate's side panels after each scan: the roster's expected counts are counted once per roster, not at every
recount (issue 15, the tail of scan → card: they were the costliest part of the recount that follows a card)."""

from __future__ import annotations

from examops.tui.widgets.panels import CountersPanel
from tests.support.gate import SIZE, gate_of, make_app, wedge
from tests.support.roster_counts import counted_seats, import_people
from tests.support.tui import run_async, until


@run_async
async def test_the_recount_after_a_scan_counts_the_roster_only_after_an_import(site, tmp_path, monkeypatch):
    people = import_people(site, tmp_path, 60)
    seats = counted_seats(monkeypatch)
    app = make_app(site)
    async with app.run_test(size=SIZE) as pilot:
        gate = gate_of(app)
        figures = gate.query_one(CountersPanel)
        await until(pilot, lambda: gate.idle and figures.shown is not None)
        assert seats == ["S1"] and figures.shown[:2] == (60, 0)  # the first figures count the seats
        for admitted, person in enumerate(people[:3], start=1):
            wedge(app, person.ticket)
            await until(pilot, lambda n=admitted: gate.idle and figures.shown[1] == n)  # each scan is folded in
        assert seats == ["S1"]
        import_people(site, tmp_path, 90)  # 30 more candidates, from the roster screen or another laptop
        await until(pilot, lambda: gate.idle and figures.shown[0] == 90)  # the watcher's recount sees the import
        assert figures.shown[:2] == (90, 3)
    assert seats == ["S1", "S1"]
