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
    from_room: str = ""  # seated here by the chief from another seat (调入): the roster's room and seat
    from_seat: int | None = None


@dataclass(frozen=True, slots=True)
class MovedOutLine:
    """A roster seat of the room whose candidate the chief seated elsewhere (调出): printed so the proctor knows why."""

    seat: int
    ticket: str
    name: str
    id_masked: str
    to_room: str
    to_room_name: str
    to_seat: int


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
    rostered: int = 0  # 原编排: the roster's seats in the room
    moved_out: tuple[MovedOutLine, ...] = ()

    @property
    def moved_in(self) -> int:
        return sum(1 for line in self.seats if line.from_room)

    @property
    def expected(self) -> int:
        """应到: who should sit here now, as the room record counts it (原编排 − 调出 + 调入)."""
        return len(self.seats)


@dataclass(frozen=True, slots=True)
class PaperHeading:
    """What every form of one session is headed with."""

    exam: str
    site: str
    session_id: str
    session_name: str
    date: str
    start: str
    end: str


MISCONDUCT_KINDS = ("misconduct", "cheating")
"""The incidents that get an 应试人员违纪情况报告单 each."""


@dataclass(frozen=True, slots=True)
class MisconductReport:
    """One 应试人员违纪情况报告单: who, where, when (local time), what happened; signature lines are the form's."""

    heading: PaperHeading
    incident_id: str
    kind: str
    severity: str
    at: str  # local site time, as a person reads it
    room: str
    room_name: str
    seat: int | None
    ticket: str
    name: str
    id_masked: str
    note: str
    recorded_by: str


@dataclass(frozen=True, slots=True)
class OpenedRoom:
    """A backup or isolation room that had candidates seated in it this session."""

    room: str
    name: str
    kind: str
    seated: int


@dataclass(frozen=True, slots=True)
class SiteSummaryPaper:
    """The 考点 summary of one session: the counts, the rooms opened and the 三零 verdict with what stands in its way."""

    heading: PaperHeading
    expected: int
    present: int
    absent: int
    misconduct: int
    moved: int
    exceptions: int
    rooms_opened: tuple[OpenedRoom, ...]
    zero_incident: bool
    reasons: tuple[object, ...]  # the figures' reasons (code and count), worded by the writer in its language
    not_arrived: int = 0  # before the entry cutoff: not yet in (未到), so that 应到 = 实到 + 缺考 + 未到 on paper
