"""The store: SQLite by default, PostgreSQL for several lanes; one code path (SQLAlchemy Core).

Services reach storage only through this package: they hold a connection from
`Store.read()` / `Store.write()` as an opaque handle and pass it to the query
functions of the modules here, getting domain values or plain rows back.
"""

from sqlalchemy import Connection
from sqlalchemy.exc import DBAPIError, IntegrityError

from examops.adapters.store.engine import BUSY_TIMEOUT_MS, PG_CONNECT_DEFAULTS, Store, format_utc, utc_now
from examops.adapters.store.errors import (
    UNREACHABLE_SQLSTATES,
    ServerUnreachable,
    StoreError,
    StoreLocked,
    StoreMissing,
    StoreReplaced,
    WriteFailed,
    describe_failure,
)
from examops.adapters.store.events import ANCHOR_PREFIX, event_to_row, row_to_event

__all__ = [
    "ANCHOR_PREFIX", "BUSY_TIMEOUT_MS", "PG_CONNECT_DEFAULTS", "UNREACHABLE_SQLSTATES",
    "Connection", "DBAPIError", "IntegrityError",
    "ServerUnreachable", "Store", "StoreError", "StoreLocked", "StoreMissing", "StoreReplaced", "WriteFailed",
    "describe_failure", "event_to_row", "format_utc", "row_to_event", "utc_now",
]
