"""`examops review` and `examops report view` open behind the chief's PIN, as Ctrl+T/Ctrl+B from a lane do.

The app is built as the CLI builds it (no `pin_checked`): the PIN modal comes first, nothing is read or
decided before it; a wrong PIN is logged, counts toward the back-off and closes the app with the reason.
"""

from __future__ import annotations

import pytest

from examops.adapters.store import Store, schema
from examops.domain import pin as pins
from examops.services.gate import Lane
from examops.services.site import PIN_REFUSED_IN_ROW_KEY
from examops.tui.app import ExamopsApp
from examops.tui.screens.report import ReportScreen
from examops.tui.screens.review import ReviewScreen
from tests.conftest import TEST_PIN, at_local, seed_roster
from tests.support.tui import count, run_async, screen_text, store_url, until  # noqa: F401 (store_url is a fixture)

SIZE = (100, 30)
SCREENS = {"review": ReviewScreen, "report": ReportScreen}


@pytest.fixture
def morning(site):
    people = seed_roster(site, n_rooms=2)
    at_local(site, "2021-10-16T08:10")
    lane = Lane(site, "A", "安检员1")
    lane.check(people[0].ticket, session_id="S1")
    lane.check(people[1].ticket, session_id="S1", outcome="no_test_cert")
    return site


def cli_app(site, mode: str, lang: str = "zh-CN") -> ExamopsApp:
    """As `examops review` / `examops report view` build it."""
    app = ExamopsApp(site, mode=mode, staff="王总监", lang=lang)
    app.animation_level = "none"
    return app


def opened(app, mode: str):
    return lambda: isinstance(app.screen, SCREENS[mode]) and not app.screen.locked


@pytest.mark.parametrize("mode", ["review", "report"])
@run_async
async def test_the_screen_asks_the_pin_before_showing_anything(morning, mode):
    app = cli_app(morning, mode)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.screen.__class__.__name__ == "PinModal")
        await until(pilot, lambda: "总监考密码" in screen_text(app))
        behind = next(s for s in app.screen_stack if isinstance(s, SCREENS[mode]))
        assert behind.locked
        assert not getattr(behind, "loaded", False) and getattr(behind, "figures", None) is None
        await pilot.press(*TEST_PIN, "enter")
        await until(pilot, opened(app, mode))
    assert count(morning, schema.events, kind="pin_refused") == 0


@pytest.mark.parametrize("mode", ["review", "report"])
@run_async
async def test_a_wrong_pin_is_logged_and_closes_the_app(morning, mode, capsys):
    app = cli_app(morning, mode)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.screen.__class__.__name__ == "PinModal")
        await pilot.press(*"0000", "enter")
        await until(pilot, lambda: app.return_code is not None)
    assert app.return_code == 1
    assert "未执行：密码错误（此次尝试已记录）" in capsys.readouterr().err
    assert count(morning, schema.events, kind="pin_refused") == 1


@run_async
async def test_esc_leaves_without_a_refusal(morning):
    app = cli_app(morning, "review")
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.screen.__class__.__name__ == "PinModal")
        await pilot.press("escape")
        await until(pilot, lambda: app.return_code is not None)
    assert app.return_code == 0
    assert count(morning, schema.events, kind="pin_refused") == 0


@run_async
async def test_after_too_many_wrong_pins_even_the_right_one_waits(morning, capsys):
    for _ in range(pins.FREE_GUESSES):
        assert not morning.check_pin("0000", who="test", purpose="guess")
    # Ten more in a row as the store counts them, so the wait (minutes) outlasts any slow start of the app.
    with morning.store.write() as conn:
        Store.put_secret(conn, PIN_REFUSED_IN_ROW_KEY, str(pins.FREE_GUESSES + 10))
    app = cli_app(morning, "report")
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.screen.__class__.__name__ == "PinModal")
        await pilot.press(*TEST_PIN, "enter")
        await until(pilot, lambda: app.return_code is not None)
    assert app.return_code == 1
    message = capsys.readouterr().err
    assert f"连续 {pins.FREE_GUESSES + 10} 次" in message and "秒" in message, message
    assert count(morning, schema.events, kind="pin_refused") == pins.FREE_GUESSES
