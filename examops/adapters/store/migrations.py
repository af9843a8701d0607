"""Migrations: an ordered list of named steps and a table of the names applied."""

from __future__ import annotations

from typing import Callable

from sqlalchemy import Connection, inspect, select

from examops.adapters.store.schema import (
    admissions,
    candidates,
    events,
    photos,
    rooms,
    schema_migrations,
    seats,
    sessions,
    settings,
)


def _create_core(conn: Connection) -> None:
    # Indexes bound to these tables are created with them.
    for table in (settings, sessions, rooms, candidates, seats, events, admissions):
        table.create(conn)


def _event_signatures(conn: Connection) -> None:
    """Stores made before events were signed gain the columns; their old events stay unsigned."""
    present = {column["name"] for column in inspect(conn).get_columns("events")}
    for name, width in (("signer", 60), ("signature", 100)):
        if name not in present:
            conn.exec_driver_sql(f"ALTER TABLE events ADD COLUMN {name} VARCHAR({width})")


# A seatbelt, not the guarantee (the signatures are): the log refuses UPDATE and DELETE.
_SQLITE_APPEND_ONLY = (
    "CREATE TRIGGER events_no_update BEFORE UPDATE ON events BEGIN "
    "SELECT RAISE(ABORT, 'examops: events are append-only'); END",
    "CREATE TRIGGER events_no_delete BEFORE DELETE ON events BEGIN "
    "SELECT RAISE(ABORT, 'examops: events are append-only'); END",
)
_PG_APPEND_ONLY = (
    "CREATE OR REPLACE FUNCTION examops_append_only() RETURNS trigger LANGUAGE plpgsql AS "
    "$$ BEGIN RAISE EXCEPTION 'examops: events are append-only'; END $$",
    "CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON events "
    "FOR EACH ROW EXECUTE FUNCTION examops_append_only()",
)


def _append_only(conn: Connection) -> None:
    for statement in (_SQLITE_APPEND_ONLY if conn.dialect.name == "sqlite" else _PG_APPEND_ONLY):
        conn.exec_driver_sql(statement)


def _photos(conn: Connection) -> None:
    photos.create(conn, checkfirst=True)


MIGRATIONS: list[tuple[str, Callable[[Connection], None]]] = [
    ("0001_core", _create_core),
    ("0002_event_signatures", _event_signatures),
    ("0003_events_append_only", _append_only),
    ("0004_photos", _photos),
]


def applied_migrations(conn: Connection) -> set[str]:
    return {row.name for row in conn.execute(select(schema_migrations.c.name))}
