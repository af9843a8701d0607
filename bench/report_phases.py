"""Where a whole `examops report` process spends its time, phase by phase (wall and CPU seconds each).

Runs the CLI in this process with timers wrapped around the functions each phase is (imports, store open, the
PIN's scrypt, the key's scrypt, the read queries, folding figures, laying out the rows, the digest, signing, the
worksheet XML, deflate, rename) and prints them in the order they ran; what no phase claims is "other". Nested
phases are counted once (the inner one's time is taken out of the outer). Used by bench_report.py (`--phases`);
alone, on a store a bench run kept with --workdir:

    EXAMOPS_HOME=DIR EXAMOPS_CLOCK=2021-10-16T17:40 EXAMOPS_PIN=5183 \
        python bench/report_phases.py --db sqlite:///DIR/bench-this.sqlite3 report --all --out /tmp/r.xlsx --json

With PYTHONPATH set to an old checkout it times the old code (phases it lacks are skipped).
"""

from __future__ import annotations

import importlib
import os
import sys
import threading
import time

T0_WALL, T0_CPU = time.perf_counter(), time.process_time()
_totals: dict[str, list[float]] = {}
_local = threading.local()  # each thread's stack of phases running


def _now() -> tuple[float, float]:
    return time.perf_counter(), time.thread_time()  # CPU of this thread: phases on other threads count their own


def _add(name: str, wall: float, cpu: float) -> None:
    entry = _totals.setdefault(name, [0.0, 0.0, 0])
    entry[0] += wall
    entry[1] += cpu
    entry[2] += 1


def timed(name: str, fn):  # noqa: ANN001, ANN201
    def wrapper(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        frame = [0.0, 0.0]  # time of inner phases, taken out of this one
        _stack = _local.__dict__.setdefault("stack", [])
        _stack.append(frame)
        wall, cpu = _now()
        try:
            return fn(*args, **kwargs)
        finally:
            dw, dc = time.perf_counter() - wall, time.thread_time() - cpu
            _stack.pop()
            _add(name, dw - frame[0], dc - frame[1])
            if _stack:
                _stack[-1][0] += dw
                _stack[-1][1] += dc
    wrapper.__wrapped__ = fn
    return wrapper


def patch(module: str, attr: str, name: str) -> None:
    owner_name, _, leaf = attr.rpartition(".")
    try:
        owner = importlib.import_module(module)
        for part in filter(None, owner_name.split(".")):
            owner = getattr(owner, part)
        setattr(owner, leaf, timed(name, getattr(owner, leaf)))
    except (ImportError, AttributeError):
        pass  # an old checkout without this function


class _TimedCompressor:
    def __init__(self, inner) -> None:  # noqa: ANN001
        self.inner = inner

    def compress(self, data: bytes) -> bytes:
        return timed("zip: deflate", self.inner.compress)(data)

    def flush(self, *args) -> bytes:  # noqa: ANN002
        return timed("zip: deflate", self.inner.flush)(*args)


def main() -> None:
    wall, cpu = _now()
    import examops.cli  # noqa: F401
    from examops.adapters.excel_out import report_book  # noqa: F401
    from examops.services import report  # noqa: F401
    _add("imports (cli, report, openpyxl)", *(a - b for a, b in zip(_now(), (wall, cpu))))
    import zipfile
    import zlib

    compressobj = zlib.compressobj
    zipfile.zlib = type("zlib", (), {"compressobj": staticmethod(lambda *a: _TimedCompressor(compressobj(*a))),
                                     "decompressobj": zlib.decompressobj, "crc32": zlib.crc32,
                                     "DEFLATED": zlib.DEFLATED, "Z_DEFAULT_COMPRESSION": zlib.Z_DEFAULT_COMPRESSION,
                                     "error": zlib.error, "MAX_WBITS": zlib.MAX_WBITS})
    for module, attr, name in [
        ("examops.services.site", "Site.open", "store open (+ plan)"),
        ("examops.adapters.store.engine", "Store.integrity_check", "store integrity/quick check"),
        ("examops.domain.pin", "verify_pin", "PIN check (scrypt)"),
        ("examops.adapters.site_key", "unlock", "site key unlock (scrypt)"),
        ("examops.services.report", "list_cases", "cases (list_cases)"),
        ("examops.services.report", "chief_record", "chief record"),
        ("examops.services.report", "chain_heads", "chain heads"),
        ("examops.adapters.store.report_queries", "seated_candidates", "SQL: seats"),
        ("examops.adapters.store.report_queries", "ticket_days", "SQL: events about tickets"),
        ("examops.adapters.store.report_queries", "events_without_ticket", "SQL: events to fold"),
        ("examops.adapters.store.report_queries", "ticket_events", "SQL: events to fold"),
        ("examops.adapters.store.report_queries", "admission_rows_per_ticket", "SQL: admissions"),
        ("examops.adapters.store.report_queries", "session_events", "SQL: events to fold"),
        ("examops.services.report", "lone_days", "figures: lone days (grouping)"),
        ("examops.services.report", "session_figures", "figures: fold (rest of session_figures)"),
        ("examops.services.figures", "compute", "figures: compute"),
        ("examops.services.figures", "fold_day", "figures: fold_day"),
        ("examops.services.report", "gather", "gather (rest)"),
        ("examops.adapters.excel_out.report_book", "ReportBook.__init__", "layout: rows and cells"),
        ("examops.adapters.excel_out.book", "Sheet.fit", "layout: fit widths/heights"),
        ("examops.services.report", "digest_cells", "digest the cells"),
        ("examops.adapters.excel_out.book", "Book.digest", "digest the cells (+ their XML rows)"),
        ("examops.adapters.signing", "sign", "sign (Ed25519)"),
        ("examops.adapters.excel_out.report_book", "ReportBook.sign", "signature sheet (+QR)"),
        ("examops.adapters.excel_out.sheet_writer", "_SheetWriter.write_rows", "XML: sheet rows"),
        ("examops.adapters.excel_out.sheet_writer", "_KeptSheetWriter.write_rows", "XML: sheet rows"),
        ("examops.adapters.excel_out.sheet_writer", "_Writer.write_worksheet", "XML: sheets (rest)"),
        ("examops.adapters.excel_out.sheet_writer", "save", "XML: workbook parts (rest of save)"),
        ("examops.adapters.excel_out.atomic", "save_workbook", "save: private + rename"),
        ("examops.services.report", "_build_report", "build (rest)"),
        ("examops.services.report", "build_report", "after the build (freeing, gc)"),
        ("examops.cli.common", "emit", "print the JSON"),
    ]:
        patch(module, attr, name)
    from examops.cli import main as cli

    code = 0
    try:
        cli.main(sys.argv[1:], prog_name="examops", standalone_mode=False)
    except SystemExit as exc:
        code = exc.code or 0
    total_wall, total_cpu = time.perf_counter() - T0_WALL, time.process_time() - T0_CPU
    claimed_wall = sum(v[0] for v in _totals.values())
    claimed_cpu = sum(v[1] for v in _totals.values())
    out = sys.stderr
    print(f"\n{'phase (in the order first run)':<44} {'wall s':>7} {'CPU s':>7} {'calls':>6}", file=out)
    for name, (w, c, n) in _totals.items():
        print(f"{name:<44} {w:>7.3f} {c:>7.3f} {n:>6}", file=out)
    print(f"{'other (click, words; minus threads overlap)':<44} {total_wall - claimed_wall:>7.3f} {total_cpu - claimed_cpu:>7.3f}", file=out)
    print(f"{'total in this process (after start-up)':<44} {total_wall:>7.3f} {total_cpu:>7.3f}", file=out)
    print(f"load average {os.getloadavg()[0]:.1f}", file=out)
    sys.stdout.flush()
    os._exit(code)  # interpreter teardown is timed by the caller (the whole process), not here


if __name__ == "__main__":
    main()
