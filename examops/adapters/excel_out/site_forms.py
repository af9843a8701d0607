"""The site's forms of a session as one A4 workbook: the 考点 summary, and an 应试人员违纪情况报告单 per incident.

Takes the plain values the documents service gathered (times already local,
ID numbers masked). Each form is a sheet; the PDF is printed from the same
sheets.
"""

from __future__ import annotations

import re
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet.worksheet import Worksheet

from examops.adapters.excel_out.atomic import save_workbook
from examops.adapters.excel_out.fit import fit_rows, wrapped_lines
from examops.adapters.excel_out.room_docs import session_line
from examops.domain.papers import MisconductReport, PaperHeading, RoomPaper, SiteSummaryPaper
from examops.i18n.document_words import form_words, room_words
from examops.i18n.report_words import ROOM_KINDS, SEVERITY_LABELS, incident_label, pick, reason_text, yes_no

THIN = Side(style="thin", color="000000")
GRID = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEAD_FILL = PatternFill("solid", fgColor="E7E6E6")
_UNSAFE_FILE_CHARS = re.compile(r'[\\/:*?"<>|\s]+')


def _session_line(heading: PaperHeading, lang: str) -> str:
    paper = RoomPaper(heading.exam, heading.site, heading.session_id, heading.session_name, heading.date, heading.start,
                      heading.end, "", "", "", ())
    return session_line(paper, lang)


def _room_title(room: str, name: str, lang: str) -> str:
    words = room_words(lang)
    if name.isdigit():
        return words["room_numbered"].format(name=name)
    return name if name == room else words["room_named"].format(name=name, room=room)


class _Form:
    """One form sheet: a 4-column grid whose rows are label/value cells, merged as asked."""

    WIDTHS = (16, 30, 16, 30)

    def __init__(self, ws: Worksheet):
        self.ws, self.row, self.values = ws, 1, {}
        for letter, width in zip("ABCD", self.WIDTHS):
            ws.column_dimensions[letter].width = width
        ws.sheet_view.showGridLines = False

    def line(self, text: str, *, size: float = 11, bold: bool = False, height: float | None = None, center: bool = False) -> None:
        self.ws.merge_cells(start_row=self.row, start_column=1, end_row=self.row, end_column=4)
        cell = self.ws.cell(row=self.row, column=1, value=text)
        cell.font = Font(name="黑体" if bold else "宋体", size=size, bold=bold)
        cell.alignment = Alignment(horizontal="center" if center else "left", vertical="center", wrap_text=True)
        if height:
            self.ws.row_dimensions[self.row].height = height
        self.row += 1

    def cells(self, *parts: tuple[object, int, bool], height: float | None = None) -> None:
        """`(value, columns spanned, is a label)` left to right across the four columns."""
        column = 1
        for value, span, label in parts:
            if span > 1:
                self.ws.merge_cells(start_row=self.row, start_column=column, end_row=self.row, end_column=column + span - 1)
            for c in range(column, column + span):
                self.ws.cell(row=self.row, column=c).border = GRID
            cell = self.ws.cell(row=self.row, column=column, value=value)
            cell.font = Font(name="黑体" if label else "宋体", size=11, bold=label)
            cell.alignment = Alignment(horizontal="center" if label or isinstance(value, int) else "left", vertical="center",
                                       wrap_text=True)
            if label:
                cell.fill = HEAD_FILL
            if isinstance(value, str):
                cell.number_format = "@"
            if span == 1 and value is not None:
                self.values[(self.row, column)] = value
            column += span
        self.ws.row_dimensions[self.row].height = height or 24
        self.row += 1

    def finish(self, header: str, page: str) -> None:
        fit_rows(self.ws, self.values)
        ws = self.ws
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.orientation = ws.ORIENTATION_PORTRAIT
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_options.horizontalCentered = True
        ws.oddHeader.right.text, ws.oddHeader.right.size = header.replace("&", "&&"), 9
        ws.oddFooter.center.text, ws.oddFooter.center.size = page, 9


def _summary(ws: Worksheet, paper: SiteSummaryPaper, lang: str) -> None:
    w, h = form_words(lang), paper.heading
    form = _Form(ws)
    form.line(w["summary_title"], size=16, bold=True, height=30, center=True)
    form.line(f"{h.exam}　{h.site}", center=True)
    form.line(_session_line(h, lang), center=True)
    form.row += 1
    form.cells((w["item"], 2, True), (w["count"], 2, True))
    counted = ("expected", "present", "absent", "not_arrived") if paper.not_arrived else ("expected", "present", "absent")
    for key in (*counted, "exceptions", "misconduct", "moved"):
        form.cells((w[key], 2, False), (getattr(paper, key), 2, False))
    form.row += 1
    form.line(w["rooms_opened"], bold=True)
    if paper.rooms_opened:
        form.cells((w["room"], 2, True), (w["kind"], 1, True), (w["seated"], 1, True))
        for room in paper.rooms_opened:
            form.cells((_room_title(room.room, room.name, lang), 2, False), (pick(ROOM_KINDS, room.kind, lang), 1, False),
                       (room.seated, 1, False))
    else:
        form.line(w["none"])
    form.row += 1
    form.cells((w["verdict"], 2, True), (yes_no(paper.zero_incident, lang), 2, False))
    if paper.reasons:
        reasons = "\n".join(reason_text(r, lang) for r in paper.reasons)
        # The label as wide as the verdict's above it: in one narrow column "未达“三零”原因" broke in two.
        lines = sum(wrapped_lines(reason_text(r, lang), sum(_Form.WIDTHS[2:]) - 2) for r in paper.reasons)
        form.cells((w["in_the_way"], 2, True), (reasons, 2, False), height=18 * lines + 8)
    form.row += 1
    form.line(w["chief_sign"], height=32)
    form.line(w["date_line"], height=32)
    form.finish(f"{h.site} · {w['summary_title']}", w["page"])


def _misconduct(ws: Worksheet, report: MisconductReport, lang: str) -> None:
    w, h = form_words(lang), report.heading
    form = _Form(ws)
    form.line(w["report_title"], size=16, bold=True, height=30, center=True)
    form.line(w["number"].format(id=report.incident_id), center=True)
    form.cells((w["exam"], 1, True), (h.exam, 3, False))
    form.cells((w["site"], 1, True), (h.site, 3, False))
    form.cells((w["session"], 1, True), (_session_line(h, lang), 3, False))
    form.cells((w["name"], 1, True), (report.name, 1, False), (w["ticket"], 1, True), (report.ticket, 1, False))
    seat = f"{_room_title(report.room, report.room_name, lang)} / {report.seat:02d}" if report.seat else \
        _room_title(report.room, report.room_name, lang)
    form.cells((w["id"], 1, True), (report.id_masked, 1, False), (w["room_seat"], 1, True), (seat, 1, False))
    kind = f"{incident_label(report.kind, lang)}（{pick(SEVERITY_LABELS, report.severity, lang)}）" if lang.startswith("zh") \
        else f"{incident_label(report.kind, lang)} ({pick(SEVERITY_LABELS, report.severity, lang)})"
    form.cells((w["at"], 1, True), (report.at, 1, False), (w["incident_kind"], 1, True), (kind, 1, False))
    form.cells((w["facts"], 1, True), (report.note, 3, False), height=150)
    form.cells((w["recorded_by"], 1, True), (report.recorded_by, 3, False))
    form.row += 1
    form.line(w["proctor_sign"], height=40)
    form.line(w["candidate_sign"], height=40)
    form.finish(f"{h.site} · {w['report_title']} {report.incident_id}", w["page"])


def write_site_forms_book(summary: SiteSummaryPaper, reports: list[MisconductReport], out_dir: Path, *, lang: str = "zh",
                          formats: tuple[str, ...] = ("xlsx",)) -> list[Path]:
    """Write the forms workbook (and/or its PDF) into `out_dir`; a rerun replaces them."""
    w = form_words(lang)
    workbook = Workbook()
    first = workbook.active
    first.title = w["summary_sheet"][:31]
    _summary(first, summary, lang)
    for number, report in enumerate(reports, start=1):
        _misconduct(workbook.create_sheet(w["report_sheet"].format(number=number)[:31]), report, lang)
    stem = _UNSAFE_FILE_CHARS.sub("_", w["file"].format(session=summary.heading.session_id))
    path = Path(out_dir) / f"{stem}.xlsx"
    written: list[Path] = []
    if "pdf" in formats:
        from examops.adapters.pdf.sheet_pdf import write_pdf

        written.append(write_pdf(workbook.worksheets, path.with_suffix(".pdf"), title=w["summary_title"]))
    if "xlsx" in formats:
        written.insert(0, save_workbook(workbook, path))
    return written
