"""A signed report disguised without changing a signed value: `report verify` refuses it and names the cell.

Each case edits a freshly signed report with openpyxl, as a person with Excel would, keeping every value.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from openpyxl.comments import Comment
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Font, PatternFill
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation

from examops.cli import main
from examops.services.report import build_report, verify_report
from tests.conftest import TEST_PIN
from tests.support.signed_report import signed_report


@pytest.fixture
def signed(tmp_path) -> Path:
    """A signed S1 report of a SQLite site (the workbook, not the store, is under test)."""
    return signed_report(tmp_path)


def _figure_cell(book):
    """The summary's first figure cell holding a number (what the bureau reads)."""
    ws = book.worksheets[0]
    return ws, next(c for row in ws.iter_rows() for c in row if isinstance(c.value, int) and c.value > 0 and c.column >= 2)


def number_format_360(book):
    ws, cell = _figure_cell(book)
    cell.number_format = '"360"'
    return f"{ws.title}!{cell.coordinate}: number format"


def white_text(book):
    ws, cell = _figure_cell(book)
    cell.font = Font(name=cell.font.name, size=cell.font.size, color="FFFFFF")
    return f"{ws.title}!{cell.coordinate}: font"


def filled_over(book):
    ws, cell = _figure_cell(book)
    cell.fill = PatternFill("solid", fgColor="000000")
    return f"{ws.title}!{cell.coordinate}: fill"


def hidden_row(book):
    ws, cell = _figure_cell(book)
    ws.row_dimensions[cell.row].hidden = True
    return f"{ws.title}!{cell.row}:{cell.row}: row {cell.row} is hidden"


def hidden_column(book):
    ws, cell = _figure_cell(book)
    ws.column_dimensions[cell.column_letter].hidden = True
    return f"{ws.title}!{cell.column_letter}:{cell.column_letter}: column"


def hidden_sheet(book):
    ws = book.worksheets[2]
    ws.sheet_state = "hidden"
    return f"{ws.title}: the sheet is hidden"


def a_comment(book):
    ws, cell = _figure_cell(book)
    cell.comment = Comment("实到 360", "someone")
    return f"{ws.title}!{cell.coordinate}: a comment"


def a_defined_name(book):
    ws, cell = _figure_cell(book)
    book.defined_names["实到"] = DefinedName("实到", attr_text=f"'{ws.title}'!${cell.column_letter}${cell.row}")
    return "the workbook defines the name '实到'"


def a_conditional_format(book):
    ws, cell = _figure_cell(book)
    ws.conditional_formatting.add(cell.coordinate, CellIsRule(operator="greaterThan", formula=["0"], font=Font(color="FFFFFF")))
    return f"{ws.title}!{cell.coordinate}: a conditional format"


def a_data_validation(book):
    ws, cell = _figure_cell(book)
    validation = DataValidation(type="whole", operator="equal", formula1="360", showErrorMessage=True)
    validation.add(cell.coordinate)
    ws.add_data_validation(validation)
    return f"{ws.title}!{cell.coordinate}: data validation"


DISGUISES = [number_format_360, white_text, filled_over, hidden_row, hidden_column, hidden_sheet, a_comment,
             a_defined_name, a_conditional_format, a_data_validation]


@pytest.mark.parametrize("disguise", DISGUISES, ids=[d.__name__ for d in DISGUISES])
def test_a_disguised_report_is_refused_naming_the_cell(signed, disguise):
    book = load_workbook(signed)
    said = disguise(book)
    book.save(signed)
    result = verify_report(signed, any_key=True)
    assert result.signature_valid  # every signed value is as it was: only the look changed
    assert not result.ok and any(said in p for p in result.problems), result.problems


def test_a_report_saved_again_unchanged_still_verifies(signed):
    load_workbook(signed).save(signed)
    result = verify_report(signed, any_key=True)
    assert result.ok, result.problems


def test_without_a_trust_list_a_valid_signature_is_not_trusted(signed):
    plain = CliRunner().invoke(main, ["report", "verify", str(signed)])
    assert plain.exit_code == 1 and "signature is valid but the key" in plain.output and "not trusted" in plain.output
    anyone = CliRunner().invoke(main, ["report", "verify", str(signed), "--any-key"])
    assert anyone.exit_code == 0 and "any key" in anyone.output


# -- merge: what a bureau must not add up ------------------------------------------------------------------
def test_merge_refuses_one_key_signing_two_sites(tmp_path):
    import re

    from examops.services.report import ReportRefused
    from examops.services.report_merge import merge_reports
    from examops.services.site import init_site
    from tests.conftest import SAMPLE_PLAN, seed_roster

    url = f"sqlite:///{tmp_path / 'one.sqlite3'}"
    site = init_site(SAMPLE_PLAN, url=url, chief_pin=TEST_PIN)
    seed_roster(site, n_rooms=1)
    first = tmp_path / "first.xlsx"
    build_report(site, session_ids=["S1"], out=first, pin=TEST_PIN)
    site.close()
    other = tmp_path / "other.toml"
    other.write_text(re.sub(r'^site = ".*"$', 'site = "冒名考点"', SAMPLE_PLAN.read_text(encoding="utf-8"), flags=re.M), encoding="utf-8")
    posing = init_site(other, url=url, chief_pin=TEST_PIN)  # the same laptop, its key, another site's name
    second = tmp_path / "second.xlsx"
    build_report(posing, session_ids=["S1"], out=second, pin=TEST_PIN)
    posing.close()
    with pytest.raises(ReportRefused, match="one key .* signed the reports of 2 sites"):
        merge_reports([first, second], tmp_path / "region.xlsx", any_key=True)
    assert not (tmp_path / "region.xlsx").exists()


def test_merge_refuses_figures_that_do_not_add_up(seeded_site, tmp_path, monkeypatch):
    from examops.services import report as report_service
    from examops.services.report import ReportRefused
    from examops.services.report_merge import merge_reports

    table = report_service.figure_table

    def inflated(sessions, lang):  # noqa: ANN001, ANN202 - a site that signs what cannot be true
        keys, columns, totals = table(sessions, lang)
        columns[0]["present"] = columns[0]["expected"]
        return keys, columns, totals

    monkeypatch.setattr(report_service, "figure_table", inflated)
    out = tmp_path / "S1.xlsx"
    build_report(seeded_site, session_ids=["S1"], out=out, pin=TEST_PIN)
    assert verify_report(out, any_key=True).ok  # correctly signed, yet impossible
    with pytest.raises(ReportRefused, match=r"present 120 \+ absent 120 is more than the 120 expected"):
        merge_reports([out], tmp_path / "region.xlsx", any_key=True)


def test_the_merged_workbook_lists_the_keys_it_trusted(signed, tmp_path):
    result = verify_report(signed, any_key=True)
    trust = {result.fingerprint.lower()}
    from examops.services.report_merge import merge_reports

    out = merge_reports([signed], tmp_path / "region.xlsx", trusted=trust)["out"]
    sources = load_workbook(out).worksheets[-1]
    rows = [[c.value for c in row] for row in sources.iter_rows()]
    assert any(result.fingerprint in row and "通过" in row for row in rows), rows
    out_any = merge_reports([signed], tmp_path / "region-any.xlsx", any_key=True)["out"]
    rows_any = [[c.value for c in row] for row in load_workbook(out_any).worksheets[-1].iter_rows()]
    assert any(result.fingerprint in row and "签名有效；密钥不在信任列表中" in row for row in rows_any), rows_any
