"""The words of the bureau report, the regional roll-up and the room documents: catalog msgids, translated in the
language the document is built in (`lang`, any spelling `examops.i18n.normalise_language` knows)."""

from __future__ import annotations

from functools import cache

from examops.i18n import CHINESE, N_, NP_, normalise_language, translator, word

WORDS = {
    "summary": N_("Summary"),
    "exceptions": NP_("report.exceptions", "Exceptions"),
    "timeline": NP_("report.timeline", "Approvals"),
    "moves": N_("Reallocations"),
    "incidents": NP_("report.incidents", "Incidents"),
    "charts": N_("Charts {session}"),
    "rooms": N_("Rooms {session}"),
    "signature": N_("Signature"),
    "chief_record": N_("Chief's record"),
    "chief_record_title": N_("Plan and PIN changes, overrides, early leaves authorised, refused PINs, decisions without "
                             "the chief's seal"),
    "refused_pins": N_("Wrong PINs refused: {count}"),
    "no_records": N_("Nothing of this kind was recorded."),
    "record_kind": N_("Record"),
    "record_by": N_("By"),
    "record_detail": N_("Detail"),
    "summary_title": N_("Site report"),
    "generated": N_("Generated at {at}"),
    "item": N_("Item"),
    "total": N_("Total"),
    "verdict": N_("Zero incidents, zero mistakes, zero errors: {verdicts}"),
    "verdict_session": N_("{session} {verdict}"),
    "verdict_reasons": N_("{session} {verdict} ({reasons})"),
    "verdict_sep": N_("; "),
    "step_level": N_("{step} · {level}"),
    "seat_via": N_("{room}/{seat} · {via}"),
    "on_behalf": N_("{recorder} (for {approver})"),
    "room_title": N_("Room record"),
    "room_line": N_("Room: {room}   Kind: {kind}"),
    "expected": NP_("report.expected", "Expected"),
    "present": NP_("report.present", "Present"),
    "absent": NP_("report.absent", "Absent"),
    "absentees": N_("Absent candidates"),
    "rostered_count": NP_("report.room.count", "Rostered"),
    "not_arrived_count": NP_("report.room.count", "Not yet arrived"),
    "moved_out_count": NP_("report.room.count", "Moved out"),
    "moved_in_count": NP_("report.room.count", "Moved in"),
    "room_exceptions": NP_("report.room_exceptions", "Exceptions"),
    "moved_in": N_("Moved in"),
    "moved_out": N_("Moved out"),
    "room_incidents": NP_("report.room_incidents", "Incidents"),
    "none": N_("{section}: none"),
    "list_sep": N_(", "),
    "proctors": N_("First proctor (signature): ________________   Second proctor (signature): ________________"),
    "candidate_sign": N_("Candidate concerned (signature): ________________   Date: ____________"),
    "seat": NP_("report.seat", "Seat"),
    "ticket": N_("Ticket"),
    "name": N_("Name"),
    "id_number": N_("ID number"),
    "room": N_("Room"),
    "code": N_("Code"),
    "action": NP_("report.action", "Action"),
    "status": N_("Status"),
    "from_room": N_("From room"),
    "from_seat": N_("From seat"),
    "to_room": N_("To room"),
    "to_seat": N_("To seat"),
    "via": N_("Via"),
    "session": N_("Session"),
    "case": NP_("report.case", "Exception"),
    "at": N_("Time"),
    "step": N_("Step"),
    "by": N_("By"),
    "recorded_by": NP_("report.recorded_by", "Recorded by"),
    "note": NP_("report.note", "Note"),
    "lane": N_("Lane"),
    "staff": N_("Staff"),
    "reason": N_("Reason"),
    "seated": N_("Seated"),
    "kind": N_("Kind"),
    "severity": N_("Severity"),
    "exceptions_title": NP_("report.exceptions_title", "Exceptions"),
    "timeline_title": N_("Exceptions: the full approval timeline"),
    "moves_title": N_("Reallocations and moves"),
    "incidents_title": N_("Incidents in the rooms"),
    "arrivals_title": NP_("report.arrivals_title", "Arrivals per {minutes} minutes"),
    "slot": N_("From"),
    "arrived": N_("Arrivals"),
    "attendance_title": N_("Attendance per room"),
    "signature_title": N_("Report signature"),
    "signature_print": N_("Signature (print)"),
    "signature_print_note": N_("The signed workbook (.xlsx) is the record: `examops report verify FILE.xlsx` checks it against "
                               "this key. This page says which key signed it and when."),
    "key": N_("key"),
    "value": N_("Value"),
    "signature_note": N_("What `examops report verify FILE.xlsx` checks: any figure changed and verification fails."),
    "chain_heads": N_("Event-log chain heads (last record of each device)"),
    "device": N_("Device"),
    "device_seq": N_("Seq"),
    "hash": N_("Hash"),
    "sheet_digests": N_("Sheet digests"),
    "sheet": N_("Sheet"),
    "cells": N_("Cells"),
    "row_hashes": N_("Row hashes"),
    "page": N_("Page &P of &N"),
    "rollup_title": N_("Regional roll-up"),
    "rollup_sites": N_("Region"),
    "rollup_sessions": N_("By session"),
    "rollup_sources": N_("Sources"),
    "site": N_("Site"),
    "sessions": N_("Sessions"),
    "file": N_("File"),
    "fingerprint": N_("Key fingerprint"),
    "figures_sha256": N_("Figures digest"),
    "verified": N_("Verified"),
    "ok": NP_("report.ok", "yes"),
    "any_key": N_("signature valid; key not on a trust list"),
    "zero_sites": N_("Zero-incident sites"),
    "rollup_note": N_("Counts add up session sittings. Every site report's signature was verified."),
    "rollup_chart": N_("Present and absent per site (sittings)"),
}
FIGURE_LABELS = {
    "name": N_("Paper"),
    "date": N_("Date"),
    "start": N_("Starts"),
    "end": N_("Ends"),
    "expected": NP_("report.figure.expected", "Expected"),
    "present": NP_("report.figure.present", "Present"),
    "absent": NP_("report.figure.absent", "Absent"),
    "not_arrived": N_("Not yet arrived"),
    "admitted_late": N_("Admitted after the start"),
    "exceptions": NP_("report.figure.exceptions", "Exceptions"),
    "exception_attempts": N_("Exception records (attempts)"),
    "exceptions_by_code": N_("Exceptions by code"),
    "exceptions_by_status": N_("Exceptions by outcome"),
    "approvals": N_("Approvals signed"),
    "reallocated": N_("Reallocated"),
    "denied": N_("Denied entry"),
    "incidents": NP_("report.figure.incidents", "Incidents"),
    "incidents_by_kind": N_("Incidents by kind"),
    "duplicates": N_("Duplicate-scan alarms"),
    "open_alarms": N_("Alarms not resolved"),
    "alarm_incidents": N_("Alarms found to be incidents"),
    "left_early": N_("Left for good before the end"),
    "duplicate_admissions": N_("Duplicate admissions"),
    "conflicts": N_("Offline lane conflicts"),
    "voided": N_("Voided events"),
    "unexplained_voids": N_("Voids without a reason"),
    "unexplained_overrides": N_("Overrides without a reason"),
    "unsealed_decisions": N_("Chief decisions without the chief's seal"),
    "unresolved": N_("Unresolved exceptions"),
    "zero_incident": N_("Zero incidents, mistakes, errors"),
    "reasons": N_("Reasons"),
}
STATUS_LABELS = {
    "pending": N_("pending"),
    "approved": NP_("report.status.approved", "approved"),
    "rejected": NP_("report.status.rejected", "rejected"),
    "resolved": NP_("report.status.resolved", "resolved"),
    "closed": NP_("report.status.closed", "closed"),
    "denied": NP_("report.status.denied", "denied"),
}
ACTION_LABELS = {
    "hold": NP_("report.action.hold", "hold"),
    "backup_room": N_("backup room"),
    "isolation_room": N_("isolation room"),
    "deny": NP_("report.action.deny", "deny"),
    "admit": N_("admit"),
}
ROOM_KINDS = {
    "regular": NP_("report.room-kinds.regular", "regular"),
    "backup": NP_("report.room-kinds.backup", "backup"),
    "isolation": N_("isolation"),
}
LEVEL_LABELS = {
    "chief": N_("chief proctor"),
    "deputy": N_("deputy"),
    "supervisor": N_("supervision group"),
}
VIA_LABELS = {
    "reallocation": N_("reallocation"),
    "move": N_("move"),
    "approval": N_("approval"),
    "resolve": NP_("report.via.resolve", "resolved"),
}
SEVERITY_LABELS = {
    "low": N_("low"),
    "medium": N_("medium"),
    "high": N_("high"),
}
STEP_LABELS = {
    "exception": N_("recorded"),
    "approved": NP_("report.step.approved", "approved"),
    "rejected": NP_("report.step.rejected", "rejected"),
    "resolved": NP_("report.step.resolved", "resolved"),
    "seated": N_("seated"),
    "closed": NP_("report.step.closed", "closed"),
}
CHIEF_RECORD_LABELS = {
    "plan_changed": N_("Plan changed (old → new digest)"),
    "pin_changed": N_("PIN changed"),
    "override_granted": N_("Recording into a closed session (override), reason"),
    "photos_imported": N_("Photos replaced (how many: tickets)"),
    "photos_purged": N_("Photos purged (how many: reason)"),
    "early_leave_authorised": N_("Early leave before the allowed time, authorised (session ticket (room/seat): reason)"),
    "unsealed_decision": N_("Chief decision without the chief's seal (ticket · case · event)"),
}
INCIDENT_LABELS = {
    "misconduct": N_("Misconduct"),
    "cheating": N_("Cheating"),
    "room_irregularity": N_("Room irregularity"),
    "other": N_("Other"),
}
# The signed fields' labels on the signature sheet (the key column beside them is what `report verify` reads).
SIGNED_FIELD_LABELS = {
    "format": NP_("report.field", "Format"), "exam": NP_("report.field", "Exam"), "site": NP_("report.field", "Site"),
    "sessions": NP_("report.field", "Sessions"), "summary_sheet": N_("Summary sheet"),
    "generated_at": NP_("report.field", "Generated at"), "figures_sha256": N_("Figures digest (SHA-256)"),
    "chain_heads_sha256": N_("Chain heads digest (SHA-256)"), "cells_sha256": N_("All cells digest (SHA-256)"),
    "signature": N_("Signature (Ed25519)"), "public_key": NP_("report.field", "Public key"),
    "fingerprint": NP_("report.field", "Key fingerprint"), "figures_json": N_("Signed figures"),
}
YES_NO = {
    "yes": NP_("report.yes-no.yes", "yes"),
    "no": N_("no"),
}
REASONS = {
    "incidents": N_("{count} incident(s) recorded"),
    "unresolved": N_("{count} exception(s) not decided or not seated"),
    "duplicate_admissions": N_("{count} duplicate admission(s)"),
    "conflicts": N_("{count} admission conflict(s) between lanes: check those candidates"),
    "voided": N_("{count} voided event(s): a recorded outcome had to be corrected"),
    "open_alarms": N_("{count} duplicate-scan alarm(s) not resolved by the chief"),
    "alarm_incidents": N_("{count} alarm(s) found to be a real incident"),
    "unexplained_voids": N_("{count} voided event(s) without a reason"),
    "unexplained_overrides": N_("{count} record(s) into a closed session without a reason"),
    "unsealed_decisions": N_("{count} chief decision(s) without the chief's seal (examops verify names them)"),
    "not_over": N_("the session had not ended when these figures were made"),
}

# Cells read back from a signed workbook, in either language.
BOOLEAN_WORDS = {"是": True, "否": False, "yes": True, "no": False}


def lang_of(lang: str) -> str:
    """The document language as the writers compare it: "zh" or "en"."""
    return "zh" if normalise_language(lang) == CHINESE else "en"


@cache
def words(lang: str) -> dict[str, str]:
    """Every heading of `WORDS`, translated into `lang`."""
    return {key: word(WORDS, key, normalise_language(lang)) for key in WORDS}


def pick(table: dict, key: str | None, lang: str) -> str:
    """The label of `key` in `table` (catalog msgids, or the plan's own (zh, en) pairs); the key itself when unknown."""
    if key is None:
        return ""
    entry = table.get(key)
    if isinstance(entry, tuple):
        return entry[0] if lang_of(lang) == "zh" else entry[1]
    return word(table, key, normalise_language(lang))


def incident_label(kind: str | None, lang: str) -> str:
    return pick(INCIDENT_LABELS, kind, lang)


def yes_no(value: bool, lang: str) -> str:
    return pick(YES_NO, "yes" if value else "no", lang)


def reason_text(reason: str, lang: str) -> str:
    """A reason against the zero-incident verdict in `lang`, worded from its code and count."""
    code = getattr(reason, "code", None)
    if code not in REASONS:
        return str(reason)
    return translator(normalise_language(lang)).gettext(REASONS[code]).format(count=reason.count)
