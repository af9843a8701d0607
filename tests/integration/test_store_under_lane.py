"""The store file under a running lane: deleted, moved or replaced, the lane answers NOT RECORDED, never a lost 'recorded'."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from examops.services.gate import Lane
from examops.services.site import Site, init_site
from tests.conftest import SAMPLE_PLAN, TEST_PIN, seed_roster


@pytest.fixture
def lane_on_file(tmp_path):
    path = tmp_path / "store.sqlite3"
    site = init_site(SAMPLE_PLAN, url=f"sqlite:///{path}", chief_pin=TEST_PIN)
    people = seed_roster(site)
    lane = Lane(site, "A", "张三")
    assert lane.check(people[0].ticket).recorded
    yield lane, path, [p.ticket for p in people[1:61]]
    site.close()


def _delete(path: Path) -> None:
    path.unlink()


def _move(path: Path) -> None:
    path.rename(path.with_name("moved.sqlite3"))


def _replace(path: Path) -> None:
    copy = path.with_name("copy.sqlite3")
    shutil.copyfile(path, copy)
    os.replace(copy, path)


@pytest.mark.parametrize("change, said", [(_delete, "deleted"), (_move, "moved"), (_replace, "replaced")],
                         ids=["deleted", "moved", "replaced"])
def test_every_scan_after_the_store_file_changed_is_not_recorded_with_the_reason(lane_on_file, change, said):
    lane, path, tickets = lane_on_file
    change(path)
    verdicts = [lane.check(ticket) for ticket in tickets]
    assert [v.recorded for v in verdicts] == [False] * 60
    assert all(v.verdict == "not_recorded" and said in v.reason for v in verdicts), verdicts[0].reason


def test_a_store_file_left_alone_keeps_recording(lane_on_file):
    lane, _path, tickets = lane_on_file
    assert all(lane.check(ticket).recorded for ticket in tickets[:5])


def test_the_store_put_back_in_place_is_used_by_a_new_lane(lane_on_file):
    lane, path, tickets = lane_on_file
    _move(path)
    assert not lane.check(tickets[0]).recorded
    path.with_name("moved.sqlite3").rename(path)
    fresh = Site.open(f"sqlite:///{path}")
    try:
        assert Lane(fresh, "A", "张三").check(tickets[0]).recorded
    finally:
        fresh.close()


# -- field limits: what PostgreSQL refuses at every scan, SQLite refuses too, where the value is typed ------------
@pytest.mark.parametrize("lane, staff, field", [("A" * 61, "张三", "lane"), ("A", "张" * 121, "staff")])
def test_a_lane_with_a_name_longer_than_the_store_keeps_does_not_start(site, lane, staff, field):
    from examops.domain.field_limits import FieldTooLong

    with pytest.raises(FieldTooLong) as refused:
        Lane(site, lane, staff)
    assert refused.value.name == field and str(refused.value.limit) in str(refused.value)


def test_names_at_the_limit_record_on_every_store(seeded_site):
    verdict = Lane(seeded_site, "道" * 40, "张" * 120).check(seeded_site.people[0].ticket)
    assert verdict.recorded, verdict.reason


# -- owner-only files: bundles, lane caches, stores, documents with names and ID numbers -------------------
def _mode(path: Path) -> int:
    return os.stat(path).st_mode & 0o777


def test_files_with_personal_data_are_owner_only(seeded_site, tmp_path):
    from examops.services.bundles import export_bundle
    from examops.services.documents import write_room_documents
    from examops.services.offline import ResilientLane, cache_path
    from examops.services.report import build_report

    old = os.umask(0o022)  # a laptop's usual umask: group and others could read what is not made private
    try:
        lane = ResilientLane(seeded_site, "A", "张三")
        assert lane.check(seeded_site.people[0].ticket).recorded
        cache = cache_path(seeded_site, "A")
        bundle = export_bundle(seeded_site, tmp_path / "lane-A.jsonl.gz")["out"]
        report = build_report(seeded_site, session_ids=["S1"], out=tmp_path / "S1.xlsx", pin=TEST_PIN)["out"]
        docs = tmp_path / "docs" / "S1"
        written = write_room_documents(seeded_site, "S1", docs)
        room_files = sorted(docs.iterdir())
    finally:
        os.umask(old)
    assert room_files and written
    caches = [] if seeded_site.store.is_sqlite else [cache]  # a lane on a SQLite store keeps no cache
    for path in [*caches, Path(bundle), Path(report), *room_files]:
        assert _mode(path) == 0o600, (path, oct(_mode(path)))
    for folder in [*(c.parent for c in caches), docs, docs.parent]:
        assert _mode(folder) == 0o700, (folder, oct(_mode(folder)))
    if seeded_site.store.path is not None:
        assert _mode(seeded_site.store.path) == 0o600


def test_the_limits_are_the_widths_of_the_events_columns():
    from examops.adapters.store import schema
    from examops.domain.field_limits import LIMITS

    assert {name: schema.events.c[name].type.length for name in LIMITS} == LIMITS
