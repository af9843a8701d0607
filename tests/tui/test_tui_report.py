"""The bureau report view through Pilot: live figures, the verdict, building the signed report, its QR code."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import threading
import zipfile

import pytest
from sqlalchemy import select
from textual.geometry import Region

from examops import i18n
from examops.adapters.store import schema
from examops.services import report as report_service
from examops.services.gate import Lane
from examops.services.review import list_cases, resolve
from examops.tui.app import ExamopsApp
from examops.tui.screens import report as report_screen
from examops.tui.screens.gate import GateScreen
from examops.tui.screens.report import ReportQRCode, ReportScreen, qr_blocks
from examops.tui.screens.roster import RosterScreen
from tests.conftest import TEST_PIN, at_local, seed_roster
from tests.support.tui import HeldRefresh, count, run_async, screen_text, store_url, until, waiting  # noqa: F401 (store_url is a fixture)

SIZE = (120, 40)
ROOM_SEATS = 30
EXAMOPS = shutil.which("examops", path=str(sys.executable).rsplit("/", 1)[0]) or "examops"


@pytest.fixture
def morning(site):
    """Three arrive at 08:02 (room 001), seven at 08:17 (room 002), one late at 08:35 (room 004); one held pending."""
    site.people = people = seed_roster(site, n_rooms=4, seats=ROOM_SEATS)
    lane = Lane(site, "A", "s")
    site.admitted = {}
    for at, group in (("08:02", people[0:3]), ("08:17", people[40:47]), ("08:35", people[95:96])):
        at_local(site, f"2021-10-16T{at}")
        for person in group:
            lane.check(person.ticket, session_id="S1")
            site.admitted[person.ticket] = at
    at_local(site, "2021-10-16T08:17")
    site.held = people[70]
    lane.check(site.held.ticket, session_id="S1", outcome="no_test_cert")
    return site


def admitted_per_room(site) -> dict[str, int]:
    """Counted from the store, independently of the figures service."""
    with site.store.read() as conn:
        rooms = dict(conn.execute(select(schema.seats.c.ticket, schema.seats.c.room_id)
                                  .where(schema.seats.c.session_id == "S1")).all())
        tickets = [row.ticket for row in conn.execute(
            select(schema.events.c.ticket).where(schema.events.c.kind == "admitted", schema.events.c.session_id == "S1"))]
    per_room = {room: 0 for room in sorted(set(rooms.values()))}
    for ticket in tickets:
        per_room[rooms[ticket]] += 1
    return per_room


def make_app(site, lang="en", mode="report", **kwargs) -> ExamopsApp:
    at_local(site, "2021-10-16T08:40")
    if mode in ("review", "report"):
        kwargs.setdefault("pin_checked", True)  # as if given to the lock; the lock itself: test_tui_chief_lock.py
    app = ExamopsApp(site, mode=mode, staff="王总监", lang=lang, **kwargs)
    app.animation_level = "none"
    return app


def report_of(app) -> ReportScreen:
    return next(screen for screen in app.screen_stack if isinstance(screen, ReportScreen))


def on_top(app, name: str):
    return lambda: app.screen.__class__.__name__ == name


async def settle(pilot) -> None:
    """Wait until the report view is on top with its figures, and nothing computes or builds."""
    app = pilot.app
    for _ in waiting():
        await pilot.pause(0.01)
        screens = [s for s in app.screen_stack if isinstance(s, ReportScreen)]
        running = [w for w in app.workers if (w.group or "").startswith("report-") and not w.is_finished]
        if screens and app.screen is screens[0] and screens[0].idle and not running:
            await pilot.pause()
            return
    raise AssertionError("the report view did not settle")


def notes(app, severity: str | None = None) -> list[str]:
    return [n.message for n in app._notifications if severity is None or n.severity == severity]


def figure(text: str, label: str) -> int:
    match = re.search(rf"{re.escape(label)}\s+(\d+)", text)
    assert match, f"{label} not on screen"
    return int(match.group(1))


def room_rows(app) -> dict[str, tuple[int, ...]]:
    """Per room: 原编排, 调出, 调入, 应到, 实到, 缺考, 未到."""
    table = report_of(app).query_one("#report-rooms")
    return {str(key.value): tuple(int(str(c)) for c in table.get_row(key)[1:]) for key in table.rows}


def the_held_case(site) -> str:
    return next(v.case.id for v in list_cases(site, session="S1") if v.card.ticket == site.held.ticket)


@run_async
async def test_figures_rooms_and_arrivals_match_the_counts(morning):
    per_room = admitted_per_room(morning)
    present = sum(per_room.values())
    assert present == len(morning.admitted) == 11
    app = make_app(morning)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        text = screen_text(app)
        # 08:40, entry open until 09:00: the missing are not yet arrived, not absent
        assert (figure(text, "Expected"), figure(text, "Present"), figure(text, "Absent"), figure(text, "Not yet arrived")) \
            == (120, present, 0, 120 - present)
        assert figure(text, "Admitted late") == 1 and figure(text, "Exceptions") == 1
        assert "Exceptions by code: No negative test within 48 h 1" in text
        assert room_rows(app) == {room: (ROOM_SEATS, 0, 0, ROOM_SEATS, n, 0, ROOM_SEATS - n) for room, n in per_room.items()}
        assert "Attendance per room (4 rooms)" in text
        # 08:00 three, 08:15 seven, 08:35 one, and the empty 5-minute slots between them
        assert list(report_of(app).query_one("#report-arrivals").data) == [3, 0, 0, 7, 0, 0, 0, 1]
        assert "08:00–08:35 · peak 7 at 08:15" in text
        assert "Figures as of 08:40:00" in text


@run_async
async def test_a_refresh_keeps_the_focus_and_the_cursor_on_the_rooms_table(morning, monkeypatch):
    """The figures recomputed every few seconds neither blank the view nor take the rooms table's focus."""
    app = make_app(morning)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = report_of(app)
        table = screen.query_one("#report-rooms")
        await pilot.press("down", "down")
        assert app.focused is table and table.cursor_row == 2
        async with HeldRefresh(monkeypatch, report_screen, "session_figures").in_flight(pilot, screen):
            assert "Attendance per room (4 rooms)" in screen_text(app)  # the figures stay in view meanwhile
        await settle(pilot)
        assert app.focused is table and table.cursor_row == 2
        await pilot.press("up")
        assert table.cursor_row == 1


@run_async
async def test_the_verdict_turns_true_once_the_exception_is_resolved(morning):
    app = make_app(morning)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        verdict = report_of(app).query_one("#report-verdict")
        text = screen_text(app)
        assert "NOT ZERO-INCIDENT" in text and verdict.has_class("-not-zero")
        assert "▲ 1 exception(s) not decided or not seated" in text
        resolve(morning, the_held_case(morning), by="王总监", note="certificate arrived", pin=TEST_PIN)
        # the timer's next refresh, no key pressed: only the paper's end stands in the way now
        await until(pilot, lambda: [r.code for r in report_of(app).figures.reasons] == ["not_over"])
        await settle(pilot)
        text = screen_text(app)
        assert "▲ the session had not ended" in text and verdict.has_class("-not-zero")
        assert figure(text, "Present") == 12 and figure(text, "Absent") == 0 and figure(text, "Not yet arrived") == 108  # 08:40: entry open
        at_local(morning, "2021-10-16T11:31")  # the paper is over
        await until(pilot, lambda: report_of(app).figures.zero_incident)
        await settle(pilot)
        text = screen_text(app)
        assert "ZERO INCIDENTS · ZERO MISTAKES · ZERO ERRORS" in text and "零事故、零失误、零差错" in text
        assert verdict.has_class("-zero") and "▲" not in text
        assert figure(text, "Present") == 12 and figure(text, "Absent") == 108
    assert count(morning, schema.events, kind="resolved") == 1


def _decoded(png: bytes, tmp_path, name: str) -> str:
    path = tmp_path / name
    path.write_bytes(png)
    done = subprocess.run(["zbarimg", "-q", "--raw", str(path)], capture_output=True, text=True)
    return done.stdout.strip()


def _modules_png(blocks: str) -> bytes:
    """The half blocks drawn back as modules, eight pixels each, the way a terminal shows them."""
    from io import BytesIO

    from PIL import Image

    rows = []
    for line in blocks.split("\n"):
        rows += [[c in "█▀" for c in line], [c in "█▄" for c in line]]
    image = Image.new("L", (len(rows[0]) * 8, len(rows) * 8), 255)
    for y, row in enumerate(rows):
        for x, dark in enumerate(row):
            if dark:
                image.paste(0, (x * 8, y * 8, x * 8 + 8, y * 8 + 8))
    buffer = BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


@run_async
async def test_build_report_writes_a_verified_report_and_shows_its_qr_code(morning, tmp_path):
    out = tmp_path / "reports" / "S1-bureau.xlsx"
    app = make_app(morning)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("b")
        await until(pilot, on_top(app, "FieldsForm"))
        field = app.screen.query_one("#field-out")
        assert field.value.endswith("reports/S1-2021-10-16.xlsx")  # under EXAMOPS_HOME by default
        field.value = str(out)
        await pilot.press("enter")
        await until(pilot, on_top(app, "PinModal"))  # only the chief signs
        await pilot.press(*TEST_PIN, "enter")
        await until(pilot, on_top(app, "ReportQRCode"))
        await pilot.pause()
        assert not notes(app, "error"), notes(app, "error")
        text = screen_text(app)
        assert isinstance(app.screen, ReportQRCode)
        built = app.screen.built
        assert built.out == str(out) and built.fingerprint in text
        blocks = built.qr_blocks.split("\n")
        assert all(line.strip() in text for line in blocks if line.strip())  # the whole code is on screen
        assert max(len(line) for line in blocks) + 4 <= SIZE[0] and len(blocks) + 2 <= SIZE[1]
        await pilot.press("escape")
        await settle(pilot)
        assert "Last built: " + str(out)[:40] in screen_text(app) and report_of(app).last_built is built
    assert out.exists()
    verified = subprocess.run([EXAMOPS, "report", "verify", str(out), "--any-key"], capture_output=True, text=True)
    assert verified.returncode == 0, verified.stderr
    # the code on screen is the one the workbook's signature sheet carries, field for field
    from examops.adapters.excel_out.report_reader import load_cells, signature_cells

    fields = signature_cells(load_cells(out)).fields
    payload = f"{report_service.FORMAT};fp={fields['fingerprint']};sig={fields['signature']};fig={fields['figures_sha256']}"
    assert built.qr_payload == payload and built.qr_blocks == qr_blocks(payload)
    if shutil.which("zbarimg"):
        with zipfile.ZipFile(out) as book:
            image = next(book.read(name) for name in book.namelist() if name.startswith("xl/media/"))
        assert _decoded(image, tmp_path, "sheet.png") == payload
        assert _decoded(_modules_png(built.qr_blocks), tmp_path, "screen.png") == payload


CANCEL_WORDS = {"en": ("Laying out the sheets…", "Cancel build", "Cancelled: no report written"),
                "zh-CN": ("排版工作表…", "取消生成", "已取消，未生成报告")}


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
@run_async
async def test_the_build_shows_its_phases_and_can_be_cancelled(morning, tmp_path, monkeypatch, lang):
    phase_said, cancel_key, cancelled = CANCEL_WORDS[lang]
    monkeypatch.setattr(i18n, "_active_language", i18n.language())  # the app sets the process's language: undone after
    out = tmp_path / "cancelled.xlsx"
    at_layout, release = threading.Event(), threading.Event()
    real = report_service.build_report

    def held_at_layout(site, **kwargs):
        progress = kwargs["progress"]

        def hold(phase: str, done: int, total: int) -> None:
            progress(phase, done, total)
            if phase == "layout":
                at_layout.set()
                release.wait(10)

        return real(site, **{**kwargs, "progress": hold})

    monkeypatch.setattr(report_service, "build_report", held_at_layout)
    app = make_app(morning, lang=lang)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("b")
        await until(pilot, on_top(app, "FieldsForm"))
        app.screen.query_one("#field-out").value = str(out)
        await pilot.press("enter")
        await until(pilot, on_top(app, "PinModal"))
        await pilot.press(*TEST_PIN, "enter")
        bar = report_of(app).query_one("#report-progress")
        await until(pilot, lambda: at_layout.is_set() and bar.progress == 1)
        text = screen_text(app)
        assert phase_said in text and cancel_key in text
        await pilot.press("x")
        release.set()
        await until(pilot, lambda: not report_of(app).building and notes(app))  # notifications arrive as messages
        assert notes(app) == [cancelled]
        assert not report_of(app).query_one("#report-build").display
    assert not out.exists() and not list(tmp_path.glob(".cancelled*"))


def test_the_service_reports_its_phases_in_order(morning, tmp_path):
    seen = []
    result = report_service.build_report(morning, session_ids=["S1"], out=tmp_path / "r.xlsx", pin=TEST_PIN,
                                         progress=lambda *step: seen.append(step))
    assert seen == [("gather", 0, 4), ("layout", 1, 4), ("digest", 2, 4), ("save", 3, 4)]
    assert result["qr_payload"].startswith(f"{report_service.FORMAT};fp={result['fingerprint']};sig=")


@run_async
async def test_labels_in_chinese(morning):
    app = make_app(morning, lang="zh-CN")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await until(pilot, lambda: "生成报告" in screen_text(app))  # the footer is drawn last
        text = screen_text(app)
        for label in ("考务报告", "应到", "实到", "缺考", "开考后入场", "重复扫描报警", "离线通道冲突", "作废记录",
                      "未达“零事故、零失误、零差错”", "1 起异常未决或未安置", "入场时间分布（每 5 分钟）",
                      "各考场到考情况（4 个考场）", "无48小时核酸阴性证明 1", "切换场次"):
            assert label in text, label
        assert figure(text, "应到") == 120 and figure(text, "缺考") == 0 and figure(text, "未到") == 109


@run_async
async def test_the_gate_opens_the_report_only_with_the_pin(morning):
    app = make_app(morning, mode="gate", lane="A")
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(app.screen, GateScreen) and app.screen.lane_ready)  # the report needs the store
        await pilot.press("ctrl+b")
        await until(pilot, on_top(app, "PinModal"))
        await pilot.press(*"0000", "enter")
        await until(pilot, lambda: isinstance(app.screen, GateScreen) and notes(app, "error"))
        assert "wrong PIN" in notes(app, "error")[-1]
        await pilot.press("ctrl+b")
        await until(pilot, on_top(app, "PinModal"))
        await pilot.press(*TEST_PIN, "enter")
        await settle(pilot)
        assert "Expected" in screen_text(app)
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, GateScreen))
    assert count(morning, schema.events, kind="pin_refused") == 1


@run_async
async def test_the_roster_and_the_review_open_the_report_without_a_pin(morning):
    app = make_app(morning, mode="roster")
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(app.screen, RosterScreen))
        await pilot.press("ctrl+b")
        await settle(pilot)
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, RosterScreen))
    app = make_app(morning, mode="review")
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, on_top(app, "ReviewScreen"))
        await pilot.press("ctrl+b")
        await settle(pilot)
        assert report_of(app).session_id == "S1"
    assert count(morning, schema.events, kind="pin_refused") == 0


# -- snapshot (frozen clock, no blinking) ----------------------------------

SNAP_SIZE = (120, 36)


def test_snapshot_report_view(morning, snap_compare):
    app = make_app(morning, lang="zh-CN")

    async def figures_shown(pilot):
        await settle(pilot)
        await until(pilot, lambda: "生成报告" in screen_text(app))

    assert snap_compare(app, terminal_size=SNAP_SIZE, run_before=figures_shown)


@pytest.mark.parametrize("lang, title, reasons", [
    ("zh-CN", "未达“零事故、零失误、零差错”", ("1起异常未决或未安置",)),
    ("en", "NOT ZERO-INCIDENT", ("1 exception(s) not decided or not seated", "the session had not ended when these figures were made")),
])
@run_async
async def test_at_80x24_the_verdict_and_each_reason_are_whole(morning, lang, title, reasons):
    """At 80 columns the verdict had 14 columns: its title broke mid-phrase and the reasons ran off its foot."""
    app = make_app(morning, lang=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert title in text, text
        reasons_box = report_of(app).query_one("#report-reasons")
        shown_lines = reasons_box.render_lines(Region(0, 0, *reasons_box.size))  # what its region shows, no more
        said = " ".join(" ".join(strip.text.split()) for strip in shown_lines)
        for reason in reasons:  # whole: on its own lines of the verdict's column, wrapped at most, never cut
            assert reason in said.replace("  ", " ") or reason in said.replace(" ", ""), (reason, said)
        for label in ("应到", "实到", "缺考", "离线通道冲突") if lang == "zh-CN" else ("Expected", "Present", "Absent"):
            figure(text, label)  # every figure still on screen, with its number
