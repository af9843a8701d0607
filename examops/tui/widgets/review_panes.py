"""The review screen's panes: the cases table, the highlighted case's detail and timeline, the duplicate alarms."""

from __future__ import annotations

from typing import Callable, Iterable, Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll

from examops.domain.event_payloads import Approved, ExceptionRecorded
from examops.domain.events import Event, Kind
from examops.domain.literal import shown
from examops.domain.policy import Policy
from examops.i18n import _, word
from examops.services.review import CaseView
from examops.tui.i18n import code_label, evidence_label, reason_words
from examops.tui.widgets.photo import PhotoView
from examops.tui.widgets.plain import DataTable, Static
from examops.tui.words import (
    ACTION,
    REVIEW_ACTION,
    REVIEW_ALARMS,
    REVIEW_COL,
    REVIEW_DETAIL,
    REVIEW_EVENT,
    REVIEW_LEVEL,
    REVIEW_STATUS,
    VIA,
)

When = Callable[[str | None], str]
STATUS_STYLES = {"pending": "bold yellow", "approved": "bold green", "rejected": "bold red", "resolved": "cyan",
                 "closed": "dim", "denied": "bold red"}
MARK = "✓"
PHOTO_CODES = ("id_mismatch",)  # the cases whose detail shows the candidate's photo
COLUMNS = ("mark", "ticket", "name", "code", "action", "status", "next", "lane", "time")


def level_label(level: str | None) -> str:
    """A level of the plan's chain in words (the plan's own name when it is not a known one)."""
    if not level:
        return "-"
    label = word(REVIEW_LEVEL, level)
    return level if label == f"review.level.{level}" else label


def status_label(status: str) -> Text:
    return Text(word(REVIEW_STATUS, status), style=STATUS_STYLES.get(status, ""))


def _code(policy: Policy, code: str) -> str:
    found = policy.codes.get(code)
    return code_label(found) if found else code


def _seated(view: CaseView) -> str:
    """Where a reallocated candidate now sits, for the action column."""
    seated = view.case.seated_by
    if seated is None or seated.data.via != "reallocation":
        return ""
    return f" → {seated.data.room}/{seated.data.seat}"


class CasesTable(DataTable):
    """One row per case, keyed by the case id; a rebuild keeps the cursor on the same case."""

    def on_mount(self) -> None:
        self.cursor_type = "row"
        self.zebra_stripes = True
        for key in COLUMNS:
            self.add_column(word(REVIEW_COL, key), key=key)

    shown: tuple | None = None

    def show(self, views: Sequence[CaseView], marked: set[str], policy: Policy, when: When) -> None:
        rows = [(v.case.id, v.case.id in marked, v.card.ticket, v.card.name, v.case.code, v.action, _seated(v),
                 v.status, v.next_level, v.case.exception.lane, v.case.exception.at) for v in views]
        if tuple(rows) == self.shown:
            return
        current = self.highlighted_id
        self.shown = tuple(rows)
        self.clear()
        for case_id, is_marked, ticket, name, code, action, seated, status, next_level, lane, at in rows:
            self.add_row(MARK if is_marked else "", ticket, name, _code(policy, code), word(REVIEW_ACTION, action) + seated,
                         status_label(status), level_label(next_level) if status == "pending" else "",
                         lane or "-", when(at), key=case_id)
        ids = [row[0] for row in rows]
        if current in ids:
            self.move_cursor(row=ids.index(current), scroll=True)

    def set_mark(self, case_id: str, marked: bool) -> None:
        if case_id in self.rows:
            self.update_cell(case_id, "mark", MARK if marked else "")
            self.shown = None

    @property
    def highlighted_id(self) -> str | None:
        if not self.row_count:
            return None
        try:
            return str(self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value)
        except Exception:  # noqa: BLE001 - the cursor is outside the rows while the table is rebuilt
            return None


def case_text(view: CaseView | None, policy: Policy, levels: Sequence[str], when: When) -> Text:
    """Candidate, exception, evidence, who recorded it, the approval chain and the decisions."""
    if view is None:
        return Text(_("No exception selected"), style="dim")
    case, card, exc = view.case, view.card, view.case.exception
    text = Text()
    text.append(f"{card.ticket}  {card.name}", style="bold")
    text.append(f"  {card.id_masked}\n")
    text.append(_("Seat: room {room}, seat {seat}").format(room=card.room or "-", seat=card.seat or "-") + "\n", style="dim")
    code = policy.codes.get(case.code)
    text.append(f"{_code(policy, case.code)} → {word(ACTION, view.action)}  ", style="bold")
    text.append_text(status_label(view.status))
    text.append("\n")
    text.append(_("Recorded {at} · lane {lane} · by {staff}").format(at=when(exc.at), lane=exc.lane or "-", staff=exc.staff or "-") + "\n")
    if case.code in PHOTO_CODES:
        first = view.day.admission
        text.append((_("First admitted at lane {lane}, {at}, by {staff}").format(lane=first.lane or "-", at=when(first.at), staff=first.staff or "-")
                     if first is not None else _("Not admitted")) + "\n", style="bold")
    labels = {e.key: evidence_label(e) for e in code.evidence} if code else {}
    screening = ExceptionRecorded.from_event(exc)
    evidence = screening.evidence or {}
    if evidence:
        shown = "; ".join(f"{labels.get(k, k)} {v}" for k, v in evidence.items())
        text.append(_("Evidence: {evidence}").format(evidence=shown) + "\n")
    if screening.reason:
        text.append(_("Reason: {reason}").format(reason=reason_words(screening.reason, policy)) + "\n")
    text.append(_("Approval chain") + "\n", style="bold")
    approvals = {str(a.level): (event, a) for event, a in ((e, Approved.from_event(e)) for e in case.approvals)}
    for level in levels:
        approval_event, approval = approvals.get(level, (None, None))
        if approval is None:
            waiting = view.status == "pending" and view.next_level == level
            text.append(f"  {'…' if waiting else '·'} {level_label(level)}  ", style="yellow" if waiting else "dim")
            text.append((_("waiting") if waiting else "") + "\n", style="yellow")
            continue
        text.append(f"  ✓ {level_label(level)}  ", style="green")
        text.append(f"{approval.by or '-'}  {when(approval_event.at)}")
        if approval.note:
            text.append(f"  {approval.note}", style="italic")
        if approval.recorded_by and approval.recorded_by != approval.by:
            text.append("  " + _("(recorded by {name})").format(name=approval.recorded_by), style="dim")
        text.append("\n")
    for key, decision in (("rejected", case.rejection), ("resolved", case.resolution)):
        if decision is not None:
            said = decision.data
            text.append(word(REVIEW_DETAIL, key).format(by=said.by or "-", at=when(decision.at), note=said.remark or "") + "\n",
                        style=STATUS_STYLES[key])
    if case.seated_by is not None:
        seat = case.seated_by.data
        text.append(_("Seated in room {room}, seat {seat} ({at})").format(room=seat.room or "-", seat=seat.seat or "-", at=when(case.seated_by.at)) + "\n", style="bold green")
    text.rstrip()
    return text


def event_line(event: Event, policy: Policy, when: When) -> Text:
    """One event of a candidate's day, as the chief reads it."""
    data = event.data
    kind = word(REVIEW_EVENT, event.kind)
    text = Text(f"{when(event.at)}  ", style="dim")
    text.append(kind if kind != f"review.event.{event.kind}" else event.kind, style="bold")
    parts = []
    if event.lane:
        parts.append(_("Lane {lane}").format(lane=event.lane))
    if event.kind in (Kind.EXCEPTION, Kind.DENIED) and data.code:
        parts.append(_code(policy, str(data.code)))
    if event.kind == Kind.APPROVED:
        parts.append(f"{level_label(data.level)} {data.by or ''}".strip())
    elif event.kind in (Kind.REJECTED, Kind.RESOLVED):
        parts.append(f"{data.by or ''} {data.remark or ''}".strip())
    elif event.kind in (Kind.ADMITTED, Kind.MOVED) and data.room:
        came_from = data.origin
        origin = f"{came_from.room}/{came_from.seat or '-'} → " if data.via in (
            "reallocation", "move") and came_from and came_from.room else ""
        parts.append(f"{origin}{data.room}/{data.seat or '-'}")
    elif event.kind == Kind.VOIDED:
        parts.append(str(data.reason or ""))
    if event.lane and event.staff:
        parts.append(event.staff)
    text.append("  " + " · ".join(p for p in parts if p))
    return text


def timeline_text(events: Iterable[Event], policy: Policy, when: When) -> Text:
    text = Text(_("Every event about the candidate in this session") + "\n", style="bold")
    lines = [event_line(event, policy, when) for event in events]
    if not lines:
        text.append(_("no events"), style="dim")
    text.append_text(Text("\n").join(lines))
    return text


def alarm_text(alarm: dict, when: When) -> Text:
    """A duplicate scan as the chief compares it with the photo: who, the scan again, the first admission."""
    text = Text(f"{alarm.get('ticket') or '-'}  {alarm.get('name') or '-'}\n", style="bold")
    text.append(_("Scanned again {at} · lane {lane} · by {staff}").format(at=when(alarm.get("at")), lane=alarm.get("lane") or "-",
                                                                        staff=alarm.get("staff") or "-") + "\n", style="bold red")
    text.append(_("First admitted at lane {lane}, {at}, by {staff}").format(lane=alarm.get("first_lane") or "-", at=when(alarm.get("first_at")),
                                                                          staff=alarm.get("first_staff") or "-"), style="bold")
    return text


class CaseDetail(Horizontal):
    """The highlighted case (or duplicate alarm) beside its timeline, and the photo where the face is in question."""

    def __init__(self, photo: PhotoView | None = None, **kwargs) -> None:  # noqa: ANN003
        super().__init__(**kwargs)
        self.photo = photo

    def compose(self) -> ComposeResult:
        if self.photo is not None:
            yield self.photo
        with VerticalScroll(id="review-case-box"):
            yield Static(_("No exception selected"), id="review-case")
        with VerticalScroll(id="review-timeline-box"):
            yield Static("", id="review-timeline")

    def show(self, view: CaseView | None, policy: Policy, levels: Sequence[str], when: When) -> None:
        self.query_one("#review-case", Static).update(case_text(view, policy, levels, when))
        timeline = timeline_text(view.day.timeline, policy, when) if view else ""
        self.query_one("#review-timeline", Static).update(timeline)
        if self.photo is not None:
            self.photo.show(view.card.ticket if view is not None and view.case.code in PHOTO_CODES else None)

    def show_alarm(self, alarm: dict | None, when: When) -> None:
        """A duplicate-scan alarm: the candidate's photo beside the first admission's lane, staff and time."""
        self.query_one("#review-case", Static).update(alarm_text(alarm, when) if alarm else "")
        self.query_one("#review-timeline", Static).update("")
        if self.photo is not None:
            self.photo.show(alarm.get("ticket") if alarm else None)


def first_admission(alarm: dict, when: When) -> str:
    """Where the first admission came from: a lane, its staff and the time; or the chief's desk, how, by whom."""
    at = when(alarm.get("first_at")) or "?"
    if alarm.get("first_lane"):
        staff = alarm.get("first_staff")
        if not staff:  # an offline conflict names the lanes only
            return _("lane {lane} · {at}").format(lane=alarm["first_lane"], at=at)
        return _("lane {lane} · {staff} · {at}").format(lane=alarm["first_lane"], staff=shown(staff), at=at)
    via = alarm.get("first_via")
    if via:
        return _("chief proctor's desk · {by} · {at} ({via})").format(
            via=word(VIA, via) if via in VIA else via, by=shown(alarm.get("first_by") or alarm.get("first_staff") or "?"), at=at)
    return at


class AlarmsTable(DataTable):
    """Duplicate scans: a ticket scanned again after admission, possibly someone else with it."""

    def on_mount(self) -> None:
        self.cursor_type = "row"
        for key in ("time", "ticket", "name", "lane", "first"):
            self.add_column(word(REVIEW_ALARMS, key), key=key)

    shown: list[dict] | None = None
    highlighted_id = CasesTable.highlighted_id

    def show(self, alarms: list[dict], when: When) -> None:
        if alarms == self.shown:
            return
        self.shown = list(alarms)
        self.clear()
        for alarm in alarms:
            first = first_admission(alarm, when)
            self.add_row(Text(when(alarm["at"]), style="bold red"), alarm["ticket"], alarm.get("name") or "-",
                         f"{alarm.get('lane') or '-'} · {alarm.get('staff') or '-'}", first, key=alarm["event_id"])
        # Textual keeps this auto-height table's header at the widths it had before the rows came;
        # one more repaint, once the new widths are measured, lines it up with the rows.
        self.call_after_refresh(self.refresh)
