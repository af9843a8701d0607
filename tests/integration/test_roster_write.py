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
