"""SHA-256 over rows as stored: the cheap tamper check's proof that rows it verified are unchanged.

No event is parsed and no signature checked: the database writes each row as one text (its columns joined by a
separator, each value led by a NULL flag) and only those texts are hashed, so a 100k-event log costs one scan.
Each chunk of texts is checked to hold exactly its separators, so two different rows never make the same text; a
row whose values hold a separator is hashed as the JSON of its columns instead.
"""

from __future__ import annotations

import hashlib
from typing import Sequence

from sqlalchemy import Connection

from examops.domain.events import canonical_json

FIELD, ROW, AS_JSON = "\x1f", "\x1e", "\x1d"
EVENT_COLUMNS = ("pos", "id", "kind", "at", "device", "device_seq", "session_id", "ticket", "lane", "staff", "payload")
"""What an event says and where it stands: its hash, link and signature columns are left out (half the bytes). An
edit of those alone changes no fact; `verify` finds it, and the check compares each chain's head hash itself."""
CANDIDATE_COLUMNS = ("ticket", "name", "id_number", "sex", "site")
"""The columns the log's digests cover (`id_tail` is the ID number's end, for search)."""
SEAT_COLUMNS = ("session_id", "ticket", "room_id", "seat")
NULLABLE = {"session_id", "ticket", "lane", "staff", "sex", "site"}
"""Columns the schema lets be NULL; in any other a NULL makes the row's text NULL, and the row is hashed as JSON."""
CHUNK = 4096


def _row_text(columns: Sequence[str]) -> str:
    """SQL writing one row as text; a nullable column's value is led by "v", so NULL (nothing) and '' ("v") differ."""
    return " || :field || ".join(f"coalesce(:v || {c}, '')" if c in NULLABLE else c for c in columns)


def _execute(conn: Connection, sql: str, params: dict):  # noqa: ANN202 - a DB-API cursor
    """Straight through the driver (plain tuples: a 100k-row read pays no result-row objects); `:name` parameters."""
    cursor = conn.connection.driver_connection.cursor()
    if conn.dialect.name != "sqlite":  # psycopg's placeholders
        for name in sorted(params, key=len, reverse=True):
            sql = sql.replace(f":{name}", f"%({name})s")
    cursor.execute(sql, params)
    return cursor


def _feed(digest, conn: Connection, table: str, columns: Sequence[str], keys: Sequence[str], where: str,  # noqa: ANN001
          params: dict, order: str) -> int:
    """Feed `digest` the rows of `table` matching `where`, in `order`; return how many."""
    query = f"SELECT {', '.join(keys)}, {_row_text(columns)} FROM {table} {where} ORDER BY {order}"
    result = _execute(conn, query, {**params, "field": FIELD, "v": "v"})
    separators = len(columns) - 1
    count = 0
    while rows := result.fetchmany(CHUNK):
        count += len(rows)
        texts = [row[-1] for row in rows]
        joined = None if None in texts else ROW.join(texts) + ROW
        if joined is not None and joined.count(FIELD) == separators * len(rows) and joined.count(ROW) == len(rows):
            digest.update(joined.encode("utf-8", "surrogatepass"))
            continue
        for row in rows:
            row_text = row[-1]
            if row_text is not None and row_text.count(FIELD) == separators and ROW not in row_text:
                digest.update((row_text + ROW).encode("utf-8", "surrogatepass"))
                continue
            match = " AND ".join(f"{k} = :k{i}" for i, k in enumerate(keys))
            values = _execute(conn, f"SELECT {', '.join(columns)} FROM {table} WHERE {match}",
                              {f"k{i}": v for i, v in enumerate(row[:-1])}).fetchone()
            digest.update((AS_JSON + canonical_json([None if v is None else str(v) for v in values]) + ROW).encode())
    return count


def events_digest(conn: Connection, digest, *, after_pos: int = 0, upto_pos: int | None = None) -> int:  # noqa: ANN001
    """Feed `digest` the events with `after_pos` < pos <= `upto_pos` (no bound: to the end) in pos order; how many."""
    where, params = "WHERE pos > :after", {"after": after_pos}
    if upto_pos is not None:
        where, params = where + " AND pos <= :upto", {**params, "upto": upto_pos}
    return _feed(digest, conn, "events", EVENT_COLUMNS, ("pos",), where, params, "pos")


def roster_digest(conn: Connection) -> str:
    """SHA-256 of the candidates' and the seats' rows as stored (what `examops verify` digests part by part)."""
    digest = hashlib.sha256(b"candidates" + ROW.encode())
    _feed(digest, conn, "candidates", CANDIDATE_COLUMNS, ("ticket",), "", {}, "ticket")
    digest.update(b"seats" + ROW.encode())
    _feed(digest, conn, "seats", SEAT_COLUMNS, ("session_id", "ticket"), "", {}, "session_id, ticket")
    return digest.hexdigest()
