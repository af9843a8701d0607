"""`sheet_writer.save` writes the very bytes openpyxl's own `Workbook.save` writes: the report, and every odd cell.

A `book.Sheet` keeps its cells until it is written (`Sheet.materialize` makes them in openpyxl): openpyxl saves
the materialized workbook, `sheet_writer` the one as laid out."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Callable

from openpyxl.comments import Comment

from examops.adapters.excel_out import sheet_writer
from examops.adapters.excel_out.book import Book, Sheet
from examops.adapters.excel_out.report_book import ReportBook
from examops.domain.report_digest import digest_cells
from examops.services import report
from examops.services.gate import Lane
from examops.services.incidents import record_incident
from tests.conftest import at_local


def _same_files(make: Callable[[], Book], tmp_path: Path) -> None:
    """Two workbooks made alike, one saved each way (a save changes a workbook: the second save of one differs)."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    theirs, ours = tmp_path / "openpyxl.xlsx", tmp_path / "ours.xlsx"
    book = make()
    book.materialize()
    book.workbook.save(theirs)
    sheet_writer.save(make().workbook, ours)
    with zipfile.ZipFile(theirs) as a, zipfile.ZipFile(ours) as b:
        assert a.namelist() == b.namelist()
        for name in a.namelist():
            if name != "docProps/core.xml":  # the time it was saved
                assert a.read(name) == b.read(name), name


def _odd_text() -> Book:
    """Only what `Sheet` writes (its cells kept until saved), every odd value it can hold."""
    book = Book("zh")
    sheet = Sheet(book, "边角", [10, 10, 10, 10])
    sheet.banner("标题 & <副标题>", "eo_title", height=30)
    sheet.table(["a", "b", "c", "d"], [
        ["　　缩进的标签", " leading", "trailing ", "   "],  # xml:space="preserve" where openpyxl puts it
        ['quote " and \' & <tag>', 0, -7, 10 ** 15],
        ["line\nbreak", "tab\there", "=1+1", "#N/A"],  # formula-looking text stays text
        ["", None, "控制字符\x07删", "😀 emoji"],
    ])
    sheet.put(12, 3, "a cell below an empty row", "eo_code")
    sheet.set_height(14, 21.5)  # a row with a height and no cells
    sheet.fit()
    Sheet(book, "空", [10])  # a sheet with no cells
    return book


def test_kept_cells_are_written_as_openpyxl_writes_them(tmp_path):
    _same_files(_odd_text, tmp_path)


def _odd_cells() -> Book:
    book = _odd_text()
    ws = book.workbook.worksheets[0]
    ws["F2"] = 1.5  # a float, a bool, a formula, a date: openpyxl's own code, cell by cell
    ws["F3"] = True
    ws["F4"] = "=SUM(B3:C3)"
    ws["F5"] = __import__("datetime").date(2021, 10, 16)
    ws.cell(row=6, column=2)  # a cell made and never styled nor given a value
    ws["G20"] = "noted"  # a comment, a link: their rows are openpyxl's
    ws["G20"].comment = Comment("a comment", "test")
    ws["G21"] = "link"
    ws["G21"].hyperlink = "https://example.org/?a=1&b=2"
    ws.merge_cells("H22:I23")
    ws.row_dimensions[9].height = 20  # a row with a height and no cells
    return book


def test_odd_cells_are_written_as_openpyxl_writes_them(tmp_path):
    _same_files(_odd_cells, tmp_path)


def test_a_report_workbook_is_byte_for_byte_openpyxls(seeded_site, tmp_path):
    site, people = seeded_site, seeded_site.people
    lane = Lane(site, "A", "安检员甲")
    at_local(site, "2021-10-16T08:05")
    for p in people[:50]:
        lane.check(p.ticket, session_id="S1")
    lane.check(people[50].ticket, session_id="S1", outcome="no_test_cert")
    record_incident(site, session="S1", room="002", kind="违纪", note="notes <on> the desk & more", by="监考员乙")
    at_local(site, "2021-10-16T11:40")
    content = report.gather(site, None)
    _same_files(lambda: ReportBook(content), tmp_path)


def _digested(make: Callable[[], Book]) -> Callable[[], Book]:
    def made() -> Book:
        book = make()
        book.sheets = [ws._examops_sheet for ws in book.workbook.worksheets]
        book.digest()  # the rows' XML made with the digest, written at save
        return book
    return made


def test_rows_made_with_the_digest_are_written_as_openpyxl_writes_them(tmp_path):
    _same_files(_digested(_odd_text), tmp_path / "odd")


def test_the_digest_made_with_the_rows_is_digest_cells_of_the_cells():
    book = _odd_text()
    book.sheets = [ws._examops_sheet for ws in book.workbook.worksheets]
    expected = digest_cells([sheet.cells() for sheet in book.sheets])
    found = book.digest()
    assert found.digest == expected.digest
    assert {t: (d.digest, d.cells, d.row_hashes) for t, d in found.sheets.items()} == \
        {t: (d.digest, d.cells, d.row_hashes) for t, d in expected.sheets.items()}
    assert all(sheet.rendered is not None for sheet in book.sheets)


def test_a_sheet_changed_after_the_digest_is_written_as_changed(tmp_path):
    def changed() -> Book:
        book = _digested(_odd_text)()
        sheet = book.sheets[0]
        sheet.put(2, 2, "changed after", "eo_text")
        sheet.set_height(3, 40)
        return book

    _same_files(changed, tmp_path)
    book = changed()
    assert book.sheets[0].rendered is None  # made again when written


def test_a_digested_report_is_byte_for_byte_openpyxls(seeded_site, tmp_path):
    site, people = seeded_site, seeded_site.people
    lane = Lane(site, "A", "安检员甲")
    at_local(site, "2021-10-16T08:05")
    for p in people[:40]:
        lane.check(p.ticket, session_id="S1")
    at_local(site, "2021-10-16T11:40")
    content = report.gather(site, None)

    def made() -> Book:
        book = ReportBook(content)
        book.digest()
        return book

    _same_files(made, tmp_path)
