"""An insider edits the tables with sqlite3, then re-runs `init`: the edit must not be written over unseen.

`init` ends by logging digests of the plan, PIN and roster tables; run over an edited table it made the edit the truth
and `examops verify` went quiet (found as a user: a session's late-entry minutes set to 90, then `init` with the same
plan: 数据库已就绪, and verify said 正常).
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from examops.domain import pin as pins
from examops.domain.event_payloads import PlanSet
from examops.domain.events import Kind
from examops.services.site import Site
from tests.conftest import ROOT, SAMPLE_PLAN, TEST_PIN
from tests.system.test_insider_pin import live_store, run  # noqa: F401 - the fixture

PLAN = str(SAMPLE_PLAN)
SAMPLE_ROSTER = ROOT / "rosters" / "sample_roster.xlsx"


def _file(url: str) -> Path:
    return Path(url.removeprefix("sqlite:///"))


def _late_minutes(url: str) -> int:
    with sqlite3.connect(_file(url)) as conn:
        return conn.execute("SELECT late_entry_minutes FROM sessions WHERE id = 'S1'").fetchone()[0]


def _edit_late_minutes(url: str, minutes: int) -> None:
    conn = sqlite3.connect(_file(url))
    with conn:
        conn.execute("UPDATE sessions SET late_entry_minutes = ? WHERE id = 'S1'", (minutes,))
    conn.close()


def _verify_ok(url: str) -> bool:
    return json.loads(run("--db", url, "verify", "--json").stdout)["ok"]


def test_init_over_an_edited_table_refuses_in_the_sites_words_and_changes_nothing(live_store):  # noqa: F811
    _edit_late_minutes(live_store, 90)
    assert not _verify_ok(live_store)
    refused = run("--db", live_store, "init", "--plan", PLAN, pin=TEST_PIN, EXAMOPS_LANG="zh-CN")
    assert refused.returncode == 2, refused.stdout + refused.stderr
    assert "被改动" in refused.stderr or "改动" in refused.stderr, refused.stderr
    assert "--over-edits" in refused.stderr and "examops verify" in refused.stderr
    assert _late_minutes(live_store) == 90  # nothing written over: the evidence stays
    assert not _verify_ok(live_store)
    english = run("--db", live_store, "init", "--plan", PLAN, pin=TEST_PIN, EXAMOPS_LANG="en")
    assert english.returncode == 2 and "the sessions differ from what the log recorded" in english.stderr


def test_the_chief_goes_on_over_the_edit_only_with_the_pin_and_the_log_keeps_what_was_edited(live_store):  # noqa: F811
    _edit_late_minutes(live_store, 90)
    wrong = run("--db", live_store, "init", "--plan", PLAN, "--over-edits", pin="8513", EXAMOPS_LANG="en")
    assert wrong.returncode == 2 and "wrong PIN" in wrong.stderr
    assert _late_minutes(live_store) == 90
    done = run("--db", live_store, "init", "--plan", PLAN, "--over-edits", pin=TEST_PIN)
    assert done.returncode == 0, done.stderr
    assert _late_minutes(live_store) == 30  # the plan's value again
    assert _verify_ok(live_store)
    site = Site.open(live_store)
    try:
        with site.store.read() as conn:
            from examops.adapters.store import events as event_log

            last = event_log.events_of_kind(conn, Kind.PLAN_SET)[-1]
    finally:
        site.close()
    assert PlanSet.from_event(last).reason == "init over edits made outside examops: the sessions"


def test_a_forged_pin_hash_cannot_authorise_going_on(live_store):  # noqa: F811
    forged = "2580"
    conn = sqlite3.connect(_file(live_store))
    with conn:
        conn.execute("UPDATE site_secrets SET value = ? WHERE key = 'chief_pin_hash'", (pins.hash_pin(forged),))
    conn.close()
    refused = run("--db", live_store, "init", "--plan", PLAN, "--over-edits", pin=forged, EXAMOPS_LANG="en")
    assert refused.returncode == 2 and "PIN hash was edited" in refused.stderr, refused.stderr
    assert not _verify_ok(live_store)


def test_an_unedited_store_inits_again_as_before(live_store):  # noqa: F811
    done = run("--db", live_store, "init", "--plan", PLAN, pin=TEST_PIN)
    assert done.returncode == 0, done.stderr
    assert _verify_ok(live_store)


def _roster_import(url: str, *files: str, lang: str = "en"):  # noqa: ANN202
    return run("--db", url, "roster", "import", *files, EXAMOPS_LANG=lang)


def test_a_first_roster_import_over_an_edited_session_refuses_and_imports_nothing(tmp_path):
    """The SQLAlchemy-free first import (roster tables empty) looks too: else its record made the edit the truth."""
    url = f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
    assert run("--db", url, "init", "--plan", PLAN, pin=TEST_PIN).returncode == 0
    _edit_late_minutes(url, 90)
    refused = _roster_import(url, str(SAMPLE_ROSTER), lang="zh-CN")
    assert refused.returncode != 0 and "改动" in refused.stderr and "--over-edits" in refused.stderr, refused.stderr
    with sqlite3.connect(_file(url)) as conn:
        assert conn.execute("SELECT count(*) FROM candidates").fetchone()[0] == 0
    assert not _verify_ok(url) and _late_minutes(url) == 90


def test_a_roster_re_import_over_an_edited_seat_refuses_and_imports_nothing(live_store):  # noqa: F811
    """The full path (a roster there already): an insider's seat edit stays evidence, not the new truth."""
    conn = sqlite3.connect(_file(live_store))
    with conn:
        ticket, = conn.execute("SELECT ticket FROM seats ORDER BY ticket LIMIT 1").fetchone()
        conn.execute("UPDATE seats SET seat = seat + 100 WHERE ticket = ?", (ticket,))
    conn.close()
    refused = _roster_import(live_store, str(SAMPLE_ROSTER))
    assert refused.returncode != 0 and "a candidate's room or seat differ" in refused.stderr, refused.stderr
    assert not _verify_ok(live_store)
