"""An insider with the store's SQL login, or a forged file: every attack is named by `examops verify` (or refused).

Each case sets up a small morning through the services (two lanes, one
exception approved by every level, one left pending), attacks the SQLite
file with the standard `sqlite3` module as an insider would (dropping the
append-only triggers first), then runs `examops verify` as a process and
asserts it exits non-zero and names the attack. The setup uses only
interfaces main had before device signatures, so the same file can be run
against that code to show each attack passed there.

Issue 11's attacks, and the case that reproduces each (here unless a file is named):
- init replaces the PIN without the old one / changes levels, late entry, preset:
  test_insider_pin.py::test_the_pin_changes_only_with_the_old_one,
  ::test_init_on_a_live_store_needs_the_current_pin_and_is_recorded
- --override into a closed session without a PIN, no trace in the report:
  test_insider_pin.py::test_an_override_needs_the_pin_and_the_report_shows_its_reason
- a forged bundle voids an admission and re-admits; admits a ticket not on the roster:
  test_a_forged_bundle_is_refused[void_then_readmit-*], [ticket_not_on_roster-*]
- SQL: chain end cut, whole chain deleted (and a later report then signed clean), first events
  removed with a forged anchor, re-hashed forged approvals, pos reordered, name / ID / seat / plan /
  PIN hash edited: test_verify_names_the_attack[...], test_a_signed_report_witnesses_what_was_cut
- the report key readable from the store and an edited report re-signed; the lane cache holds the
  PIN hash: test_the_store_holds_nothing_that_signs_a_report; on PostgreSQL
  tests/integration/test_lane_role.py; tests/integration/test_devices.py::test_a_lane_cache_holds_no_pin_hash_*
- a report disguised (number format, hidden rows/sheets, white text), "OK" for any key, merge of one
  key for two sites or figures that do not add up: test_a_disguised_report_is_refused_through_the_cli,
  tests/integration/test_report_presentation.py
- PIN guessing without delay, a PIN in the process list, 0000: tests/integration/test_chief_pin.py
  (back-off), tests/integration/test_lane_role.py::test_the_lane_role_cannot_out_guess_the_back_off,
  test_insider_pin.py::test_a_pin_on_the_command_line_is_no_longer_taken, ::test_init_refuses_a_trivial_pin
- the store deleted under a lane; a read-only disk called damaged; field limits differing by backend:
  test_insider_pin.py::test_a_lane_process_whose_store_file_is_deleted_says_not_recorded,
  ::test_a_read_only_disk_is_called_read_only_not_damaged, ::test_a_too_long_lane_or_staff_is_refused_where_it_is_typed
"""

from __future__ import annotations

import gzip
import json
import os
import re
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from examops.domain.events import event_hash
from examops.services.gate import Lane
from examops.services.review import approve, pending_ids
from examops.services.site import init_site
from tests.conftest import SAMPLE_PLAN, TEST_PIN, at_local, seed_roster

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def morning(tmp_path):
    db = tmp_path / "site.sqlite3"
    site = init_site(SAMPLE_PLAN, url=f"sqlite:///{db}", chief_pin=TEST_PIN)
    people = seed_roster(site, n_rooms=2)
    at_local(site, "2021-10-16T08:10")
    lane_a, lane_b = Lane(site, "A", "甲"), Lane(site, "B", "乙")
    for person in people[:5]:
        lane_a.check(person.ticket, session_id="S1")
    lane_a.check(people[5].ticket, session_id="S1", outcome="no_test_cert")
    [case] = pending_ids(site, session="S1", level=site.plan.approval_levels[0])
    for level in site.plan.approval_levels:
        approve(site, [case], level=level, by=level, pin=TEST_PIN)
    lane_a.check(people[6].ticket, session_id="S1", outcome="no_test_cert")  # stays pending
    for person in people[10:13]:
        lane_b.check(person.ticket, session_id="S1")
    assert run_verify(db).returncode == 0, run_verify(db).stdout
    site.close()
    return {"db": db, "people": people, "case": case, "tmp": tmp_path}


def run_verify(db: Path, *args: str, lang: str | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO)} | ({"EXAMOPS_LANG": lang} if lang else {})
    return subprocess.run([sys.executable, "-m", "examops", "--db", str(db), "verify", *args],
                          capture_output=True, text=True, env=env, cwd=REPO)


def insider(db: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("DROP TRIGGER IF EXISTS events_no_update")
    conn.execute("DROP TRIGGER IF EXISTS events_no_delete")
    return conn


def rows(conn, sql, *args):
    conn.row_factory = sqlite3.Row
    return conn.execute(sql, args).fetchall()


def chain(conn, lane):
    return rows(conn, "SELECT * FROM events WHERE lane = ? ORDER BY device_seq", lane)


def forge_append(conn, device, kind, payload, *, session="S1", ticket=None, signer=None):
    """Append an event at the end of `device`'s chain with a correct link and hash (the code is public)."""
    last = rows(conn, "SELECT device_seq, hash FROM events WHERE device = ? ORDER BY device_seq DESC LIMIT 1", device)
    seq, prev = (last[0]["device_seq"], last[0]["hash"]) if last else (0, "0" * 64)
    content = {"id": str(uuid.uuid4()), "kind": kind, "at": "2021-10-16T00:30:00.000000Z", "device": device,
               "device_seq": seq + 1, "session": session, "ticket": ticket, "lane": None, "staff": "x", "payload": payload}
    digest = event_hash(content, prev)
    columns = {"id": content["id"], "kind": kind, "at": content["at"], "device": device, "device_seq": seq + 1,
               "session_id": session, "ticket": ticket, "lane": None, "staff": "x",
               "payload": json.dumps(payload, ensure_ascii=False, sort_keys=True), "prev_hash": prev, "hash": digest}
    if signer is not None and "signer" in {r[1] for r in conn.execute("PRAGMA table_info(events)")}:
        columns.update(signer=signer.public_b64, signature=signer.sign(f"examops-event-v1:{digest}".encode()))
    conn.execute(f"INSERT INTO events ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
                 list(columns.values()))
    return content


def fresh_key(tmp):
    """A key the attacker made: nobody enrolled it (None on code from before device keys, which signed nothing)."""
    try:
        from examops.adapters.signing import DeviceKey
    except ImportError:
        return None
    return DeviceKey.load_or_create(tmp / f"attacker-{uuid.uuid4().hex}.pem")


# -- the attacks ------------------------------------------------------------------------
def edit_name(m, conn):
    conn.execute("UPDATE candidates SET name = '替身' WHERE ticket = ?", (m["people"][0].ticket,))


def edit_id_number(m, conn):
    conn.execute("UPDATE candidates SET id_number = '110101199001011237' WHERE ticket = ?", (m["people"][0].ticket,))


def edit_seat(m, conn):
    conn.execute("UPDATE seats SET seat = 31 WHERE ticket = ? AND session_id = 'S1'", (m["people"][1].ticket,))


def edit_plan(m, conn):
    conn.execute("UPDATE settings SET value = replace(value, 'late_entry_minutes = 30', 'late_entry_minutes = 120') "
                 "WHERE key = 'plan_toml'")
    conn.execute("UPDATE settings SET value = value || '\n# edited' WHERE key = 'plan_toml'")


def edit_pin_hash(m, conn):
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    table = "site_secrets" if "site_secrets" in tables else "settings"  # where older code kept it
    conn.execute(f"UPDATE {table} SET value = 'scrypt$forged' WHERE key = 'chief_pin_hash'")


def delete_chain_tail(m, conn):
    tail = chain(conn, "B")[-2:]
    for event in tail:
        conn.execute("DELETE FROM admissions WHERE event_id = ?", (event["id"],))
        conn.execute("DELETE FROM events WHERE id = ?", (event["id"],))


def delete_whole_chain(m, conn):
    for event in chain(conn, "B"):
        conn.execute("DELETE FROM admissions WHERE event_id = ?", (event["id"],))
        conn.execute("DELETE FROM events WHERE id = ?", (event["id"],))


def delete_chain_start_with_anchor(m, conn):
    first = chain(conn, "A")[:2]
    for event in first:
        conn.execute("DELETE FROM admissions WHERE event_id = ?", (event["id"],))
        conn.execute("DELETE FROM events WHERE id = ?", (event["id"],))
    conn.execute("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)",
                 ("chain_anchor:" + first[0]["device"], f"2:{first[1]['hash']}"))


def forged_approval_unsigned(m, conn):
    [pending] = [e for e in chain(conn, "A") if e["kind"] == "exception"][-1:]
    admin = rows(conn, "SELECT device FROM events WHERE kind = 'approved' LIMIT 1")[0]["device"]
    forge_append(conn, admin, "approved", {"exception_id": pending["id"], "level": "chief", "by": "王", "note": "",
                                           "recorded_by": "王"}, ticket=pending["ticket"])


def forged_approval_new_key(m, conn):
    [pending] = [e for e in chain(conn, "A") if e["kind"] == "exception"][-1:]
    forge_append(conn, "intruder.00000000/admin", "approved",
                 {"exception_id": pending["id"], "level": "chief", "by": "王", "note": "", "recorded_by": "王"},
                 ticket=pending["ticket"], signer=fresh_key(m["tmp"]))


def reorder_pos(m, conn):
    approval = rows(conn, "SELECT pos FROM events WHERE kind = 'approved' ORDER BY pos LIMIT 1")[0]["pos"]
    exception = rows(conn, "SELECT pos FROM events WHERE id = ?", m["case"])[0]["pos"]
    top = rows(conn, "SELECT max(pos) AS top FROM events")[0]["top"]
    conn.execute("UPDATE events SET pos = ? WHERE pos = ?", (top + 1, exception))
    conn.execute("UPDATE events SET pos = ? WHERE pos = ?", (exception, approval))
    conn.execute("UPDATE events SET pos = ? WHERE pos = ?", (approval, top + 1))


def edit_payload_rehashed(m, conn):
    """Move someone on paper and recompute the whole rest of the chain: links and hashes all hold."""
    events = chain(conn, "A")
    prev = events[0]["prev_hash"]
    for index, event in enumerate(events):
        payload = json.loads(event["payload"])
        if index == 1:
            payload["seat"] = 29
        content = {"id": event["id"], "kind": event["kind"], "at": event["at"], "device": event["device"],
                   "device_seq": event["device_seq"], "session": event["session_id"], "ticket": event["ticket"],
                   "lane": event["lane"], "staff": event["staff"], "payload": payload}
        digest = event_hash(content, prev)
        conn.execute("UPDATE events SET payload = ?, prev_hash = ?, hash = ? WHERE id = ?",
                     (json.dumps(payload, ensure_ascii=False, sort_keys=True), prev, digest, event["id"]))
        prev = digest


ATTACKS = [
    # (attack, what verify's output must name)
    (edit_name, "a candidate's name"),
    (edit_id_number, "a candidate's ID number"),
    (edit_seat, "the seat of ticket"),  # the clean verify before the attack kept the seats
    (edit_plan, "the stored exam plan"),
    (edit_pin_hash, "the chief's PIN hash"),
    (delete_chain_tail, "witnessed"),
    (delete_whole_chain, "witnessed"),
    (delete_chain_start_with_anchor, "first events were removed"),
    (forged_approval_unsigned, "unsigned event"),
    (forged_approval_new_key, "never enrolled"),
    (reorder_pos, "reordered"),
    (edit_payload_rehashed, "signature does not match"),
]


@pytest.mark.parametrize(("attack", "named"), ATTACKS, ids=[a.__name__ for a, _ in ATTACKS])
def test_verify_names_the_attack(morning, attack, named):
    conn = insider(morning["db"])
    attack(morning, conn)
    conn.close()
    result = run_verify(morning["db"])
    assert result.returncode != 0, result.stdout
    assert named in result.stdout, result.stdout


@pytest.mark.parametrize(("attack", "named"), [(delete_chain_tail, "有事件被删除"), (edit_name, "考生的姓名"),
                                              (forged_approval_new_key, "从未由总监考登记")],
                         ids=["delete_chain_tail_zh", "edit_name_zh", "forged_approval_new_key_zh"])
def test_verify_names_the_attack_in_the_sites_chinese(morning, attack, named):
    """The sample site's plan says zh-CN: with no EXAMOPS_LANG, verify speaks it (every word from the catalog)."""
    conn = insider(morning["db"])
    attack(morning, conn)
    conn.close()
    result = run_verify(morning["db"], lang=" ")  # set but blank: the site's language decides
    assert result.returncode != 0 and "已被破坏：" in result.stdout and named in result.stdout, result.stdout
    assert not [line for line in result.stdout.splitlines() if line.isascii() and line.strip()], result.stdout


def run_cli(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {**os.environ, "PYTHONPATH": str(REPO), **env}
    return subprocess.run([sys.executable, "-m", "examops", *args], capture_output=True, text=True, env=environment, cwd=REPO)


def test_a_signed_report_witnesses_what_was_cut(morning):
    """Lane B's whole chain deleted and this laptop's witness file with it: a later report would be signed
    and "zero incidents", but the report signed before the attack still names the deleted chain."""
    from examops import locations
    from examops.services.site import Site

    before = morning["tmp"] / "before.xlsx"
    built = run_cli("--db", str(morning["db"]), "report", "--session", "S1", "--out", str(before), EXAMOPS_PIN=TEST_PIN)
    assert built.returncode == 0, built.stderr
    site = Site.open(f"sqlite:///{morning['db']}")
    witness = locations.witness_path(site.store_id)
    site.close()
    conn = insider(morning["db"])
    delete_whole_chain(morning, conn)
    conn.close()
    witness.unlink()  # the insider removes this laptop's witness too
    assert run_verify(morning["db"]).returncode == 0  # no witness left: the cut is not seen (README says so)
    after = morning["tmp"] / "after.xlsx"
    assert run_cli("--db", str(morning["db"]), "report", "--session", "S1", "--out", str(after),
                   EXAMOPS_PIN=TEST_PIN).returncode == 0
    assert run_cli("report", "verify", str(after), "--any-key").returncode == 0  # validly signed, yet short
    result = run_verify(morning["db"], "--report", str(before))
    assert result.returncode != 0 and "the report before.xlsx witnessed its chain" in result.stdout, result.stdout
    assert "the whole chain was deleted" in result.stdout


def test_the_store_holds_nothing_that_signs_a_report(morning):
    """Whoever reads every table of the store finds no private key to re-sign an edited report with."""
    conn = insider(morning["db"])
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    text = " ".join(str(value) for table in tables for row in conn.execute(f"SELECT * FROM {table}") for value in row)
    conn.close()
    assert "PRIVATE KEY" not in text
    from examops.services.site import Site

    site = Site.open(f"sqlite:///{morning['db']}")
    try:
        from examops import locations

        sealed = locations.site_key_path(site.store_id).read_text(encoding="utf-8")
    finally:
        site.close()
    assert "PRIVATE KEY" not in sealed  # on the desk, sealed under the PIN
    out = morning["tmp"] / "r.xlsx"
    refused = run_cli("--db", str(morning["db"]), "report", "--session", "S1", "--out", str(out))
    assert refused.returncode != 0 and "PIN" in refused.stderr and not out.exists()  # no PIN, no signature


def test_a_disguised_report_is_refused_through_the_cli(morning):
    """A cell holding 10 made to show 360 with a number format: `report verify` names the cell."""
    from openpyxl import load_workbook

    out = morning["tmp"] / "S1.xlsx"
    assert run_cli("--db", str(morning["db"]), "report", "--session", "S1", "--out", str(out),
                   EXAMOPS_PIN=TEST_PIN).returncode == 0
    book = load_workbook(out)
    sheet = book.worksheets[0]
    cell = next(c for row in sheet.iter_rows() for c in row if isinstance(c.value, int) and c.value > 0 and c.column >= 2)
    cell.number_format = '"360"'
    book.save(out)
    checked = run_cli("report", "verify", str(out), "--any-key")
    said = checked.stdout + checked.stderr
    assert checked.returncode == 1 and f"{sheet.title}!{cell.coordinate}: number format" in said, said


# -- forged bundles ---------------------------------------------------------------------
def _forged_bundle(path: Path, events: list[dict], site_name: str) -> Path:
    """A new device chain with recomputed hashes and no key, in the bundle format (version 1 header)."""
    header = {"format": "examops-bundle", "version": 1, "site": site_name, "exam": "x", "exported_at": "x",
              "devices": {}, "events": len(events)}
    with gzip.open(path, "wt", encoding="utf-8") as stream:
        stream.write(json.dumps(header, ensure_ascii=False) + "\n")
        for event in events:
            stream.write(json.dumps(event, ensure_ascii=False) + "\n")
    return path


def _chain_of(device: str, contents: list[dict]) -> list[dict]:
    prev, out = "0" * 64, []
    for seq, content in enumerate(contents, start=1):
        body = {"id": str(uuid.uuid4()), "at": "2021-10-16T00:20:00.000000Z", "device": device, "device_seq": seq,
                "session": "S1", "lane": "Z", "staff": "x", **content}
        digest = event_hash(body, prev)
        out.append({**body, "prev_hash": prev, "hash": digest})
        prev = digest
    return out


@pytest.mark.parametrize(("forgery", "lang", "refused_words"), [
    ("void_then_readmit", "en", "refused, nothing merged"), ("ticket_not_on_roster", "en", "refused, nothing merged"),
    ("void_then_readmit", "zh-CN", "已拒绝，未合并任何内容")])
def test_a_forged_bundle_is_refused(morning, forgery, lang, refused_words):
    from examops.services.site import Site

    site = Site.open(f"sqlite:///{morning['db']}")
    site_name = site.plan.site
    site.close()
    conn = insider(morning["db"])
    admitted = chain(conn, "A")[0]
    conn.close()
    if forgery == "void_then_readmit":
        contents = [{"kind": "voided", "ticket": admitted["ticket"],
                     "payload": {"target": admitted["id"], "target_kind": "admitted", "reason": "x", "by": "王"}},
                    {"kind": "admitted", "ticket": admitted["ticket"],
                     "payload": {"code": "", "action": "admit", "reason": "", "evidence": {}, "room": "001", "seat": 1,
                                 "via": "ticket"}}]
    else:
        contents = [{"kind": "admitted", "ticket": "9999999999",
                     "payload": {"code": "", "action": "admit", "reason": "", "evidence": {}, "room": "001", "seat": 30,
                                 "via": "ticket"}}]
    bundle = _forged_bundle(morning["tmp"] / "forged.examops", _chain_of("intruder.00000000/Z", contents), site_name)
    env = {**os.environ, "PYTHONPATH": str(REPO), "EXAMOPS_LANG": lang}
    merged = subprocess.run([sys.executable, "-m", "examops", "--db", str(morning["db"]), "sync", "merge", str(bundle)],
                            capture_output=True, text=True, env=env, cwd=REPO)
    after = run_verify(morning["db"])
    refused = merged.returncode != 0 and refused_words in (merged.stdout + merged.stderr)
    assert refused or after.returncode != 0, (merged.stdout, merged.stderr, after.stdout)
    assert refused, merged.stdout + merged.stderr


def test_a_reordered_log_says_which_decision_in_the_sites_chinese(morning):
    """Found by hand: "针对异常 … 的 approved，但该异常存放在它之后" — the event's kind code inside the Chinese sentence."""
    conn = insider(morning["db"])
    reorder_pos(morning, conn)
    conn.close()
    result = run_verify(morning["db"], lang=" ")
    assert result.returncode != 0 and "的 审批，但该异常存放在它之后" in result.stdout, result.stdout
    assert not re.search(r"\b(approved|rejected|resolved|admitted)\b", result.stdout), result.stdout
