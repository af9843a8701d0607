"""The bulk loader: rows straight to the driver's executemany, secondary indexes rebuilt after a big load.

Used by the roster import and by the offline lane cache's roster copy.
"""

from __future__ import annotations

from typing import Sequence

from sqlalchemy import Connection, Table

from examops.adapters.store.schema import ROSTER_INDEXES


def bulk_insert(conn: Connection, table: Table, columns: Sequence[str], rows: Sequence[tuple]) -> None:
    """executemany straight on the driver: SQLAlchemy's per-row parameter handling costs more than SQLite's insert."""
    if not rows:
        return
    style = conn.dialect.paramstyle
    marks = ", ".join("?" if style == "qmark" else "%s" for _ in columns)
    sql = f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({marks})"
    cursor = conn.connection.driver_connection.cursor()
    try:
        cursor.executemany(sql, rows)
    finally:
        cursor.close()


def drop_roster_indexes(conn: Connection) -> None:
    """Before a bulk roster load: building the indexes from all rows at once afterwards is several times faster."""
    for index in ROSTER_INDEXES:
        index.drop(conn)


def create_roster_indexes(conn: Connection) -> None:
    for index in ROSTER_INDEXES:
        index.create(conn)
