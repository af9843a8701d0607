"""Look-ups in the store: one candidate, a search, a candidate's day, near matches.

The queries are `examops.adapters.store.gate_queries`: indexed, none loads the whole roster.
"""

from __future__ import annotations

from dataclasses import replace

from examops.adapters.store import Connection
from examops.adapters.store import gate_queries as q
from examops.adapters.store.gate_queries import card_by, day_events, room_list
from examops.domain import idnumber, typos
from examops.domain.scan import TICKET_RE
from examops.domain.state import CandidateDay, fold_day
from examops.domain.verdict import CandidateCard
from examops.services.compiled_admission import placement_of

__all__ = ["card_by", "candidate_day", "current", "day_events", "near_matches", "placement_of", "room_list", "search"]


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


def near_matches(conn: Connection, value: str, *, session: str | None = None) -> list[CandidateCard]:
    """Every roster entry one slip (two digits swapped, one wrong, one missing or extra) from an unknown ticket or
    ID number, the likeliest first: a swap, then a wrong digit, then a length slip; by ticket within each."""
    if not value or not value[:1].isdigit():
        return []
    id_shaped = 17 <= len(value) <= 19  # an 18-character ID number, or one a slip longer or shorter
    found = q.cards_by_values(conn, typos.neighbours(value, typos.DIGITS),
                              typos.neighbours(value, typos.ID_CHARS) if id_shaped else (), session=session)

    def slip(card: CandidateCard) -> typos.Typo:
        kinds = [kind for kind in (typos.typo(value, card.ticket), typos.typo(value, card.id_number)) if kind is not None]
        return min(kinds)

    return sorted(found, key=lambda card: (slip(card), card.ticket))


def candidate_day(conn: Connection, session: str, ticket: str) -> CandidateDay:
    return fold_day(session, ticket, day_events(conn, session, ticket))
