"""Durable scans per second through `examops check --stdin`, against one process per scan.

A store with 50k candidates; 2,000 admissions streamed into one lane process
(throughput), 2,000 more one at a time (per-scan latency: from writing the
line to reading its JSON answer, which is printed only after the commit), and
~100 scans as one `examops check CODE` process each (extrapolated to 2,000).
Target: >= 500 durable scans/s on SQLite.

    python bench/bench_check_stdin.py
    python bench/bench_check_stdin.py --pg postgresql+psycopg://root@127.0.0.1:5432/test
    python bench/bench_check_stdin.py --profile     # cProfile of the streamed lane, top functions
    python bench/bench_check_stdin.py --src /path/to/main-checkout   # today's main beside this code, in one run
    python bench/bench_check_stdin.py --old-laptop  # the lanes on one core at 50 % (bench/old_laptop.py)
    python bench/bench_check_stdin.py --one-shot-only --src /work/base --old-laptop   # issue 15's one-shot row alone

Both trees are byte-compiled first, as installing does (bench/bytecode.py).

Issue 15's rows are printed last, this code beside the baseline (`--src`, else the issue's figures): durable scans/s
against a bare SQLite WAL + synchronous=FULL single-row commit loop on the same disk in the same run, SQL statements
per admitted scan, and a one-shot `examops check CODE` against `python -c "import sqlalchemy, click"`.
"""

from __future__ import annotations

import argparse
import json
import os
import pstats
import resource
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
ISSUE_BASELINE = {"ratio": 0.09, "statements": 9, "one_shot": None}  # issue 15's table, measured on main
COUNT_STATEMENTS = r"""
import json, sys
from sqlalchemy import event
from examops.services.gate import Lane
from examops.services.site import Site
site = Site.open(sys.argv[1], check=False)
lane = Lane(site, "C", "bench")
tickets = sys.argv[2:]
for t in tickets[:3]:
    lane.check(t, session_id="S1")
seen = []
# as SQLite runs them (its trace callback): a path that bypasses SQLAlchemy's hooks is counted too
event.listen(site.store.engine, "checkout", lambda dbapi, *a: dbapi.set_trace_callback(seen.append))
site.store.engine.dispose()
verdicts = [lane.check(t, session_id="S1").verdict for t in tickets[3:]]
work = [s for s in seen if not s.lstrip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE", "PRAGMA"))]
print(json.dumps({"per_scan": len(work) / len(verdicts), "admitted": verdicts.count("admitted"), "scans": len(verdicts)}))
"""


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


class Variant:
    """Whose code runs the lanes (this checkout, or an old one by PYTHONPATH) and on what kind of machine."""

    def __init__(self, name: str, src: Path | None = None, old_laptop: bool = False) -> None:
        self.name, self.src, self.old_laptop = name, src, old_laptop
        self.prefix, self.throttle = old_laptop_prefix() if old_laptop else ([], False)

    def env(self, env: dict) -> dict:
        return {**env, "PYTHONPATH": str(self.src)} if self.src else env

    @property
    def cwd(self) -> str | None:
        """Where its processes start: `python -m`/`-c` put the working directory first on the path."""
        return str(self.src) if self.src else None

    def command(self, args: list[str], profile_to: Path | None = None) -> list[str]:
        if profile_to is not None:
            return [*self.prefix, sys.executable, "-m", "cProfile", "-o", str(profile_to), "-m", "examops", *args]
        return [*self.prefix, sys.executable, "-m", "examops", *args] if self.src else [*self.prefix, EXAMOPS, *args]


def old_laptop_prefix() -> tuple[list[str], bool]:
    from bench.old_laptop import prefix

    return prefix()


HERE = Variant("this")


def lane_command(url: str, lane: str, profile_to: Path | None = None, variant: Variant = HERE) -> list[str]:
    args = ["--db", url, "check", "--stdin", "--lane", lane, "--staff", "bench", "--session", "S1", "--json"]
    return variant.command(args, profile_to)


def start_lane(command: list[str], env: dict, variant: Variant = HERE) -> subprocess.Popen:
    """Start a lane and wait until it answers (an invalid warm-up scan): start-up is not part of the numbers."""
    proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=variant.env(env),
                            cwd=variant.cwd)
    if variant.throttle:
        from bench.old_laptop import Throttle

        proc.throttle = Throttle(proc.pid)
    proc.stdin.write(b"-\n")
    proc.stdin.flush()
    if not proc.stdout.readline():
        raise SystemExit(f"the lane did not start: {proc.stderr.read().decode()}")
    return proc


def finish_lane(proc: subprocess.Popen) -> None:
    proc.stdin.close()
    proc.stdout.read()
    if getattr(proc, "throttle", None) is not None:
        proc.throttle.stop()
    if proc.wait() != 0:
        raise SystemExit(f"the lane exited {proc.returncode}: {proc.stderr.read().decode()}")


def streamed(url: str, tickets: list[str], env: dict, profile_to: Path | None = None, variant: Variant = HERE) -> dict:
    """All scans written as fast as the pipe takes them; scans/s from the first write to the last answer."""
    proc = start_lane(lane_command(url, "S" + variant.name, profile_to, variant), env, variant)
    payload = "".join(f"{t}\n" for t in tickets).encode()
    start = time.perf_counter()
    writer = threading.Thread(target=lambda: (proc.stdin.write(payload), proc.stdin.flush()))
    writer.start()
    answers = [proc.stdout.readline() for _ in tickets]
    elapsed = time.perf_counter() - start
    writer.join()
    finish_lane(proc)
    return {"scans": len(tickets), "seconds": elapsed, "admitted": sum(b'"admitted"' in a for a in answers)}


def one_at_a_time(url: str, tickets: list[str], env: dict, variant: Variant = HERE) -> dict:
    """Write one scan, wait for its answer, then the next: a lane's real rhythm, and its latency."""
    proc = start_lane(lane_command(url, "T" + variant.name, variant=variant), env, variant)
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


def process_per_scan(url: str, tickets: list[str], env: dict, variant: Variant = HERE) -> dict:
    """The obvious alternative: `examops check CODE --json`, one process per scan."""
    latencies, admitted = [], 0
    start = time.perf_counter()
    for ticket in tickets:
        sent = time.perf_counter()
        done = subprocess.run(variant.command(["--db", url, "check", ticket, "--lane", "P" + variant.name, "--staff", "bench",
                                               "--session", "S1", "--json"]), capture_output=True, env=variant.env(env),
                              cwd=variant.cwd)
        latencies.append(time.perf_counter() - sent)
        admitted += b'"admitted"' in done.stdout
    elapsed = time.perf_counter() - start
    return {"scans": len(tickets), "seconds": elapsed, "latencies": latencies, "admitted": admitted}


def bare_commit_rate(folder: Path, commits: int) -> float:
    """The disk's own limit: single-row commits into a bare SQLite file in WAL with synchronous=FULL, per second."""
    import sqlite3

    path = folder / "bare.sqlite3"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)")
    start = time.perf_counter()
    for index in range(commits):
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO t (v) VALUES (?)", (f"scan {index}",))
        conn.execute("COMMIT")
    elapsed = time.perf_counter() - start
    conn.close()
    path.unlink()
    return commits / elapsed


def import_floor(env: dict, runs: int, cwd: str | None = None) -> float:
    """Median seconds of `python -c "import sqlalchemy, click"`: the floor of any one-shot examops process."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import sqlalchemy, click"], check=True, env=env, cwd=cwd)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def statements_per_scan(url: str, tickets: list[str], env: dict, variant: Variant) -> float:
    done = subprocess.run([sys.executable, "-c", COUNT_STATEMENTS, url, *tickets], capture_output=True, text=True,
                          env=variant.env(env), cwd=variant.cwd, check=False)
    if done.returncode != 0:
        raise SystemExit(f"counting statements failed: {done.stderr[-800:]}")
    counted = json.loads(done.stdout)
    if counted["admitted"] != counted["scans"]:
        raise SystemExit(f"statement count: {counted}: not every scan was a fresh admission")
    return counted["per_scan"]


def percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] if len(values) > 1 else values[0]


def one_shot_rows(url: str, people: list[sample.Person], env: dict, variants: list[Variant], runs: int) -> None:
    """Issue 15's one-shot row alone: `examops check CODE` beside `python -c "import sqlalchemy, click"`, the two
    alternating and every variant in turn, scan by scan, so the machine's load falls on all alike."""
    print(f"sqlite: seeding {len(people):,} candidates ...", flush=True)
    print(f"  seeded in {seed(url, people):.1f} s", flush=True)
    tickets = iter(p.ticket for p in people)
    times: dict[str, dict[str, list[float]]] = {v.name: {"check": [], "floor": [], "check_cpu": [], "floor_cpu": []}
                                                for v in variants}

    def children_cpu() -> float:
        used = resource.getrusage(resource.RUSAGE_CHILDREN)
        return used.ru_utime + used.ru_stime

    def timed(variant: Variant, command: list[str], into: str) -> bytes:
        """Wall time (what the issue's row says) and CPU time (user + system: less shaken by the machine's load)."""
        cpu = children_cpu()
        start = time.perf_counter()
        proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=variant.env(env), cwd=variant.cwd)
        if variant.throttle:
            from bench.old_laptop import Throttle

            throttle = Throttle(proc.pid)
        out, err = proc.communicate()
        times[variant.name][into].append(time.perf_counter() - start)
        times[variant.name][into + "_cpu"].append(children_cpu() - cpu)
        if variant.throttle:
            throttle.stop()
        if proc.returncode not in (0, 3):
            raise SystemExit(f"{variant.name}: {command} exited {proc.returncode}: {err[-500:]!r}")
        return out

    for _ in range(runs):
        for variant in variants:
            ticket = next(tickets)
            timed(variant, [*variant.prefix, sys.executable, "-c", "import sqlalchemy, click"], "floor")
            out = timed(variant, variant.command(["--db", url, "check", ticket, "--lane", "P", "--staff", "bench",
                                                  "--session", "S1", "--json"]), "check")
            if b'"admitted"' not in out:
                raise SystemExit(f"{variant.name}: {ticket} was not admitted: {out[-300:]!r}")
    print(f"\nissue 15, one-shot `examops check CODE` ÷ `python -c \"import sqlalchemy, click\"` "
          f"(medians of {runs}, alternating; target <= 1.2x):")
    for variant in variants:
        check, floor, check_cpu, floor_cpu = (statistics.median(times[variant.name][k])
                                              for k in ("check", "floor", "check_cpu", "floor_cpu"))
        print(f"  {variant.name:<28} wall {check / floor:.2f}x ({check * 1000:.0f} ms vs {floor * 1000:.0f} ms)"
              f"   CPU {check_cpu / floor_cpu:.2f}x ({check_cpu * 1000:.0f} ms vs {floor_cpu * 1000:.0f} ms)")


def run_variant(url: str, tickets: list[str], args, env: dict, variant: Variant, profile_to: Path | None) -> dict:  # noqa: ANN001
    """One variant's runs on fresh tickets, each throughput beside a bare commit loop run just before it."""
    n = args.scans
    folder = Path(env["EXAMOPS_HOME"])
    bare = bare_commit_rate(folder, n)
    result = {"bare": bare, "streamed": streamed(url, tickets[:n], env, profile_to, variant)}
    result["bare_after"] = bare_commit_rate(folder, n)
    result["one_at_a_time"] = one_at_a_time(url, tickets[n:2 * n], env, variant)
    result["process"] = process_per_scan(url, tickets[2 * n:2 * n + args.single], env, variant)
    if url.startswith("sqlite"):
        result["statements"] = statements_per_scan(url, tickets[2 * n + args.single:2 * n + args.single + 23], env, variant)
    result["import_floor"] = import_floor(variant.env(env), 5, variant.cwd)
    return result


def run_store(name: str, url: str, people: list[sample.Person], args, env: dict, variants: list[Variant]) -> list[tuple]:  # noqa: ANN001
    print(f"{name}: seeding {len(people):,} candidates ...", flush=True)
    print(f"  seeded in {seed(url, people):.1f} s", flush=True)
    per_variant = 2 * args.scans + args.single + 23
    tickets = [p.ticket for p in people]
    rows = []
    for index, variant in enumerate(variants):
        profile_to = Path(env["EXAMOPS_HOME"]) / f"{name}.prof" if args.profile and variant is variants[0] else None
        print(f"  {variant.name} ...", flush=True)
        rows.append((name, variant, run_variant(url, tickets[index * per_variant:(index + 1) * per_variant], args, env, variant, profile_to)))
        if profile_to is not None:
            print(f"\n{name}: where the streamed lane's time goes (cProfile, cumulative):")
            pstats.Stats(str(profile_to)).sort_stats("cumulative").print_stats(30)
    site = Site.open(url, check=False)
    with site.store.read() as conn:
        guarded = conn.execute(select(func.count()).select_from(schema.admissions)).scalar_one()
    site.close()
    runs = [r[key] for _, _, r in rows for key in ("streamed", "one_at_a_time", "process")]
    expected = sum(r["scans"] for r in runs) + sum(23 for _, _, r in rows if "statements" in r)
    if guarded != expected or any(r["admitted"] != r["scans"] for r in runs):
        raise SystemExit(f"{name}: {guarded} admissions stored, {expected} expected: the numbers are not of durable scans")
    return rows


def print_table(rows: list[tuple], scans: int) -> None:
    print(f"\n{'store':<8} {'code':<18} {'mode':<30} {'scans':>6} {'scans/s':>8} {'p50 ms':>7} {'p99 ms':>7} {f'{scans} scans':>11}")
    for store, variant, result in rows:
        for mode, key in (("check --stdin, streamed", "streamed"), ("check --stdin, one at a time", "one_at_a_time"),
                          ("check CODE, process per scan", "process")):
            r = result[key]
            rate = r["scans"] / r["seconds"]
            lat = r.get("latencies")
            p50 = f"{percentile(lat, 50) * 1000:.1f}" if lat else "-"
            p99 = f"{percentile(lat, 99) * 1000:.1f}" if lat else "-"
            extrapolated = "" if r["scans"] == scans else " (est.)"
            print(f"{store:<8} {variant.name:<18} {mode:<30} {r['scans']:>6} {rate:>8.0f} {p50:>7} {p99:>7} {scans / rate:>8.1f} s{extrapolated}")
        print(f"{store:<8} {variant.name:<18} {'bare SQLite commit loop':<30} {scans:>6} {result['bare']:>8.0f}   (before; {result['bare_after']:.0f}/s after)")
    print_issue_rows(rows)


def _ratio(result: dict) -> tuple[float, str]:
    rate = result["streamed"]["scans"] / result["streamed"]["seconds"]
    bare = statistics.mean([result["bare"], result["bare_after"]])
    return rate / bare, f"{rate:.0f}/s vs {bare:.0f}/s"


def print_issue_rows(rows: list[tuple]) -> None:
    """Issue 15's table: this code's figure, the baseline's beside it (an old checkout run now, else the issue's)."""
    for store in dict.fromkeys(r[0] for r in rows):
        mine = [(v, r) for s, v, r in rows if s == store]
        for profile in (False, True):
            here = next((r for v, r in mine if v.src is None and v.old_laptop == profile), None)
            old = next((r for v, r in mine if v.src is not None and v.old_laptop == profile), None)
            if here is None:
                continue
            title = "old laptop (1 core, 50 %)" if profile else "this machine"
            print(f"\nissue 15, {store}, {title}:  {'this code':<28} {'baseline' + (' (--src, same run)' if old else ' (issue 15)'):<30} target")
            ratio, said = _ratio(here)
            old_ratio = f"{_ratio(old)[0]:.2f} ({_ratio(old)[1]})" if old else f"{ISSUE_BASELINE['ratio']:.2f} (291/s vs 3,259/s)"
            print(f"  {'durable scans/s ÷ bare commits/s':<36} {f'{ratio:.2f} ({said})':<28} {old_ratio:<30} >= 0.5")
            if "statements" in here:
                old_statements = f"{old['statements']:.1f}" if old else str(ISSUE_BASELINE["statements"])
                print(f"  {'SQL statements per admitted scan':<36} {here['statements']:<28.1f} {old_statements:<30} <= 3")
            floor = here["import_floor"]
            one_shot = statistics.median(here["process"]["latencies"])
            old_one_shot = (f"{statistics.median(old['process']['latencies']) / old['import_floor']:.2f}x"
                            f" ({statistics.median(old['process']['latencies']):.2f} s)") if old else "0.49 s (issue 15)"
            print(f"  {'check CODE ÷ import sqlalchemy, click':<36} {f'{one_shot / floor:.2f}x ({one_shot:.2f} s vs {floor:.2f} s)':<28} {old_one_shot:<30} <= 1.2x")
            p99 = percentile(here["one_at_a_time"]["latencies"], 99) * 1000
            old_p99 = f"{percentile(old['one_at_a_time']['latencies'], 99) * 1000:.1f} ms" if old else "not measured"
            print(f"  {'check --stdin p99, one at a time':<36} {f'{p99:.1f} ms':<28} {old_p99:<30} <= {100 if profile else 50} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--candidates", type=int, default=50_000)
    parser.add_argument("--scans", type=int, default=2_000)
    parser.add_argument("--single", type=int, default=100, help="scans run as one process each")
    parser.add_argument("--pg", default=os.environ.get("EXAMOPS_TEST_PG_URL"), help="PostgreSQL URL (default: EXAMOPS_TEST_PG_URL)")
    parser.add_argument("--no-sqlite", action="store_true")
    parser.add_argument("--profile", action="store_true", help="run the streamed lane under cProfile and print where time goes")
    parser.add_argument("--src", type=Path, help="an old checkout (e.g. a worktree of main) run beside this code, in the same run")
    parser.add_argument("--also", type=Path, action="append", default=[],
                        help="another checkout run beside them (its folder's name names it; --one-shot-only)")
    parser.add_argument("--old-laptop", action="store_true", help="also run every variant on one core at 50 %% (bench/old_laptop.py)")
    parser.add_argument("--one-shot-only", action="store_true", help="only issue 15's one-shot row (SQLite), --single runs each")
    args = parser.parse_args()
    from bench.bytecode import compile_trees

    compile_trees(ROOT, args.src, *args.also)
    variants = [Variant("this")] + ([Variant("baseline", args.src)] if args.src else [])
    variants += [Variant(str(also.name), also) for also in args.also]
    if args.old_laptop:
        from bench.old_laptop import describe

        print(f"old laptop: {describe()}")
        variants += [Variant(v.name + " (old laptop)", v.src, old_laptop=True) for v in list(variants)]
    if args.candidates < len(variants) * (2 * args.scans + args.single + 23):
        raise SystemExit("--candidates must cover (2 x --scans + --single + 23) distinct admissions per variant")
    t0 = time.perf_counter()
    people = sample.synthetic_people(args.candidates)
    print(f"generated {len(people):,} synthetic candidates in {time.perf_counter() - t0:.1f} s", flush=True)
    rows: list[tuple] = []
    with tempfile.TemporaryDirectory(prefix="examops-bench-") as workdir:
        env = {**os.environ, "EXAMOPS_HOME": workdir, "EXAMOPS_CLOCK": CLOCK}
        env.pop("EXAMOPS_DB", None)
        os.environ.update(EXAMOPS_HOME=workdir, EXAMOPS_CLOCK=CLOCK)
        if args.one_shot_only:
            one_shot_rows(f"sqlite:///{Path(workdir) / 'bench.sqlite3'}", people, env, variants, args.single)
            return
        if not args.no_sqlite:
            rows += run_store("sqlite", f"sqlite:///{Path(workdir) / 'bench.sqlite3'}", people, args, env, variants)
        if args.pg:
            schema_name = "bench_" + uuid.uuid4().hex[:12]
            admin = create_engine(args.pg, isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                conn.execute(text(f'CREATE SCHEMA "{schema_name}"'))
            sep = "&" if "?" in args.pg else "?"
            try:
                rows += run_store("postgres", f"{args.pg}{sep}options=-csearch_path%3D{schema_name}", people, args, env, variants)
            finally:
                with admin.connect() as conn:
                    conn.execute(text(f'DROP SCHEMA "{schema_name}" CASCADE'))
                admin.dispose()
    print_table(rows, args.scans)


if __name__ == "__main__":
    main()
