"""The review screen warns when the store was changed behind examops (fails on main: no warning there)."""

from __future__ import annotations

import sqlite3

from examops.services.gate import Lane
from examops.tui.app import ExamopsApp
from examops.tui.widgets.tamper_warning import TamperWarning
from tests.conftest import at_local, seed_roster
from tests.support.tui import run_async, screen_text, store_url, until  # noqa: F401 (store_url is a fixture)

SIZE = (120, 40)


def _app(site) -> ExamopsApp:
    at_local(site, "2021-10-16T08:10")
    app = ExamopsApp(site, mode="review", staff="王总监", lang="en", pin_checked=True)
    app.animation_level = "none"
    return app


def _scanned(site):
    site.people = seed_roster(site, n_rooms=2)
    at_local(site, "2021-10-16T08:10")
    lane = Lane(site, "A", "安检员1")
    for person in site.people[:4]:
        lane.check(person.ticket, session_id="S1")
    return site


def _checked(app) -> bool:
    warnings = app.screen.query(TamperWarning)
    return bool(warnings) and warnings.first().checked


@run_async
async def test_a_clean_store_shows_no_warning(site):
    app = _app(_scanned(site))
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: _checked(app))
        await pilot.pause()
        assert "TAMPERED" not in screen_text(app)
        assert not app.screen.query_one(TamperWarning).display


@run_async
async def test_an_event_deleted_with_sqlite3_is_shown_in_red_at_the_top(site):
    _scanned(site)
    db = sqlite3.connect(site.store.path)
    db.execute("DROP TRIGGER events_no_delete")
    db.execute("DELETE FROM admissions WHERE event_id = (SELECT id FROM events WHERE ticket = ?)", (site.people[1].ticket,))
    db.execute("DELETE FROM events WHERE ticket = ?", (site.people[1].ticket,))
    db.commit()
    db.close()
    app = _app(site)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: _checked(app))
        await pilot.pause()
        text = screen_text(app)
        assert "TAMPERED" in text and "examops verify" in text
        assert "events missing" in " ".join(app.screen.query_one(TamperWarning).findings)


@run_async
async def test_a_later_edit_is_found_by_the_next_recheck(site):
    app = _app(_scanned(site))
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: _checked(app))
        warning = app.screen.query_one(TamperWarning)
        assert not warning.findings
        db = sqlite3.connect(site.store.path)
        db.execute("DROP TRIGGER events_no_update")
        db.execute("UPDATE events SET staff = 'x' WHERE ticket = ?", (site.people[2].ticket,))
        db.commit()
        db.close()
        warning.checked = False
        warning.recheck()  # what the 30 s timer calls
        await until(pilot, lambda: warning.checked)
        await pilot.pause()
        assert warning.findings and "TAMPERED" in screen_text(app)
