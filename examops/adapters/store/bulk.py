"""The bulk loader: rows straight to the driver in multi-row INSERTs, secondary indexes rebuilt after a big load.

Used by the roster import and by the offline lane cache's roster copy.
"""

from __future__ import annotations

from itertools import chain
from typing import Sequence

from sqlalchemy import Connection, Table

from examops.adapters.store.schema import ROSTER_INDEXES

ROWS_PER_STATEMENT = 500  # 500 x 6 columns stays far below SQLite's 32,766 and PostgreSQL's 65,535 parameters


def bulk_insert(conn: Connection, table: Table, columns: Sequence[str], rows: Sequence[tuple]) -> None:
    """Rows straight to the driver, one multi-row INSERT per chunk of `ROWS_PER_STATEMENT`.

    SQLAlchemy's per-row parameter handling costs more than SQLite's insert, and one statement of 500 rows
    costs SQLite (and PostgreSQL) a fraction of 500 single-row executions of a prepared one.
    """
    if not rows:
        return
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    one_row = f"({', '.join(mark for _ in columns)})"
    head = f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES "
    full = head + ", ".join([one_row] * ROWS_PER_STATEMENT)  # the same text each time: the driver keeps it prepared
    cursor = conn.connection.driver_connection.cursor()
    try:
        for start in range(0, len(rows), ROWS_PER_STATEMENT):
            chunk = rows[start:start + ROWS_PER_STATEMENT]
            sql = full if len(chunk) == ROWS_PER_STATEMENT else head + ", ".join([one_row] * len(chunk))
            cursor.execute(sql, list(chain.from_iterable(chunk)))
    finally:
        cursor.close()


def drop_roster_indexes(conn: Connection) -> None:
    """Before a bulk roster load: building the indexes from all rows at once afterwards is several times faster."""
    for index in ROSTER_INDEXES:
        index.drop(conn)


def create_roster_indexes(conn: Connection) -> None:
    for index in ROSTER_INDEXES:
        index.create(conn)
