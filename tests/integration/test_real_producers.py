"""Rosters saved by LibreOffice (and in WPS's .et format) import the same candidates as the .xlsx examops writes."""

from __future__ import annotations

import datetime as dt
import shutil
import sys
from pathlib import Path

import pytest

from examops.adapters.excel_in import read_workbook
from examops.domain.roster import parse_rosters
from tests.support.real_files import FIXTURES

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))
import make_real_producer_fixtures as producers  # noqa: E402

TODAY = dt.date(2021, 10, 16)
COMMITTED = sorted(p.name for p in FIXTURES.iterdir() if p.name != "README.md" and p.name != "examops.xlsx")
KINDS = {".ods": "ods", ".xls": "xls", ".et": "xls", ".xlsx": "xlsx", ".tsv": "csv", ".csv": "csv"}


def candidates(path: Path) -> list[tuple]:
    content = read_workbook(path)
    parsed = parse_rosters([(path.name, content.sheets)], today=TODAY)
    assert [p.message for p in parsed.problems if p.severity == "error"] == []
    return sorted((e.ticket, e.name, e.sex, e.id_number, e.room, e.seat) for e in parsed.entries)


def test_the_examops_roster_has_every_candidate():
    people = candidates(FIXTURES / "examops.xlsx")
    assert len(people) == producers.PEOPLE


@pytest.mark.parametrize("name", COMMITTED)
def test_committed_real_producer_file_imports_the_same_candidates(name):
    assert candidates(FIXTURES / name) == candidates(FIXTURES / "examops.xlsx")


def test_web_page_saved_as_xls_is_read_as_html_with_a_note():
    content = read_workbook(FIXTURES / "libreoffice-web-page.xls")
    assert content.kind == "html"
    assert any("web page" in note for note in content.notes)


@pytest.mark.parametrize(("name", "kind"), [(n, KINDS[Path(n).suffix]) for n in COMMITTED if n != "libreoffice-web-page.xls"])
def test_each_file_is_read_as_its_real_kind(name, kind):
    assert read_workbook(FIXTURES / name).kind == kind


def test_strict_fixture_really_uses_strict_namespaces():
    import zipfile

    with zipfile.ZipFile(FIXTURES / "libreoffice-strict.xlsx") as archive:
        workbook = archive.read("xl/workbook.xml")
    assert b"purl.oclc.org/ooxml/spreadsheetml/main" in workbook
    assert b"schemas.openxmlformats.org/spreadsheetml" not in workbook


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_made_now_imports_the_same_candidates(tmp_path):
    made = producers.make_all(tmp_path, shutil.which("soffice"))
    expected = candidates(made.pop("examops.xlsx"))
    for name, path in made.items():
        assert candidates(path) == expected, name


def test_real_producer_rosters_import_through_the_service_and_bad_ones_change_nothing(site, tmp_path):
    """A LibreOffice .ods imports; then a file that panicked a reader and one too big to read change nothing."""
    import openpyxl
    from sqlalchemy import func, select

    from examops.adapters.store import schema
    from examops.services.roster import import_roster

    report = import_roster(site, [FIXTURES / "libreoffice.ods"])
    assert report.imported and report.candidates == producers.PEOPLE

    def counts():
        with site.store.read() as conn:
            return [conn.execute(select(func.count()).select_from(t)).scalar_one() for t in (schema.candidates, schema.seats, schema.events)]

    before = counts()
    far = tmp_path / "far.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active["A1"], workbook.active["XFD1048576"] = "准考证号", "x"
    workbook.save(far)
    bad = [far, FIXTURES / "libreoffice-web-page.xls"]
    report = import_roster(site, bad, replace=True)
    assert not report.imported
    assert [p.code for p in report.errors] == ["unreadable"]
    assert counts() == before
