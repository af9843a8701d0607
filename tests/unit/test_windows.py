"""Entry windows: which session a lane is in and whether a scan may be judged now (table-driven)."""

from __future__ import annotations

import datetime as dt

import pytest

from examops.domain import windows
from examops.domain.plan import Session, parse_plan

S1 = Session("S1", "试卷一", dt.date(2021, 10, 16), dt.time(8, 30), dt.time(11, 30), 30)
S2 = Session("S2", "试卷二", dt.date(2021, 10, 16), dt.time(14, 0), dt.time(17, 0), 30)
S3 = Session("S3", "试卷三", dt.date(2021, 10, 17), dt.time(8, 30), dt.time(11, 30), 15, 30)


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


@pytest.mark.parametrize(("session", "now", "status"), [
    (S1, "2021-10-15T08:05", windows.OTHER_DAY),   # the day before
    (S1, "2021-10-16T07:44:59", windows.NOT_YET),  # doors open 45 min before the start
    (S1, "2021-10-16T07:45", windows.OPEN),
    (S1, "2021-10-16T09:00", windows.OPEN),        # the cutoff itself still admits
    (S1, "2021-10-16T09:00:01", windows.LATE),     # the session's day, after the cutoff: the late denial
    (S1, "2021-10-16T11:30", windows.LATE),
    (S1, "2021-10-16T11:30:01", windows.ENDED),
    (S1, "2021-10-17T08:05", windows.ENDED),       # a later day is never a late denial
    (S2, "2021-10-16T08:05", windows.NOT_YET),     # --session S2 at 08:05
    (S3, "2021-10-17T07:59", windows.NOT_YET),     # entry_opens_minutes = 30
    (S3, "2021-10-17T08:00", windows.OPEN),
    (S3, "2021-10-17T08:45:01", windows.LATE),     # late_entry_minutes = 15
])
def test_window_status(session, now, status):
    assert windows.window(session, at(now)).status == status


@pytest.mark.parametrize(("now", "session", "status"), [
    ("2021-10-15T08:05", "S1", windows.OTHER_DAY),  # before everything: the first, and when it opens
    ("2021-10-16T08:05", "S1", windows.OPEN),
    ("2021-10-16T10:00", "S1", windows.LATE),       # S1 runs until it ends
    ("2021-10-16T12:00", "S2", windows.NOT_YET),    # between sessions: the next one
    ("2021-10-16T13:20", "S2", windows.OPEN),
    ("2021-10-16T18:00", "S3", windows.OTHER_DAY),
    ("2021-10-18T08:05", "S3", windows.ENDED),      # after everything: the last
])
def test_lane_session(now, session, status):
    found = windows.lane_window((S2, S3, S1), at(now))
    assert (found.session.id, found.status) == (session, status)


@pytest.mark.parametrize(("session", "now", "said"), [
    (S1, "2021-10-15T08:05", "S1 试卷一 is on 2021-10-16, entry from 07:45"),
    (S1, "2021-10-17T08:05", "S1 试卷一: entry closed at 09:00 on 2021-10-16"),
    (S2, "2021-10-16T08:05", "S2 试卷二: entry from 13:15"),
])
def test_the_answer_says_what_and_when(session, now, said):
    assert windows.window(session, at(now)).reason() == said


def test_plan_reads_entry_opens_minutes_with_a_default():
    base = '[exam]\nname="x"\nsite="y"\n[[sessions]]\nid="S1"\ndate="2021-10-16"\nstart="08:30"\nend="11:30"\n'
    assert parse_plan(base).sessions[0].entry_opens_minutes == 45
    assert parse_plan(base + "entry_opens_minutes = 15\n").sessions[0].entry_opens_minutes == 15
    with pytest.raises(ValueError, match="entry_opens_minutes"):
        parse_plan(base + "entry_opens_minutes = -1\n")


def test_no_sessions_no_lane_window():
    assert windows.lane_window((), at("2021-10-16T08:05")) is None


S4 = Session("S4", "试卷四", dt.date(2021, 10, 17), dt.time(14, 0), dt.time(16, 0), 15, 45, 60)


@pytest.mark.parametrize(("session", "now", "allowed_from"), [
    (S1, "2021-10-16T07:50", "2021-10-16T09:00"),     # admitted, the paper not started: an early leave all the same
    (S1, "2021-10-16T08:31", "2021-10-16T09:00"),     # a minute after the start
    (S1, "2021-10-16T08:59:59", "2021-10-16T09:00"),  # by default from when entry closes (late_entry_minutes)
    (S1, "2021-10-16T09:00", None),                   # the time itself allows it
    (S1, "2021-10-16T10:30", None),
    (S1, "2021-10-15T10:30", "2021-10-16T09:00"),     # the day before
    (S3, "2021-10-17T08:45", None),                   # late_entry_minutes = 15: from 08:45
    (S3, "2021-10-17T08:44:59", "2021-10-17T08:45"),
    (S4, "2021-10-17T14:59:59", "2021-10-17T15:00"),  # early_leave_minutes = 60, later than entry closes
    (S4, "2021-10-17T15:00", None),
])
def test_leaving_for_good_waits_for_the_plans_time(session, now, allowed_from):
    expected = at(allowed_from) if allowed_from else None
    assert windows.too_early_to_leave(session, at(now)) == expected


PLAN = '[exam]\nname="x"\nsite="y"\n[[sessions]]\nid="S1"\ndate="2021-10-16"\nstart="08:30"\nend="11:30"\n'


@pytest.mark.parametrize(("extra", "minutes", "allowed_from"), [
    ("", None, "09:00"),                                              # an older plan: as late_entry_minutes
    ("late_entry_minutes = 15\n", None, "08:45"),
    ("early_leave_minutes = 60\n", 60, "09:30"),
    ("late_entry_minutes = 15\nearly_leave_minutes = 15\n", 15, "08:45"),
    ("early_leave_minutes = 180\n", 180, "11:30"),                    # no early leave at all: the paper's length
])
def test_plan_reads_early_leave_minutes_with_a_default(extra, minutes, allowed_from):
    session = parse_plan(PLAN + extra).sessions[0]
    assert session.early_leave_minutes == minutes
    assert f"{session.early_leave_from:%H:%M}" == allowed_from


@pytest.mark.parametrize("extra", [
    "early_leave_minutes = 29\n",        # before entry closes: a leaving candidate could meet a late one
    "early_leave_minutes = 181\n",       # after the paper ends
    "early_leave_minutes = -1\n",
    'early_leave_minutes = "30"\n',
])
def test_plan_refuses_an_early_leave_time_outside_the_paper(extra):
    with pytest.raises(ValueError, match=r"sessions\[0\]\.early_leave_minutes"):
        parse_plan(PLAN + extra)


def test_the_sample_plan_leaves_early_leave_to_its_default():
    from tests.conftest import SAMPLE_PLAN

    plan = parse_plan(SAMPLE_PLAN.read_text(encoding="utf-8"))
    assert [f"{s.early_leave_from:%H:%M}" for s in plan.sessions] == ["09:00", "14:30"]
