"""Look-ups in the store: one candidate, a search, a candidate's day, near matches.

Every query is indexed; nothing here loads the whole roster.
"""

from __future__ import annotations

from sqlalchemy import Connection, and_, or_, select

from examops.adapters import schema
from examops.adapters.store import row_to_event
from examops.domain import idnumber
from examops.domain.events import Event
from examops.domain.scan import TICKET_RE
from examops.domain.state import CandidateDay, fold_day
from examops.domain.verdict import CandidateCard

C, S = schema.candidates, schema.seats


def _card_query(session: str | None):
    join_on = C.c.ticket == S.c.ticket
    if session is not None:
        join_on = and_(join_on, S.c.session_id == session)
    return select(C.c.ticket, C.c.name, C.c.id_number, C.c.sex, S.c.room_id, S.c.seat, S.c.session_id).select_from(
        C.outerjoin(S, join_on)
    )


def _cards(rows, session: str | None) -> list[CandidateCard]:
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


def search(conn: Connection, text: str, *, session: str | None = None, limit: int = 20) -> list[CandidateCard]:
    """Candidates by ticket, ID number, the ID's last digits, or name (exact first, then prefix)."""
    query_text = idnumber.clean(text)
    if not query_text:
        return []
    conditions = []
    if TICKET_RE.match(query_text) or query_text.isdigit():
        conditions.append(C.c.ticket == query_text)
        conditions.append(C.c.ticket.like(query_text + "%") if len(query_text) >= 8 else C.c.ticket == query_text)
    if idnumber.looks_like_id(query_text):
        conditions.append(C.c.id_number == query_text)
    if 4 <= len(query_text) <= 6 and (query_text[:-1].isdigit() and query_text[-1] in "0123456789X"):
        conditions.append(C.c.id_tail == query_text[-4:])
    if not query_text[:1].isdigit():
        conditions.append(C.c.name == text.strip())
        conditions.append(C.c.name.like(text.strip() + "%"))
    if not conditions:
        return []
    rows = conn.execute(_card_query(session).where(or_(*conditions)).order_by(C.c.ticket).limit(limit * 3)).all()
    cards = _cards(rows, session)
    if 4 <= len(query_text) <= 6:
        cards = [c for c in cards if c.ticket.startswith(query_text) or c.id_number.endswith(query_text) or c.name.startswith(text.strip())]
    return cards[:limit]


def _distance_at_most_one_edit_or_swap(a: str, b: str) -> bool:
    if a == b:
        return True
    if len(a) == len(b):
        diffs = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diffs) == 1:
            return True
        return len(diffs) == 2 and diffs[1] == diffs[0] + 1 and a[diffs[0]] == b[diffs[1]] and a[diffs[1]] == b[diffs[0]]
    if abs(len(a) - len(b)) != 1:
        return False
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))


def near_matches(conn: Connection, value: str, *, session: str | None = None, limit: int = 5) -> list[CandidateCard]:
    """Roster entries one typo away from an unknown ticket or ID (a digit wrong, two swapped, one missing)."""
    if not value or not value[:1].isdigit():
        return []
    if idnumber.looks_like_id(value):
        rows = conn.execute(_card_query(session).where(C.c.id_tail == value[-4:]).limit(50)).all()
        found = [c for c in _cards(rows, session) if _distance_at_most_one_edit_or_swap(c.id_number, value)]
        if found:
            return found[:limit]
    # A typo sits in one half of the number, so the other half finds the candidates.
    half = max(3, len(value) // 2)
    probe = or_(C.c.ticket.like(value[:half] + "%"), C.c.ticket.like("%" + value[-half:]))
    rows = conn.execute(_card_query(session).where(probe).limit(5000)).all()
    return [c for c in _cards(rows, session) if _distance_at_most_one_edit_or_swap(c.ticket, value)][:limit]


def day_events(conn: Connection, session: str, ticket: str) -> list[Event]:
    E = schema.events
    rows = conn.execute(select(E).where(E.c.session_id == session, E.c.ticket == ticket).order_by(E.c.pos)).all()
    return [row_to_event(row) for row in rows]


def candidate_day(conn: Connection, session: str, ticket: str) -> CandidateDay:
    return fold_day(session, ticket, day_events(conn, session, ticket))
