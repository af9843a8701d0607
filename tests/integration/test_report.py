"""The bureau report: figures of a generated morning counted independently, signing, verification, the roll-up."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from examops.cli import main
from examops.domain import idnumber
from examops.services.figures import session_figures
from examops.services.gate import Lane
from examops.services.review import approve, pending_ids, reject, resolve
from examops.services.seating import reallocate
from examops.services.site import init_site
from tests.conftest import SAMPLE_PLAN, TEST_PIN, at_local, seed_roster

LEVELS = ("chief", "deputy", "supervisor")
SEATS = 30


def run(site, *args: str) -> "CliRunner.Result":  # noqa: F821
    return CliRunner().invoke(main, ["--db", site.store.url, *args], env={"EXAMOPS_PIN": TEST_PIN}, catch_exceptions=False)


def report_json(site, out: Path, *args: str) -> dict:
    done = run(site, "report", *args, "--out", str(out), "--json")
    assert done.exit_code == 0, done.output
    return json.loads(done.stdout)


def verify(path: Path, *args: str):
    """`report verify`; without a trust list, any key is accepted (these tests are about the contents)."""
    trust = [] if "--trust" in args else ["--any-key"]
    return CliRunner().invoke(main, ["report", "verify", str(path), *args, *trust], catch_exceptions=False)


def room_of(index: int) -> tuple[str, int]:
    """Where seed_roster seats the candidate at `index` (in both sessions)."""
    return f"{index // SEATS + 1:03d}", index % SEATS + 1


def summary_cells(path: Path, session: str) -> dict:
    """The Summary figures of one session as the cells state them (read here, not by the code under test)."""
    workbook = load_workbook(path, read_only=True)
    rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    header = next(i for i, row in enumerate(rows) if "key" in row)
    column, key = rows[header].index(session), rows[header].index("key")
    return {row[key]: row[column] for row in rows[header + 1:] if len(row) > key and row[key]}


def sheet_rows(path: Path, title: str) -> list[tuple]:
    return [tuple(v for v in row if v is not None) for row in load_workbook(path, read_only=True)[title].iter_rows(values_only=True)]


def edit(path: Path, title: str, match, value) -> str:  # noqa: ANN001
    """Change the first cell of `title` for which match(cell) holds, re-save with openpyxl; returns its coordinate."""
    workbook = load_workbook(path)
    cell = next(c for row in workbook[title].iter_rows() for c in row if c.value is not None and match(c))
    cell.value = value
    workbook.save(path)
    return cell.coordinate


@pytest.fixture
def morning(site):
    """S1 of a 6-room site: on time, held and reallocated, rejected, pending, late, one duplicate scan."""
    people = seed_roster(site, n_rooms=6)  # 180 candidates, rooms 001-006
    gate_a, gate_b = Lane(site, "A", "安检员甲"), Lane(site, "B", "安检员乙")
    on_time, held, rejected, pending, late = people[:90], people[90:100], people[100], people[101], people[102:110]
    for person in on_time:
        assert gate_a.check(person.ticket, session_id="S1").verdict == "admitted"
    for person in held:
        assert gate_b.check(person.ticket, session_id="S1", outcome="no_test_cert").action == "backup_room"
    rejected_case = gate_b.check(rejected.ticket, session_id="S1", outcome="id_mismatch")
    pending_case = gate_b.check(pending.ticket, session_id="S1", outcome="other", evidence={"note": "ticket torn"})
    assert gate_a.check(on_time[0].ticket, session_id="S1").verdict == "duplicate"
    reject(site, rejected_case.event_id, by="王总监", reason="photo does not match", pin=TEST_PIN)
    at_local(site, "2021-10-16T08:40")  # after the 08:30 start
    for level, by in zip(LEVELS, ("王总监", "李副总", "省督导组")):
        approve(site, [i for i in pending_ids(site, session="S1", level=level) if i != pending_case.event_id],
                level=level, by=by, pin=TEST_PIN)
    moves = reallocate(site, "S1", by="王总监", pin=TEST_PIN).moves
    assert {m.room for m in moves} == {"B01"} and len(moves) == len(held)
    for person in late:
        assert gate_a.check(person.ticket, session_id="S1").verdict == "admitted"
    site.people = people
    site.groups = {"on_time": on_time, "held": held, "rejected": [rejected], "pending": [pending], "late": late,
                   "pending_case": pending_case.event_id}
    return site


def expected_s1(groups: dict, *, pending_resolved: bool = False, incidents: int = 0) -> dict:
    """The S1 figures counted from what the morning did, not from the code under test."""
    present = len(groups["on_time"]) + len(groups["held"]) + len(groups["late"]) + (1 if pending_resolved else 0)
    return {
        "expected": 180, "present": present, "absent": 180 - present if pending_resolved else 0,  # the resolved report is built after the session
        "not_arrived": 0 if pending_resolved else 180 - present, "admitted_late": len(groups["late"]),
        "exceptions": len(groups["held"]) + 2, "approvals": len(groups["held"]) * len(LEVELS),
        "reallocated": len(groups["held"]), "denied": len(groups["rejected"]), "incidents": incidents, "duplicates": 1,
        "voided": 0, "unresolved": 0 if pending_resolved else 1,
        "exceptions_by_code": {"no_test_cert": len(groups["held"]), "id_mismatch": 1, "other": 1},
        "exceptions_by_status": {"approved": len(groups["held"]), "rejected": 1,
                                 "resolved" if pending_resolved else "pending": 1},
    }


def assert_figures(summary: dict, expected: dict) -> None:
    for key, value in expected.items():
        assert summary[key] == value, key


def test_figures_of_the_morning_in_json_and_cells_and_the_zero_incident_verdict(morning, tmp_path, monkeypatch):
    site, groups = morning, morning.groups
    first = report_json(site, tmp_path / "pending.xlsx", "--session", "S1")
    assert_figures(first, expected_s1(groups))
    assert first["zero_incident"] is False and first["reasons"] == ["1 exception(s) not decided or not seated",
                                                                   "1 duplicate-scan alarm(s) not resolved by the chief",
                                                                   "the session had not ended when these figures were made"]

    # The pending case is settled after the start: held since 08:10, so not "admitted late".
    resolve(site, groups["pending_case"], by="王总监", note="police certificate shown", pin=TEST_PIN)
    # 三零 waits for the chief's finding on the duplicate-scan alarm too.
    from examops.services.incidents import resolve_alarm
    from examops.services.review import duplicate_alarms

    alarm = duplicate_alarms(site, "S1")[0]["event_id"]
    resolve_alarm(site, alarm, resolution="rescan", note="the lane scanned the ticket twice", by="王总监", pin=TEST_PIN)
    monkeypatch.setenv("EXAMOPS_CLOCK", "2021-10-16T11:35!")  # after the session: the not-yet-arrived are 缺考
    out = tmp_path / "S1.xlsx"
    clean = report_json(site, out, "--session", "S1")
    assert_figures(clean, expected_s1(groups, pending_resolved=True))
    assert clean["zero_incident"] is True and clean["reasons"] == []
    assert clean["out"] == str(out) and re.fullmatch(r"([0-9a-f]{4}:){7}[0-9a-f]{4}", clean["fingerprint"])

    cells = summary_cells(out, "S1")
    for key in ("expected", "present", "absent", "admitted_late", "exceptions", "approvals", "reallocated", "denied",
                "incidents", "duplicates", "voided", "unresolved"):
        assert cells[key] == clean[key], key
    assert cells["exceptions_by_code.no_test_cert"] == len(groups["held"])
    assert cells["incidents_by_kind.cheating"] == 0 and cells["zero_incident"] == "是" and cells["reasons"] is None

    # Room 004: the held candidates moved out to B01 are present there, not absent here.
    held_tickets = {p.ticket for p in groups["held"]}
    home = {room_of(site.people.index(p))[0] for p in groups["held"]}
    assert home == {"004"}
    absent_in_004 = [p for i, p in enumerate(site.people[90:120], start=90)
                     if p not in groups["held"] and p not in groups["late"] and p not in groups["pending"]]
    rows = sheet_rows(out, "S1-004")
    assert ("原编排", 30, "调出", len(groups["held"]), "调入", 0) in rows
    assert ("应到", 30 - len(groups["held"]), "实到", 30 - len(groups["held"]) - len(absent_in_004), "缺考",
            len(absent_in_004)) in rows
    listed = {row[1] for row in rows if len(row) == 3 and isinstance(row[0], int)}
    assert listed == {p.ticket for p in absent_in_004} and not listed & held_tickets
    b01 = sheet_rows(out, "S1-B01")
    # B01: nobody of its own; the reallocated are 调入, so expected there and present there.
    b01_figures = session_figures(site, "S1").rooms["B01"]
    held = len(groups["held"])
    assert (b01_figures.rostered, len(b01_figures.moved_in), b01_figures.expected, b01_figures.present) == (0, held, held, held)
    assert ("原编排", 0, "调出", 0, "调入", held) in b01 and ("应到", held, "实到", held, "缺考", 0) in b01
    assert {row[0] for row in b01 if row and row[0] in held_tickets} == held_tickets

    # One incident makes the session not zero-incident, with the reason.
    done = run(site, "incident", "--session", "S1", "--room", "002", "--kind", "作弊", "--candidate", site.people[35].ticket,
               "--note", "phone under the desk", "--severity", "high", "--by", "监考员甲", "--json")
    assert done.exit_code == 0, done.output
    assert json.loads(done.stdout)["kind"] == "cheating"
    spoiled = report_json(site, tmp_path / "incident.xlsx", "--session", "S1")
    assert_figures(spoiled, expected_s1(groups, pending_resolved=True, incidents=1))
    assert spoiled["zero_incident"] is False and spoiled["reasons"] == ["1 incident(s) recorded"]
    assert spoiled["incidents_by_kind"] == {"cheating": 1}
    cells = summary_cells(tmp_path / "incident.xlsx", "S1")
    # JSON keeps the machine wording; the Chinese report says it in Chinese.
    assert (cells["zero_incident"], cells["reasons"], cells["incidents_by_kind.cheating"]) == ("否", "记录违纪及异常事件 1 起", 1)
    assert any(site.people[35].ticket in row and "phone under the desk" in row for row in sheet_rows(tmp_path / "incident.xlsx", "S1-002"))


def test_all_sessions_have_totals_and_no_full_id_number_anywhere(morning, tmp_path):
    site, groups = morning, morning.groups
    out = tmp_path / "all.xlsx"
    result = report_json(site, out, "--all")
    s1, s2 = result["sessions"]
    assert (s1["session"], s2["session"]) == ("S1", "S2")
    assert_figures(s1, expected_s1(groups))
    # 08:40: the afternoon paper has not been sat, so it cannot be 三零 yet
    assert (s2["expected"], s2["present"], s2["not_arrived"], s2["zero_incident"]) == (180, 0, 180, False)
    assert s2["reasons"] == ["the session had not ended when these figures were made"]
    assert result["totals"]["expected"] == 360 and result["totals"]["present"] == s1["present"]
    assert result["totals"]["zero_incident"] is False
    workbook = load_workbook(out)
    names = workbook.sheetnames
    assert names[0] == "汇总" and names[-1] == "签名" and {"S1-001", "S1-B01", "S2-006", "异常情况", "审批记录"} <= set(names)
    assert "S2-B01" not in names  # an unused backup room gets no record
    text = "\n".join(str(c.value) for ws in workbook.worksheets for row in ws.iter_rows() for c in row if c.value is not None)
    assert not any(p.id_number in text for p in site.people)
    assert not re.search(r"(?<![0-9a-fA-F])\d{17}[\dX](?![0-9a-fA-F])", text)  # hashes are hex runs, IDs stand alone
    assert idnumber.mask(groups["held"][0].id_number) in text
    for ws in workbook.worksheets:
        assert int(ws.page_setup.paperSize) == 9 and ws.page_setup.fitToWidth == 1, ws.title  # 9 = A4
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.print_options.horizontalCentered, ws.title
        assert ws.print_title_rows, ws.title
    charts = workbook["图表 S1"]._charts
    assert len(charts) == 2
    timeline = sheet_rows(out, "审批记录")
    held_ticket = groups["held"][0].ticket
    steps = [row[5] for row in timeline if len(row) > 5 and row[2] == held_ticket]
    assert steps == ["登记", "批准 · 总监考", "批准 · 副总监考", "批准 · 督导组", "入场"]


def test_verify_passes_untouched_and_names_what_was_edited(morning, tmp_path, monkeypatch):
    site = morning
    monkeypatch.setenv("EXAMOPS_CLOCK", "2021-10-16T11:35!")  # after the session: the room sheets list 缺考
    original = tmp_path / "S1.xlsx"
    report_json(site, original, "--session", "S1")
    done = verify(original)
    assert done.exit_code == 0 and done.output.startswith("OK"), done.output

    resaved = tmp_path / "resaved.xlsx"  # openpyxl drops the QR image on re-save: the text still verifies
    load_workbook(original).save(resaved)
    assert verify(resaved).exit_code == 0

    summary = tmp_path / "summary.xlsx"
    summary.write_bytes(original.read_bytes())
    present = summary_cells(original, "S1")["present"]
    coordinate = edit(summary, "汇总", lambda c: c.value == present and c.column == 2, present + 1)
    done = verify(summary, "--json")
    assert done.exit_code == 1
    result = json.loads(done.stdout)
    assert result["ok"] is False and result["signature_valid"] is False
    assert any(f"present of S1 at {coordinate} reads {present + 1}, signed {present}" in p for p in result["problems"])
    assert any("sheet '汇总' changed" in p for p in result["problems"])

    room = tmp_path / "room.xlsx"
    room.write_bytes(original.read_bytes())
    absent_ticket = site.people[119].ticket
    coordinate = edit(room, "S1-004", lambda c: c.value == absent_ticket, site.people[118].ticket)
    done = verify(room)
    assert done.exit_code == 1
    assert "sheet 'S1-004' changed: row " in done.output and coordinate in done.output
    assert "the Summary figures differ" not in done.output

    digest = tmp_path / "digest.xlsx"
    digest.write_bytes(original.read_bytes())
    coordinate = edit(digest, "签名", lambda c: c.column > 1 and c.offset(column=-1).value == "figures_sha256", "0" * 64)
    done = verify(digest)
    assert done.exit_code == 1 and f"签名!{coordinate}: the figures_sha256 written there is not the signed one" in done.output

    signature = tmp_path / "signature.xlsx"
    signature.write_bytes(original.read_bytes())
    edit(signature, "签名", lambda c: c.column > 1 and c.offset(column=-1).value == "site", "别的考点")
    done = verify(signature)
    assert done.exit_code == 1 and "a signed field (exam, site, sessions, generated_at) was changed" in done.output


def test_trust_list_accepts_listed_keys_only(morning, tmp_path):
    out = tmp_path / "S1.xlsx"
    fingerprint = report_json(morning, out, "--session", "S1")["fingerprint"]
    public_key = next(row[2] for row in sheet_rows(out, "签名") if len(row) > 2 and row[1] == "public_key")
    for listed in (fingerprint, public_key):
        trust = tmp_path / "keys.txt"
        trust.write_text(f"# the bureau's list\n\n{listed}  # 包头市第一中学考点\n", encoding="utf-8")
        done = verify(out, "--trust", str(trust), "--json")
        assert done.exit_code == 0, done.output
        assert json.loads(done.stdout)["trusted"] is True
    trust.write_text("0000:1111:2222:3333:4444:5555:6666:7777\n", encoding="utf-8")
    done = verify(out, "--trust", str(trust))
    assert done.exit_code == 1 and f"the signing key {fingerprint}" in done.output and "not on the trust list" in done.output
    trust.write_text("not a key\n", encoding="utf-8")
    done = verify(out, "--trust", str(trust))
    assert done.exit_code == 2 and "line 1" in done.output


def test_rooms_beyond_the_limit_share_a_sheet_with_a_page_each(morning, tmp_path, monkeypatch):
    from examops.adapters.excel_out import report_sheets

    monkeypatch.setattr(report_sheets, "ROOM_SHEETS_UP_TO", 3)
    out = tmp_path / "paged.xlsx"
    report_json(morning, out, "--session", "S1")
    workbook = load_workbook(out)
    assert "考场记录 S1" in workbook.sheetnames and not any(n.startswith("S1-") for n in workbook.sheetnames)
    paged = workbook["考场记录 S1"]
    assert len(paged.row_breaks.brk) == 7 - 1  # rooms 001-006 and B01, one page each
    headings = [row[0] for row in paged.iter_rows(values_only=True) if str(row[0]).startswith("考场情况记录表　考场：")]
    assert len(headings) == 7 and "第004考场" in headings[3] and "备用考场一（B01）" in headings[6]
    assert verify(out).exit_code == 0


def test_english_report_verifies(morning, tmp_path):
    out = tmp_path / "en.xlsx"
    result = report_json(morning, out, "--all", "--lang", "en")
    names = load_workbook(out, read_only=True).sheetnames
    assert names[0] == "Summary" and names[-1] == "Signature" and "Exceptions" in names
    assert summary_cells(out, "S2")["zero_incident"] == "no"  # at 08:40 the afternoon paper is not over
    assert summary_cells(out, "S2")["reasons"] == "the session had not ended when these figures were made"
    done = verify(out, "--json")
    assert done.exit_code == 0, done.output
    verified = json.loads(done.stdout)
    assert [f["present"] for f in verified["figures"]] == [s["present"] for s in result["sessions"]]
    assert verified["figures"][1]["zero_incident"] is False  # the afternoon paper, not over at 08:40


def test_close_needs_the_pin_and_later_incidents_an_override(morning):
    done = CliRunner().invoke(main, ["--db", morning.store.url, "close", "--session", "S1", "--by", "王总监", "--reason", "drill", "--json"],
                              env={"EXAMOPS_PIN": "0000"})
    assert done.exit_code == 2 and "wrong PIN" in done.output
    done = run(morning, "close", "--session", "S1", "--by", "王总监", "--json")
    assert done.exit_code == 2 and "--reason" in done.output and "still open" in done.output  # before 11:30
    done = run(morning, "close", "--session", "S1", "--by", "王总监", "--reason", "drill", "--json")
    assert done.exit_code == 0 and json.loads(done.stdout)["closed_by"] == "王总监"
    args = ["incident", "--session", "S1", "--room", "001", "--kind", "other", "--note", "found later"]
    assert run(morning, *args).exit_code != 0
    assert run(morning, "--override", "room record corrected", *args).exit_code == 0


def test_report_needs_a_session_and_knows_the_plan(morning, tmp_path):
    assert run(morning, "report", "--out", str(tmp_path / "x.xlsx")).exit_code == 2
    done = run(morning, "report", "--session", "S9", "--out", str(tmp_path / "x.xlsx"))
    assert done.exit_code == 2 and "no session S9" in done.output
    assert not (tmp_path / "x.xlsx").exists()


def test_a_wrong_pin_is_refused_and_logged_and_nothing_written(morning, tmp_path):
    """The PIN and the key are checked on a thread while the figures are read: the refusal is still the answer
    (before an unknown session's too), it is logged, and no file is made."""
    from examops.services.chief_record import chief_record

    out = tmp_path / "x.xlsx"
    before = chief_record(morning).refused_pins
    for args in (["--session", "S1"], ["--session", "S9"]):
        done = CliRunner().invoke(main, ["--db", morning.store.url, "report", *args, "--out", str(out)],
                                  env={"EXAMOPS_PIN": "9630"}, catch_exceptions=False)
        assert done.exit_code != 0 and "wrong PIN" in done.output and "no session" not in done.output, done.output
    assert chief_record(morning).refused_pins == before + 2
    assert not out.exists() and not list(tmp_path.glob("*x.*xlsx"))


def test_verify_reads_the_workbook_once(morning, tmp_path, monkeypatch):
    """The cells and their look come from one parse of the file (verify of a 50k report parsed it twice)."""
    import openpyxl.reader.excel

    out = tmp_path / "S1.xlsx"
    report_json(morning, out, "--session", "S1")
    loads = []
    real = openpyxl.reader.excel.load_workbook

    def counted(*args, **kwargs):
        loads.append(args)
        return real(*args, **kwargs)

    for module in ("openpyxl", "examops.adapters.excel_out.report_reader", "examops.adapters.excel_out.report_presentation"):
        monkeypatch.setattr(f"{module}.load_workbook", counted)
    done = verify(out)
    assert done.exit_code == 0 and done.output.startswith("OK"), done.output
    assert len(loads) == 1


def _site_report(tmp_path: Path, name: str, admitted: int, *, incident: bool = False) -> tuple[Path, str]:
    """A separately initialised store whose plan names site `name`; `admitted` candidates in S1; its report (--all)."""
    plan = tmp_path / f"{name}.toml"
    text, count = re.subn(r'^site = ".*"$', f'site = "{name}"', SAMPLE_PLAN.read_text(encoding="utf-8"), flags=re.M)
    assert count == 1
    plan.write_text(text, encoding="utf-8")
    site = init_site(plan, url=f"sqlite:///{tmp_path / name}.sqlite3", chief_pin=TEST_PIN)
    people = seed_roster(site, n_rooms=2)
    for person in people[:admitted]:
        Lane(site, "A", "s").check(person.ticket, session_id="S1")
    if incident:
        assert run(site, "incident", "--session", "S1", "--room", "001", "--kind", "违纪", "--note", "notes on the desk").exit_code == 0
    out = tmp_path / f"{name}.xlsx"
    morning = os.environ["EXAMOPS_CLOCK"]
    os.environ["EXAMOPS_CLOCK"] = "2021-10-16T17:30!"  # the day's report, after both papers
    try:
        fingerprint = report_json(site, out, "--all")["fingerprint"]
    finally:
        os.environ["EXAMOPS_CLOCK"] = morning
    site.close()
    return out, fingerprint


@pytest.fixture
def three_sites(tmp_path):
    admitted = {"甲考点": 10, "乙考点": 20, "丙考点": 35}
    reports = {name: _site_report(tmp_path, name, n, incident=name == "乙考点") for name, n in admitted.items()}
    return reports, admitted


def merge(*args: str):
    trust = [] if "--trust" in args else ["--any-key"]
    return CliRunner().invoke(main, ["report", "merge", *args, *trust], catch_exceptions=False)


def test_merge_of_three_sites_adds_up(three_sites, tmp_path):
    reports, admitted = three_sites
    out = tmp_path / "region.xlsx"
    done = merge(*(str(path) for path, _ in reports.values()), "--out", str(out), "--json")
    assert done.exit_code == 0, done.output
    result = json.loads(done.stdout)
    expected_per_site = 60 * 2  # 2 rooms × 30 seats, seated in S1 and S2
    sites = {s["site"]: s for s in result["sites"]}
    assert list(sites) == list(admitted)
    for name, n in admitted.items():
        assert (sites[name]["expected"], sites[name]["present"], sites[name]["absent"] + sites[name]["not_arrived"]) == (expected_per_site, n, expected_per_site - n)
        assert sites[name]["zero_incident"] is (name != "乙考点")
    total = result["totals"]
    assert (total["expected"], total["present"], total["absent"] + total["not_arrived"]) == (3 * expected_per_site, sum(admitted.values()),
                                                                      3 * expected_per_site - sum(admitted.values()))
    assert (total["incidents"], total["incidents_by_kind"]["misconduct"], total["zero_incident_sites"]) == (1, 1, 2)
    assert {s["session"]: s["present"] for s in result["sessions"]} == {"S1": sum(admitted.values()), "S2": 0}

    workbook = load_workbook(out)
    assert workbook.sheetnames == ["区域汇总", "按场次", "来源"]
    rows = [r for r in workbook["区域汇总"].iter_rows(values_only=True)]
    header = next(i for i, r in enumerate(rows) if r[0] == "考点")
    present_column = rows[header].index("实到人数")
    by_site = {r[0]: r for r in rows[header + 1:] if r[0]}
    assert [by_site[name][present_column] for name in admitted] == list(admitted.values())
    assert by_site["合计"][present_column] == sum(admitted.values()) and by_site["合计"][-1] == "2/3"
    assert len(workbook["区域汇总"]._charts) == 1
    for ws in workbook.worksheets:
        assert int(ws.page_setup.paperSize) == 9 and ws.print_title_rows


def test_merge_refuses_a_tampered_report_and_writes_nothing(three_sites, tmp_path):
    reports, admitted = three_sites
    tampered = reports["乙考点"][0]
    edit(tampered, "汇总", lambda c: c.value == admitted["乙考点"] and c.column == 2, admitted["乙考点"] + 5)
    out = tmp_path / "region.xlsx"
    done = merge(*(str(path) for path, _ in reports.values()), "--out", str(out))
    assert done.exit_code == 1
    assert f"{tampered}: refused" in done.output and "present of S1" in done.output and "nothing was written" in done.output
    assert str(reports["甲考点"][0]) not in done.output
    assert not out.exists()


def test_merge_with_a_trust_list_refuses_an_unknown_key(three_sites, tmp_path):
    reports, _ = three_sites
    trust = tmp_path / "keys.txt"
    trust.write_text("".join(f"{fp}  # {name}\n" for name, (_, fp) in reports.items() if name != "丙考点"), encoding="utf-8")
    out = tmp_path / "region.xlsx"
    done = merge(*(str(path) for path, _ in reports.values()), "--out", str(out), "--trust", str(trust))
    assert done.exit_code == 1
    unknown_path, unknown_fp = reports["丙考点"]
    assert f"{unknown_path}: refused: the signing key {unknown_fp} (丙考点) is not on the trust list" in done.output
    assert not out.exists()
    trust.write_text(trust.read_text(encoding="utf-8") + f"{unknown_fp}\n", encoding="utf-8")
    assert merge(*(str(path) for path, _ in reports.values()), "--out", str(out), "--trust", str(trust)).exit_code == 0
    assert out.exists()


def test_merge_refuses_the_same_site_session_twice(three_sites, tmp_path):
    reports, _ = three_sites
    path = str(reports["甲考点"][0])
    done = merge(path, path, "--out", str(tmp_path / "region.xlsx"))
    assert done.exit_code == 2 and "counted twice" in done.output


def test_report_modules_load_neither_pandas_nor_openpyxl_until_used():
    code = ("import sys, examops.cli.report, examops.services.report, examops.services.report_merge\n"
            "print(' '.join(sorted(sys.modules)))")
    loaded = set(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split())
    assert "pandas" not in loaded and "openpyxl" not in loaded


def test_the_signature_sheet_carries_a_qr_code_and_verify_refuses_other_files(morning, tmp_path):
    import zipfile

    out = tmp_path / "S1.xlsx"
    report_json(morning, out, "--session", "S1")
    with zipfile.ZipFile(out) as archive:
        assert any(name.startswith("xl/media/") and name.endswith(".png") for name in archive.namelist())
    plain = tmp_path / "plain.xlsx"
    load_workbook(out).save(plain)
    workbook = load_workbook(plain)
    del workbook["签名"]
    workbook.save(plain)
    done = verify(plain)
    assert done.exit_code == 1 and "no signature sheet" in done.output
    junk = tmp_path / "junk.xlsx"
    junk.write_text("not a workbook", encoding="utf-8")
    done = verify(junk)
    assert done.exit_code == 2 and "cannot read" in done.output


def test_an_empty_chief_record_says_so(morning, tmp_path):
    """Found printing the afternoon story's report: the 总监考记录 page was a table heading over an empty page."""
    from examops.services.chief_record import chief_record
    from examops.services.report import build_report

    assert chief_record(morning).entries == []
    out = tmp_path / "S1.xlsx"
    build_report(morning, session_ids=["S1"], out=out, lang="zh", pin=TEST_PIN)
    assert ("本类事项无记录。",) in sheet_rows(out, "总监考记录")
