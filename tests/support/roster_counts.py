"""Shared by the expected-counts tests (service and gate screen): count the roster's seat counts, import a roster."""

from __future__ import annotations

from examops import sample
from examops.adapters.store import gate_queries
from examops.services.roster import import_roster


def counted_seats(monkeypatch) -> list[str]:  # noqa: ANN001
    """The session of every count of the expected candidates per room, in order."""
    calls: list[str] = []
    real = gate_queries.expected_per_room

    def spy(conn, session):  # noqa: ANN001, ANN202
        calls.append(session)
        return real(conn, session)

    monkeypatch.setattr(gate_queries, "expected_per_room", spy)
    return calls


def import_people(site, tmp_path, count: int) -> list:  # noqa: ANN001
    """`count` synthetic candidates imported from a real workbook, 30 a room."""
    people = sample.synthetic_people(count)
    path = sample.write_roster_xlsx(tmp_path / f"roster-{count}.xlsx", people, rooms=count // 30)
    assert import_roster(site, [path]).imported
    return people
