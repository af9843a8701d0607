"""Statements compiled once, and the SQLAlchemy-free SQLite paths' statements as SQLAlchemy compiles them for SQLite.

A one-shot `examops check CODE` and a roster import into empty roster tables on a SQLite store run without
SQLAlchemy (`adapters.one_shot_store`, `adapters.plain_roster_store`): they read their statements from
`examops/adapters/sqlite_statements.py`, which `render()` writes from the store's own statements (the scan path's
look-up and inserts, the chain head, a setting, the applied migrations, whether the site has a photo; the roster's loads, index DDL and digest
reads). One source: tests/unit/test_one_shot_statements.py holds that file to `render()`, so a changed table or
query cannot leave those paths on an old statement; `python -m examops.adapters.store.compiled` rewrites it.
"""

from __future__ import annotations

from pathlib import Path

from examops.adapters.sqlite_file import Statement

RENDERED = Path(__file__).resolve().parents[1] / "sqlite_statements.py"


def compile_statement(statement, dialect, keys: tuple[str, ...] | None = None) -> Statement:  # noqa: ANN001
    """`statement` compiled for `dialect` (positional parameters); `keys`: the columns an insert takes by name."""
    compiled = statement.compile(dialect=dialect, column_keys=list(keys) if keys else None)
    order = tuple(compiled.positiontup or ())
    fixed = {name: compiled.binds[name].value for name in order
             if name not in (keys or ()) and compiled.binds[name].value is not None}
    return Statement(compiled.string, order, fixed)


def one_shot_statements(dialect=None) -> dict[str, Statement]:  # noqa: ANN001
    """What the one-shot lane runs, by the name `sqlite_statements` gives it (SQLite's dialect by default)."""
    from sqlalchemy import insert
    from sqlalchemy.dialects import sqlite

    from examops.adapters.store import events, migrations, photo_queries, settings
    from examops.adapters.store.scan_path import GUARD_KEYS, LOOKUP, ROW_KEYS
    from examops.adapters.store.schema import admissions

    dialect = dialect or sqlite.dialect()
    return {
        "LOOKUP": compile_statement(LOOKUP, dialect),
        "INSERT_EVENT": compile_statement(insert(events.E), dialect, ROW_KEYS),
        "INSERT_GUARD": compile_statement(insert(admissions), dialect, GUARD_KEYS),
        "HEAD": compile_statement(events.HEAD, dialect),
        "READ_SETTING": compile_statement(settings.READ, dialect),
        "APPLIED_MIGRATIONS": compile_statement(migrations.APPLIED, dialect),
        "ANY_PHOTO": compile_statement(photo_queries.ANY_PHOTO, dialect),
    }


def roster_statements(dialect=None) -> dict[str, Statement]:  # noqa: ANN001
    """What the SQLAlchemy-free roster import runs (`plain_roster_store`), by its name in `sqlite_statements`.

    The multi-row loads take an insert's text up to its VALUES (`roster_rows.insert_rows` repeats the row's marks)."""
    from sqlalchemy import insert
    from sqlalchemy.dialects import sqlite
    from sqlalchemy.schema import CreateIndex, DropIndex

    from examops.adapters.roster_rows import CANDIDATE_COLUMNS, SEAT_COLUMNS
    from examops.adapters.store import digests, roster_queries, secrets
    from examops.adapters.store.schema import ROSTER_INDEXES, candidates, rooms, seats

    dialect = dialect or sqlite.dialect()
    statements = {
        "ANY_CANDIDATE": compile_statement(roster_queries.any_row(candidates), dialect),
        "ANY_SEAT": compile_statement(roster_queries.any_row(seats), dialect),
        "ROOM_IDS": compile_statement(roster_queries.ROOM_IDS, dialect),
        "LOAD_CANDIDATES": _values_head(compile_statement(insert(candidates), dialect, CANDIDATE_COLUMNS)),
        "LOAD_SEATS": _values_head(compile_statement(insert(seats), dialect, SEAT_COLUMNS)),
        "LOAD_ROOMS": _values_head(compile_statement(insert(rooms), dialect, roster_queries.ROOM_COLUMNS)),
        "COPY_SEATS": compile_statement(roster_queries.COPY_SEATS, dialect),
        "READ_PIN_HASH": compile_statement(secrets.read_statement(secrets.PIN_HASH), dialect),
        "ROOM_ROWS": compile_statement(digests.ROOM_ROWS, dialect),
        "SESSION_ROWS": compile_statement(digests.SESSION_ROWS, dialect),
        "LAST_TABLES_RECORD": compile_statement(digests.LAST_RECORD, dialect),
    }
    statements["DROP_ROSTER_INDEXES"] = Statement("; ".join(str(DropIndex(i).compile(dialect=dialect)).strip()
                                                            for i in ROSTER_INDEXES), (), {})
    statements["CREATE_ROSTER_INDEXES"] = Statement("; ".join(str(CreateIndex(i).compile(dialect=dialect)).strip()
                                                              for i in ROSTER_INDEXES), (), {})
    return statements


def _values_head(statement: Statement) -> Statement:
    """An insert's text up to its VALUES, its columns as the order: the head of `insert_rows`' multi-row statement."""
    head, values, marks = statement.sql.partition(" VALUES ")
    if not values or marks != "(" + ", ".join(["?"] * len(statement.order)) + ")":
        raise ValueError(f"not a one-row insert: {statement.sql}")
    return Statement(head + values, statement.order, statement.fixed)


def render() -> str:
    """The text of `sqlite_statements.py`."""
    from examops.adapters.store.migrations import MIGRATIONS

    lines = ['"""Generated by `python -m examops.adapters.store.compiled` from the store\'s statements: do not edit.',
             "",
             "The SQLAlchemy-free SQLite paths' statements as SQLAlchemy compiles them for SQLite (see `store.compiled`).",
             '"""', "", "# ruff: noqa: E501", "", "from examops.adapters.sqlite_file import Statement", ""]
    for name, statement in {**one_shot_statements(), **roster_statements()}.items():
        lines.append(f"{name} = Statement({statement.sql!r}, {statement.order!r}, {statement.fixed!r})")
    lines += ["", f"MIGRATIONS = {tuple(name for name, _step in MIGRATIONS)!r}",
              '"""Every migration a store must have for the SQLAlchemy-free paths (else the full path opens it and migrates)."""', ""]
    return "\n".join(lines)


if __name__ == "__main__":
    RENDERED.write_text(render(), encoding="utf-8")
