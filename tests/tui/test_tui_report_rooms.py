"""The report view's rooms at 08:40 of the fixture morning: every row adds up on screen as on the room record
(应到 = 原编排 − 调出 + 调入 = 实到 + 缺考 + 未到), and the backup and isolation rooms expect and count who was moved in.

Found running the afternoon story: B01 read 应到 0 / 实到 0 / 调入 23 here, on the room record and in the chart."""

from __future__ import annotations

from examops.tui.app import ExamopsApp
from examops.tui.screens.report import ReportScreen
from tests.conftest import at_local
from tests.integration.test_figures_morning import morning  # noqa: F401 (the fixture)
from tests.support.tui import run_async, screen_text, store_url, until  # noqa: F401 (store_url is a fixture)

HEADINGS = ("考场", "原编排", "调出", "调入", "应到", "实到", "缺考", "未到")


@run_async
async def test_at_0840_each_room_row_on_screen_adds_up(morning):  # noqa: F811
    at_local(morning, "2021-10-16T08:40")
    app = ExamopsApp(morning, mode="report", staff="王总监", lang="zh-CN", pin_checked=True)
    app.animation_level = "none"
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, ReportScreen) and app.screen.idle)
        table = app.screen.query_one("#report-rooms")
        assert tuple(str(c.label) for c in table.columns.values()) == HEADINGS
        rows = {str(cells[0]): [int(str(c)) for c in cells[1:]] for cells in (table.get_row(k) for k in table.rows)}
        assert rows["001"] == [30, 3, 0, 27, 18, 0, 9]
        assert rows["004"] == [30, 0, 0, 30, 0, 0, 30]
        assert rows["B01"] == [0, 0, 2, 2, 2, 0, 0] and rows["G01"] == [0, 0, 1, 1, 1, 0, 0]
        for room, (rostered, moved_out, moved_in, expected, present, absent, not_arrived) in rows.items():
            assert expected == rostered - moved_out + moved_in == present + absent + not_arrived, room
        assert sum(r[4] for r in rows.values()) == 46  # everyone admitted sits in some row, once
        assert sum(r[3] for r in rows.values()) == sum(r[0] for r in rows.values()) == 120
        await until(pilot, lambda: "调入" in screen_text(app))
