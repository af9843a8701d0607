"""The report workbook's frame: its content, the sheet helpers every report sheet uses, room and session lines."""

from __future__ import annotations

from typing import Sequence

from examops.adapters.excel_out.book import LANDSCAPE_UNITS, PORTRAIT_UNITS, Book, Sheet, a4_page
from examops.domain.report_content import ReportContent, SessionContent
from examops.i18n.document_words import room_words

KEY_HEADER = "key"
"""The header of the column of figure keys (Summary: the last column, outside the print area) and field keys
(signature sheet, column B): what the reader looks for."""


def room_title(room: str, name: str, lang: str) -> str:
    if name.isdigit():
        return room_words(lang)["room_numbered"].format(name=name)
    return name if name == room else room_words(lang)["room_named"].format(name=name, room=room)


def session_line(content: ReportContent, sc: SessionContent) -> str:
    s, words = sc.session, room_words(content.lang)
    date = words["date"].format(year=s.date.year, month=s.date.month, day=s.date.day)
    return words["session_line"].format(name=s.name, id=s.id, date=date, start=f"{s.start:%H:%M}", end=f"{s.end:%H:%M}")


class ReportLayout(Book):
    """A report workbook being laid out: its content and the sheets made so far."""

    def __init__(self, content: ReportContent):
        super().__init__(content.lang)
        self.content = content
        self.summary_title = ""

    def _sheet(self, title: str, widths: Sequence[float]) -> Sheet:
        sheet = Sheet(self, title, widths)
        sheet.span = max(sheet.span, PORTRAIT_UNITS * 0.9)  # `_finish` widens the columns to at least this
        self.sheets.append(sheet)
        return sheet

    def _finish(self, sheet: Sheet, *, title_rows: str | None, landscape: bool = False,
                machine_columns: Sequence[int] = ()) -> None:
        sheet.fit(fill=LANDSCAPE_UNITS * 0.9 if landscape else PORTRAIT_UNITS * 0.9, machine_columns=machine_columns)
        a4_page(sheet.ws, title_rows=title_rows, header=f"{self.content.site} · {sheet.title}", landscape=landscape,
                page=self.words["page"])

    def _time(self, at: str | None) -> str:
        return self.content.local_time(at) if at else ""

    def _name(self, ticket: str | None) -> str:
        return self.content.names.get(ticket or "", "")

    def _heading(self, sheet: Sheet, title: str) -> None:
        sheet.banner(title, "eo_title", height=28)
        sheet.banner(f"{self.content.exam}　{self.content.site}")

