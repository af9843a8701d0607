"""PostgreSQL, 8 lanes × 2,000 scans on one server: per-scan p50/p99 and round trips per scan (issue 15's row).

Each lane is a real `examops check --stdin --json` process that gets one scan at a time and answers before
the next (tests/system/test_lanes.py's fleet: 8,000 candidates, each lane 1,980 tickets drawn from a pool of
6,000, so most are scanned at two or more lanes, plus 10 unknown and 10 invalid scans); the latency is from
writing a line to reading its answer. Round trips are counted on the wire (tests/support/pg_wire.py) for one
lane process: 100 fresh admissions, then 100 duplicates of them, after a warm-up; everything the process
sends counts (pre-pings, BEGIN/COMMIT, prepares, its between-scan upkeep).

`--src OLD_CHECKOUT` runs the same fleet on an old checkout's code (PYTHONPATH and working directory set to
it, as bench_check_stdin.py's Variant does) in the same run, alternating rounds (this, old, old, this, …) so
the machine's load falls on both. Every variant gets a fresh store (a schema of its own) in a database this
bench creates and drops (`--database`, on the server of `--pg`).

    .venv/bin/python bench/bench_pg_lanes.py --src /work/base [--pg URL] [--rounds 2] [--lanes 8 --scans 2000]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, func, make_url, select, text  # noqa: E402

from bench.bench_check_stdin import CLOCK, Variant, lane_command, percentile, seed  # noqa: E402
from examops import sample  # noqa: E402
from examops.adapters.store import schema  # noqa: E402
from examops.services.site import Site  # noqa: E402
from tests.support.pg_wire import WireCounter  # noqa: E402

CANDIDATES, POOL = 8_000, 6_000
UNKNOWN, NOT_RECORDS = "211599999999", ("-", "garbage!")
TRIP_WARM_UP, TRIP_SCANS = 20, 100
TARGET_P99_MS, TARGET_TRIPS = 30, 2
RETRIES = 3
ISSUE_BASELINE = "39–72 ms"


def lane_scans(rng: random.Random, pool: list[str], scans: int) -> list[str]:
    extras = [UNKNOWN] * 10 + [NOT_RECORDS[i % 2] for i in range(10)]
    chosen = rng.sample(pool, scans - len(extras)) + extras
    rng.shuffle(chosen)
    return chosen


def start(command: list[str], env: dict, variant: Variant) -> subprocess.Popen:
    """A lane up and answering (an invalid warm-up scan): start-up is not part of the numbers."""
    proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env=variant.env(env), cwd=variant.cwd)
    proc.stdin.write(b"-\n")
    proc.stdin.flush()
    if not proc.stdout.readline():
        raise SystemExit(f"a lane did not start: {proc.stderr.read().decode()[-800:]}")
    return proc


def finish(proc: subprocess.Popen) -> None:
    proc.stdin.close()
    proc.stdout.read()
    if proc.wait() != 0:
        raise SystemExit(f"a lane exited {proc.returncode}: {proc.stderr.read().decode()[-800:]}")


def drive(proc: subprocess.Popen, scans: list[str], latencies: list[float], answers: list[dict], go: threading.Barrier) -> None:
    go.wait()
    for scan in scans:
        sent = time.perf_counter()
        proc.stdin.write(f"{scan}\n".encode())
        proc.stdin.flush()
        line = proc.stdout.readline()
        latencies.append(time.perf_counter() - sent)
        answers.append(json.loads(line))


def children_cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def backends_cpu(url: str) -> float | None:
    """User + system seconds of this database's server processes so far (/proc: a server on this machine), or None."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            pids = conn.execute(text("SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
                                     " AND pid <> pg_backend_pid()")).scalars().all()
    finally:
        engine.dispose()
    ticks, total = os.sysconf("SC_CLK_TCK"), 0.0
    try:
        for pid in pids:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / ticks  # utime, stime
    except OSError:
        return None
    return total


def fleet(url: str, plan: dict[str, list[str]], env: dict, variant: Variant) -> dict:
    """All lanes up, then all scanning at once; per-scan latencies, wall time, CPU time, and a check of what was stored."""
    cpu_before = children_cpu()
    procs = {lane: start(lane_command(url, lane, variant=variant), env, variant) for lane in plan}
    server_before = backends_cpu(url)
    latencies = {lane: [] for lane in plan}
    answers = {lane: [] for lane in plan}
    go = threading.Barrier(len(plan) + 1)
    threads = [threading.Thread(target=drive, args=(procs[lane], plan[lane], latencies[lane], answers[lane], go)) for lane in plan]
    for thread in threads:
        thread.start()
    go.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - began
    server_after = backends_cpu(url)
    for proc in procs.values():
        finish(proc)
    lanes_cpu = children_cpu() - cpu_before  # start-up included: a few hundred ms per lane
    server_cpu = server_after - server_before if server_before is not None and server_after is not None else None
    every = [answer for lane in plan for answer in answers[lane]]
    scanned = {scan for scans in plan.values() for scan in scans if scan not in (UNKNOWN, *NOT_RECORDS)}
    admitted = [a["ticket"] for a in every if a["verdict"] == "admitted"]
    site = Site.open(url, check=False)
    with site.store.read() as conn:
        guarded = conn.execute(select(func.count()).select_from(schema.admissions)).scalar_one()
    site.close()
    unrecorded = [a for a in every if not a["recorded"] and a["verdict"] != "invalid" or a.get("offline")]
    if unrecorded:  # the server went away meanwhile (on a shared machine, someone's test may restart it)
        return {"disturbed": f"{len(unrecorded)} scans not recorded or recorded offline"}
    if sorted(admitted) != sorted(scanned) or guarded != len(scanned):
        raise SystemExit(f"{variant.name}: {len(admitted)} admitted answers, {guarded} guard rows, {len(scanned)} tickets: "
                         "the numbers are not of durable scans")
    return {"latencies": [s for lane in plan for s in latencies[lane]], "wall": wall, "lanes_cpu": lanes_cpu,
            "server_cpu": server_cpu}


def round_trips(url: str, tickets: list[str], env: dict, variant: Variant) -> dict:
    """One lane through the counting relay: trips per fresh admission, then per duplicate of those."""
    relay, through = WireCounter.for_url(url)
    proc = start(lane_command(through, "RT", variant=variant), env, variant)
    counts = {}
    try:
        def scans(batch: list[str], expect: str) -> float:
            mark = relay.mark()
            for ticket in batch:
                proc.stdin.write(f"{ticket}\n".encode())
                proc.stdin.flush()
                verdict = json.loads(proc.stdout.readline())["verdict"]
                if verdict != expect:
                    raise SystemExit(f"round trips: {ticket} was {verdict}, not {expect}")
            return len(relay.since(mark)) / len(batch)

        scans(tickets[:TRIP_WARM_UP], "admitted")
        scans(tickets[:TRIP_WARM_UP], "duplicate")
        counts["admitted"] = scans(tickets[TRIP_WARM_UP:TRIP_WARM_UP + TRIP_SCANS], "admitted")
        counts["duplicate"] = scans(tickets[TRIP_WARM_UP:TRIP_WARM_UP + TRIP_SCANS], "duplicate")
    finally:
        finish(proc)
        relay.close()
    return counts


def fresh_store(database_url: str, people: list, label: str) -> str:
    schema_name = f"bench_{label}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(database_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema_name}"'))
    admin.dispose()
    sep = "&" if "?" in database_url else "?"
    url = f"{database_url}{sep}options=-csearch_path%3D{schema_name}"
    seed(url, people)
    return url


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg", default=os.environ.get("EXAMOPS_TEST_PG_URL"), help="a PostgreSQL server URL (default: EXAMOPS_TEST_PG_URL)")
    parser.add_argument("--database", default="examops_bench_pg_lanes", help="created for the run, dropped after")
    parser.add_argument("--src", type=Path, help="an old checkout run beside this code, in the same run")
    parser.add_argument("--lanes", type=int, default=8)
    parser.add_argument("--scans", type=int, default=2_000, help="scans per lane")
    parser.add_argument("--rounds", type=int, default=2, help="fleets per variant, alternating")
    args = parser.parse_args()
    if not args.pg:
        raise SystemExit("give --pg URL or set EXAMOPS_TEST_PG_URL")
    variants = [Variant("this")] + ([Variant("baseline", args.src)] if args.src else [])
    order = [v for r in range(args.rounds) for v in (variants if r % 2 == 0 else variants[::-1])]  # this, old, old, this…
    server = make_url(args.pg)
    database_url = server.set(database=args.database).render_as_string(hide_password=False)
    admin = create_engine(args.pg, isolation_level="AUTOCOMMIT", pool_pre_ping=True)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{args.database}"'))
        conn.execute(text(f'CREATE DATABASE "{args.database}"'))
    people = sample.synthetic_people(CANDIDATES + TRIP_WARM_UP + TRIP_SCANS)
    pool = [p.ticket for p in people[:POOL]]
    trip_tickets = [p.ticket for p in people[CANDIDATES:]]
    results: dict[str, dict] = {v.name: {"latencies": [], "walls": [], "loads": [], "lanes_cpu": [], "server_cpu": []}
                                for v in variants}
    try:
        with tempfile.TemporaryDirectory(prefix="examops-bench-pg-") as workdir:
            env = {**os.environ, "EXAMOPS_HOME": workdir, "EXAMOPS_CLOCK": CLOCK}
            env.pop("EXAMOPS_DB", None)
            os.environ.update(EXAMOPS_HOME=workdir, EXAMOPS_CLOCK=CLOCK)
            for variant in variants:
                url = fresh_store(database_url, people, "rt")
                results[variant.name]["trips"] = round_trips(url, trip_tickets, env, variant)
                print(f"{variant.name}: round trips per scan {results[variant.name]['trips']}", flush=True)
            for number, variant in enumerate(order, start=1):
                rng = random.Random(20211016 + (number - 1) // len(variants))  # each round's variants scan the same codes
                plan = {f"L{n}": lane_scans(rng, pool, args.scans) for n in range(1, args.lanes + 1)}
                for _attempt in range(RETRIES):
                    url = fresh_store(database_url, people[:CANDIDATES], "fleet")
                    load = os.getloadavg()[0]
                    run = fleet(url, plan, env, variant)
                    if "disturbed" not in run:
                        break
                    print(f"round {number}: {variant.name} disturbed ({run['disturbed']}): the server stopped answering; again", flush=True)
                else:
                    raise SystemExit("the server kept going away: no figures")
                mine = results[variant.name]
                mine["latencies"] += run["latencies"]
                mine["walls"].append(run["wall"])
                mine["loads"].append(load)
                mine["lanes_cpu"].append(run["lanes_cpu"] / len(run["latencies"]))
                if run["server_cpu"] is not None:
                    mine["server_cpu"].append(run["server_cpu"] / len(run["latencies"]))
                lat = run["latencies"]
                server = f", server {run['server_cpu'] * 1000 / len(lat):.2f}" if run["server_cpu"] is not None else ""
                print(f"round {number}: {variant.name:<9} {len(lat)} scans in {run['wall']:.1f} s, p50 {percentile(lat, 50) * 1000:.1f} ms,"
                      f" p99 {percentile(lat, 99) * 1000:.1f} ms; CPU ms/scan: lanes {run['lanes_cpu'] * 1000 / len(lat):.2f}{server}"
                      f" (load average {load:.1f} at start)", flush=True)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)'))
        admin.dispose()
    print_rows(results, args)


def print_rows(results: dict, args) -> None:  # noqa: ANN001
    here = results["this"]
    old = results.get("baseline")
    print(f"\nissue 15, PostgreSQL, {args.lanes} lanes × {args.scans:,} scans, one scan at a time per lane"
          f" (load average {min(here['loads'] + (old or here)['loads']):.1f}–{max(here['loads'] + (old or here)['loads']):.1f}):")
    print(f"  {'':<34} {'this code':<22} {'baseline' + (' (--src, same run)' if old else ' (issue 15)'):<30} target")
    for q in (50, 99):
        mine = percentile(here["latencies"], q) * 1000
        theirs = f"{percentile(old['latencies'], q) * 1000:.1f} ms" if old else (ISSUE_BASELINE if q == 99 else "-")
        ratio = f" ({mine / (percentile(old['latencies'], q) * 1000):.2f}×)" if old else ""
        target = f"<= {TARGET_P99_MS} ms" if q == 99 else ""
        print(f"  {f'per-scan p{q}':<34} {f'{mine:.1f} ms{ratio}':<22} {theirs:<30} {target}")
    for kind in ("admitted", "duplicate"):
        theirs = f"{old['trips'][kind]:.2f}" if old else "-"
        print(f"  {f'round trips per {kind} scan':<34} {here['trips'][kind]:<22.2f} {theirs:<30} <= {TARGET_TRIPS}")
    for key, label in (("lanes_cpu", "lanes' CPU ms per scan"), ("server_cpu", "server's CPU ms per scan")):
        if here[key]:
            mine = sum(here[key]) / len(here[key]) * 1000
            theirs = sum(old[key]) / len(old[key]) * 1000 if old and old[key] else None
            ratio = f" ({mine / theirs:.2f}×)" if theirs else ""
            print(f"  {label:<34} {f'{mine:.2f}{ratio}':<22} {f'{theirs:.2f}' if theirs else '-':<30}")
    rates = [len(r["latencies"]) / sum(r["walls"]) for r in (here, old) if r]
    print(f"  {'scans/s, whole fleet':<34} {rates[0]:<22.0f} {f'{rates[1]:.0f}' if old else '-':<30}")

if __name__ == "__main__":
    main()
