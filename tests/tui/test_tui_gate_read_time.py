"""The gate judges a queued burst as of when each scan was read: read before the cutoff, admitted after it."""

from __future__ import annotations

from tests.conftest import at_local
from tests.support.gate import admitted_tickets, gate_of, make_app, open_lane, wedge
from tests.support.tui import run_async, until
from tests.tui.test_tui_gate_tail import bursts_checked, cards_shown, first_check_held


@run_async
async def test_a_burst_read_before_entry_closes_is_admitted_though_committed_after(seeded_site, monkeypatch):
    people = seeded_site.people[10:14]
    app = make_app(seeded_site, when="2021-10-16T08:59:59.900000")  # entry closes at 09:00
    async with open_lane(app) as pilot:
        gate = gate_of(app)
        shown = cards_shown(gate, monkeypatch)
        bursts = bursts_checked(gate, monkeypatch)
        with first_check_held(gate, monkeypatch) as held:
            wedge(app, people[0].ticket)
            await until(pilot, lambda: gate.pending_scans == 1 and held)
            wedge(app, *(p.ticket for p in people[1:]))
            await until(pilot, lambda: gate.pending_scans == len(people))
            at_local(seeded_site, "2021-10-16T09:00:00.200000")  # the lane commits them after the cutoff
        await until(pilot, lambda: gate.idle and len(shown) == len(people))
    assert bursts == [[p.ticket for p in people[1:]]]  # still one group commit
    assert [verdict for _code, verdict, _recorded in shown] == ["admitted"] * len(people)
    assert admitted_tickets(seeded_site) == [p.ticket for p in people]
