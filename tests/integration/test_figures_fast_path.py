"""The report's figures come from grouped reads (a lone admission is counted without being folded): on a rich
morning they equal, figure for figure and room by room, a straightforward fold of each candidate's day."""

from __future__ import annotations

import dataclasses
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import event as sa_event
from sqlalchemy import func, select

from examops.adapters.store import report_queries, schema
from examops.domain.event_payloads import AlarmResolved, Voided
from examops.domain.events import Kind
from examops.domain.figures import Record, SeatRecord, compute
from examops.domain.report_content import totals_json
from examops.services import lookup
from examops.services.corrections import void_event
from examops.services.exits import record_exit
from examops.services.figures import lone_days, session_figures
from examops.services.gate import Lane
from examops.services.incidents import close_session, record_incident, resolve_alarm
from examops.services.report import ReportRefused, build_report, gather
from examops.services.review import approve, pending_ids, reject
from examops.services.seating import add_room, move, reallocate
from tests.conftest import TEST_PIN, at_local

LEVELS = ("chief", "deputy", "supervisor")


def folded_one_by_one(site, session_id: str):  # noqa: ANN001, ANN201
    """The figures the plain way: every candidate with an event in the session, their day read and folded alone."""
    session = site.plan.session(session_id)
    with site.store.read() as conn:
        seats = [SeatRecord(r.ticket, r.name, r.room_id, r.seat) for r in report_queries.seated_candidates(conn, session_id)]
        everything = list(report_queries.session_events(conn, session_id))
        tickets = list(dict.fromkeys(e.ticket for e in everything if e.ticket is not None))
        days = {t: lookup.candidate_day(conn, session_id, t) for t in tickets}
        guards = dict(conn.execute(select(schema.admissions.c.ticket, func.count())
                                   .where(schema.admissions.c.session_id == session_id)
                                   .group_by(schema.admissions.c.ticket)).all())
    voids = [Voided.from_event(e) for e in everything if e.kind == Kind.VOIDED]
    targets = {v.target for v in voids}
    overrides = [e.payload.get("override") for e in everything if e.payload.get("override") is not None]
    record = Record({AlarmResolved.from_event(e).target: AlarmResolved.from_event(e).resolution
                     for e in everything if e.kind == Kind.ALARM_RESOLVED},
                    len(targets), sum(not v.reason.strip() for v in voids), sum(not str(o).strip() for o in overrides))
    incidents = [e for e in everything if e.kind == Kind.INCIDENT and e.id not in targets]
    live = {t: n - days[t].voided_admissions for t, n in guards.items() if t in days}
    return compute(session, seats, days, incidents, record, site.plan.approval_levels, ZoneInfo(site.plan.timezone),
                   live, now_local=site.clock.local())


def _rich_morning(site) -> None:  # noqa: ANN001
    """The bench's trickle and more, through the services, plus a few rows only an odd writer leaves."""
    people = site.people
    lane, other = Lane(site, "A", "安检员甲"), Lane(site, "B", "安检员乙")
    at_local(site, "2021-10-16T08:05")
    for p in people[:70]:
        assert lane.check(p.ticket, session_id="S1").verdict == "admitted"
    at_local(site, "2021-10-16T08:31")  # after the start: admitted late
    for p in people[70:80]:
        other.check(p.ticket, session_id="S1")
    # Held and pending in the reverse of ticket order: a room's lists follow the log, not the tickets.
    held, rejected, pending = people[85:79:-1], people[86:89], people[91:88:-1]
    for p in held:
        lane.check(p.ticket, session_id="S1", outcome="no_test_cert")
    rejections = [lane.check(p.ticket, session_id="S1", outcome="id_mismatch").event_id for p in rejected]
    for p in pending:
        lane.check(p.ticket, session_id="S1", outcome="other", evidence={"note": "fixture"})
    for event_id in rejections[:2]:
        reject(site, event_id, by="chief", reason="fixture", pin=TEST_PIN)
    for level in LEVELS:
        approve(site, pending_ids(site, session="S1", level=level, code="no_test_cert"), level=level, by=level, pin=TEST_PIN)
    add_room(site, "B02", name="备用考场二", capacity=30, kind="backup", by="chief", pin=TEST_PIN)
    assert reallocate(site, "S1", by="chief", pin=TEST_PIN).moves
    move(site, people[0].ticket, session="S1", room="B02", seat=None, by="chief", pin=TEST_PIN, reason="desk broken")
    duplicated = [lane.check(p.ticket, session_id="S1") for p in people[1:5]]
    assert {d.verdict for d in duplicated} == {"duplicate"}
    resolve_alarm(site, duplicated[0].event_id, resolution="double_read", note="read twice", by="chief", pin=TEST_PIN)
    resolve_alarm(site, duplicated[1].event_id, resolution="incident", note="someone else", by="chief", pin=TEST_PIN)
    record_incident(site, session="S1", room="002", kind="违纪", note="notes on the desk", by="监考员乙", ticket=people[31].ticket)
    record_incident(site, session="S1", room="002", kind="其他", note="a window", by="监考员丙")  # after it, in its room
    spoiled = record_incident(site, session="S1", room="004", kind="违纪", note="entered wrongly", by="监考员丁")
    void_event(site, spoiled.id, reason="entered in the wrong session", by="chief", pin=TEST_PIN)
    with site.store.read() as conn:
        voidable = lookup.candidate_day(conn, "S1", people[60].ticket).admission
    void_event(site, voidable.id, reason="scanned the wrong card", by="chief", pin=TEST_PIN)
    lane.check(people[60].ticket, session_id="S1")  # admitted again: a second guard row, the first one voided
    record_exit(site, people[10].ticket, session="S1", reason="unwell", final=True, by="监考员甲",
                authorised_by="chief", pin=TEST_PIN)  # before 09:00: the chief's PIN
    record_exit(site, people[11].ticket, session="S1", reason="toilet", final=False, by="监考员甲")
    record_exit(site, people[12].ticket, session="S1", reason="toilet", final=False, by="监考员甲")
    assert lane.check(people[12].ticket, session_id="S1").verdict == "returned"
    # What only another writer leaves: a lone admission away from the roster seat, one of someone not seated here,
    # one with an override that gives no reason, and an admission whose guard row was taken twice.
    with site.store.write() as conn:
        for ticket, room, seat, extra in ((people[100].ticket, "B02", 7, {}), ("NOT-SEATED-1", "001", 31, {}),
                                          (people[101].ticket, "004", 12, {"override": " "})):
            payload = {"code": "", "action": "admit", "reason": "", "evidence": {}, "room": room, "seat": seat,
                       "via": "ticket", **extra}
            event = site.system_event(Kind.ADMITTED, payload, session="S1", ticket=ticket)
            site.store.append(conn, dataclasses.replace(event, lane="Z", staff="odd writer"))
        conn.execute(schema.admissions.insert().values(session_id="S1", ticket=people[102].ticket, slot=1, event_id="guard-only"))
    lane.check(people[102].ticket, session_id="S1")
    # The afternoon: a few in before its gate opens for the rest (未到, not 缺考).
    at_local(site, "2021-10-16T13:20")
    for p in people[:15]:
        lane.check(p.ticket, session_id="S2")
    lane.check(people[15].ticket, session_id="S2", outcome="no_test_cert")
    at_local(site, "2021-10-16T11:40")
    close_session(site, session="S1", by="chief", pin=TEST_PIN, reason="")


def test_the_report_figures_equal_a_fold_of_each_day(seeded_site, tmp_path):
    site = seeded_site
    _rich_morning(site)
    at_local(site, "2021-10-16T13:40")  # S1 over, S2's entry still open
    # The odd writer's admissions bypass the guard rows: no report is signed over that (the tamper check), so the
    # figures are the report's own gathered content.
    with pytest.raises(ReportRefused, match="uniqueness guard was bypassed"):
        build_report(site, session_ids=None, out=tmp_path / "report.xlsx", pin=TEST_PIN, by="chief")
    summaries = [sc.figures.summary() for sc in gather(site, None).sessions]
    result = {"sessions": summaries, "totals": totals_json(summaries)}
    plain = [folded_one_by_one(site, s.id) for s in site.plan.sessions]
    assert result["sessions"] == [f.summary() for f in plain]
    assert result["totals"] == totals_json([f.summary() for f in plain])
    for fast, slow in zip((session_figures(site, s.id) for s in site.plan.sessions), plain):
        assert fast.arrivals == slow.arrivals
        assert list(fast.rooms) == list(slow.rooms)
        assert [r.to_dict() for r in fast.rooms.values()] == [r.to_dict() for r in slow.rooms.values()]
    s1 = plain[0].summary()
    # The morning has what the fast path must not lose: each of these is a figure it counts.
    assert s1["admitted_late"] and s1["reallocated"] >= 3 and s1["left_early"] == 1 and s1["voided"] == 2
    assert s1["duplicate_admissions"] == 1 and s1["unexplained_overrides"] == 1 and s1["alarm_incidents"] == 1
    assert s1["open_alarms"] == 2 and s1["denied"] == 2 and s1["incidents"] == 2
    assert plain[1].not_arrived and not plain[1].absent


@pytest.mark.parametrize("shared_read", [False, True], ids=["session", "report"])
def test_a_day_that_grows_while_the_figures_are_read_is_counted_once(seeded_site, shared_read):
    """A lone admission that gets a duplicate scan just after the read that finds it alone (PostgreSQL reads each
    statement at its own moment; SQLite's read transaction sees neither change; the report makes that read for
    every session at once, on a connection of its own) is counted once, as that read saw it."""
    site, people = seeded_site, seeded_site.people
    lane = Lane(site, "A", "安检员甲")
    at_local(site, "2021-10-16T08:05")
    for p in people[:20]:
        lane.check(p.ticket, session_id="S1")
    before = folded_one_by_one(site, "S1")
    rescanned = []

    def scan_once_more(conn, cursor, statement, *args):  # noqa: ANN001
        if not rescanned and "json" in statement:  # report_queries.ticket_days, the read that decides who is alone
            rescanned.append(Lane(site, "B", "安检员乙").check(people[3].ticket, session_id="S1"))

    sa_event.listen(site.store.engine, "after_cursor_execute", scan_once_more)
    try:
        fast = session_figures(site, "S1", (lambda: lone_days(site)["S1"]) if shared_read else None)
    finally:
        sa_event.remove(site.store.engine, "after_cursor_execute", scan_once_more)
    assert rescanned and rescanned[0].verdict == "duplicate"
    assert folded_one_by_one(site, "S1").duplicates == 1  # it is in the log now
    assert fast.summary() == before.summary()
    assert fast.present == 20 and fast.rooms["001"].present == 20


def test_the_database_counts_only_plain_lone_admissions_as_alone(seeded_site):
    """`lone_days` (`ticket_days`' rows), one session asked or every session: a lone admission is alone only with its room a JSON string and its seat a JSON integer equal
    to the roster seat's and no override; a seat written as text, a room as a number, an override of any kind, or
    a ticket with two events go to the fold (which is right for any day)."""
    site, people = seeded_site, seeded_site.people
    with site.store.read() as conn:
        home = {r.ticket: (r.room_id, r.seat) for r in report_queries.seated_candidates(conn, "S1")}
    odd = {0: {}, 1: {"seat": str(home[people[1].ticket][1])}, 2: {"room": 7}, 3: {"override": "late bus"},
           4: {"override": None}, 5: {}}
    with site.store.write() as conn:
        for index, changes in odd.items():
            ticket = people[index].ticket
            room, seat = home[ticket]
            payload = {"code": "", "action": "admit", "reason": "", "evidence": {}, "room": room, "seat": seat,
                       "via": "ticket", **changes}
            for _ in range(2 if index == 5 else 1):
                site.store.append(conn, site.system_event(Kind.ADMITTED, payload, session="S1", ticket=ticket))
    for asked in (["S1"], None):
        days = lone_days(site, asked)["S1"]
        alone = {**{ticket: True for ticket in days.alone}, **{ticket: False for ticket in days.folded}}
        assert alone == {people[0].ticket: True, people[1].ticket: False, people[2].ticket: False,
                         people[3].ticket: False, people[4].ticket: True, people[5].ticket: False}
