"""The report's stages timed in one process, each run `--rounds` times on the same gathered content (CPU seconds of the
process, minimum and median; the cycle collector off as the report runs): gather (the figures' reads and folds,
on its own threads: the CPU is the process's), layout (ReportBook: rows, cells, fitting), digest (+ the rows' XML), save
(the sheets' XML, deflate, the file), beside two floors measured in the same rounds:

- read floor: the bare SELECTs of the rows the figures are made from (each session's seats joined to the names and
  its events about a ticket: ticket, kind, time, payload), through the driver's own cursor, nothing made of them;
- write floor: the same cells (every sheet's values, as the digest sees them) written as worksheet XML rows of
  inline strings and numbers by one f-string each, deflated at level 1 into a zip: no styles, widths or digest.

With PYTHONPATH set to another checkout it times that code (stages it lacks fail loudly). On a store a
bench_report.py run kept (`--workdir`):

    EXAMOPS_HOME=DIR EXAMOPS_CLOCK=2021-10-16T17:40 python bench/report_stages.py --db sqlite:///DIR/bench-this.sqlite3
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape


def cpu_of(fn):  # noqa: ANN001, ANN201
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def read_floor(url: str, sessions: list[str]) -> int:
    """The rows the figures come from, through the DB-API cursor: fetched, nothing made of them."""
    rows = 0
    if url.startswith("sqlite"):
        import sqlite3

        conn = sqlite3.connect(url.removeprefix("sqlite:///"))
        mark = "?"
    else:
        import psycopg

        conn = psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"))
        mark = "%s"
    try:
        cur = conn.cursor()
        for session in sessions:
            cur.execute("SELECT s.ticket, c.name, s.room_id, s.seat FROM seats s JOIN candidates c ON c.ticket = s.ticket "
                        f"WHERE s.session_id = {mark} ORDER BY s.room_id, s.seat", (session,))
            rows += len(cur.fetchall())
            cur.execute(f"SELECT ticket, kind, at, payload FROM events WHERE session_id = {mark} AND ticket IS NOT NULL",
                        (session,))
            rows += len(cur.fetchall())
    finally:
        conn.close()
    return rows


def write_floor(sheets: list[tuple[str, list[tuple[int, int, object]]]], path: Path) -> int:
    """The cells as sheet XML (inline strings, numbers), one f-string a cell, deflated at level 1."""
    from examops.domain.report_digest import cached_letter

    size = 0
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for index, (_, cells) in enumerate(sheets, start=1):
            parts = ['<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>']
            row_now = None
            for row, column, value in cells:
                if row != row_now:
                    if row_now is not None:
                        parts.append("</row>")
                    parts.append(f'<row r="{row}">')
                    row_now = row
                if type(value) is int:
                    parts.append(f'<c r="{cached_letter(column)}{row}"><v>{value}</v></c>')
                else:
                    parts.append(f'<c r="{cached_letter(column)}{row}" t="inlineStr"><is><t>{escape(value)}</t></is></c>')
            parts.append("</row></sheetData></worksheet>" if row_now is not None else "</sheetData></worksheet>")
            data = "".join(parts).encode("utf-8")
            size += len(data)
            archive.writestr(f"xl/worksheets/sheet{index}.xml", data)
    return size


def one_round(scratch: Path, timed, url: str, site, sessions: list[str], report, ReportBook) -> None:  # noqa: ANN001, N803
    timed("read floor", lambda: read_floor(url, sessions))
    content = timed("gather", lambda: report.gather(site, None, "zh"))
    book = timed("layout", lambda: ReportBook(content))
    cells = timed("digest", book.digest)
    timed("write floor", lambda: write_floor(book.cells(), scratch / "floor.zip"))
    sheet_rows = [(title, d.digest, d.cells, d.row_hash_chunks()) for title, d in cells.sheets.items()]
    book.sign([("format", "x"), ("signature", "y" * 88)], content.chain_heads, sheet_rows, "qr")
    timed("save", lambda: book.save(scratch / "r.xlsx"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--only", default="", help="comma-separated stages to time (default: all)")
    args = parser.parse_args()
    os.environ.setdefault("EXAMOPS_CLOCK", "2021-10-16T17:40")
    from examops.adapters.excel_out.report_book import ReportBook
    from examops.services import report
    from examops.services.site import Site

    site = Site.open(args.db, check=False)
    sessions = [s.id for s in site.plan.sessions]
    gc.disable()
    times: dict[str, list[tuple[float, float]]] = {}
    wanted = set(filter(None, args.only.split(","))) or None

    def timed(name, fn):  # noqa: ANN001, ANN202
        if wanted is not None and name not in wanted and name not in ("gather", "layout", "digest"):
            return None
        result, wall, cpu = cpu_of(fn)
        times.setdefault(name, []).append((wall, cpu))
        return result

    with tempfile.TemporaryDirectory() as scratch:
        for _ in range(args.rounds):
            one_round(Path(scratch), timed, args.db, site, sessions, report, ReportBook)
            gc.collect()
    print(f"{'stage (process)':<14} {'CPU s min':>9} {'median':>7} {'wall s min':>10}   rounds {args.rounds}")
    for name, found in times.items():
        cpus = [c for _, c in found]
        print(f"{name:<14} {min(cpus):>9.3f} {statistics.median(cpus):>7.3f} {min(w for w, _ in found):>10.3f}")
    print(f"load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    sys.exit(main())
