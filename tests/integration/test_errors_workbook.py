"""``--errors-out``: highlighted copies of the roster with a problem list first."""

from __future__ import annotations

import re

import openpyxl
import openpyxl.xml
import pytest

from examops.adapters.excel_in import read_workbook
from examops.adapters.excel_out.errors_workbook import write_errors_workbook
from examops.domain.roster import PROBLEMS_SHEET, Problem, parse_roster, parse_rosters
from examops.services.roster import import_roster
from tests.support.messy_workbooks import (
    HEADER,
    MESSY_PEOPLE,
    Sheet,
    messy_rooms_sheets,
    people,
    room_rows,
    today,
    write_csv,
    write_xls,
    write_xlsx,
)

RED, AMBER = "00FFC7CE", "00FFEB9C"


def _errors_out(tmp_path, writer, suffix, lang="en"):
    source = writer(tmp_path / f"messy.{suffix}", messy_rooms_sheets())
    content = read_workbook(source)
    parsed = parse_roster(source.name, content.sheets, today=today())
    out = write_errors_workbook(content, parsed.problems, tmp_path / "errors.xlsx", lang=lang)
    return parsed, openpyxl.load_workbook(out)


def test_openpyxl_reads_the_original_through_defusedxml():
    assert openpyxl.xml.DEFUSEDXML is True


@pytest.mark.parametrize(("writer", "suffix"), [(write_xlsx, "xlsx"), (write_xls, "xls")])
def test_bad_cells_are_filled_and_commented(tmp_path, writer, suffix):
    parsed, book = _errors_out(tmp_path, writer, suffix)
    assert book.sheetnames == [PROBLEMS_SHEET, "填表说明", "第1考场", "第2考场", "Sheet3", "旧名单"]
    assert book.active.title == PROBLEMS_SHEET
    number_cell = book["第1考场"]["E6"]
    assert number_cell.fill.fgColor.rgb == RED
    assert number_cell.comment.text == (
        "[error] The ID number (身份证号) in E6 is stored as a number (the number 1.50203E+17, digits as stored "
        "150203198203031008): Excel keeps only 15 significant digits and drops leading zeros, so the digits read "
        "back are wrong even when they pass a check. — Format the column as Text and type the numbers again."
    )
    region = book["第2考场"]["D6"]
    assert region.fill.fgColor.rgb == AMBER
    assert region.comment.text.startswith("[warning] The ID number's area code 990426")
    legacy = book["第2考场"]["D3"]
    assert legacy.comment.text.startswith("[note] The legacy 15-digit ID number was upgraded")
    assert legacy.fill.fgColor.rgb != RED and legacy.fill.fgColor.rgb != AMBER
    clean = book["第1考场"]["E4"]
    assert clean.comment is None and clean.fill.fgColor.rgb not in (RED, AMBER)
    assert book["第1考场"]["B4"].value == MESSY_PEOPLE[0].ticket
    assert book["旧名单"].sheet_state == "hidden"
    assert book["第1考场"].row_dimensions[9].hidden is True


def test_problem_list_holds_every_problem_with_links(tmp_path):
    parsed, book = _errors_out(tmp_path, write_xlsx, "xlsx")
    listing = book[PROBLEMS_SHEET]
    rows = list(listing.iter_rows(values_only=True))
    assert rows[0] == ("Severity", "File", "Sheet", "Row", "Column", "Header", "Value", "Problem", "What to do", "Code")
    assert len(rows) == 1 + len(parsed.problems)
    listed = {(r[9], r[2], r[3], r[4]) for r in rows[1:]}
    assert listed == {(p.code, p.sheet, p.row, p.column) for p in parsed.problems}
    assert [r[0] for r in rows[1:]] == sorted((r[0] for r in rows[1:]), key=["error", "warning", "note"].index)
    seat_row = next(i for i, r in enumerate(rows, start=1) if r[9] == "seat-taken")
    assert listing.cell(seat_row, 4).hyperlink.location == "'第2考场'!F9"
    hidden_sheet_row = next(i for i, r in enumerate(rows, start=1) if r[9] == "hidden-sheet")
    assert listing.cell(hidden_sheet_row, 4).hyperlink is None


def test_csv_source_is_rebuilt_as_text(tmp_path):
    folks = people(3)
    rows = [HEADER, *room_rows("001", folks)]
    rows[2][4] = "1.50203E+17"
    source = write_csv(tmp_path / "名单.csv", rows)
    content = read_workbook(source)
    parsed = parse_roster(source.name, content.sheets, today=today())
    out = write_errors_workbook(content, parsed.problems, tmp_path / "errors.xlsx", lang="en")
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == [PROBLEMS_SHEET, "名单"]
    sheet = book["名单"]
    assert sheet["B2"].value == folks[0].ticket and sheet["A2"].value == "1" and sheet["G2"].value == "1"
    assert sheet["E3"].fill.fgColor.rgb == RED and "scientific notation" in sheet["E3"].comment.text


def test_control_characters_from_a_csv_do_not_break_the_copy(tmp_path):
    folks = people(1)
    rows = [HEADER, *room_rows("001", folks)]
    rows[1][2] = "王\x07安"
    rows[1][4] = folks[0].id_number[:10] + "\x07" + folks[0].id_number[10:17] + ("0" if folks[0].id_number[17] != "0" else "1")
    content = read_workbook(write_csv(tmp_path / "r.csv", rows))
    parsed = parse_roster("r.csv", content.sheets, today=today())
    assert [p.code for p in parsed.problems] == ["id-checksum"]
    book = openpyxl.load_workbook(write_errors_workbook(content, parsed.problems, tmp_path / "e.xlsx"))
    assert book["r"]["C2"].value == "王安"
    assert book[PROBLEMS_SHEET]["G2"].value == rows[1][4].replace("\x07", "")
    assert book["r"]["E2"].fill.fgColor.rgb == RED


def test_problems_of_other_files_are_listed_but_not_marked(tmp_path):
    folks = people(4)
    a_rows = [HEADER, *room_rows("001", folks[:2])]
    b_rows = [HEADER, *room_rows("001", folks[1:2], first_seat=3)]
    a_path = write_xlsx(tmp_path / "a.xlsx", [Sheet("第1考场", a_rows)])
    b_path = write_xlsx(tmp_path / "b.xlsx", [Sheet("第1考场", b_rows)])
    a, b = read_workbook(a_path), read_workbook(b_path)
    parsed = parse_rosters([("a.xlsx", a.sheets), ("b.xlsx", b.sheets)], today=today())
    assert [(p.file, p.code, p.row, p.column) for p in parsed.problems] == [("b.xlsx", "duplicate-ticket", 2, "B")]
    book_a = openpyxl.load_workbook(write_errors_workbook(a, parsed.problems, tmp_path / "a_errors.xlsx"))
    book_b = openpyxl.load_workbook(write_errors_workbook(b, parsed.problems, tmp_path / "b_errors.xlsx"))
    assert book_a["第1考场"]["B2"].comment is None
    assert book_b["第1考场"]["B2"].fill.fgColor.rgb == RED
    assert book_a[PROBLEMS_SHEET].max_row == 2 and book_b[PROBLEMS_SHEET].max_row == 2


def test_problems_labelled_otherwise_are_marked_when_the_label_is_given(tmp_path):
    path = write_xlsx(tmp_path / "upload-3f2a.xlsx", [Sheet("s", [HEADER, *room_rows("001", people(1))])])
    content = read_workbook(path)
    problem = Problem("error", "第1考点名单.xlsx", "s", 2, "B", "准考证号", None, "Wrong.", "Fix it.", "test")
    unlabelled = openpyxl.load_workbook(write_errors_workbook(content, [problem], tmp_path / "u.xlsx", lang="en"))
    labelled = openpyxl.load_workbook(write_errors_workbook(content, [problem], tmp_path / "l.xlsx", file_label="第1考点名单.xlsx", lang="en"))
    assert unlabelled["s"]["B2"].comment is None
    assert labelled["s"]["B2"].comment.text == "[error] Wrong. — Fix it."


def test_merged_cell_problem_marks_the_top_left_cell(tmp_path):
    path = write_xlsx(tmp_path / "m.xlsx", [Sheet("s", [["a", None], ["b", None]], merged=("A1:B2",))])
    content = read_workbook(path)
    problem = Problem("error", "m.xlsx", "s", 2, "B", None, None, "Wrong.", "Fix it.", "test")
    book = openpyxl.load_workbook(write_errors_workbook(content, [problem], tmp_path / "out.xlsx", lang="en"))
    assert book["s"]["A1"].comment.text == "[error] Wrong. — Fix it."


def test_reimporting_the_errors_workbook_skips_the_problem_list(tmp_path):
    source = write_xlsx(tmp_path / "messy.xlsx", messy_rooms_sheets())
    content = read_workbook(source)
    parsed = parse_roster(source.name, content.sheets, today=today())
    out = write_errors_workbook(content, parsed.problems, tmp_path / "errors.xlsx")
    again = parse_roster("errors.xlsx", read_workbook(out).sheets, today=today())
    assert [(p.code, p.sheet) for p in again.problems][0] == ("problems-sheet", PROBLEMS_SHEET)
    assert len(again.problems) == 1 + len(parsed.problems)


CJK = re.compile(r"[\u4e00-\u9fff]")
ENGLISH_WORDS = re.compile(r"\b(?!Excel\b|Text\b|X\b|examops\b|init\b|replace\b|rooms\b)[A-Za-z]{3,}\b")


def test_the_office_reads_the_copy_in_the_sites_language(site, tmp_path):
    """The sample site's plan says zh-CN: headings, severities, messages and fixes of the copy are Chinese."""
    source = write_xlsx(tmp_path / "messy.xlsx", messy_rooms_sheets())
    report = import_roster(site, [source], errors_out=tmp_path / "errors.xlsx")
    assert not report.imported
    book = openpyxl.load_workbook(tmp_path / "errors.xlsx")
    rows = list(book[PROBLEMS_SHEET].iter_rows(values_only=True))
    assert rows[0] == ("严重程度", "文件", "工作表", "行", "列", "表头", "值", "问题", "修改方法", "代码")
    assert {r[0] for r in rows[1:]} <= {"错误", "警告", "提示"} and "错误" in {r[0] for r in rows[1:]}
    for row in rows[1:]:
        for text in (row[7], row[8]):
            if text:
                assert CJK.search(text) and not ENGLISH_WORDS.search(text), (row[9], text)
    assert book["第1考场"]["E6"].comment.text.startswith(
        "[错误] E6 中的身份证号以数字格式保存（数字 1.50203E+17，按存储的位数为 150203198203031008）")
    assert "请把该列设为“文本”格式" in book["第1考场"]["E6"].comment.text
