"""Where a roster import's wall time goes: a timeline of one `examops roster import`, phase by phase.

Each run is a fresh process (a fresh store made by `examops init`) that wraps the import's phases (the reader
child's start and its answer, the hidden-row scan, the checks, the table rows, the inserts, the index build, the
digests' thread, the events) and notes when each began and ended, in ms since the process started; the medians
of `--runs` runs are printed in the order the phases began, with the process's CPU and its reader child's.
On two cores the critical path is: start → the child's answer → checks → load → commit; what runs beside it
(the hidden-row scan while the child parses, the digests while SQLite builds the indexes) shows as overlap.

    python bench/roster_timeline.py [--rows 50000] [--runs 5]
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PHASES = [  # (module, attribute): what each phase is called where the import calls it
    ("examops.adapters.excel_in.guard", "ChildRead.__init__"),
    ("examops.adapters.excel_in.guard", "ChildRead.result"),
    ("examops.adapters.excel_in.xml_stream", "hidden_xlsx_rows"),
    ("examops.services.roster", "parse_rosters"),
    ("examops.services.roster", "table_rows"),
    ("examops.adapters.plain_roster_store", "PlainRosterStore._insert"),
    ("examops.adapters.plain_roster_store", "PlainRosterStore._script"),
    ("examops.adapters.plain_roster_store", "loaded_digests"),
    ("examops.adapters.plain_roster_store", "PlainRosterStore.append"),
    ("examops.adapters.one_shot_store", "OneShotStore.close"),
]


def one_run(path: str) -> None:
    """In this process: wrap the phases, run the CLI's import, print the marks as JSON on stderr's last line."""
    started = time.perf_counter() - _process_age()
    marks: list[tuple[float, float, str]] = []

    def wrap(module: str, qualified: str) -> None:
        owner_name, _, name = qualified.rpartition(".")
        owner = importlib.import_module(module)
        owner = getattr(owner, owner_name) if owner_name else owner
        inner = getattr(owner, name)

        def timed(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
            begun = time.perf_counter()
            try:
                return inner(*args, **kwargs)
            finally:
                marks.append((begun - started, time.perf_counter() - started, qualified))

        setattr(owner, name, timed)

    for module, qualified in PHASES:
        wrap(module, qualified)
    from examops.cli import main

    sys.argv = ["examops", "roster", "import", path]
    try:
        main()
    except SystemExit:
        pass
    end = time.perf_counter() - started
    children = os.times()
    print(json.dumps({"marks": marks, "end": end, "cpu": time.process_time(),
                      "child_cpu": children.children_user + children.children_system}), file=sys.stderr)


def _process_age() -> float:
    """Seconds since this process started (its start time in /proc), so the marks count the interpreter's start."""
    try:
        ticks = int(Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()[19])
        uptime = float(Path("/proc/uptime").read_text().split()[0])
        return max(0.0, uptime - ticks / os.sysconf("SC_CLK_TCK"))
    except (OSError, ValueError, IndexError):
        return 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--one", help=argparse.SUPPRESS)  # a run's own process
    args = parser.parse_args()
    if args.one:
        one_run(args.one)
        return
    sys.path.insert(0, str(ROOT))
    from examops import sample

    examops = str(Path(sys.executable).parent / "examops")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"roster_{args.rows}.xlsx"
        sample.write_roster_xlsx(path, sample.synthetic_people(args.rows), seats_per_room=30, per_room_sheets=False)
        runs = []
        print(f"load average {os.getloadavg()[0]:.2f}", flush=True)
        for index in range(args.runs):
            env = {**os.environ, "EXAMOPS_HOME": f"{tmp}/home{index}", "EXAMOPS_PIN": "7391"}
            env.pop("EXAMOPS_DB", None)
            subprocess.run([examops, "init", "--plan", str(ROOT / "rosters" / "sample_plan.toml")], env=env, check=True,
                           capture_output=True)
            done = subprocess.run([sys.executable, __file__, "--one", str(path)], env=env, capture_output=True, text=True,
                                  cwd=ROOT)
            runs.append(json.loads(done.stderr.strip().splitlines()[-1]))
    print(f"load average after {os.getloadavg()[0]:.2f}; medians of {args.runs} runs, ms since the process started:")
    by_phase: dict[tuple[str, int], list[tuple[float, float]]] = {}
    for run in runs:
        seen: dict[str, int] = {}
        for begun, ended, name in sorted(run["marks"]):
            seen[name] = seen.get(name, 0) + 1
            by_phase.setdefault((name, seen[name]), []).append((begun, ended))
    rows = sorted(((statistics.median(b for b, _ in spans), statistics.median(e for _, e in spans), key)
                   for key, spans in by_phase.items() if len(spans) == len(runs)))
    for begun, ended, (name, nth) in rows:
        print(f"  {begun * 1000:7.0f} → {ended * 1000:7.0f}  {(ended - begun) * 1000:6.0f} ms  {name}{f' #{nth}' if nth > 1 else ''}")
    print(f"  process ends at {statistics.median(r['end'] for r in runs) * 1000:.0f} ms; CPU {statistics.median(r['cpu'] for r in runs) * 1000:.0f} ms, "
          f"the reader child's {statistics.median(r['child_cpu'] for r in runs) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
