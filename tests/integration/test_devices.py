"""Enrolled devices: a lane laptop's own key signs only once the chief enrols it; a revoked key signs nothing after."""

from __future__ import annotations

import os

import pytest

from examops.adapters.signing import DeviceKey
from examops.services.audit import verify
from examops.services.devices import enrol, revoke
from examops.services.gate import Lane
from examops.services.site import Site, SiteError


def _other_laptop(seeded_site, tmp_path, monkeypatch) -> Site:
    """The same shared store opened from another laptop: its own EXAMOPS_HOME, so its own key."""
    monkeypatch.setenv("EXAMOPS_HOME", str(tmp_path / "lane-laptop"))
    lane = Site.open(seeded_site.store.url)
    return lane


def test_a_lane_laptop_signs_once_enrolled_and_not_after_revocation(seeded_site, tmp_path, monkeypatch):
    desk_home = os.environ["EXAMOPS_HOME"]
    lane_site = _other_laptop(seeded_site, tmp_path, monkeypatch)
    Lane(lane_site, "C", "丙", device="lane-laptop/C").check(seeded_site.people[0].ticket, session_id="S1")
    with lane_site.store.read() as conn:
        lane_key = lane_site.store.device_key(conn).public_b64
    monkeypatch.setenv("EXAMOPS_HOME", desk_home)
    problems = verify(seeded_site).problems
    assert any("lane-laptop/C" in p and "never enrolled" in p for p in problems), problems

    with pytest.raises(SiteError, match="chief's desk"):
        enrol(lane_site, lane_key, "lane-laptop", by="王")  # a lane cannot enrol itself
    enrol(seeded_site, lane_key, "lane-laptop", by="王")
    assert verify(seeded_site).ok, verify(seeded_site).problems

    revoke(seeded_site, lane_key, reason="laptop lost", by="王")
    Lane(lane_site, "C", "丙", device="lane-laptop/C").check(seeded_site.people[1].ticket, session_id="S1")
    problems = verify(seeded_site).problems
    assert len(problems) == 1 and "revoked" in problems[0] and "seq 2" in problems[0], problems


def test_an_enrolment_not_signed_by_the_desk_does_not_count(seeded_site, tmp_path):
    from examops.domain.event_payloads import DeviceEnrolled
    from examops.domain.events import Kind

    intruder = DeviceKey.load_or_create(tmp_path / "intruder.pem")
    seeded_site.store._device_key = intruder  # an insider's own key writes through examops' code
    with seeded_site.store.write() as conn:
        seeded_site.store.append(conn, seeded_site.system_event(Kind.DEVICE_ENROLLED, DeviceEnrolled(
            public_key=intruder.public_b64, laptop="intruder", role="desk", by="x").to_payload()))
    problems = verify(seeded_site).problems
    assert any("not signed by the chief's desk" in p for p in problems), problems


@pytest.mark.parametrize("store_url", ["postgres"], indirect=True)
def test_a_lane_cache_holds_no_pin_hash_and_its_scans_are_signed(seeded_site):
    """Only a lane on a shared server keeps a cache (so this runs on PostgreSQL)."""
    from sqlalchemy import create_engine, text

    from examops.services.offline import ResilientLane, cache_path

    lane = ResilientLane(seeded_site, "A", "甲")
    assert lane.cache_error is None
    lane.check(seeded_site.people[0].ticket, session_id="S1")
    engine = create_engine(f"sqlite:///{cache_path(seeded_site, 'A')}")
    with engine.connect() as conn:
        keys = {row[0] for row in conn.execute(text("SELECT key FROM settings"))}
        secrets = conn.execute(text("SELECT count(*) FROM site_secrets")).scalar()
        values = " ".join(row[0] for row in conn.execute(text("SELECT value FROM settings")))
    engine.dispose()
    assert "chief_pin_hash" not in keys and "site_signing_key" not in keys and secrets == 0
    assert "scrypt$" not in values and "PRIVATE KEY" not in values
    assert verify(seeded_site).ok, verify(seeded_site).problems
