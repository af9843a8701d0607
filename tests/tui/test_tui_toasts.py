"""Toasts: Chinese drawn whole across the gate's two columns, never over a dialog, one short line for documents."""

from __future__ import annotations

import pytest
from textual.widgets._toast import Toast

from examops.i18n import _
from examops.tui.screens.gate import GateScreen
from tests.support.gate import gate_of
from tests.support.gate import zh_app as gate_app
from tests.support.tui import run_async, screen_text, store_url, until  # noqa: F401 (store_url is a fixture)

SMALL = (80, 24)


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


def _terminal(width: int, height: int) -> list[list[str]]:
    return [[" "] * width for _ in range(height)]


def _write(grid: list[list[str]], segments) -> None:  # noqa: ANN001
    """Apply an update as a terminal does: writing over either half of a wide glyph erases all of it."""
    from rich.cells import cell_len
    from rich.segment import ControlType

    x = y = 0
    for segment in segments:
        for code in segment.control or ():
            if code[0] == ControlType.CURSOR_MOVE_TO:
                x, y = code[1], code[2]
        if segment.control:
            continue
        for ch in segment.text:
            if ch == "\n":
                continue
            width = cell_len(ch)
            row = grid[y]
            for cell in range(x, min(x + width, len(row))):
                if row[cell] == "" and cell:  # the right half of a wide glyph
                    row[cell - 1] = " "
                elif cell_len(row[cell]) == 2 and cell + 1 < len(row):
                    row[cell + 1] = " "
                row[cell] = " "
            if x < len(row):
                row[x] = ch
                if width == 2 and x + 1 < len(row):
                    row[x + 1] = ""
            x += width


@run_async
async def test_a_partial_update_beside_a_toast_leaves_its_glyphs_whole(seeded_site):
    """The clock and figures beside the toast redraw every second; in a terminal they must not erase its glyphs."""
    from rich.console import Console
    from textual.geometry import Region

    app = gate_app(seeded_site)
    async with app.run_test(size=SMALL, notifications=True) as pilot:
        await until(pilot, lambda: gate_of(app).idle)
        app.notify("上一个扫描仍在核验，请稍候", timeout=30)
        await until(pilot, lambda: bool(app.screen.query(Toast)))
        await pilot.pause()
        compositor = app.screen._compositor
        console = Console(width=SMALL[0], height=SMALL[1], legacy_windows=False, force_terminal=True)
        grid = _terminal(*SMALL)
        _write(grid, compositor.render_update(full=True).__rich_console__(console, console.options))
        right = gate_of(app).query_one("#gate-right").region
        compositor._dirty_regions.add(right)  # the side panel ticking under the toast's right half
        _write(grid, compositor.render_update().__rich_console__(console, console.options))
        toast = app.screen.query_one(Toast).region

        def drawn() -> str:
            return "".join("".join(row[toast.x:toast.right]) for row in grid[toast.y:toast.bottom]).replace(" ", "").replace("▌", "")

        assert drawn() == "上一个扫描仍在核验，请稍候"
        # A redraw of a part of the toast past the column edge (a cursor blinking there, say) redraws it.
        for row in grid[toast.y:toast.bottom]:
            row[right.x + 2:toast.right] = [" "] * (toast.right - right.x - 2)
        compositor._dirty_regions.add(Region(right.x + 2, toast.y, toast.right - right.x - 2, toast.height))
        _write(grid, compositor.render_update().__rich_console__(console, console.options))
        assert drawn() == "上一个扫描仍在核验，请稍候"
