"""What the roster importer does with every file of the real-file corpus, one line per file.

Each file is read and parsed in its own forked child with an address-space
limit and a time limit, so a hang, a memory blow-up or a traceback is recorded
instead of stopping the run.

    python tools/corpus_outcomes.py --out /tmp/after.tsv
    python tools/corpus_outcomes.py --src /work/main --out /tmp/before.tsv   # the old importer
    python tools/corpus_outcomes.py --compare /tmp/before.tsv /tmp/after.tsv
"""

from __future__ import annotations

import argparse
import collections
import csv
import datetime as dt
import multiprocessing
import os
import resource
import sys
import time
import traceback
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "real-files"
MEMORY_LIMIT = 4096 * 2**20  # a safety net for the old importer; the new one limits its readers itself
TIME_LIMIT_S = 60


def _outcome(path: str, conn) -> None:  # noqa: ANN001
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    outcome = _judge(path)
    # The reader child's peak counts too: it is this process's waited-for child.
    conn.send((*outcome, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024))


def _judge(path: str) -> tuple[str, str]:
    try:
        try:
            from examops.adapters.excel_in import UnreadableFile, read_workbook
        except ImportError:
            from examops.adapters.workbook_reader import UnreadableFile, read_workbook
        from examops.domain.roster import parse_rosters

        try:
            content = read_workbook(path)
        except UnreadableFile as refusal:
            return "refused", str(refusal)
        parsed = parse_rosters([(Path(path).name, content.sheets)], today=dt.date(2021, 10, 16))
        errors = [p for p in parsed.problems if p.severity == "error"]
        if errors:
            try:
                from examops.i18n.roster_words import localised
            except ImportError:  # an importer older than translated roster problems
                localised = lambda problem, lang: problem  # noqa: E731
            first = localised(errors[0], "zh_CN")
            return "rows-refused", f"{len(errors)} errors; first: {first.message} — {first.fix}"
        return "imported", f"{len({e.ticket for e in parsed.entries})} candidates"
    except MemoryError:
        return "memory", "MemoryError under the address-space limit"
    except BaseException as exc:  # noqa: BLE001 - this tool records what escapes
        last = traceback.format_exception_only(type(exc), exc)[-1].strip()
        return "traceback", f"{type(exc).__module__}.{type(exc).__name__}: {last[:200]}"


def run_one(path: Path) -> tuple[str, str, float, int]:
    """(outcome, detail, seconds, peak RSS MB) of one file in a fresh child."""
    context = multiprocessing.get_context("fork")
    parent, child = context.Pipe(duplex=False)
    start = time.perf_counter()
    process = context.Process(target=_outcome, args=(str(path), child))
    process.start()
    child.close()
    result = ("crash", "the child died without a word", 0)
    if parent.poll(TIME_LIMIT_S):
        try:
            result = parent.recv()
        except EOFError:
            pass
    else:
        process.kill()
        result = ("hang", f"no answer in {TIME_LIMIT_S} s", 0)
    _, status, usage = os.wait4(process.pid, 0)
    process.join(0)
    seconds = time.perf_counter() - start
    if result[0] == "crash" and os.WIFSIGNALED(status):
        result = ("crash", f"killed by signal {os.WTERMSIG(status)}", 0)
    return result[0], result[1], seconds, max(usage.ru_maxrss // 1024, result[2])


def run(corpus: Path, out: Path) -> None:
    with open(corpus / "MANIFEST.tsv", newline="") as handle:
        manifest = list(csv.DictReader(handle, delimiter="\t"))
    with open(out, "w", newline="") as handle:
        writer = csv.writer(handle, delimiter="\t")
        writer.writerow(["file", "kind", "outcome", "seconds", "peak_mb", "detail"])
        for row in manifest:
            outcome, detail, seconds, peak = run_one(corpus / row["file"])
            writer.writerow([row["file"], row["kind"], outcome, f"{seconds:.2f}", peak, detail.replace("\n", " ")])
            handle.flush()
    print(f"wrote {out}")


def compare(before: Path, after: Path) -> None:
    def load(path: Path) -> dict[str, dict]:
        with open(path, newline="") as handle:
            return {row["file"]: row for row in csv.DictReader(handle, delimiter="\t")}

    old, new = load(before), load(after)
    moves = collections.Counter((old[f]["outcome"], new[f]["outcome"]) for f in old if f in new)
    print("before -> after: files")
    for (a, b), count in sorted(moves.items()):
        print(f"  {a:>13} -> {b:<13} {count}")
    for name, table in (("before", old), ("after", new)):
        peak = max(table.values(), key=lambda r: int(r["peak_mb"]))
        slow = max(table.values(), key=lambda r: float(r["seconds"]))
        print(f"{name}: peak {peak['peak_mb']} MB ({peak['file']}), slowest {slow['seconds']} s ({slow['file']})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--src", type=Path, help="a checkout whose examops to run (default: this one)")
    parser.add_argument("--out", type=Path)
    parser.add_argument("--compare", nargs=2, type=Path)
    args = parser.parse_args()
    if args.compare:
        compare(*args.compare)
        return
    sys.path.insert(0, str(args.src or Path(__file__).resolve().parents[1]))
    run(args.corpus, args.out or Path("corpus_outcomes.tsv"))


if __name__ == "__main__":
    main()
