"""Seating approved exceptions in backup and isolation rooms: a pure, deterministic plan.

Backup cases go to backup rooms and isolation cases to isolation rooms, never
mixed; capacity is respected; isolation rooms may use every other seat only.
The same inputs always give the same seats, so a preview is what gets done.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Sequence

ROOM_KIND_FOR_ACTION = {"backup_room": "backup", "isolation_room": "isolation"}


@dataclass(frozen=True, slots=True)
class SeatRequest:
    """A candidate whose approved exception needs a seat in a room of `kind`."""

    case_id: str
    ticket: str
    name: str
    kind: str
    from_room: str | None
    from_seat: int | None
    order_key: str  # when the exception was recorded: first held, first seated


@dataclass(frozen=True, slots=True)
class RoomSpace:
    room: str
    name: str
    kind: str
    capacity: int
    taken: frozenset[int] = frozenset()
    spacing: int = 1  # 2 = every other seat stays empty

    def usable_seats(self) -> list[int]:
        return [s for s in range(1, self.capacity + 1, self.spacing) if s not in self.taken]


@dataclass(frozen=True, slots=True)
class Move:
    case_id: str
    ticket: str
    name: str
    from_room: str | None
    from_seat: int | None
    room: str
    seat: int

    def to_json(self) -> dict:
        return {"ticket": self.ticket, "name": self.name, "from_room": self.from_room, "from_seat": self.from_seat,
                "room": self.room, "seat": self.seat, "case_id": self.case_id}


@dataclass
class AllocationPlan:
    moves: list[Move] = field(default_factory=list)
    unplaced: list[SeatRequest] = field(default_factory=list)

    def missing_seats(self) -> dict[str, int]:
        """Seats still needed, per room kind."""
        missing: dict[str, int] = {}
        for request in self.unplaced:
            missing[request.kind] = missing.get(request.kind, 0) + 1
        return missing


def allocate(requests: Iterable[SeatRequest], rooms: Sequence[RoomSpace]) -> AllocationPlan:
    """Give each request the lowest free usable seat in the first room of its kind (rooms by id)."""
    plan = AllocationPlan()
    free = {room.room: room.usable_seats() for room in rooms}
    ordered_rooms = sorted(rooms, key=lambda r: r.room)
    for request in sorted(requests, key=lambda r: (r.order_key, r.ticket)):
        target = next((r for r in ordered_rooms if r.kind == request.kind and free[r.room]), None)
        if target is None:
            plan.unplaced.append(request)
            continue
        seat = free[target.room].pop(0)
        plan.moves.append(Move(request.case_id, request.ticket, request.name, request.from_room, request.from_seat, target.room, seat))
    return plan
