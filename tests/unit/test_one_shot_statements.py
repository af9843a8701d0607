"""The one-shot lane's statements (examops/adapters/sqlite_statements.py) are the store's own, as compiled for SQLite."""

from __future__ import annotations

from examops.adapters import sqlite_statements
from examops.adapters.store import Store
from examops.adapters.store.compiled import RENDERED, render
from examops.adapters.store.scan_path import ScanPath


def test_the_rendered_statements_are_the_stores_own():
    """Changed a table or a query? `python -m examops.adapters.store.compiled` writes the file again."""
    assert RENDERED.read_text(encoding="utf-8") == render()


def test_they_are_what_a_sqlite_stores_engine_compiles(tmp_path):
    """The scan path of a real SQLite store (its engine's dialect) compiles the same statements the one-shot lane runs."""
    store = Store.open(f"sqlite:///{tmp_path / 's.sqlite3'}", create=True)
    try:
        path = ScanPath(store, "host.0000/A")
        assert path.lookup_sql.statement == sqlite_statements.LOOKUP
        assert path.insert_event.statement == sqlite_statements.INSERT_EVENT
        assert path.insert_guard.statement == sqlite_statements.INSERT_GUARD
    finally:
        store.close()
