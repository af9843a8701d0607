"""An insider adds decisions in the chief's name from a lane laptop: `examops verify` and the signed report name them.

The lane laptop is enrolled, so its device key signs validly; what it lacks is
the chief's key (the site key sealed under the PIN on the chief's desk). Each
case writes a forged decision the way an insider could, through the store API
with the lane's key or with `sqlite3` and the lane's key file, then runs
`examops verify` as a process on the real SQLite file and builds the report.
On code from before decisions were sealed every forgery here verified clean.
"""

from __future__ import annotations

import json
import os
import socket
import sqlite3
from pathlib import Path

import pytest
from openpyxl import load_workbook

from examops.adapters.signing import DeviceKey
from examops.domain.event_payloads import Admitted, Approved, Origin, Rejected, Resolved
from examops.domain.events import Event, format_utc, new_event_id
from examops.services import ledger
from examops.services.devices import enrol
from examops.services.gate import Lane
from examops.services.review import CHIEF_DEVICE, ReviewRefused, approve, find_case, pending_ids
from examops.services.site import Site, init_site
from tests.conftest import SAMPLE_PLAN, TEST_PIN, at_local, seed_roster
from tests.system.test_insider import forge_append, insider, run_verify


@pytest.fixture
def morning(tmp_path, monkeypatch):
    """A desk and an enrolled lane laptop; one hold case approved by every level, one hold case left pending."""
    db = tmp_path / "site.sqlite3"
    desk_home = os.environ["EXAMOPS_HOME"]
    site = init_site(SAMPLE_PLAN, url=f"sqlite:///{db}", chief_pin=TEST_PIN)
    people = seed_roster(site, n_rooms=2)
    at_local(site, "2021-10-16T08:10")
    lane = Lane(site, "A", "甲")
    for person in people[:3]:
        lane.check(person.ticket, session_id="S1")
    lane.check(people[5].ticket, session_id="S1", outcome="id_mismatch")
    [approved] = pending_ids(site, session="S1", level=site.plan.approval_levels[0])
    for level in site.plan.approval_levels:
        approve(site, [approved], level=level, by="王总监", pin=TEST_PIN)
    lane.check(people[6].ticket, session_id="S1", outcome="id_mismatch")
    [pending] = pending_ids(site, session="S1", level=site.plan.approval_levels[0])

    monkeypatch.setenv("EXAMOPS_HOME", str(tmp_path / "lane-laptop"))  # the lane laptop: its own key, no site key
    lane_site = Site.open(f"sqlite:///{db}")
    at_local(lane_site, "2021-10-16T08:20")
    with lane_site.store.read() as conn:
        lane_key = lane_site.store.device_key(conn).public_b64
    Lane(lane_site, "B", "乙").check(people[10].ticket, session_id="S1")
    monkeypatch.setenv("EXAMOPS_HOME", desk_home)
    enrol(site, lane_key, "lane-laptop", by="王总监")
    assert run_verify(db).returncode == 0, run_verify(db).stdout
    yield {"db": db, "site": site, "lane_site": lane_site, "approved": approved, "pending": pending,
           "pending_ticket": people[6].ticket, "tmp": tmp_path, "desk_home": desk_home}
    lane_site.close()
    site.close()


def _lane_chief_device(lane_site: Site) -> str:
    """The chief's chain as review's code names it on the lane laptop (its own host name there; one host in a test)."""
    return lane_site.device(CHIEF_DEVICE).replace(socket.gethostname(), "lane-laptop", 1)


def _in_the_chiefs_name(lane_site: Site, view, payload) -> Event:
    """An event as review's own code makes it, on the lane laptop: the chief's device chain, the lane's key."""
    return Event(new_event_id(), payload.event_kind, format_utc(lane_site.clock.now()), _lane_chief_device(lane_site), 0,
                 view.case.exception.session, view.card.ticket, None, "总监考", payload.to_payload())


def _admission(view, via: str) -> Admitted:
    return Admitted(exception_id=view.case.id, code=view.case.code, action=view.case.action, room=view.card.room,
                    seat=view.card.seat, origin=Origin(view.card.room, view.card.seat), via=via)


def forged_approval(m) -> list:
    view = find_case(m["lane_site"], m["pending"])
    return [Approved(exception_id=view.case.id, level=level, by="总监考", note="", recorded_by="总监考")
            for level in m["lane_site"].plan.approval_levels] + [_admission(view, "approval")]


def forged_rejection(m) -> list:
    return [Rejected(exception_id=m["pending"], by="总监考", reason="拒绝入场", level="chief")]


def forged_resolution(m) -> list:
    view = find_case(m["lane_site"], m["pending"])
    return [Resolved(exception_id=view.case.id, by="总监考", note="已核实"), _admission(view, "resolve")]


FORGERIES = [forged_approval, forged_rejection, forged_resolution]


def _build_report(m) -> tuple[dict, list[str]]:
    """The chief's report at the desk: its S1 figures and the texts of its chief's record sheet."""
    from examops.services.report import build_report

    out = m["tmp"] / "S1.xlsx"
    figures = build_report(m["site"], session_ids=["S1"], out=out, pin=TEST_PIN, lang="en")
    book = load_workbook(out)
    record = book["Chief's record"]
    return figures, [str(c.value) for row in record.iter_rows() for c in row if c.value is not None]


@pytest.mark.parametrize("forgery", FORGERIES, ids=[f.__name__ for f in FORGERIES])
def test_a_decision_forged_through_the_store_api_with_a_lane_key_is_named(morning, forgery):
    lane_site = morning["lane_site"]
    view = find_case(lane_site, morning["pending"])
    ledger.record(lane_site.store, *(_in_the_chiefs_name(lane_site, view, p) for p in forgery(morning)))
    assert find_case(lane_site, morning["pending"]).status != "pending"  # the forgery took, as far as the fold goes

    result = run_verify(morning["db"])
    assert result.returncode != 0, result.stdout
    assert f"about ticket {morning['pending_ticket']}" in result.stdout and "has no chief's seal" in result.stdout
    assert "signed by" not in result.stdout  # the lane's device signature itself holds: only the seal tells
    figures, record = _build_report(morning)
    assert figures["unsealed_decisions"] >= 1 and not figures["zero_incident"], figures
    assert any(text.startswith(morning["pending_ticket"]) for text in record), record


def test_a_forged_approval_carrying_a_copied_seal_is_named(morning, monkeypatch):
    """sqlite3 and the lane laptop's key file: the real approval's seal copied onto a forged one does not match."""
    from examops import locations

    db = morning["db"]
    monkeypatch.setenv("EXAMOPS_HOME", str(morning["tmp"] / "lane-laptop"))
    lane_key = DeviceKey.load_or_create(locations.device_key_path(morning["site"].store_id))
    conn = insider(db)
    conn.row_factory = sqlite3.Row
    real = conn.execute("SELECT payload FROM events WHERE kind = 'approved' LIMIT 1").fetchone()
    seal = json.loads(real["payload"])["chief_seal"]
    device = _lane_chief_device(morning["lane_site"])
    forge_append(conn, device, "approved", {"exception_id": morning["pending"], "level": "chief", "by": "总监考",
                                            "note": "", "recorded_by": "总监考", "chief_seal": seal},
                 ticket=morning["pending_ticket"], signer=lane_key)
    conn.close()
    result = run_verify(db)
    assert result.returncode != 0, result.stdout
    assert "its chief's seal does not match: forged or altered" in result.stdout, result.stdout


def test_a_forged_decision_is_named_in_the_sites_chinese(morning):
    lane_site = morning["lane_site"]
    view = find_case(lane_site, morning["pending"])
    ledger.record(lane_site.store, *(_in_the_chiefs_name(lane_site, view, p) for p in forged_rejection(morning)))
    result = run_verify(morning["db"], lang=" ")  # the sample site's plan says zh-CN
    assert result.returncode != 0 and morning["pending_ticket"] in result.stdout, result.stdout
    assert not [line for line in result.stdout.splitlines() if line.isascii() and line.strip()], result.stdout


def test_the_lane_laptop_cannot_record_a_chief_decision_even_with_the_pin(morning, monkeypatch):
    """On the lane laptop the chief's key is absent: the approval is refused, saying where to make it; nothing recorded."""
    monkeypatch.setenv("EXAMOPS_HOME", str(morning["tmp"] / "lane-laptop"))
    lane_site = morning["lane_site"]
    with lane_site.store.read() as conn:
        before = conn.exec_driver_sql("SELECT count(*) FROM events").scalar()
    with pytest.raises(ReviewRefused, match="chief's desk") as refused:
        approve(lane_site, [morning["pending"]], level="chief", by="总监考", pin=TEST_PIN)
    assert "nothing was recorded" in str(refused.value)
    with lane_site.store.read() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM events").scalar() == before  # not even a refused PIN


def test_the_cli_on_a_lane_laptop_refuses_in_the_sites_language(morning):
    from tests.system.test_insider import run_cli

    refused = run_cli("--db", str(morning["db"]), "approve", morning["pending"][:8], "--session", "S1", "--level", "chief",
                      "--by", "总监考", EXAMOPS_PIN=TEST_PIN, EXAMOPS_HOME=str(morning["tmp"] / "lane-laptop"),
                      EXAMOPS_LANG="zh-CN")
    assert refused.returncode != 0 and "请到总监考工作台作出决定" in refused.stderr, refused.stderr
    assert Path(morning["db"]).exists() and run_verify(morning["db"]).returncode == 0
