"""Roster sheets -> entries and problems: structure, normalisation, validation, uniqueness."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from examops.adapters.excel_in import read_workbook
from examops.domain import idnumber, roster
from examops.domain.roster import (
    FIX_NUMBER_CELL,
    HEADER_SYNONYMS,
    Problem,
    SheetInput,
    canonical_room,
    parse_roster,
    parse_rosters,
)
from tests.support.messy_workbooks import (
    HEADER,
    MESSY_PEOPLE,
    messy_rooms_sheets,
    people,
    room_rows,
    synthetic_id,
    today,
    with_wrong_check,
    write_csv,
    write_xls,
    write_xlsx,
)

TODAY = today()
SESSIONS = {"S1": "S1", "试卷一": "S1", "S2": "S2", "试卷二": "S2"}
FOLKS = people(6)


def sheet(rows, name="考生名单", *, hidden=False, hidden_rows=(), merged=()) -> SheetInput:
    return SheetInput(name, hidden, rows, frozenset(hidden_rows), tuple(merged))


def parse(rows, name="考生名单", **kwargs):
    return parse_roster("r.xlsx", [sheet(rows, name)], today=TODAY, **kwargs)


def located(problems):
    """(severity, code, sheet, row, column) of each problem, to compare exactly."""
    return [(p.severity, p.code, p.sheet, p.row, p.column) for p in problems]


# ---------------------------------------------------------------- the messy workbook end to end

MESSY_EXPECTED = [
    ("note", "instruction-sheet", "填表说明", None, None),
    ("error", "number-cell", "第1考场", 6, "E"),
    ("warning", "sex-mismatch", "第1考场", 8, "D"),
    ("error", "hidden-row", "第1考场", 9, None),
    ("note", "id-15-digit", "第2考场", 3, "D"),
    ("error", "id-checksum", "第2考场", 4, "D"),
    ("error", "id-birth-date", "第2考场", 5, "D"),
    ("warning", "id-region", "第2考场", 6, "D"),
    ("note", "empty-sheet", "Sheet3", None, None),
    ("error", "hidden-sheet", "旧名单", None, None),
    ("error", "duplicate-id", "第2考场", 8, "D"),
    ("error", "duplicate-ticket", "第2考场", 7, "A"),
    ("error", "seat-taken", "第2考场", 9, "F"),
]


@pytest.mark.parametrize("writer", [write_xlsx, write_xls], ids=["xlsx", "xls"])
def test_messy_workbook_gives_exactly_the_planted_problems(tmp_path, writer):
    path = writer(tmp_path / f"messy.{writer.__name__.removeprefix('write_')}", messy_rooms_sheets())
    content = read_workbook(path)
    result = parse_roster(path.name, content.sheets, today=TODAY)
    assert located(result.problems) == MESSY_EXPECTED
    assert all(p.file == path.name for p in result.problems)
    p = MESSY_PEOPLE
    by_row = {(e.sheet, e.row): e for e in result.entries}
    assert sorted(by_row) == [
        ("第1考场", 4), ("第1考场", 5), ("第1考场", 7), ("第1考场", 8),
        ("第2考场", 3), ("第2考场", 6), ("第2考场", 7), ("第2考场", 8), ("第2考场", 9),
    ]
    assert {by_row[("第1考场", r)].room for r in (4, 5, 7, 8)} == {"001"}, "1, 001, 第1考场 and 01 are one room"
    full_width = by_row[("第1考场", 7)]
    assert (full_width.ticket, full_width.name, full_width.id_number, full_width.seat) == (p[3].ticket, p[3].name, p[3].id_number, 4)
    lower_x = by_row[("第1考场", 8)]
    assert (lower_x.id_number, lower_x.sex) == ("44011320141005001X", "M")
    legacy = by_row[("第2考场", 3)]
    assert (legacy.id_number, legacy.name, legacy.sex) == ("360426199101010071", "Anna Lee", "M")
    assert by_row[("第2考场", 9)].room == "002"
    assert by_row[("第1考场", 4)].columns == {
        "ticket": "B", "name": "C", "sex": "D", "id_number": "E", "room": "F", "seat": "G"
    }
    assert len(result.errors) == 8


def test_messy_problems_carry_header_value_and_fix(tmp_path):
    content = read_workbook(write_xlsx(tmp_path / "messy.xlsx", messy_rooms_sheets()))
    problems = {p.code: p for p in parse_roster("messy.xlsx", content.sheets, today=TODAY).problems}
    number = problems["number-cell"]
    assert number.header == "身份\u00a0证号"
    assert number.value == "1.50203E+17"
    assert number.fix == FIX_NUMBER_CELL == "Format the column as Text and type the numbers again."
    assert "E6" in number.message and "15 significant digits" in number.message
    duplicate = problems["duplicate-ticket"]
    assert duplicate.header == "Ticket No."
    assert duplicate.value == MESSY_PEOPLE[0].ticket
    assert "sheet 第1考场 row 4" in duplicate.message
    seat = problems["seat-taken"]
    assert seat.message == (
        f"Room 002 seat 1 (both rows are for every session) is already taken by ticket {MESSY_PEOPLE[6].ticket} on sheet 第2考场 row 3."
    )
    assert problems["hidden-row"].message == "Row 9 is hidden but holds a candidate; it was not read."
    assert "1 row under the header in row 1" in problems["hidden-sheet"].message


def test_csv_roster_with_scientific_notation_and_gb18030(tmp_path):
    rows = [HEADER, *room_rows("001", FOLKS[:3])]
    rows[2][4] = "1.50203E+17"
    rows[3][1] = "2.115E+13"
    content = read_workbook(write_csv(tmp_path / "名单.csv", rows, encoding="gb18030"))
    result = parse_roster("名单.csv", content.sheets, today=TODAY)
    assert located(result.problems) == [
        ("error", "number-cell", "名单", 3, "E"),
        ("error", "number-cell", "名单", 4, "B"),
    ]
    assert [e.ticket for e in result.entries] == [FOLKS[0].ticket]
    assert result.entries[0].seat == 1 and result.entries[0].room == "001"


# ---------------------------------------------------------------- structure


@pytest.mark.parametrize(
    "headers",
    [
        ["准考证号", "姓名", "身份证号", "考场号", "座位号"],
        ["准考证", "考生姓名", "身份证号码", "考场", "座位"],
        ["考号", "姓\u3000名", "证件号码", "考场编号", "座号"],
        ["考生号", " 姓名\u200b", "证件号", "试室号", "座位号"],
        ["准考证号(必填)", "*姓名", "身份证\t", "考场\n号", "座位号："],
        ["Ticket No.", "Name", "ID Number", "Room", "Seat"],
        ["ADMISSION TICKET", "name", "ID", "room", "SEAT"],
        ["ticket_no", "Name", "ID No", "Room", "Seat"],
        ["ＴＩＣＫＥＴ", "ＮＡＭＥ", "ＩＤ", "ＲＯＯＭ", "ＳＥＡＴ"],
    ],
)
def test_header_synonyms_and_odd_spaces(headers):
    result = parse([headers, [FOLKS[0].ticket, FOLKS[0].name, FOLKS[0].id_number, "1", 1]])
    assert result.problems == []
    assert result.entries[0].ticket == FOLKS[0].ticket and result.entries[0].room == "001"


def test_header_synonym_table_covers_the_brief():
    assert set(HEADER_SYNONYMS) == {"ticket", "name", "id_number", "room", "seat", "session", "sex", "site"}
    assert {"准考证号", "准考证", "准考证编号", "考号", "考生号", "ticket", "ticket no", "admission ticket"} <= set(HEADER_SYNONYMS["ticket"])
    assert {"身份证号", "身份证号码", "证件号码", "证件号", "身份证", "id number", "id no", "id"} <= set(HEADER_SYNONYMS["id_number"])


def test_header_below_title_rows_keeps_excel_row_numbers():
    rows = [["考生名单"], [None], ["2021年10月"], [], HEADER, *room_rows("001", FOLKS[:2])]
    result = parse(rows)
    assert [e.row for e in result.entries] == [6, 7]


def test_missing_required_header_names_sheet_row_and_what_was_found():
    rows = [["名单"], ["准考证号", "姓名", "身份证号", "考场号", "备注"], [FOLKS[0].ticket, FOLKS[0].name, FOLKS[0].id_number, "001", ""]]
    result = parse(rows, "第1考场")
    (problem,) = result.problems
    assert located([problem]) == [("error", "missing-header", "第1考场", 2, None)]
    assert problem.message == "The header in row 2 has no column for the seat (座位号); it has: 准考证号, 姓名, 身份证号, 考场号, 备注."
    assert problem.fix.startswith("Add a column headed 座位号")
    assert result.entries == []


def test_duplicate_header_is_an_error():
    rows = [["准考证号", "姓名", "身份证号", "考场号", "座位号", "身份证号码"], [FOLKS[0].ticket, FOLKS[0].name, FOLKS[0].id_number, "001", 1, FOLKS[0].id_number]]
    result = parse(rows)
    assert located(result.problems) == [("error", "duplicate-header", "考生名单", 1, "F")]
    assert result.problems[0].message.startswith("Columns C, F all name the ID number (身份证号)")


def test_header_after_row_30_is_not_found():
    rows = [["说明行"]] * 30 + [HEADER, *room_rows("001", FOLKS[:1])]
    result = parse(rows, "名单")
    assert located(result.problems) == [("error", "no-header", "名单", 32, "E")]  # the sheet's refusal says it all
    assert "the candidates seem to start in row 32 of sheet 名单" in result.problems[0].message


def test_instruction_empty_and_headerless_sheets_are_notes():
    sheets = [
        sheet([["填表说明"], HEADER[1:], ["例：211500000001", "王安", "150203199001011234", "001", "1"]], "填表说明"),
        sheet([["Read me first"], ["Fill in one row per candidate."]], "Notes"),
        sheet([], "Sheet2"),
        sheet([[None, "  "]], "Sheet3"),
        sheet([HEADER, *room_rows("001", FOLKS[:1])], "第1考场"),
        sheet([["填表说明"]], "Hidden help", hidden=True),
        sheet([HEADER], "空考场", hidden=True),
    ]
    result = parse_roster("r.xlsx", sheets, today=TODAY)
    assert located(result.problems) == [
        ("note", "instruction-sheet", "填表说明", None, None),
        ("note", "instruction-sheet", "Notes", None, None),
        ("note", "empty-sheet", "Sheet2", None, None),
        ("note", "empty-sheet", "Sheet3", None, None),
        ("note", "instruction-sheet", "Hidden help", None, None),
        ("note", "empty-sheet", "空考场", None, None),
    ]
    assert len(result.entries) == 1


def test_hidden_sheet_with_data_and_hidden_rows_are_errors_and_not_imported():
    visible = sheet([HEADER, *room_rows("001", FOLKS[:3])], "第1考场", hidden_rows=(3,))
    hidden = sheet([HEADER, *room_rows("002", FOLKS[3:5])], "第2考场", hidden=True)
    result = parse_roster("r.xlsx", [visible, hidden], today=TODAY)
    assert located(result.problems) == [
        ("error", "hidden-row", "第1考场", 3, None),
        ("error", "hidden-sheet", "第2考场", None, None),
    ]
    assert "2 rows under the header in row 1" in result.problems[1].message
    assert [e.row for e in result.entries] == [2, 4]


def test_hidden_empty_row_is_not_a_problem():
    result = parse_roster("r.xlsx", [sheet([HEADER, *room_rows("001", FOLKS[:1]), [None] * 7], hidden_rows=(3,))], today=TODAY)
    assert result.problems == []


def test_footer_rows_are_ignored_and_rows_after_a_subtotal_are_read():
    rows = [
        HEADER,
        *room_rows("001", FOLKS[:2]),
        ["小计", None, "2人"],
        *room_rows("002", FOLKS[2:4]),
        ["合计：4人"],
        [None, "制表人：测试员", None, None, "审核人：测试员"],
        ["注：本表一式两份"],
        ["2021年10月1日"],
        ["Total", 4],
        ["Prepared by: clerk"],
        ["  备注", "无"],
    ]
    result = parse(rows)
    assert result.problems == []
    assert [e.row for e in result.entries] == [2, 3, 5, 6]


def test_a_candidate_with_a_blank_ticket_after_a_subtotal_is_still_reported():
    rows = [HEADER, *room_rows("001", FOLKS[:1]), ["小计", None, "1人"], *room_rows("002", FOLKS[1:2])]
    rows[3][1] = None
    result = parse(rows)
    assert located(result.problems) == [("error", "empty-cell", "考生名单", 4, "B")]


def test_empty_rows_and_prenumbered_template_rows_are_ignored():
    rows = [HEADER, *room_rows("001", FOLKS[:1]), [None] * 7, [2, None, None, None, None, None, None], [3, "", " ", "\u3000", None, None, None]]
    result = parse(rows)
    assert result.problems == [] and len(result.entries) == 1


def test_merged_room_cells_in_the_table_are_filled_down_with_a_warning():
    rows = [HEADER, *room_rows("001", FOLKS[:3])]
    rows[2][5] = rows[3][5] = None
    result = parse_roster("r.xlsx", [sheet(rows, merged=[(2, 6, 4, 6)])], today=TODAY)
    assert located(result.problems) == [("warning", "merged-cells", "考生名单", 2, "F")]
    assert "F2:F4" in result.problems[0].message
    assert [e.room for e in result.entries] == ["001", "001", "001"]


def test_one_sheet_for_all_rooms_or_one_per_room_give_the_same_entries():
    per_room = [sheet([HEADER, *room_rows("001", FOLKS[:3])], "第1考场"), sheet([HEADER, *room_rows(2, FOLKS[3:])], "第2考场")]
    all_in_one = [sheet([HEADER, *room_rows("1", FOLKS[:3]), *room_rows("002", FOLKS[3:])])]
    keys = lambda r: sorted((e.ticket, e.room, e.seat) for e in r.entries)  # noqa: E731
    assert keys(parse_roster("a.xlsx", per_room, today=TODAY)) == keys(parse_roster("b.xlsx", all_in_one, today=TODAY))


# ---------------------------------------------------------------- values


@pytest.mark.parametrize(
    ("raw", "room"),
    [
        (1, "001"), (1.0, "001"), ("1", "001"), ("01", "001"), ("001", "001"), ("００１", "001"),
        ("第1考场", "001"), ("第01考场", "001"), ("1号考场", "001"), ("考场1", "001"), ("第 1 考场", "001"),
        ("第一考场", "001"), ("第十二考场", "012"), ("二十考场", "020"), ("1001", "1001"), (12, "012"),
        ("b01", "B01"), ("Ｂ０１", "B01"), ("备用考场", "备用"), ("G01", "G01"), ("1试室", "001"),
    ],
)
def test_canonical_room(raw, room):
    assert canonical_room(raw) == room


@pytest.mark.parametrize("raw", [None, True, dt.date(2021, 1, 1), "", "  ", "考场", -1, -2.0])
def test_canonical_room_refuses_non_rooms(raw):
    with pytest.raises(ValueError):
        canonical_room(raw)


def _one_row(**overrides):
    person = FOLKS[0]
    values = {"ticket": person.ticket, "name": person.name, "id": person.id_number, "room": "001", "seat": 1, "sex": person.sex}
    values.update(overrides)
    return parse([["准考证号", "姓名", "身份证号", "考场号", "座位号", "性别"], [values["ticket"], values["name"], values["id"], values["room"], values["seat"], values["sex"]]])


@pytest.mark.parametrize(("raw", "seat"), [(1, 1), (1.0, 1), ("01", 1), ("１２", 12), (" 7 ", 7), ("第3座", 3), ("5号", 5)])
def test_seat_values(raw, seat):
    result = _one_row(seat=raw)
    assert result.problems == [] and result.entries[0].seat == seat


@pytest.mark.parametrize("raw", [0, -1, 1.5, "A1", "0", True, dt.date(2021, 1, 1)])
def test_bad_seats_are_errors(raw):
    result = _one_row(seat=raw)
    assert located(result.problems) == [("error", "seat-format", "考生名单", 2, "E")]
    assert result.entries == []


@pytest.mark.parametrize(
    ("raw", "name"),
    [("王 安", "王安"), (" 王\u3000安 ", "王安"), ("王\u200b安", "王安"), ("  Anna   Lee ", "Anna Lee"), ("阿依古丽·买买提", "阿依古丽·买买提"), ("ｌｉ ｎａ", "li na"), ("王\x07安", "王安"), ("Li\tNa", "Li Na")],
)
def test_names_are_normalised(raw, name):
    result = _one_row(name=raw)
    assert result.entries[0].name == name


@pytest.mark.parametrize("raw", ["211500000001", "２１１５０００００００１", " 2115 0000 0001 ", "211500\u200b000001", "2115\x0000000001"])
def test_ticket_spellings(raw):
    result = _one_row(ticket=raw)
    assert result.problems == [] and result.entries[0].ticket == "211500000001"


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        (211500000001, "number-cell"),
        (2.115e13, "number-cell"),
        ("2.115E+13", "number-cell"),
        ("12345", "ticket-format"),
        ("2115A0000001", "ticket-format"),
        ("1" * 25, "ticket-format"),
        (dt.date(2021, 1, 1), "ticket-format"),
    ],
)
def test_bad_tickets(raw, code):
    result = _one_row(ticket=raw)
    assert located(result.problems) == [("error", code, "考生名单", 2, "A")]


def test_id_typed_as_a_number_is_an_error_even_when_its_digits_pass():
    number = synthetic_id("19900101", 120)  # ends in a digit: representable as an int
    result = _one_row(id=int(number))
    assert idnumber.check(number).valid
    (problem,) = result.problems
    assert located([problem]) == [("error", "number-cell", "考生名单", 2, "C")]
    assert problem.value == number and problem.header == "身份证号"
    assert problem.message.startswith("The ID number (身份证号) in C2 is stored as a number")
    assert result.entries == []


@pytest.mark.parametrize("raw", ["1.50203E+17", "1.50203e+17", "１．５０２０３Ｅ＋１７"])
def test_id_in_scientific_notation_text_is_a_number_cell(raw):
    result = _one_row(id=raw)
    assert located(result.problems) == [("error", "number-cell", "考生名单", 2, "C")]
    assert "scientific notation" in result.problems[0].message


@pytest.mark.parametrize(
    ("raw", "code", "severity"),
    [
        (with_wrong_check(FOLKS[0].id_number), "id-checksum", "error"),
        (synthetic_id("19900230", 101), "id-birth-date", "error"),
        (synthetic_id("20221231", 101), "id-birth-date", "error"),  # after TODAY
        ("15020319900101123", "id-format", "error"),
        ("T50203199001011234", "id-format", "error"),
        ("".join(chr(0x660 + int(c)) if c.isdigit() else c for c in "11010519491231002X"), "id-format", "error"),
        (synthetic_id("19900101", 101, area="990426"), "id-region", "warning"),
        ("150203900101101", "id-15-digit", "note"),
    ],
)
def test_id_problems(raw, code, severity):
    result = _one_row(id=raw, sex=None)
    assert located(result.problems) == [(severity, code, "考生名单", 2, "C")]
    assert bool(result.entries) == (severity != "error")


def test_15_digit_id_is_upgraded_and_lower_x_upper_cased():
    assert _one_row(id="150203900101101", sex=None).entries[0].id_number == idnumber.upgrade15("150203900101101")
    result = _one_row(id="44011320141005001x", sex="男")
    assert result.problems == [] and result.entries[0].id_number == "44011320141005001X"


@pytest.mark.parametrize(("raw", "sex"), [("男", "M"), ("女", "F"), ("M", "M"), ("f", "F"), ("Male", "M"), ("FEMALE", "F"), (1, "M"), ("2", "F"), (" 男 ", "M")])
def test_sex_spellings(raw, sex):
    number = synthetic_id("19900101", 101 if sex == "M" else 102)
    result = _one_row(id=number, sex=raw)
    assert result.problems == [] and result.entries[0].sex == sex


def test_sex_from_id_when_absent_and_warnings_when_odd():
    assert _one_row(id=synthetic_id("19900101", 102), sex=None).entries[0].sex == "F"
    mismatch = _one_row(id=synthetic_id("19900101", 102), sex="男")
    assert located(mismatch.problems) == [("warning", "sex-mismatch", "考生名单", 2, "F")]
    assert mismatch.entries[0].sex == "F"
    odd = _one_row(id=synthetic_id("19900101", 101), sex="未知")
    assert located(odd.problems) == [("warning", "sex-value", "考生名单", 2, "F")]
    assert odd.entries[0].sex == "M"


@pytest.mark.parametrize("field_name", ["ticket", "name", "id", "room", "seat"])
def test_empty_required_cell_is_an_error(field_name):
    result = _one_row(**{field_name: " "})
    column = {"ticket": "A", "name": "B", "id": "C", "room": "D", "seat": "E"}[field_name]
    assert located(result.problems) == [("error", "empty-cell", "考生名单", 2, column)]
    assert result.entries == []


def test_site_and_session_columns():
    rows = [["准考证号", "姓名", "身份证号", "考场号", "座位号", "场次", "考点"]]
    rows += [[FOLKS[0].ticket, FOLKS[0].name, FOLKS[0].id_number, "001", 1, "试卷一", " 包头市 第一中学 "]]
    rows += [[FOLKS[0].ticket, FOLKS[0].name, FOLKS[0].id_number, "001", 1, "s2", None]]
    rows += [[FOLKS[1].ticket, FOLKS[1].name, FOLKS[1].id_number, "001", 2, "试卷三", None]]
    result = parse(rows, sessions=SESSIONS)
    assert [(e.session, e.site) for e in result.entries] == [("S1", "包头市第一中学"), ("S2", None)]
    assert located(result.problems) == [("error", "unknown-session", "考生名单", 4, "F")]
    assert result.problems[0].message == "The session '试卷三' is not in the exam plan (known: S1, S2, 试卷一, 试卷二)."
    free = parse(rows)
    assert [e.session for e in free.entries] == ["试卷一", "s2", "试卷三"]


# ---------------------------------------------------------------- uniqueness


def _rows_with_sessions(*specs):
    """specs: (person index, room, seat, session or None)."""
    rows = [["准考证号", "姓名", "身份证号", "考场号", "座位号", "场次"]]
    for index, room, seat, session in specs:
        person = FOLKS[index]
        rows.append([person.ticket, person.name, person.id_number, room, seat, session])
    return rows


def test_ticket_once_per_session_and_none_means_every_session():
    ok = parse(_rows_with_sessions((0, "001", 1, "S1"), (0, "002", 1, "S2")), sessions=SESSIONS)
    assert ok.problems == [] and len(ok.entries) == 2
    clash = parse(_rows_with_sessions((0, "001", 1, "S1"), (0, "002", 1, None)), sessions=SESSIONS)
    assert located(clash.problems) == [("error", "duplicate-ticket", "考生名单", 3, "A")]
    assert "(one of the rows is for every session, the other for S1)" in clash.problems[0].message
    same = parse(_rows_with_sessions((0, "001", 1, "S1"), (0, "002", 1, "试卷一")), sessions=SESSIONS)
    assert located(same.problems) == [("error", "duplicate-ticket", "考生名单", 3, "A")]
    assert "(session S1)" in same.problems[0].message


def test_seat_shared_across_sessions_but_not_within_one():
    ok = parse(_rows_with_sessions((0, "001", 1, "S1"), (1, "001", 1, "S2")), sessions=SESSIONS)
    assert ok.problems == []
    clash = parse(_rows_with_sessions((0, "001", 1, "S1"), (1, "1", 1, "S1")), sessions=SESSIONS)
    assert located(clash.problems) == [("error", "seat-taken", "考生名单", 3, "E")]
    every = parse(_rows_with_sessions((0, "001", 1, None), (1, "001", 1, "S2")), sessions=SESSIONS)
    assert located(every.problems) == [("error", "seat-taken", "考生名单", 3, "E")]


def test_same_ticket_must_keep_its_name_and_id():
    rows = _rows_with_sessions((0, "001", 1, "S1"), (0, "001", 1, "S2"))
    rows[2][1] = "别名"
    rows[2][2] = FOLKS[1].id_number
    result = parse(rows, sessions=SESSIONS)
    assert located(result.problems) == [
        ("error", "ticket-name-mismatch", "考生名单", 3, "B"),
        ("error", "ticket-id-mismatch", "考生名单", 3, "C"),
    ]


def test_id_number_belongs_to_one_ticket():
    rows = _rows_with_sessions((0, "001", 1, None), (1, "001", 2, None))
    rows[2][2] = FOLKS[0].id_number
    result = parse(rows)
    assert located(result.problems) == [("error", "duplicate-id", "考生名单", 3, "C")]
    assert result.problems[0].message == (
        f"ID number {FOLKS[0].id_number} is already used by ticket {FOLKS[0].ticket} on sheet 考生名单 row 2; "
        "an ID number belongs to exactly one ticket."
    )


def test_uniqueness_across_two_files_names_the_other_file():
    first = [sheet([HEADER, *room_rows("001", FOLKS[:2])], "第1考场")]
    second = [sheet([HEADER, *room_rows("001", FOLKS[1:2], first_seat=5), *room_rows("002", FOLKS[2:3], first_seat=1)], "第2考场")]
    second[0].rows[2][4] = FOLKS[0].id_number
    result = parse_rosters([("a.xlsx", first), ("b.xlsx", second)], today=TODAY)
    assert [(p.file, *located([p])[0]) for p in result.problems] == [
        ("b.xlsx", "error", "duplicate-id", "第2考场", 3, "E"),
        ("b.xlsx", "error", "duplicate-ticket", "第2考场", 2, "B"),
    ]
    assert "on sheet 第1考场 row 3 of a.xlsx" in result.problems[1].message
    assert "on sheet 第1考场 row 2 of a.xlsx" in result.problems[0].message


def test_rows_with_errors_still_take_part_in_uniqueness():
    rows = _rows_with_sessions((0, "001", 1, None), (0, "001", "x", None))
    result = parse(rows)
    assert located(result.problems) == [
        ("error", "seat-format", "考生名单", 3, "E"),
        ("error", "duplicate-ticket", "考生名单", 3, "A"),
    ]


def _brute_force_clashes(specs):
    """(code, row, earlier row) by the plain quadratic definition of the rules."""
    expected = set()
    for j, (person_j, room_j, seat_j, session_j) in enumerate(specs):
        overlapping = [
            i for i in range(j)
            if specs[i][3] is None or session_j is None or specs[i][3] == session_j
        ]
        same_ticket = [i for i in overlapping if specs[i][0] == person_j]
        if same_ticket:
            expected.add(("duplicate-ticket", j + 2, same_ticket[0] + 2))
        same_seat = [i for i in overlapping if specs[i][1:3] == (room_j, seat_j) and specs[i][0] != person_j]
        if same_seat:
            expected.add(("seat-taken", j + 2, same_seat[0] + 2))
    return expected


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 3), st.sampled_from(["001", "002"]), st.integers(1, 2), st.sampled_from([None, "S1", "S2"])),
        min_size=1,
        max_size=12,
    )
)
def test_linear_uniqueness_matches_the_plain_definition(specs):
    result = parse(_rows_with_sessions(*specs), sessions=SESSIONS)
    found = set()
    for problem in result.problems:
        earlier = int(re.search(r"on sheet 考生名单 row (\d+)", problem.message).group(1))
        found.add((problem.code, problem.row, earlier))
    assert found == _brute_force_clashes(specs)


def test_a_constant_seat_column_stays_linear():
    folks = people(20_000)
    rows = [HEADER, *[[i + 1, p.ticket, p.name, p.sex, p.id_number, "001", 1] for i, p in enumerate(folks)]]
    result = parse(rows)  # no time limit here (shared machines): a quadratic clash search would take minutes, not seconds
    assert len(result.problems) == 19_999 and {p.code for p in result.problems} == {"seat-taken"}
    assert result.problems[-1].message.endswith(f"already taken by ticket {folks[0].ticket} on sheet 考生名单 row 2.")


# ---------------------------------------------------------------- problems as text


def test_problem_text_and_dict():
    problem = Problem("error", "rooms.xlsx", "第3考场", 7, "D", "身份证号", "150203199001011234", "The check character is wrong.", "Copy it again.", "id-checksum")
    assert str(problem) == "rooms.xlsx · 第3考场 · row 7 · column D (身份证号) · '150203199001011234': The check character is wrong. — Copy it again."
    assert problem.to_dict() == {
        "severity": "error", "file": "rooms.xlsx", "sheet": "第3考场", "row": 7, "column": "D", "header": "身份证号",
        "value": "150203199001011234", "message": "The check character is wrong.", "fix": "Copy it again.", "code": "id-checksum",
    }
    assert str(Problem("error", "r.xlsx", None, None, None, None, None, "M.", "F.", "no-data")) == "r.xlsx: M. — F."


def test_every_problem_is_full_sentences_with_a_fix(tmp_path):
    content = read_workbook(write_xlsx(tmp_path / "messy.xlsx", messy_rooms_sheets()))
    for problem in parse_roster("messy.xlsx", content.sheets, today=TODAY).problems:
        assert problem.message.endswith(".") and problem.fix.endswith("."), problem
        assert problem.message[0].isupper() and problem.fix[0].isupper(), problem


# ---------------------------------------------------------------- purity and the ID fast path


def test_domain_roster_imports_no_adapter_library():
    code = (
        "import sys, examops.domain.roster\n"
        "bad = [m for m in ('openpyxl', 'python_calamine', 'pandas', 'sqlalchemy', 'textual', 'defusedxml', 'xlwt') if m in sys.modules]\n"
        "print(','.join(bad))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


@settings(max_examples=400, deadline=None)
@given(
    body=st.text(alphabet="0123456789", min_size=17, max_size=17),
    last=st.sampled_from("0123456789X"),
    day=st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(2030, 12, 31)),
    real_date=st.booleans(),
)
def test_fast_id_path_agrees_with_idnumber_check(body, last, day, real_date):
    if real_date:
        body = body[:6] + day.strftime("%Y%m%d").zfill(8) + body[14:]
    candidates = [body + last, body + idnumber.check_char(body)]
    for number in candidates:
        verdict = idnumber.check(number, TODAY)
        expected = verdict.valid and not verdict.unknown_region and not verdict.upgraded_from_15
        digits = f"{TODAY:%Y%m%d}"
        assert roster._plainly_valid_id(number, digits, {}) is expected, number


@pytest.mark.parametrize("number", [3.14159e300, 4.09471e231, 2.92842e23, 1.23457e22, 1.55043e18])
def test_a_huge_number_on_a_headerless_sheet_is_not_called_an_id_number(number):
    """Real workbooks (formula and precision test sheets) were refused for holding "an ID number" no ID number can be."""
    parsed = parse_roster("calc.xlsx", [sheet([["pi", number], ["e", 2.718]])])
    assert not any("looks like an ID number" in p.message for p in parsed.problems)


@pytest.mark.parametrize("number", [150203199001011234.0, 150203900101123.0])
def test_an_id_stored_as_a_number_on_a_headerless_sheet_still_stops_the_import(number):
    parsed = parse_roster("r.xlsx", [sheet([["王安", number]])])
    assert any("looks like an ID number" in p.message and p.severity == "error" for p in parsed.problems)


_ONE_ID = synthetic_id("19900101", 124)  # a woman's
# Per column: spellings the inline path takes (first), then the odd ones parse_row must word; a row is plain ones with
# at most two cells swapped for odd ones.
_PLAIN = {
    "序号": [1, 2.0, None],
    "准考证号": ["2110010101", "2110010102", "21100101"],
    "姓名": ["张三", "Anna Müller", " 李 四 "],
    "性别": [None, "女"],
    "身份证号": [_ONE_ID, synthetic_id("19900101", 126)],
    "考场号": ["001", 1, "第1考场", "A1"],
    "座位号": [1, 2, 3.0],
    "场次": [None, "S1", "试卷二", " ", ""],
    "考点": [None, " 一中 ", "", 3, "Site  A"],
}
_ODD = {
    "序号": ["合计", "备注：", " ", "1", "Total"],
    "准考证号": ["12345", "合计", 2110010103.0, None, " 2110010104 ", "2110010105x", "１２３４５６７", "", "2.1E+9"],
    "姓名": ["", None, 5, "王\u200b五", "ｱﾝﾅ", " "],
    "性别": ["男", "M", "f", "x", 1, " 女 ", ""],
    "身份证号": [_ONE_ID.lower()[:-1] + "x", with_wrong_check(_ONE_ID), synthetic_id("19900101", 123, area="990203"),
                 synthetic_id("20990101", 126), "15020390010112", "150203900101123", 150203199001011234.0, None,
                 "15020319900101123A", "1.50203E+17", "１５０２０３１９９００１０１１２４"],
    "考场号": [1.0, -1, None, True, " 2 ", "考场", 2.5, ""],
    "座位号": ["1", 0, 2.5, None, "第3号", -4, True, float("nan")],
    "场次": ["s1", "X", 1, "S3"],
    "考点": [],
}


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(st.fixed_dictionaries({f: st.sampled_from(v) for f, v in _PLAIN.items()}),
                          st.dictionaries(st.sampled_from([f for f, v in _ODD.items() if v]), st.integers(0, 99), max_size=2)),
                min_size=1, max_size=10))
def test_rows_read_inline_agree_with_parse_row(specs):
    """parse_rows takes the plainest rows itself (fast); every entry and problem must be what parse_row gives."""
    header = list(_PLAIN)
    rows = [header]
    for plain, odd in specs:
        cells = {**plain, **{field: _ODD[field][i % len(_ODD[field])] for field, i in odd.items()}}
        rows.append([cells[h] for h in header])
    inline = parse(rows, sessions=SESSIONS)
    try:
        roster._Parser.inline_plain_rows = False
        plain = parse(rows, sessions=SESSIONS)
    finally:
        roster._Parser.inline_plain_rows = True
    assert inline.entries == plain.entries
    assert inline.problems == plain.problems


def test_the_inline_rows_are_taken_at_all():
    """The agreement above would hold trivially if no row were ever taken inline."""
    rows = [HEADER, *room_rows("001", FOLKS)]
    taken = []
    original = roster._Parser.parse_row
    try:
        roster._Parser.parse_row = lambda self, *args: taken.append(args) or original(self, *args)
        assert len(parse(rows).entries) == len(FOLKS)
    finally:
        roster._Parser.parse_row = original
    assert taken == []
