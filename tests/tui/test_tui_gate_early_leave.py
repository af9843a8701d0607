"""Ctrl+G before the plan allows an early leave, in zh-CN at 80×24: the form says from when it is allowed, then asks
for the chief proctor's name and PIN; Esc or a wrong PIN records nothing, the PIN records it as authorised early.

On main Ctrl+G recorded the leave at any time (here 08:40, S1 allows it from 09:00)."""

from __future__ import annotations

import json

from sqlalchemy import select

from examops.adapters.store import schema
from tests.conftest import TEST_PIN
from tests.support.gate import gate_of, kinds, settle
from tests.support.gate import zh_app as make_app
from tests.support.tui import run_async, screen_text, store_url, until  # noqa: F401 (store_url is a fixture)

SMALL = (80, 24)


def banner(app):
    return gate_of(app).query_one("#verdict").view


async def leave_form(pilot, ticket: str, reason: str = "突发疾病") -> None:
    """Ctrl+G on the ticket typed in the field (a refused exit leaves no card), the reason, Enter: the chief's
    authorisation comes next."""
    gate_of(pilot.app).scan_input.insert_text_at_cursor(ticket)
    await pilot.press("ctrl+g")
    await until(pilot, lambda: pilot.app.screen.__class__.__name__ == "ExitForm")
    await pilot.press(*reason, "enter")
    await until(pilot, lambda: pilot.app.screen.__class__.__name__ == "EarlyLeaveAuthorisation")


@run_async
async def test_ctrl_g_before_the_allowed_time_asks_the_chief_proctors_pin(seeded_site):
    person = seeded_site.people[0]
    app = make_app(seeded_site, when="2021-10-16T08:40")
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        gate_of(app).scan_input.insert_text_at_cursor(person.ticket)
        await pilot.press("enter")
        await settle(pilot)
        assert banner(app).style == "admitted"

        await pilot.press("ctrl+g")
        await until(pilot, lambda: app.screen.__class__.__name__ == "ExitForm")
        assert "09:00 起方可提前离场：此前须总监考输入密码授权（下一步输入）" in screen_text(app)
        await pilot.press(*"突发疾病", "enter")
        await until(pilot, lambda: app.screen.__class__.__name__ == "EarlyLeaveAuthorisation")
        shown = screen_text(app)
        for words in ("09:00 前提前离场 — 须总监考授权", "09:00 起方可提前离场；此前离场须经总监考密码授权（如突发疾病）", "授权人（总监考）", "总监考密码",
                      "Esc 取消：不作记录", person.ticket):
            assert words in shown, f"{words!r} not on the 80×24 screen:\n{shown}"
        assert app.screen.query_one("#early-by").has_focus
        await pilot.press("escape")  # the chief is not there: nothing is recorded
        await settle(pilot)
        assert kinds(seeded_site, person.ticket) == ["admitted"]

        await leave_form(pilot, person.ticket)
        await pilot.press(*"王总监", "tab", *"99999999", "enter")
        await until(pilot, lambda: gate_of(app).idle and app.screen.__class__.__name__ == "EarlyLeaveAuthorisation")
        assert banner(app).style == "invalid" and "密码错误：未记录提前离场" in banner(app).subtitle
        assert "密码错误：未记录提前离场（本次尝试已记录）" in screen_text(app)  # asked again, the name kept
        assert app.screen.query_one("#early-by").value == "王总监" and app.screen.query_one("#early-pin").has_focus
        await pilot.press("escape")
        await settle(pilot)
        assert kinds(seeded_site, person.ticket) == ["admitted"]

        await leave_form(pilot, person.ticket)
        await pilot.press(*"王总监", "enter")  # Enter in the name: the PIN is still to fill in
        assert app.screen.__class__.__name__ == "EarlyLeaveAuthorisation"
        assert app.screen.query_one("#early-pin").has_focus
        await pilot.press(*TEST_PIN, "enter")
        await settle(pilot)
        assert "不得再次入场" in banner(app).title
        assert "未到规定时间提前离场：经总监考 王总监 授权" in screen_text(app)
        assert gate_of(app).scan_input.has_focus
    assert kinds(seeded_site, person.ticket) == ["admitted", "left"]
    with seeded_site.store.read() as conn:
        payload = conn.execute(select(schema.events.c.payload).where(
            schema.events.c.ticket == person.ticket, schema.events.c.kind == "left")).scalar_one()
    left = json.loads(payload) if isinstance(payload, str) else payload
    assert (left["final"], left["by"], left["authorised_early_by"], left["reason"]) == (True, "安检员1", "王总监", "突发疾病")


@run_async
async def test_ctrl_l_asks_for_no_pin_before_the_allowed_time(seeded_site):
    """A temporary leave is allowed at any time during the session."""
    person = seeded_site.people[1]
    app = make_app(seeded_site, when="2021-10-16T08:40")
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        gate_of(app).scan_input.insert_text_at_cursor(person.ticket)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("ctrl+l")
        await until(pilot, lambda: app.screen.__class__.__name__ == "ExitForm")
        assert "起方可提前离场" not in screen_text(app)
        await pilot.press(*"如厕", "enter")
        await settle(pilot)
        assert "暂离" in banner(app).title
    assert kinds(seeded_site, person.ticket) == ["admitted", "left"]
