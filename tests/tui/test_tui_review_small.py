"""The chief's review at 80×24 in zh-CN: the key bar fits, the alarms stay on screen and say where the first admission came from."""

from __future__ import annotations

import pytest

from examops.services.gate import Lane
from examops.services.seating import move
from examops.tui.app import ExamopsApp
from examops.tui.screens.review import ReviewScreen
from tests.conftest import TEST_PIN, at_local, seed_roster
from tests.support.tui import run_async, screen_text, store_url, until  # noqa: F401 (store_url is a fixture)

SMALL = (80, 24)
FOOTER_KEYS = ("space 标记", "a 批准", "r 驳回", "s 解除", "p 安置预览", "f 筛选", "^p 命令")


@pytest.fixture
def alarms(site):
    """One duplicate after a gate admission, one after an admission at the chief's desk (a move), one fever case."""
    site.people = people = seed_roster(site, n_rooms=4)
    at_local(site, "2021-10-16T08:10")
    lane_a, lane_b = Lane(site, "A", "安检员1"), Lane(site, "B", "安检员2")
    site.at_gate = people[0]
    lane_a.check(site.at_gate.ticket)
    lane_b.check(site.at_gate.ticket)
    site.at_desk = people[1]
    move(site, site.at_desk.ticket, session="S1", room="B01", seat=2, by="王总监", pin=TEST_PIN, reason="座位损坏")
    assert lane_a.check(site.at_desk.ticket).verdict == "arrived"
    assert lane_b.check(site.at_desk.ticket).verdict == "duplicate"
    lane_a.check(people[2].ticket, outcome="fever", evidence={"temp1": "38.2", "temp2": "37.9"})
    return site


def make_app(site) -> ExamopsApp:
    at_local(site, "2021-10-16T08:10")
    app = ExamopsApp(site, mode="review", staff="王总监", lang="zh-CN", pin_checked=True)  # the CLI asked for the PIN
    app.animation_level = "none"
    return app


def review_of(app) -> ReviewScreen:
    return next(screen for screen in app.screen_stack if isinstance(screen, ReviewScreen))


async def settle(pilot) -> None:
    await until(pilot, lambda: pilot.app.screen is review_of(pilot.app) and review_of(pilot.app).idle)
    await pilot.pause()
    await pilot.pause()


def alarm_rows(app) -> list[str]:
    table = review_of(app).query_one("#review-alarms")
    return [" ".join(str(cell) for cell in table.get_row(key)) for key in table.rows]


@run_async
async def test_at_80x24_the_key_bar_fits_and_the_alarms_stay_on_screen(alarms):
    app = make_app(alarms)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await until(pilot, lambda: "^p" in screen_text(app).splitlines()[-1])  # the footer is composed after the first frame
        lines = screen_text(app).splitlines()
        footer = lines[-1]
        for key in FOOTER_KEYS:
            assert key in footer, f"{key!r} not in the footer: {footer!r}"
        assert any("重复入场报警" in line for line in lines)
        assert alarms.at_gate.ticket in screen_text(app) and alarms.at_desk.ticket in screen_text(app)
        # what the footer leaves out is one Ctrl+P away, in Chinese
        titles = [command.title for command in app.get_system_commands(review_of(app))]
        for command in ("考场文书", "开设考场", "同类全选", "考务报告"):
            assert command in titles, command


@run_async
async def test_the_alarms_name_the_first_admissions_lane_staff_and_time_or_the_chiefs_desk(alarms):
    app = make_app(alarms)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        rows = alarm_rows(app)
        gate = next(row for row in rows if alarms.at_gate.ticket in row)
        desk = next(row for row in rows if alarms.at_desk.ticket in row)
        assert "A 通道 · 安检员1 · 08:10:00" in gate
        assert "总监考台 · 王总监 · 08:10:00" in desk and "调座" in desk


async def _loaded(pilot) -> None:
    await settle(pilot)


@run_async
async def test_a_hold_the_gate_then_denied_reads_denied_not_closed(site):
    """A candidate held (ID mismatch), then denied entry on the next attempt: the list said 暂缓 / 已关闭; it says
    禁止入场 / 已拒绝 as the room record does, the whole row on an 80-column screen."""
    from examops.services.review import list_cases

    person = seed_roster(site, n_rooms=4)[0]
    at_local(site, "2021-10-16T08:10")
    lane = Lane(site, "A", "安检员1")
    assert lane.check(person.ticket, outcome="id_mismatch").verdict == "exception"
    assert lane.check(person.ticket, outcome="wrong_site").verdict == "denied"
    [view] = list_cases(site, session="S1")
    assert (view.status, view.to_json()["status"], view.to_json()["action"]) == ("denied", "denied", "deny")
    assert view.action == "deny"
    assert [v.card.ticket for v in list_cases(site, session="S1", status="denied")] == [person.ticket]
    app = make_app(site)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        table = review_of(app).query_one("#review-cases")
        await until(pilot, lambda: table.row_count == 1)
        row = [str(cell) for cell in table.get_row_at(0)]
        assert row[4:6] == ["禁止入场", "已拒绝"], row
        [line] = [line for line in screen_text(app).splitlines() if person.ticket in line and "人证不符" in line]
        assert "禁止入场  已拒绝" in line and "08:10:00" in line and "暂缓" not in line and "已关闭" not in line, line


def test_snapshot_review_80x24_zh(alarms, snap_compare):
    assert snap_compare(make_app(alarms), terminal_size=SMALL, run_before=_loaded)


def test_snapshot_review_120x40_zh(alarms, snap_compare):
    assert snap_compare(make_app(alarms), terminal_size=(120, 40), run_before=_loaded)


async def _filter_open(pilot) -> None:
    await settle(pilot)
    await pilot.press("f", "enter")  # the exception filter's list, the longest labels
    await until(pilot, lambda: bool(pilot.app.screen.query("SelectOverlay")) and pilot.app.screen.query_one("SelectOverlay").display)
    await pilot.pause()


def test_snapshot_review_filter_80x24_zh(alarms, snap_compare):
    assert snap_compare(make_app(alarms), terminal_size=SMALL, run_before=_filter_open)
