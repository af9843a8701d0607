"""The roster overview: room counts from the store, a bounded search, the way back to the lane."""

from __future__ import annotations

from examops.tui.app import ExamopsApp
from examops.tui.screens.gate import GateScreen
from examops.tui.screens.roster import RESULT_LIMIT, RosterScreen
from tests.conftest import at_local
from tests.support.tui import run_async, screen_text, store_url, until  # noqa: F401 (store_url is a fixture)
from tests.tui.test_tui_gate import SIZE, make_app, scan, settle


def roster_app(site, lang="en") -> ExamopsApp:
    at_local(site, "2021-10-16T08:10")
    app = ExamopsApp(site, mode="roster", lang=lang)
    app.animation_level = "none"
    return app


def _rows(table) -> list[list[str]]:
    return [[str(cell) for cell in table.get_row(key)] for key in table.rows]


@run_async
async def test_roster_mode_counts_rooms_per_session(seeded_site):
    app = roster_app(seeded_site)
    async with app.run_test(size=SIZE) as pilot:
        rooms = app.screen.query_one("#roster-rooms")
        await until(pilot, lambda: rooms.row_count == 6)
        rows = _rows(rooms)
        assert rows[0][:3] == ["001", "001", "regular"]
        assert rows[0][3:] == ["0/30", "0/30"]
        assert [row[:3] for row in rows[4:]] == [["B01", "备用考场一", "backup"], ["G01", "隔离考场", "isolation"]]
        assert "S1 试卷一" in screen_text(app) and "S2 试卷二" in screen_text(app)


@run_async
async def test_a_backup_room_shows_who_was_moved_in_not_a_fraction_of_nothing(seeded_site):
    """Issue 12: the backup room read "1/0" (one admitted of none rostered) after a move."""
    from examops.services.gate import Lane
    from examops.services.seating import move
    from tests.conftest import TEST_PIN

    at_local(seeded_site, "2021-10-16T08:10")
    person = seeded_site.people[0]
    Lane(seeded_site, "A", "安检员甲").check(person.ticket, session_id="S1")
    move(seeded_site, person.ticket, session="S1", room="B01", seat=None, by="王总监", pin=TEST_PIN, reason="desk broken")
    app = roster_app(seeded_site, lang="zh-CN")
    async with app.run_test(size=SIZE) as pilot:
        rooms = app.screen.query_one("#roster-rooms")
        await until(pilot, lambda: rooms.row_count == 6)
        rows = {row[0]: row for row in _rows(rooms)}
        assert rows["B01"][3] == "调入 1" and rows["G01"][3] == "调入 0"
        assert rows["001"][3] == "0/30" and "/0" not in " ".join(" ".join(row) for row in rows.values())


@run_async
async def test_search_is_bounded_and_masks_ids(seeded_site):
    tickets = [p.ticket for p in seeded_site.people]
    prefix = next(tickets[0][:n] for n in range(13, 7, -1) if sum(t.startswith(tickets[0][:n]) for t in tickets) > RESULT_LIMIT)
    app = roster_app(seeded_site)
    async with app.run_test(size=SIZE) as pilot:
        results = app.screen.query_one("#roster-results")
        await pilot.press(*prefix)
        await until(pilot, lambda: results.row_count == RESULT_LIMIT)
        first = seeded_site.people[0]
        await pilot.press("ctrl+u", *first.name)
        await until(pilot, lambda: first.ticket in [str(k.value) for k in results.rows])
        row = results.get_row(first.ticket)
        assert str(row[3]) == first.id_number[:6] + "********" + first.id_number[-4:]
        assert first.id_number not in screen_text(app)


@run_async
async def test_roster_is_reached_from_the_gate_and_back(seeded_site):
    person = seeded_site.people[0]
    app = make_app(seeded_site)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await scan(pilot, person.ticket)
        await pilot.press("f11")
        await until(pilot, lambda: isinstance(app.screen, RosterScreen))
        rooms = app.screen.query_one("#roster-rooms")
        await until(pilot, lambda: rooms.row_count == 6)
        assert _rows(rooms)[0][3] == "1/30"
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, GateScreen))
        assert app.screen.scan_input.has_focus
        await pilot.press("ctrl+r")
        await until(pilot, lambda: isinstance(app.screen, RosterScreen))
        await pilot.press("ctrl+r")
        await until(pilot, lambda: isinstance(app.screen, GateScreen))


@run_async
async def test_roster_labels_in_chinese(seeded_site):
    app = roster_app(seeded_site, lang="zh-CN")
    async with app.run_test(size=SIZE) as pilot:
        rooms = app.screen.query_one("#roster-rooms")
        await until(pilot, lambda: rooms.row_count == 6)
        text = screen_text(app)
        assert "考场总览" in text and "常规" in text and "查找考生" in text


@run_async
async def test_roster_import_from_the_app_shows_progress_and_refreshes_rooms(site):
    from examops.services.site import status
    from examops.tui.widgets.roster_import import RosterImportModal
    from tests.conftest import ROOT

    app = roster_app(site)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f2")
        await until(pilot, lambda: isinstance(app.screen, RosterImportModal))
        app.screen.query_one("#import-paths").value = str(ROOT / "rosters" / "sample_roster.xlsx")
        await pilot.press("enter")
        await until(pilot, lambda: not isinstance(app.screen, RosterImportModal))
        rooms = app.screen.query_one("#roster-rooms")
        await until(pilot, lambda: rooms.row_count == 12 + 2)
        assert any("Imported 360 candidates" in n.message for n in app._notifications)
    assert status(site)["candidates"] == 360


def four_bad_cells(tmp_path):
    """A sample roster with four bad cells on its first sheet: a ticket as a number, an empty name, a wrong check
    character, a seat that is not a number."""
    import openpyxl

    from examops import sample

    people = sample.synthetic_people(60)
    path = sample.write_roster_xlsx(tmp_path / "第1考点名单.xlsx", people, rooms=2)
    book = openpyxl.load_workbook(path)
    sheet = book[book.sheetnames[0]]
    header = next(r for r in range(1, 6) if sheet.cell(r, 2).value == "准考证号")
    sheet.cell(header + 1, 2).value = int(people[0].ticket)
    sheet.cell(header + 2, 3).value = None
    wrong = people[2].id_number[:-1] + ("0" if people[2].id_number[-1] != "0" else "1")
    sheet.cell(header + 3, 5).value = wrong
    sheet.cell(header + 4, 7).value = "靠窗"
    book.save(path)
    return path, sheet.title, header


@run_async
async def test_a_refused_roster_lists_every_problem_in_the_dialog(site, tmp_path):
    from examops.services.site import status
    from examops.tui.widgets.roster_import import RosterImportModal

    path, sheet, header = four_bad_cells(tmp_path)
    app = roster_app(site, lang="zh-CN")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f2")
        await until(pilot, lambda: isinstance(app.screen, RosterImportModal))
        modal = app.screen
        modal.query_one("#import-paths").value = str(path)
        await pilot.press("enter")
        listing = modal.query_one("#import-problems")
        await until(pilot, lambda: len(listing.children) >= 4 and not modal.running)
        await pilot.pause()
        assert app.screen is modal  # the dialog stays, nothing in a toast
        assert not [n for n in app._notifications if n.severity == "error"]
        entries = [str(child.render()) for child in listing.children]
        assert len(entries) == 4, entries
        rows = {header + n: entry for n, entry in zip(range(1, 5), entries, strict=True)}
        for row, column, words in ((header + 1, "B", "以数字格式保存"), (header + 2, "C", "姓名为空"),
                                   (header + 3, "E", "校验码不对"), (header + 4, "G", "座位号应为从 1 开始的整数")):
            entry = rows[row]
            for part in (path.name, f"工作表 {sheet}", f"第 {row} 行", f"{column} 列", words, "修改方法："):
                assert part in entry, (part, entry)
        assert "4 个错误" in str(modal.query_one("#import-status").render())
        box = modal.query_one("#import-box").region
        assert box.x >= 0 and box.y >= 0 and box.right <= 80 and box.bottom <= 24
        assert abs(box.x - (80 - box.right)) <= 1 and abs(box.y - (24 - box.bottom)) <= 1  # centred
        assert listing.has_focus
        last = listing.children[-1]
        await pilot.press("end")
        await until(pilot, lambda: listing.scroll_y == listing.max_scroll_y)
        assert listing.max_scroll_y > 0 and last.region.bottom <= listing.region.bottom  # scrolled to the fourth
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, RosterScreen))
    assert status(site)["candidates"] == 0


@run_async
async def test_the_problem_list_masks_the_id_numbers_it_quotes(site, tmp_path):
    """A bad ID cell's number was shown in full in the dialog (value and words): masked as the gate masks one."""
    from examops.domain import idnumber
    from examops.tui.widgets.roster_import import RosterImportModal
    from tests.support.id_rosters import bad_id_roster

    path, secrets = bad_id_roster(tmp_path / "roster.xlsx")
    app = roster_app(site, lang="zh-CN")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f2")
        await until(pilot, lambda: isinstance(app.screen, RosterImportModal))
        modal = app.screen
        modal.query_one("#import-paths").value = str(path)
        await pilot.press("enter")
        listing = modal.query_one("#import-problems")
        await until(pilot, lambda: len(listing.children) >= 5 and not modal.running)
        entries = "\n".join(str(child.render()) for child in listing.children)
        for secret in secrets:
            assert secret not in entries, (secret, entries)
        assert idnumber.mask(secrets[0]) in entries and "校验码不对" in entries and "已被工作表" in entries


@run_async
async def test_a_long_problem_list_shows_the_first_and_points_to_the_marked_copy(site, tmp_path):
    import openpyxl

    from examops import sample
    from examops.tui.widgets.roster_import import PROBLEMS_SHOWN, RosterImportModal

    path = sample.write_roster_xlsx(tmp_path / "roster.xlsx", sample.synthetic_people(PROBLEMS_SHOWN + 40), rooms=8)
    book = openpyxl.load_workbook(path)
    for sheet in book.worksheets:
        header = next((r for r in range(1, 6) if sheet.cell(r, 2).value == "准考证号"), None)
        for row in range(header + 1, sheet.max_row + 1) if header else ():
            sheet.cell(row, 3).value = None  # every name empty
    book.save(path)
    app = roster_app(site, lang="zh-CN")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f2")
        await until(pilot, lambda: isinstance(app.screen, RosterImportModal))
        modal = app.screen
        modal.query_one("#import-paths").value = str(path)
        await pilot.press("enter")
        listing = modal.query_one("#import-problems")
        await until(pilot, lambda: len(listing.children) == PROBLEMS_SHOWN + 1 and not modal.running)
        assert "另有 40 个问题" in str(listing.children[-1].render()) and "--errors-out" in str(listing.children[-1].render())


def test_snapshot_import_problems_80x24_zh(site, tmp_path, snap_compare):
    from examops.tui.widgets.roster_import import RosterImportModal

    path, _sheet, _header = four_bad_cells(tmp_path)
    app = roster_app(site, lang="zh-CN")

    async def refused(pilot):
        await pilot.press("f2")
        await until(pilot, lambda: isinstance(app.screen, RosterImportModal))
        app.screen.query_one("#import-paths").value = str(path)
        await pilot.press("enter")
        await until(pilot, lambda: len(app.screen.query_one("#import-problems").children) == 4 and not app.screen.running)
        app.screen.query_one("#import-paths").value = "第1考点名单.xlsx"  # the tmp path differs per run
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=refused)


@run_async
async def test_roster_import_of_a_bad_file_says_why_and_imports_nothing(site, tmp_path):
    from examops.services.site import status
    from examops.tui.widgets.roster_import import RosterImportModal

    bad = tmp_path / "roster.xls"
    bad.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")  # a web page saved as .xls now imports; a PDF never does
    app = roster_app(site)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f2")
        await until(pilot, lambda: isinstance(app.screen, RosterImportModal))
        modal = app.screen
        modal.query_one("#import-paths").value = str(bad)
        await pilot.press("enter")
        listing = modal.query_one("#import-problems")
        await until(pilot, lambda: len(listing.children) == 1 and not modal.running)
        assert app.screen is modal
        assert "nothing was imported" in str(modal.query_one("#import-status").render())
        assert "PDF" in str(listing.children[0].render())
    assert status(site)["candidates"] == 0
