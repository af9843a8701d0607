"""What a room's papers show (door list, sign-in sheet, seat labels), and the order rooms come in."""

from __future__ import annotations

from dataclasses import dataclass

from examops.domain.plan import ROOM_KINDS

ROOM_KIND_ORDER = {kind: rank for rank, kind in enumerate(ROOM_KINDS)}
"""Regular rooms first, then backup, then isolation; a kind not in the plan's list after them all."""


def room_kind_rank(kind: str) -> int:
    return ROOM_KIND_ORDER.get(kind, len(ROOM_KINDS))


@dataclass(frozen=True, slots=True)
class SeatLine:
    """One occupied seat as printed: the ID number already masked."""

    seat: int
    ticket: str
    name: str
    id_masked: str


@dataclass(frozen=True, slots=True)
class RoomPaper:
    """Everything the papers of one room in one session show."""

    exam: str
    site: str
    session_id: str
    session_name: str
    date: str
    start: str
    end: str
    room: str
    room_name: str
    kind: str
    seats: tuple[SeatLine, ...]
