"""Roster import speed: `examops roster import` (whole process) against pandas merely reading the file.

Targets (issue 2): on a 50k-row single-sheet roster the whole import takes at
most 0.25x the time `pandas.read_excel(engine="openpyxl", dtype=str)` needs to
read it; 200k rows in <= 6 s with peak memory <= 450 MB.

    python bench/bench_roster_import.py            # 50k and 200k
    python bench/bench_roster_import.py --rows 50000 --skip-pandas
    python bench/bench_roster_import.py --rows 50000 --skip-pandas --before /tmp/old-checkout --repeat 5
        # the same run times the old importer (PYTHONPATH=the old checkout) and this one, interleaved
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from examops import sample  # noqa: E402

EXAMOPS = str(Path(sys.executable).parent / "examops")
PLAN = ROOT / "rosters" / "sample_plan.toml"


def timed_child(args: list[str], env: dict) -> tuple[float, float, subprocess.CompletedProcess]:
    """Wall time and peak RSS (MB) of this one child (wait4), not the running maximum over all children."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        process = subprocess.Popen(args, stdout=out, stderr=err, text=True, env=env)
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return elapsed, usage.ru_maxrss / 1024, subprocess.CompletedProcess(args, process.returncode, out.read(), err.read())


def child_python(code: str) -> list[str]:
    return [sys.executable, "-c", code]


def bench(rows: int, workdir: Path, skip_pandas: bool) -> dict:
    path = workdir / f"roster_{rows}.xlsx"
    if not path.exists():
        t0 = time.perf_counter()
        sample.write_roster_xlsx(path, sample.synthetic_people(rows), seats_per_room=30, per_room_sheets=False)
        print(f"  generated {rows} rows in {time.perf_counter() - t0:.1f} s ({path.stat().st_size / 1e6:.1f} MB)", flush=True)
    home = workdir / f"home_{rows}"
    env = {**os.environ, "EXAMOPS_HOME": str(home), "EXAMOPS_PIN": "1234"}
    env.pop("EXAMOPS_DB", None)
    subprocess.run([EXAMOPS, "init", "--plan", str(PLAN)], env=env, check=True, capture_output=True)
    results = {"rows": rows}
    results["import_s"], results["import_peak_mb"], out = timed_child([EXAMOPS, "roster", "import", str(path)], env)
    if out.returncode != 0:
        raise SystemExit(f"import failed: {out.stdout[-2000:]} {out.stderr[-2000:]}")
    results["calamine_s"], _, _ = timed_child(child_python(
        f"from python_calamine import CalamineWorkbook as W; w=W.from_path({str(path)!r}); "
        f"[w.get_sheet_by_name(n).to_python() for n in w.sheet_names]"), env)
    if not skip_pandas:
        results["pandas_s"], results["pandas_peak_mb"], _ = timed_child(child_python(
            f"import pandas as pd; pd.read_excel({str(path)!r}, engine='openpyxl', dtype=str, header=None, sheet_name=None)"), env)
    return results


def compare(rows: int, workdir: Path, before: Path, repeat: int) -> None:
    """The old importer (PYTHONPATH=before) and this one on the same file, interleaved, fresh store each time."""
    path = workdir / f"roster_{rows}.xlsx"
    sample.write_roster_xlsx(path, sample.synthetic_people(rows), seats_per_room=30, per_room_sheets=False)
    timings: dict[str, list[tuple[float, float]]] = {"before": [], "after": []}
    for attempt in range(repeat):
        for label in ("before", "after"):
            home = workdir / f"home_{label}_{attempt}"
            env = {**os.environ, "EXAMOPS_HOME": str(home), "EXAMOPS_PIN": "1234"}
            env.pop("EXAMOPS_DB", None)
            if label == "before":
                env["PYTHONPATH"] = str(before)
            subprocess.run([EXAMOPS, "init", "--plan", str(PLAN)], env=env, check=True, capture_output=True)
            seconds, peak, out = timed_child([EXAMOPS, "roster", "import", str(path)], env)
            if out.returncode != 0:
                raise SystemExit(f"{label} import failed: {out.stdout[-2000:]} {out.stderr[-2000:]}")
            timings[label].append((seconds, peak))
    for label, runs in timings.items():
        times = sorted(t for t, _ in runs)
        print(f"  {label:>6}: median {times[len(times) // 2]:.2f} s, min {times[0]:.2f} s, max {times[-1]:.2f} s, "
              f"peak {max(p for _, p in runs):.0f} MB  ({', '.join(f'{t:.2f}' for t, _ in runs)})")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, action="append")
    parser.add_argument("--skip-pandas", action="store_true")
    parser.add_argument("--before", type=Path, help="an old checkout to time against this one in the same run")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    sizes = args.rows or [50_000, 200_000]
    with tempfile.TemporaryDirectory() as tmp:
        if args.before:
            for rows in sizes:
                print(f"{rows} rows, before vs after, {args.repeat} interleaved runs each:", flush=True)
                compare(rows, Path(tmp), args.before, args.repeat)
            return
        for rows in sizes:
            print(f"{rows} rows:", flush=True)
            r = bench(rows, Path(tmp), args.skip_pandas or rows > 100_000)
            line = f"  examops roster import (whole process): {r['import_s']:.2f} s, peak {r['import_peak_mb']:.0f} MB"
            print(line)
            print(f"  python-calamine read only:              {r['calamine_s']:.2f} s")
            if "pandas_s" in r:
                print(f"  pandas.read_excel(openpyxl, dtype=str): {r['pandas_s']:.2f} s")
                print(f"  ratio import / pandas read:             {r['import_s'] / r['pandas_s']:.3f}  (target <= 0.25)")


if __name__ == "__main__":
    main()
