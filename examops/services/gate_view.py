"""Read-only queries behind the gate and roster screens: panels, search, room overview.

Thin wrappers over `lookup` and `counters` that open one read connection each,
so screens and their workers never touch SQL. Every query is indexed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import AbstractSet

from examops.adapters.store import gate_queries
from examops.domain import scan
from examops.domain.event_payloads import Admitted, GateOutcome, SessionClosed, UnknownScan
from examops.domain.events import Event, Kind
from examops.domain.verdict import CandidateCard
from examops.services import counters, ledger, lookup
from examops.services.lane_time import UTC_FORMAT, current_session, entry_window, local_time, parse_utc  # noqa: F401 - its callers'
from examops.services.site import Site

KIND_TO_VERDICT = {
    Kind.ADMITTED: "admitted",
    Kind.EXCEPTION: "exception",
    Kind.DENIED: "denied",
    Kind.DUPLICATE: "duplicate",
    Kind.UNKNOWN: "unknown",
    Kind.WRONG_SESSION: "wrong_session",
    Kind.OUTSIDE_WINDOW: "outside_window",
    Kind.ARRIVED: "arrived",
    Kind.RETURNED: "returned",
    Kind.REENTRY_REFUSED: "no_reentry",
}


def _verdict_of(event: Event) -> str:
    """A lane's event as its recent-scans row names it; an exit says whether it was for good."""
    if event.kind == Kind.LEFT:
        return "left" if getattr(event.data, "final", False) else "out"
    return KIND_TO_VERDICT.get(event.kind, event.kind)


@dataclass(frozen=True, slots=True)
class RecentScan:
    """One row of a lane's recent scans, as staff read it."""

    local_time: str
    ticket: str
    name: str
    verdict: str
    code: str | None = None


@dataclass
class LanePanels:
    """What the gate's side panels show: session counters and this lane's last scans."""

    counters: counters.SessionCounters
    recent: list[RecentScan] = field(default_factory=list)
    closed: tuple[str, str] | None = None  # the session was signed off: by whom, at what local time (HH:MM)
    version: int | None = None  # SQLite: the log's last position when read (`lane_panels(unless_at=…)`)


@dataclass(frozen=True, slots=True)
class RoomOverview:
    """A room and its admitted/expected counts per session id."""

    room: str
    name: str
    kind: str
    counts: dict[str, tuple[int, int]]


def _scanned(event: Event) -> str:
    data = event.data
    return scan.masked(data.scanned) if isinstance(data, UnknownScan) else ""  # an unknown ID number stays masked


def _code(event: Event) -> str | None:
    data = event.data
    return (data.code or None) if isinstance(data, (GateOutcome, Admitted)) else None


def lane_panels(site: Site, lane: str, session_id: str, limit: int = 12, *, unless_at: int | None = None,
                expected: counters.ExpectedCounts | None = None) -> LanePanels | None:
    """Counters for the session and the lane's last `limit` scans with candidate names.

    `expected`: the screen's cache of the expected counts (counted again only after a roster import).

    `unless_at`: a `version` read before; None if a SQLite store has stored nothing since (one indexed look-up
    instead of the counters' grouped queries over the whole roster). PostgreSQL always counts: there a
    transaction can commit a lower position after a higher one is seen.
    """
    with site.store.read() as conn:
        version = gate_queries.last_position(conn) if site.store.is_sqlite else None
        if version is not None and version == unless_at:
            return None
        figures = counters.session_counters(conn, session_id, expected)
        events = counters.recent_scans(conn, lane, limit, session=session_id)
        names = gate_queries.names(conn, {e.ticket for e in events if e.ticket})
        closure = ledger.closure(conn, session_id)
    recent = [
        RecentScan(
            local_time(site, e.at), e.ticket or _scanned(e), names.get(e.ticket or "", ""),
            _verdict_of(e), _code(e),
        )
        for e in events
    ]
    closed = (SessionClosed.from_event(closure).by, local_time(site, closure.at, "%H:%M")) if closure else None
    return LanePanels(figures, recent, closed, version)


def own_writes_only(site: Site, since: int, own: AbstractSet[str]) -> int | None:
    """The log's last position if every event stored after position `since` is one of `own` (the lane's own, whose
    verdicts already changed its panels in place: `gate_fold`); None if anyone else stored one (another lane, the
    chief, a roster import), or on PostgreSQL, where a lower position can commit after a higher one was read."""
    if not site.store.is_sqlite:
        return None
    with site.store.read() as conn:
        last, ids = gate_queries.ids_since(conn, since)
    return last if own.issuperset(ids) else None


def find_candidates(site: Site, text: str, session_id: str | None, limit: int = 20) -> list[CandidateCard]:
    """Candidates by name, ID tail, ID or ticket, seated (or not) in `session_id`."""
    with site.store.read() as conn:
        return lookup.search(conn, text, session=session_id, limit=limit)


def room_overview(site: Site) -> list[RoomOverview]:
    """Every room of the store with admitted/expected per session of the plan."""
    with site.store.read() as conn:
        rooms = gate_queries.room_list(conn)
        per_session = {s.id: counters.session_counters(conn, s.id).rooms for s in site.plan.sessions}
    known = {r.id for r in rooms}
    extra = sorted({room for figures in per_session.values() for room in figures if room and room not in known})
    rows = [(r.id, r.name, r.kind) for r in rooms] + [(room, room, "regular") for room in extra]
    return [
        RoomOverview(room, name, kind, {
            session: (figures.get(room, {}).get("admitted", 0), figures.get(room, {}).get("expected", 0))
            for session, figures in per_session.items()
        })
        for room, name, kind in rows
    ]
