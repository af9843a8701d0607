"""The gate lane screen through Pilot: verdicts on screen, the store behind them, keys only."""

from __future__ import annotations

import json
import subprocess
import sys
from contextlib import contextmanager

import pytest
from sqlalchemy import select

from examops.adapters.store import WriteFailed, schema
from examops.tui.screens.gate import GateScreen
from tests.conftest import ROOT
from tests.support.gate import SIZE, banner, gate_of, make_app
from tests.support.tui import count, run_async, screen_text, store_url, until, waiting  # noqa: F401 (store_url is a fixture)


async def settle(pilot) -> None:
    """Wait until no scan is pending and the panels are fresh (bounded, never a fixed sleep)."""
    for _ in waiting():
        await pilot.pause(0.01)
        if gate_of(pilot.app).idle:
            await pilot.pause()
            return
    raise AssertionError("the gate did not settle")


async def scan(pilot, code: str) -> None:
    """A scanner burst: the whole code lands in the field, then Enter."""
    gate_of(pilot.app).scan_input.insert_text_at_cursor(code)
    await pilot.press("enter")
    await settle(pilot)


@run_async
async def test_scan_admits_and_card_shows_masked_id(seeded_site):
    person = seeded_site.people[0]
    app = make_app(seeded_site)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await scan(pilot, person.ticket)
        assert banner(app) == "admitted"
        text = screen_text(app)
        assert "ADMITTED" in text
        assert person.name in text and person.ticket in text
        assert person.id_number[:6] + "********" + person.id_number[-4:] in text
        assert person.id_number not in text
        assert gate_of(app).scan_input.has_focus and gate_of(app).scan_input.value == ""
        assert "Admitted 1" in text and "Remaining 119" in text  # the side panels caught up
        assert gate_of(app).query_one("#recent").row_count == 1
    assert count(seeded_site, schema.admissions, ticket=person.ticket, session_id="S1") == 1


@run_async
async def test_second_scan_is_a_duplicate_naming_lane_time_and_staff(seeded_site):
    person = seeded_site.people[1]
    app = make_app(seeded_site)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await scan(pilot, person.ticket)
        await scan(pilot, person.id_number)
        assert banner(app) == "duplicate"
        text = screen_text(app)
        assert "DUPLICATE" in text
        assert "First admitted at lane A, 08:10:00, by staff1" in text
        assert "call the chief proctor" in text
    assert count(seeded_site, schema.admissions, ticket=person.ticket) == 1
    assert count(seeded_site, schema.events, kind="duplicate_scan", ticket=person.ticket) == 1


@run_async
async def test_fever_exception_through_function_key_form(seeded_site):
    person = seeded_site.people[2]
    app = make_app(seeded_site)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f7")
        await until(pilot, lambda: app.screen.__class__.__name__ == "ExceptionForm")
        assert app.focused.id == "form-ticket"  # no candidate on the card: scan into the form
        await pilot.press(*person.ticket, "enter")  # a required reading is missing: focus moves on
        assert app.focused.id == "ev-temp1"
        await pilot.press(*"38.1", "enter")
        await settle(pilot)
        assert banner(app) == "exception"
        text = screen_text(app)
        assert "EXCEPTION" in text and "Fever" in text
        assert gate_of(app).card.ticket == person.ticket
    with seeded_site.store.read() as conn:
        rows = conn.execute(select(schema.events.c.payload).where(
            schema.events.c.kind == "exception", schema.events.c.ticket == person.ticket)).all()
    assert len(rows) == 1
    payload = json.loads(rows[0][0])
    assert payload["code"] == "fever" and payload["evidence"] == {"temp1": "38.1"}
    assert count(seeded_site, schema.admissions, ticket=person.ticket) == 0


@run_async
async def test_form_enforces_required_evidence_and_esc_cancels(seeded_site):
    app = make_app(seeded_site)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("7", "enter")  # a lone digit + Enter opens that code
        await until(pilot, lambda: app.screen.__class__.__name__ == "ExceptionForm")
        await pilot.press(*seeded_site.people[3].ticket, "tab", *"99", "enter")
        assert app.screen.__class__.__name__ == "ExceptionForm"
        assert "not a body temperature" in screen_text(app)
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, GateScreen))
        assert gate_of(app).scan_input.has_focus
    assert count(seeded_site, schema.events, kind="exception") == 0


@run_async
async def test_enter_on_empty_field_admits_a_searched_candidate(seeded_site):
    names = [p.name for p in seeded_site.people]
    person = next(p for p in seeded_site.people if names.count(p.name) == 1)
    app = make_app(seeded_site)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+f")
        await until(pilot, lambda: app.screen.__class__.__name__ == "SearchModal")
        await pilot.press(*person.name)
        await until(pilot, lambda: [c.ticket for c in app.screen.cards] == [person.ticket])
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, GateScreen))
        assert banner(app) == "picked" and gate_of(app).card.ticket == person.ticket
        assert count(seeded_site, schema.admissions, ticket=person.ticket) == 0
        await pilot.press("enter")
        await settle(pilot)
        assert banner(app) == "admitted"
        await pilot.press("enter")  # already admitted: a second Enter does nothing
        await settle(pilot)
        assert banner(app) == "admitted"
    assert count(seeded_site, schema.admissions, ticket=person.ticket) == 1
    assert count(seeded_site, schema.events, ticket=person.ticket) == 1


@run_async
async def test_search_by_id_tail_then_function_key_prefills_the_ticket(seeded_site):
    person = seeded_site.people[4]
    app = make_app(seeded_site)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f10", *person.id_number[-4:])
        await until(pilot, lambda: person.ticket in [c.ticket for c in getattr(app.screen, "cards", [])])
        index = [c.ticket for c in app.screen.cards].index(person.ticket)
        await pilot.press("down", *["down"] * index, "enter")
        await until(pilot, lambda: isinstance(app.screen, GateScreen))
        assert gate_of(app).card.ticket == person.ticket
        await pilot.press("f8")
        await until(pilot, lambda: app.screen.__class__.__name__ == "ExceptionForm")
        assert app.screen.query_one("#form-ticket").value == person.ticket
        await pilot.press("enter")  # no required field: the certificate is simply missing
        await settle(pilot)
        assert banner(app) == "exception"
        assert "backup room" in screen_text(app)


@run_async
async def test_focus_loss_warning_and_recovery(seeded_site):
    app = make_app(seeded_site)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        gate = gate_of(app)
        warning = gate.query_one("#focus-warning")
        assert not warning.display
        gate.set_focus(None)
        await pilot.pause()
        assert warning.display and "lost the focus — press Esc" in screen_text(app)
        await pilot.press("2")
        assert gate.scan_input.has_focus and gate.scan_input.value == "2"
        await pilot.pause()
        assert not warning.display
        gate.set_focus(None)
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert gate.scan_input.has_focus and not warning.display
        assert gate.scan_input.value == "2"


@run_async
async def test_garbage_scan_is_invalid_and_the_lane_carries_on(seeded_site):
    app = make_app(seeded_site)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await scan(pilot, "hello)(*&^%$")
        assert banner(app) == "invalid"
        assert "INVALID SCAN" in screen_text(app)
        await scan(pilot, "12345")
        assert banner(app) in ("invalid", "unknown")
        await scan(pilot, seeded_site.people[5].ticket)
        assert banner(app) == "admitted"
    assert count(seeded_site, schema.admissions) == 1


@run_async
async def test_unknown_ticket_lists_near_matches(seeded_site):
    ticket = seeded_site.people[7].ticket
    app = make_app(seeded_site)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await scan(pilot, ticket[:6] + ticket[7:])
        assert banner(app) == "unknown"
        text = screen_text(app)
        assert "Near matches" in text and ticket in text


@run_async
async def test_burst_of_scans_is_checked_in_order(seeded_site):
    people = seeded_site.people[10:16]
    app = make_app(seeded_site)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for person in people:
            await pilot.press(*person.ticket, "enter")  # typed by hand, no waiting in between
        await settle(pilot)
        assert gate_of(app).card.ticket == people[-1].ticket
    with seeded_site.store.read() as conn:
        tickets = [row[0] for row in conn.execute(
            select(schema.events.c.ticket).where(schema.events.c.kind == "admitted").order_by(schema.events.c.pos))]
    assert tickets == [p.ticket for p in people]


@contextmanager
def _failing_write():
    raise WriteFailed("the disk is full: free space on the store's disk")
    yield  # pragma: no cover


@run_async
async def test_failed_write_shows_not_recorded(seeded_site, monkeypatch):
    person = seeded_site.people[8]
    app = make_app(seeded_site)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        monkeypatch.setattr(seeded_site.store, "write", _failing_write)
        await scan(pilot, person.ticket)
        assert banner(app) == "not_recorded"
        text = screen_text(app)
        assert "NOT RECORDED" in text and "disk is full" in text and "ADMITTED" not in text
    assert count(seeded_site, schema.admissions) == 0


@run_async
async def test_a_crashing_check_is_shown_and_the_worker_survives(seeded_site, monkeypatch):
    app = make_app(seeded_site)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        lane = gate_of(app).lane
        real_check = lane.check
        monkeypatch.setattr(lane, "check", lambda *a, **k: (_ for _ in ()).throw(RuntimeError("boom")))
        await scan(pilot, seeded_site.people[9].ticket)
        assert banner(app) == "not_recorded" and "boom" in screen_text(app)
        monkeypatch.setattr(lane, "check", real_check)
        await scan(pilot, seeded_site.people[9].ticket)
        assert banner(app) == "admitted"


@run_async
async def test_escape_clears_the_card(seeded_site):
    app = make_app(seeded_site)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await scan(pilot, seeded_site.people[0].ticket)
        await pilot.press("escape")
        await pilot.pause()
        assert banner(app) == "idle" and gate_of(app).card is None
        assert seeded_site.people[0].id_number[-4:] not in screen_text(app).split("Recent scans")[0]


@run_async
async def test_code_picker_opens_the_chosen_form(seeded_site):
    app = make_app(seeded_site)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+o")
        await until(pilot, lambda: app.screen.__class__.__name__ == "CodePicker")
        await pilot.press("4")
        await until(pilot, lambda: app.screen.__class__.__name__ == "ExceptionForm")
        assert app.screen.code.code == "prohibited_item"


@pytest.mark.parametrize("lang, expected", [
    ("zh-CN", ("准予入场", "通道 A", "安检员 staff1", "^f 查找", "应到", "已入场", "未到", "距开考", "考场")),
    ("en", ("ADMITTED", "Lane A", "Staff staff1", "Find", "Expected", "Admitted", "Remaining", "Starts in", "Room")),
])
@run_async
async def test_labels_follow_the_language(seeded_site, lang, expected):
    app = make_app(seeded_site, lang=lang)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await scan(pilot, seeded_site.people[0].ticket)
        text = screen_text(app)
        for label in expected:
            assert label in text, label


@run_async
async def test_the_site_language_beats_the_laptop_locale(seeded_site, monkeypatch):
    """A gate laptop with LANG=C.UTF-8 at a site whose plan says zh-CN shows Chinese; --lang en still overrides."""
    import dataclasses

    for var in ("EXAMOPS_LANG", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.setattr(seeded_site, "plan", dataclasses.replace(seeded_site.plan, language="zh-CN"))
    app = make_app(seeded_site, lang=None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "通道 A" in screen_text(app) and "^f 查找" in screen_text(app)
    assert make_app(seeded_site, lang="en").lang == "en"


def test_language_defaults_from_the_locale(monkeypatch):
    from examops.i18n import resolve_language

    monkeypatch.delenv("EXAMOPS_LANG", raising=False)
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert resolve_language(None) == "zh_CN"
    monkeypatch.setenv("LANG", "C.UTF-8")
    assert resolve_language(None) == "en"
    monkeypatch.setenv("EXAMOPS_LANG", "zh")
    assert resolve_language(None) == "zh_CN"
    assert resolve_language("en") == "en"


@pytest.mark.parametrize("imports", [
    "import examops.tui.app",
    "import examops.cli, examops.cli.gate, examops.tui.app, examops.services.gate",
])
def test_gate_process_never_imports_pandas_or_openpyxl(imports):
    code = f"{imports}; import sys; print(sorted(m for m in ('pandas', 'openpyxl') if m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert result.stdout.strip() == "[]"


# -- snapshots (frozen clock, no blinking) --------------------------------

SNAP_SIZE = (120, 36)


def test_snapshot_gate_idle(seeded_site, snap_compare):
    app = make_app(seeded_site, lang="zh-CN")
    assert snap_compare(app, terminal_size=SNAP_SIZE, run_before=settle)


def test_snapshot_gate_admitted(seeded_site, snap_compare):
    app = make_app(seeded_site, lang="zh-CN")

    async def admit(pilot):
        await settle(pilot)
        await scan(pilot, seeded_site.people[0].ticket)

    assert snap_compare(app, terminal_size=SNAP_SIZE, run_before=admit)


def test_snapshot_gate_duplicate(seeded_site, snap_compare):
    app = make_app(seeded_site, lang="zh-CN")

    async def duplicate(pilot):
        await settle(pilot)
        await scan(pilot, seeded_site.people[0].ticket)
        await scan(pilot, seeded_site.people[0].id_number)  # the same ticket within a second is one (double) read

    assert snap_compare(app, terminal_size=SNAP_SIZE, run_before=duplicate)


@run_async
async def test_cancelled_form_leaves_the_candidate_on_the_card_for_enter(seeded_site):
    person = seeded_site.people[6]
    app = make_app(seeded_site)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+f", *person.ticket)
        await until(pilot, lambda: [c.ticket for c in app.screen.cards] == [person.ticket])
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, GateScreen))
        await pilot.press("f2")
        await until(pilot, lambda: app.screen.__class__.__name__ == "ExceptionForm")
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, GateScreen))
        assert gate_of(app).card.ticket == person.ticket
        await pilot.press("enter")
        await settle(pilot)
        assert banner(app) == "admitted"
    assert count(seeded_site, schema.admissions, ticket=person.ticket) == 1


@contextmanager
def _disk_full():
    import sqlite3

    from examops.adapters.store import describe_failure

    raise WriteFailed(describe_failure(sqlite3.OperationalError("database or disk is full")))
    yield  # pragma: no cover


@run_async
async def test_a_failed_write_says_why_in_chinese_on_a_chinese_gate(seeded_site, monkeypatch):
    """The card said 未记录 over the store's English ("the disk is full: free space on the store's disk")."""
    app = make_app(seeded_site, lang="zh-CN")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        monkeypatch.setattr(seeded_site.store, "write", _disk_full)
        lane = gate_of(app).lane
        if getattr(lane, "scan_path", None) is not None:  # the compiled admission writes on its own connection
            monkeypatch.setattr(lane.scan_path, "scan", _disk_full)
        await scan(pilot, seeded_site.people[10].ticket)
        assert banner(app) == "not_recorded"
        text = screen_text(app)
        assert "未记录" in text and "磁盘已满" in text, text
        assert "disk" not in text and "WriteFailed" not in text, text
    assert count(seeded_site, schema.admissions) == 0
