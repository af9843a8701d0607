"""Each screen speaks one language: no English inside a Chinese screen.

Found by hand at 80×24 in zh-CN: a fever reason in English in the review ("38.5 °C: rest in the observation area"),
"already recorded: id_mismatch" on the gate's card for a held candidate scanned again, the certificate form's time
error in English, Textual's "No matches found" under Ctrl+P; and the English review footer cut "Quit" at 80 columns.
"""

from __future__ import annotations

import pytest
from textual.command import CommandPalette

from examops.services.gate import Lane
from examops.tui.app import ExamopsApp
from examops.tui.screens.gate import GateScreen
from examops.tui.screens.review import ReviewScreen
from tests.conftest import TEST_PIN, at_local, seed_roster
from tests.support.tui import run_async, screen_text, store_url, until  # noqa: F401 (store_url is a fixture)

SMALL = (80, 24)


def _app(site, mode: str, lang: str, **kwargs) -> ExamopsApp:
    at_local(site, "2021-10-16T08:10")
    app = ExamopsApp(site, mode=mode, lang=lang, **kwargs)
    app.animation_level = "none"
    return app


async def _review_from_the_lane(pilot, app) -> ReviewScreen:
    await until(pilot, lambda: isinstance(app.screen, GateScreen) and app.screen.lane_ready)  # the review needs the store
    await pilot.press("ctrl+t")
    await until(pilot, lambda: type(app.screen).__name__ == "PinModal")
    await pilot.press(*TEST_PIN, "enter")
    await until(pilot, lambda: isinstance(app.screen, ReviewScreen) and app.screen.idle)
    await pilot.pause()
    return app.screen


@run_async
async def test_a_fever_reason_is_chinese_in_the_chinese_review(site):
    person = seed_roster(site, n_rooms=4)[0]
    at_local(site, "2021-10-16T08:10")
    assert Lane(site, "A", "安检员1").check(person.ticket, outcome="fever", evidence={"temp1": "38.5"}).verdict == "exception"
    app = _app(site, "review", "zh-CN", staff="王总监", pin_checked=True)
    async with app.run_test(size=SMALL) as pilot:
        await until(pilot, lambda: isinstance(app.screen, ReviewScreen) and app.screen.idle)
        detail = app.screen.query_one("#review-case")
        await until(pilot, lambda: person.ticket in str(detail.render()))
        shown = str(detail.render())
        assert "原因：体温 38.5 °C：在临时观察区休息后复测" in shown, shown
        assert "rest in the observation area" not in shown


def test_a_repeated_case_and_a_fever_reason_are_chinese_on_the_gates_card(site, monkeypatch):
    from examops import i18n
    from examops.tui.widgets.verdict import describe

    person, other = seed_roster(site, n_rooms=4)[:2]
    at_local(site, "2021-10-16T08:10")
    lane = Lane(site, "A", "安检员1")
    lane.check(person.ticket, outcome="id_mismatch")
    again = lane.check(person.ticket)  # scanned again while held: "already recorded: id_mismatch"
    fever = lane.check(other.ticket, outcome="fever", evidence={"temp1": "38.5"})
    monkeypatch.setattr(i18n, "_active_language", i18n.CHINESE)
    assert "原因：已登记：人证不符" in describe(again, site.policy, str).details, again.reason
    assert "原因：体温 38.5 °C：在临时观察区休息后复测" in describe(fever, site.policy, str).details


@run_async
async def test_the_certificate_forms_time_error_is_chinese(site):
    from textual.widgets import Input

    person = seed_roster(site, n_rooms=4)[0]
    app = _app(site, "gate", "zh-CN", lane="A", staff="安检员1")
    async with app.run_test(size=SMALL) as pilot:
        await until(pilot, lambda: isinstance(app.screen, GateScreen) and app.screen.idle)
        await pilot.press("f8")
        await until(pilot, lambda: type(app.screen).__name__ == "ExceptionForm")
        form = app.screen
        form.query_one("#form-ticket", Input).value = person.ticket
        sampled = form.query_one("#ev-sampled_at", Input)
        sampled.value = "昨天上午"
        sampled.focus()
        await pilot.press("enter")
        error = form.query_one("#form-error")
        await until(pilot, lambda: str(error.render()).strip() != "")
        said = str(error.render())
        assert said.startswith("采样时间：时间格式不对") and "2021-10-15 09:30" in said, said
        assert "is not like" not in said


@run_async
async def test_the_fever_forms_temperature_error_is_chinese(site):
    from textual.widgets import Input

    person = seed_roster(site, n_rooms=4)[0]
    app = _app(site, "gate", "zh-CN", lane="A", staff="安检员1")
    async with app.run_test(size=SMALL) as pilot:
        await until(pilot, lambda: isinstance(app.screen, GateScreen) and app.screen.idle)
        await pilot.press("f7")
        await until(pilot, lambda: type(app.screen).__name__ == "ExceptionForm")
        form = app.screen
        form.query_one("#form-ticket", Input).value = person.ticket
        reading = form.query_one("#ev-temp1", Input)
        reading.value = "高烧"
        reading.focus()
        await pilot.press("enter")
        error = form.query_one("#form-error")
        await until(pilot, lambda: str(error.render()).strip() != "")
        assert str(error.render()).startswith("首次体温(°C)：不是体温读数"), str(error.render())


@run_async
async def test_the_command_palette_says_no_match_in_chinese(site):
    seed_roster(site, n_rooms=4)
    app = _app(site, "gate", "zh-CN", lane="A", staff="安检员1")
    async with app.run_test(size=SMALL) as pilot:
        await until(pilot, lambda: isinstance(app.screen, GateScreen) and app.screen.idle)
        await pilot.press("ctrl+p")
        await until(pilot, lambda: isinstance(app.screen, CommandPalette))
        await pilot.press(*"zzqq")
        await until(pilot, lambda: "没有匹配的命令" in screen_text(app))
        assert "No matches found" not in screen_text(app)


@run_async
async def test_the_english_review_footer_keeps_every_key_whole_at_80_columns(site):
    seed_roster(site, n_rooms=4)
    app = _app(site, "gate", "en", lane="A", staff="安检员1")
    async with app.run_test(size=SMALL) as pilot:
        await _review_from_the_lane(pilot, app)
        await until(pilot, lambda: "^p" in screen_text(app).splitlines()[-1])
        footer = screen_text(app).splitlines()[-1]
        for key in ("space Mark", "a Approve", "r Reject", "s Resolve", "p Seat", "f Filter", "esc Back", "^q Quit",
                    "^p More"):
            assert key in footer, (key, footer)


def test_a_refused_scan_says_why_in_chinese_on_the_gate(site, monkeypatch):
    """Found while checking the above: typing "abc" at the gate showed the scan classifier's English reason."""
    from examops import i18n
    from examops.tui.widgets.verdict import describe

    seed_roster(site, n_rooms=4)
    at_local(site, "2021-10-16T08:10")
    lane = Lane(site, "A", "安检员1")
    garbage, far_too_long = lane.check("abc"), lane.check("9" * 600)
    monkeypatch.setattr(i18n, "_active_language", i18n.CHINESE)
    assert (garbage.verdict, describe(garbage, site.policy, str).subtitle) == ("invalid", "不是准考证号、身份证号或准考证二维码")
    assert describe(far_too_long, site.policy, str).subtitle == "共 600 个字符：远超准考证号的长度"


@pytest.mark.parametrize(("key", "modal"), [("f7", "ExceptionForm"), ("f12", "CodePicker"), ("ctrl+f", "SearchModal"),
                                            ("ctrl+l", "ExitForm")])
@run_async
async def test_the_palette_over_a_gate_form_lists_its_keys_in_chinese(site, key, modal):
    """Found at 80×24: Ctrl+P over the fever form listed "Cancel  esc" in English (the form's keys were never localized)."""
    seed_roster(site, n_rooms=4)
    app = _app(site, "gate", "zh-CN", lane="A", staff="安检员1")
    async with app.run_test(size=SMALL) as pilot:
        await until(pilot, lambda: isinstance(app.screen, GateScreen) and app.screen.idle)
        await pilot.press(key)
        await until(pilot, lambda: type(app.screen).__name__ == modal)
        await pilot.press("ctrl+p")
        await until(pilot, lambda: isinstance(app.screen, CommandPalette))
        await until(pilot, lambda: "取消" in screen_text(app))
        assert "Cancel" not in screen_text(app)


@run_async
async def test_the_lanes_figures_say_why_they_are_unavailable_in_chinese(site, monkeypatch):
    """Found at 120×40 when another demo replaced the store: "统计暂不可用：StoreReplaced: the file at … is no longer…"
    (the panel showed the exception's class and its English instead of its words in the site's language)."""
    from examops.adapters.store.errors import StoreReplaced
    from examops.domain.said import N_, said
    from examops.services import gate_view
    from examops.tui.widgets.panels import CountersPanel

    def replaced(*_args, **_kwargs):
        raise StoreReplaced(said(N_("the file at {path} is no longer the store this lane opened (it was replaced or "
                                    "moved); nothing more is recorded: stop, check which file is the store, and start "
                                    "the lane again"), path="/x/demo.sqlite3"))

    seed_roster(site, n_rooms=4)
    monkeypatch.setattr(gate_view, "lane_panels", replaced)
    app = _app(site, "gate", "zh-CN", lane="A", staff="安检员1")
    async with app.run_test(size=SMALL) as pilot:
        await until(pilot, lambda: isinstance(app.screen, GateScreen))
        counters = app.screen.query_one(CountersPanel)
        await until(pilot, lambda: "/x/demo.sqlite3" in str(counters.render()))
        shown = str(counters.render())
        assert "/x/demo.sqlite3 处的文件已不是本通道打开的数据库" in shown, shown
        assert "StoreReplaced" not in shown and "no longer" not in shown
