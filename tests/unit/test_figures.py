"""Session figures from folded days: candidates not attempts, rows that add up, 未到 before the cutoff, the 三零 verdict."""

from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict
from zoneinfo import ZoneInfo

import pytest

from examops.domain.event_payloads import (
    AdmissionConflict,
    Admitted,
    Approved,
    DuplicateScan,
    ExceptionRecorded,
    Moved,
    Origin,
    Rejected,
)
from examops.domain.events import Event
from examops.domain.figures import Record, SeatRecord, compute
from examops.domain.plan import Session
from examops.domain.state import fold_day

TZ = ZoneInfo("Asia/Shanghai")
S1 = Session("S1", "Paper", dt.date(2021, 10, 16), dt.time(8, 30), dt.time(11, 30), 30)
LEVELS = ("chief",)
SEATS = [SeatRecord(f"T{room}{seat}", f"考生{room}{seat}", room, seat) for room in ("001", "002") for seat in (1, 2, 3)]
_ids = itertools.count()


class Morning:
    """Events about candidates, written in order (times are local 08:xx)."""

    def __init__(self) -> None:
        self.events: dict[str, list[Event]] = defaultdict(list)
        self.minute = 0

    def add(self, ticket: str, payload, staff: str = "s") -> Event:  # noqa: ANN001
        self.minute += 1
        at = (dt.datetime(2021, 10, 16, 8, 0) + dt.timedelta(minutes=self.minute)).replace(tzinfo=TZ)
        event = Event(f"e{next(_ids)}", payload.event_kind, at.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
                      "d", self.minute, "S1", ticket, "A", staff, payload.to_payload())
        self.events[ticket].append(event)
        return event

    def admit(self, ticket: str) -> Event:
        seat = next(s for s in SEATS if s.ticket == ticket)
        return self.add(ticket, Admitted(room=seat.room, seat=seat.seat, via="ticket"))

    def exception(self, ticket: str, code: str = "fever", action: str = "hold") -> Event:
        return self.add(ticket, ExceptionRecorded(code=code, action=action))

    def figures(self, now: dt.datetime | None = None, record: Record | None = None, levels=LEVELS):  # noqa: ANN001
        days = {t: fold_day("S1", t, evs) for t, evs in self.events.items()}
        return compute(S1, SEATS, days, [], record or Record(), levels, TZ, None, now)


def test_a_candidate_checked_twice_is_one_exception_and_two_attempts():
    m = Morning()
    m.exception("T0011")  # fever without the reading
    second = m.exception("T0011")  # again, with it
    m.exception("T0012", code="no_test_cert")
    m.exception("T0021", code="fever")
    f = m.figures()
    assert (f.exceptions, f.exception_attempts) == (3, 4)
    assert f.exceptions_by_code == {"fever": 2, "no_test_cert": 1}
    assert sum(f.exceptions_by_status.values()) == f.exceptions
    listed = f.rooms["001"].exceptions
    assert [(e["ticket"], e["attempts"], e["case"]) for e in listed] == [("T0011", 2, second.id), ("T0012", 1, listed[1]["case"])]


@pytest.mark.parametrize("placed,via,reason", [
    ("reallocation", "reallocation", "fever"),
    ("move_admission", "move", "wrong row"),
    ("move_after_admission", "move", "desk broken"),
])
def test_every_move_counts_in_the_reallocations_and_rows_add_up(placed, via, reason):
    m = Morning()
    case = m.exception("T0012", action="backup_room")
    if placed == "reallocation":
        m.add("T0012", Approved(exception_id=case.id, level="chief", by="王"))
        m.add("T0012", Admitted(room="B01", seat=1, via="reallocation", exception_id=case.id, origin=Origin("001", 2)))
    elif placed == "move_admission":
        m.add("T0012", Admitted(room="B01", seat=1, via="move", origin=Origin("001", 2), by="王", reason=reason))
    else:
        m.admit("T0012")
        m.add("T0012", Moved(room="B01", seat=1, origin=Origin("001", 2), by="王", reason=reason))
    m.admit("T0011")
    f = m.figures()
    assert f.reallocated == 1
    row, backup = f.rooms["001"], f.rooms["B01"]
    assert (row.rostered, len(row.moved_out), row.expected, row.present, len(row.absent)) == (3, 1, 2, 1, 1)
    assert row.adds_up and backup.adds_up
    assert (backup.rostered, len(backup.moved_in), backup.expected, backup.present) == (0, 1, 1, 1)
    assert (row.moved_out[0]["via"], row.moved_out[0]["reason"]) == (via, reason)
    assert f.present == 2 and f.present + f.absent == f.expected


@pytest.mark.parametrize("now,absent,not_arrived", [
    (dt.datetime(2021, 10, 16, 8, 10), 0, 5),  # before the paper: not yet here
    (dt.datetime(2021, 10, 16, 9, 0), 0, 5),  # entry closes at 09:00
    (dt.datetime(2021, 10, 16, 9, 1), 5, 0),
    (None, 5, 0),  # the session is over
])
def test_before_the_entry_cutoff_nobody_is_absent_yet(now, absent, not_arrived):
    m = Morning()
    m.admit("T0011")
    f = m.figures(now)
    assert (f.absent, f.not_arrived) == (absent, not_arrived)
    assert sum(len(r.absent) for r in f.rooms.values()) == absent
    assert sum(len(r.not_arrived) for r in f.rooms.values()) == not_arrived
    assert all(r.adds_up for r in f.rooms.values())


def _pending(m: Morning) -> Record:
    m.exception("T0011")
    return Record()


def _approved_unseated(m: Morning) -> Record:
    case = m.exception("T0011", action="isolation_room")
    m.add("T0011", Approved(exception_id=case.id, level="chief", by="王"))
    return Record()


def _rejected(m: Morning) -> Record:
    case = m.exception("T0011")
    m.add("T0011", Rejected(exception_id=case.id, by="王", reason="no certificate"))
    return Record()


def _open_alarm(m: Morning) -> Record:
    m.admit("T0011")
    m.add("T0011", DuplicateScan(first_lane="A"))
    return Record()


def _alarm(resolution: str):  # noqa: ANN202
    def build(m: Morning) -> Record:
        m.admit("T0011")
        alarm = m.add("T0011", DuplicateScan(first_lane="A"))
        return Record(alarm_resolutions={alarm.id: resolution})
    return build


def _conflict(resolved: bool):  # noqa: ANN202
    def build(m: Morning) -> Record:
        kept = m.admit("T0011")
        other = m.add("T0011", Admitted(room="001", seat=1, via="ticket"))
        flag = m.add("T0011", AdmissionConflict(kept=kept.id, conflicting=other.id))
        return Record(alarm_resolutions={flag.id: "double_read"} if resolved else {})
    return build


@pytest.mark.parametrize("build,reasons", [
    (lambda m: Record(), []),
    (_pending, ["unresolved"]),
    (_approved_unseated, ["unresolved"]),
    (_rejected, []),
    (_open_alarm, ["open_alarms"]),
    (_alarm("double_read"), []),
    (_alarm("rescan"), []),
    (_alarm("incident"), ["alarm_incidents"]),
    (_conflict(False), ["conflicts"]),
    (_conflict(True), []),
    (lambda m: Record(voided=1, unexplained_voids=0), []),
    (lambda m: Record(voided=1, unexplained_voids=1), ["unexplained_voids"]),
    (lambda m: Record(unexplained_overrides=2), ["unexplained_overrides"]),
])
def test_what_stands_in_the_way_of_zero_incident(build, reasons):
    m = Morning()
    record = build(m)
    f = m.figures(record=record)
    assert [r.code for r in f.reasons] == reasons
    assert f.zero_incident == (not reasons)


def _lone_admissions_both_ways(session: Session, times: list[str], tz: ZoneInfo) -> tuple:
    """The figures of admissions at `times` (UTC text, one a seat), counted as lone admissions and folded as days."""
    seats = SEATS[:len(times)]
    days = {}
    for index, (seat, at) in enumerate(zip(seats, times)):
        admitted = Admitted(room=seat.room, seat=seat.seat, via="ticket")
        event = Event(f"lone{index}", admitted.event_kind, at, "d", index + 1, session.id, seat.ticket, "A", "s",
                      admitted.to_payload())
        days[seat.ticket] = fold_day(session.id, seat.ticket, [event])
    alone = {seat.ticket: at for seat, at in zip(seats, times)}

    def seen(figures) -> tuple:  # noqa: ANN001
        return (figures.present, figures.admitted_late, figures.arrivals, figures.absent,
                {r: f.present for r, f in figures.rooms.items()})

    return (seen(compute(session, seats, {}, [], Record(), LEVELS, tz, seated_alone=alone)),
            seen(compute(session, seats, days, [], Record(), LEVELS, tz)))


@pytest.mark.parametrize("times", [
    # local 08:29:59.999999, 08:30 to the microsecond (on time), a microsecond after (late), later in that minute
    ["2021-10-16T00:29:59.999999Z", "2021-10-16T00:30:00.000000Z", "2021-10-16T00:30:00.000001Z",
     "2021-10-16T00:30:59.000000Z", "2021-10-16T00:31:00.000000Z", "2021-10-16T00:04:10.500000Z"],
    # not the store's format: each on its own
    ["2021-10-16T00:30:00Z", "2021-10-16T00:30:01+00:00", "2021-10-16T00:30:00.000001Z"],
])
def test_lone_admissions_count_as_their_folded_days(times):
    lone, folded = _lone_admissions_both_ways(S1, times, TZ)
    assert lone == folded


def test_lone_admissions_under_an_offset_of_seconds_count_as_their_folded_days():
    """Shanghai's local mean time (+8:05:43, until 1901): a UTC minute is not a local one."""
    old = Session("S1", "Paper", dt.date(1900, 6, 1), dt.time(8, 30), dt.time(11, 30), 30)
    times = ["1900-06-01T00:24:16.000000Z", "1900-06-01T00:24:17.000000Z", "1900-06-01T00:24:17.000001Z",
             "1900-06-01T00:24:59.000000Z", "1900-06-01T00:20:00.000000Z"]
    lone, folded = _lone_admissions_both_ways(old, times, TZ)
    assert lone == folded
    assert lone[1] == 2  # 08:30:00.000001 and 08:30:42 local
