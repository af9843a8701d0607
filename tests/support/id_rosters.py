"""A roster whose bad cells are ID numbers, each problem kind that quotes one: the numbers a screen must not show."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from examops import sample

ID_COLUMN = 5


def bad_id_roster(path: Path) -> tuple[Path, list[str]]:
    """The roster and the ID numbers (as typed, and as Excel keeps a number) its problems would quote in full."""
    people = sample.synthetic_people(60)
    sample.write_roster_xlsx(path, people, rooms=2)
    book = openpyxl.load_workbook(path)
    sheet = book[book.sheetnames[0]]
    header = next(r for r in range(1, 6) if sheet.cell(r, 2).value == "准考证号")
    wrong_check = people[0].id_number[:-1] + ("0" if people[0].id_number[-1] != "0" else "1")
    sheet.cell(header + 1, ID_COLUMN).value = wrong_check  # id-checksum
    sheet.cell(header + 2, ID_COLUMN).value = people[4].id_number  # duplicate-id on row header + 5
    as_number = people[2].id_number.replace("X", "1")
    sheet.cell(header + 3, ID_COLUMN).value = float(as_number)  # number-cell: an ID typed as a number
    bad_date = people[3].id_number[:10] + "1345" + people[3].id_number[14:]
    sheet.cell(header + 4, ID_COLUMN).value = bad_date  # id-birth-date
    short = people[5].id_number[:17]
    sheet.cell(header + 6, ID_COLUMN).value = short  # id-format
    book.save(path)
    stored = str(int(float(as_number)))
    born = f"{bad_date[6:10]}-{bad_date[10:12]}-{bad_date[12:14]}"  # the birth date is the part a mask hides
    return path, [wrong_check, people[4].id_number, as_number, stored, bad_date, short, born]


def headerless_roster(path: Path) -> tuple[Path, list[str]]:
    """Candidates without a header row: refused at the first ID-like cell, quoting the row that holds it."""
    people = sample.synthetic_people(3)
    book = openpyxl.Workbook()
    sheet = book.active
    for seat, person in enumerate(people, start=1):
        sheet.append([person.ticket, person.name, person.id_number, "001", seat])
    book.save(path)
    return path, [p.id_number for p in people]
