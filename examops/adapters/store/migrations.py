"""Migrations: an ordered list of named steps and a table of the names applied."""

from __future__ import annotations

from typing import Callable

from sqlalchemy import Connection, select

from examops.adapters.store.schema import admissions, candidates, events, rooms, schema_migrations, seats, sessions, settings


def _create_core(conn: Connection) -> None:
    # Indexes bound to these tables are created with them.
    for table in (settings, sessions, rooms, candidates, seats, events, admissions):
        table.create(conn)


MIGRATIONS: list[tuple[str, Callable[[Connection], None]]] = [
    ("0001_core", _create_core),
]


def applied_migrations(conn: Connection) -> set[str]:
    return {row.name for row in conn.execute(select(schema_migrations.c.name))}
