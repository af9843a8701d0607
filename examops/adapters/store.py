"""The store: SQLite by default, PostgreSQL for several lanes; one code path (SQLAlchemy Core).

Durability rules live here: SQLite runs in WAL with synchronous=FULL, every
write is one `BEGIN IMMEDIATE` transaction, and a write that fails becomes a
`WriteFailed` whose message a lane can show as NOT RECORDED.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Iterator

from sqlalchemy import Connection, Engine, create_engine, event, func, insert, make_url, select
from sqlalchemy.exc import DatabaseError, DBAPIError, IntegrityError, OperationalError

from examops import locations
from examops.adapters import schema
from examops.domain.events import GENESIS, Event, seal

BUSY_TIMEOUT_MS = 5000
ANCHOR_PREFIX = "chain_anchor:"


class StoreError(Exception):
    """A store problem told in words a clerk can act on."""


class StoreMissing(StoreError):
    pass


class WriteFailed(StoreError):
    """Nothing was recorded: the transaction was rolled back."""


class ServerUnreachable(WriteFailed):
    """Nothing was recorded because the shared store's server did not answer (down, restarting, network gone)."""


def _is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


def _sqlite_path(url: str) -> Path | None:
    prefix = "sqlite:///"
    if url.startswith(prefix) and url[len(prefix):] not in ("", ":memory:"):
        return Path(url[len(prefix):])
    return None


def _prepare_sqlite_file(path: Path) -> None:
    """Create the store file readable only by its owner (rosters are a fraud target)."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    if not path.exists():
        fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
        os.close(fd)


# A lane must learn within seconds that the server is gone, not after TCP's minutes of retries.
PG_CONNECT_DEFAULTS = {"connect_timeout": 4, "keepalives": 1, "keepalives_idle": 10, "keepalives_interval": 3,
                       "keepalives_count": 3, "tcp_user_timeout": 10_000}
# Server states that mean "not answering" rather than "refused": admin/crash shutdown, starting up.
UNREACHABLE_SQLSTATES = ("57P01", "57P02", "57P03")


def _make_engine(url: str) -> Engine:
    if not _is_sqlite(url):
        parsed = make_url(url)
        connect_args = {}
        if parsed.get_backend_name() == "postgresql" and parsed.get_driver_name() in ("psycopg", "psycopg2"):
            connect_args = {k: v for k, v in PG_CONNECT_DEFAULTS.items() if k not in parsed.query}
        return create_engine(url, pool_pre_ping=True, future=True, connect_args=connect_args)
    engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):  # noqa: ANN001
        # Take transactions into our own hands so BEGIN IMMEDIATE means what it says.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        mode = "IMMEDIATE" if conn.get_execution_options().get("immediate") else "DEFERRED"
        conn.exec_driver_sql(f"BEGIN {mode}")

    return engine


def describe_failure(exc: BaseException) -> str:
    """Turn a database error into a sentence for the lane."""
    message = str(getattr(exc, "orig", exc)).lower()
    if "disk" in message and "full" in message or "no space" in message:
        return "the disk is full: free space on the store's disk"
    if "readonly" in message or "read-only" in message:
        return "the store is read-only: check the file's permissions or the disk"
    if "locked" in message or "busy" in message:
        return "the store was locked too long by another process"
    if "connection" in message or "server closed" in message or "could not connect" in message:
        return "the shared store does not answer"
    return f"the store refused the write ({str(getattr(exc, 'orig', exc)).strip()[:200]})"


def _server_unreachable(exc: BaseException) -> bool:
    """True when a shared store's server did not answer; False when it answered with a refusal (a constraint, a full disk)."""
    if not isinstance(exc, DBAPIError):
        return False
    if exc.connection_invalidated:
        return True
    if not isinstance(exc, OperationalError):
        return False
    sqlstate = getattr(exc.orig, "sqlstate", None) or getattr(exc.orig, "pgcode", None)
    if sqlstate is None:  # raised by the client library itself: no connection, or it broke
        return True
    return sqlstate.startswith("08") or sqlstate in UNREACHABLE_SQLSTATES


class Store:
    """An open store. Reads and writes go through `read()` and `write()`."""

    def __init__(self, engine: Engine, url: str):
        self.engine = engine
        self.url = url
        self.is_sqlite = _is_sqlite(url)

    @property
    def location(self) -> str:
        return locations.describe(self.url)

    @classmethod
    def open(cls, url: str | None = None, *, create: bool = False, check: bool = True) -> "Store":
        """Open the store; `create` makes and migrates it, `check` runs the integrity check."""
        url = locations.store_url(url)
        path = _sqlite_path(url)
        if path is not None:
            if not path.exists() and not create:
                raise StoreMissing(f"no store at {path}: run `examops init --plan PLAN.toml` first (or `examops demo`)")
            _prepare_sqlite_file(path)
        try:
            store = cls(_make_engine(url), url)
            if check and path is not None:
                store.integrity_check()
            store.migrate(create=create)
        except DatabaseError as exc:
            raise StoreError(f"cannot open the store at {locations.describe(url)}: {describe_failure(exc)}") from None
        return store

    def close(self) -> None:
        self.engine.dispose()

    def integrity_check(self) -> None:
        try:
            with self.engine.connect() as conn:
                result = [row[0] for row in conn.exec_driver_sql("PRAGMA integrity_check")]
        except DatabaseError as exc:
            result = [str(exc.orig)]
        if result != ["ok"]:
            raise StoreError(f"the store at {self.location} is damaged: {'; '.join(result[:5])}. Restore it from a backup.")

    def migrate(self, *, create: bool = True) -> list[str]:
        """Apply missing migrations in order; return the names applied."""
        with self.write() as conn:
            schema.schema_migrations.create(conn, checkfirst=True)
            done = schema.applied_migrations(conn)
            if not done and not create and self.is_sqlite:
                raise StoreMissing(f"the store at {self.location} is empty: run `examops init --plan PLAN.toml` first")
            applied = []
            for name, step in schema.MIGRATIONS:
                if name in done:
                    continue
                step(conn)
                conn.execute(insert(schema.schema_migrations).values(name=name, applied_at=utc_now()))
                applied.append(name)
        return applied

    @contextmanager
    def read(self) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            yield conn

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """One durable transaction; any failure is rolled back and raised as WriteFailed."""
        try:
            with self.engine.connect().execution_options(immediate=True) as conn:
                with conn.begin():
                    yield conn
        except IntegrityError:
            raise
        except (OperationalError, DBAPIError) as exc:
            # SQLite keeps a file it opened read-only read-only: without fresh connections
            # the lane would stay NOT RECORDED after the fault is fixed.
            self.engine.dispose()
            if self.unreachable(exc):
                raise ServerUnreachable(describe_failure(exc)) from exc
            raise WriteFailed(describe_failure(exc)) from exc

    def unreachable(self, exc: BaseException) -> bool:
        """A failure of this store that means its server does not answer (never for a SQLite file)."""
        return not self.is_sqlite and _server_unreachable(exc)

    # -- settings -------------------------------------------------------
    def get_setting(self, key: str, conn: Connection | None = None) -> str | None:
        query = select(schema.settings.c.value).where(schema.settings.c.key == key)
        if conn is not None:
            return conn.execute(query).scalar()
        with self.read() as own:
            return own.execute(query).scalar()

    @staticmethod
    def put_setting(conn: Connection, key: str, value: str) -> None:
        conn.execute(schema.settings.delete().where(schema.settings.c.key == key))
        conn.execute(insert(schema.settings).values(key=key, value=value))

    # -- events ---------------------------------------------------------
    @staticmethod
    def append(conn: Connection, event: Event) -> tuple[Event, bool]:
        """Seal and insert `event` at the end of its device's chain.

        Returns (stored event, inserted). An event whose id is already stored is
        not written again: the id is the idempotency key.
        """
        existing = conn.execute(select(schema.events).where(schema.events.c.id == event.id)).first()
        if existing is not None:
            return row_to_event(existing), False
        seq, prev = Store.head(conn, event.device)
        seq += 1
        sealed = seal(replace(event, device_seq=seq), prev)
        conn.execute(insert(schema.events).values(**event_to_row(sealed)))
        return sealed, True

    @staticmethod
    def head(conn: Connection, device: str) -> tuple[int, str]:
        """The last (device_seq, hash) of a device's chain here, or its anchor if that is further on.

        A lane that goes offline keeps its chain in a local store whose first
        event links to the anchor: the last event the shared store holds.
        """
        row = conn.execute(
            select(schema.events.c.device_seq, schema.events.c.hash)
            .where(schema.events.c.device == device)
            .order_by(schema.events.c.device_seq.desc())
            .limit(1)
        ).first()
        seq, prev = (row.device_seq, row.hash) if row else (0, GENESIS)
        anchor_seq, anchor_hash = Store.head_anchor(conn, device)
        return (anchor_seq, anchor_hash) if anchor_seq > seq else (seq, prev)

    @staticmethod
    def head_anchor(conn: Connection, device: str) -> tuple[int, str]:
        """The anchor a device's local chain links on from: (0, GENESIS) when none."""
        anchor = conn.execute(select(schema.settings.c.value).where(schema.settings.c.key == ANCHOR_PREFIX + device)).scalar()
        if not anchor:
            return 0, GENESIS
        seq, hash_ = anchor.split(":", 1)
        return int(seq), hash_

    @staticmethod
    def set_anchor(conn: Connection, device: str, seq: int, hash_: str) -> None:
        Store.put_setting(conn, ANCHOR_PREFIX + device, f"{seq}:{hash_}")

    @staticmethod
    def insert_sealed(conn: Connection, event: Event) -> None:
        """Insert an event sealed elsewhere, as it is (the caller has checked its link)."""
        conn.execute(insert(schema.events).values(**event_to_row(event)))

    def count_events(self) -> int:
        with self.read() as conn:
            return conn.execute(select(func.count()).select_from(schema.events)).scalar_one()


def utc_now() -> str:
    return format_utc(dt.datetime.now(dt.timezone.utc))


def format_utc(moment: dt.datetime) -> str:
    return moment.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def event_to_row(event: Event) -> dict:
    return {
        "id": event.id,
        "kind": event.kind,
        "at": event.at,
        "device": event.device,
        "device_seq": event.device_seq,
        "session_id": event.session,
        "ticket": event.ticket,
        "lane": event.lane,
        "staff": event.staff,
        "payload": json.dumps(dict(event.payload), ensure_ascii=False, sort_keys=True),
        "prev_hash": event.prev_hash,
        "hash": event.hash,
    }


def row_to_event(row) -> Event:  # noqa: ANN001
    return Event(
        id=row.id,
        kind=row.kind,
        at=row.at,
        device=row.device,
        device_seq=row.device_seq,
        session=row.session_id,
        ticket=row.ticket,
        lane=row.lane,
        staff=row.staff,
        payload=json.loads(row.payload),
        prev_hash=row.prev_hash,
        hash=row.hash,
    )

