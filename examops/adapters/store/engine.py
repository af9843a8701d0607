"""The engine and the open store: SQLite by default, PostgreSQL for several lanes; one code path (SQLAlchemy Core).

Durability rules live here: SQLite runs in WAL with synchronous=FULL, every
write is one `BEGIN IMMEDIATE` transaction, and a write that fails becomes a
`WriteFailed` whose message a lane can show as NOT RECORDED.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
import time
import weakref
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from sqlalchemy import Connection, Engine, create_engine, event, insert, make_url
from sqlalchemy.exc import DatabaseError, DBAPIError, IntegrityError, OperationalError

from examops import locations
from examops.adapters import quick_check
from examops.adapters.failure_words import is_lock_timeout
from examops.adapters.sqlite_file import BUSY_TIMEOUT_MS, CONNECT_PRAGMAS
from examops.adapters.store import events, migrations, schema, secrets, settings
from examops.adapters.store.errors import (
    ServerUnreachable,
    StoreError,
    StoreLocked,
    StoreMissing,
    StoreReplaced,
    WriteFailed,
    describe_failure,
    server_unreachable,
)
from examops.domain.events import format_utc
from examops.domain.said import N_, Said, said

STORE_ID_KEY = "store_id"
FRESH_NS = 2_000_000_000
WRITTEN_HEADS = "examops_written_heads"  # conn.info key: chain heads appended in the open transaction


def _is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


_sqlite_path = quick_check.sqlite_path


def _prepare_sqlite_file(path: Path) -> None:
    """Create the store file readable only by its owner (rosters are a fraud target)."""
    locations.private_dir(path.parent)
    if not path.exists():
        fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
        os.close(fd)


def read_only_reason(path: Path) -> Said | None:
    """Why the store at `path` cannot be written (a read-only disk or file), or None."""
    try:
        if os.statvfs(path.parent).f_flag & os.ST_RDONLY:
            return said(N_("the disk holding {path} is mounted read-only"), path=path)
    except OSError:
        return None
    if path.exists() and not os.access(path, os.W_OK):
        return said(N_("the store file {path} is read-only"), path=path)
    if not os.access(path.parent, os.W_OK):
        return said(N_("the folder {path} is read-only (SQLite writes its journal beside the store)"), path=path.parent)
    return None


def _read_only_error(path: Path | None, reason: Said) -> StoreError:
    return StoreError(said(N_("{reason}: nothing can be recorded there. Make it writable (check the permissions, "
                              "or remount the disk read-write); the store itself is not damaged"), reason=reason))


def _file_identity(path: Path | None) -> tuple[int, int] | None:
    if path is None:
        return None
    info = os.stat(path)
    return info.st_dev, info.st_ino


# A lane must learn within seconds that the server is gone, not after TCP's minutes of retries.
PG_CONNECT_DEFAULTS = {"connect_timeout": 4, "keepalives": 1, "keepalives_idle": 10, "keepalives_interval": 3,
                       "keepalives_count": 3, "tcp_user_timeout": 10_000}


def _settle_psycopg_integers() -> None:
    """psycopg's first integer dump in a process imports numpy when 'numpy' is in sys.modules; while another thread is
    importing numpy (openpyxl, textual-image) that fails inside psycopg ("'NoneType' object has no attribute 'integer'").
    Made once here, on the thread opening the store, before any of the store's threads run."""
    from psycopg import sql

    sql.Literal(1).as_bytes(None)


def _make_engine(url: str) -> Engine:
    if not _is_sqlite(url):
        parsed = make_url(url)
        connect_args = {}
        if parsed.get_backend_name() == "postgresql" and parsed.get_driver_name() in ("psycopg", "psycopg2"):
            connect_args = {k: v for k, v in PG_CONNECT_DEFAULTS.items() if k not in parsed.query}
        if parsed.get_driver_name() == "psycopg":
            _settle_psycopg_integers()
        return create_engine(url, pool_pre_ping=True, future=True, connect_args=connect_args)
    engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):  # noqa: ANN001
        # Take transactions into our own hands so BEGIN IMMEDIATE means what it says.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        for pragma in CONNECT_PRAGMAS:  # WAL, synchronous=FULL, busy timeout, foreign keys (as the one-shot lane's)
            cursor.execute(pragma)
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        mode = "IMMEDIATE" if conn.get_execution_options().get("immediate") else "DEFERRED"
        conn.exec_driver_sql(f"BEGIN {mode}")

    return engine


class Store:
    """An open store. Reads and writes go through `read()` and `write()`."""

    def __init__(self, engine: Engine, url: str):
        self.engine = engine
        self.url = url
        self.is_sqlite = _is_sqlite(url)
        self._device_key = None
        self._store_id: str | None = None
        self._witness = None  # this laptop's witness file, held in memory once read
        self._checking: quick_check.QuickCheck | None = None  # a quick_check still running
        self._damage: StoreError | None = None  # what that check found: no write goes in
        self._group: tuple[int, Connection] | None = None  # (thread, connection) of an open group()
        self._savepoints = 0  # depth of writes open inside the group
        self.held_connections = weakref.WeakSet()
        """Connections lanes keep for their scan path (pg_scan_path), closed with the store."""
        self.path = _sqlite_path(url)
        self.identity = _file_identity(self.path)
        """Device and inode of the file opened: a write refuses once the path names another file, or none."""

    def check_identity(self) -> None:
        """Refuse to go on when the store file was deleted, moved or replaced under this process (one stat call)."""
        if self.identity is None:
            return
        try:
            now = os.stat(self.path)
        except FileNotFoundError:
            raise StoreReplaced(said(N_("the store file {path} was deleted or moved away while this lane ran; nothing more "
                                        "can be recorded into it: stop, put the store back, and start the lane again"),
                                     path=self.path)) from None
        if (now.st_dev, now.st_ino) != self.identity:
            raise StoreReplaced(said(N_("the file at {path} is no longer the store this lane opened (it was replaced or "
                                        "moved); nothing more is recorded: stop, check which file is the store, and start "
                                        "the lane again"), path=self.path))

    def file_state(self) -> list | None:
        """What the file system says of the SQLite store's bytes: inode, size, modification and change times (the
        change time is the kernel's: no owner can set it back), the WAL's too while it holds frames. Any write to the
        store changes it; None on a server's store."""
        if self.path is None:
            return None
        try:
            main = os.stat(self.path)
        except OSError:
            return None
        state = [main.st_ino, main.st_size, main.st_mtime_ns, main.st_ctime_ns]
        try:
            wal = os.stat(f"{self.path}-wal")
        except FileNotFoundError:
            return state
        if wal.st_size:
            # SQLite running as root chowns the WAL at every open, which sets its change time: as root (and only root
            # can write a root's store) the WAL's change time says nothing.
            state += [wal.st_ino, wal.st_size, wal.st_mtime_ns, wal.st_ctime_ns if os.geteuid() else 0]
        # Times the file system keeps to a clock tick: a write in the same tick as the last one could leave the same
        # times (and size). A store written in the last 2 s has no state yet; once quiet, a later write shows.
        if time.time_ns() - max(state[2], state[3], *state[6:8]) < FRESH_NS:
            return None
        return state

    @property
    def location(self) -> str:
        return locations.describe(self.url)

    @classmethod
    def open(cls, url: str | None = None, *, create: bool = False, check: bool = True, check_meanwhile: bool = False) -> "Store":
        """Open the store; `create` makes and migrates it, `check` runs SQLite's quick check (`verify` runs the full one).

        `check_meanwhile`: the quick check runs in a thread (SQLite works on it without the GIL) while the caller reads
        and draws; the first write waits for its answer, and none goes into a store it finds damaged."""
        url = locations.store_url(url)
        path = _sqlite_path(url)
        if path is not None:
            if not path.exists() and not create:
                raise StoreMissing(said(N_("no store at {path}: run `examops init --plan PLAN.toml` first (or `examops demo`)"),
                                        path=path))
            _prepare_sqlite_file(path)
        try:
            store = cls(_make_engine(url), url)
            begun = quick_check.take(path) if path is not None and check_meanwhile else None  # by the CLI, early
            meanwhile = check and path is not None and check_meanwhile and not create and not store.migrations_missing()
            if meanwhile:
                store.start_quick_check(begun)  # every migration is there: opening writes nothing
            else:
                if check and begun is not None:
                    store._judge(begun.wait())
                elif check and path is not None:
                    store.integrity_check(full=False)  # quick_check: pages and records, no index cross-check (verify does it)
                store.migrate(create=create)
        except DatabaseError as exc:
            reason = read_only_reason(path) if path is not None else None
            if reason:
                raise _read_only_error(path, reason) from None
            raise StoreError(said(N_("cannot open the store at {store}: {reason}"), store=locations.describe(url),
                                  reason=describe_failure(exc))) from None
        return store

    def close(self) -> None:
        if self._checking is not None:
            self._checking.wait()  # a quick check still reading: let it finish before the connections go
        for held in list(self.held_connections):
            held.close()
        self.engine.dispose()

    def integrity_check(self, *, full: bool = True) -> None:
        """SQLite's integrity_check (`full`), or its quick_check: the same page and record checks, without
        matching every index against its table, in a fraction of the time (what opening a store runs)."""
        pragma = "PRAGMA integrity_check" if full else "PRAGMA quick_check"
        try:
            with self.engine.connect() as conn:
                result = [row[0] for row in conn.exec_driver_sql(pragma)]
        except DatabaseError as exc:
            result = [str(exc.orig)]
        self._judge(result)

    def _judge(self, result: list[str]) -> None:
        """A check's rows: nothing for ["ok"], else StoreError (read-only said as such, not as damage)."""
        if result != ["ok"]:
            reason = read_only_reason(self.path) if self.path is not None else None
            if reason:
                raise _read_only_error(self.path, reason)
            raise StoreError(said(N_("the store at {store} is damaged: {detail}. Restore it from a backup."), store=self.location,
                                  detail="; ".join(result[:5])))

    def start_quick_check(self, begun: quick_check.QuickCheck | None = None) -> None:
        """The quick check in a thread, on the driver (or the one `begun` early on this file); `write()` waits for it
        (`await_check`)."""
        self._checking = begun or quick_check.QuickCheck(self.path)

    def await_check(self) -> None:
        """Wait for a quick check still running; a store it found damaged refuses every write (WriteFailed)."""
        if self._checking is not None:
            result = self._checking.wait()
            self._checking = None
            try:
                self._judge(result)
            except StoreError as exc:
                self._damage = exc
        if self._damage is not None:
            raise WriteFailed(self._damage.said)

    def migrations_missing(self) -> bool:
        """True when the store lacks a migration (or the table of them): opening must then write, so check first."""
        try:
            with self.read() as conn:
                done = migrations.applied_migrations(conn)
        except DatabaseError:
            return True
        return any(name not in done for name, _step in migrations.MIGRATIONS)

    def migrate(self, *, create: bool = True) -> list[str]:
        """Apply missing migrations in order; return the names applied."""
        with self.write() as conn:
            schema.schema_migrations.create(conn, checkfirst=True)
            done = migrations.applied_migrations(conn)
            if not done and not create and self.is_sqlite:
                raise StoreMissing(said(N_("the store at {store} is empty: run `examops init --plan PLAN.toml` first"),
                                         store=self.location))
            applied = []
            for name, step in migrations.MIGRATIONS:
                if name in done:
                    continue
                step(conn)
                conn.execute(insert(schema.schema_migrations).values(name=name, applied_at=utc_now()))
                applied.append(name)
        return applied

    @contextmanager
    def read(self, *, snapshot: bool = False) -> Iterator[Connection]:
        """A connection for reading; `snapshot`: every statement sees the same log (SQLite's read transaction
        does; PostgreSQL's default, READ COMMITTED, lets each statement see later commits)."""
        self.check_identity()  # a new connection to a missing path would make an empty store there
        with self.engine.connect() as conn:
            if snapshot and not self.is_sqlite:
                conn = conn.execution_options(isolation_level="REPEATABLE READ")
            yield conn

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """One durable transaction; any failure is rolled back and raised as WriteFailed.

        The store file's identity is checked before and again just before commit: a write into a
        file that was deleted or replaced under the lane would be acknowledged and then lost.
        Inside this thread's `group()` the write is a savepoint of the group's transaction instead.
        """
        self.await_check()
        grouped = self._group
        if grouped is not None and grouped[0] == threading.get_ident():
            yield from self._grouped_write(grouped[1])
            return
        self.check_identity()
        try:
            with self.engine.connect().execution_options(immediate=True) as conn:
                conn.info[WRITTEN_HEADS] = {}
                with conn.begin():
                    yield conn
                    self.check_identity()
                written = conn.info.pop(WRITTEN_HEADS, {})
            if written:
                self.witness(written)
        except IntegrityError:
            raise
        except (OperationalError, DBAPIError) as exc:
            raise self._write_failed(exc) from exc

    @contextmanager
    def group(self) -> Iterator[None]:
        """This thread's writes inside are one transaction, committed once at the end (group commit).

        A burst of scans then costs one fsync rather than one each. Each `write()` inside is a savepoint, so a
        failing write leaves the others standing; nothing inside is durable until the block has exited without
        raising (WriteFailed if the commit fails), so whoever acknowledges a write inside must wait for that.
        Only a SQLite store groups (one writer holds the file's lock for the group); elsewhere each write commits.
        """
        if not self.is_sqlite or self._group is not None:
            yield
            return
        self.await_check()
        self.check_identity()
        try:
            with self.engine.connect().execution_options(immediate=True) as conn:
                conn.info[WRITTEN_HEADS] = {}
                self._group = (threading.get_ident(), conn)
                try:
                    with conn.begin():
                        yield
                        self.check_identity()
                finally:
                    self._group = None
                written = conn.info.pop(WRITTEN_HEADS, {})
            if written:
                self.witness(written)
        except (OperationalError, DBAPIError) as exc:
            raise self._write_failed(exc) from exc

    def _grouped_write(self, conn: Connection) -> Iterator[Connection]:
        """A write inside a group: a savepoint, issued on the driver (SQLAlchemy's own costs more than the scan)."""
        heads_before = dict(conn.info.get(WRITTEN_HEADS, {}))
        driver = conn.connection.driver_connection
        self._savepoints += 1
        name = f"examops_write_{self._savepoints}"
        driver.execute(f"SAVEPOINT {name}")
        try:
            yield conn
        except BaseException as exc:
            driver.execute(f"ROLLBACK TO {name}")
            driver.execute(f"RELEASE {name}")
            conn.info[WRITTEN_HEADS] = heads_before  # the savepoint's heads were rolled back with it
            if isinstance(exc, IntegrityError) or not isinstance(exc, (OperationalError, DBAPIError)):
                raise
            raise self._write_failed(exc, dispose=False) from exc
        else:
            driver.execute(f"RELEASE {name}")
        finally:
            self._savepoints -= 1

    def _write_failed(self, exc: BaseException, *, dispose: bool = True) -> StoreError:
        """A failed write as the lane says it: the server is gone, the file is read-only, or what SQLite said."""
        if dispose:
            # SQLite keeps a file it opened read-only read-only: without fresh connections
            # the lane would stay NOT RECORDED after the fault is fixed.
            self.engine.dispose()
        if self.unreachable(exc):
            return ServerUnreachable(describe_failure(exc))
        reason = read_only_reason(self.path) if self.path is not None else None
        if reason:
            return WriteFailed(said(N_("{reason}: make it writable; the store is not damaged"), reason=reason))
        if is_lock_timeout(exc):
            return StoreLocked(describe_failure(exc))
        return WriteFailed(describe_failure(exc))

    def unreachable(self, exc: BaseException) -> bool:
        """A failure of this store that means its server does not answer (never for a SQLite file)."""
        return not self.is_sqlite and server_unreachable(exc)

    # -- settings -------------------------------------------------------
    def get_setting(self, key: str, conn: Connection | None = None) -> str | None:
        if conn is not None:
            return settings.read_setting(conn, key)
        with self.read() as own:
            return settings.read_setting(own, key)

    put_setting = staticmethod(settings.put_setting)
    delete_setting = staticmethod(settings.delete_setting)

    # -- the chief's PIN hash, apart (the lanes' login on PostgreSQL cannot read it) --
    def get_secret(self, key: str, conn: Connection | None = None) -> str | None:
        if conn is not None:
            return secrets.read_secret(conn, key)
        with self.read() as own:
            return secrets.read_secret(own, key)

    put_secret = staticmethod(secrets.put_secret)
    forget_secrets = staticmethod(secrets.forget_all)

    def secrets_readable(self) -> bool:
        with self.read() as conn:
            return secrets.readable(conn)

    pin_salt = staticmethod(secrets.pin_salt)
    pin_try = staticmethod(secrets.pin_try)

    # -- events (the log itself lives in `events`) ----------------------
    def device_key(self, conn: Connection):  # noqa: ANN201
        """This laptop's key for this site (made on first use), or None before `init` gave the store its id."""
        if self._device_key is None:
            store_id = settings.read_setting(conn, STORE_ID_KEY)
            if store_id is None:
                return None
            from examops.adapters.signing import DeviceKey

            self._device_key = DeviceKey.load_or_create(locations.device_key_path(store_id))
            self._store_id = store_id
        return self._device_key

    def append(self, conn: Connection, event):  # noqa: ANN001, ANN201
        """Seal, sign with this laptop's key and insert at the end of the device's chain (see `events.append`)."""
        stored, inserted = events.append(conn, event, signer=self.device_key(conn))
        if inserted and self._device_key is not None:
            conn.info.setdefault(WRITTEN_HEADS, {})[stored.device] = (stored.device_seq, stored.hash)
        return stored, inserted

    def witness(self, heads: dict) -> None:
        """Record heads this laptop wrote or saw in its witness file (after they were committed)."""
        if self._device_key is None or self._store_id is None:
            return
        self._open_witness().record(heads)

    def _open_witness(self):  # noqa: ANN202 - a Witness
        if self._witness is None:
            from examops.adapters.witness import Witness

            self._witness = Witness(locations.witness_path(self._store_id))
        return self._witness

    def load_writer(self, conn: Connection) -> None:
        """Load now what a first write loads (this laptop's key, the signing code, the witness file) so that write,
        a lane's first scan, does not wait for them."""
        if self.device_key(conn) is not None:
            self._open_witness()

    def witnessed(self):  # noqa: ANN201
        """(heads this laptop witnessed, a reason the witness file cannot be trusted or None)."""
        with self.read() as conn:
            self.device_key(conn)
        if self._store_id is None:
            return {}, None
        from examops.adapters.witness import read_heads

        return read_heads(locations.witness_path(self._store_id))

    head = staticmethod(events.head)
    head_anchor = staticmethod(events.head_anchor)
    set_anchor = staticmethod(events.set_anchor)
    insert_sealed = staticmethod(events.insert_sealed)

    def count_events(self) -> int:
        with self.read() as conn:
            return events.count_events(conn)


def utc_now() -> str:
    return format_utc(dt.datetime.now(dt.timezone.utc))
