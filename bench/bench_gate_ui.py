"""Gate UI benchmark: scan → card latency on a 50k-candidate store, against a naive 50k DataTable.

    .venv/bin/python bench/bench_gate_ui.py [--candidates 50000] [--scans 300]

Parts run in their own processes (so RSS is per variant):
  gate    ExamopsApp headless: time to first frame, then Enter → first frame
          showing the scanned ticket on the card, for each scan;
  naive   the obvious alternative: the whole roster in one DataTable, scans
          move the cursor to the row; time to first frame, then the same latency;
  start   `examops gate` as a real process on a pty: start → first frame (both trees byte-compiled first, as
          installing does: bench/bytecode.py); beside it the floor, the smallest Textual app drawing the same
          lane line (`--floor`), and any `--also` checkout.
Plus the cost of one side-panel refresh (counters + recent scans) at 300 and
at 25k admissions, since the gate runs it every couple of seconds.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PLAN = ROOT / "rosters" / "sample_plan.toml"
CLOCK = "2021-10-16T08:10"
SEATS = 30


def build_store(path: Path, n: int) -> float:
    """A site with `n` synthetic candidates seated in both sessions, by bulk inserts."""
    from sqlalchemy import insert

    from examops import sample
    from examops.adapters.store import schema
    from examops.services.site import init_site

    started = time.perf_counter()
    site = init_site(PLAN, url=f"sqlite:///{path}", chief_pin="7392")
    people = sample.synthetic_people(n)
    candidates, seats, rooms = [], [], set()
    for index, person in enumerate(people):
        room = f"{index // SEATS + 1:04d}"
        rooms.add(room)
        candidates.append({"ticket": person.ticket, "name": person.name, "id_number": person.id_number,
                           "id_tail": person.id_number[-4:], "sex": person.sex, "site": None})
        for session in site.plan.sessions:
            seats.append({"session_id": session.id, "ticket": person.ticket, "room_id": room, "seat": index % SEATS + 1})
    with site.store.write() as conn:
        conn.execute(insert(schema.candidates), candidates)
        conn.execute(insert(schema.seats), seats)
        conn.execute(insert(schema.rooms), [{"id": r, "name": r, "capacity": SEATS, "kind": "regular"} for r in sorted(rooms)])
    site.close()
    return time.perf_counter() - started


def write_tickets(path: Path, n: int, scans: int) -> None:
    """Two disjoint batches of random tickets (so every measured scan is a first admission)."""
    from examops import sample

    people = sample.synthetic_people(n)
    chosen = [p.ticket for p in random.Random(7).sample(people, 2 * scans)]
    path.write_text(json.dumps([chosen[:scans], chosen[scans:]]))


def _tickets(db: str, batch: int) -> list[str]:
    return json.loads(Path(db).with_suffix(".tickets.json").read_text())[batch]


def peak_rss_mb() -> float:
    """This process's own peak RSS (VmHWM; ru_maxrss would carry the parent's across exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _percentiles(samples: list[float]) -> dict:
    ordered = sorted(samples)
    pick = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))]  # noqa: E731
    return {"p50_ms": pick(0.50) * 1000, "p95_ms": pick(0.95) * 1000, "p99_ms": pick(0.99) * 1000,
            "max_ms": ordered[-1] * 1000, "n": len(ordered)}


class FrameClock:
    """Wraps App._display (called once per composed frame, headless too) to time frames."""

    def __init__(self, app) -> None:  # noqa: ANN001
        self.waiting_for = None
        self.seen_at: float | None = None
        original = app._display

        def display(screen, renderable):  # noqa: ANN001
            if renderable is not None and self.waiting_for is not None and self.waiting_for():
                self.seen_at = time.perf_counter()
                self.waiting_for = None
            return original(screen, renderable)

        app._display = display

    async def until_frame(self, condition, timeout: float = 10.0) -> float:
        self.seen_at, self.waiting_for = None, condition
        deadline = time.perf_counter() + timeout
        while self.seen_at is None:
            if time.perf_counter() > deadline:
                raise TimeoutError("no frame met the condition")
            await asyncio.sleep(0.0005)
        return self.seen_at


async def _type_and_time(app, frames: FrameClock, field, ticket: str, shown) -> float:  # noqa: ANN001
    """Scanner burst (keys straight to the driver), then time Enter → first frame showing `ticket`."""
    from textual import events

    for char in ticket:
        app._driver.send_message(events.Key(char, char))
    while field.value != ticket:
        await asyncio.sleep(0.0005)
    started = time.perf_counter()
    app._driver.send_message(events.Key("enter", "\r"))
    return await frames.until_frame(lambda: shown() == ticket) - started


async def part_gate(db: str, n: int, scans: int, paced: bool = False) -> dict:
    from examops.services.site import Site
    from examops.tui.app import ExamopsApp

    site = Site.open(f"sqlite:///{db}")
    app = ExamopsApp(site, mode="gate", lane="BENCH", staff="bench", lang="en")
    frames = FrameClock(app)
    started = time.perf_counter()
    async with app.run_test(size=(120, 40)) as pilot:
        ready = await frames.until_frame(lambda: app.screen.__class__.__name__ == "GateScreen") - started
        gate = app.screen
        while not gate.idle:
            await pilot.pause(0.01)
        latencies = []
        for ticket in _tickets(db, int(paced)):
            while paced and not gate.idle:
                await pilot.pause(0.01)
            latencies.append(await _type_and_time(app, frames, gate.scan_input, ticket, lambda: gate.card and gate.card.ticket))
            assert gate.last_verdict.verdict == "admitted", gate.last_verdict
    return {"ready_s": ready, **_percentiles(latencies), "rss_mb": peak_rss_mb()}


async def part_naive(db: str, n: int, scans: int) -> dict:
    from rich.text import Text
    from sqlalchemy import select
    from textual.app import App
    from textual.widgets import DataTable, Input, Static

    from examops.adapters.store import schema
    from examops.domain import idnumber
    from examops.services.site import Site

    site = Site.open(f"sqlite:///{db}")

    class NaiveRoster(App):
        """The whole roster in a DataTable; a scan jumps to its row."""

        def compose(self):  # noqa: ANN202
            yield Input(id="scan")
            yield Static(id="card")
            yield DataTable(id="roster", cursor_type="row")

        def on_mount(self) -> None:
            C, S = schema.candidates, schema.seats
            with site.store.read() as conn:
                rows = conn.execute(select(C.c.ticket, C.c.name, C.c.id_number, S.c.room_id, S.c.seat)
                                    .join(S, (S.c.ticket == C.c.ticket) & (S.c.session_id == "S1"))).all()
            table = self.query_one(DataTable)
            table.add_columns("ticket", "name", "id", "room", "seat")
            table.add_rows([(r.ticket, r.name, idnumber.mask(r.id_number), r.room_id, str(r.seat)) for r in rows])
            self.row_of = {r.ticket: i for i, r in enumerate(rows)}
            self.shown = None
            self.query_one(Input).focus()

        def on_input_submitted(self, event: Input.Submitted) -> None:
            event.input.clear()
            row = self.row_of.get(event.value.strip())
            if row is not None:
                table = self.query_one(DataTable)
                table.move_cursor(row=row)
                ticket, name, masked, room, seat = table.get_row_at(row)
                self.query_one("#card", Static).update(Text(f"{ticket} {name} {masked} {room}/{seat}"))
                self.shown = ticket

    app = NaiveRoster()
    frames = FrameClock(app)
    started = time.perf_counter()
    async with app.run_test(size=(120, 40)):
        ready = await frames.until_frame(lambda: app.query_one(DataTable).row_count == n, timeout=300) - started
        latencies = [await _type_and_time(app, frames, app.query_one(Input), ticket, lambda: app.shown)
                     for ticket in _tickets(db, 0)]
    return {"ready_s": ready, **_percentiles(latencies), "rss_mb": peak_rss_mb()}


def part_start(db: str, runs: int = 5, src: str | None = None, old_laptop: bool = False, floor: bool = False) -> dict:
    """`examops gate` on a pty: process start → the first frame that shows the lane (`src`: an old checkout's code;
    `floor`: the floor app instead). Each run under `first_frame_cpu.py`, which notes the CPU at that frame's write."""
    import fcntl
    import pty
    import select as select_module
    import struct
    import termios

    env = {**os.environ, "EXAMOPS_DB": db, "EXAMOPS_CLOCK": CLOCK, "EXAMOPS_LANG": "en", "TERM": "xterm-256color",
           "COLUMNS": "120", "LINES": "40"}
    noted = Path(tempfile.mkstemp(prefix="examops-first-frame-", suffix=".txt")[1])
    argv = [sys.executable, str(ROOT / "bench" / "first_frame_cpu.py"), str(noted)]
    if src:
        env["PYTHONPATH"] = src
    command = ["--floor"] if floor else ["gate", "--lane", "START", "--staff", "bench"]
    throttle = False
    if old_laptop:
        from bench.old_laptop import prefix

        before, throttle = prefix()
        argv = [*before, *argv]
    import shutil

    exe = shutil.which(argv[0]) or argv[0]
    times, cpus = [], []
    for _ in range(runs):
        pid, fd = pty.fork()
        if pid == 0:
            if src:
                os.chdir(src)  # `python -m` puts the working directory first on the path
            os.execve(exe, [*argv, *command], env)
        started = time.perf_counter()
        if throttle:
            from bench.old_laptop import Throttle

            throttler = Throttle(pid)
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
        seen, output = None, b""
        while seen is None and time.perf_counter() - started < 60:  # an old laptop on a loaded machine takes long
            ready, _, _ = select_module.select([fd], [], [], 0.05)
            if ready:
                try:
                    output += os.read(fd, 65536)
                except OSError:
                    break
                if b"Lane START" in output:
                    seen = time.perf_counter() - started
                    cpus.append(_cpu_s(pid))
        if throttle:
            # Textual resumes its terminal mode on every SIGCONT (its Ctrl+Z support), with one more input thread each
            # time: the duty cycle stops before the quit key, which those threads would otherwise fight over.
            throttler.stop()
        os.write(fd, b"\x11")  # ctrl+q
        deadline = time.perf_counter() + 10
        while time.perf_counter() < deadline:
            ready, _, _ = select_module.select([fd], [], [], 0.05)
            try:
                if ready and not os.read(fd, 65536):
                    break
            except OSError:
                break
        if os.waitpid(pid, os.WNOHANG) == (0, 0):
            os.kill(pid, 9)  # did not quit: never leave a gate behind
            os.waitpid(pid, 0)
        os.close(fd)
        if seen is None:
            raise RuntimeError("examops gate showed no frame: " + output[-500:].decode(errors="replace"))
        times.append(seen)
    inside = [tuple(float(x) / 1000 for x in line.split()) for line in noted.read_text().splitlines()]
    noted.unlink()
    return {"runs": runs, "median_s": statistics.median(times), "min_s": min(times), "max_s": max(times),
            "cpu_median_s": statistics.median(cpus), "frame_cpu_s": statistics.median(r[1] for r in inside),
            "main_cpu_s": statistics.median(r[2] for r in inside)}


def _cpu_s(pid: int) -> float:
    """The CPU time process `pid` has used so far (all its threads), from /proc: what a loaded machine inflates least."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def panels_cost(db: str, admitted: int) -> dict:
    """One side-panel refresh (what the gate runs every 2 s), after `admitted` admissions exist."""
    import json as json_module
    import uuid

    from sqlalchemy import func, insert, select

    from examops.adapters.store import schema
    from examops.services import gate_view
    from examops.services.site import Site

    site = Site.open(f"sqlite:///{db}")
    with site.store.read() as conn:
        have = conn.execute(select(func.count()).select_from(schema.admissions)).scalar_one()
        missing = conn.execute(
            select(schema.seats.c.ticket, schema.seats.c.room_id, schema.seats.c.seat)
            .where(schema.seats.c.session_id == "S1", schema.seats.c.ticket.not_in(select(schema.admissions.c.ticket)))
            .limit(max(admitted - have, 0))).all()
    if missing:  # bench-only rows: admitted events with a fake chain, enough for the counters' queries
        events, admissions = [], []
        for seq, (ticket, room, seat) in enumerate(missing, 1):
            event_id = str(uuid.uuid4())
            events.append({"id": event_id, "kind": "admitted", "at": "2021-10-16T00:20:00.000000Z", "device": "bench/filler",
                           "device_seq": seq, "session_id": "S1", "ticket": ticket, "lane": "FILL", "staff": "bench",
                           "payload": json_module.dumps({"room": room, "seat": seat}), "prev_hash": "0" * 64, "hash": "0" * 64})
            admissions.append({"session_id": "S1", "ticket": ticket, "slot": 0, "event_id": event_id})
        with site.store.write() as conn:
            conn.execute(insert(schema.events), events)
            conn.execute(insert(schema.admissions), admissions)
    samples = []
    for _ in range(7):
        started = time.perf_counter()
        gate_view.lane_panels(site, "BENCH", "S1")
        samples.append(time.perf_counter() - started)
    return {"admitted": max(admitted, have), "median_ms": statistics.median(samples) * 1000}


def open_cost(db: str) -> dict:
    """Site.open with and without the SQLite integrity check (`examops gate` opens with it)."""
    from examops.services.site import Site

    costs = {}
    for check in (True, False):
        samples = []
        for _ in range(3):
            started = time.perf_counter()
            Site.open(f"sqlite:///{db}", check=check).close()
            samples.append(time.perf_counter() - started)
        costs[check] = statistics.median(samples) * 1000
    return {"with_check_ms": costs[True], "without_check_ms": costs[False]}


def print_start_rows(run, args) -> None:  # noqa: ANN001
    """Issue 15's row: `examops gate` start → first frame, this code beside the baseline (runs interleaved)."""
    profiles = [False, True] if args.old_laptop else [False]
    for old_laptop in profiles:
        flag = ("--old-laptop",) if old_laptop else ()
        here, there, floor = [], [], []
        also: dict[str, list[dict]] = {str(path): [] for path in args.also}
        load_before = os.getloadavg()[0]
        for _ in range(2):  # interleaved: the machine's load falls on all alike
            here.append(run("start", *flag))
            if args.src:
                there.append(run("start", "--src", args.src, *flag))
            for path, runs in also.items():
                runs.append(run("start", "--src", path, *flag))
            floor.append(run("start", "--floor", *flag))

        def ms(runs: list[dict], key: str) -> str:
            return f"{statistics.median(r[key] for r in runs) * 1000:.0f} ms"

        title = "old laptop (1 core, 50 %)" if old_laptop else "this machine"
        baseline = f"{ms(there, 'median_s')} (CPU {ms(there, 'cpu_median_s')}; --src, same run)" if there else "690 ms (issue 15)"
        print(f"issue 15, {title}: `examops gate` start → first frame  this code {ms(here, 'median_s')} (CPU "
              f"{ms(here, 'cpu_median_s')})   baseline {baseline}   target <= 500 ms   load average {load_before:.1f} → "
              f"{os.getloadavg()[0]:.1f}", flush=True)

        def inside(runs: list[dict]) -> str:
            return f"CPU at the frame's write {ms(runs, 'frame_cpu_s')}, main thread {ms(runs, 'main_cpu_s')}"

        print(f"  this code: {inside(here)}" + (f"; baseline: {inside(there)}" if there else ""), flush=True)
        for path, runs in also.items():
            print(f"  --also {path}: {ms(runs, 'median_s')} (CPU {ms(runs, 'cpu_median_s')}; {inside(runs)})", flush=True)
        ratio = lambda runs, key: statistics.median(r[key] for r in runs) / statistics.median(f[key] for f in floor)  # noqa: E731
        print(f"  Textual floor (the smallest app drawing the lane line): {ms(floor, 'median_s')} (CPU "
              f"{ms(floor, 'cpu_median_s')}; {inside(floor)}); this code {ratio(here, 'median_s'):.2f}× the floor "
              f"({ratio(here, 'cpu_median_s'):.2f}× CPU)" + (f", baseline {ratio(there, 'median_s'):.2f}× "
                                                              f"({ratio(there, 'cpu_median_s'):.2f}× CPU)" if there else ""),
              flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--candidates", type=int, default=50_000)
    parser.add_argument("--scans", type=int, default=300)
    parser.add_argument("--part", choices=("gate", "paced", "naive", "start"))
    parser.add_argument("--db")
    parser.add_argument("--src", help="an old checkout whose `examops gate` start-up is timed beside this one's")
    parser.add_argument("--old-laptop", action="store_true", help="time the start-up on one core at 50 %% too")
    parser.add_argument("--start-only", action="store_true", help="only the start-up rows (issue 15)")
    parser.add_argument("--also", action="append", default=[], help="another checkout timed beside (e.g. main)")
    parser.add_argument("--floor", action="store_true", help=argparse.SUPPRESS)  # --part start: the floor app
    args = parser.parse_args()
    os.environ["EXAMOPS_CLOCK"] = CLOCK
    if args.part is None:
        from bench.bytecode import compile_trees

        compile_trees(ROOT, Path(args.src) if args.src else None, *map(Path, args.also))  # as installed: neither tree compiles its source per start
    if args.part in ("gate", "paced"):
        print(json.dumps(asyncio.run(part_gate(args.db, args.candidates, args.scans, paced=args.part == "paced"))))
        return
    if args.part == "naive":
        print(json.dumps(asyncio.run(part_naive(args.db, args.candidates, args.scans))))
        return
    if args.part == "start":
        print(json.dumps(part_start(args.db, src=args.src, old_laptop=args.old_laptop, floor=args.floor)))
        return

    with tempfile.TemporaryDirectory(prefix="examops-bench-") as tmp:
        db = str(Path(tmp) / "bench.sqlite3")
        print(f"building a {args.candidates}-candidate store …", flush=True)
        print(f"  built in {build_store(Path(db), args.candidates):.1f} s")
        write_tickets(Path(db).with_suffix(".tickets.json"), args.candidates, args.scans)
        opening = open_cost(db)

        def run(part: str, *extra: str) -> dict:
            out = subprocess.run([sys.executable, __file__, "--part", part, "--db", db, "--candidates", str(args.candidates),
                                  "--scans", str(args.scans), *extra], capture_output=True, text=True)
            if out.returncode != 0:
                raise SystemExit(f"--part {part} {' '.join(extra)} failed: {out.stderr[-1500:]}")
            return json.loads(out.stdout.strip().splitlines()[-1])

        print_start_rows(run, args)
        if args.start_only:
            return
        start = run("start")
        gate = run("gate")
        paced = run("paced")
        naive = run("naive")
        light = panels_cost(db, 0)
        heavy = panels_cost(db, min(25_000, args.candidates // 2))

    print(f"\n{args.scans} scans on {args.candidates} candidates; Enter → first frame with the ticket on the card")
    print(f"{'':24}{'gate (indexed look-up)':>26}{f'naive {args.candidates} DataTable':>24}")
    print(f"{'first frame (in-process)':24}{gate['ready_s'] * 1000:>23.0f} ms{naive['ready_s'] * 1000:>21.0f} ms")
    for key in ("p50_ms", "p95_ms", "p99_ms", "max_ms"):
        print(f"{'scan ' + key[:-3]:24}{gate[key]:>23.1f} ms{naive[key]:>21.1f} ms")
    print(f"{'scan p50/p95/p99, paced':24}{paced['p50_ms']:>9.1f} /{paced['p95_ms']:5.1f} /{paced['p99_ms']:5.1f} ms"
          f"  (one scan at a time, after the side panels caught up; {paced['n']} scans)")
    print(f"{'peak RSS':24}{gate['rss_mb']:>23.0f} MB{naive['rss_mb']:>21.0f} MB")
    print(f"\n`examops gate` process start → first frame: median {start['median_s'] * 1000:.0f} ms "
          f"(min {start['min_s'] * 1000:.0f}, max {start['max_s'] * 1000:.0f}, {start['runs']} runs)")
    print(f"Site.open on this store: {opening['with_check_ms']:.0f} ms with the integrity check, "
          f"{opening['without_check_ms']:.0f} ms without")
    print(f"side-panel refresh (counters + recent scans): {light['median_ms']:.0f} ms at {light['admitted']} admitted, "
          f"{heavy['median_ms']:.0f} ms at {heavy['admitted']} admitted")


if __name__ == "__main__":
    main()
