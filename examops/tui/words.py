"""Tables of the words the screens pick by a value (verdict kind, room kind, column key...), translated at display time."""

from __future__ import annotations

from examops.domain.state import CASE_STATUS_WORDS
from examops.i18n import N_, NP_

ACTION = {
    "admit": NP_("action.admit", "admit"),
    "hold": N_("hold for the chief proctor"),
    "backup_room": N_("send to the backup room"),
    "isolation_room": N_("send to the isolation room"),
    "deny": N_("deny entry"),
}
CARD = {
    "name": NP_("card.name", "Name"),
    "sex": N_("Sex"),
    "id": N_("ID"),
    "ticket": N_("Ticket"),
    "session": NP_("card.session", "Session"),
    "room": N_("Room"),
    "seat": N_("Seat"),
    "not_seated": N_("no seat in this session"),
    "state": N_("State in this session"),
}
COUNTERS = {
    "title": N_("Session figures"),
    "expected": N_("Expected"),
    "admitted": N_("Admitted"),
    "held": N_("Held"),
    "denied": NP_("counters.denied", "Denied"),
    "remaining": N_("Remaining"),
    "failed": NP_("counters.failed", "Figures unavailable: {error}"),
}
IMPORT_STAGE = {
    "read": N_("Reading…"),
    "check": N_("Checking the roster…"),
    "write": N_("Writing…"),
}
RECENT = {
    "title": N_("Recent scans (this lane)"),
    "time": N_("Time"),
    "ticket": N_("Ticket"),
    "name": NP_("recent.name", "Name"),
    "verdict": N_("Verdict"),
}
REPORT_BUILD_PHASE = {
    "gather": N_("Gathering the figures…"),
    "layout": N_("Laying out the sheets…"),
    "digest": N_("Digests and signature…"),
    "save": N_("Saving…"),
}
# The report view's rooms table, short enough for its eight columns to fit 80 columns in English.
REPORT_ROOM_COLUMNS = {
    "rostered": NP_("report.rooms.column", "Roster"),
    "moved_out": NP_("report.rooms.column", "Out"),
    "moved_in": NP_("report.rooms.column", "In"),
    "expected": NP_("report.rooms.column", "Expected"),
    "present": NP_("report.rooms.column", "Present"),
    "absent": NP_("report.rooms.column", "Absent"),
    "not_arrived": NP_("report.rooms.column", "Not in yet"),
}
REPORT_FIG = {
    "expected": N_("Expected"),
    "present": N_("Present"),
    "absent": N_("Absent"),
    "not_arrived": N_("Not yet arrived"),
    "admitted_late": N_("Admitted late"),
    "exceptions": N_("Exceptions"),
    "approvals": N_("Approvals"),
    "reallocated": N_("Reallocated"),
    "denied": NP_("report.fig.denied", "Denied"),
    "incidents": N_("Incidents"),
    "duplicates": N_("Duplicate scans"),
    "voided": N_("Voided"),
    "conflicts": N_("Conflicts"),
    "by_code": N_("Exceptions by code: "),
    "by_kind": N_("Incidents by kind: "),
}
REVIEW_ACTION = {
    "hold": N_("hold"),
    "backup_room": N_("backup room"),
    "isolation_room": NP_("review.action.isolation_room", "isolation"),
    "admit": NP_("review.action.admit", "admit"),
    "deny": N_("deny entry"),  # the room record's words for a case the gate closed by a denial
}
REVIEW_ALARMS = {
    "title": N_("Duplicate-scan alarms (possible impersonation): {count}"),
    "time": N_("Time"),
    "ticket": N_("Ticket"),
    "name": NP_("review.alarms.name", "Name"),
    "lane": N_("Lane · staff"),
    "first": N_("First admitted"),
    "conflict": N_("admitted offline at two lanes (conflict)"),
}
REVIEW_COL = {
    "mark": N_("✓"),
    "ticket": N_("Ticket"),
    "name": NP_("review.col.name", "Name"),
    "code": N_("Exception"),
    "action": N_("Action"),
    "status": N_("Status"),
    "next": N_("Next level"),
    "lane": N_("Lane"),
    "time": N_("Recorded"),
}
REVIEW_DETAIL = {
    "none": N_("No exception selected"),
    "seat": N_("Seat: room {room}, seat {seat}"),
    "recorded": N_("Recorded {at} · lane {lane} · by {staff}"),
    "evidence": N_("Evidence: {evidence}"),
    "chain": N_("Approval chain"),
    "waiting": N_("waiting"),
    "recorded_by": N_("(recorded by {name})"),
    "rejected": N_("Rejected by {by} at {at}: {note}"),
    "resolved": N_("Resolved by {by} at {at}: {note}"),
    "seated": N_("Seated in room {room}, seat {seat} ({at})"),
    "timeline": N_("Every event about the candidate in this session"),
    "no_events": N_("no events"),
}
REVIEW_DONE = {
    "approve": N_("Approved {count} case(s)"),
    "reject": N_("Rejected {count} case(s)"),
    "resolve": N_("Resolved {count} case(s)"),
    "reallocate": N_("Seated {count} candidate(s)"),
    "add_room": N_("Room {room} opened"),
}
REVIEW_EVENT = {
    "admitted": N_("admitted"),
    "exception": N_("exception"),
    "denied": N_("denied"),
    "duplicate_scan": N_("duplicate scan"),
    "unknown_scan": N_("unknown scan"),
    "wrong_session_scan": N_("wrong session"),
    "voided": N_("voided"),
    "approved": NP_("review.event.approved", "approved"),
    "rejected": NP_("review.event.rejected", "rejected"),
    "resolved": NP_("review.event.resolved", "resolved"),
    "moved": N_("moved"),
    "incident": N_("incident"),
}
REVIEW_FORM = {
    "approve": N_("Approve {count} case(s) — {level}"),
    "approve_sub": N_("A phone approval by the supervision group is recorded by the chief: the approver's name and a note"),
    "reject": N_("Reject {count} case(s) — entry denied"),
    "resolve": N_("Resolve {count} case(s) — admit to the original seat"),
    "approver": N_("Approver's name"),
    "note": N_("Note"),
    "recorded_by": N_("Recorded by"),
    "by": N_("Decided by"),
    "reason": N_("Reason for rejecting"),
    "resolution": N_("How it was resolved (certificate arrived, normal re-test…)"),
}
REVIEW_LEVEL = {
    "chief": N_("chief proctor"),
    "deputy": N_("deputy chief"),
    "supervisor": N_("supervision group"),
}
REVIEW_PREVIEW = {
    "title": N_("Reallocation preview: backup and isolation rooms"),
    "none": N_("Nobody to seat (a case moves once every level has approved it)"),
    "count": N_("{count} candidate(s) would move:"),
    "ticket": N_("Ticket"),
    "name": NP_("review.preview.name", "Name"),
    "from": N_("From room/seat"),
    "to": N_("To room/seat"),
    "missing": N_("{count} seat(s) missing in {kind} rooms"),
    "open_room": N_("Press N to open another room on the spot, then reallocate"),
    "hint": N_("Enter confirm (chief's PIN) · N open a room · Esc cancel"),
    "hint_short": N_("N open a room · Esc cancel"),
}
REVIEW_PURPOSE = {
    "approve": N_("approve {count} case(s) ({level})"),
    "reject": N_("reject {count} case(s)"),
    "resolve": N_("resolve {count} case(s)"),
    "reallocate": N_("seat {count} candidate(s) in backup/isolation rooms"),
    "add_room": N_("open room {room}"),
    "open": N_("open the exception review (lane {lane})"),
}
REVIEW_STATUS = CASE_STATUS_WORDS
ROSTER_KIND = {
    "regular": N_("regular"),
    "backup": N_("backup"),
    "isolation": NP_("roster.kind.isolation", "isolation"),
}
SEX = {
    "M": N_("M"),
    "F": N_("F"),
}
VERDICT = {
    "idle": N_("Ready — scan the next candidate"),
    "pending": N_("Checking…"),
    "picked": N_("Selected, not admitted — press Enter to admit"),
    "admitted": N_("ADMITTED"),
    "exception": N_("EXCEPTION — HOLD"),
    "denied": N_("DENIED"),
    "duplicate": N_("DUPLICATE ENTRY"),
    "unknown": N_("UNKNOWN"),
    "wrong_session": N_("WRONG SESSION"),
    "invalid": N_("INVALID SCAN"),
    "not_recorded": N_("NOT RECORDED — rescan"),
    "session_closed": N_("SESSION CLOSED — call the chief proctor"),
    "outside_window": N_("ENTRY NOT OPEN"),
    "arrived": N_("ARRIVED — GO TO THE NEW SEAT"),
    "returned": N_("BACK IN — RETURN TO THE SEAT"),
    "no_reentry": N_("LEFT FOR GOOD — NO RE-ENTRY"),
    "out": N_("TEMPORARY LEAVE"),  # an exit recorded at the lane (recent scans)
    "left": N_("EARLY LEAVE, FOR GOOD"),
    "to_confirm": N_("CHECK THE FACE — NOT YET ADMITTED"),
}
STATE = {
    "expected": N_("not yet arrived"),
    "admitted": NP_("state.admitted", "admitted"),
    "held": N_("held for the chief proctor"),
    "denied": NP_("state.denied", "denied"),
    "out": N_("out on a temporary leave"),
    "left": N_("left for good"),
}
VIA = {
    "reallocation": N_("reallocation"),
    "move": N_("moved by the chief proctor"),
    "approval": N_("approval"),
    "resolve": N_("resolved by the chief proctor"),
}
WINDOW = {
    "other_day": N_("{session} is on {date}, entry from {opens}"),
    "not_yet": N_("{session}: entry from {opens}"),
    "ended": N_("{session}: entry closed at {closes} on {date}"),
}
GATE_KEY = {  # the gate's footer in short words: every key a lane needs fits 80 columns
    "search": NP_("gate.key", "Find"),
    "codes": NP_("gate.key", "Codes"),
    "roster": NP_("gate.key", "Rooms"),
    "leave": NP_("gate.key", "Out"),
    "leave_final": NP_("gate.key", "Gone"),
    "review": NP_("gate.key", "Review"),
    "report": NP_("gate.key", "Report"),
}
AFTER_ADMISSION = {  # what the gate says about a scan of someone already admitted who is not an alarm
    "arrived": N_("Seated by the chief proctor: this scan records the arrival"),
    "returned": N_("Back from a temporary leave"),
    "no_reentry": N_("Left for good at {at}"),  # the banner's title says no re-entry already
}
LEAVE_REFUSED = {
    "unknown": N_("No candidate with this ticket or ID number in this session"),
    "not_admitted": N_("Not admitted to this session: nothing to leave"),
    "out": N_("Already out on a temporary leave: they are checked in again at the gate"),
    "left": N_("Already left for good: no re-entry"),
    "no_reason": N_("Say why the candidate leaves"),
    "no_by": N_("Say who records the exit"),
    "closed": N_("The chief proctor closed this session: nothing more is recorded"),
    "too_early": N_("An early leave for good is allowed from {time}: before that only with the chief proctor's PIN"),
    "wrong_pin": N_("Wrong PIN: the early leave is not recorded (the attempt is logged)"),
}
PICKED = {  # the banner after a Ctrl+F pick, by the candidate's state in the session
    "expected": N_("Selected, not admitted — press Enter to admit"),
    "out": N_("Out on a temporary leave — press Enter to check them back in"),
    "arriving": N_("Seated by the chief proctor — press Enter to record the arrival"),
    "admitted": N_("Already admitted — do not admit again"),
    "held": N_("Held for the chief proctor — no entry until decided"),
    "denied": N_("Denied entry — call the chief proctor"),
    "left": N_("Left for good — no re-entry"),
}
BINDING = {
    "clear": N_("Clear"),
    "search": N_("Find"),
    "codes": N_("Codes"),
    "roster": N_("Rooms"),
    "gate": N_("Back to lane"),
    "refresh": N_("Refresh"),
    "quit": N_("Quit"),
    "submit": N_("Submit"),
    "cancel": N_("Cancel"),
    "mark": N_("Mark"),
    "mark_code": N_("Mark code"),
    "unmark": N_("Unmark all"),
    "approve": N_("Approve"),
    "reject": N_("Reject"),
    "resolve": N_("Resolve"),
    "reallocate": NP_("binding.reallocate", "Seat"),  # verbs, short: the English review footer holds every key in 80 columns
    "add_room": N_("Open room"),
    "documents": N_("Documents"),
    "filters": N_("Filter"),
    "clear_filters": N_("Clear filters"),
    "review": N_("Review"),
    "confirm": N_("Confirm"),
    "import": N_("Import roster"),
    "report": N_("Report"),
    "build": N_("Build report"),
    "cancel_build": N_("Cancel build"),
    "session": NP_("binding.session", "Session"),
    "back": N_("Back"),
    "close": N_("Close"),
    "palette": N_("More"),  # the footer's last key: what it leaves out is one Ctrl+P away
}
