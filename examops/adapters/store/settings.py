"""The `settings` table: the plan, policy, PIN hash, chain anchors and other named values."""

from __future__ import annotations

from sqlalchemy import Connection, bindparam, delete, insert, select

from examops.adapters.store.schema import settings

READ = select(settings.c.value).where(settings.c.key == bindparam("key"))
"""One setting's value: compiled for the one-shot lane too (`store.compiled`)."""


def read_setting(conn: Connection, key: str) -> str | None:
    return conn.execute(READ, {"key": key}).scalar()


def put_setting(conn: Connection, key: str, value: str) -> None:
    conn.execute(settings.delete().where(settings.c.key == key))
    conn.execute(insert(settings).values(key=key, value=value))


def delete_setting(conn: Connection, key: str) -> None:
    conn.execute(delete(settings).where(settings.c.key == key))
