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
