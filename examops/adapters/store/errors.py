"""Store failures told in words a clerk can act on, and how a database error is classified."""

from __future__ import annotations

from sqlalchemy.exc import DBAPIError, OperationalError

from examops.adapters.failure_words import describe_failure  # noqa: F401 - re-exported; the words need no SQLAlchemy
from examops.domain.said import SaidError

# Server states that mean "not answering" rather than "refused": admin/crash shutdown, starting up.
UNREACHABLE_SQLSTATES = ("57P01", "57P02", "57P03")


class StoreError(SaidError):
    """A store problem told in words a clerk can act on (a `Said`: the site's language at the edge)."""


class StoreMissing(StoreError):
    pass


class WriteFailed(StoreError):
    """Nothing was recorded: the transaction was rolled back."""


class StoreReplaced(WriteFailed):
    """Nothing was recorded: the file at the store's path is not the one this process opened (deleted, moved, replaced)."""


class StoreLocked(WriteFailed):
    """Nothing was recorded: another process held SQLite's write lock past the busy timeout (an import, a held
    `sqlite3` shell). Another try at once waits the whole timeout again to say the same."""


class ServerUnreachable(WriteFailed):
    """Nothing was recorded because the shared store's server did not answer (down, restarting, network gone)."""


def server_unreachable(exc: BaseException) -> bool:
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
