"""Gate scan → card in a real terminal: `examops gate` (zh-CN) on a 50k store, p50/p99, as a wedge scanner types.

    .venv/bin/python bench/bench_gate_tmux.py [--src /work/base] [--old-laptop] [--scans 200] [--tmux-scans 60]
    .venv/bin/python bench/bench_gate_tmux.py --sizes 80x24 --no-tmux --scans 60      # a quick look

Each scan is the ticket and Enter written to the terminal at once (what a keyboard-wedge scanner does). Two terminals:
  pty    the gate on a pseudo-terminal this script owns; the time runs from writing the scan's bytes to the read whose
         bytes, decoded by a small VT emulator (bench/terminal_screen.py), put the ticket on the card's 准考证号 line
         with 准予入场 on screen;
  tmux   the cross-check in a real terminal: `tmux new -d -x W -y H`, the scan by one `send-keys -l 'TICKET\\r'`,
         `capture-pane` polled until the card shows (the time includes starting tmux's client: coarser, never less).
Variants, side by side in one run, interleaved so the machine's load falls on all alike: this code; the baseline
(`--src OLD_CHECKOUT`, run with PYTHONPATH and the working directory set to it); and a floor, the smallest Textual
app that draws the same two lines from an Input (what any Textual gate costs on this terminal), at Textual's default
60 frames a second and at the 240 this code's TUI sets (examops/tui/__init__.py). Every variant runs
on its own copy of the store, so each measured scan is a first admission. Scans come 0.2–0.8 s apart (seeded, `--gap`), so
the gate's periodic side-panel refresh falls at every phase of a scan. `--old-laptop` runs all of it again on one
core at 50 % (bench/old_laptop.py). Bursts: six scans in one write, timed to the sixth card, all six checked in the
store afterwards. Target (issue 15): p99 ≤ 50 ms on this machine, ≤ 100 ms on the old laptop.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import pty
import random
import select
import shlex
import shutil
import sqlite3
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.bench_gate_ui import CLOCK, build_store  # noqa: E402
from bench.old_laptop import Throttle, describe  # noqa: E402
from bench.old_laptop import prefix as old_laptop_prefix  # noqa: E402
from bench.terminal_screen import Screen  # noqa: E402

TICKET_LABEL = "准考证号"  # the card's ticket line, zh-CN
ADMITTED = "准予入场"  # the verdict banner
READY = "本场统计"  # the side panel's title: the gate's first frame is up
WAIT_S = 60.0
SETTLE_S = 2.5  # after the first frame: start-up work (lane, first panels) is done before the first scan
BURST = 6
TARGET_MS = {False: 50, True: 100}

FLOOR_APP = r"""
import sys
from textual.app import App
from textual.widgets import Input, Static

class Floor(App):
    def compose(self):
        yield Input(id="scan")
        yield Static("准予入场", id="banner")
        yield Static("", id="card")
        yield Static("本场统计")

    def on_input_submitted(self, event):
        event.input.value = ""
        self.query_one("#card").update("准考证号  " + event.value)

Floor().run()
"""


@dataclass
class Variant:
    """Whose gate runs: this checkout, an old one by PYTHONPATH, or the Textual floor."""

    name: str
    src: Path | None = None
    floor: bool = False
    fps: int | None = None  # TEXTUAL_FPS for it; None: its own default (Textual's 60; this code sets 240 itself)

    def argv(self, url: str, lane: str, trace_to: Path | None = None) -> list[str]:
        python = [sys.executable, str(ROOT / "bench" / "gate_trace.py"), str(trace_to)] if trace_to else [sys.executable]
        if self.floor:
            return [*python, "-c", FLOOR_APP]
        return [*python, "-m", "examops", "--db", url, "gate", "--lane", lane, "--staff", "bench", "--lang", "zh-CN"]

    def env(self, home: Path) -> dict:
        env = {**os.environ, "EXAMOPS_CLOCK": CLOCK, "EXAMOPS_LANG": "zh-CN", "EXAMOPS_HOME": str(home),
               "TERM": "xterm-256color", "LANG": "C.UTF-8"}
        env.pop("PYTHONPATH", None)
        env.pop("TEXTUAL_FPS", None)
        if self.fps:
            env["TEXTUAL_FPS"] = str(self.fps)
        if self.src:
            env["PYTHONPATH"] = str(self.src)
        return env

    @property
    def cwd(self) -> str:
        return str(self.src or ROOT)  # `python -m` puts the working directory first on the path


@dataclass
class Samples:
    scans: list[float] = field(default_factory=list)
    bursts: list[float] = field(default_factory=list)
    timed: list[tuple[float, float]] = field(default_factory=list)  # (sent, shown) of each scan, for --trace
    marks: list[tuple[float, str]] = field(default_factory=list)


def card_shows(lines: list[str], ticket: str) -> bool:
    return any(TICKET_LABEL in line and ticket in line for line in lines) and any(ADMITTED in line for line in lines)


class PtyGate:
    """The gate on a pty of ours: bytes in as a scanner types them, bytes out decoded into a screen."""

    def __init__(self, variant: Variant, url: str, lane: str, size: tuple[int, int], home: Path, throttle: bool,
                 prefix: list[str], trace_to: Path | None = None) -> None:
        columns, rows = size
        argv = [*prefix, *variant.argv(url, lane, trace_to)]
        env, cwd = variant.env(home), variant.cwd
        exe = shutil.which(argv[0]) or argv[0]
        pid, fd = pty.fork()
        if pid == 0:  # the child: the terminal's size before anything asks for it
            fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
            os.chdir(cwd)
            os.execve(exe, argv, env)
        self.pid, self.fd, self.screen = pid, fd, Screen(columns, rows)
        self.throttler = Throttle(pid) if throttle else None
        self.output = b""

    def read_until(self, condition, timeout: float) -> float | None:  # noqa: ANN001
        """Read and decode until `condition(lines)`; the time of the read that made it true (None: timed out)."""
        deadline = time.perf_counter() + timeout
        while True:
            left = deadline - time.perf_counter()
            if left <= 0:
                return None
            ready, _, _ = select.select([self.fd], [], [], left)
            if not ready:
                continue
            at = time.perf_counter()
            try:
                data = os.read(self.fd, 1 << 16)
            except OSError:
                return None
            if not data:
                return None
            self.output = (self.output + data)[-4096:]
            self.screen.feed(data)
            if condition(self.screen.lines()):
                return at

    def send(self, data: bytes) -> float:
        at = time.perf_counter()
        os.write(self.fd, data)
        return at

    def close(self) -> None:
        os.write(self.fd, b"\x11")  # ctrl+q
        self.read_until(lambda _lines: False, 5.0)
        if self.throttler is not None:
            self.throttler.stop()
        try:
            os.kill(self.pid, 9)
        except ProcessLookupError:
            pass
        os.waitpid(self.pid, 0)
        os.close(self.fd)


class TmuxGate:
    """The gate in a detached tmux pane: `send-keys -l` in, `capture-pane` out."""

    def __init__(self, variant: Variant, url: str, lane: str, size: tuple[int, int], home: Path, throttle: bool,
                 prefix: list[str], trace_to: Path | None = None) -> None:
        columns, rows = size
        self.session = f"bench-gate-{uuid.uuid4().hex[:8]}"
        env = variant.env(home)
        assignments = [f"{key}={shlex.quote(env[key])}" for key in
                       ("EXAMOPS_CLOCK", "EXAMOPS_LANG", "EXAMOPS_HOME", "LANG", "PATH") + (("PYTHONPATH",) if variant.src else ())
                       + (("TEXTUAL_FPS",) if variant.fps else ())]
        command = "exec env -u PYTHONPATH -u TEXTUAL_FPS " + " ".join(assignments) + " " + shlex.join([*prefix, *variant.argv(url, lane, trace_to)])
        self._tmux("new-session", "-d", "-s", self.session, "-x", str(columns), "-y", str(rows), "-c", variant.cwd, command)
        pid = int(self._tmux("display-message", "-p", "-t", self.session, "#{pane_pid}").strip())
        self.throttler = Throttle(pid) if throttle else None

    @staticmethod
    def _tmux(*args: str) -> str:
        return subprocess.run(["tmux", *args], capture_output=True, text=True, check=True).stdout

    def read_until(self, condition, timeout: float) -> float | None:  # noqa: ANN001
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            at = time.perf_counter()
            if condition(self._tmux("capture-pane", "-p", "-t", self.session).splitlines()):
                return at
        return None

    def send(self, data: bytes) -> float:
        at = time.perf_counter()
        self._tmux("send-keys", "-t", self.session, "-l", data.decode())
        return at

    def close(self) -> None:
        if self.throttler is not None:
            self.throttler.stop()
        subprocess.run(["tmux", "kill-session", "-t", self.session], capture_output=True)


def copy_store(template: Path, to: Path) -> str:
    with sqlite3.connect(template) as source, sqlite3.connect(to) as target:
        source.backup(target)
    return f"sqlite:///{to}"


def admitted_in(db: Path, lane: str) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute("select count(*) from events where kind = 'admitted' and lane = ?", (lane,)).fetchone()[0]


def run_once(terminal: type, variant: Variant, template: Path, tmp: Path, size: tuple[int, int], tickets: list[str],
             bursts: list[list[str]], old_laptop: bool, gaps: random.Random, trace: bool = False,
             gap: tuple[float, float] = (0.2, 0.8)) -> Samples:
    """One gate process: wait for its first frame and start-up, then the scans one by one, then the bursts."""
    db = tmp / f"{uuid.uuid4().hex[:8]}.sqlite3"
    url = copy_store(template, db)
    lane = "L" + uuid.uuid4().hex[:6].upper()
    prefix, throttle = old_laptop_prefix() if old_laptop else ([], False)
    trace_to = tmp / f"{lane}.trace" if trace else None
    gate = terminal(variant, url, lane, size, tmp / "home", throttle, prefix, trace_to)
    samples = Samples()
    try:
        if gate.read_until(lambda lines: any(READY in line for line in lines), WAIT_S) is None:
            raise RuntimeError(f"{variant.name}: no first frame: {getattr(gate, 'output', b'')[-400:]!r}")
        gate.read_until(lambda _lines: False, SETTLE_S)
        for ticket in tickets:
            gate.read_until(lambda _lines: False, gaps.uniform(*gap))
            sent = gate.send(ticket.encode() + b"\r")
            shown = gate.read_until(lambda lines, t=ticket: card_shows(lines, t), WAIT_S)
            if shown is None:
                screen = "\n".join(gate.screen.lines()) if hasattr(gate, "screen") else ""
                raise RuntimeError(f"{variant.name}: the card of {ticket} never showed; the screen:\n{screen}")
            samples.scans.append(shown - sent)
            samples.timed.append((sent, shown))
        for burst in () if variant.floor else bursts:
            gate.read_until(lambda _lines: False, 1.5)
            sent = gate.send(b"".join(ticket.encode() + b"\r" for ticket in burst))
            shown = gate.read_until(lambda lines, t=burst[-1]: card_shows(lines, t), WAIT_S)
            if shown is None:
                raise RuntimeError(f"{variant.name}: the burst's last card ({burst[-1]}) never showed")
            samples.bursts.append(shown - sent)
        gate.read_until(lambda _lines: False, 1.0)
    finally:
        gate.close()
    if trace_to is not None and Path(f"{trace_to}.prof").exists():
        shutil.copy(f"{trace_to}.prof", f"/tmp/bench-gate-{variant.name.replace(' ', '-')}-{size[0]}x{size[1]}.prof")
    if trace_to is not None and trace_to.exists():
        samples.marks = [(float(at), what) for at, what in (line.split(" ", 1) for line in trace_to.read_text().splitlines())]
    if not variant.floor:
        expected = len(tickets) + sum(map(len, bursts))
        if (found := admitted_in(db, lane)) != expected:
            raise RuntimeError(f"{variant.name}: {found} admissions recorded, {expected} scanned")
    db.unlink()
    return samples


PHASES = (("read enter", "the driver read the Enter"), ("enter >", "the scan field took it"),
          ("check <", "the lane worker began the check"), ("check >", "the check returned (committed)"),
          ("recorded <", "the verdict's handler began"), ("recorded >", "the handler ended"),
          ("update <", "the next screen update began"), ("written", "its frame was written"))


def phases(samples: Samples) -> None:
    """Where each scan's time went (--trace): the first mark of each phase after the previous one, per scan."""
    marks = sorted(samples.marks)
    steps: dict[str, list[float]] = {label: [] for _mark, label in PHASES}
    steps["the bench decoded the card"] = []
    busy, quiet = [], []
    for sent, shown in samples.timed:
        at, index = sent, 0
        for prefix, label in PHASES:
            while index < len(marks) and not (marks[index][0] >= at and marks[index][1].startswith(prefix)):
                index += 1
            if index == len(marks) or marks[index][0] > shown:
                break
            steps[label].append(marks[index][0] - at)
            at = marks[index][0]
        else:
            steps["the bench decoded the card"].append(shown - at)
        panels = any(sent <= when <= shown and what.startswith("panels")
                     for when, what in marks)
        (busy if panels else quiet).append(shown - sent)
    for label, values in steps.items():
        if values:
            print(f"    {label:34} p50 {pick(values, 0.5):6.1f} ms  p99 {pick(values, 0.99):6.1f} ms  (n {len(values)})")
    for name, values in (("with side panels at work", busy), ("without", quiet)):
        if values:
            print(f"    scans {name:26} p50 {pick(values, 0.5):6.1f} ms  p99 {pick(values, 0.99):6.1f} ms  (n {len(values)})")
    within: dict[str, list[float]] = {}
    for sent, shown in samples.timed:
        for name, times in spans(marks, sent, shown).items():
            within.setdefault(name, []).extend(times)
    scans = max(len(samples.timed), 1)
    print("    inside all scans, per scan (count, ms): " + ", ".join(
        f"{name} {len(times) / scans:.2f} / {1000 * sum(times) / scans:.1f}" for name, times in sorted(within.items())
        if name not in ("enter", "queued")))
    slowest = sorted(samples.timed, key=lambda pair: pair[0] - pair[1])[:SLOWEST]
    order = {pair: number for number, pair in enumerate(samples.timed, 1)}
    for sent, shown in slowest:
        print(f"    slow scan #{order[(sent, shown)]:<3} {1000 * (shown - sent):5.1f} ms: " + inside(marks, sent, shown))


SLOWEST = 6


def inside(marks: list[tuple[float, str]], start: float, end: float) -> str:
    """What else ran between a scan's send and its card: each kind of span (a "<" to its ">") by its total ms
    within the scan, and how many; a span begun before the scan counts from the scan's start."""
    return ", ".join(f"{name} {1000 * sum(times):.1f} ({len(times)})" for name, times in sorted(spans(marks, start, end).items())
                     if name not in ("enter", "queued"))


def spans(marks: list[tuple[float, str]], start: float, end: float) -> dict[str, list[float]]:
    """Each kind of span between `start` and `end`: the seconds of each within them."""
    opened: dict[str, float] = {}
    spent: dict[str, list[float]] = {}
    for at, what in marks:
        if at > end:
            break
        name, _, edge = what.rpartition(" ")
        if edge == "<":
            opened[name] = at
        elif edge == ">" and name in opened:
            began = opened.pop(name)
            if at >= start:
                spent.setdefault(name, []).append(min(at, end) - max(began, start))
    for name, began in opened.items():  # still running when the card showed
        spent.setdefault(name, []).append(end - max(began, start))
    return spent


def pick(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def load() -> str:
    return Path("/proc/loadavg").read_text().split()[0] if Path("/proc/loadavg").exists() else "?"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--candidates", type=int, default=50_000)
    parser.add_argument("--scans", type=int, default=200, help="scans per variant, size and profile on the pty")
    parser.add_argument("--tmux-scans", type=int, default=60, help="the same on tmux (the cross-check)")
    parser.add_argument("--bursts", type=int, default=10, help="bursts of six per variant, size and profile (pty)")
    parser.add_argument("--sizes", default="80x24,120x40")
    parser.add_argument("--src", type=Path, help="an old checkout (the baseline), run beside this code")
    parser.add_argument("--old-laptop", action="store_true", help="everything again on one core at 50 %%")
    parser.add_argument("--old-laptop-only", action="store_true", help="only the old-laptop profile (its own quiet run)")
    parser.add_argument("--no-tmux", action="store_true")
    parser.add_argument("--no-floor", action="store_true")
    parser.add_argument("--rounds", type=int, default=2, help="each variant's scans split over this many processes, interleaved")
    parser.add_argument("--gap", default="0.2,0.8", help="seconds between two scans, drawn between these (seeded)")
    parser.add_argument("--also-fps", default="", help="comma-separated frame rates: this code again at each (TEXTUAL_FPS)")
    parser.add_argument("--trace", action="store_true", help="a timeline of each scan in the gate (bench/gate_trace.py): where the time goes")
    args = parser.parse_args()

    variants = [Variant("this code")] + [Variant(f"this code at {fps} fps", fps=int(fps)) for fps in filter(None, args.also_fps.split(","))]
    variants += [Variant("baseline", args.src.resolve())] if args.src else []
    variants += [] if args.no_floor else [Variant("Textual floor", floor=True),
                                          Variant("floor at 240 fps", floor=True, fps=240)]
    sizes = [tuple(int(n) for n in size.split("x")) for size in args.sizes.split(",")]
    terminals = [("pty", PtyGate, args.scans)] + ([] if args.no_tmux or not shutil.which("tmux") else [("tmux", TmuxGate, args.tmux_scans)])
    profiles = [True] if args.old_laptop_only else [False, True] if args.old_laptop else [False]
    print(f"load average {load()} at the start; old laptop: {describe()}", flush=True)
    results: dict[tuple, Samples] = {}
    with tempfile.TemporaryDirectory(prefix="examops-bench-tmux-") as tmp_name:
        tmp = Path(tmp_name)
        template = tmp / "template.sqlite3"
        print(f"building a {args.candidates}-candidate store …", flush=True)
        print(f"  built in {build_store(template, args.candidates):.1f} s", flush=True)
        from examops import sample

        people = [p.ticket for p in sample.synthetic_people(args.candidates)]
        draw = random.Random(15)
        for old_laptop in profiles:
            for size in sizes:
                for term, terminal, scans in terminals:
                    per_round = max(scans // args.rounds, 1)
                    burst_rounds = max(args.bursts // args.rounds, 1) if term == "pty" else 0
                    for round_ in range(args.rounds):
                        order = variants if round_ % 2 == 0 else variants[::-1]
                        tickets = draw.sample(people, per_round + BURST * burst_rounds)  # the same for every variant
                        scans_now, bursts = tickets[:per_round], [tickets[per_round + BURST * i:per_round + BURST * (i + 1)]
                                                                  for i in range(burst_rounds)]
                        for variant in order:
                            key = (old_laptop, size, term, variant.name)
                            try:
                                got = run_once(terminal, variant, template, tmp, size, scans_now, bursts, old_laptop,
                                               random.Random(round_), trace=args.trace and term == "pty",
                                               gap=tuple(float(x) for x in args.gap.split(",")))
                            except RuntimeError as exc:  # said, and the other runs go on (a starved machine)
                                print(f"  FAILED {variant.name} {size[0]}×{size[1]} {term}: {exc}", flush=True)
                                continue
                            results.setdefault(key, Samples()).scans.extend(got.scans)
                            results[key].bursts.extend(got.bursts)
                            results[key].timed.extend(got.timed)
                            results[key].marks.extend(got.marks)
                            print(f"  {'old laptop' if old_laptop else 'this machine'} {size[0]}×{size[1]} {term} "
                                  f"{variant.name}: p50 {pick(got.scans, 0.5):.0f} ms p99 {pick(got.scans, 0.99):.0f} ms "
                                  f"(load {load()})", flush=True)
    print(f"\nload average {load()} at the end")
    report(results, variants, sizes, terminals, profiles)
    if args.trace:
        for (old_laptop, size, term, name), got in results.items():
            if got.marks:
                print(f"\nwhere the time went: {name}, {'old laptop' if old_laptop else 'this machine'}, {size[0]}×{size[1]} {term}")
                phases(got)


def report(results: dict, variants: list[Variant], sizes: list, terminals: list, profiles: list) -> None:  # noqa: ANN001
    baseline = next((v.name for v in variants if v.src), None)
    for old_laptop in profiles:
        title = "old laptop (1 core, 50 %)" if old_laptop else "this machine"
        print(f"\nissue 15, {title}: gate scan → card, zh-CN, 50k store, p50 / p99 ms (n)   target p99 <= {TARGET_MS[old_laptop]} ms")
        columns = [(size, term) for size in sizes for term, _t, _n in terminals]
        print(f"{'':16}" + "".join(f"{f'{s[0]}×{s[1]} {term}':>22}" for s, term in columns))
        for variant in variants:
            cells = []
            for size, term in columns:
                got = results.get((old_laptop, size, term, variant.name))
                cells.append(f"{pick(got.scans, 0.5):.0f} / {pick(got.scans, 0.99):.0f} ({len(got.scans)})" if got else "-")
            print(f"{variant.name:16}" + "".join(f"{cell:>22}" for cell in cells))
        if baseline:
            ratios = []
            for size, term in columns:
                here, there = results.get((old_laptop, size, term, "this code")), results.get((old_laptop, size, term, baseline))
                ratios.append(f"{pick(here.scans, 0.99) / pick(there.scans, 0.99):.2f}×" if here and there else "-")
            print(f"{'p99 this/base':16}" + "".join(f"{r:>22}" for r in ratios))
        for size in sizes:
            line = []
            for variant in variants:
                got = results.get((old_laptop, size, "pty", variant.name))
                if got and got.bursts:
                    line.append(f"{variant.name} {statistics.median(got.bursts) * 1000:.0f} / {max(got.bursts) * 1000:.0f}")
            if line:
                print(f"  bursts of {BURST}, {size[0]}×{size[1]} pty, to the sixth card, median / max ms: " + " · ".join(line))


if __name__ == "__main__":
    main()
