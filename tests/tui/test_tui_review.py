"""The chief proctor's review screen through Pilot: cases, filters, the approval chain, reallocation, keys only."""

from __future__ import annotations

import pytest
from textual.widgets import Select
from textual.widgets._select import SelectOverlay

from examops.adapters.store import schema
from examops.services import review as review_service
from examops.services.gate import Lane
from examops.services.review import approve, list_cases
from examops.services.seating import plan_reallocation
from examops.tui.app import ExamopsApp
from examops.tui.screens.gate import GateScreen
from examops.tui.screens.review import ReviewScreen
from tests.conftest import TEST_PIN, at_local, seed_roster
from tests.support.tui import HeldRefresh, count, run_async, screen_text, store_url, until, waiting  # noqa: F401 (store_url is a fixture)

SIZE = (120, 40)
LEVELS = ("chief", "deputy", "supervisor")
APPROVERS = {"chief": "王总监", "deputy": "李副总", "supervisor": "省督导组 赵组长"}


@pytest.fixture
def morning(site):
    """A small morning: five without a test certificate, one fever, one ID mismatch, one duplicate scan."""
    site.people = people = seed_roster(site, n_rooms=4)
    at_local(site, "2021-10-16T08:10")
    lane = Lane(site, "A", "安检员1")
    site.uncertified = people[:5]
    for person in site.uncertified:
        lane.check(person.ticket, session_id="S1", outcome="no_test_cert")
    site.feverish = people[10]
    lane.check(site.feverish.ticket, session_id="S1", outcome="fever", evidence={"temp1": "38.2", "temp2": "37.9"})
    site.mismatch = people[12]
    Lane(site, "B", "安检员2").check(site.mismatch.ticket, session_id="S1", outcome="id_mismatch")
    site.twice = people[20]
    lane.check(site.twice.ticket, session_id="S1")
    Lane(site, "B", "安检员2").check(site.twice.ticket, session_id="S1")
    return site


def make_app(site, lang="en") -> ExamopsApp:
    at_local(site, "2021-10-16T08:10")
    app = ExamopsApp(site, mode="review", staff="王总监", lang=lang, pin_checked=True)
    app.animation_level = "none"
    return app


def review_of(app) -> ReviewScreen:
    return next(screen for screen in app.screen_stack if isinstance(screen, ReviewScreen))


def _quiet(app) -> bool:
    screen = review_of(app)
    running = [w for w in app.workers if (w.group or "").startswith("review-") and not w.is_finished]
    return app.screen is screen and screen.idle and not running


async def settle(pilot) -> None:
    """Wait until the review screen is on top, loaded, and no dialog, decision or load is running."""
    for _ in waiting():
        await pilot.pause(0.01)
        if _quiet(pilot.app):
            await pilot.pause()
            return
    raise AssertionError("the review screen did not settle")


def on_top(app, name: str):
    return lambda: app.screen.__class__.__name__ == name


def table_tickets(app) -> list[str]:
    table = review_of(app).query_one("#review-cases")
    return [str(table.get_row(key)[1]) for key in table.rows]


def notes(app, severity: str | None = None) -> list[str]:
    return [n.message for n in app._notifications if severity is None or n.severity == severity]


def statuses(site) -> dict[str, tuple[str, str | None]]:
    return {v.card.ticket: (v.status, v.next_level) for v in list_cases(site, session="S1")}


async def cursor_to(pilot, ticket: str) -> None:
    table = review_of(pilot.app).query_one("#review-cases")
    table.move_cursor(row=table_tickets(pilot.app).index(ticket))
    await pilot.pause()


async def filter_code(pilot, index: int) -> None:
    """Open the code filter with the keyboard and pick the `index`-th code of the policy."""
    await pilot.press("f", "enter", *["down"] * index, "enter")
    await settle(pilot)
    review_of(pilot.app).query_one("#review-cases").focus()
    await pilot.pause()


async def approve_marked(pilot, approver: str, pin: str = TEST_PIN, note: str = "") -> None:
    """`a` → approver's name (and a note) → Enter → PIN → Enter."""
    app = pilot.app
    await pilot.press("a")
    await until(pilot, on_top(app, "FieldsForm"))
    await pilot.press(*approver)
    if note:
        await pilot.press("tab", *note)
    await pilot.press("enter")
    await until(pilot, on_top(app, "PinModal"))
    await pilot.press(*pin, "enter")
    await settle(pilot)


def approve_all(site, tickets) -> None:
    ids = [v.case.id for v in list_cases(site, session="S1") if v.card.ticket in tickets]
    for level in LEVELS:
        approve(site, ids, level=level, by=APPROVERS[level], pin=TEST_PIN, session="S1")


@run_async
async def test_table_lists_every_case_and_the_code_filter_narrows_it(morning):
    app = make_app(morning)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        expected = sorted(p.ticket for p in [*morning.uncertified, morning.feverish, morning.mismatch])
        assert sorted(table_tickets(app)) == expected
        text = screen_text(app)
        assert "No negative test within 48 h" in text and "Fever" in text and "ID mismatch" in text
        assert "7/7 shown · pending 7" in text
        codes = list(morning.policy.codes)
        await filter_code(pilot, codes.index("no_test_cert") + 1)
        assert review_of(app).filters == {"code": "no_test_cert"}
        assert sorted(table_tickets(app)) == sorted(p.ticket for p in morning.uncertified)
        assert "5/7 shown" in screen_text(app)
        await pilot.press("c")  # clear the filters
        await settle(pilot)
        assert len(table_tickets(app)) == 7


@run_async
async def test_an_open_filter_list_stays_open_with_its_highlight_through_a_refresh(morning, monkeypatch):
    """A refresh landing while the chief moves through the code list neither closes it nor moves the highlight."""
    app = make_app(morning)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = review_of(app)
        await pilot.press("f", "enter", "down", "down")
        codes = screen.query_one("#filter-code", Select)
        overlay = codes.query_one(SelectOverlay)
        assert codes.expanded and app.focused is overlay and overlay.highlighted == 2
        async with HeldRefresh(monkeypatch, review_service, "duplicate_alarms").in_flight(pilot, screen):
            assert codes.expanded and app.focused is overlay
        await settle(pilot)
        assert codes.expanded and app.focused is overlay and overlay.highlighted == 2
        await pilot.press("down", "enter")
        await settle(pilot)
        assert screen.filters == {"code": list(morning.policy.codes)[2]}  # row 0 is "all"


@run_async
async def test_a_new_lane_waits_until_the_open_lane_list_is_closed(morning):
    """Lanes seen are offered as they come, but an open lane list is not rebuilt under the chief's cursor."""
    app = make_app(morning)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = review_of(app)
        lanes = screen.query_one("#filter-lane", Select)
        await pilot.press("f", "tab", "tab", "enter", "down", "down")
        overlay = lanes.query_one(SelectOverlay)
        assert lanes.expanded and app.focused is overlay and overlay.highlighted == 2
        Lane(morning, "C", "安检员3").check(morning.people[30].ticket, session_id="S1", outcome="fever",
                                           evidence={"temp1": "38.0", "temp2": "38.1"})
        screen.request_refresh()
        await settle(pilot)
        assert len(table_tickets(app)) == 8
        assert lanes.expanded and app.focused is overlay and overlay.highlighted == 2
        await pilot.press("escape")
        screen.request_refresh()
        await settle(pilot)
        assert [value for _, value in lanes._options[1:]] == ["A", "B", "C"]


@run_async
async def test_a_refresh_keeps_the_focus_and_the_cursor_on_the_cases_table(morning, monkeypatch):
    app = make_app(morning)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = review_of(app)
        table = screen.query_one("#review-cases")
        await cursor_to(pilot, table_tickets(app)[3])
        chosen = table.highlighted_id
        assert app.focused is table
        async with HeldRefresh(monkeypatch, review_service, "duplicate_alarms").in_flight(pilot, screen):
            assert "7/7 shown" in screen_text(app)  # the cases stay in view while they reload
        await settle(pilot)
        assert app.focused is table and table.highlighted_id == chosen
        await pilot.press("down")
        assert table.highlighted_id == str(table.coordinate_to_cell_key((4, 0)).row_key.value)


@run_async
async def test_batch_approval_through_the_whole_chain(morning):
    uncertified = {p.ticket for p in morning.uncertified}
    app = make_app(morning)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for level in LEVELS:
            await cursor_to(pilot, morning.uncertified[2].ticket)
            await pilot.press("m")  # every pending case of this code
            assert {str(k) for k in review_of(app).marked} == {
                v.case.id for v in list_cases(morning, session="S1", code="no_test_cert")}
            await approve_marked(pilot, APPROVERS[level], note="by phone" if level == "supervisor" else "")
            assert not notes(app, "error")
            now = statuses(morning)
            after = LEVELS[LEVELS.index(level) + 1] if level != LEVELS[-1] else None
            assert all(now[t] == (("pending", after) if after else ("approved", None)) for t in uncertified)
            assert now[morning.feverish.ticket] == ("pending", "chief")
            assert not review_of(app).marked
        assert "pending 2 · approved 5" in screen_text(app)
    case = list_cases(morning, session="S1", code="no_test_cert")[0].to_json()
    assert [(a["level"], a["by"], a["recorded_by"]) for a in case["approvals"]] == [
        (level, APPROVERS[level], "王总监") for level in LEVELS]
    assert case["approvals"][-1]["note"] == "by phone"


@run_async
async def test_a_wrong_pin_is_refused_and_nothing_changes(morning):
    before = statuses(morning)
    app = make_app(morning)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("m")
        await approve_marked(pilot, "王总监", pin="0000")
        errors = notes(app, "error")
        assert errors and "wrong PIN" in errors[-1]
        assert review_of(app).marked  # the marks stay for another try
    assert statuses(morning) == before
    assert count(morning, schema.events, kind="pin_refused") == 1


@run_async
async def test_a_wrong_pin_is_refused_in_the_screens_language(morning):
    """The service's refusal is a Said: the Chinese screen says it from the catalog, not in English."""
    app = make_app(morning, lang="zh-CN")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("m")
        await approve_marked(pilot, "王总监", pin="0000")
        errors = notes(app, "error")
        assert errors and "密码错误：只有总监考可以执行此操作" in errors[-1] and "wrong PIN" not in errors[-1]


@run_async
async def test_a_mixed_batch_is_refused_by_the_chain(morning):
    approve(morning, [v.case.id for v in list_cases(morning, session="S1", code="fever")], level="chief", by="王总监",
            pin=TEST_PIN)
    before = statuses(morning)
    app = make_app(morning)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await cursor_to(pilot, morning.uncertified[0].ticket)
        await pilot.press("space")
        await cursor_to(pilot, morning.feverish.ticket)
        await pilot.press("space")
        assert len(review_of(app).marked) == 2
        await approve_marked(pilot, "王总监")
        assert "needs" in notes(app, "error")[-1]
    assert statuses(morning) == before


@run_async
async def test_reject_and_resolve_need_their_words(morning):
    app = make_app(morning)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await cursor_to(pilot, morning.mismatch.ticket)
        await pilot.press("r")
        await until(pilot, on_top(app, "FieldsForm"))
        await pilot.press("enter")  # the name is prefilled, the reason is not
        assert app.screen.__class__.__name__ == "FieldsForm" and "Fill in" in screen_text(app)
        await pilot.press(*"photo does not match", "enter")
        await until(pilot, on_top(app, "PinModal"))
        await pilot.press(*TEST_PIN, "enter")
        await settle(pilot)
        await cursor_to(pilot, morning.uncertified[4].ticket)
        await pilot.press("s")
        await until(pilot, on_top(app, "FieldsForm"))
        await pilot.press(*"certificate arrived", "enter")
        await until(pilot, on_top(app, "PinModal"))
        await pilot.press(*TEST_PIN, "enter")
        await settle(pilot)
        assert "Resolved by 王总监" in screen_text(app)
    now = statuses(morning)
    assert now[morning.mismatch.ticket][0] == "rejected" and now[morning.uncertified[4].ticket][0] == "resolved"


@run_async
async def test_reallocation_preview_then_confirm_seats_everyone(morning):
    approve_all(morning, {p.ticket for p in morning.uncertified} | {morning.feverish.ticket})
    planned = plan_reallocation(morning, "S1").moves
    assert len(planned) == 6
    app = make_app(morning)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("p")
        await until(pilot, on_top(app, "ReallocationPreview"))
        preview = app.screen.query_one("#preview-moves")
        rows = [tuple(str(c) for c in preview.get_row(key)) for key in preview.rows]
        assert rows == [(m.ticket, m.name, f"{m.from_room}/{m.from_seat}", f"{m.room}/{m.seat}") for m in planned]
        text = screen_text(app)
        assert "6 candidate(s) would move" in text and "B01/1" in text and "G01/1" in text
        assert count(morning, schema.events, kind="admitted") == 1  # the preview moved nobody
        await pilot.press("enter")
        await until(pilot, on_top(app, "PinModal"))
        await pilot.press(*TEST_PIN, "enter")
        await settle(pilot)
        assert "Seated 6 candidate(s)" in notes(app)[-1]
        table = review_of(app).query_one("#review-cases")
        await until(pilot, lambda: any("backup room → B01/1" in str(cell) for key in table.rows for cell in table.get_row(key)))
    assert plan_reallocation(morning, "S1").moves == []
    seated = {v.card.ticket: v.case.seated_by.payload["room"] for v in list_cases(morning, session="S1") if v.case.seated_by}
    assert seated == {**{p.ticket: "B01" for p in morning.uncertified}, morning.feverish.ticket: "G01"}


@run_async
async def test_missing_seats_offer_a_room_then_the_preview_again(morning):
    lane = Lane(morning, "C", "安检员3")
    feverish = morning.people[40:56]  # 16 more than the 15 usable seats of G01, with the morning's one: 2 short
    for person in feverish:
        lane.check(person.ticket, session_id="S1", outcome="fever", evidence={"temp1": "38.0", "temp2": "38.1"})
    approve_all(morning, {p.ticket for p in feverish} | {morning.feverish.ticket})
    app = make_app(morning)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("p")
        await until(pilot, on_top(app, "ReallocationPreview"))
        assert "2 seat(s) missing in isolation rooms" in screen_text(app)
        await pilot.press("enter")  # refused: nothing would be done
        assert app.screen.__class__.__name__ == "ReallocationPreview"
        await pilot.press("n")
        await until(pilot, on_top(app, "FieldsForm"))
        assert app.screen.query_one("#field-kind").value == "isolation"
        await pilot.press(*"G02", "tab", *"隔离考场二", "enter")
        await until(pilot, on_top(app, "PinModal"))
        await pilot.press(*TEST_PIN, "enter")
        await until(pilot, on_top(app, "ReallocationPreview"))
        assert "17 candidate(s) would move" in screen_text(app)
        await pilot.press("enter")
        await until(pilot, on_top(app, "PinModal"))
        await pilot.press(*TEST_PIN, "enter")
        await settle(pilot)
    assert count(morning, schema.rooms, id="G02", kind="isolation") == 1
    assert plan_reallocation(morning, "S1").moves == [] and not plan_reallocation(morning, "S1").unplaced


@run_async
async def test_detail_pane_shows_evidence_chain_and_timeline(morning):
    approve(morning, [v.case.id for v in list_cases(morning, session="S1", code="fever")], level="chief",
            by="王总监", note="isolate now", pin=TEST_PIN)
    app = make_app(morning)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await cursor_to(pilot, morning.feverish.ticket)
        person = morning.feverish
        case = review_of(app).query_one("#review-case").render()
        timeline = str(review_of(app).query_one("#review-timeline").render())
        case = str(case)
        assert person.name in case and person.id_number not in case
        assert person.id_number[:6] + "********" + person.id_number[-4:] in case
        assert "38.2" in case and "37.9" in case
        assert "Recorded 08:10:00 · lane A · by 安检员1" in case
        assert "✓ chief proctor  王总监  08:10:00  isolate now" in case
        assert "… deputy chief  waiting" in case
        assert "Every event about the candidate" in timeline
        assert "exception  Lane A · Fever · 安检员1" in timeline
        assert "approved  chief proctor 王总监" in timeline
        alarms = review_of(app).query_one("#review-alarms")
        assert alarms.row_count == 1 and morning.twice.ticket in screen_text(app)
        assert "possible impersonation): 1" in screen_text(app)


@run_async
async def test_the_gate_opens_the_review_only_with_the_pin(morning):
    at_local(morning, "2021-10-16T08:10")
    app = ExamopsApp(morning, mode="gate", lane="A", staff="安检员1", lang="en")
    app.animation_level = "none"
    async with app.run_test(size=SIZE) as pilot:
        # the review opens once the lane is ready (the store open: it needs it); before that Ctrl+T does nothing
        await until(pilot, lambda: isinstance(app.screen, GateScreen) and app.screen.lane_ready)
        await pilot.press("ctrl+t")
        await until(pilot, on_top(app, "PinModal"))
        await pilot.press(*"0000", "enter")
        await until(pilot, lambda: isinstance(app.screen, GateScreen))
        assert "wrong PIN" in notes(app, "error")[-1]
        await pilot.press("ctrl+t")
        await until(pilot, on_top(app, "PinModal"))
        await pilot.press(*TEST_PIN, "enter")
        await settle(pilot)
        assert len(table_tickets(app)) == 7
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, GateScreen))
        await until(pilot, lambda: app.screen.scan_input.has_focus)
    assert count(morning, schema.events, kind="pin_refused") == 1


@pytest.mark.parametrize("lang, expected", [
    ("zh-CN", ("异常审批", "无48小时核酸阴性证明", "备用考场", "待审批", "总监考", "审批链", "重复入场报警", "批准", "驳回")),
    ("en", ("Exception review", "No negative test within 48 h", "backup room", "pending", "chief proctor",
            "Approval chain", "Duplicate-scan alarms", "Approve", "Reject")),
])
@run_async
async def test_labels_follow_the_language(morning, lang, expected):
    app = make_app(morning, lang=lang)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await until(pilot, lambda: expected[-1] in screen_text(app))  # the footer is drawn last
        text = screen_text(app)
        for label in expected:
            assert label in text, label


@run_async
async def test_room_documents_are_written_for_the_session(morning, tmp_path):
    pytest.importorskip("openpyxl")
    approve_all(morning, {p.ticket for p in morning.uncertified})
    app = make_app(morning)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("d")
        await until(pilot, on_top(app, "FieldsForm"))
        field = app.screen.query_one("#field-out")
        field.value = str(tmp_path / "docs")
        await pilot.press("enter")
        await settle(pilot)
        assert not notes(app, "error"), notes(app, "error")
        written = notes(app)[-1]
    files = sorted((tmp_path / "docs").iterdir())
    assert files and any((tmp_path / "docs").glob("*.xlsx"))
    # One short line: how many and where; never every path (14 of them covered the next dialog).
    assert written == f"{len(files)} room documents written to {tmp_path / 'docs'}"


# -- snapshots (frozen clock, no blinking) --------------------------------

SNAP_SIZE = (120, 36)


def test_snapshot_review_cases(morning, snap_compare):
    approve(morning, [v.case.id for v in list_cases(morning, session="S1", code="fever")], level="chief",
            by="王总监", note="电话", pin=TEST_PIN)
    app = make_app(morning, lang="zh-CN")

    async def highlighted_fever(pilot):
        await settle(pilot)
        await cursor_to(pilot, morning.feverish.ticket)
        await pilot.press("space", "up")  # marked, and the cursor back on it
        await until(pilot, lambda: "已标记 1" in screen_text(app))

    assert snap_compare(app, terminal_size=SNAP_SIZE, run_before=highlighted_fever)


def test_snapshot_reallocation_preview(morning, snap_compare):
    approve_all(morning, {p.ticket for p in morning.uncertified} | {morning.feverish.ticket})
    app = make_app(morning, lang="zh-CN")

    async def preview(pilot):
        await settle(pilot)
        await pilot.press("p")
        await until(pilot, on_top(app, "ReallocationPreview"))
        await pilot.pause()

    assert snap_compare(app, terminal_size=SNAP_SIZE, run_before=preview)


@run_async
async def test_offline_lane_conflicts_show_with_the_alarms(morning, tmp_path):
    from examops.services.bundles import export_bundle, merge_bundles
    from tests.support.lane_laptops import lane_laptop_store

    lanes = []
    for name in ("C", "D"):  # lane A already writes to the site store from this host
        lane_site = lane_laptop_store(morning, tmp_path / (name + ".sqlite3"))
        seed_roster(lane_site, n_rooms=4, record=False)
        at_local(lane_site, "2021-10-16T08:10")
        lanes.append(lane_site)
    ticket = morning.people[100].ticket
    for lane_site, name in zip(lanes, ("C", "D")):
        assert Lane(lane_site, name, "s").check(ticket, session_id="S1").verdict == "admitted"
    merge_bundles(morning, [export_bundle(s, tmp_path / f"{i}.examops")["out"] for i, s in enumerate(lanes)])
    app = make_app(morning)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        alarms = review_of(app).query_one("#review-alarms")

        def conflict_listed() -> bool:
            rows = [" ".join(str(cell) for cell in alarms.get_row(key)) for key in alarms.rows]
            return any(ticket in row and "conflict" in row for row in rows)

        await until(pilot, conflict_listed)


@run_async
async def test_the_summary_shows_what_the_chief_pin_was_used_for_and_refused(morning):
    assert not morning.check_pin("8513")
    morning.grant_override("考场记录补录", TEST_PIN, who="王总监")
    app = make_app(morning)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert "wrong PINs 1 · overrides 1 · 7/7 shown" in text
