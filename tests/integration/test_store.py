"""The store: migrations from blank, SQLite durability settings, the append-only event log."""

from __future__ import annotations

import os
import stat

import pytest
from sqlalchemy import func, inspect, select

from examops.adapters.store import Store, StoreMissing, migrations, schema, utc_now
from examops.domain.events import Event, new_event_id


def _event(device="dev/A", kind="admitted", ticket="1", payload=None) -> Event:
    return Event(new_event_id(), kind, utc_now(), device, 0, "S1", ticket, "A", "s", payload or {"n": 1})


def test_migrations_from_blank_create_every_table(store_url):
    store = Store.open(store_url, create=True)
    with store.read() as conn:
        names = set(inspect(conn).get_table_names())
        applied = migrations.applied_migrations(conn)
    assert {"events", "admissions", "candidates", "seats", "rooms", "sessions", "settings", "schema_migrations"} <= names
    assert applied == {name for name, _ in migrations.MIGRATIONS}
    assert store.migrate() == []  # running again applies nothing


def test_sqlite_runs_wal_full_sync_foreign_keys_and_busy_timeout(tmp_path):
    store = Store.open(f"sqlite:///{tmp_path / 's.sqlite3'}", create=True)
    with store.read() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 1000


def test_store_file_is_readable_by_its_owner_only(tmp_path):
    path = tmp_path / "private" / "s.sqlite3"
    Store.open(f"sqlite:///{path}", create=True)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(path.parent).st_mode) == 0o700


def test_opening_a_missing_store_without_create_says_what_to_do(tmp_path):
    with pytest.raises(StoreMissing, match="examops init"):
        Store.open(f"sqlite:///{tmp_path / 'nope.sqlite3'}")


def test_a_damaged_sqlite_file_is_refused_on_open(tmp_path):
    path = tmp_path / "s.sqlite3"
    store = Store.open(f"sqlite:///{path}", create=True)
    store.close()
    data = bytearray(path.read_bytes())
    data[4096:4096 + 200] = b"\xff" * 200  # scribble over the first table page
    path.write_bytes(bytes(data))
    from examops.adapters.store import StoreError

    with pytest.raises(StoreError):
        Store.open(f"sqlite:///{path}")


def _damaged_candidates_page(tmp_path):
    """A store whose candidates table has a scribbled page that opening it (settings, migrations) never reads."""
    from sqlalchemy import insert

    path = tmp_path / "s.sqlite3"
    store = Store.open(f"sqlite:///{path}", create=True)
    with store.write() as conn:
        conn.execute(insert(schema.candidates), [{"ticket": f"T{n:06d}", "name": "x" * 60, "id_number": f"{n:018d}",
                                                  "id_tail": "0000", "sex": "F", "site": None} for n in range(3000)])
    with store.read() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        page_size = conn.exec_driver_sql("PRAGMA page_size").scalar()
        pages = conn.exec_driver_sql("PRAGMA page_count").scalar()
    store.close()
    data = bytearray(path.read_bytes())
    middle = (pages // 2) * page_size  # inside the candidates' pages, written last and biggest
    data[middle + 8:middle + 208] = b"\xff" * 200
    path.write_bytes(bytes(data))
    return f"sqlite:///{path}"


def test_a_lane_that_checks_meanwhile_reads_at_once_and_writes_nothing_into_a_damaged_store(tmp_path):
    """`check_meanwhile` (the gate, `check`): the quick check runs while the lane starts; its first write waits for the
    answer, and a damaged store refuses every write, as opening refuses it without `check_meanwhile`."""
    from examops.adapters.store import StoreError, WriteFailed

    url = _damaged_candidates_page(tmp_path)
    with pytest.raises(StoreError, match="damaged"):
        Store.open(url)
    store = Store.open(url, check_meanwhile=True)
    with store.read() as conn:
        assert migrations.applied_migrations(conn)  # reads go on
    for _ in range(2):
        with pytest.raises(WriteFailed, match="damaged"):
            with store.write() as conn:
                store.append(conn, _event())
    store.close()
    assert Store.open(url, check=False).count_events() == 0


def test_a_quick_check_begun_before_opening_is_the_one_a_lane_waits_for(tmp_path):
    """The CLI begins the check before SQLAlchemy is imported (`quick_check.begin`); the store takes that one, and a
    damaged store still refuses every write."""
    from examops.adapters import quick_check
    from examops.adapters.store import WriteFailed

    url = _damaged_candidates_page(tmp_path)
    quick_check.begin(url)
    begun = quick_check._begun[str(tmp_path / "s.sqlite3")]
    store = Store.open(url, check_meanwhile=True)
    assert store._checking is begun and not quick_check._begun  # taken once, not run twice
    with pytest.raises(WriteFailed, match="damaged"):
        with store.write() as conn:
            store.append(conn, _event())
    store.close()


def test_a_quick_check_of_a_file_since_replaced_is_not_taken(tmp_path):
    """A check begun on a file that another then replaced at the path says nothing of the store opened there."""
    from examops.adapters import quick_check

    url = _damaged_candidates_page(tmp_path)
    quick_check.begin(url)
    path = tmp_path / "s.sqlite3"
    sound = tmp_path / "sound.sqlite3"
    Store.open(f"sqlite:///{sound}", create=True).close()
    os.replace(sound, path)
    store = Store.open(url, check_meanwhile=True)
    assert store._checking is not None and store._checking.identity == quick_check.identity(path)
    with store.write() as conn:  # the sound file now at the path: its own check found nothing
        store.append(conn, _event())
    assert store.count_events() == 1
    store.close()


def test_no_quick_check_is_begun_for_a_missing_file_or_a_server(tmp_path):
    from examops.adapters import quick_check

    quick_check.begin(f"sqlite:///{tmp_path / 'nope.sqlite3'}")
    quick_check.begin("postgresql+psycopg://u@127.0.0.1:1/x")
    assert not quick_check._begun and not (tmp_path / "nope.sqlite3").exists()


def test_a_sound_store_checked_meanwhile_takes_writes(tmp_path):
    url = f"sqlite:///{tmp_path / 's.sqlite3'}"
    Store.open(url, create=True).close()
    store = Store.open(url, check_meanwhile=True)
    with store.write() as conn:
        store.append(conn, _event())
    assert store.count_events() == 1


def test_same_event_id_written_twice_is_one_event(store_url):
    store = Store.open(store_url, create=True)
    event = _event()
    with store.write() as conn:
        first, inserted_first = store.append(conn, event)
    with store.write() as conn:
        second, inserted_second = store.append(conn, event)
    assert (inserted_first, inserted_second) == (True, False)
    assert first.hash == second.hash
    assert store.count_events() == 1


def test_each_device_forms_its_own_chain(store_url):
    store = Store.open(store_url, create=True)
    with store.write() as conn:
        a1, _ = store.append(conn, _event("dev/A"))
        b1, _ = store.append(conn, _event("dev/B"))
        a2, _ = store.append(conn, _event("dev/A"))
    assert (a1.device_seq, b1.device_seq, a2.device_seq) == (1, 1, 2)
    assert a2.prev_hash == a1.hash and b1.prev_hash != a1.hash


def test_a_failed_transaction_leaves_nothing(store_url):
    store = Store.open(store_url, create=True)
    with pytest.raises(RuntimeError):
        with store.write() as conn:
            store.append(conn, _event())
            raise RuntimeError("power cut between the two writes")
    assert store.count_events() == 0


def test_admission_guard_refuses_a_second_admission(store_url):
    from sqlalchemy import insert
    from sqlalchemy.exc import IntegrityError

    store = Store.open(store_url, create=True)
    with store.write() as conn:
        conn.execute(insert(schema.admissions).values(session_id="S1", ticket="1", slot=0, event_id="e1"))
    with pytest.raises(IntegrityError):
        with store.write() as conn:
            conn.execute(insert(schema.admissions).values(session_id="S1", ticket="1", slot=0, event_id="e2"))
    with store.read() as conn:
        assert conn.execute(select(func.count()).select_from(schema.admissions)).scalar_one() == 1
