"""The chief's review on a site with photos: the face beside an ID-mismatch case and a duplicate admission."""

from __future__ import annotations

from examops.tui.screens.review import ReviewScreen
from examops.tui.widgets.photo import PhotoView
from tests.support.photos import give_photos
from tests.support.tui import run_async, screen_text, store_url, until  # noqa: F401 (store_url is a fixture)
from tests.tui.test_tui_review import SIZE, cursor_to, make_app, morning, review_of, settle  # noqa: F401, F811 (morning is a fixture)


def photo_of(app) -> PhotoView:
    return review_of(app).query_one("#review-photo", PhotoView)


@run_async
async def test_the_id_mismatch_case_shows_the_photo_and_the_duplicate_alarm_its_first_admission(morning):  # noqa: F811
    give_photos(morning, [p.ticket for p in morning.people[:30]])
    app = make_app(morning)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await cursor_to(pilot, morning.mismatch.ticket)
        await until(pilot, lambda: photo_of(app).ticket == morning.mismatch.ticket and photo_of(app).state == "drawn")
        await pilot.pause()
        case = str(review_of(app).query_one("#review-case").render())
        assert "Not admitted" in case  # held at the gate: no admission to compare with
        assert "▀" * 8 in screen_text(app)
        await cursor_to(pilot, morning.feverish.ticket)  # a fever is not about the face: no photo
        await until(pilot, lambda: photo_of(app).ticket is None)
        review_of(app).query_one("#review-alarms").focus()
        await pilot.pause()
        twice = morning.twice
        await until(pilot, lambda: photo_of(app).ticket == twice.ticket and photo_of(app).state == "drawn")
        case = str(review_of(app).query_one("#review-case").render())
        assert twice.ticket in case
        assert "First admitted at lane A, 08:10:00, by 安检员1" in case
        assert "Scanned again 08:10:00 · lane B · by 安检员2" in case
        await settle(pilot)  # a refresh keeps the alarm on the detail while the alarms have focus
        review_of(app).request_refresh()
        await settle(pilot)
        assert photo_of(app).ticket == twice.ticket
        assert "First admitted at lane A" in str(review_of(app).query_one("#review-case").render())


@run_async
async def test_without_photos_the_review_has_no_photo_pane(morning):  # noqa: F811
    app = make_app(morning)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert not review_of(app).query(PhotoView)
        assert isinstance(review_of(app), ReviewScreen)
