"""The gate's session panel in zh-CN at 80×24: the session now, or the next and when its doors open; a close says who and when."""

from __future__ import annotations

from examops.services import ledger
from examops.services.gate import Lane
from examops.services.incidents import close_session
from tests.conftest import TEST_PIN, at_local
from tests.support.gate import gate_of, settle, zh_app
from tests.support.tui import run_async, screen_text, store_url, until  # noqa: F401 (store_url is a fixture)

SMALL = (80, 24)
NOT_RECORDED_ZH = "未记录"


def clock_text(app) -> str:
    return str(gate_of(app).query_one("#clock").render()).replace("\n", " ")


@run_async
async def test_between_sessions_the_panel_shows_the_next_session_and_when_its_doors_open(seeded_site):
    app = zh_app(seeded_site, when="2021-10-16T12:00")
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        text = clock_text(app)
        assert "下一场 S2 试卷二 13:15 开始入场" in text, text
        assert "距开始入场" in text and "01:15:00" in text, text
        assert "距开考" not in text  # not a countdown to a paper whose doors are shut


@run_async
async def test_the_day_before_the_panel_names_the_date(seeded_site):
    app = zh_app(seeded_site, when="2021-10-15T09:00")
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        text = clock_text(app)
        assert "下一场 S1 试卷一 2021-10-16 07:45 开始入场" in text, text


@run_async
async def test_after_the_chief_closes_the_session_a_scan_says_who_closed_it_and_when(seeded_site):
    person = seeded_site.people[0]
    app = zh_app(seeded_site, when="2021-10-16T08:10")
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        inside = seeded_site.people[1]
        assert Lane(seeded_site, "B", "安检员2").check(inside.ticket).verdict == "admitted"
        close_session(seeded_site, session="S1", by="王总监", pin=TEST_PIN, reason="演练提前结束")
        gate_of(app).scan_input.insert_text_at_cursor(person.ticket)
        await pilot.press("enter")
        await settle(pilot)
        view = gate_of(app).query_one("#verdict").view
        assert view.title == "本场已结束 — 请联系总监考"
        assert "王总监" in view.subtitle and "08:10" in view.subtitle
        text = screen_text(app)
        assert NOT_RECORDED_ZH not in text and "SESSION_CLOSED" not in text
        assert "S1 试卷一 已由 王总监 于 08:10 结束" in clock_text(app)
        # an exit asked for after the close is answered the same way
        gate_of(app).scan_input.insert_text_at_cursor(inside.ticket)
        await pilot.press("ctrl+l")
        await until(pilot, lambda: app.screen.__class__.__name__ == "ExitForm")
        await pilot.press(*"如厕", "enter")
        await settle(pilot)
        view = gate_of(app).query_one("#verdict").view
        assert view.title == "本场已结束 — 请联系总监考" and NOT_RECORDED_ZH not in screen_text(app)


def test_a_close_between_the_look_up_and_the_write_is_a_closed_session_not_a_failed_write(seeded_site, monkeypatch):
    """The chief closes the session while a scan is in flight: the lane says who closed it, never 'rescan'."""
    at_local(seeded_site, "2021-10-16T08:10")
    real_record = ledger.record
    closed = []

    def close_first(store, *events, **kwargs):
        if not closed:
            closed.append(True)  # before the close, which writes through here too
            close_session(seeded_site, session="S1", by="王总监", pin=TEST_PIN, reason="演练提前结束")
        return real_record(store, *events, **kwargs)

    monkeypatch.setattr(ledger, "record", close_first)
    # an ID number takes the general path (look-up, then write); a plain ticket's compiled admission reads the
    # closure inside its own write transaction, where this race cannot happen
    verdict = Lane(seeded_site, "A", "安检员1").check(seeded_site.people[0].id_number)
    assert (verdict.verdict, verdict.closed_by) == ("session_closed", "王总监")


def test_snapshot_gate_session_closed_80x24_zh(seeded_site, snap_compare):
    async def closed(pilot):
        await settle(pilot)
        close_session(seeded_site, session="S1", by="王总监", pin=TEST_PIN, reason="演练提前结束")
        gate_of(pilot.app).scan_input.insert_text_at_cursor(seeded_site.people[0].ticket)
        await pilot.press("enter")
        await settle(pilot)
        await until(pilot, lambda: "王总监" in clock_text(pilot.app))

    assert snap_compare(zh_app(seeded_site, when="2021-10-16T08:10"), terminal_size=SMALL, run_before=closed)


def test_snapshot_gate_between_sessions_80x24_zh(seeded_site, snap_compare):
    assert snap_compare(zh_app(seeded_site, when="2021-10-16T12:00"), terminal_size=SMALL, run_before=settle)
