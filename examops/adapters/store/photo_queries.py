"""The photos' SQL: one row per candidate with a photo, its bytes and their digest."""

from __future__ import annotations

from typing import Sequence

from sqlalchemy import Connection, delete, func, insert, select

from examops.adapters.store.engine import Store
from examops.adapters.store.errors import describe_failure
from examops.adapters.store.schema import candidates, photos

P = photos
CHUNK = 500
ANY_PHOTO = select(P.c.ticket).limit(1)
"""A row where the site has a photo (the gate's first frame asks it on SQLite's own connection: `site_head`)."""


def any_photo(conn: Connection) -> bool:
    return conn.execute(ANY_PHOTO).first() is not None


def photo_data(conn: Connection, ticket: str) -> bytes | None:
    return conn.execute(select(P.c.data).where(P.c.ticket == ticket)).scalar_one_or_none()


def photo_data_of(conn: Connection, tickets: Sequence[str]) -> dict[str, bytes]:
    """Ticket → bytes for those of `tickets` that have a photo (for documents: one query per chunk)."""
    found: dict[str, bytes] = {}
    ordered = sorted(set(tickets))
    for start in range(0, len(ordered), CHUNK):
        chunk = ordered[start:start + CHUNK]
        found.update(conn.execute(select(P.c.ticket, P.c.data).where(P.c.ticket.in_(chunk))).all())
    return found


def photo_digests(conn: Connection) -> dict[str, str]:
    """Ticket → the stored digest column."""
    return dict(conn.execute(select(P.c.ticket, P.c.digest)).all())


def photo_rows(conn: Connection):  # noqa: ANN201 - an iterator of rows (ticket, data)
    """Every photo's bytes, streamed: `verify` hashes what is stored, not what the digest column says."""
    return conn.execution_options(yield_per=200).execute(select(P.c.ticket, P.c.data).order_by(P.c.ticket))


def write_photos(conn: Connection, rows: Sequence[dict]) -> None:
    """Insert or replace photos (ticket, format, width, height, digest, source, data)."""
    tickets = [row["ticket"] for row in rows]
    for start in range(0, len(tickets), CHUNK):
        conn.execute(delete(P).where(P.c.ticket.in_(tickets[start:start + CHUNK])))
    for start in range(0, len(rows), CHUNK):
        conn.execute(insert(P), list(rows[start:start + CHUNK]))


def purge_photos(conn: Connection) -> int:
    """Remove every photo; the number removed."""
    return conn.execute(delete(P)).rowcount or 0


def counts(conn: Connection) -> tuple[int, int, int]:
    """(candidates, candidates with a photo, photos of tickets no longer in the roster)."""
    total = conn.execute(select(func.count()).select_from(candidates)).scalar_one()
    with_photo = conn.execute(select(func.count()).select_from(P.join(candidates, candidates.c.ticket == P.c.ticket))).scalar_one()
    stored = conn.execute(select(func.count()).select_from(P)).scalar_one()
    return total, with_photo, stored - with_photo


def reclaim_space(store: Store) -> str | None:
    """After a purge: rewrite the store so the photos' old pages leave the disk; why not, or None.

    SQLite keeps deleted rows in free pages and in the WAL until VACUUM and a truncating checkpoint;
    PostgreSQL keeps dead tuples until VACUUM FULL rewrites the table.
    """
    try:
        if store.is_sqlite:
            raw = store.engine.raw_connection()
            try:
                raw.driver_connection.execute("VACUUM")
                raw.driver_connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            finally:
                raw.close()
        else:
            with store.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.exec_driver_sql("VACUUM FULL photos")
    except Exception as exc:  # noqa: BLE001 - sqlite3's or the server's refusal, reported to the chief who can run it by hand
        return describe_failure(exc)
    return None


def live_photo_digests(conn: Connection) -> dict[str, str]:
    """Ticket → SHA-256 of the bytes stored now (not the digest column, which an editor could set too)."""
    import hashlib

    return {row.ticket: hashlib.sha256(row.data).hexdigest() for row in photo_rows(conn)}
