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
    site_secrets,
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


OLD_SIGNING_KEY = "site_signing_key"
RETIRED_KEYS = "site_retired_keys"


def _site_key_out_of_store(conn: Connection) -> None:
    """The report key's private half used to sit in `settings`, where every database login could read it.

    It is deleted, and its public key is kept as retired (reports it signed still witness this store,
    a trust list can drop it); `init` at the chief's desk makes a new key that lives only there.
    """
    pem = conn.execute(select(settings.c.value).where(settings.c.key == OLD_SIGNING_KEY)).scalar()
    if pem is None:
        return
    from examops.adapters.signing import public_key_b64

    retired = conn.execute(select(settings.c.value).where(settings.c.key == RETIRED_KEYS)).scalar()
    keys = [k for k in (retired or "").split() if k] + [public_key_b64(pem)]
    conn.execute(settings.delete().where(settings.c.key.in_((OLD_SIGNING_KEY, RETIRED_KEYS))))
    conn.execute(settings.insert().values(key=RETIRED_KEYS, value="\n".join(keys)))


def _site_secrets(conn: Connection) -> None:
    """The PIN hash and its refusal count move to their own table, which the lanes' login cannot read (PostgreSQL)."""
    from examops.adapters.store import secrets
    from examops.domain.pin import FREE_GUESSES, MAX_DELAY_SECONDS

    site_secrets.create(conn, checkfirst=True)
    for key, value in conn.execute(select(settings.c.key, settings.c.value).where(settings.c.key.in_(secrets.KEYS))).all():
        secrets.put_secret(conn, key, value)
    conn.execute(settings.delete().where(settings.c.key.in_(secrets.KEYS)))
    if conn.dialect.name == "postgresql":
        schema = conn.exec_driver_sql("SELECT current_schema()").scalar()
        for statement in secrets.pg_functions(schema, FREE_GUESSES, MAX_DELAY_SECONDS):
            conn.exec_driver_sql(statement)
        conn.exec_driver_sql("REVOKE ALL ON site_secrets FROM PUBLIC")


MIGRATIONS: list[tuple[str, Callable[[Connection], None]]] = [
    ("0001_core", _create_core),
    ("0002_event_signatures", _event_signatures),
    ("0003_events_append_only", _append_only),
    ("0004_photos", _photos),
    ("0005_site_key_out_of_store", _site_key_out_of_store),
    ("0006_site_secrets", _site_secrets),
]


APPLIED = select(schema_migrations.c.name)
"""The migrations a store has: compiled for the one-shot lane too (`store.compiled`)."""


def applied_migrations(conn: Connection) -> set[str]:
    return {row.name for row in conn.execute(APPLIED)}
