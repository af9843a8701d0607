"""What the gate-lane TUI tests share: the lane app at 08:10, a scanner's burst, the store behind the verdicts,
an alarm set up at another lane, and waits for the lane (and a waiting photo card) to settle."""

from __future__ import annotations

import contextlib

from sqlalchemy import select
from textual import events

from examops.adapters.store import schema
from examops.services.gate import Lane
from examops.tui.app import ExamopsApp
from examops.tui.screens.gate import GateScreen
from tests.conftest import at_local
from tests.support.tui import until

SIZE = (120, 40)
MORNING = "2021-10-16T08:10"  # the first session's doors are open
ZH_STAFF = "安检员1"


def make_app(site, lang: str = "en", *, when: str = MORNING, staff: str = "staff1", **kwargs) -> ExamopsApp:  # noqa: ANN001, ANN003
    """Lane A's app on `site`, its clock frozen at `when`, animations off."""
    at_local(site, when)
    app = ExamopsApp(site, mode="gate", lane="A", staff=staff, lang=lang, **kwargs)
    app.animation_level = "none"
    return app


def zh_app(site, lang: str = "zh-CN", **kwargs) -> ExamopsApp:  # noqa: ANN001, ANN003
    """Lane A's app in zh-CN, kept by a staffer with a Chinese name (the snapshots show it)."""
    return make_app(site, lang, staff=ZH_STAFF, **kwargs)


def gate_of(app) -> GateScreen:  # noqa: ANN001
    return next(screen for screen in app.screen_stack if isinstance(screen, GateScreen))


def banner(app) -> str:  # noqa: ANN001
    """The verdict banner's style: admitted, duplicate, to_confirm, not_recorded…"""
    return gate_of(app).query_one("#verdict").view.style


@contextlib.asynccontextmanager
async def open_lane(app, size: tuple[int, int] = SIZE):  # noqa: ANN001, ANN201
    """Run `app` through Pilot and yield the pilot once the lane is ready and idle."""
    async with app.run_test(size=size) as pilot:
        await until(pilot, lambda: gate_of(app).idle)
        yield pilot


async def settle(pilot) -> None:  # noqa: ANN001
    """Until the gate is on top again and idle."""
    await until(pilot, lambda: isinstance(pilot.app.screen, GateScreen) and gate_of(pilot.app).idle)
    await pilot.pause()


def wedge(app, *codes: str) -> None:  # noqa: ANN001
    """What the terminal driver does with a scanner's burst: every key posted at once, nothing awaited."""
    for code in codes:
        for character in code:
            app.post_message(events.Key(character, character))
        app.post_message(events.Key("enter", "\r"))


async def scan(pilot, code: str) -> None:  # noqa: ANN001
    """The whole code lands in the field, then Enter (no wait for the verdict)."""
    gate_of(pilot.app).scan_input.insert_text_at_cursor(code)
    await pilot.press("enter")


def admitted_tickets(site) -> list[str]:  # noqa: ANN001
    with site.store.read() as conn:
        return [row[0] for row in conn.execute(
            select(schema.events.c.ticket).where(schema.events.c.kind == "admitted").order_by(schema.events.c.pos))]


def kinds(site, ticket: str) -> list[str]:  # noqa: ANN001
    """The kinds of the events stored about `ticket`, in the log's order."""
    with site.store.read() as conn:
        return [row[0] for row in conn.execute(
            select(schema.events.c.kind).where(schema.events.c.ticket == ticket).order_by(schema.events.c.pos))]


def stored_kinds(site) -> list[str]:  # noqa: ANN001
    """The kinds of the events stored since the site was set up (its roster, devices and plan aside)."""
    with site.store.read() as conn:
        return [row[0] for row in conn.execute(
            select(schema.events.c.kind).where(schema.events.c.kind.not_in(("roster_imported", "device_enrolled", "plan_set"))))]


def admitted_elsewhere(site, person) -> None:  # noqa: ANN001
    """Someone with this ticket already went in at lane B: a scan here is a possible impersonation."""
    assert Lane(site, "B", "staff2").check(person.ticket).verdict == "admitted"


async def settled(pilot, recorded: int) -> None:  # noqa: ANN001
    """Until the lane is idle with `recorded` events stored."""
    site = gate_of(pilot.app).site
    await until(pilot, lambda: gate_of(pilot.app).idle and len(stored_kinds(site)) == recorded)
    await pilot.pause()


@contextlib.asynccontextmanager
async def burst_with_alarms(site, burst, twins, *, then=(), size: tuple[int, int] = SIZE):  # noqa: ANN001, ANN201
    """Lane A open on `site`, where each of `twins` went in at lane B already; the scanner's `burst` (people) sent
    all at once, then the `then` messages (keys right behind the burst). Yields (app, pilot) once every scan of the
    burst is recorded and the lane is idle: the first twin's duplicate on screen, the scans after it waiting."""
    app = make_app(site)
    for person in twins:
        admitted_elsewhere(site, person)
    async with open_lane(app, size) as pilot:
        wedge(app, *(person.ticket for person in burst))
        for message in then:
            app.post_message(message)
        await settled(pilot, len(burst) + len(twins))
        yield app, pilot


async def card_waits(pilot, ticket: str) -> None:  # noqa: ANN001
    """Until `ticket`'s card waits for the staffer and its photo has been drawn for the box on screen now (or said to
    be missing): at 80×24 the waiting card's taller banner shrinks that box just after the first photo was asked for."""
    from examops.tui.widgets.photo import PhotoView

    gate = gate_of(pilot.app)
    view = gate.query_one(PhotoView)
    await until(pilot, lambda: gate.waiting_card and gate.card is not None and gate.card.ticket == ticket
                and view.state in ("drawn", "missing", "failed") and view.settled and gate.idle)
    await pilot.pause()


async def card_waiting(pilot, ticket: str) -> None:  # noqa: ANN001
    """Scan `ticket` on a confirming lane and wait until its card (and photo) wait for the staffer."""
    await scan(pilot, ticket)
    await card_waits(pilot, ticket)
