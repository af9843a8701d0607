"""The report's sheets: Summary, charts, exception list and timeline, moves, incidents, and the room records."""

from __future__ import annotations

from openpyxl.chart import BarChart, Reference
from openpyxl.worksheet.pagebreak import Break

from examops.adapters.excel_out.book import PORTRAIT_UNITS, Sheet
from examops.adapters.excel_out.report_layout import KEY_HEADER, ReportLayout, room_title, session_line
from examops.domain.event_payloads import Approved, ExceptionRecorded
from examops.domain.figures import ARRIVAL_BUCKET_MINUTES
from examops.domain.report_content import SessionContent
from examops.i18n.document_words import closed_note, gate_reason
from examops.i18n.report_words import (
    ACTION_LABELS,
    FIGURE_LABELS,
    LEVEL_LABELS,
    ROOM_KINDS,
    SEVERITY_LABELS,
    STATUS_LABELS,
    STEP_LABELS,
    VIA_LABELS,
    incident_label,
    pick,
    reason_text,
    yes_no,
)

ROOM_SHEETS_UP_TO = 80
"""Rooms of a session get a sheet each up to this many; beyond, one sheet per session with a page per room."""


class ReportSheets(ReportLayout):
    """Each method lays out one sheet (or one room's block) of the report."""

    # -- summary -------------------------------------------------------------
    def _summary(self) -> None:
        content, w = self.content, self.words
        several = len(content.sessions) > 1
        printed = len(content.sessions) + several
        key_column = 2 + printed  # right of the figures, outside the print area: for the reader and the signature
        sheet = self._sheet(w["summary"], [30] + [16] * printed + [24])
        sheet.span = max(sum([30] + [16] * printed), PORTRAIT_UNITS * 0.9)
        self.summary_title = sheet.title
        self._heading(sheet, w["summary_title"])
        for sc in content.sessions:  # a line each: two sessions on one line ran past the printed page
            sheet.banner(session_line(content, sc))
        sheet.banner(w["generated"].format(at=content.generated_at))
        verdicts = []
        for sc in content.sessions:
            reasons = w["list_sep"].join(reason_text(r, self.lang) for r in sc.figures.reasons)
            verdict = yes_no(sc.figures.zero_incident, self.lang)
            verdicts.append(w["verdict_session"].format(session=sc.session.id, verdict=verdict) if sc.figures.zero_incident
                            else w["verdict_reasons"].format(session=sc.session.id, verdict=verdict, reasons=reasons))
        sheet.banner(w["verdict"].format(verdicts=w["verdict_sep"].join(verdicts)), "eo_section", height=32)
        sheet.row += 1
        header_row = sheet.row
        headers = [w["item"]] + [sc.session.id for sc in content.sessions] + ([w["total"]] if several else []) + [KEY_HEADER]
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
            sheet.put(sheet.row, key_column, key, "eo_code")
            for offset, column in enumerate(content.figure_columns):
                sheet.put(sheet.row, 2 + offset, column.get(key), "eo_text" if isinstance(column.get(key), str) else "eo_cell")
            if several:
                sheet.put(sheet.row, 2 + len(content.sessions), content.figure_totals.get(key), "eo_cell")
            sheet.row += 1
        self._finish(sheet, title_rows=f"{header_row}:{header_row}", machine_columns=(key_column,))

    def _person(self, who: str | None) -> str:
        """A person as recorded; a bare level key (`--by chief`, the CLI's default) as the level's title."""
        return pick(LEVEL_LABELS, who, self.lang) if who in LEVEL_LABELS else (who or "")

    def _on_behalf(self, recorded_by: str | None, by: str) -> str:
        """Who typed an approval in for the approver (by phone), as "X (for Y)"; empty when the approver did."""
        if not recorded_by or recorded_by == by:
            return ""
        return self.words["on_behalf"].format(recorder=self._person(recorded_by), approver=self._person(by))

    def _sub_label(self, group: str, sub: str) -> str:
        if group == "exceptions_by_code":
            return pick(self.content.code_labels, sub, self.lang)
        if group == "exceptions_by_status":
            return pick(STATUS_LABELS, sub, self.lang)
        if group == "incidents_by_kind":
            return incident_label(sub, self.lang)
        return sub

    # -- charts --------------------------------------------------------------
    def _charts(self, sc: SessionContent) -> None:
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
                seated = case.seated_by.data if case.seated_by else None
                rows.append([sc.session.id, case.id[:8], card.ticket, card.name, card.id_masked, card.room, card.seat,
                             pick(self.content.code_labels, case.code, lang), pick(ACTION_LABELS, case.action, lang),
                             pick(STATUS_LABELS, view.status, lang), self._time(case.exception.at), case.exception.lane,
                             case.exception.staff, gate_reason(ExceptionRecorded.from_event(case.exception).reason, lang),
                             f"{seated.room}/{seated.seat}" if seated else ""])
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
                          w["list_sep"].join(part for part in (pick(self.content.code_labels, case.code, lang), exc.lane or "",
                                                      gate_reason(ExceptionRecorded.from_event(exc).reason, lang)) if part))]
                for approval in case.approvals:
                    a = Approved.from_event(approval)
                    steps.append((approval.at, w["step_level"].format(step=pick(STEP_LABELS, "approved", lang),
                                                                       level=pick(LEVEL_LABELS, a.level, lang)),
                                  self._person(a.by), self._on_behalf(a.recorded_by, a.by), a.note))
                for key, event in (("rejected", case.rejection), ("resolved", case.resolution)):
                    if event is not None:
                        steps.append((event.at, pick(STEP_LABELS, key, lang), self._person(event.data.by), "",
                                      event.data.remark or ""))
                if case.seated_by is not None:
                    p = case.seated_by.data
                    steps.append((case.seated_by.at, pick(STEP_LABELS, "seated", lang), self._person(p.by or case.seated_by.staff),
                                  "", w["seat_via"].format(room=p.room, seat=p.seat, via=pick(VIA_LABELS, p.via, lang))))
                if case.closed_by is not None:
                    steps.append((case.closed_by.at, pick(STEP_LABELS, "closed", lang), self._person(case.closed_by.staff), "",
                                  closed_note(case.closed_by.kind, lang)))
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
    def _rooms(self, sc: SessionContent) -> None:
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

    def _room_block(self, sheet: Sheet, sc: SessionContent, room: str, *, heading: bool = False) -> None:
        """One room's record: counts, absentees, exceptions, moves in and out, incidents, signature lines."""
        w, lang, numbers = self.words, self.lang, sc.figures.rooms[room]
        name, kind = self.content.rooms.get(room, (room, "regular"))
        line = w["room_line"].format(room=room_title(room, name, lang), kind=pick(ROOM_KINDS, kind, lang))
        sheet.banner(f"{w['room_title']}　{line}" if heading else line, "eo_form" if heading else "eo_line",
                     height=26 if heading else None)
        # Counts that add up on paper: 应到 = 原编排 − 调出 + 调入 (the first row) = 实到 + 缺考 + 未到 (the second);
        # 未到 only while entry is open (afterwards the not-in are 缺考).
        rows = [(w["rostered_count"], numbers.rostered, w["moved_out_count"], len(numbers.moved_out),
                 w["moved_in_count"], len(numbers.moved_in)),
                (w["expected"], numbers.expected, w["present"], numbers.present, w["absent"], len(numbers.absent))]
        if sc.figures.not_arrived:
            rows.append((w["not_arrived_count"], len(numbers.not_arrived)))
        for counts in rows:
            for column, value in enumerate(counts, start=1):
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

