"""A site with photos: the card shows the face and waits; Enter admits once, F2 refers, Esc sets aside; scans wait behind."""

from __future__ import annotations

import threading
import time

from textual import events

from examops.tui.app import ExamopsApp
from examops.tui.messages import PhotoPrepared
from examops.tui.widgets.photo import PhotoCanvas, PhotoView
from tests.support.gate import admitted_tickets, banner, card_waiting, card_waits, gate_of, make_app, open_lane, scan, wedge
from tests.support.gate import stored_kinds as all_kinds
from tests.support.photos import give_photos
from tests.support.tui import run_async, screen_text, store_url, until  # noqa: F401 (store_url is a fixture)


def stored_kinds(site) -> list[str]:
    """What the lane stored (the photo import's own events aside)."""
    return [kind for kind in all_kinds(site) if kind != "photos_imported"]


@run_async
async def test_scan_shows_the_photo_enter_admits_and_the_admission_is_stored_once(seeded_site):
    person = seeded_site.people[0]
    give_photos(seeded_site, [p.ticket for p in seeded_site.people[:10]])
    app = make_app(seeded_site)
    async with open_lane(app) as pilot:
        await card_waiting(pilot, person.ticket)
        view = gate_of(app).query_one(PhotoView)
        assert view.state == "drawn" and view.ticket == person.ticket
        canvas = view.query_one(PhotoCanvas)
        assert canvas.prepared.method == "halfblock" and canvas.prepared.height >= 8
        text = screen_text(app)
        assert "▀" * 8 in text and person.name in text
        assert "CHECK THE FACE" in text and "F2 ID mismatch" in text
        assert banner(app) == "to_confirm"
        assert admitted_tickets(seeded_site) == []  # nothing before Enter
        assert stored_kinds(seeded_site) == []
        await pilot.press("enter")
        await until(pilot, lambda: banner(app) == "admitted" and gate_of(app).idle)
        assert admitted_tickets(seeded_site) == [person.ticket]
        await pilot.press("enter")  # a second Enter admits no one again
        await pilot.pause()
        await until(pilot, lambda: gate_of(app).idle)
    assert admitted_tickets(seeded_site) == [person.ticket]
    assert stored_kinds(seeded_site) == ["admitted"]


@run_async
async def test_a_burst_while_a_card_waits_admits_nobody_unconfirmed(seeded_site):
    first, *others = seeded_site.people[:5]
    give_photos(seeded_site, [p.ticket for p in seeded_site.people[:5]])
    app = make_app(seeded_site)
    async with app.run_test(size=(80, 24)) as pilot:  # the narrowest screen still shows how many wait
        await until(pilot, lambda: gate_of(app).idle)
        await card_waiting(pilot, first.ticket)
        wedge(app, *(p.ticket for p in others))
        await until(pilot, lambda: gate_of(app).line.queued == len(others))
        await pilot.pause()
        assert f"{len(others)} waiting" in screen_text(app)
        assert gate_of(app).card.ticket == first.ticket  # the waiting card stays on screen
        assert admitted_tickets(seeded_site) == [] and stored_kinds(seeded_site) == []
        # an Enter that arrived before the next card was drawn confirms nothing
        await pilot.press("enter")
        await until(pilot, lambda: len(admitted_tickets(seeded_site)) == 1)
        await card_waits(pilot, others[0].ticket)
        early = events.Key("enter", "\r")
        early.time = time.monotonic() - 5
        gate_of(app).scan_input.post_message(early)
        await pilot.pause()
        await pilot.pause()
        assert gate_of(app).waiting_card and gate_of(app).card.ticket == others[0].ticket
        assert admitted_tickets(seeded_site) == [first.ticket]
        await pilot.press("escape")  # set aside: not admitted, nothing stored; the next card comes up
        await card_waits(pilot, others[1].ticket)
        assert gate_of(app).line.queued == len(others) - 2
    assert admitted_tickets(seeded_site) == [first.ticket]
    assert stored_kinds(seeded_site) == ["admitted"]


@run_async
async def test_the_id_mismatch_key_refers_the_waiting_candidate_to_the_chief(seeded_site):
    person = seeded_site.people[2]
    give_photos(seeded_site, [person.ticket])
    app = make_app(seeded_site)
    async with open_lane(app) as pilot:
        await card_waiting(pilot, person.ticket)
        await pilot.press("f2")
        await until(pilot, lambda: app.screen is not gate_of(app))
        await pilot.press("enter")  # the note is optional
        await until(pilot, lambda: banner(app) == "exception" and gate_of(app).idle)
        assert not gate_of(app).waiting_card
    assert stored_kinds(seeded_site) == ["exception"]
    assert admitted_tickets(seeded_site) == []


@run_async
async def test_a_candidate_without_a_photo_says_so_and_still_waits(seeded_site):
    person, other = seeded_site.people[3], seeded_site.people[4]
    give_photos(seeded_site, [other.ticket])
    app = make_app(seeded_site)
    async with open_lane(app) as pilot:
        await card_waiting(pilot, person.ticket)
        assert gate_of(app).query_one(PhotoView).state == "missing"
        assert "No photo on file" in screen_text(app)
        assert admitted_tickets(seeded_site) == []


@run_async
async def test_confirm_never_admits_on_scan_though_the_photo_shows(seeded_site):
    person = seeded_site.people[5]
    give_photos(seeded_site, [person.ticket])
    app = make_app(seeded_site, confirm="never")
    async with open_lane(app) as pilot:
        await scan(pilot, person.ticket)
        await until(pilot, lambda: banner(app) == "admitted" and gate_of(app).idle)
        assert gate_of(app).query_one(PhotoView).ticket == person.ticket  # the photo is still shown
    assert admitted_tickets(seeded_site) == [person.ticket]


@run_async
async def test_confirm_always_waits_on_a_site_without_photos(seeded_site):
    person = seeded_site.people[7]
    app = make_app(seeded_site, confirm="always")
    async with open_lane(app) as pilot:
        await card_waiting(pilot, person.ticket)
        assert admitted_tickets(seeded_site) == []
        await pilot.press("enter")
        await until(pilot, lambda: banner(app) == "admitted" and gate_of(app).idle)
    assert admitted_tickets(seeded_site) == [person.ticket]


@run_async
async def test_without_photos_the_lane_admits_on_scan_and_shows_no_photo_column(seeded_site):
    person = seeded_site.people[8]
    app = make_app(seeded_site)
    async with open_lane(app) as pilot:
        await scan(pilot, person.ticket)
        await until(pilot, lambda: banner(app) == "admitted" and gate_of(app).idle)
        assert not gate_of(app).query(PhotoView)
    assert admitted_tickets(seeded_site) == [person.ticket]


@run_async
async def test_a_photo_prepared_for_the_size_before_a_resize_never_replaces_the_one_for_the_size_now(seeded_site):
    """At 80×24 the waiting card's taller banner shrinks the photo's box just after the card asked for its photo:
    the first preparation, slower than the second, must not land last and overflow the smaller box."""
    person = seeded_site.people[0]
    give_photos(seeded_site, [person.ticket])
    app = make_app(seeded_site)
    async with open_lane(app, (80, 24)) as pilot:
        view = gate_of(app).query_one(PhotoView)
        first_asked, release = threading.Event(), threading.Event()
        load, posted = view.load, []

        def slow_first(ticket):
            if not first_asked.is_set():
                first_asked.set()
                release.wait()
            return load(ticket)

        def post(message):
            if isinstance(message, PhotoPrepared):
                posted.append(message)
            return PhotoView.post_message(view, message)

        view.load, view.post_message = slow_first, post
        await scan(pilot, person.ticket)
        canvas = view.query_one(PhotoCanvas)
        await until(pilot, lambda: canvas.prepared is not None)  # the second preparation, for the box after the resize
        rows = canvas.prepared.height
        release.set()
        await until(pilot, lambda: len(posted) == 2)
        await pilot.pause()
        await card_waits(pilot, person.ticket)
        assert canvas.prepared.height == rows <= view.content_size.height
        assert view.settled


# -- snapshots: zh-CN, half-blocks, the card waiting -------------------------

async def _waiting_card(pilot) -> None:
    await until(pilot, lambda: gate_of(pilot.app).idle)
    await card_waiting(pilot, pilot.app.site.people[0].ticket)


def _photo_app(site) -> ExamopsApp:
    give_photos(site, [p.ticket for p in site.people[:3]])
    return make_app(site, lang="zh-CN")


def test_snapshot_photo_card_80x24_zh(seeded_site, snap_compare):
    assert snap_compare(_photo_app(seeded_site), terminal_size=(80, 24), run_before=_waiting_card)


def test_snapshot_photo_card_120x40_zh(seeded_site, snap_compare):
    assert snap_compare(_photo_app(seeded_site), terminal_size=(120, 40), run_before=_waiting_card)


@run_async
async def test_a_store_whose_photos_cannot_be_read_still_opens_the_lane_and_says_why(seeded_site, monkeypatch):
    """As when a lane starts with the shared server gone: the failure is said, the lane scans as without photos."""
    from examops.services import photos

    def unreadable(site):
        raise OSError("the store does not answer")

    person = seeded_site.people[9]
    monkeypatch.setattr(photos, "has_photos", unreadable)
    app = make_app(seeded_site)
    async with open_lane(app) as pilot:
        assert any("The photos could not be read: unexpected error OSError: the store does not answer" in n.message for n in app._notifications)
        await scan(pilot, person.ticket)
        await until(pilot, lambda: banner(app) == "admitted" and gate_of(app).idle)
    assert admitted_tickets(seeded_site) == [person.ticket]
