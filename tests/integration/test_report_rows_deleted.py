"""A row deleted from a signed report with openpyxl is named as a deleted row (fails on main: "changed: row 6 … and
N more row(s)", every row below it listed as changed)."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook

from examops.services.gate import Lane
from examops.services.report import build_report, verify_report
from examops.services.site import init_site
from tests.conftest import SAMPLE_PLAN, TEST_PIN, seed_roster


@pytest.fixture
def signed(tmp_path):
    site = init_site(SAMPLE_PLAN, url=f"sqlite:///{tmp_path / 'store.sqlite3'}", chief_pin=TEST_PIN)
    try:
        people = seed_roster(site)
        lane = Lane(site, "A", "s")
        for person in people[:20]:
            lane.check(person.ticket, session_id="S1")
        out = tmp_path / "S1.xlsx"
        build_report(site, session_ids=["S1"], out=out, pin=TEST_PIN)
    finally:
        site.close()
    return out


def _summary_sheet(workbook):
    return workbook.worksheets[0]  # the summary: 45 rows


def _changes(path) -> str:
    return " | ".join(str(p) for p in verify_report(path, any_key=True).problems)


def test_a_deleted_row_is_named_as_deleted(signed, tmp_path):
    workbook = load_workbook(signed)
    sheet = _summary_sheet(workbook)
    title = sheet.title
    sheet.delete_rows(8)
    edited = tmp_path / "edited.xlsx"
    workbook.save(edited)
    changes = _changes(edited)
    assert f"sheet '{title}': row 8 was deleted (the rows below it moved up)" in changes, changes
    assert f"sheet '{title}' changed" not in changes


def test_two_deleted_rows_and_an_inserted_one(signed, tmp_path):
    workbook = load_workbook(signed)
    sheet = _summary_sheet(workbook)
    title = sheet.title
    sheet.delete_rows(8, 2)
    edited = tmp_path / "two.xlsx"
    workbook.save(edited)
    assert f"sheet '{title}': row 8–9 was deleted" in _changes(edited)
    workbook = load_workbook(signed)
    workbook[title].insert_rows(7)
    inserted = tmp_path / "inserted.xlsx"
    workbook.save(inserted)
    assert f"sheet '{title}': row 7 was inserted (the rows below it moved down)" in _changes(inserted)


def test_a_changed_row_is_still_said_as_changed(signed, tmp_path):
    workbook = load_workbook(signed)
    sheet = _summary_sheet(workbook)
    title = sheet.title
    sheet.cell(row=8, column=2).value = "x"
    edited = tmp_path / "changed.xlsx"
    workbook.save(edited)
    assert f"sheet '{title}' changed: row 8" in _changes(edited)
