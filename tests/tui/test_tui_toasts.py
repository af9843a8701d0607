"""Toasts: Chinese drawn whole across the gate's two columns, never over a dialog, one short line for documents."""

from __future__ import annotations

import pytest
from textual.widgets._toast import Toast

from examops.i18n import _
from examops.tui.app import ExamopsApp
from examops.tui.screens.gate import GateScreen
from tests.conftest import at_local
from tests.support.tui import run_async, screen_text, store_url, until  # noqa: F401 (store_url is a fixture)

SMALL = (80, 24)


def gate_app(site, lang="zh-CN") -> ExamopsApp:
    at_local(site, "2021-10-16T08:10")
    app = ExamopsApp(site, mode="gate", lane="A", staff="安检员1", lang=lang)
    app.animation_level = "none"
    return app


def gate_of(app) -> GateScreen:
    return next(screen for screen in app.screen_stack if isinstance(screen, GateScreen))


def toast_text(app) -> str:
    """What the toasts on screen show, read off the drawn screen inside each toast's region, without spaces."""
    lines = screen_text(app).splitlines()
    shown = []
    for toast in app.screen.query(Toast):
        region = toast.region
        for y in range(region.y, region.bottom):
            shown.append(_cells(lines[y], region.x, region.right))
    return "".join(shown).replace(" ", "").replace("▌", "")


def _cells(line: str, start: int, end: int) -> str:
    """The characters of a drawn line between two cell columns (a Chinese character is two cells)."""
    from rich.cells import cell_len

    out, column = [], 0
    for ch in line:
        if start <= column < end:
            out.append(ch)
        column += cell_len(ch)
    return "".join(out)


@run_async
async def test_a_chinese_hint_over_both_gate_columns_is_drawn_whole(seeded_site):
    app = gate_app(seeded_site)
    async with app.run_test(size=SMALL, notifications=True) as pilot:
        await until(pilot, lambda: gate_of(app).idle)
        await pilot.press("enter")  # nothing on the card: the hint toast, at the bottom right, across the column edge
        await until(pilot, lambda: bool(app.screen.query(Toast)))
        await pilot.pause()
        hint = _("No candidate on the card to admit: scan or search first")
        assert hint.startswith("卡片上")
        assert toast_text(app) == hint.replace(" ", "")


@pytest.mark.parametrize("message", ["上一个扫描仍在核验，请稍候", "S1_001_考场门贴_签到表_座位贴.pdf", "a上一个扫描仍在核验，请稍候"])
@run_async
async def test_every_character_of_a_chinese_toast_survives(seeded_site, message):
    app = gate_app(seeded_site)
    async with app.run_test(size=SMALL, notifications=True) as pilot:
        await until(pilot, lambda: gate_of(app).idle)
        app.notify(message, timeout=30)
        await until(pilot, lambda: bool(app.screen.query(Toast)))
        await pilot.pause()
        assert toast_text(app) == message.replace(" ", "")


@run_async
async def test_a_dialog_opening_clears_the_toasts_and_holds_new_ones_until_it_closes(seeded_site):
    app = gate_app(seeded_site, lang="en")
    async with app.run_test(size=SMALL, notifications=True) as pilot:
        await until(pilot, lambda: gate_of(app).idle)
        await pilot.press("enter")
        await until(pilot, lambda: bool(app.screen.query(Toast)))
        await pilot.press("f7")  # the fever form: it wants input
        await until(pilot, lambda: app.screen.__class__.__name__ == "ExceptionForm")
        await pilot.pause()
        assert not app.screen.query(Toast) and not list(app._notifications)
        app.notify("Back online: 3 record(s) uploaded")
        await pilot.pause()
        assert not app.screen.query(Toast) and "Back online" not in screen_text(app)
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, GateScreen))
        await until(pilot, lambda: "Backonline" in toast_text(app))
