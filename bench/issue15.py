"""Issue 15's table in one run: each benchmark's "issue 15" rows, this code beside the baseline checkout.

Runs the benchmark scripts one after another (never in parallel: they would measure each other) with `--src`
(or the script's own spelling of it) pointing at an old checkout, and prints, per script, the block of lines
from its "issue 15" heading on, then the machine's load average before and after. Whatever a script prints
besides goes to `--log`.

    git worktree add --detach ../examops-base 7b03801      # main when issue 15 was filed
    .venv/bin/python bench/issue15.py --src ../examops-base [--old-laptop] [--pg URL] [--only check,gate]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

# name -> (script, arguments besides the baseline's, the script's option naming the baseline)
RUNS = {
    "check": ("bench_check_stdin.py", [], "--src"),
    "gate": ("bench_gate_ui.py", ["--start-only"], "--src"),
    "tmux": ("bench_gate_tmux.py", [], "--src"),
    "pg": ("bench_pg_lanes.py", [], "--src"),
    "roster": ("bench_roster_import.py", ["--rows", "50000"], "--src"),
    "report": ("bench_report.py", [], "--src"),
}


def issue_rows(output: str) -> list[str]:
    """The lines from the first "issue 15" heading to the end (a script prints its table last)."""
    lines = output.splitlines()
    for index, line in enumerate(lines):
        if "issue 15" in line.lower():
            return lines[index:]
    return ["(no issue 15 rows printed; see the log)"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--src", type=Path, required=True, help="the baseline checkout")
    parser.add_argument("--only", default=",".join(RUNS), help=f"comma-separated, of {', '.join(RUNS)}")
    parser.add_argument("--old-laptop", action="store_true", help="pass --old-laptop where a script offers it")
    parser.add_argument("--pg", default=os.environ.get("EXAMOPS_TEST_PG_URL", ""))
    parser.add_argument("--log", type=Path, default=Path("issue15-bench.log"))
    args = parser.parse_args()
    with args.log.open("w", encoding="utf-8") as log:
        for name in args.only.split(","):
            script, extra, baseline = RUNS[name]
            path = HERE / script
            if not path.exists():
                print(f"\n== {name}: {script} is not in this checkout")
                continue
            command = [sys.executable, str(path), *extra, baseline, str(args.src)]
            helptext = subprocess.run([sys.executable, str(path), "--help"], capture_output=True, text=True).stdout
            if args.old_laptop and "--old-laptop" in helptext:
                command.append("--old-laptop")
            if "--pg" in helptext:
                command += ["--pg", args.pg]
            load = os.getloadavg()[0]
            started = time.perf_counter()
            done = subprocess.run(command, capture_output=True, text=True)
            log.write(f"$ {' '.join(command)}\n{done.stdout}\n{done.stderr}\n")
            print(f"\n== {name}: {script} ({time.perf_counter() - started:.0f} s, load {load:.1f} → {os.getloadavg()[0]:.1f},"
                  f" exit {done.returncode})")
            print("\n".join(issue_rows(done.stdout)))


if __name__ == "__main__":
    main()
