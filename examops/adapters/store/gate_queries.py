"""The gate's SQL: the lane counters, candidate look-ups, the chief's placements, recent scans, names and rooms.

Every query is indexed; nothing here loads the whole roster. The counters
count admissions per room in SQL, so a lane's panel costs a few milliseconds
even with 50k candidates.
"""

from __future__ import annotations

from typing import Iterable, Sequence

from sqlalchemy import Connection, and_, func, or_, select

from examops.adapters.store.events import row_to_event
from examops.adapters.store.schema import admissions, candidates, events, rooms, seats
from examops.domain.events import Event, Kind
from examops.domain.verdict import CandidateCard

E, S, A, C, R = events, seats, admissions, candidates, rooms


# -- counters -----------------------------------------------------------------
def last_position(conn: Connection) -> int:
    """The log's last position: on SQLite, where writes take turns, the same number means nothing was stored since."""
    return conn.execute(select(func.max(E.c.pos))).scalar() or 0


def ids_since(conn: Connection, pos: int) -> tuple[int, list[str]]:
    """(the log's last position, the ids of the events stored after `pos`): one range read on the primary key."""
    rows = conn.execute(select(E.c.pos, E.c.id).where(E.c.pos > pos)).all()
    return max((row.pos for row in rows), default=pos), [row.id for row in rows]


def void_events(conn: Connection, session: str) -> list[Event]:
    rows = conn.execute(select(E).where(E.c.kind == Kind.VOIDED, E.c.session_id == session)).all()
    return [row_to_event(row) for row in rows]


def roster_version(conn: Connection) -> tuple[int, int]:
    """(how many roster imports, the last one's position): changes with every import, the one write to the seats,
    which logs `roster_imported` in its transaction. The count as well: on PostgreSQL an import can commit a lower
    position after a higher one was seen. One look-up on `ix_events_kind`, where the seats' counts group the roster."""
    count, last = conn.execute(select(func.count(), func.max(E.c.pos)).where(E.c.kind == Kind.ROSTER_IMPORTED)).one()
    return count, last or 0


def expected_per_room(conn: Connection, session: str) -> dict[str, int]:
    return dict(conn.execute(select(S.c.room_id, func.count()).where(S.c.session_id == session).group_by(S.c.room_id)).all())


def _live(session: str, voided: set[str]):  # noqa: ANN202 - a SQL condition
    """One live admission row per admitted candidate: the session's guard rows minus voided admissions."""
    return and_(A.c.session_id == session, A.c.event_id.not_in(sorted(voided))) if voided else A.c.session_id == session


def _roster_join():  # noqa: ANN202 - a SQL join
    return A.outerjoin(S, and_(S.c.session_id == A.c.session_id, S.c.ticket == A.c.ticket))


def admitted_per_room(conn: Connection, session: str, voided: set[str]) -> dict[str | None, int]:
    """Live admissions counted in SQL, grouped by roster room (None: not seated in the roster)."""
    return {room: n for room, n in conn.execute(
        select(S.c.room_id, func.count()).select_from(_roster_join()).where(_live(session, voided)).group_by(S.c.room_id)).all()}


def admitted_roster_rooms(conn: Connection, session: str, voided: set[str], tickets: Iterable[str]) -> list[tuple[str, str | None]]:
    """(ticket, roster room) of the live admissions among `tickets`."""
    return [(ticket, room) for ticket, room in conn.execute(
        select(A.c.ticket, S.c.room_id).select_from(_roster_join()).where(_live(session, voided), A.c.ticket.in_(sorted(tickets)))).all()]


def subject_events(conn: Connection, session: str, kinds: Sequence[str]) -> dict[str, list[Event]]:
    """The session's events of `kinds` that name a candidate, per ticket, in log order."""
    rows = conn.execute(
        select(E).where(E.c.session_id == session, E.c.kind.in_(kinds), E.c.ticket.is_not(None)).order_by(E.c.pos)
    ).all()
    by_ticket: dict[str, list[Event]] = {}
    for row in rows:
        by_ticket.setdefault(row.ticket, []).append(row_to_event(row))
    return by_ticket


def live_admitted(conn: Connection, session: str, voided: set[str], tickets: Iterable[str]) -> set[str]:
    """Which of `tickets` hold a live admission."""
    return {ticket for (ticket,) in conn.execute(select(A.c.ticket).where(_live(session, voided), A.c.ticket.in_(sorted(tickets))))}


def count_kind(conn: Connection, session: str, kind: str) -> int:
    return conn.execute(select(func.count()).select_from(E).where(E.c.session_id == session, E.c.kind == kind)).scalar_one()


def recent_scans(conn: Connection, lane: str, limit: int = 12, session: str | None = None) -> list[Event]:
    """The last events this lane recorded (in `session`, if given), newest first."""
    query = select(E).where(E.c.lane == lane)
    if session is not None:
        query = query.where(E.c.session_id == session)
    rows = conn.execute(query.order_by(E.c.pos.desc()).limit(limit)).all()
    return [row_to_event(row) for row in rows]


def placement_events(conn: Connection, session: str) -> list[Event]:
    """The chief's events (no lane) that can place a candidate: admissions, moves, and voids, in log order."""
    rows = conn.execute(select(E).where(E.c.session_id == session, E.c.lane.is_(None),
                                        E.c.kind.in_((Kind.ADMITTED, Kind.MOVED, Kind.VOIDED))).order_by(E.c.pos)).all()
    return [row_to_event(row) for row in rows]


# -- candidates ---------------------------------------------------------------
def _card_query(session: str | None):  # noqa: ANN202 - a SQL select
    join_on = C.c.ticket == S.c.ticket
    if session is not None:
        join_on = and_(join_on, S.c.session_id == session)
    return select(C.c.ticket, C.c.name, C.c.id_number, C.c.sex, S.c.room_id, S.c.seat, S.c.session_id).select_from(
        C.outerjoin(S, join_on)
    )


def _cards(rows, session: str | None) -> list[CandidateCard]:  # noqa: ANN001
    cards: dict[str, CandidateCard] = {}
    for row in rows:
        if row.ticket in cards and cards[row.ticket].room is not None:
            continue
        cards[row.ticket] = CandidateCard(row.ticket, row.name, row.id_number, row.sex, row.room_id, row.seat, row.session_id or session)
    return list(cards.values())


def card_by(conn: Connection, *, ticket: str | None = None, id_number: str | None = None, session: str | None = None) -> CandidateCard | None:
    """One candidate with their seat in `session` (room and seat None if not seated in it)."""
    query = _card_query(session)
    query = query.where(C.c.ticket == ticket) if ticket is not None else query.where(C.c.id_number == id_number)
    cards = _cards(conn.execute(query.limit(4)).all(), session)
    return cards[0] if cards else None


def search_cards(conn: Connection, query_text: str, name_text: str, *, by_ticket: bool, by_id: bool, by_tail: bool,
                 by_name: bool, session: str | None, limit: int) -> list[CandidateCard]:
    """Candidates matching any of the probes asked for, by ticket; `limit` rows at most."""
    conditions = []
    if by_ticket:
        conditions.append(C.c.ticket == query_text)
        conditions.append(C.c.ticket.like(query_text + "%") if len(query_text) >= 8 else C.c.ticket == query_text)
    if by_id:
        conditions.append(C.c.id_number == query_text)
    if by_tail:
        conditions.append(C.c.id_tail == query_text[-4:])
    if by_name:
        conditions.append(C.c.name == name_text)
        conditions.append(C.c.name.like(name_text + "%"))
    if not conditions:
        return []
    rows = conn.execute(_card_query(session).where(or_(*conditions)).order_by(C.c.ticket).limit(limit)).all()
    return _cards(rows, session)


_IN_CHUNK = 500  # values per IN (...): well inside every driver's parameter limit


def cards_by_values(conn: Connection, tickets: Iterable[str], id_numbers: Iterable[str], *, session: str | None) -> list[CandidateCard]:
    """Candidates whose ticket is one of `tickets` or whose ID number is one of `id_numbers`.

    Two steps: the keys by equality on the two unique indexes, then the few cards found with their seats
    (one join over hundreds of probe values lets PostgreSQL hash the whole seats table).
    """
    found: set[str] = set()
    for column, values in ((C.c.ticket, sorted(set(tickets))), (C.c.id_number, sorted(set(id_numbers)))):
        for start in range(0, len(values), _IN_CHUNK):
            found.update(conn.execute(select(C.c.ticket).where(column.in_(values[start:start + _IN_CHUNK]))).scalars())
    if not found:
        return []
    return _cards(conn.execute(_card_query(session).where(C.c.ticket.in_(sorted(found)))).all(), session)


def day_events(conn: Connection, session: str, ticket: str) -> list[Event]:
    rows = conn.execute(select(E).where(E.c.session_id == session, E.c.ticket == ticket).order_by(E.c.pos)).all()
    return [row_to_event(row) for row in rows]


def names(conn: Connection, tickets: set[str]) -> dict[str, str]:
    """Ticket → name for the tickets given."""
    if not tickets:
        return {}
    return dict(conn.execute(select(C.c.ticket, C.c.name).where(C.c.ticket.in_(sorted(tickets)))).all())


def room_list(conn: Connection) -> list:
    """(id, name, kind) of every room, by id."""
    return conn.execute(select(R.c.id, R.c.name, R.c.kind).order_by(R.c.id)).all()
