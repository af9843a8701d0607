"""A/B of the report's read that decides which tickets' days are one plain admission (counted without a fold).

Variants, run in turn in one process, `--rounds` times each (interleaved), each giving every session's answer
(ticket → (time, alone)), on a store a bench_report.py run kept (`--workdir`); thread CPU and wall seconds:

- `report3: grouped, SQL JSON`: the read report3 made, a GROUP BY ticket per session with the lone event's payload
  read by SQLite's JSON functions and matched with the seat row (copied here: the code no longer has it);
- `grouped, Python JSON`: the grouped read before it (count, least kind, time and payload per ticket, per session),
  the payload parsed in Python (json's C scanner) and matched with the roster's seat;
- `one scan, SQL JSON` (the code now: `services.figures.lone_days` of every session): every event about a ticket
  in one pass through the table, each row's room/seat/override test made by the database, grouped in Python;
- `one scan, Python JSON`: the same pass reading the payloads, parsed and matched in Python;
- `floor, index` / `floor, one scan`: the bare SELECT of the rows these read (ticket, kind, time, payload), per
  session by the (session, ticket) index, and all sessions in one pass, through the sqlite3 module.

Every variant's answer is checked equal to the code's.

    python bench/ab_ticket_days.py --db /tmp/report4-bench/bench-this.sqlite3 [--rounds 7]
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import and_, case, create_engine, func, select  # noqa: E402

from examops.adapters.store import report_queries as q  # noqa: E402
from examops.adapters.store.schema import events as E  # noqa: E402
from examops.adapters.store.schema import seats as S  # noqa: E402
from examops.domain.events import Kind  # noqa: E402
from examops.services.figures import _lone_days  # noqa: E402

_scan = json.JSONDecoder().scan_once


def _json_object(text: str):  # noqa: ANN202
    try:
        value, end = _scan(text, 0)
    except StopIteration:
        return json.loads(text)
    return value if end == len(text) else json.loads(text)


def _plain(text: str, home: tuple | None) -> bool:
    payload = _json_object(text)
    room, seat = payload.get("room"), payload.get("seat")
    return (home is not None and type(room) is str and type(seat) is int and (room, seat) == home
            and payload.get("override") is None)


def code_now(conn, sessions: list[str], homes: dict) -> dict:  # noqa: ANN001
    return {s: {**{t: (at, True) for t, at in days.alone.items()}, **{t: None for t in days.folded}}
            for s, days in _lone_days(conn, None).items() if s in sessions}


def _answer(first: dict, many: set, alone_of) -> dict:  # noqa: ANN001
    return {t: (None if t in many or not alone_of(t, found) else (found[0], True)) for t, found in first.items()}


def report3(conn, sessions: list[str], homes: dict) -> dict:  # noqa: ANN001
    out = {}
    for session in sessions:
        payload = func.min(E.c.payload)
        room_ok = and_(func.json_type(payload, "$.room") == "text", func.json_extract(payload, "$.room") == func.min(S.c.room_id))
        seat_ok = and_(func.json_type(payload, "$.seat") == "integer", func.json_extract(payload, "$.seat") == func.min(S.c.seat))
        alone = case((and_(func.count() == 1, func.min(E.c.kind) == Kind.ADMITTED, room_ok, seat_ok,
                           func.json_extract(payload, "$.override").is_(None)), 1), else_=0)
        rows = conn.execute(select(E.c.ticket, func.min(E.c.at), alone)
                            .select_from(E.outerjoin(S, and_(S.c.session_id == E.c.session_id, S.c.ticket == E.c.ticket)))
                            .where(E.c.session_id == session, E.c.ticket.is_not(None)).group_by(E.c.ticket)).all()
        out[session] = {t: ((at, True) if flag else None) for t, at, flag in rows}
    return out


def grouped_python(conn, sessions: list[str], homes: dict) -> dict:  # noqa: ANN001
    out = {}
    for session in sessions:
        rows = conn.execute(
            select(E.c.ticket, func.count(), func.min(E.c.kind), func.min(E.c.at), func.min(E.c.payload))
            .where(E.c.session_id == session, E.c.ticket.is_not(None)).group_by(E.c.ticket)).all()
        home = homes[session]
        out[session] = {t: ((at, True) if n == 1 and kind == Kind.ADMITTED and _plain(text, home.get(t)) else None)
                        for t, n, kind, at, text in rows}
    return out


def scan_python(conn, sessions: list[str], homes: dict) -> dict:  # noqa: ANN001
    firsts: dict[str, dict] = {s: {} for s in sessions}
    many: dict[str, set] = {s: set() for s in sessions}
    for sid, ticket, kind, at, text in conn.execute(select(E.c.session_id, E.c.ticket, E.c.kind, E.c.at, E.c.payload)
                                                    .where(E.c.ticket.is_not(None))).all():
        first = firsts.get(sid)
        if first is None:
            continue
        if ticket in first:
            many[sid].add(ticket)
        else:
            first[ticket] = (at, kind, text)
    return {s: _answer(firsts[s], many[s], lambda t, f, s=s: f[1] == Kind.ADMITTED and _plain(f[2], homes[s].get(t)))
            for s in sessions}


def floor_index(raw: sqlite3.Connection, sessions: list[str], homes: dict) -> int:
    return sum(len(raw.execute("SELECT ticket, kind, at, payload FROM events WHERE session_id = ? AND ticket IS NOT NULL",
                               (s,)).fetchall()) for s in sessions)


def floor_scan(raw: sqlite3.Connection, sessions: list[str], homes: dict) -> int:
    return len(raw.execute("SELECT session_id, ticket, kind, at, payload FROM events WHERE ticket IS NOT NULL").fetchall())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    engine = create_engine(f"sqlite:///{args.db}")
    raw = sqlite3.connect(args.db)
    variants = {"report3: grouped, SQL JSON": report3, "grouped, Python JSON": grouped_python,
                "one scan, SQL JSON (the code)": code_now, "one scan, Python JSON": scan_python}
    floors = {"floor, index (per session)": floor_index, "floor, one scan": floor_scan}
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in [*variants, *floors]}
    with engine.connect() as conn:
        sessions = [s for (s,) in conn.exec_driver_sql("SELECT DISTINCT session_id FROM seats ORDER BY session_id")]
        homes = {s: {r.ticket: (r.room_id, r.seat) for r in q.seated_candidates(conn, s)} for s in sessions}
        expected = code_now(conn, sessions, homes)
        for name, fn in variants.items():
            got = fn(conn, sessions, homes)
            for s in sessions:
                if got[s] != expected[s]:
                    diff = [t for t in expected[s] if got[s].get(t) != expected[s][t]][:5]
                    raise SystemExit(f"{name} differs from the code on {s}: {diff}")
        for _ in range(args.rounds):
            for name in times:
                wall, cpu = time.perf_counter(), time.thread_time()
                (floors[name](raw, sessions, homes) if name in floors else variants[name](conn, sessions, homes))
                times[name].append((time.perf_counter() - wall, time.thread_time() - cpu))
    print(f"{'every session, ' + str(args.rounds) + ' rounds':<34} {'wall ms med':>11} {'CPU ms med':>10} {'CPU ms min':>10}")
    for name, found in times.items():
        print(f"{name:<34} {statistics.median(w for w, _ in found) * 1000:>11.1f} "
              f"{statistics.median(c for _, c in found) * 1000:>10.1f} {min(c for _, c in found) * 1000:>10.1f}")
    print(f"load average {os.getloadavg()[0]:.1f} ({os.cpu_count()} cores)")


if __name__ == "__main__":
    main()
