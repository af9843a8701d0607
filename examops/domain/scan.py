"""What a scanner (or a clerk) typed: a ticket, an ID number, a ticket QR payload, or garbage.

Keyboard-wedge scanners send whatever the code holds, sometimes with control
characters, a wrong keyboard layout's full-width digits, or a stray prefix.
Classification is strict: anything that is not clearly a ticket or an ID is
`invalid` and is never looked up.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from examops.domain import idnumber
from examops.domain.said import N_

MAX_SCAN_LENGTH = 512
TICKET_RE = re.compile(r"^\d{6,24}$")
QR_PREFIX = "EXAMOPS:T:"
_URL_KEYS = ("zkzh", "ticket", "kh", "zkz")
NOT_TEXT = N_("the scanner sent bytes that are not text")
EMPTY = N_("empty scan")
CONTROL = N_("control characters in the scan")
NOT_A_CODE = N_("not a ticket number, ID number or ticket QR code")
SCAN_REFUSALS = (NOT_TEXT, EMPTY, CONTROL, NOT_A_CODE)
"""The fixed reasons of an invalid scan: English msgids, said in the site's language at the edges."""


@dataclass(frozen=True, slots=True)
class Scan:
    """A classified scan: kind is 'ticket', 'id_number' or 'invalid'."""

    kind: str
    value: str
    raw: str
    reason: str = ""


def ticket_qr_payload(ticket: str) -> str:
    """What examops prints in a ticket's QR code (seat labels, door lists)."""
    return QR_PREFIX + ticket


def _printable(text: str) -> str:
    return "".join(ch for ch in text if unicodedata.category(ch)[0] != "C")


def _from_payload(text: str) -> str | None:
    """A ticket number inside a known QR payload shape, else None."""
    if text.upper().startswith(QR_PREFIX):
        return text[len(QR_PREFIX):]
    if text.startswith("{"):
        try:
            data = json.loads(text)
        except ValueError:
            return None
        if isinstance(data, dict):
            for key in _URL_KEYS:
                if key in data:
                    return str(data[key])
        return None
    if "://" in text or text.startswith("?"):
        query = parse_qs(urlsplit(text).query)
        for key in _URL_KEYS:
            if query.get(key):
                return query[key][0]
    return None


def classify(raw: str) -> Scan:
    """Classify one scan line."""
    if len(raw) > MAX_SCAN_LENGTH:
        return Scan("invalid", "", raw[:80], f"{len(raw)} characters: far too long for a ticket")
    if "\ufffd" in raw:
        return Scan("invalid", "", raw, NOT_TEXT)
    control = [ch for ch in raw.strip("\r\n") if unicodedata.category(ch) == "Cc" and ch not in "\t"]
    text = idnumber.clean(_printable(raw))
    if not text:
        return Scan("invalid", "", raw, EMPTY)
    payload = _from_payload(unicodedata.normalize("NFKC", raw.strip()))
    if payload is not None:
        text = idnumber.clean(payload)
    if TICKET_RE.match(text) and not control:
        if len(text) == 18 or len(text) == 15:
            check = idnumber.check(text)
            if check.valid:
                return Scan("id_number", check.number, raw)
        return Scan("ticket", text, raw)
    if idnumber.looks_like_id(text) and not control:
        return Scan("id_number", text, raw)
    if control:
        return Scan("invalid", "", raw, CONTROL)
    return Scan("invalid", "", raw, NOT_A_CODE)


_ID_SHAPED = re.compile(r"^\d{17}[\dXx]$")


def masked(raw: str) -> str:
    """A scan as screens may show it: anything shaped like an ID number (a valid one, or one whose
    check character fails, which is still somebody's number) masked, first 6 and last 4; the rest as typed."""
    scan = classify(raw)
    if scan.kind == "id_number":
        return idnumber.mask(scan.value)
    text = raw.strip()
    return idnumber.mask(text) if _ID_SHAPED.match(text) else raw
