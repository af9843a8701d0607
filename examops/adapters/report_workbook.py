"""The bureau report as an A4 workbook (openpyxl), and the reading of its cells back.

The writer records every value it puts in a cell (only `str` and `int`, so
they read back identically), which is what the report service hashes and
signs; `load_cells` gives the same values back from a saved file. The layout
knowledge (where the Summary figures and the signature fields stand) lives
here on both sides: `figure_table` and `signature_cells` read what
`ReportBook` wrote.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Sequence

import qrcode
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.chart import BarChart, Reference
from openpyxl.drawing.image import Image
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from examops.adapters.report_words import (
    ACTION_LABELS,
    FIGURE_LABELS,
    LEVEL_LABELS,
    ROOM_KINDS,
    SEVERITY_LABELS,
    STATUS_LABELS,
    STEP_LABELS,
    VIA_LABELS,
    incident_label,
    lang_of,
    pick,
    reason_text,
    words,
)
from examops.domain.figures import ARRIVAL_BUCKET_MINUTES

if TYPE_CHECKING:
    from examops.services.report import ReportContent, SessionContent

CellValue = int | str
SheetCells = tuple[str, list[tuple[int, int, object]]]
"""A sheet's title and its non-empty cells (row, column, value) in row-major order."""

KEY_HEADER = "key"
MAX_CELL_TEXT = 32767
ROOM_SHEETS_UP_TO = 80
"""Rooms of a session get a sheet each up to this many; beyond, one sheet per session with a page per room."""
_TITLE_FORBIDDEN = str.maketrans({c: "_" for c in "[]:*?/\\"})

THIN = Side(style="thin", color="000000")
GRID = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
STYLES = (
    # Titles are centred across the row's cells rather than merged: thousands of merges in one sheet are slow to make.
    NamedStyle("eo_title", font=Font(name="黑体", size=16, bold=True),
               alignment=Alignment(horizontal="centerContinuous", vertical="center")),
    NamedStyle("eo_subtitle", font=Font(name="宋体", size=11), alignment=Alignment(horizontal="centerContinuous", vertical="center")),
    NamedStyle("eo_form", font=Font(name="黑体", size=14, bold=True), alignment=Alignment(horizontal="left", vertical="center")),
    NamedStyle("eo_section", font=Font(name="黑体", size=11, bold=True), alignment=Alignment(horizontal="left", vertical="center")),
    NamedStyle("eo_line", font=Font(name="宋体", size=11), alignment=Alignment(horizontal="left", vertical="center")),
    NamedStyle("eo_head", font=Font(name="黑体", size=10, bold=True), border=GRID,
               fill=PatternFill("solid", fgColor="E7E6E6"), alignment=Alignment(horizontal="center", vertical="center", wrap_text=True)),
    NamedStyle("eo_cell", font=Font(name="宋体", size=10), border=GRID, alignment=Alignment(horizontal="center", vertical="center")),
    NamedStyle("eo_text", font=Font(name="宋体", size=10), border=GRID, number_format="@",
               alignment=Alignment(horizontal="left", vertical="center", wrap_text=True)),
    NamedStyle("eo_code", font=Font(name="Consolas", size=9), border=GRID, number_format="@",
               alignment=Alignment(horizontal="left", vertical="center", wrap_text=True)),
)

CENTRED_ACROSS = ("eo_title", "eo_subtitle")


def writable(value: object) -> CellValue | None:
    """The value as it will be stored and read back: int or clean text; None for nothing to write."""
    if value is None:
        return None
    if isinstance(value, bool) or isinstance(value, float):
        raise TypeError(f"the report writes only text and whole numbers, not {value!r}")
    if isinstance(value, int):
        return value
    text = ILLEGAL_CHARACTERS_RE.sub("", str(value).replace("\r\n", "\n").replace("\r", "\n"))
    return text[:MAX_CELL_TEXT] or None


class _Sheet:
    """One worksheet and the values written to it (kept for the digest)."""

    def __init__(self, book: "Book", title: str, widths: Sequence[float]):
        self.ws: Worksheet = book.workbook.create_sheet(book.unique_title(title))
        self.values: dict[tuple[int, int], CellValue] = {}
        self.width = len(widths)
        self.row = 1
        for column, width in enumerate(widths, start=1):
            self.ws.column_dimensions[get_column_letter(column)].width = width

    @property
    def title(self) -> str:
        return self.ws.title

    def put(self, row: int, column: int, value: object, style: str = "eo_cell") -> None:
        value = writable(value)
        cell = self.ws.cell(row=row, column=column)
        if value is not None:
            cell.value = value
            if isinstance(value, str):
                cell.data_type = "s"  # never a formula or an error code, whatever the text starts with
            self.values[(row, column)] = value
        cell.style = style

    def banner(self, text: object, style: str = "eo_subtitle", height: float | None = None) -> None:
        """A line of text across the sheet's width (titles centred across it, other lines running on from column A)."""
        self.put(self.row, 1, text, style)
        if style in CENTRED_ACROSS:
            for column in range(2, self.width + 1):
                self.ws.cell(row=self.row, column=column).style = style
        if height:
            self.ws.row_dimensions[self.row].height = height
        self.row += 1

    def table(self, headers: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
        for column, header in enumerate(headers, start=1):
            self.put(self.row, column, header, "eo_head")
        self.row += 1
        for values in rows:
            for column, value in enumerate(values, start=1):
                self.put(self.row, column, value, "eo_text" if isinstance(value, str) else "eo_cell")
            self.row += 1

    def cells(self) -> SheetCells:
        return self.title, [(r, c, v) for (r, c), v in sorted(self.values.items())]


def _a4(ws: Worksheet, *, title_rows: str | None, header: str, landscape: bool = False, page: str = "") -> None:
    """A4, one page wide, header rows repeated on every page, centred, with page numbers."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE if landscape else ws.ORIENTATION_PORTRAIT
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    if title_rows:
        ws.print_title_rows = title_rows
    ws.page_margins = PageMargins(left=0.4, right=0.4, top=0.6, bottom=0.6, header=0.25, footer=0.25)
    ws.print_options.horizontalCentered = True
    ws.oddHeader.right.text = header.replace("&", "&&")
    ws.oddHeader.right.size = 9
    ws.oddFooter.center.text = page
    ws.oddFooter.center.size = 9


def room_title(room: str, name: str, lang: str) -> str:
    if name.isdigit():
        return f"第{name}考场" if lang == "zh" else f"Room {name}"
    return name if name == room else (f"{name}（{room}）" if lang == "zh" else f"{name} ({room})")


def session_line(content: "ReportContent", sc: "SessionContent") -> str:
    s = sc.session
    if content.lang == "zh":
        return f"{s.name}（{s.id}）　{s.date.year}年{s.date.month}月{s.date.day}日　{s.start:%H:%M}—{s.end:%H:%M}"
    return f"{s.name} ({s.id}) · {s.date.isoformat()} · {s.start:%H:%M}–{s.end:%H:%M}"


class Book:
    """A workbook with the report's styles; sheet titles made valid and unique; saved atomically."""

    def __init__(self, lang: str):
        self.lang = lang_of(lang)
        self.words = words(lang)
        self.workbook = Workbook()
        self.workbook.remove(self.workbook.active)
        for style in STYLES:
            self.workbook.add_named_style(style)
        self.sheets: list[_Sheet] = []

    def unique_title(self, title: str) -> str:
        base = title.translate(_TITLE_FORBIDDEN)[:31] or "_"
        taken = {ws.title for ws in self.workbook.worksheets}
        candidate, n = base, 2
        while candidate in taken:
            suffix = f"~{n}"
            candidate, n = base[:31 - len(suffix)] + suffix, n + 1
        return candidate

    def save(self, path: str | Path) -> Path:
        """Write atomically: a reader never sees half a report."""
        path = Path(path)
        temp = path.with_name(f".{path.stem}.{os.getpid()}.tmp.xlsx")
        try:
            self.workbook.save(temp)
            os.replace(temp, path)
        except BaseException:
            temp.unlink(missing_ok=True)
            raise
        return path


class ReportBook(Book):
    """Lays out the site report; `cells()` is what gets signed, `sign()` adds the signature sheet."""

    def __init__(self, content: "ReportContent"):
        super().__init__(content.lang)
        self.content = content
        self.summary_title = ""
        self._summary()
        for sc in content.sessions:
            self._charts(sc)
        self._exceptions()
        self._timeline()
        self._moves()
        self._incidents()
        for sc in content.sessions:
            self._rooms(sc)

    # -- helpers -------------------------------------------------------------
    def _sheet(self, title: str, widths: Sequence[float]) -> _Sheet:
        sheet = _Sheet(self, title, widths)
        self.sheets.append(sheet)
        return sheet

    def _finish(self, sheet: _Sheet, *, title_rows: str | None, landscape: bool = False) -> None:
        _a4(sheet.ws, title_rows=title_rows, header=f"{self.content.site} · {sheet.title}", landscape=landscape,
            page=self.words["page"])

    def _time(self, at: str | None) -> str:
        return self.content.local_time(at) if at else ""

    def _name(self, ticket: str | None) -> str:
        return self.content.names.get(ticket or "", "")

    def _heading(self, sheet: _Sheet, title: str) -> None:
        sheet.banner(title, "eo_title", height=28)
        sheet.banner(f"{self.content.exam}　{self.content.site}")

    # -- summary -------------------------------------------------------------
    def _summary(self) -> None:
        content, w = self.content, self.words
        several = len(content.sessions) > 1
        sheet = self._sheet(w["summary"], [30, 24] + [16] * (len(content.sessions) + several))
        self.summary_title = sheet.title
        self._heading(sheet, w["summary_title"])
        sheet.banner("；".join(session_line(content, sc) for sc in content.sessions) if self.lang == "zh"
                     else "; ".join(session_line(content, sc) for sc in content.sessions))
        sheet.banner(w["generated"].format(at=content.generated_at))
        verdicts = []
        for sc in content.sessions:
            yes, no = ("是", "否") if self.lang == "zh" else ("yes", "no")
            reasons = "、".join(reason_text(r, self.lang) for r in sc.figures.reasons) if self.lang == "zh" \
                else "; ".join(sc.figures.reasons)
            verdicts.append(f"{sc.session.id} {yes}" if sc.figures.zero_incident else f"{sc.session.id} {no}（{reasons}）")
        sheet.banner(w["verdict"].format(verdicts="；".join(verdicts)), "eo_section", height=32)
        sheet.row += 1
        header_row = sheet.row
        headers = [w["item"], KEY_HEADER] + [sc.session.id for sc in content.sessions] + ([w["total"]] if several else [])
        for column, header in enumerate(headers, start=1):
            sheet.put(header_row, column, header, "eo_head")
        sheet.row += 1
        groups_seen: set[str] = set()
        for key in content.figure_keys:
            group, _, sub = key.partition(".")
            if sub and group not in groups_seen:
                groups_seen.add(group)
                sheet.put(sheet.row, 1, pick(FIGURE_LABELS, group, self.lang), "eo_section")
                sheet.row += 1
            label = self._sub_label(group, sub) if sub else pick(FIGURE_LABELS, key, self.lang)
            sheet.put(sheet.row, 1, ("　　" + label) if sub else label, "eo_text")
            sheet.put(sheet.row, 2, key, "eo_code")
            for offset, column in enumerate(content.figure_columns):
                sheet.put(sheet.row, 3 + offset, column.get(key), "eo_text" if isinstance(column.get(key), str) else "eo_cell")
            if several:
                sheet.put(sheet.row, 3 + len(content.sessions), content.figure_totals.get(key), "eo_cell")
            sheet.row += 1
        self._finish(sheet, title_rows=f"{header_row}:{header_row}")

    def _sub_label(self, group: str, sub: str) -> str:
        if group == "exceptions_by_code":
            return pick(self.content.code_labels, sub, self.lang)
        if group == "exceptions_by_status":
            return pick(STATUS_LABELS, sub, self.lang)
        if group == "incidents_by_kind":
            return incident_label(sub, self.lang)
        return sub

    # -- charts --------------------------------------------------------------
    def _charts(self, sc: "SessionContent") -> None:
        w, figures = self.words, sc.figures
        sheet = self._sheet(w["charts"].format(session=sc.session.id), [12, 12, 4, 22, 12, 12])
        self._heading(sheet, f"{session_line(self.content, sc)}")
        first = sheet.row
        sheet.put(first, 1, w["arrivals_title"].format(minutes=ARRIVAL_BUCKET_MINUTES), "eo_section")
        sheet.put(first, 4, w["attendance_title"], "eo_section")
        header = first + 1
        arrivals = _every_bucket(figures.arrivals)
        sheet.row = header
        sheet.table([w["slot"], w["arrived"]], [[slot, count] for slot, count in arrivals])
        rooms = self.content.ordered_rooms(sc)
        for offset, label in enumerate((w["room"], w["expected"], w["present"])):
            sheet.put(header, 4 + offset, label, "eo_head")
        for index, room in enumerate(rooms, start=1):
            numbers = figures.rooms[room]
            sheet.put(header + index, 4, room, "eo_text")
            sheet.put(header + index, 5, numbers.expected)
            sheet.put(header + index, 6, numbers.present)
        if arrivals:
            chart = _bar_chart(w["arrivals_title"].format(minutes=ARRIVAL_BUCKET_MINUTES), w["arrived"])
            chart.add_data(Reference(sheet.ws, min_col=2, min_row=header, max_row=header + len(arrivals)), titles_from_data=True)
            chart.set_categories(Reference(sheet.ws, min_col=1, min_row=header + 1, max_row=header + len(arrivals)))
            sheet.ws.add_chart(chart, "H3")
        if rooms:
            chart = _bar_chart(w["attendance_title"], w["present"])
            chart.add_data(Reference(sheet.ws, min_col=5, max_col=6, min_row=header, max_row=header + len(rooms)),
                           titles_from_data=True)
            chart.set_categories(Reference(sheet.ws, min_col=4, min_row=header + 1, max_row=header + len(rooms)))
            sheet.ws.add_chart(chart, "H21")
        self._finish(sheet, title_rows=f"{header}:{header}", landscape=True)

    # -- lists ---------------------------------------------------------------
    def _exceptions(self) -> None:
        w, lang = self.words, self.lang
        sheet = self._sheet(w["exceptions"], [7, 10, 16, 10, 20, 8, 6, 16, 10, 9, 19, 8, 10, 28, 10])
        self._heading(sheet, w["exceptions_title"])
        headers = [w[k] for k in ("session", "case", "ticket", "name", "id_number", "room", "seat", "code", "action",
                                  "status", "at", "lane", "staff", "reason", "seated")]
        rows = []
        for sc in self.content.sessions:
            for view in sc.cases:
                case, card = view.case, view.card
                seated = case.seated_by.payload if case.seated_by else None
                rows.append([sc.session.id, case.id[:8], card.ticket, card.name, card.id_masked, card.room, card.seat,
                             pick(self.content.code_labels, case.code, lang), pick(ACTION_LABELS, case.action, lang),
                             pick(STATUS_LABELS, view.status, lang), self._time(case.exception.at), case.exception.lane,
                             case.exception.staff, case.exception.payload.get("reason", ""),
                             f"{seated.get('room')}/{seated.get('seat')}" if seated else ""])
        header_row = sheet.row
        sheet.table(headers, rows)
        self._finish(sheet, title_rows=f"{header_row}:{header_row}", landscape=True)

    def _timeline(self) -> None:
        w, lang = self.words, self.lang
        sheet = self._sheet(w["timeline"], [7, 10, 16, 10, 19, 16, 16, 12, 40])
        self._heading(sheet, w["timeline_title"])
        headers = [w[k] for k in ("session", "case", "ticket", "name", "at", "step", "by", "recorded_by", "note")]
        rows = []
        for sc in self.content.sessions:
            for view in sc.cases:
                case, lead = view.case, [sc.session.id, view.case.id[:8], view.card.ticket, view.card.name]
                exc = case.exception
                steps = [(exc.at, pick(STEP_LABELS, "exception", lang), exc.staff or "", "",
                          f"{pick(self.content.code_labels, case.code, lang)} · {exc.lane or ''} · {exc.payload.get('reason', '')}")]
                for approval in case.approvals:
                    p = approval.payload
                    steps.append((approval.at, f"{pick(STEP_LABELS, 'approved', lang)} · {pick(LEVEL_LABELS, p.get('level'), lang)}",
                                  p.get("by", ""), p.get("recorded_by", "") if p.get("recorded_by") != p.get("by") else "",
                                  p.get("note", "")))
                for key, event in (("rejected", case.rejection), ("resolved", case.resolution)):
                    if event is not None:
                        steps.append((event.at, pick(STEP_LABELS, key, lang), event.payload.get("by", ""), "",
                                      event.payload.get("reason") or event.payload.get("note") or ""))
                if case.seated_by is not None:
                    p = case.seated_by.payload
                    steps.append((case.seated_by.at, pick(STEP_LABELS, "seated", lang), p.get("by") or case.seated_by.staff or "", "",
                                  f"{p.get('room')}/{p.get('seat')} · {pick(VIA_LABELS, p.get('via'), lang)}"))
                if case.closed_by is not None:
                    steps.append((case.closed_by.at, pick(STEP_LABELS, "closed", lang), case.closed_by.staff or "", "",
                                  case.closed_by.kind))
                rows += [lead + [self._time(at), step, by, recorded_by, note] for at, step, by, recorded_by, note in steps]
        header_row = sheet.row
        sheet.table(headers, rows)
        self._finish(sheet, title_rows=f"{header_row}:{header_row}", landscape=True)

    def _moves(self) -> None:
        w, lang = self.words, self.lang
        sheet = self._sheet(w["moves"], [7, 16, 10, 10, 8, 10, 8, 12])
        self._heading(sheet, w["moves_title"])
        headers = [w[k] for k in ("session", "ticket", "name", "from_room", "from_seat", "to_room", "to_seat", "via")]
        rows = [[sc.session.id, move["ticket"], move["name"], move["from_room"], move["from_seat"], move["room"], move["seat"],
                 pick(VIA_LABELS, move.get("via"), lang)]
                for sc in self.content.sessions for room in self.content.ordered_rooms(sc)
                for move in sc.figures.rooms[room].moved_out]
        header_row = sheet.row
        sheet.table(headers, rows)
        self._finish(sheet, title_rows=f"{header_row}:{header_row}")

    def _incidents(self) -> None:
        w, lang = self.words, self.lang
        sheet = self._sheet(w["incidents"], [7, 19, 8, 12, 16, 10, 7, 36, 10])
        self._heading(sheet, w["incidents_title"])
        headers = [w[k] for k in ("session", "at", "room", "kind", "ticket", "name", "severity", "note", "by")]
        rows = [[sc.session.id, self._time(i.get("at")), room, incident_label(i.get("kind"), lang), i.get("ticket") or "",
                 self._name(i.get("ticket")), pick(SEVERITY_LABELS, i.get("severity"), lang), i.get("note", ""), i.get("by", "")]
                for sc in self.content.sessions for room in self.content.ordered_rooms(sc)
                for i in sc.figures.rooms[room].incidents]
        rows.sort(key=lambda r: (r[0], r[1]))
        header_row = sheet.row
        sheet.table(headers, rows)
        self._finish(sheet, title_rows=f"{header_row}:{header_row}", landscape=True)

    # -- room records (考场情况记录表) ----------------------------------------
    def _rooms(self, sc: "SessionContent") -> None:
        """A 考场情况记录表 per room: a sheet each, or for a very large site one sheet per session with a page each."""
        rooms = self.content.ordered_rooms(sc)
        widths = [10, 18, 12, 12, 10, 30]
        header = f"{self.content.exam}　{self.content.site}"
        if len(rooms) <= ROOM_SHEETS_UP_TO:
            for room in rooms:
                sheet = self._sheet(f"{sc.session.id}-{room}", widths)
                sheet.banner(self.words["room_title"], "eo_title", height=30)
                sheet.banner(header)
                sheet.banner(session_line(self.content, sc))
                self._room_block(sheet, sc, room)
                self._finish(sheet, title_rows="1:3")
            return
        sheet = self._sheet(self.words["rooms"].format(session=sc.session.id), widths)
        sheet.banner(f"{self.words['room_title']}　{header}　{session_line(self.content, sc)}", "eo_line")
        breaks = []
        for index, room in enumerate(rooms):
            if index:
                breaks.append(Break(id=sheet.row - 1))
            self._room_block(sheet, sc, room, heading=True)
        sheet.ws.row_breaks.brk = tuple(breaks)  # at once: appending one by one re-checks them all each time
        self._finish(sheet, title_rows="1:1")

    def _room_block(self, sheet: _Sheet, sc: "SessionContent", room: str, *, heading: bool = False) -> None:
        """One room's record: counts, absentees, exceptions, moves in and out, incidents, signature lines."""
        w, lang, numbers = self.words, self.lang, sc.figures.rooms[room]
        name, kind = self.content.rooms.get(room, (room, "regular"))
        line = w["room_line"].format(room=room_title(room, name, lang), kind=pick(ROOM_KINDS, kind, lang))
        sheet.banner(f"{w['room_title']}　{line}" if heading else line, "eo_form" if heading else "eo_line",
                     height=26 if heading else None)
        for column, value in enumerate((w["expected"], numbers.expected, w["present"], numbers.present,
                                        w["absent"], len(numbers.absent)), start=1):
            sheet.put(sheet.row, column, value, "eo_head" if isinstance(value, str) else "eo_cell")
        sheet.row += 1
        sections = (
            (w["absentees"], [w["seat"], w["ticket"], w["name"]], [[s.seat, s.ticket, s.name] for s in numbers.absent]),
            (w["room_exceptions"], [w["ticket"], w["name"], w["code"], w["action"], w["status"]],
             [[e["ticket"], self._name(e["ticket"]), pick(self.content.code_labels, e["code"], lang),
               pick(ACTION_LABELS, e["action"], lang), pick(STATUS_LABELS, e["status"], lang)] for e in numbers.exceptions]),
            (w["moved_in"], [w["ticket"], w["name"], w["from_room"], w["from_seat"], w["seat"], w["via"]],
             [[m["ticket"], m["name"], m["from_room"], m["from_seat"], m["seat"], pick(VIA_LABELS, m.get("via"), lang)]
              for m in numbers.moved_in]),
            (w["moved_out"], [w["ticket"], w["name"], w["from_seat"], w["to_room"], w["to_seat"], w["via"]],
             [[m["ticket"], m["name"], m["from_seat"], m["room"], m["seat"], pick(VIA_LABELS, m.get("via"), lang)]
              for m in numbers.moved_out]),
            (w["room_incidents"], [w["at"], w["kind"], w["ticket"], w["name"], w["severity"], w["note"]],
             [[self._time(i.get("at")), incident_label(i.get("kind"), lang), i.get("ticket") or "",
               self._name(i.get("ticket")), pick(SEVERITY_LABELS, i.get("severity"), lang), i.get("note", "")]
              for i in numbers.incidents]),
        )
        for title, headers, rows in sections:
            if rows:
                sheet.banner(title, "eo_section")
                sheet.table(headers, rows)
        empty = [title for title, _, rows in sections if not rows]
        if empty:
            sheet.banner(w["none"].format(section=w["list_sep"].join(empty)), "eo_line")
        sheet.banner(w["proctors"], "eo_line", height=30)
        sheet.banner(w["candidate_sign"], "eo_line", height=30)
        sheet.row += 1

    # -- signing -------------------------------------------------------------
    def cells(self) -> list[SheetCells]:
        """Every value written so far, sheet by sheet in workbook order (the signature sheet excluded)."""
        return [sheet.cells() for sheet in self.sheets]

    def sign(self, fields: Sequence[tuple[str, str]], chain_heads: Sequence[tuple[str, int, str]],
             sheet_digests: Sequence[tuple[str, str, int, Sequence[str]]], qr_text: str) -> None:
        """Add the signature sheet: the signed fields as text, chain heads, per-sheet digests and a QR code."""
        w = self.words
        chunks = max([len(d[3]) for d in sheet_digests] + [1])
        sheet = _Sheet(self, w["signature"], [24, 14, 60, 10, 66] + [20] * (chunks - 1))
        sheet.banner(w["signature_title"], "eo_title", height=28)
        sheet.banner(w["signature_note"], "eo_line", height=30)
        sheet.table([w["item"], KEY_HEADER, w["value"]],
                    [[pick(FIELD_LABELS, key, self.lang), key, value] for key, value in fields])
        sheet.row += 1
        sheet.banner(w["chain_heads"], "eo_section")
        sheet.table([w["device"], KEY_HEADER, w["device"], w["device_seq"], w["hash"]],
                    [["", "chain", device, seq, digest] for device, seq, digest in chain_heads])
        sheet.row += 1
        sheet.banner(w["sheet_digests"], "eo_section")
        sheet.table([w["sheet"], KEY_HEADER, w["sheet"], w["cells"], w["hash"], w["row_hashes"]],
                    [["", "sheet", title, cells, digest, *rows] for title, digest, cells, rows in sheet_digests])
        image = Image(BytesIO(_qr_png(qr_text)))
        image.width = image.height = 220
        sheet.ws.add_image(image, f"{get_column_letter(sheet.width + 2)}3")
        _a4(sheet.ws, title_rows="1:1", header=f"{self.content.site} · {sheet.title}", page=w["page"], landscape=True)


FIELD_LABELS = {
    "format": ("格式", "Format"), "exam": ("考试", "Exam"), "site": ("考点", "Site"), "sessions": ("场次", "Sessions"),
    "summary_sheet": ("汇总表", "Summary sheet"), "generated_at": ("生成时间", "Generated at"),
    "figures_sha256": ("数据摘要（SHA-256）", "Figures digest (SHA-256)"),
    "chain_heads_sha256": ("日志链头摘要（SHA-256）", "Chain heads digest (SHA-256)"),
    "cells_sha256": ("全部单元格摘要（SHA-256）", "All cells digest (SHA-256)"),
    "signature": ("签名（Ed25519）", "Signature (Ed25519)"), "public_key": ("公钥", "Public key"),
    "fingerprint": ("公钥指纹", "Key fingerprint"), "figures_json": ("签名数据", "Signed figures"),
}


def _every_bucket(arrivals: dict[str, int]) -> list[tuple[str, int]]:
    """Arrivals with the empty 5-minute slots between the first and last filled in, for an even time axis."""
    if not arrivals:
        return []
    minutes = [int(k[:2]) * 60 + int(k[3:]) for k in arrivals]
    slots = range(min(minutes), max(minutes) + 1, ARRIVAL_BUCKET_MINUTES)
    return [(f"{m // 60:02d}:{m % 60:02d}", arrivals.get(f"{m // 60:02d}:{m % 60:02d}", 0)) for m in slots]


def _bar_chart(title: str, y_title: str) -> BarChart:
    chart = BarChart()
    chart.type = "col"
    chart.title = title
    chart.y_axis.title = y_title
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.width, chart.height = 26, 8
    return chart


def _qr_png(text: str) -> bytes:
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=6, border=4)
    code.add_data(text)
    code.make(fit=True)
    buffer = BytesIO()
    code.make_image().save(buffer, format="PNG")
    return buffer.getvalue()


# -- reading ------------------------------------------------------------------
def load_cells(path: str | Path) -> list[SheetCells]:
    """Every non-empty cell of every sheet, as openpyxl reads it back (read-only, formulas as text)."""
    workbook = load_workbook(path, read_only=True, data_only=False)
    try:
        sheets = []
        for ws in workbook.worksheets:
            cells = [(cell.row, cell.column, cell.value) for row in ws.iter_rows() for cell in row
                     if cell.value is not None and cell.value != ""]
            sheets.append((ws.title, cells))
        return sheets
    finally:
        workbook.close()


def _rows(cells: Sequence[tuple[int, int, object]]) -> dict[int, dict[int, object]]:
    rows: dict[int, dict[int, object]] = {}
    for row, column, value in cells:
        rows.setdefault(row, {})[column] = value
    return rows


@dataclass
class FigureTable:
    """The Summary figures as read from the cells: per session id, key → value, and where each stands."""

    columns: dict[str, dict[str, object]] = field(default_factory=dict)
    where: dict[tuple[str, str], str] = field(default_factory=dict)
    missing_sessions: list[str] = field(default_factory=list)


def figure_table(cells: Sequence[tuple[int, int, object]], sessions: Sequence[str]) -> FigureTable:
    """Read the figure rows under the header whose second column says `key`."""
    rows = _rows(cells)
    table = FigureTable()
    header = next((r for r in sorted(rows) if rows[r].get(2) == KEY_HEADER), None)
    if header is None:
        table.missing_sessions = list(sessions)
        return table
    column_of = {str(value): column for column, value in rows[header].items() if column > 2}
    for session in sessions:
        if session not in column_of:
            table.missing_sessions.append(session)
            continue
        table.columns[session] = {}
    for row in sorted(r for r in rows if r > header):
        key = rows[row].get(2)
        if not isinstance(key, str) or not key:
            continue
        for session in table.columns:
            column = column_of[session]
            table.where[(session, key)] = f"{get_column_letter(column)}{row}"
            value = rows[row].get(column)
            if value is not None:
                table.columns[session][key] = value
    return table


@dataclass
class SignatureCells:
    """What the signature sheet states."""

    title: str
    fields: dict[str, object] = field(default_factory=dict)
    where: dict[str, str] = field(default_factory=dict)
    chain_heads: list[list[object]] = field(default_factory=list)
    sheets: dict[str, tuple[object, object, str]] = field(default_factory=dict)  # title -> (digest, cells, row hashes)


def signature_cells(sheets: Sequence[SheetCells]) -> SignatureCells | None:
    """The signature sheet's fields (the last sheet whose title is the signature's, in either language)."""
    titles = {words("zh")["signature"], words("en")["signature"]}
    found = [(title, cells) for title, cells in sheets if title in titles]
    if not found:
        return None
    title, cells = found[-1]
    result = SignatureCells(title)
    for row, values in sorted(_rows(cells).items()):
        key = values.get(2)
        if key == "chain":
            result.chain_heads.append([values.get(3), values.get(4), values.get(5)])
        elif key == "sheet":
            hashes = "".join(str(values[c]) for c in sorted(values) if c > 5)
            result.sheets[str(values.get(3))] = (values.get(5), values.get(4), hashes)
        elif isinstance(key, str) and key and key != KEY_HEADER:
            result.fields[key] = values.get(3)
            result.where[key] = f"C{row}"
    return result
