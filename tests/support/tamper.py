"""What an insider with the store's SQL login does first: take the append-only seatbelt off the events table."""

from __future__ import annotations


def drop_append_only(conn) -> None:  # noqa: ANN001
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("DROP TRIGGER IF EXISTS events_no_update")
        conn.exec_driver_sql("DROP TRIGGER IF EXISTS events_no_delete")
    else:
        conn.exec_driver_sql("DROP TRIGGER IF EXISTS events_append_only ON events")
