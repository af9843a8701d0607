"""Text from data is text: names, staff, notes and scans with markup or control characters, on every screen.

The roster goes in through the import service (an xlsx cannot hold ESC and the
import folds newlines, so those names are written to the store directly, as a
store made elsewhere could hold them);
the staff name and the notes come in through the gate and the lane.
"""

from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import update

from examops import sample
from examops.adapters.store import schema
from examops.services.gate import Lane
from examops.services.roster import import_roster
from examops.tui.app import ExamopsApp
from examops.tui.screens.gate import GateScreen
from tests.conftest import at_local
from tests.support.tui import run_async, screen_text, store_url, until  # noqa: F401 (store_url is a fixture)

SIZE = (120, 40)
IMPORTED = ("[/]", "王[b]五", "\u202e张三", "Wang[/b]")
STORED = ("\x1b[2J李四", "赵\n六")  # an xlsx cannot hold ESC, and the import folds a newline away
NASTY = IMPORTED + STORED
SHOWN = ("[/]", "王[b]五", "\\u202e张三", "Wang[/b]", "\\x1b[2J李四", "赵\\n六")
STAFF = "[/]\x1b[2J安检员"
NOTE = "[b]备注\x1b[2J\u202e"
RAW_CONTROLS = ("\x1b", "\u202e", "\x07")


@pytest.fixture
def nasty_site(site, tmp_path):
    people = sample.synthetic_people(60)
    people = [dataclasses.replace(p, name=IMPORTED[i]) if i < len(IMPORTED) else p for i, p in enumerate(people)]
    sample.write_roster_xlsx(tmp_path / "roster.xlsx", people, rooms=2)
    assert import_roster(site, [tmp_path / "roster.xlsx"]).imported
    with site.store.write() as conn:  # what the import cannot carry, a store made elsewhere may hold
        for offset, name in enumerate(STORED):
            ticket = people[len(IMPORTED) + offset].ticket
            conn.execute(update(schema.candidates).where(schema.candidates.c.ticket == ticket).values(name=name))
    site.people = people[:len(NASTY)]
    at_local(site, "2021-10-16T08:10")
    lane = Lane(site, "B", STAFF)
    lane.check(site.people[0].ticket, session_id="S1")
    lane.check(site.people[1].ticket, session_id="S1", outcome="other", evidence={"note": NOTE})
    lane.check(site.people[2].ticket, session_id="S1", outcome="id_mismatch")
    lane.check(site.people[0].ticket, session_id="S1")  # a duplicate alarm naming the staff
    return site


def app_for(site, mode: str, **kwargs) -> ExamopsApp:
    at_local(site, "2021-10-16T08:10")
    kwargs.setdefault("staff", STAFF)
    if mode in ("review", "report"):
        kwargs.setdefault("pin_checked", True)
    app = ExamopsApp(site, mode=mode, lang="zh-CN", **kwargs)
    app.animation_level = "none"
    return app


def assert_literal(text: str, *expected: str) -> None:
    for value in expected:
        assert value in text, f"{value!r} not shown literally"
    for raw in RAW_CONTROLS:
        assert raw not in text, f"raw {raw!r} reached the terminal"


async def on_screen(pilot) -> str:
    """The screen once pending layout (tables size their columns when idle) has run."""
    await pilot.pause()
    await pilot.pause()
    return screen_text(pilot.app)


def gate_of(app) -> GateScreen:
    return next(screen for screen in app.screen_stack if isinstance(screen, GateScreen))


@run_async
async def test_the_gate_shows_every_name_and_the_staff_literally(nasty_site):
    app = app_for(nasty_site, "gate", lane="A")
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: gate_of(app).idle)
        for person in nasty_site.people[3:]:
            gate_of(app).scan_input.insert_text_at_cursor(person.ticket)
            await pilot.press("enter")
            await until(pilot, lambda: gate_of(app).idle and gate_of(app).card is not None)
            assert_literal(await on_screen(pilot), SHOWN[nasty_site.people.index(person)])
        await until(pilot, lambda: gate_of(app).query_one("#recent").row_count == 3)
        assert_literal(await on_screen(pilot), "[/]", "\\x1b[2J安检员")
        await pilot.press("ctrl+f", *nasty_site.people[2].ticket)
        await until(pilot, lambda: len(getattr(app.screen, "cards", [])) == 1)
        assert_literal(await on_screen(pilot), "\\u202e张三")


@run_async
async def test_a_restarted_gate_lists_recent_scans_of_any_name(nasty_site):
    app = app_for(nasty_site, "gate", lane="B")
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: gate_of(app).idle and gate_of(app).query_one("#recent").row_count >= 3)
        assert_literal(await on_screen(pilot), "[/]", "王[b]五", "\\u202e张三")


@run_async
async def test_the_review_shows_names_staff_and_notes_literally(nasty_site):
    from tests.tui.test_tui_review import settle

    app = app_for(nasty_site, "review")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#review-cases")
        await until(pilot, lambda: table.row_count >= 2)
        assert_literal(await on_screen(pilot), "王[b]五", "\\u202e张三")
        # the case detail (note and staff) for the exception with the note
        for _ in range(table.row_count):
            if "[b]备注" in await on_screen(pilot):
                break
            await pilot.press("down")
            await pilot.pause()
        assert_literal(await on_screen(pilot), "[b]备注\\x1b[2J\\u202e")


@run_async
async def test_the_report_view_and_the_rooms_overview_open(nasty_site):
    from tests.tui.test_tui_report import settle as report_settled

    app = app_for(nasty_site, "report")
    async with app.run_test(size=SIZE) as pilot:
        await report_settled(pilot)
        assert_literal(await on_screen(pilot))
    app = app_for(nasty_site, "roster")
    async with app.run_test(size=SIZE) as pilot:
        results = app.screen.query_one("#roster-results")
        await pilot.press(*nasty_site.people[4].ticket)
        await until(pilot, lambda: results.row_count == 1)
        assert_literal(await on_screen(pilot), "\\x1b[2J李四")
