"""What every connection to a SQLite store runs first, and a statement compiled for SQLite, on the driver alone.

Both SQLAlchemy's engine (`store.engine`) and the one-shot lane's plain connection (`one_shot_store`) set their
connections up from `CONNECT_PRAGMAS`: WAL, synchronous=FULL (a commit is on the disk before it returns), the busy
timeout, foreign keys. Outside the store package on purpose: importing `examops.adapters.store` imports SQLAlchemy.
"""

from __future__ import annotations

from typing import NamedTuple

BUSY_TIMEOUT_MS = 5000
CONNECT_PRAGMAS = ("PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL", f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}",
                   "PRAGMA foreign_keys=ON")


class Statement(NamedTuple):
    """A statement as SQLAlchemy compiled it for SQLite (`store.compiled`): its text, the names of its positional
    parameters in order, and the values it binds itself (a LIMIT, a fixed kind)."""

    sql: str
    order: tuple[str, ...]
    fixed: dict

    def params(self, values: dict) -> tuple:
        """The positional parameters for `values` given by name."""
        return tuple(values[name] if name in values else self.fixed[name] for name in self.order)
