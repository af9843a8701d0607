"""The synthetic-data generator and the sample site's files in rosters/."""

from __future__ import annotations

import csv
import subprocess
import sys
import tomllib
from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineWorkbook
from stdnum.cn import ric

from examops import sample
from examops.domain import idnumber

ROSTERS = Path(__file__).resolve().parents[2] / "rosters"


@pytest.fixture(scope="module")
def people() -> list[sample.Person]:
    return sample.synthetic_people(2000)


def test_ids_pass_gb11643_and_stdnum(people):
    for person in people:
        checked = idnumber.check(person.id_number)
        assert checked.valid and not checked.unknown_region, person
        assert ric.is_valid(person.id_number), person
        assert idnumber.sex_of(person.id_number) == person.sex
        assert 1960 <= int(person.id_number[6:10]) <= 2003


def test_every_area_code_is_known_to_stdnum_in_its_years():
    for code, first, last, _ in sample.AREA_CODES:
        for year in (first or sample.BIRTH_YEARS[0], min(last or sample.BIRTH_YEARS[1], sample.BIRTH_YEARS[1])):
            body = f"{code}{year}0101001"
            assert ric.is_valid(body + idnumber.check_char(body)), (code, year)


def test_every_birth_year_has_an_area_code():
    first, last = sample.BIRTH_YEARS
    for year in range(first, last + 1):
        assert any(
            (start is None or year >= start) and (end is None or year <= end)
            for _, start, end, _ in sample.AREA_CODES
        ), year


def test_tickets_and_ids_unique_and_shaped(people):
    assert len({p.ticket for p in people}) == len(people)
    assert len({p.id_number for p in people}) == len(people)
    for person in people:
        assert len(person.ticket) == 14 and person.ticket.isdigit() and person.ticket.startswith("21150")
        assert person.sex in ("M", "F")
        assert 2 <= len(person.name) <= 3
    tickets = [int(p.ticket) for p in people]
    assert tickets == sorted(tickets)


def test_same_seed_same_people_other_seed_other_people():
    assert sample.synthetic_people(300, seed=7) == sample.synthetic_people(300, seed=7)
    assert sample.synthetic_people(300, seed=7) != sample.synthetic_people(300, seed=8)
    assert sample.synthetic_people(0) == []


def test_both_sexes_and_many_names(people):
    assert 0.4 < sum(p.sex == "M" for p in people) / len(people) < 0.6
    assert len({p.name for p in people}) > len(people) * 0.8


def test_seating_fills_rooms_in_order_and_refuses_overflow(people):
    seats = sample.seat_people(people[:65], seats_per_room=30)
    assert [(s.room, s.seat) for s in seats[:2]] == [(1, 1), (1, 2)]
    assert (seats[30].room, seats[30].seat) == (2, 1)
    assert seats[-1].room == 3
    with pytest.raises(ValueError, match="do not fit"):
        sample.seat_people(people[:61], seats_per_room=30, rooms=2)


def _rows(path: Path, sheet: str) -> list[list]:
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).to_python()


def test_xlsx_per_room_with_title_has_text_ticket_and_id(tmp_path, people):
    path = sample.write_roster_xlsx(tmp_path / "r.xlsx", people[:75], seats_per_room=30)
    workbook = CalamineWorkbook.from_path(str(path))
    assert workbook.sheet_names == ["第01考场", "第02考场", "第03考场"]
    rows = _rows(path, "第02考场")
    assert rows[0][0] == sample.ROSTER_TITLE
    assert tuple(rows[1]) == sample.ROSTER_HEADERS
    body = rows[2:]
    assert len(body) == 30
    for row, person in zip(body, people[30:60]):
        assert isinstance(row[1], str) and row[1] == person.ticket
        assert isinstance(row[4], str) and row[4] == person.id_number
        assert row[5] == "002"
    sheet = openpyxl.load_workbook(path)["第02考场"]
    assert [str(r) for r in sheet.merged_cells.ranges] == ["A1:G1"]
    assert sheet["B3"].number_format == "@" and sheet["E3"].number_format == "@"
    assert sheet.freeze_panes == "A3"


def test_xlsx_single_sheet_with_sessions_and_int_rooms(tmp_path, people):
    path = sample.write_roster_xlsx(
        tmp_path / "s.xlsx",
        people[:40],
        per_room_sheets=False,
        title=None,
        session_column=["S1", "S2"],
        room_as_text=False,
    )
    rows = _rows(path, "考生名单")
    assert rows[0] == list(sample.ROSTER_HEADERS) + ["场次"]
    body = rows[1:]
    assert len(body) == 80
    assert [row[7] for row in body].count("S2") == 40
    assert all(isinstance(row[1], str) and isinstance(row[4], str) for row in body)
    assert {row[5] for row in body} == {1, 2}
    assert not openpyxl.load_workbook(path)["考生名单"].merged_cells.ranges


def test_xlsx_instructions_sheet_comes_first(tmp_path, people):
    path = sample.write_roster_xlsx(tmp_path / "i.xlsx", people[:5], instructions=sample.INSTRUCTIONS)
    assert CalamineWorkbook.from_path(str(path)).sheet_names == ["填表说明", "第01考场"]


def test_csv_roster_round_trips(tmp_path, people):
    path = sample.write_roster_csv(tmp_path / "r.csv", people[:31], session_column=["S1"])
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == list(sample.ROSTER_HEADERS) + ["场次"]
    assert rows[31][1:] == [people[30].ticket, people[30].name, "男" if people[30].sex == "M" else "女",
                            people[30].id_number, "002", "1", "S1"]


def test_import_is_cheap():
    code = "import sys, examops.sample; print('openpyxl' in sys.modules or 'pandas' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


def test_sample_plan_file_matches_generator():
    text = (ROSTERS / "sample_plan.toml").read_text(encoding="utf-8")
    assert text == sample.sample_plan_toml()
    plan = tomllib.loads(text)
    assert plan["exam"]["site"] == "包头市第一中学考点"
    assert [s["id"] for s in plan["sessions"]] == ["S1", "S2"]
    assert [r["kind"] for r in plan["backup_rooms"]] == ["backup", "isolation"]


def test_sample_roster_has_360_candidates_in_12_rooms():
    path = ROSTERS / "sample_roster.xlsx"
    workbook = CalamineWorkbook.from_path(str(path))
    rooms = [f"第{n:02d}考场" for n in range(1, 13)]
    assert workbook.sheet_names == ["填表说明", *rooms]
    tickets, ids = set(), set()
    for sheet in rooms:
        body = _rows(path, sheet)[2:]
        assert len(body) == 30
        for row in body:
            assert isinstance(row[1], str) and isinstance(row[4], str)
            tickets.add(row[1])
            ids.add(row[4])
            assert ric.is_valid(row[4])
    assert len(tickets) == len(ids) == 360


def test_template_has_headers_text_columns_and_sex_list():
    path = ROSTERS / "template.xlsx"
    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == ["填表说明", "考生名单"]
    sheet = workbook["考生名单"]
    assert tuple(c.value for c in sheet[1]) == sample.TEMPLATE_HEADERS
    assert all(c.font.bold for c in sheet[1])
    assert sheet.freeze_panes == "A2"
    for column in ("A", "D"):
        assert sheet.column_dimensions[column].number_format == "@"
        assert sheet[f"{column}2"].number_format == "@"
        assert sheet[f"{column}5000"].number_format == "@"
    validations = sheet.data_validations.dataValidation
    assert len(validations) == 1 and validations[0].formula1 == '"男,女"'
    assert "C2" in validations[0].sqref
    assert _rows(path, "考生名单") == [list(sample.TEMPLATE_HEADERS)]
    guide = "\n".join(str(row[0]) for row in _rows(path, "填表说明"))
    for phrase in ("文本", "合并单元格", "隐藏", "准考证号", "身份证号码"):
        assert phrase in guide
