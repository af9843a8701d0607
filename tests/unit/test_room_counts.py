"""A room's counts as its proctors and the bureau read them, after a reallocation.

Found running the afternoon story: 23 candidates without a test certificate moved to 备用考场 B01, whose record then
read 应到 0 / 实到 0 / 调入 23 (who was expected there, who sat there?), while the rooms they left kept 应到 30 beside
a sign-in sheet of 28 names. Now 应到 is who should sit in the room and 实到 who does: 应到 = 原编排 − 调出 + 调入 =
实到 + 缺考 + 未到, and the rooms add up to the session's own figures.
"""

from __future__ import annotations

import datetime as dt

import pytest

from examops.domain.event_payloads import Admitted, Approved, Moved, Origin
from tests.unit.test_figures import Morning


def _two_sent_to_the_backup_room() -> Morning:
    m = Morning()
    for ticket, seat in (("T0012", 1), ("T0021", 2)):
        case = m.exception(ticket, code="no_test_cert", action="backup_room")
        m.add(ticket, Approved(exception_id=case.id, level="chief", by="王"))
        m.add(ticket, Admitted(room="B01", seat=seat, via="reallocation", exception_id=case.id,
                               origin=Origin(ticket[1:4], int(ticket[-1]))))
    m.admit("T0011")
    m.admit("T0022")
    m.admit("T0023")
    m.add("T0023", Moved(room="B01", seat=3, origin=Origin("002", 3), by="王", reason="desk broken"))
    return m


def test_a_room_that_only_receives_expects_and_counts_who_was_moved_in():
    f = _two_sent_to_the_backup_room().figures()
    backup = f.rooms["B01"]
    assert (backup.rostered, len(backup.moved_out), len(backup.moved_in), backup.expected, backup.present,
            len(backup.absent)) == (0, 0, 3, 3, 3, 0)
    assert backup.adds_up


def test_the_rooms_they_left_expect_the_ones_who_stayed():
    f = _two_sent_to_the_backup_room().figures()
    left, right = f.rooms["001"], f.rooms["002"]
    # 001: T0011 in, T0012 moved out, T0013 absent.  002: T0021 and T0023 moved out, T0022 in.
    assert (left.rostered, len(left.moved_out), left.expected, left.present, len(left.absent)) == (3, 1, 2, 1, 1)
    assert (right.rostered, len(right.moved_out), right.expected, right.present, len(right.absent)) == (3, 2, 1, 1, 0)
    for row in f.rooms.values():
        assert row.expected == row.rostered - len(row.moved_out) + len(row.moved_in)
        assert row.expected == row.present + len(row.absent) + len(row.not_arrived)


@pytest.mark.parametrize("now", [dt.datetime(2021, 10, 16, 8, 40), None])
def test_the_rooms_add_up_to_the_session(now):
    f = _two_sent_to_the_backup_room().figures(now)
    rooms = f.rooms.values()
    assert sum(r.expected for r in rooms) == sum(r.rostered for r in rooms) == f.expected
    assert sum(r.present for r in rooms) == f.present == 5
    assert sum(len(r.absent) for r in rooms) == f.absent
    assert sum(len(r.not_arrived) for r in rooms) == f.not_arrived
    assert sum(len(r.moved_in) for r in rooms) == sum(len(r.moved_out) for r in rooms) == f.reallocated == 3
