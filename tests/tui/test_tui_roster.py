"""The roster overview: room counts from the store, a bounded search, the way back to the lane."""

from __future__ import annotations

from examops.tui.app import ExamopsApp
from examops.tui.screens.gate import GateScreen
from examops.tui.screens.roster import RESULT_LIMIT, RosterScreen
from tests.conftest import at_local
from tests.support.tui import run_async, screen_text, store_url, until  # noqa: F401 (store_url is a fixture)
from tests.tui.test_tui_gate import SIZE, make_app, scan, settle


def roster_app(site, lang="en") -> ExamopsApp:
    at_local(site, "2021-10-16T08:10")
    app = ExamopsApp(site, mode="roster", lang=lang)
    app.animation_level = "none"
    return app


def _rows(table) -> list[list[str]]:
    return [[str(cell) for cell in table.get_row(key)] for key in table.rows]


@run_async
async def test_roster_mode_counts_rooms_per_session(seeded_site):
    app = roster_app(seeded_site)
    async with app.run_test(size=SIZE) as pilot:
        rooms = app.screen.query_one("#roster-rooms")
        await until(pilot, lambda: rooms.row_count == 6)
        rows = _rows(rooms)
        assert rows[0][:3] == ["001", "001", "regular"]
        assert rows[0][3:] == ["0/30", "0/30"]
        assert [row[:3] for row in rows[4:]] == [["B01", "备用考场一", "backup"], ["G01", "隔离考场", "isolation"]]
        assert "S1 试卷一" in screen_text(app) and "S2 试卷二" in screen_text(app)


@run_async
async def test_search_is_bounded_and_masks_ids(seeded_site):
    tickets = [p.ticket for p in seeded_site.people]
    prefix = next(tickets[0][:n] for n in range(13, 7, -1) if sum(t.startswith(tickets[0][:n]) for t in tickets) > RESULT_LIMIT)
    app = roster_app(seeded_site)
    async with app.run_test(size=SIZE) as pilot:
        results = app.screen.query_one("#roster-results")
        await pilot.press(*prefix)
        await until(pilot, lambda: results.row_count == RESULT_LIMIT)
        first = seeded_site.people[0]
        await pilot.press("ctrl+u", *first.name)
        await until(pilot, lambda: first.ticket in [str(k.value) for k in results.rows])
        row = results.get_row(first.ticket)
        assert str(row[3]) == first.id_number[:6] + "********" + first.id_number[-4:]
        assert first.id_number not in screen_text(app)


@run_async
async def test_roster_is_reached_from_the_gate_and_back(seeded_site):
    person = seeded_site.people[0]
    app = make_app(seeded_site)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await scan(pilot, person.ticket)
        await pilot.press("f11")
        await until(pilot, lambda: isinstance(app.screen, RosterScreen))
        rooms = app.screen.query_one("#roster-rooms")
        await until(pilot, lambda: rooms.row_count == 6)
        assert _rows(rooms)[0][3] == "1/30"
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, GateScreen))
        assert app.screen.scan_input.has_focus
        await pilot.press("ctrl+r")
        await until(pilot, lambda: isinstance(app.screen, RosterScreen))
        await pilot.press("ctrl+r")
        await until(pilot, lambda: isinstance(app.screen, GateScreen))


@run_async
async def test_roster_labels_in_chinese(seeded_site):
    app = roster_app(seeded_site, lang="zh-CN")
    async with app.run_test(size=SIZE) as pilot:
        rooms = app.screen.query_one("#roster-rooms")
        await until(pilot, lambda: rooms.row_count == 6)
        text = screen_text(app)
        assert "考场总览" in text and "常规" in text and "查找考生" in text


@run_async
async def test_roster_import_from_the_app_shows_progress_and_refreshes_rooms(site):
    from examops.services.site import status
    from examops.tui.widgets.roster_import import RosterImportModal
    from tests.conftest import ROOT

    app = roster_app(site)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f2")
        await until(pilot, lambda: isinstance(app.screen, RosterImportModal))
        app.screen.query_one("#import-paths").value = str(ROOT / "rosters" / "sample_roster.xlsx")
        await pilot.press("enter")
        await until(pilot, lambda: not isinstance(app.screen, RosterImportModal))
        rooms = app.screen.query_one("#roster-rooms")
        await until(pilot, lambda: rooms.row_count == 12 + 2)
        assert any("Imported 360 candidates" in n.message for n in app._notifications)
    assert status(site)["candidates"] == 360


@run_async
async def test_roster_import_of_a_bad_file_says_why_and_imports_nothing(site, tmp_path):
    from examops.services.site import status
    from examops.tui.widgets.roster_import import RosterImportModal

    bad = tmp_path / "roster.xls"
    bad.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")  # a web page saved as .xls now imports; a PDF never does
    app = roster_app(site)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f2")
        await until(pilot, lambda: isinstance(app.screen, RosterImportModal))
        app.screen.query_one("#import-paths").value = str(bad)
        await pilot.press("enter")
        await until(pilot, lambda: not isinstance(app.screen, RosterImportModal))
        await until(pilot, lambda: any(n.severity == "error" for n in app._notifications))
        assert any("nothing imported" in n.message and "PDF" in n.message for n in app._notifications)
    assert status(site)["candidates"] == 0
