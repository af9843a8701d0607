"""Durable scans per second through `examops check --stdin`, against one process per scan.

A store with 50k candidates; 2,000 admissions streamed into one lane process
(throughput), 2,000 more one at a time (per-scan latency: from writing the
line to reading its JSON answer, which is printed only after the commit), and
~100 scans as one `examops check CODE` process each (extrapolated to 2,000).
Target: >= 500 durable scans/s on SQLite.

    python bench/bench_check_stdin.py
    python bench/bench_check_stdin.py --pg postgresql+psycopg://root@127.0.0.1:5432/test
    python bench/bench_check_stdin.py --profile     # cProfile of the streamed lane, top functions
"""

from __future__ import annotations

import argparse
import os
import pstats
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, func, insert, select, text  # noqa: E402

from examops import sample  # noqa: E402
from examops.adapters.store import schema  # noqa: E402
from examops.services.site import Site, init_site  # noqa: E402

EXAMOPS = str(Path(sys.executable).parent / "examops")
PLAN = ROOT / "rosters" / "sample_plan.toml"
CLOCK = "2021-10-16T08:10"  # S1's gate is open
SEATS_PER_ROOM = 30
TARGET_PER_S = 500


def seed(url: str, people: list[sample.Person]) -> float:
    """Init the store and bulk-insert the roster (as tests/conftest.py `seed_roster` does); seconds taken."""
    start = time.perf_counter()
    site = init_site(PLAN, url=url, chief_pin="5183")  # not a guessable PIN: init refuses those
    rows, seat_rows = [], []
    for index, person in enumerate(people):
        rows.append({"ticket": person.ticket, "name": person.name, "id_number": person.id_number,
                     "id_tail": person.id_number[-4:], "sex": person.sex, "site": None})
        room = f"{index // SEATS_PER_ROOM + 1:04d}"
        for session in site.plan.sessions:
            seat_rows.append({"session_id": session.id, "ticket": person.ticket, "room_id": room,
                              "seat": index % SEATS_PER_ROOM + 1})
    with site.store.write() as conn:
        conn.execute(insert(schema.candidates), rows)
        conn.execute(insert(schema.seats), seat_rows)
        for room in sorted({r["room_id"] for r in seat_rows}):
            conn.execute(insert(schema.rooms).values(id=room, name=room, capacity=SEATS_PER_ROOM, kind="regular"))
    site.close()
    return time.perf_counter() - start


def lane_command(url: str, lane: str, profile_to: Path | None = None) -> list[str]:
    args = ["--db", url, "check", "--stdin", "--lane", lane, "--staff", "bench", "--session", "S1", "--json"]
    if profile_to is not None:
        return [sys.executable, "-m", "cProfile", "-o", str(profile_to), "-m", "examops", *args]
    return [EXAMOPS, *args]


def start_lane(command: list[str], env: dict) -> subprocess.Popen:
    """Start a lane and wait until it answers (an invalid warm-up scan): start-up is not part of the numbers."""
    proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    proc.stdin.write(b"-\n")
    proc.stdin.flush()
    if not proc.stdout.readline():
        raise SystemExit(f"the lane did not start: {proc.stderr.read().decode()}")
    return proc


def finish_lane(proc: subprocess.Popen) -> None:
    proc.stdin.close()
    proc.stdout.read()
    if proc.wait() != 0:
        raise SystemExit(f"the lane exited {proc.returncode}: {proc.stderr.read().decode()}")


def streamed(url: str, tickets: list[str], env: dict, profile_to: Path | None = None) -> dict:
    """All scans written as fast as the pipe takes them; scans/s from the first write to the last answer."""
    proc = start_lane(lane_command(url, "S", profile_to), env)
    payload = "".join(f"{t}\n" for t in tickets).encode()
    start = time.perf_counter()
    writer = threading.Thread(target=lambda: (proc.stdin.write(payload), proc.stdin.flush()))
    writer.start()
    answers = [proc.stdout.readline() for _ in tickets]
    elapsed = time.perf_counter() - start
    writer.join()
    finish_lane(proc)
    return {"scans": len(tickets), "seconds": elapsed, "admitted": sum(b'"admitted"' in a for a in answers)}


def one_at_a_time(url: str, tickets: list[str], env: dict) -> dict:
    """Write one scan, wait for its answer, then the next: a lane's real rhythm, and its latency."""
    proc = start_lane(lane_command(url, "T"), env)
    latencies, admitted = [], 0
    start = time.perf_counter()
    for ticket in tickets:
        sent = time.perf_counter()
        proc.stdin.write(f"{ticket}\n".encode())
        proc.stdin.flush()
        answer = proc.stdout.readline()
        latencies.append(time.perf_counter() - sent)
        admitted += b'"admitted"' in answer
    elapsed = time.perf_counter() - start
    finish_lane(proc)
    return {"scans": len(tickets), "seconds": elapsed, "latencies": latencies, "admitted": admitted}


def process_per_scan(url: str, tickets: list[str], env: dict) -> dict:
    """The obvious alternative: `examops check CODE --json`, one process per scan."""
    latencies, admitted = [], 0
    start = time.perf_counter()
    for ticket in tickets:
        sent = time.perf_counter()
        done = subprocess.run([EXAMOPS, "--db", url, "check", ticket, "--lane", "P", "--staff", "bench",
                               "--session", "S1", "--json"], capture_output=True, env=env)
        latencies.append(time.perf_counter() - sent)
        admitted += b'"admitted"' in done.stdout
    elapsed = time.perf_counter() - start
    return {"scans": len(tickets), "seconds": elapsed, "latencies": latencies, "admitted": admitted}


def percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] if len(values) > 1 else values[0]


def run_store(name: str, url: str, people: list[sample.Person], args, env: dict) -> list[tuple]:  # noqa: ANN001
    print(f"{name}: seeding {len(people):,} candidates ...", flush=True)
    print(f"  seeded in {seed(url, people):.1f} s", flush=True)
    n = args.scans
    tickets = [p.ticket for p in people]
    profile_to = Path(env["EXAMOPS_HOME"]) / f"{name}.prof" if args.profile else None
    results = [
        ("check --stdin, streamed", streamed(url, tickets[:n], env, profile_to)),
        ("check --stdin, one at a time", one_at_a_time(url, tickets[n:2 * n], env)),
        ("check CODE, process per scan", process_per_scan(url, tickets[2 * n:2 * n + args.single], env)),
    ]
    site = Site.open(url, check=False)
    with site.store.read() as conn:
        guarded = conn.execute(select(func.count()).select_from(schema.admissions)).scalar_one()
    site.close()
    expected = sum(r["scans"] for _, r in results)
    if guarded != expected or any(r["admitted"] != r["scans"] for _, r in results):
        raise SystemExit(f"{name}: {guarded} admissions stored, {expected} expected: the numbers are not of durable scans")
    if profile_to is not None:
        print(f"\n{name}: where the streamed lane's time goes (cProfile, cumulative):")
        pstats.Stats(str(profile_to)).sort_stats("cumulative").print_stats(30)
    return [(name, mode, r) for mode, r in results]


def print_table(rows: list[tuple], scans: int) -> None:
    print(f"\n{'store':<8} {'mode':<30} {'scans':>6} {'scans/s':>8} {'p50 ms':>7} {'p99 ms':>7} {f'{scans} scans':>11}")
    for store, mode, r in rows:
        rate = r["scans"] / r["seconds"]
        lat = r.get("latencies")
        p50 = f"{percentile(lat, 50) * 1000:.1f}" if lat else "-"
        p99 = f"{percentile(lat, 99) * 1000:.1f}" if lat else "-"
        extrapolated = "" if r["scans"] == scans else " (est.)"
        print(f"{store:<8} {mode:<30} {r['scans']:>6} {rate:>8.0f} {p50:>7} {p99:>7} {scans / rate:>8.1f} s{extrapolated}")
    sqlite_stream = next((r for s, m, r in rows if s == "sqlite" and "streamed" in m), None)
    if sqlite_stream:
        rate = sqlite_stream["scans"] / sqlite_stream["seconds"]
        verdict = "meets" if rate >= TARGET_PER_S else "is BELOW"
        print(f"\nSQLite streamed: {rate:.0f} durable scans/s {verdict} the target of {TARGET_PER_S}/s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--candidates", type=int, default=50_000)
    parser.add_argument("--scans", type=int, default=2_000)
    parser.add_argument("--single", type=int, default=100, help="scans run as one process each")
    parser.add_argument("--pg", default=os.environ.get("EXAMOPS_TEST_PG_URL"), help="PostgreSQL URL (default: EXAMOPS_TEST_PG_URL)")
    parser.add_argument("--no-sqlite", action="store_true")
    parser.add_argument("--profile", action="store_true", help="run the streamed lane under cProfile and print where time goes")
    args = parser.parse_args()
    if args.candidates < 2 * args.scans + args.single:
        raise SystemExit("--candidates must cover 2 x --scans + --single distinct admissions")
    t0 = time.perf_counter()
    people = sample.synthetic_people(args.candidates)
    print(f"generated {len(people):,} synthetic candidates in {time.perf_counter() - t0:.1f} s", flush=True)
    rows: list[tuple] = []
    with tempfile.TemporaryDirectory(prefix="examops-bench-") as workdir:
        env = {**os.environ, "EXAMOPS_HOME": workdir, "EXAMOPS_CLOCK": CLOCK}
        env.pop("EXAMOPS_DB", None)
        os.environ.update(EXAMOPS_HOME=workdir, EXAMOPS_CLOCK=CLOCK)
        if not args.no_sqlite:
            rows += run_store("sqlite", f"sqlite:///{Path(workdir) / 'bench.sqlite3'}", people, args, env)
        if args.pg:
            schema_name = "bench_" + uuid.uuid4().hex[:12]
            admin = create_engine(args.pg, isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                conn.execute(text(f'CREATE SCHEMA "{schema_name}"'))
            sep = "&" if "?" in args.pg else "?"
            try:
                rows += run_store("postgres", f"{args.pg}{sep}options=-csearch_path%3D{schema_name}", people, args, env)
            finally:
                with admin.connect() as conn:
                    conn.execute(text(f'DROP SCHEMA "{schema_name}" CASCADE'))
                admin.dispose()
    print_table(rows, args.scans)


if __name__ == "__main__":
    main()
