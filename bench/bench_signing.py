"""What signing every event costs a scan: Ed25519 and the witness file in isolation, then whole lanes against main.

1. In-process: one Ed25519 signature, one verification, one witness-file
   update (the per-commit work a lane now adds), averaged over many.
2. `bench_check_stdin.py` (streamed `check --stdin` and one scan at a time)
   on this tree and, with `--baseline DIR` (a worktree of the code before
   device signatures), on that tree too, SQLite and PostgreSQL if given.

    python bench/bench_signing.py --baseline /tmp/main-worktree [--pg URL] [--candidates 10000 --scans 1000]
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

from examops.adapters.signing import DeviceKey, verify  # noqa: E402
from examops.adapters.witness import Witness  # noqa: E402
from examops.domain.events import signing_message  # noqa: E402


def per_call_us(fn, n: int) -> float:  # noqa: ANN001
    start = time.perf_counter()
    for i in range(n):
        fn(i)
    return (time.perf_counter() - start) / n * 1e6


def in_process() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        key = DeviceKey.load_or_create(Path(tmp) / "k.pem")
        message = signing_message("ab" * 32)
        signature = key.sign(message)
        witness = Witness(Path(tmp) / "heads.jsonl")
        rows = [
            ("Ed25519 sign (per event)", per_call_us(lambda i: key.sign(message), 20_000)),
            ("Ed25519 verify (per event, verify)", per_call_us(lambda i: verify(key.public_b64, message, signature), 20_000)),
            ("witness file update (per commit)", per_call_us(
                lambda i: witness.record({f"host.x/L{i % 4}": (i + 1, "ab" * 32)}), 2_000)),
        ]
    print(f"{'in-process step':<40} {'µs':>8}")
    for name, us in rows:
        print(f"{name:<40} {us:>8.1f}")


def lanes(tree: Path, label: str, args) -> None:  # noqa: ANN001
    command = [sys.executable, str(tree / "bench" / "bench_check_stdin.py"), "--candidates", str(args.candidates),
               "--scans", str(args.scans), "--single", "5"]
    if args.pg:
        command += ["--pg", args.pg]
    env = {**os.environ, "PYTHONPATH": str(tree)}
    print(f"\n== {label}: {tree}", flush=True)
    out = subprocess.run(command, env=env, cwd=tree, capture_output=True, text=True)
    table = out.stdout[out.stdout.find("\nstore"):] if "\nstore" in out.stdout else out.stdout + out.stderr
    print(table.strip())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--baseline", type=Path, help="a worktree of the code before device signatures (e.g. main)")
    parser.add_argument("--pg", default=os.environ.get("EXAMOPS_TEST_PG_URL"))
    parser.add_argument("--candidates", type=int, default=10_000)
    parser.add_argument("--scans", type=int, default=1_000)
    args = parser.parse_args()
    in_process()
    lanes(ROOT, "signed events (this tree)", args)
    if args.baseline:
        lanes(args.baseline, "before signatures (baseline)", args)


if __name__ == "__main__":
    main()
