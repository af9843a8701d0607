"""The gate's keys on one candidate, in zh-CN at 80×24: a Ctrl+F pick as the candidate stands, exits, F-keys after admission."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select
from textual.command import CommandPalette

from examops.adapters.store import schema
from examops.services.exits import record_exit
from examops.services.seating import move
from examops.tui.app import ExamopsApp
from tests.conftest import TEST_PIN, at_local
from tests.support.gate import gate_of, kinds, settle
from tests.support.gate import zh_app as make_app
from tests.support.tui import run_async, screen_text, store_url, until  # noqa: F401 (store_url is a fixture)

SMALL = (80, 24)


async def scan(pilot, code: str) -> None:
    gate_of(pilot.app).scan_input.insert_text_at_cursor(code)
    await pilot.press("enter")
    await settle(pilot)


async def find_and_pick(pilot, ticket: str) -> str:
    """Ctrl+F, type the ticket, read the result row off the screen, Enter picks it; returns the row as shown."""
    await pilot.press("ctrl+f")
    await until(pilot, lambda: pilot.app.screen.__class__.__name__ == "SearchModal")
    await pilot.press(*ticket)
    await until(pilot, lambda: [c.ticket for c in pilot.app.screen.cards] == [ticket])
    await pilot.pause()
    shown = screen_text(pilot.app)
    await pilot.press("enter")
    await settle(pilot)
    return shown


def banner(app):
    return gate_of(app).query_one("#verdict").view


@run_async
async def test_a_pick_of_an_admitted_candidate_is_never_offered_for_admission(seeded_site):
    person = seeded_site.people[0]
    app = make_app(seeded_site)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await scan(pilot, person.ticket)
        await pilot.press("escape")
        row = await find_and_pick(pilot, person.ticket)
        assert "已入场" in row
        view = banner(app)
        assert "尚未入场" not in view.title and "按 Enter 准予入场" not in view.title
        assert "已入场" in view.title
        await pilot.press("enter")  # Enter on the empty field must not send the ticket again: that would be an alarm
        await settle(pilot)
    assert kinds(seeded_site, person.ticket) == ["admitted"]


@run_async
async def test_a_pick_after_a_temporary_leave_checks_them_back_in(seeded_site):
    person = seeded_site.people[1]
    app = make_app(seeded_site)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await scan(pilot, person.ticket)
        record_exit(seeded_site, person.ticket, session="S1", reason="如厕", final=False, by="监考员甲")
        await pilot.press("escape")
        row = await find_and_pick(pilot, person.ticket)
        assert "暂时离场" in row or "暂离" in row, row
        assert "按 Enter" in banner(app).title
        await pilot.press("enter")
        await settle(pilot)
        assert banner(app).style == "admitted"
    assert kinds(seeded_site, person.ticket) == ["admitted", "left", "returned"]


@run_async
async def test_search_rows_at_80_columns_show_the_state_and_the_seat_now_for_a_moved_candidate(seeded_site):
    person = seeded_site.people[2]
    app = make_app(seeded_site)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await scan(pilot, person.ticket)
        move(seeded_site, person.ticket, session="S1", room="B01", seat=5, by="王总监", pin=TEST_PIN, reason="换到靠门的座位")
        await pilot.press("escape")
        row = await find_and_pick(pilot, person.ticket)
        assert "考场 B01 座位 5" in row and "原座位" in row
        assert "已入场" in row  # the state is not cut off the end of a long row
        assert "按 Enter 登记到场" in banner(app).title  # seated by the chief: Enter records the arrival
        await pilot.press("enter")
        await settle(pilot)
        assert banner(app).style == "admitted" and "B01" in banner(app).subtitle
    assert kinds(seeded_site, person.ticket)[-1] == "arrived"


@run_async
async def test_exit_keys_act_on_the_field_else_the_card_and_are_in_the_footer(seeded_site):
    first, second = seeded_site.people[3], seeded_site.people[4]
    app = make_app(seeded_site)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await until(pilot, lambda: "^q" in screen_text(app).splitlines()[-1])  # the footer is composed after the first frame
        footer = screen_text(app).splitlines()[-1]
        for key in ("^l 暂离", "^g 提前离场", "^t", "^b", "^f"):
            assert key in footer, f"{key} missing from the footer: {footer!r}"
        await scan(pilot, first.ticket)
        await scan(pilot, second.ticket)
        # the card holds the second candidate; the first one's ID number typed in the field wins
        gate_of(app).scan_input.insert_text_at_cursor(first.id_number)
        await pilot.press("ctrl+l")
        await until(pilot, lambda: app.screen.__class__.__name__ == "ExitForm")
        assert app.screen.query_one("#exit-ticket").value == first.id_number
        await pilot.press(*"如厕", "enter")
        await settle(pilot)
        assert "暂离" in banner(app).title and first.ticket in banner(app).subtitle
        await pilot.press("ctrl+l")  # the card now: the first candidate is already out, so nothing is prefilled
        await until(pilot, lambda: app.screen.__class__.__name__ == "ExitForm")
        assert app.screen.query_one("#exit-ticket").value == ""
        await pilot.press(*first.ticket, "tab", *"又一次", "enter")  # typed anyway: the store says why not
        await settle(pilot)
        assert banner(app).style == "invalid" and "已暂离" in banner(app).subtitle
        await scan(pilot, second.ticket)  # a duplicate, not an exit; the card is in doubt now
        await scan(pilot, first.ticket)  # back from the leave
        assert banner(app).style == "admitted"
        at_local(seeded_site, "2021-10-16T09:00")  # when S1 allows an early leave
        await pilot.press("ctrl+g")  # the card: the first candidate, for good
        await until(pilot, lambda: app.screen.__class__.__name__ == "ExitForm")
        assert app.screen.query_one("#exit-ticket").value == first.ticket
        await pilot.press(*"提前交卷", "enter")
        await settle(pilot)
        assert "不得再次入场" in banner(app).title
        assert gate_of(app).scan_input.has_focus
        await scan(pilot, first.ticket)
        assert banner(app).style == "denied" and "不得再次入场" in banner(app).title  # no re-entry
        assert banner(app).subtitle.startswith("已于 09:00:00 提前离场")  # when, not the title again
        assert "left the exam" not in screen_text(app)
    assert kinds(seeded_site, first.ticket) == ["admitted", "left", "returned", "left", "reentry_refused"]
    assert kinds(seeded_site, second.ticket) == ["admitted", "duplicate_scan"]


@run_async
async def test_the_exit_keys_do_not_offer_a_candidate_who_never_came_in(seeded_site):
    """A card left by a held exception is someone outside: the exit form opens empty, not prefilled with them."""
    person = seeded_site.people[6]
    app = make_app(seeded_site)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        gate_of(app).scan_input.insert_text_at_cursor(person.ticket)
        await pilot.press("f2")  # ID mismatch: held outside for the chief proctor's decision
        await until(pilot, lambda: app.screen.__class__.__name__ == "ExceptionForm")
        await pilot.press("enter")
        await settle(pilot)
        assert banner(app).style == "exception" and not gate_of(app).holding_alarm
        assert gate_of(app).card.ticket == person.ticket
        for key in ("ctrl+l", "ctrl+g"):
            await pilot.press(key)
            await until(pilot, lambda: app.screen.__class__.__name__ == "ExitForm")
            assert app.screen.query_one("#exit-ticket").value == "", key
            assert not app.screen.query("#exit-about"), key
            await pilot.press("escape")
            await settle(pilot)
    assert kinds(seeded_site, person.ticket) == ["exception"]


@run_async
async def test_an_f_key_on_an_admitted_card_raises_an_exception_after_admission(seeded_site):
    person = seeded_site.people[5]
    app = make_app(seeded_site)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await scan(pilot, person.ticket)
        await pilot.press("f8")
        await until(pilot, lambda: app.screen.__class__.__name__ == "ExceptionForm")
        assert app.screen.query_one("#form-ticket").value == person.ticket
        assert "已入场" in screen_text(app)  # the form says who it is for and that the admission stands
        await pilot.press("enter")
        await settle(pilot)
        assert banner(app).style == "exception"
    assert kinds(seeded_site, person.ticket) == ["admitted", "exception"]
    with seeded_site.store.read() as conn:
        payload = conn.execute(select(schema.events.c.payload).where(
            schema.events.c.ticket == person.ticket, schema.events.c.kind == "exception")).scalar_one()
    assert json.loads(payload)["after_admission"] is True


@run_async
async def test_the_command_palette_lists_the_gates_own_commands_in_chinese(seeded_site):
    app = make_app(seeded_site)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await until(pilot, lambda: isinstance(app.screen, CommandPalette))
        await until(pilot, lambda: "暂离" in screen_text(app))
        text = screen_text(app)
        titles = [command.title for command in app.get_system_commands(gate_of(app))]
        for command in ("查找", "暂离", "提前离场", "审批", "报告", "退出"):
            assert command in titles, command
        for english in ("Theme", "Screenshot", "Maximize", "Search for commands"):
            assert english not in text, english
        await pilot.press(*"暂离")
        await pilot.pause()
        await pilot.press("enter")
        await until(pilot, lambda: app.screen.__class__.__name__ == "ExitForm")


@run_async
async def test_the_rooms_overview_search_shows_the_state_and_where_a_moved_candidate_came_from(seeded_site):
    person = seeded_site.people[6]
    app = make_app(seeded_site)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await scan(pilot, person.ticket)
        move(seeded_site, person.ticket, session="S1", room="B01", seat=6, by="王总监", pin=TEST_PIN, reason="换到靠门的座位")
        await pilot.press("f11")
        await until(pilot, lambda: app.screen.__class__.__name__ == "RosterScreen")
        await pilot.press(*person.ticket)
        table = app.screen.query_one("#roster-results")
        await until(pilot, lambda: table.row_count == 1)
        row = " ".join(str(cell) for cell in table.get_row_at(0))
        assert "B01" in row and "已入场" in row and "原座位 001-" in row


@pytest.mark.parametrize("lang, state, note, moved", [
    ("zh-CN", "已入场  考场 B01 座位 5", "尚未经过安检口", "原座位 001-1（总监考调座）"),
    ("en", "admitted  Room B01 Seat 5", "not yet through a gate", "Moved from 001-1 (moved by the chief proctor)"),
])
@run_async
async def test_a_moved_candidates_search_result_fits_80_columns_in_whole_lines(seeded_site, lang, state, note, moved):
    """The move and the gate note shared the second line: at 80×24 it wrapped, "尚未经过安检口" alone on a third,
    unindented. Now: state, seat and the note on the second line, where from on a third, each whole."""
    person = seeded_site.people[0]
    at_local(seeded_site, "2021-10-16T08:10")
    app = ExamopsApp(seeded_site, mode="gate", lane="A", staff="安检员1", lang=lang)
    app.animation_level = "none"
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await scan(pilot, person.ticket)
        move(seeded_site, person.ticket, session="S1", room="B01", seat=5, by="王总监", pin=TEST_PIN, reason="换到靠门的座位")
        await pilot.press("escape", "ctrl+f")
        await until(pilot, lambda: pilot.app.screen.__class__.__name__ == "SearchModal")
        await pilot.press(*person.ticket)
        await until(pilot, lambda: [c.ticket for c in pilot.app.screen.cards] == [person.ticket])
        await pilot.pause()
        lines = screen_text(app).splitlines()
        at = next(n for n, line in enumerate(lines) if person.ticket in line and "****" in line)  # the result, not the input
        assert state in lines[at + 1] and note in lines[at + 1], lines[at:at + 3]
        assert lines[at + 2].split("▊", 1)[1].lstrip().startswith(moved), lines[at:at + 3]
        assert lines[at + 2].index(moved) == lines[at + 1].index(state[:2]), "the third line is indented as the second"


def test_snapshot_gate_search_80x24_zh(seeded_site, snap_compare):
    """Ctrl+F at 80×24: an admitted candidate moved by the chief, and one not yet arrived, each with state and seat."""
    moved = seeded_site.people[0]

    async def search(pilot):
        await settle(pilot)
        await scan(pilot, moved.ticket)
        move(seeded_site, moved.ticket, session="S1", room="B01", seat=5, by="王总监", pin=TEST_PIN, reason="换到靠门的座位")
        await pilot.press("escape", "ctrl+f")
        await until(pilot, lambda: pilot.app.screen.__class__.__name__ == "SearchModal")
        await pilot.press(*moved.ticket[:-1])  # 13 digits: this ticket and its neighbours
        await until(pilot, lambda: len(pilot.app.screen.cards) > 1)
        await pilot.pause()

    assert snap_compare(make_app(seeded_site), terminal_size=SMALL, run_before=search)


@run_async
async def test_the_gates_room_panel_says_who_was_moved_into_a_backup_room_not_1_of_0(seeded_site):
    """Issue 12's "1/0" (one admitted of none rostered) was fixed in the rooms overview, not in the gate's panel."""
    from examops.tui.widgets.panels import RoomsTable

    person = seeded_site.people[0]
    app = make_app(seeded_site)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await scan(pilot, person.ticket)
        move(seeded_site, person.ticket, session="S1", room="B01", seat=5, by="王总监", pin=TEST_PIN, reason="换到靠门的座位")
        await scan(pilot, person.ticket)  # the gate sees the moved candidate (arrived) and redraws its figures
        table = gate_of(app).query_one(RoomsTable)
        await until(pilot, lambda: "B01" in [str(key.value) for key in table.rows])
        assert str(table.get_cell("B01", "count")) == "调入 1"
        assert str(table.get_cell("001", "count")).endswith("/30")
