"""Look-ups in the store: one candidate, a search, a candidate's day, near matches.

The queries are `examops.adapters.store.gate_queries`: indexed, none loads the whole roster.
"""

from __future__ import annotations

from dataclasses import replace

from examops.adapters.store import Connection
from examops.adapters.store import gate_queries as q
from examops.adapters.store.gate_queries import card_by, day_events, room_list
from examops.domain import idnumber
from examops.domain.scan import TICKET_RE
from examops.domain.state import CandidateDay, fold_day
from examops.domain.verdict import CandidateCard, Placement

__all__ = ["card_by", "candidate_day", "current", "day_events", "near_matches", "placement_of", "room_list", "search"]


def placement_of(day: CandidateDay) -> Placement | None:
    """Where the chief's desk seated the candidate (an admission or a move made there), or None: the roster seat holds."""
    event = day.placement
    if event is None or event.lane is not None:
        return None
    data = event.data
    origin = getattr(data, "origin", None)
    return Placement(data.room, data.seat, origin.room if origin else None, origin.seat if origin else None,
                     str(getattr(data, "via", "") or ""))


def current(conn: Connection, card: CandidateCard, session: str | None = None) -> CandidateCard:
    """The card with where the candidate sits now and their state in `session` (default: the card's)."""
    session = session or card.session
    if not session:
        return card
    day = candidate_day(conn, session, card.ticket)
    return replace(card, placement=placement_of(day), state=day.state, arriving=day.awaiting_arrival and day.present)


def search(conn: Connection, text: str, *, session: str | None = None, limit: int = 20) -> list[CandidateCard]:
    """Candidates by ticket, ID number, the ID's last digits, or name; each with the seat now and the state in `session`."""
    return [current(conn, card, session) if session else card for card in _search(conn, text, session=session, limit=limit)]


def _search(conn: Connection, text: str, *, session: str | None, limit: int) -> list[CandidateCard]:
    query_text = idnumber.clean(text)
    if not query_text:
        return []
    cards = q.search_cards(
        conn, query_text, text.strip(), session=session, limit=limit * 3,
        by_ticket=bool(TICKET_RE.match(query_text) or query_text.isdigit()),
        by_id=idnumber.looks_like_id(query_text),
        by_tail=4 <= len(query_text) <= 6 and (query_text[:-1].isdigit() and query_text[-1] in "0123456789X"),
        by_name=not query_text[:1].isdigit(),
    )
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
        found = [c for c in q.cards_by_id_tail(conn, value[-4:], session=session, limit=50)
                 if _distance_at_most_one_edit_or_swap(c.id_number, value)]
        if found:
            return found[:limit]
    # A typo sits in one half of the number, so the other half finds the candidates.
    half = max(3, len(value) // 2)
    found = q.cards_by_ticket_ends(conn, value[:half], value[-half:], session=session, limit=5000)
    return [c for c in found if _distance_at_most_one_edit_or_swap(c.ticket, value)][:limit]


def candidate_day(conn: Connection, session: str, ticket: str) -> CandidateDay:
    return fold_day(session, ticket, day_events(conn, session, ticket))
