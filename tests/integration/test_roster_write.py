"""The roster's write: the seats of a roster without a session column are copied to every session by the store,
and their digest is made from the placements once; both must be what row-by-row loading and reading give."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import select

from examops import sample
from examops.adapters.store import schema
from examops.adapters.store.digests import _seats_digest
from examops.adapters.store.roster_queries import EverySession
from examops.domain.events import canonical_json
from examops.services.roster import import_roster


def _plain(rows) -> str:
    return hashlib.sha256(canonical_json([list(r) for r in rows]).encode("utf-8")).hexdigest()


@pytest.mark.parametrize("placed", [
    [("100001", "001", 1), ("100002", "001", 2), ("100003", "第二考场", 1)],
    [("100001", "a],[b", 1), ("100002", "001", 2)],  # the rows' separator inside a room: written row by row
    [("100001", '"],["', 3)],
    [],
])
def test_every_session_digest_is_the_digest_of_its_rows(placed):
    rows = EverySession(["S2", "S1", "S3"], placed)
    expected = sorted((session, *p) for session in ("S1", "S2", "S3") for p in placed)
    assert list(rows) == expected and len(rows) == len(expected)
    assert _seats_digest(rows) == _plain(expected)


def test_a_plan_without_sessions_digests_no_seats():
    assert _seats_digest(EverySession([], [("100001", "001", 1)])) == _plain([])


def test_every_session_is_seated_by_the_copy_in_the_store(site, tmp_path):
    """Two sessions, no session column: the first session's seats are written, the others copied from them."""
    people = sample.synthetic_people(70)
    path = sample.write_roster_xlsx(tmp_path / "r.xlsx", people, seats_per_room=30, per_room_sheets=False)
    report = import_roster(site, [path])
    assert report.imported, [str(p) for p in report.errors]
    S = schema.seats
    with site.store.read() as conn:
        stored = [tuple(r) for r in conn.execute(select(S.c.session_id, S.c.ticket, S.c.room_id, S.c.seat)
                                                 .order_by(S.c.session_id, S.c.ticket))]
    placed = sorted((s.person.ticket, f"{s.room:03d}", s.seat) for s in sample.seat_people(people, seats_per_room=30))
    assert stored == [(session.id, *p) for session in sorted(site.plan.sessions, key=lambda s: s.id) for p in placed]
    assert len({row[0] for row in stored}) == len(site.plan.sessions) >= 2


def test_the_loaded_rows_are_digested_on_a_thread_while_sqlite_builds_the_indexes(tmp_path):
    import threading

    from examops.adapters.store import Store, roster_queries
    from examops.adapters.store.digests import live_digests, loaded_digests

    store = Store.open(f"sqlite:///{tmp_path / 's.sqlite3'}", create=True)
    candidate_rows = sorted((f"{100000 + i}", f"名{i}", f"11010119900101{i:03d}X", f"{i:03d}X", "M", None) for i in range(20))
    seat_rows = EverySession(["S1", "S2"], [(row[0], "001", i + 1) for i, row in enumerate(candidate_rows)])
    threads = []

    def digests():
        threads.append(threading.current_thread())
        return loaded_digests(candidate_rows, seat_rows)

    with store.write() as conn:
        whole, loaded = roster_queries.write_roster(conn, stale=[], candidate_rows=candidate_rows, seat_rows=seat_rows,
                                                    bulk=True, meanwhile=digests)
        assert whole and threads and threads[0] is not threading.current_thread()
        assert live_digests(conn) == live_digests(conn, loaded=loaded)  # what reading the tables back gives
    with store.write() as conn:  # over a stored roster: nothing to digest from the rows
        again = roster_queries.write_roster(conn, stale=[row[0] for row in candidate_rows], candidate_rows=candidate_rows,
                                            seat_rows=seat_rows, bulk=True, meanwhile=digests)
        assert again == (False, None) and len(threads) == 1
    store.close()
