"""The words of the printed documents (room papers, the site's forms) and the wording of recorded reasons, through
the catalog: msgids in English, translated into the language the document is built in."""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache

from examops.i18n import N_, NP_, normalise_language, translator, word

ROOM_WORDS = {
    "door": NP_("docs.sheet", "Door list"),
    "signin": NP_("docs.sheet", "Sign-in"),
    "labels": NP_("docs.sheet", "Seat labels"),
    "door_doc": NP_("docs.title", "Door list"),
    "signin_doc": NP_("docs.title", "Sign-in sheet"),
    "labels_doc": NP_("docs.title", "Seat labels"),
    "photo_plan": NP_("docs.sheet", "Photo seat plan"),
    "photo_plan_doc": NP_("docs.title", "Photo seat plan"),
    "no_photo": N_("no photo"),
    "seat": NP_("report.seat", "Seat"),
    "ticket": N_("Ticket"),
    "name": N_("Name"),
    "id": N_("ID number"),
    "signature": NP_("docs.signature", "Signature"),
    "from": NP_("docs.column", "From"),
    "moved_to": N_("moved to room {room}, seat {seat}"),
    "rostered_n": N_("Rostered: {count}"),
    "moved_out_n": N_("Moved out: {count}"),
    "moved_in_n": N_("Moved in: {count}"),
    "expected_n": N_("Expected: {count}"),
    "present": N_("Present: ________"),
    "proctors": N_("Proctors' signatures: ________________   ________________"),
    "page": N_("Page &P of &N"),
    "file": N_("{session}_{room}_door_list_sign_in_seat_labels"),
    "room_numbered": N_("Room {name}"),
    "room_named": N_("{name} ({room})"),
    "empty": N_("(nobody seated in this session)"),
    "session_line": N_("{name} ({id}) · {date} · {start}–{end}"),
    "date": N_("{year}-{month:02d}-{day:02d}"),
}

CLOSED_WORDS = {
    "exception": N_("superseded by a newer check at the gate"),
    "admitted": N_("admitted at the gate"),
    "denied": N_("denied at the gate"),
}

# The reasons the gate's policy records (English in the log, as written then), worded again for a document.
_REASON_PATTERNS = (
    (re.compile(r"^entry closed at (?P<time>\d\d:\d\d)$"), N_("entry closed at {time}")),  # domain.verdict: the late rule
    (re.compile(r"^no certificate shown$"), N_("no certificate shown")),
    (re.compile(r"^sampling time (?P<at>.+) is after the session starts$"), N_("sampling time {at} is after the session starts")),
    (re.compile(r"^sampled (?P<at>.+), earliest acceptable (?P<earliest>.+)$"), N_("sampled {at}, earliest acceptable {earliest}")),
    (re.compile(r"^certificate sampled (?P<at>.+) is within (?P<hours>\d+) h$"), N_("certificate sampled {at} is within {hours} h")),
    (re.compile(r"^already admitted: possible impersonation, call the chief proctor$"),
     N_("already admitted: possible impersonation, call the chief proctor")),
    (re.compile(r"^evidence missing: (?P<fields>.+)$"), N_("evidence missing: {fields}")),
    (re.compile(r"^first reading (?P<t>[\d.]+) °C is below (?P<limit>[\d.]+) °C$"),
     N_("first reading {t} °C is below {limit} °C")),
    (re.compile(r"^(?P<t>[\d.]+) °C: rest in the observation area, then re-test$"),
     N_("{t} °C: rest in the observation area, then re-test")),
    (re.compile(r"^re-test (?P<t>[\d.]+) °C is normal$"), N_("re-test {t} °C is normal")),
    (re.compile(r"^re-test (?P<t>[\d.]+) °C is still ≥ (?P<limit>[\d.]+) °C$"), N_("re-test {t} °C is still ≥ {limit} °C")),
    (re.compile(r"^admitted; raised after admission, for the chief proctor's review$"),
     N_("admitted; raised after admission, for the chief proctor's review")),
    # why a scan was refused before any lookup (domain.scan.classify)
    (re.compile(r"^not a ticket number, ID number or ticket QR code$"), N_("not a ticket number, ID number or ticket QR code")),
    (re.compile(r"^control characters in the scan$"), N_("control characters in the scan")),
    (re.compile(r"^empty scan$"), N_("empty scan")),
    (re.compile(r"^the scanner sent bytes that are not text$"), N_("the scanner sent bytes that are not text")),
    (re.compile(r"^(?P<count>\d+) characters: far too long for a ticket$"), N_("{count} characters: far too long for a ticket")),
)
# The evidence fields a reason may name ("evidence missing: colour, temp2"); a site's own field stays as it is.
EVIDENCE_WORDS = {
    "colour": NP_("evidence", "code colour"),
    "temp1": NP_("evidence", "first reading"),
    "temp2": NP_("evidence", "re-test"),
    "sampled_at": NP_("evidence", "sampling time"),
    "note": NP_("evidence", "note"),
}
_ALREADY = re.compile(r"^already recorded: (?P<rest>.+)$")


@cache
def room_words(lang: str) -> dict[str, str]:
    return {key: word(ROOM_WORDS, key, normalise_language(lang)) for key in ROOM_WORDS}


def closed_note(kind: str, lang: str) -> str:
    return word(CLOSED_WORDS, kind, normalise_language(lang))


def gate_reason(text: str, lang: str, code_labels: Mapping[str, str] | None = None) -> str:
    """A reason the gate recorded, in `lang` when it is one the policy words; anything else (staff's own words) as is.
    "already recorded: CODE" (a repeat of a case without a reason) names the code by its label in `code_labels`."""
    catalog = translator(normalise_language(lang))
    already = _ALREADY.match(text)
    if already:
        rest = already["rest"]
        earlier = code_labels[rest] if code_labels and rest in code_labels else gate_reason(rest, lang, code_labels)
        return catalog.gettext(N_("already recorded: {reason}")).format(reason=earlier)
    for pattern, message in _REASON_PATTERNS:
        found = pattern.match(text)
        if found:
            values = found.groupdict()
            if "fields" in values:
                values["fields"] = catalog.gettext(N_(", ")).join(
                    word(EVIDENCE_WORDS, key.strip(), normalise_language(lang)) for key in values["fields"].split(","))
            return catalog.gettext(message).format(**values)
    return text


FORM_WORDS = {
    "summary_sheet": N_("Site summary"),
    "summary_title": N_("Site summary of the session"),
    "item": N_("Item"),
    "count": N_("Count"),
    "expected": NP_("report.figure.expected", "Expected"),
    "present": NP_("report.figure.present", "Present"),
    "absent": NP_("report.figure.absent", "Absent"),
    "not_arrived": NP_("report.figure.not_arrived", "Not yet arrived"),
    "misconduct": N_("Misconduct and cheating"),
    "moved": N_("Candidates moved"),
    "exceptions": NP_("report.figure.exceptions", "Exceptions"),
    "rooms_opened": N_("Backup and isolation rooms opened"),
    "room": N_("Room"),
    "kind": N_("Kind"),
    "seated": N_("Seated there"),
    "none": N_("none"),
    "verdict": N_("Zero incidents, zero mistakes, zero errors"),
    "in_the_way": N_("What stands in the way"),
    "chief_sign": N_("Chief proctor (signature): ________________   Site director (signature): ________________"),
    "date_line": N_("Date: ________"),
    "report_sheet": N_("Misconduct report {number}"),
    "report_title": N_("Misconduct report of a candidate"),
    "exam": N_("Exam"),
    "site": N_("Site"),
    "session": N_("Session"),
    "name": N_("Name"),
    "ticket": N_("Ticket"),
    "id": N_("ID number"),
    "room_seat": N_("Room / seat"),
    "at": N_("Found at"),
    "incident_kind": N_("Kind of breach"),
    "facts": N_("What happened"),
    "recorded_by": NP_("docs.form", "Recorded by"),
    "proctor_sign": N_("Proctors (signatures): ________________   ________________   Date and time: ____________"),
    "candidate_sign": N_("Candidate (signature): ________________   If the candidate refuses to sign, the proctors note it here: ________________"),
    "number": N_("No. {id}"),
    "page": N_("Page &P of &N"),
    "file": N_("{session}_site_summary_misconduct_reports"),
}


@cache
def form_words(lang: str) -> dict[str, str]:
    return {key: word(FORM_WORDS, key, normalise_language(lang)) for key in FORM_WORDS}
