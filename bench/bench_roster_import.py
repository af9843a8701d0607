"""Roster import speed: `examops roster import` (whole process) against pandas merely reading the file.

Targets (issue 2): on a 50k-row single-sheet roster the whole import takes at
most 0.25x the time `pandas.read_excel(engine="openpyxl", dtype=str)` needs to
read it; 200k rows in <= 6 s with peak memory <= 450 MB.

    python bench/bench_roster_import.py            # 50k and 200k
    python bench/bench_roster_import.py --rows 50000 --skip-pandas
"""

from __future__ import annotations

import argparse
import os
import resource
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
    """Wall time and peak RSS (MB) of a child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    result = subprocess.run(args, capture_output=True, text=True, env=env)
    elapsed = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return elapsed, max(peak, before) / 1024, result


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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, action="append")
    parser.add_argument("--skip-pandas", action="store_true")
    args = parser.parse_args()
    sizes = args.rows or [50_000, 200_000]
    with tempfile.TemporaryDirectory() as tmp:
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
