"""A fixture morning through the services: repeat attempts, a manual move, an open duplicate alarm, an incident,
a close with a pending case. Its figures are checked row by row, and every room row adds up."""

from __future__ import annotations

import pytest

from examops.services.figures import session_figures
from examops.services.gate import Lane
from examops.services.incidents import close_session, record_incident, resolve_alarm, still_open
from examops.services.review import ReviewRefused, approve, duplicate_alarms, list_cases
from examops.services.seating import move, reallocate
from tests.conftest import TEST_PIN, at_local

LEVELS = ("chief", "deputy", "supervisor")


def _approve_all(site, case_id):  # noqa: ANN001
    for level in LEVELS:
        approve(site, [case_id], level=level, by=f"{level}-王", pin=TEST_PIN, session="S1")


@pytest.fixture
def morning(seeded_site):
    site, people = seeded_site, seeded_site.people
    room1, room2 = people[:30], people[30:60]
    lane = Lane(site, "A", "安检员甲")
    at_local(site, "2021-10-16T08:05")
    for p in room1[:20]:
        assert lane.check(p.ticket, session_id="S1").verdict == "admitted"
    for p in room2[:25]:
        lane.check(p.ticket, session_id="S1")
    fever = room1[20]
    assert lane.check(fever.ticket, session_id="S1", outcome="fever").verdict == "exception"  # no reading yet
    assert lane.check(fever.ticket, session_id="S1", outcome="fever",
                      evidence={"temp1": "38.2", "temp2": "38.4"}).action == "isolation_room"
    cert = room1[21]
    lane.check(cert.ticket, session_id="S1", outcome="no_test_cert")  # stays pending all morning
    risk = room2[25]
    lane.check(risk.ticket, session_id="S1", outcome="health_code", evidence={"note": "yellow"})
    fever_case = [v for v in list_cases(site, session="S1") if v.card.ticket == fever.ticket][-1]
    _approve_all(site, fever_case.case.id)
    reallocate(site, "S1", by="王总监", pin=TEST_PIN)
    move(site, room1[0].ticket, session="S1", room="B01", seat=None, by="王总监", pin=TEST_PIN, reason="desk broken")
    move(site, room1[1].ticket, session="S1", room="B01", seat=None, by="王总监", pin=TEST_PIN, reason="wrong row, seen late")
    assert lane.check(room1[2].ticket, session_id="S1").verdict == "duplicate"  # open alarm
    record_incident(site, session="S1", room="002", kind="违纪", note="notes on the desk", by="监考员乙", ticket=room2[3].ticket)
    site.fixture = {"fever": fever, "cert": cert, "risk": risk, "room1": room1, "room2": room2}
    return site


def test_before_the_cutoff_the_missing_are_not_yet_arrived(morning):
    at_local(morning, "2021-10-16T08:10")
    f = session_figures(morning, "S1")
    assert f.absent == 0 and f.not_arrived == 120 - f.present
    assert all(not r.absent for r in f.rooms.values())


def test_the_morning_figures_row_by_row(morning):
    at_local(morning, "2021-10-16T11:35")
    f = session_figures(morning, "S1")
    # Candidates, not attempts: fever (2 attempts), no certificate, health code.
    assert (f.exceptions, f.exception_attempts) == (3, 4)
    assert f.exceptions_by_code == {"fever": 1, "no_test_cert": 1, "health_code": 1}
    # The fever reallocation and the two manual moves are all 调配.
    assert f.reallocated == 3
    assert (f.expected, f.present) == (120, 20 + 25 + 1)
    assert f.present + f.absent == f.expected
    # 原编排, 调出, 调入, 应到, 实到, 缺考
    rows = {room: (r.rostered, len(r.moved_out), len(r.moved_in), r.expected, r.present, len(r.absent))
            for room, r in f.rooms.items()}
    assert rows["001"] == (30, 3, 0, 27, 18, 9)
    assert rows["002"] == (30, 0, 0, 30, 25, 5)
    assert rows["003"] == (30, 0, 0, 30, 0, 30) and rows["004"] == (30, 0, 0, 30, 0, 30)
    assert rows["B01"] == (0, 0, 2, 2, 2, 0) and rows["G01"] == (0, 0, 1, 1, 1, 0)
    assert all(r.adds_up for r in f.rooms.values()), rows
    assert sum(r.expected for r in f.rooms.values()) == f.expected and sum(r.present for r in f.rooms.values()) == f.present
    moves = {m["ticket"]: m for m in f.rooms["001"].moved_out}
    assert moves[morning.fixture["room1"][0].ticket]["reason"] == "desk broken"
    assert moves[morning.fixture["fever"].ticket]["via"] == "reallocation"
    # The superseded first attempt is not a second case on the room sheet.
    assert [e["ticket"] for e in f.rooms["001"].exceptions].count(morning.fixture["fever"].ticket) == 1
    assert [r.code for r in f.reasons] == ["incidents", "unresolved", "open_alarms"]


def test_the_chief_resolves_the_alarm_and_the_close_says_what_is_left(morning):
    at_local(morning, "2021-10-16T09:10")
    with pytest.raises(ReviewRefused, match="(?s)runs until 11:30.*--reason.*wait for the chief's approval"):
        close_session(morning, session="S1", by="王总监", pin=TEST_PIN)
    left = still_open(morning, "S1")
    assert any("1 duplicate-scan alarm" in line for line in left)
    alarm = duplicate_alarms(morning, "S1")[0]
    with pytest.raises(ReviewRefused, match="wrong PIN"):
        resolve_alarm(morning, alarm["event_id"], resolution="double_read", note="x", by="王总监", pin="0000")
    resolve_alarm(morning, alarm["event_id"][:8], resolution="rescan", note="staff scanned the ticket twice", by="王总监",
                  pin=TEST_PIN)
    with pytest.raises(ReviewRefused, match="already resolved"):
        resolve_alarm(morning, alarm["event_id"], resolution="rescan", note="again", by="王总监", pin=TEST_PIN)
    at_local(morning, "2021-10-16T11:35")
    assert "open_alarms" not in [r.code for r in session_figures(morning, "S1").reasons]
    _event, left = close_session(morning, session="S1", by="王总监", pin=TEST_PIN)
    assert [str(line) for line in left] == ["2 case(s) wait for the chief's approval"]  # Said: English as str()
    verdict = Lane(morning, "A", "s").check(morning.fixture["room2"][29].ticket, session_id="S1")
    assert verdict.verdict == "session_closed" and not verdict.recorded
    assert (verdict.closed_by, verdict.closed_at) == ("王总监", "11:35")
    assert "call the chief" in verdict.reason and "rescan" not in verdict.reason


def test_move_needs_a_reason_and_the_isolation_room_an_approved_case(morning):
    ticket = morning.fixture["room2"][0].ticket
    with pytest.raises(ReviewRefused, match="--reason"):
        move(morning, ticket, session="S1", room="B01", seat=None, by="王总监", pin=TEST_PIN)
    with pytest.raises(ReviewRefused, match="no approved isolation-room exception"):
        move(morning, ticket, session="S1", room="G01", seat=None, by="王总监", pin=TEST_PIN, reason="coughing")
    placed = move(morning, ticket, session="S1", room="G01", seat=None, by="王总监", pin=TEST_PIN, reason="coughing",
                  isolation_reason="the site doctor asked for it")
    assert placed["room"] == "G01" and "site doctor" in placed["reason"]


def _sheet_counts(workbook, title: str) -> dict:
    """The rows of counts on a room's 考场情况记录表 (rows 5 to 7: 未到 only while entry is open), label → value."""
    cells = [v for row in workbook[title].iter_rows(min_row=5, max_row=7, values_only=True) for v in row if v is not None]
    return dict(zip(cells[::2], cells[1::2], strict=True))


def test_at_0840_every_room_adds_up_on_screen_figures_and_paper(morning, tmp_path):
    """After the start, before the entry cutoff (09:00): the missing are 未到; the moved are 调出 at home, 调入 where
    they sit. A health-code hold denied on the second attempt stands as the denial on the room sheet."""
    from openpyxl import load_workbook

    from examops.services.report import build_report

    at_local(morning, "2021-10-16T08:40")
    denied = morning.people[60]  # room 003
    lane = Lane(morning, "B", "安检员乙")
    assert lane.check(denied.ticket, session_id="S1", outcome="health_code").verdict == "exception"  # no colour yet
    assert lane.check(denied.ticket, session_id="S1", outcome="health_code", evidence={"colour": "yellow"}).verdict == "denied"
    f = session_figures(morning, "S1")
    rows = {room: (r.rostered, len(r.moved_out), len(r.moved_in), r.expected, r.present, len(r.absent), len(r.not_arrived))
            for room, r in f.rooms.items()}
    assert rows == {"001": (30, 3, 0, 27, 18, 0, 9), "002": (30, 0, 0, 30, 25, 0, 5), "003": (30, 0, 0, 30, 0, 0, 30),
                    "004": (30, 0, 0, 30, 0, 0, 30), "B01": (0, 0, 2, 2, 2, 0, 0), "G01": (0, 0, 1, 1, 1, 0, 0)}
    assert all(r.adds_up for r in f.rooms.values())
    assert (f.present, f.absent, f.not_arrived) == (46, 0, 120 - 46)
    [standing] = f.rooms["003"].exceptions
    assert (standing["code"], standing["action"], standing["status"], standing["attempts"]) == ("health_code", "deny", "denied", 1)

    build_report(morning, session_ids=["S1"], out=tmp_path / "S1.xlsx", lang="zh", pin=TEST_PIN)
    workbook = load_workbook(tmp_path / "S1.xlsx")
    for room, (rostered, moved_out, moved_in, expected, present, absent, not_arrived) in rows.items():
        counts = _sheet_counts(workbook, f"S1-{room}")
        assert counts == {"原编排": rostered, "调出": moved_out, "调入": moved_in, "应到": expected, "实到": present,
                          "缺考": absent, "未到": not_arrived}, room
        assert counts["应到"] == counts["原编排"] - counts["调出"] + counts["调入"] == counts["实到"] + counts["缺考"] + counts["未到"]
    printed = [v for row in workbook["S1-003"].iter_rows(values_only=True) for v in row if v is not None]
    assert denied.ticket in printed and "禁止入场" in printed and "已拒绝入场" in printed and "已关闭" not in printed
