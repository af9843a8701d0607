"""Shared fixtures: a private data dir per test, SQLite always, PostgreSQL when named."""

from __future__ import annotations

import datetime as dt
import os
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_PLAN = ROOT / "rosters" / "sample_plan.toml"
PG_URL = os.environ.get("EXAMOPS_TEST_PG_URL")
TEST_PIN = "7392"
# 08:10 on the sample exam morning: S1's gate is open, entry closes at 09:00.
MORNING = "2021-10-16T08:10"


@pytest.fixture(autouse=True)
def private_home(tmp_path, monkeypatch):
    """Each test gets its own data dir and a known clock; nothing leaks from the user's env."""
    home = tmp_path / "home"
    monkeypatch.setenv("EXAMOPS_HOME", str(home))
    monkeypatch.delenv("EXAMOPS_DB", raising=False)
    monkeypatch.delenv("EXAMOPS_PIN", raising=False)
    monkeypatch.setenv("EXAMOPS_CLOCK", MORNING)
    monkeypatch.setenv("EXAMOPS_LANG", "en")
    from examops import i18n

    monkeypatch.setattr(i18n, "_active_language", i18n.ENGLISH)  # in-process words follow EXAMOPS_LANG too
    yield home
    from examops.adapters import quick_check

    with quick_check._lock:  # a check a test began and never took (a plain import handed to no full path) stays its own
        quick_check._begun.clear()


def _pg_schema_url(base: str) -> tuple[str, str]:
    schema_name = "t_" + uuid.uuid4().hex[:16]
    sep = "&" if "?" in base else "?"
    return f"{base}{sep}options=-csearch_path%3D{schema_name}", schema_name


@pytest.fixture
def pg_url():
    """A fresh schema on the PostgreSQL server named by EXAMOPS_TEST_PG_URL, dropped afterwards."""
    if not PG_URL:
        pytest.skip("EXAMOPS_TEST_PG_URL not set: no PostgreSQL server for this run")
    from sqlalchemy import create_engine, text

    url, schema_name = _pg_schema_url(PG_URL)
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema_name}"'))
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema_name}" CASCADE'))
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgres"])
def store_url(request, tmp_path):
    """Run a test on SQLite, and on PostgreSQL where a server is named."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.sqlite3'}"
    return request.getfixturevalue("pg_url")


@pytest.fixture
def site(store_url):
    """An initialised site (sample plan) with no roster yet."""
    from examops.services.site import init_site

    site = init_site(SAMPLE_PLAN, url=store_url, chief_pin=TEST_PIN)
    yield site
    site.close()


def seed_roster(site, n_rooms: int = 4, seats: int = 30, *, record: bool = True):
    """Put synthetic candidates straight into the store (for tests that are not about import).

    `record=False` for a lane laptop's copy, which (like a lane cache) writes no event of the site's desk.
    """
    from sqlalchemy import insert

    from examops import sample
    from examops.adapters.store import schema
    from examops.services import ledger

    people = sample.synthetic_people(n_rooms * seats)
    rows, seat_rows = [], []
    for index, person in enumerate(people):
        room = f"{index // seats + 1:03d}"
        rows.append({"ticket": person.ticket, "name": person.name, "id_number": person.id_number,
                     "id_tail": person.id_number[-4:], "sex": person.sex, "site": None})
        for session in site.plan.sessions:
            seat_rows.append({"session_id": session.id, "ticket": person.ticket, "room_id": room, "seat": index % seats + 1})
    with site.store.write() as conn:
        conn.execute(insert(schema.candidates), rows)
        conn.execute(insert(schema.seats), seat_rows)
        for room in sorted({r["room_id"] for r in seat_rows}):
            conn.execute(insert(schema.rooms).values(id=room, name=room, capacity=seats, kind="regular"))
        if record:
            ledger.record_tables(site, conn, "seeded by a test")  # as an import records what it set
    return people


@pytest.fixture
def seeded_site(site):
    """A site with 4 rooms × 30 synthetic candidates seated in both sessions."""
    site.people = seed_roster(site)
    return site


def at_local(site, text: str) -> None:
    """Freeze the site's clock at a local time like '2021-10-16T08:10'."""
    site.clock.set(dt.datetime.fromisoformat(text), frozen=True)
