"""The report view's rooms at 08:40 of the fixture morning: every row adds up on screen (应到 = 实到 + 缺考 + 未到 + 调出),
and the backup and isolation rooms show who was moved in (调入)."""

from __future__ import annotations

from examops.tui.app import ExamopsApp
from examops.tui.screens.report import ReportScreen
from tests.conftest import at_local
from tests.integration.test_figures_morning import morning  # noqa: F401 (the fixture)
from tests.support.tui import run_async, screen_text, store_url, until  # noqa: F401 (store_url is a fixture)

HEADINGS = ("考场", "应到", "实到", "缺考", "未到", "调出", "调入")


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
        assert rows["001"] == [30, 18, 0, 9, 3, 0]
        assert rows["004"] == [30, 0, 0, 30, 0, 0]
        assert rows["B01"] == [0, 0, 0, 0, 0, 2] and rows["G01"] == [0, 0, 0, 0, 0, 1]
        for room, (expected, present, absent, not_arrived, moved_out, _moved_in) in rows.items():
            assert expected == present + absent + not_arrived + moved_out, room
        assert sum(r[1] + r[5] for r in rows.values()) == 46  # everyone admitted sits in some row
        await until(pilot, lambda: "调入" in screen_text(app))
