"""Digests of what the plan, policy, report key, PIN hash and roster tables hold now: recorded in the log, recomputed by `verify`.

One digest per part that a person would name ("the candidates' names",
"the seats"), so `verify` can say what was edited behind the log's back.
"""

from __future__ import annotations

import hashlib
from typing import Mapping, Sequence

from sqlalchemy import Connection, select

from examops.adapters.store import secrets
from examops.adapters.store.roster_queries import EverySession
from examops.adapters.store.schema import rooms, sessions, settings
from examops.domain.events import canonical_json

SETTING_PARTS = {"plan": "plan_toml", "policy": "policy_toml", "site_key": "site_public_key"}


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


def _driver_rows(conn: Connection, sql: str) -> list[tuple]:
    cursor = conn.connection.driver_connection.cursor()
    try:
        cursor.execute(sql)
        return cursor.fetchall()
    finally:
        cursor.close()


def loaded_digests(candidate_rows: Sequence[tuple], seat_rows: Sequence[tuple] | EverySession) -> dict[str, str]:
    """The roster parts' digests of the rows a transaction has just loaded into empty SQLite tables (see `live_digests`).

    `candidate_rows` (ticket, name, id_number, id_tail, sex, site) and `seat_rows` (session_id, ticket, room_id, seat),
    or an `EverySession`, each sorted: SQLite's ORDER BY on text is Python's order, so no row is read back.
    """
    tickets, names, id_numbers, _tails, sexes, sites = zip(*candidate_rows) if candidate_rows else ((),) * 6
    return _roster_parts(tickets, names, id_numbers, sexes, sites, seat_rows)


def _roster_parts(tickets, names, id_numbers, sexes, sites, seat_rows) -> dict[str, str]:  # noqa: ANN001 - columns
    return {
        "candidates.tickets": _digest(tickets),
        "candidates.names": _digest(list(zip(tickets, names))),
        "candidates.id_numbers": _digest(list(zip(tickets, id_numbers))),
        "candidates.other": _digest(list(zip(tickets, sexes, sites))),
        "seats": _seats_digest(seat_rows),
    }


def live_digests(conn: Connection, *, loaded: Mapping[str, str] | None = None) -> dict[str, str]:
    """Part name → SHA-256 of its canonical content, as the tables hold it now.

    `loaded` is `loaded_digests` of the rows this transaction has just loaded into empty tables: on SQLite they stand
    for the roster tables, which are not read back (elsewhere they are).
    """
    values = dict(conn.execute(select(settings.c.key, settings.c.value).where(
        settings.c.key.in_(tuple(SETTING_PARTS.values())))).all())
    parts = {part: _digest(values.get(key)) for part, key in SETTING_PARTS.items()}
    if secrets.readable(conn):  # the lanes' login on PostgreSQL cannot: verify at the chief's desk checks it
        parts["chief_pin"] = _digest(secrets.read_secret(conn, secrets.PIN_HASH))
    if loaded is not None and conn.dialect.name == "sqlite":
        parts.update(loaded)
    else:
        # The two big tables straight from the driver: plain tuples, no result-row objects (json writes a tuple as a list).
        people = _driver_rows(conn, "SELECT ticket, name, id_number, sex, site FROM candidates ORDER BY ticket")
        seat_rows = _driver_rows(conn, "SELECT session_id, ticket, room_id, seat FROM seats ORDER BY session_id, ticket")
        parts.update(_roster_parts(*(zip(*people) if people else ((),) * 5), seat_rows))
    parts["rooms"] = _digest([list(r) for r in conn.execute(
        select(rooms.c.id, rooms.c.name, rooms.c.capacity, rooms.c.kind).order_by(rooms.c.id))])
    T = sessions
    parts["sessions"] = _digest([list(r) for r in conn.execute(
        select(T.c.id, T.c.name, T.c.date, T.c.start, T.c.end, T.c.late_entry_minutes).order_by(T.c.id))])
    return parts
