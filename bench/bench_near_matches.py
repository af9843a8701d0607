"""Near matches for a mistyped ticket or ID on a 50k-candidate store: milliseconds per look-up.

Each look-up generates every string one slip away (a few hundred) and finds them
by equality on the ticket and ID-number indexes; this measures it on SQLite (and
PostgreSQL with --pg).

    python bench/bench_near_matches.py [--candidates 50000] [--lookups 300] [--pg URL]
"""

from __future__ import annotations

import argparse
import contextlib
import random
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, insert, text  # noqa: E402

from examops import sample  # noqa: E402
from examops.adapters.store import schema  # noqa: E402
from examops.domain import typos  # noqa: E402
from examops.services import lookup  # noqa: E402
from examops.services.site import init_site  # noqa: E402

PLAN = ROOT / "rosters" / "sample_plan.toml"


@contextlib.contextmanager
def _pg_schema(base: str | None):
    """A throw-away schema on the server named (the URL's search_path points at it), dropped afterwards."""
    if not base:
        yield None
        return
    name = "bench_" + uuid.uuid4().hex[:12]
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{name}"'))
    try:
        yield f"{base}{'&' if '?' in base else '?'}options=-csearch_path%3D{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{name}" CASCADE'))
        admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--candidates", type=int, default=50_000)
    parser.add_argument("--lookups", type=int, default=300)
    parser.add_argument("--pg", default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, _pg_schema(args.pg) as pg_url:
        url = pg_url or f"sqlite:///{Path(tmp) / 'store.sqlite3'}"
        site = init_site(PLAN, url=url, chief_pin="7392")
        people = sample.synthetic_people(args.candidates)
        with site.store.write() as conn:
            conn.execute(insert(schema.candidates), [
                {"ticket": p.ticket, "name": p.name, "id_number": p.id_number, "id_tail": p.id_number[-4:], "sex": p.sex, "site": None}
                for p in people])
            conn.execute(insert(schema.seats), [
                {"session_id": "S1", "ticket": p.ticket, "room_id": f"{i // 30 + 1:04d}", "seat": i % 30 + 1} for i, p in enumerate(people)])
        if args.pg:  # as autovacuum would have by the morning
            with site.store.write() as conn:
                conn.exec_driver_sql("ANALYZE")
        rng = random.Random(16)
        timings, offered = [], []
        with site.store.read() as conn:
            for _ in range(args.lookups):
                person = rng.choice(people)
                typed = rng.choice(sorted(typos.neighbours(rng.choice((person.ticket, person.id_number)))))
                started = time.perf_counter()
                found = lookup.near_matches(conn, typed, session="S1")
                timings.append((time.perf_counter() - started) * 1000)
                offered.append(len(found))
        site.close()
    timings.sort()
    print(f"{args.candidates} candidates, {args.lookups} look-ups on {url.split(':')[0]}: "
          f"median {statistics.median(timings):.2f} ms, p95 {timings[int(len(timings) * 0.95)]:.2f} ms, "
          f"max {timings[-1]:.2f} ms; {statistics.mean(offered):.1f} suggestions on average, at most {max(offered)}")


if __name__ == "__main__":
    main()
