"""The scan path's SQL: an admitted scan costs at most three statements once the lane is warm (a count, not a time).

The statements are counted as SQLite runs them (its trace callback on the store's connections); transaction control
(BEGIN IMMEDIATE, COMMIT, savepoints) is counted apart: it is the durability every write pays, not work of the scan.
"""

from __future__ import annotations

import pytest
from sqlalchemy import event, func, select

from examops.adapters.store import schema
from examops.services.gate import Lane
from examops.services.offline import ResilientLane

WARM_UP = 3
MEASURED = 20


class StatementCounter:
    """Statements as SQLite itself runs them (its trace callback): a path that bypasses SQLAlchemy is counted too."""

    CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")

    def __init__(self, engine) -> None:  # noqa: ANN001
        self.engine, self.work, self.control = engine, [], 0
        self._traced = []

    def __enter__(self) -> StatementCounter:
        event.listen(self.engine, "checkout", self.checked_out)
        return self

    def __exit__(self, *exc) -> None:  # noqa: ANN002
        event.remove(self.engine, "checkout", self.checked_out)
        for dbapi_connection in self._traced:
            dbapi_connection.set_trace_callback(None)

    def checked_out(self, dbapi_connection, record, proxy) -> None:  # noqa: ANN001
        dbapi_connection.set_trace_callback(self.seen)
        self._traced.append(dbapi_connection)

    def seen(self, statement: str) -> None:
        if statement.lstrip().upper().startswith(self.CONTROL):
            self.control += 1
        elif not statement.lstrip().upper().startswith("PRAGMA"):
            self.work.append(statement)


def admitted_with_counts(site, make_lane) -> tuple[StatementCounter, list]:  # noqa: ANN001
    lane = make_lane(site)
    tickets = [p.ticket for p in site.people]
    for ticket in tickets[:WARM_UP]:
        assert lane.check(ticket, session_id="S1").verdict == "admitted"
    with StatementCounter(site.store.engine) as counter:
        verdicts = [lane.check(ticket, session_id="S1") for ticket in tickets[WARM_UP:WARM_UP + MEASURED]]
    return counter, verdicts


@pytest.mark.parametrize("make_lane", [lambda s: Lane(s, "A", "甲"), lambda s: ResilientLane(s, "A", "甲")], ids=["Lane", "ResilientLane"])
def test_an_admitted_scan_costs_at_most_three_statements(seeded_site, make_lane):
    if not seeded_site.store.is_sqlite:
        pytest.skip("the compiled scan path is SQLite's; a PostgreSQL lane keeps its fallback path (issue 15)")
    counter, verdicts = admitted_with_counts(seeded_site, make_lane)
    assert [v.verdict for v in verdicts] == ["admitted"] * MEASURED and all(v.recorded for v in verdicts)
    per_scan = len(counter.work) / MEASURED
    assert 1 <= per_scan <= 3, f"{per_scan} statements per admitted scan: {counter.work[:12]}"  # 0: the counter saw nothing
    assert counter.control <= 2 * MEASURED  # one transaction per scan: BEGIN IMMEDIATE and COMMIT
    with seeded_site.store.read() as conn:
        guarded = conn.execute(select(func.count()).select_from(schema.admissions)).scalar_one()
    assert guarded == WARM_UP + MEASURED


def test_a_duplicate_scan_costs_two_statements_in_one_transaction(seeded_site):
    if not seeded_site.store.is_sqlite:
        pytest.skip("the compiled scan path is SQLite's")
    lane, again = Lane(seeded_site, "A", "甲"), Lane(seeded_site, "B", "乙")
    tickets = [p.ticket for p in seeded_site.people[:MEASURED]]
    assert {lane.check(t, session_id="S1").verdict for t in tickets} == {"admitted"}
    again.check(tickets[0], session_id="S1")
    with StatementCounter(seeded_site.store.engine) as counter:
        verdicts = [again.check(t, session_id="S1") for t in tickets[1:]]
    assert {(v.verdict, v.recorded, v.first_lane) for v in verdicts} == {("duplicate", True, "A")}
    assert 1 <= len(counter.work) / len(verdicts) <= 2 and counter.control <= 2 * len(verdicts)


def test_the_compiled_path_keeps_one_admission_per_ticket_and_a_signed_chain(seeded_site):
    """Two lanes of one laptop (one device chain each) and a rescan: duplicates stay duplicates, the chain verifies."""
    from examops.services.audit import verify

    first, second = Lane(seeded_site, "A", "甲"), Lane(seeded_site, "B", "乙")
    tickets = [p.ticket for p in seeded_site.people[:10]]
    assert [first.check(t, session_id="S1").verdict for t in tickets] == ["admitted"] * 10
    assert [second.check(t, session_id="S1").verdict for t in tickets] == ["duplicate"] * 10
    assert [first.check(t, session_id="S1").verdict for t in tickets[:3]] == ["duplicate"] * 3
    fresh = seeded_site.people[10].ticket
    assert second.check(fresh, session_id="S1").verdict == "admitted"
    assert first.check(fresh, session_id="S1").verdict == "duplicate"
    with seeded_site.store.read() as conn:
        rows = conn.execute(select(schema.events.c.signature, schema.events.c.kind).where(schema.events.c.lane.is_not(None))).all()
        guarded = conn.execute(select(func.count()).select_from(schema.admissions)).scalar_one()
    assert guarded == 11 and rows and all(signature for signature, _ in rows)
    assert verify(seeded_site).ok


def test_opening_runs_the_quick_check_and_verify_the_full_one(seeded_site):
    """Start-up pays for quick_check; `examops verify` still matches every index against its table."""
    from sqlalchemy.engine import Engine

    from examops.services.audit import verify
    from examops.services.site import Site

    if not seeded_site.store.is_sqlite:
        pytest.skip("SQLite's checks")
    pragmas: list[str] = []

    def seen(conn, cursor, statement, *rest) -> None:  # noqa: ANN001, ANN002
        if statement.startswith("PRAGMA") and "check" in statement:
            pragmas.append(statement)

    event.listen(Engine, "before_cursor_execute", seen)
    try:
        opened = Site.open(seeded_site.store.url)
        on_open = list(pragmas)
        assert verify(opened).ok
        opened.close()
    finally:
        event.remove(Engine, "before_cursor_execute", seen)
    assert on_open == ["PRAGMA quick_check"]
    assert pragmas[len(on_open):] == ["PRAGMA integrity_check"]
