"""The bulk loader: rows straight to the driver in multi-row INSERTs, secondary indexes rebuilt after a big load.

Used by the roster import and by the offline lane cache's roster copy. The chunking is `roster_rows.insert_rows`,
shared with the SQLAlchemy-free SQLite import.
"""

from __future__ import annotations

from typing import Sequence

from sqlalchemy import Connection, Table

from examops.adapters.roster_rows import ROWS_PER_STATEMENT, insert_rows
from examops.adapters.store.schema import ROSTER_INDEXES

__all__ = ["ROWS_PER_STATEMENT", "bulk_insert", "create_roster_indexes", "drop_roster_indexes"]


def bulk_insert(conn: Connection, table: Table, columns: Sequence[str], rows: Sequence[tuple]) -> None:
    """Rows straight to the driver, one multi-row INSERT per chunk of `ROWS_PER_STATEMENT` (`insert_rows`)."""
    if not rows:
        return
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    cursor = conn.connection.driver_connection.cursor()
    try:
        insert_rows(cursor, f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ", len(columns), rows, mark)
    finally:
        cursor.close()


def drop_roster_indexes(conn: Connection) -> None:
    """Before a bulk roster load: building the indexes from all rows at once afterwards is several times faster."""
    for index in ROSTER_INDEXES:
        index.drop(conn)


def create_roster_indexes(conn: Connection) -> None:
    for index in ROSTER_INDEXES:
        index.create(conn)
