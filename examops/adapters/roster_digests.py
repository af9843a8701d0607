"""The digests a plan/roster change logs, made from values already read: one source for SQLAlchemy's store
(`store.digests.live_digests`) and the SQLAlchemy-free SQLite import (`plain_roster_store`).

One digest per part that a person would name ("the candidates' names", "the seats"), so `verify` can say what was
edited behind the log's back. Outside the store package on purpose: importing `examops.adapters.store` imports
SQLAlchemy.
"""

from __future__ import annotations

import hashlib
from typing import Mapping, Sequence

from examops.adapters.roster_rows import EverySession
from examops.domain.events import canonical_json

SETTING_PARTS = {"plan": "plan_toml", "policy": "policy_toml", "site_key": "site_public_key"}
NO_PIN = object()
"""`parts`'s `pin_hash` when this login may not read the secrets (the lanes' login on PostgreSQL)."""


def _digest(value: object) -> str:
    return hashlib.sha256(canonical_json(value).encode("utf-8")).hexdigest()


def _seats_digest(rows: Sequence[tuple] | EverySession) -> str:
    """The digest of the seat rows; for `EverySession`, from the canonical JSON of its placements written once.

    Each session's part of the text is the placements' text with the session put at the head of every row: the
    rows' separator "],[" is replaced, which is exact when it occurs nowhere else (counted; else the rows are
    written one by one). Byte for byte the text `canonical_json` makes of all the rows.
    """
    if not isinstance(rows, EverySession):
        return _digest(rows)
    placed_text = canonical_json(rows.placed)
    inner = placed_text[2:-2]  # '"t1","r",1],["t2","r",2' of '[["t1","r",1],["t2","r",2]]'
    if not rows.placed or not rows.sessions or inner.count("],[") != len(rows.placed) - 1:
        return _digest(list(rows))
    digest = hashlib.sha256(b"[")
    for index, session in enumerate(rows.sessions):
        head = canonical_json(session) + ","
        digest.update(("," * (index > 0) + "[" + head + inner.replace("],[", "],[" + head) + "]").encode("utf-8"))
    digest.update(b"]")
    return digest.hexdigest()


def loaded_digests(candidate_rows: Sequence[tuple], seat_rows: Sequence[tuple] | EverySession) -> dict[str, str]:
    """The roster parts' digests of the rows a transaction has just loaded into empty SQLite tables (see `live_digests`).

    `candidate_rows` (ticket, name, id_number, id_tail, sex, site) and `seat_rows` (session_id, ticket, room_id, seat),
    or an `EverySession`, each sorted: SQLite's ORDER BY on text is Python's order, so no row is read back.
    """
    tickets, names, id_numbers, _tails, sexes, sites = zip(*candidate_rows) if candidate_rows else ((),) * 6
    return roster_parts(tickets, names, id_numbers, sexes, sites, seat_rows)


def roster_parts(tickets, names, id_numbers, sexes, sites, seat_rows) -> dict[str, str]:  # noqa: ANN001 - columns
    return {
        "candidates.tickets": _digest(tickets),
        "candidates.names": _digest(list(zip(tickets, names))),
        "candidates.id_numbers": _digest(list(zip(tickets, id_numbers))),
        "candidates.other": _digest(list(zip(tickets, sexes, sites))),
        "seats": _seats_digest(seat_rows),
    }


def parts(settings: Mapping[str, str], pin_hash: object, roster: Mapping[str, str], room_rows: Sequence[Sequence],
          session_rows: Sequence[Sequence]) -> dict[str, str]:
    """Part name → SHA-256 of its canonical content: `settings` (key → value of `SETTING_PARTS`' keys present),
    the PIN hash (or `NO_PIN`), the roster's parts (`roster_parts`), rooms (id, name, capacity, kind) by id and
    sessions (id, name, date, start, end, late_entry_minutes) by id."""
    digests = {part: _digest(settings.get(key)) for part, key in SETTING_PARTS.items()}
    if pin_hash is not NO_PIN:
        digests["chief_pin"] = _digest(pin_hash)
    digests.update(roster)
    digests["rooms"] = _digest([list(r) for r in room_rows])
    digests["sessions"] = _digest([list(r) for r in session_rows])
    return digests
