"""Offline bundles: two lanes with no network admit the same ticket; the site store flags one conflict."""

from __future__ import annotations

import gzip
import json

import pytest
from sqlalchemy import func, select

from examops.adapters.store import schema
from examops.services.audit import verify
from examops.services.bundles import BundleError, export_bundle, merge_bundles
from examops.services.figures import session_figures
from examops.services.gate import Lane
from examops.services.review import list_cases
from tests.conftest import seed_roster
from tests.support.lane_laptops import lane_laptop_store


def _store(tmp_path, name, site):
    lane = lane_laptop_store(site, tmp_path / (name + ".sqlite3"))
    lane.people = seed_roster(lane, n_rooms=2, record=False)
    return lane


@pytest.fixture
def three_stores(tmp_path, site):
    """The site store (SQLite or PostgreSQL) and two offline lane laptops with the same roster."""
    site.people = seed_roster(site, n_rooms=2)
    return site, _store(tmp_path, "laneA", site), _store(tmp_path, "laneB", site)


def test_two_offline_lanes_admitting_one_ticket_make_one_conflict(three_stores, tmp_path):
    site, lane_a, lane_b = three_stores
    shared = site.people[0].ticket
    assert Lane(lane_a, "A", "甲").check(shared, session_id="S1").verdict == "admitted"
    assert Lane(lane_b, "B", "乙").check(shared, session_id="S1").verdict == "admitted"
    for person in site.people[1:11]:
        Lane(lane_a, "A", "甲").check(person.ticket, session_id="S1")
    for person in site.people[11:21]:
        Lane(lane_b, "B", "乙").check(person.ticket, session_id="S1")
    bundle_a = export_bundle(lane_a, tmp_path / "A.examops")["out"]
    bundle_b = export_bundle(lane_b, tmp_path / "B.examops")["out"]

    first, second = merge_bundles(site, [bundle_a, bundle_b])
    assert first["conflicts"] == [] and len(second["conflicts"]) == 1
    conflict = second["conflicts"][0]
    assert (conflict["ticket"], conflict["kept_lane"], conflict["conflicting_lane"]) == (shared, "A", "B")

    figures = session_figures(site, "S1")
    assert figures.present == 21 and figures.conflicts == 1
    assert not figures.zero_incident and any("conflict" in r for r in figures.reasons)
    with site.store.read() as conn:
        kept = conn.execute(select(func.count()).select_from(schema.events).where(schema.events.c.ticket == shared,
                                                                                   schema.events.c.kind == "admitted")).scalar_one()
    assert kept == 2  # both admissions stay in the log
    assert verify(site).ok

    # Merging again changes nothing.
    before = site.store.count_events()
    again = merge_bundles(site, [bundle_a, bundle_b])
    assert [r["new"] for r in again] == [0, 0] and site.store.count_events() == before

    # A later export carries only what is new.
    Lane(lane_a, "A", "甲").check(site.people[30].ticket, session_id="S1")
    later = export_bundle(lane_a, tmp_path / "A2.examops")
    assert later["events"] == 1
    assert merge_bundles(site, [later["out"]])[0]["new"] == 1


def test_tampered_bundle_is_refused_whole(three_stores, tmp_path):
    site, lane_a, _ = three_stores
    for person in site.people[:5]:
        Lane(lane_a, "A", "甲").check(person.ticket, session_id="S1")
    path = tmp_path / "A.examops"
    export_bundle(lane_a, path)
    lines = gzip.open(path, "rt", encoding="utf-8").read().splitlines()
    event = json.loads(lines[-2])
    event["payload"]["seat"] = 29  # move someone on paper
    lines[-2] = json.dumps(event, ensure_ascii=False)
    with gzip.open(path, "wt", encoding="utf-8") as stream:
        stream.write("\n".join(lines) + "\n")
    before = site.store.count_events()
    with pytest.raises(BundleError, match="refused, nothing merged"):
        merge_bundles(site, [path])
    assert site.store.count_events() == before


def test_a_bundle_with_a_gap_is_refused(three_stores, tmp_path):
    site, lane_a, _ = three_stores
    Lane(lane_a, "A", "甲").check(site.people[0].ticket, session_id="S1")
    export_bundle(lane_a, tmp_path / "one.examops")
    Lane(lane_a, "A", "甲").check(site.people[1].ticket, session_id="S1")
    export_bundle(lane_a, tmp_path / "two.examops")
    with pytest.raises(BundleError, match="missing bundle first"):
        merge_bundles(site, [tmp_path / "two.examops"])
    merge_bundles(site, [tmp_path / "one.examops", tmp_path / "two.examops"])
    assert session_figures(site, "S1").present == 2


def test_truncated_bundle_is_refused(three_stores, tmp_path):
    site, lane_a, _ = three_stores
    Lane(lane_a, "A", "甲").check(site.people[0].ticket, session_id="S1")
    path = tmp_path / "A.examops"
    export_bundle(lane_a, path)
    path.write_bytes(path.read_bytes()[:40])
    with pytest.raises(BundleError):
        merge_bundles(site, [path])


def test_conflicts_show_in_review(three_stores, tmp_path):
    site, lane_a, lane_b = three_stores
    ticket = site.people[0].ticket
    Lane(lane_a, "A", "甲").check(ticket, session_id="S1")
    Lane(lane_b, "B", "乙").check(ticket, session_id="S1")
    merge_bundles(site, [export_bundle(lane_a, tmp_path / "a")["out"], export_bundle(lane_b, tmp_path / "b")["out"]])
    from examops.services.review import conflicts

    [flag] = conflicts(site, "S1")
    assert flag["ticket"] == ticket and {flag["kept_lane"], flag["conflicting_lane"]} == {"A", "B"}
    assert list_cases(site, session="S1") == []
