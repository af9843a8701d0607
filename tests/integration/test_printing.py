"""Every sheet of the report and of the room documents prints as laid out: nothing cut, nothing over the next row,
no machine keys on paper; the signature still covers the keys and verification still passes."""

from __future__ import annotations

from openpyxl import load_workbook
from openpyxl.utils import column_index_from_string

from examops.services.documents import write_room_documents
from tests.integration.test_report import morning, report_json, verify  # noqa: F401  (the fixture)
from tests.support.print_check import print_problems


def _printed_values(ws) -> set[str]:  # noqa: ANN001
    """The values inside the sheet's print area (the whole sheet when it has none)."""
    last = ws.max_column
    if ws.print_area:
        corner = str(ws.print_area).split(":")[-1].replace("$", "")
        last = column_index_from_string("".join(ch for ch in corner if ch.isalpha()))
    return {str(cell.value) for row in ws.iter_rows() for cell in row if cell.value is not None and cell.column <= last}


def test_report_sheets_fit_their_cells_and_show_no_machine_keys(morning, tmp_path):  # noqa: F811
    out = tmp_path / "S1.xlsx"
    summary = report_json(morning, out, "--session", "S1")
    workbook = load_workbook(out)
    problems = [p for ws in workbook.worksheets for p in print_problems(ws)]
    assert problems == []
    keys = {k for k, v in summary.items() if not isinstance(v, dict)} | {
        f"{k}.{sub}" for k, v in summary.items() if isinstance(v, dict) for sub in v}
    shown = _printed_values(workbook.worksheets[0])
    assert not keys & shown, sorted(keys & shown)
    assert "exceptions_by_code.no_test_cert" in {str(c.value) for row in workbook.worksheets[0].iter_rows() for c in row}
    assert verify(out).exit_code == 0


def test_room_record_lists_tickets_in_a_column_wide_enough(morning, tmp_path):  # noqa: F811
    out = tmp_path / "S1.xlsx"
    report_json(morning, out, "--session", "S1")
    ws = load_workbook(out)["S1-004"]
    ticket = morning.groups["held"][0].ticket
    cell = next(c for row in ws.iter_rows() for c in row if c.value == ticket)
    width = ws.column_dimensions[cell.column_letter].width
    assert width >= len(ticket), (cell.coordinate, width)
    assert print_problems(ws) == []


def test_room_documents_fit_their_cells(morning, tmp_path):  # noqa: F811
    result = write_room_documents(morning, "S1", tmp_path / "docs")
    for room in result["rooms"]:
        workbook = load_workbook(room["files"][0])
        assert [p for ws in workbook.worksheets for p in print_problems(ws)] == [], room["room"]


def test_room_record_counts_add_up_on_paper(morning, tmp_path):  # noqa: F811
    out = tmp_path / "S1.xlsx"
    report_json(morning, out, "--session", "S1")
    workbook = load_workbook(out)
    for title in ("S1-004", "S1-B01", "S1-001"):
        cells = [v for row in workbook[title].iter_rows(min_row=5, max_row=7, values_only=True) for v in row if v is not None]
        counts = dict(zip(cells[::2], cells[1::2]))
        assert counts["应到"] == counts["原编排"] - counts["调出"] + counts["调入"], (title, counts)
        assert counts["应到"] == counts["实到"] + counts["缺考"] + counts.get("未到", 0), (title, counts)
    b01 = [v for row in workbook["S1-B01"].iter_rows(min_row=5, max_row=6, values_only=True) for v in row if v is not None]
    b01_counts = dict(zip(b01[::2], b01[1::2]))
    assert b01_counts["调入"] == b01_counts["应到"] == b01_counts["实到"] == len(morning.groups["held"])


def test_the_summary_gives_each_session_its_own_line(morning, tmp_path):  # noqa: F811
    """Both sessions' dates and times on one line ran past the printed page in LibreOffice ("14:00—" cut off)."""
    out = tmp_path / "all.xlsx"
    report_json(morning, out, "--all")
    ws = load_workbook(out).worksheets[0]
    lines = [str(row[0].value) for row in ws.iter_rows(max_row=8) if row[0].value]
    s1 = [line for line in lines if "（S1）" in line or "(S1)" in line]
    s2 = [line for line in lines if "（S2）" in line or "(S2)" in line]
    assert len(s1) == 1 and len(s2) == 1 and s1 != s2, lines
    assert "11:30" in s1[0] and "17:00" in s2[0], lines
    assert print_problems(ws) == []
