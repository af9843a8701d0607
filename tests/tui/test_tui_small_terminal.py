"""Any terminal from 80×24 up: the gate's card, field, hint, recent scans and keys all on screen, in zh-CN."""

from __future__ import annotations

import pytest

from tests.support.gate import gate_of
from tests.support.gate import zh_app as make_app
from tests.support.tui import run_async, screen_text, store_url, until  # noqa: F401 (store_url is a fixture: SQLite only, as the snapshots are)

SMALL = (80, 24)
HINT_ZH = "扫描准考证 / 身份证，或输入后按 Enter"


async def settled_text(pilot) -> str:
    await until(pilot, lambda: gate_of(pilot.app).idle)
    await pilot.pause()
    await pilot.pause()
    return screen_text(pilot.app)


@run_async
async def test_at_80x24_the_card_shows_the_whole_candidate(seeded_site):
    person = max(seeded_site.people[:30], key=lambda p: len(p.name))
    app = make_app(seeded_site)
    async with app.run_test(size=SMALL) as pilot:
        idle = await settled_text(pilot)
        assert HINT_ZH in idle  # the hint is whole
        gate_of(app).scan_input.insert_text_at_cursor(person.ticket)
        await pilot.press("enter")
        await until(pilot, lambda: gate_of(app).card is not None)
        text = await settled_text(pilot)
        card = gate_of(app).card
        for value in (person.name, "女" if person.sex == "F" else "男", card.id_masked, person.ticket):
            assert value in text, f"{value!r} not on an 80×24 card"
        assert f"{card.room}" in text and f"座位 {card.seat}" in text.replace("  ", " ") or f"{card.seat}" in text
        assert "本通道最近扫描" in text
        recent = gate_of(app).query_one("#recent")
        assert recent.row_count == 1 and recent.region.height >= 2  # the title, the header and the scan


@run_async
async def test_the_footer_names_review_report_and_find(seeded_site):
    app = make_app(seeded_site)
    async with app.run_test(size=SMALL) as pilot:
        footer = (await settled_text(pilot)).splitlines()[-1]
        for key in ("^t", "^b", "^f"):
            assert key in footer, f"{key} missing from the footer: {footer!r}"


@run_async
async def test_the_english_hint_is_whole_at_80_columns(seeded_site):
    app = make_app(seeded_site, lang="en")
    async with app.run_test(size=SMALL) as pilot:
        assert "press Enter" in await settled_text(pilot)


async def _admit_one(pilot) -> None:
    await until(pilot, lambda: gate_of(pilot.app).idle)
    gate_of(pilot.app).scan_input.insert_text_at_cursor(pilot.app.site.people[0].ticket)
    await pilot.press("enter")
    await until(pilot, lambda: gate_of(pilot.app).idle and gate_of(pilot.app).card is not None)
    await pilot.pause()


def test_snapshot_gate_admitted_80x24_zh(seeded_site, snap_compare):
    assert snap_compare(make_app(seeded_site), terminal_size=SMALL, run_before=_admit_one)


def test_snapshot_gate_admitted_120x40_zh(seeded_site, snap_compare):
    assert snap_compare(make_app(seeded_site), terminal_size=(120, 40), run_before=_admit_one)


@pytest.mark.parametrize("lang, hint, note", [("en", "Scan the ticket or ID, or type it, press Enter", "2 waiting"),
                                              ("zh-CN", HINT_ZH, "排队 2")])
@run_async
async def test_at_80_columns_the_queue_note_leaves_the_hint_whole(seeded_site, lang, hint, note):
    """Scans waiting behind a photo card: the note sits on the field's border; a box beside the field cut the hint."""
    from tests.support.photos import give_photos

    people = seeded_site.people[:3]
    give_photos(seeded_site, [p.ticket for p in people])
    app = make_app(seeded_site, lang=lang)
    async with app.run_test(size=SMALL) as pilot:
        gate = gate_of(app)
        await until(pilot, lambda: gate.idle)
        for person in people:
            gate.scan_input.insert_text_at_cursor(person.ticket)
            await pilot.press("enter")
        await until(pilot, lambda: gate.waiting_card and gate.line.queued == 2 and gate.idle)
        await pilot.pause()
        text = screen_text(app)
        assert hint in text, text
        assert note in text, text


@run_async
async def test_at_100_columns_a_photo_card_shows_the_ticket_and_id_whole(seeded_site):
    """At 100 columns the big room and seat digits left the facts 7 columns: the ticket broke over two lines."""
    from tests.support.photos import give_photos

    person = seeded_site.people[0]
    give_photos(seeded_site, [person.ticket])
    app = make_app(seeded_site, lang="en")
    async with app.run_test(size=(100, 30)) as pilot:
        gate = gate_of(app)
        await until(pilot, lambda: gate.idle)
        gate.scan_input.insert_text_at_cursor(person.ticket)
        await pilot.press("enter")
        await until(pilot, lambda: gate.waiting_card and gate.idle)
        await pilot.pause()
        text = screen_text(app)
        card = gate.card
        for value in (person.ticket, card.id_masked, "Scan the ticket or ID, or type it, press Enter"):
            assert value in text, (value, text)
        assert f"Room {card.room} Seat {card.seat}" in " ".join(text.split()), text  # the line under the facts
