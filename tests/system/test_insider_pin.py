"""Insider attacks on the chief's PIN, the report and the store under a lane, through the real CLI (subprocesses)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from examops.domain.events import Kind
from examops.services.chief_record import chief_record
from examops.services.site import Site
from tests.conftest import SAMPLE_PLAN, TEST_PIN, seed_roster

EXAMOPS = Path(sys.executable).parent / "examops"


def run(*args: str, pin: str | None = None, stdin: str | None = None, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k != "EXAMOPS_PIN"} | env
    if pin is not None:
        environment["EXAMOPS_PIN"] = pin
    return subprocess.run([str(EXAMOPS), *args], capture_output=True, text=True, input=stdin, env=environment, timeout=120)


@pytest.fixture
def live_store(tmp_path):
    url = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    done = run("--db", url, "init", "--plan", str(SAMPLE_PLAN), pin=TEST_PIN)
    assert done.returncode == 0, done.stderr
    site = Site.open(url)
    seed_roster(site)
    site.close()
    return url


def _plan(tmp_path, old: str, new: str) -> str:
    path = tmp_path / "plan2.toml"
    path.write_text(SAMPLE_PLAN.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    return str(path)


def test_a_pin_on_the_command_line_is_no_longer_taken(tmp_path):
    done = run("--db", f"sqlite:///{tmp_path / 's.sqlite3'}", "init", "--plan", str(SAMPLE_PLAN), "--chief-pin", "2468")
    assert done.returncode != 0 and "--chief-pin" in done.stderr
    assert not (tmp_path / "s.sqlite3").exists()


@pytest.mark.parametrize("weak", ["0000", "1234", "7777", "123"])
def test_init_refuses_a_trivial_pin(tmp_path, weak):
    done = run("--db", f"sqlite:///{tmp_path / 's.sqlite3'}", "init", "--plan", str(SAMPLE_PLAN), pin=weak)
    assert done.returncode == 2 and "PIN" in done.stderr
    assert not (tmp_path / "s.sqlite3").exists()


def test_init_on_a_live_store_needs_the_current_pin_and_is_recorded(live_store, tmp_path):
    looser = _plan(tmp_path, 'levels = ["chief", "deputy", "supervisor"]', 'levels = ["chief"]')
    refused = run("--db", live_store, "init", "--plan", looser, pin="8513")
    assert refused.returncode == 2 and "wrong PIN" in refused.stderr
    no_pin = run("--db", live_store, "init", "--plan", looser)  # a pipe, no PIN: it cannot be asked
    assert no_pin.returncode == 2 and "PIN" in no_pin.stderr
    assert json.loads(run("--db", live_store, "status", "--json").stdout)["approval_levels"] == ["chief", "deputy", "supervisor"]
    pin_file = tmp_path / "pin.txt"
    pin_file.write_text(TEST_PIN + "\n", encoding="utf-8")
    done = run("--db", live_store, "--pin-file", str(pin_file), "init", "--plan", looser)
    assert done.returncode == 0, done.stderr
    listed = json.loads(run("--db", live_store, "exceptions", "--json").stdout)["chief_record"]
    assert [e["kind"] for e in listed["entries"]] == [Kind.PLAN_CHANGED] and listed["refused_pins"] == 1
    assert "plan changed by" in run("--db", live_store, "exceptions").stdout  # the chief's record, in words


def test_the_pin_changes_only_with_the_old_one(live_store, tmp_path):
    new_file = tmp_path / "new.txt"
    new_file.write_text("5820\n", encoding="utf-8")
    refused = run("--db", live_store, "init", "--plan", str(SAMPLE_PLAN), "--change-pin", "--new-pin-file", str(new_file), pin="8513")
    assert refused.returncode == 2
    done = run("--db", live_store, "init", "--plan", str(SAMPLE_PLAN), "--change-pin", "--new-pin-file", str(new_file), pin=TEST_PIN)
    assert done.returncode == 0, done.stderr
    site = Site.open(live_store)
    try:
        assert site.check_pin("5820")
        assert [e.kind for e in chief_record(site).entries] == [Kind.PIN_CHANGED]
    finally:
        site.close()


def test_an_override_needs_the_pin_and_the_report_shows_its_reason(live_store, tmp_path):
    closed = run("--db", live_store, "close", "--session", "S1", "--by", "王总监", "--reason", "演练提前结束", pin=TEST_PIN)
    assert closed.returncode == 0, closed.stderr
    site = Site.open(live_store)
    ticket = _first_ticket(site)
    site.close()
    no_pin = run("--db", live_store, "--override", "bus late", "check", ticket, "--lane", "A", "--staff", "李")
    assert no_pin.returncode == 2 and "PIN" in no_pin.stderr
    wrong = run("--db", live_store, "--override", "bus late", "check", ticket, "--lane", "A", "--staff", "李", pin="8513")
    assert wrong.returncode == 2
    done = run("--db", live_store, "--override", "公交延误", "check", ticket, "--lane", "A", "--staff", "李", "--json", pin=TEST_PIN)
    assert done.returncode == 0, done.stderr
    out = tmp_path / "S1.xlsx"
    built = run("--db", live_store, "report", "--session", "S1", "--out", str(out), "--json", pin=TEST_PIN)
    assert built.returncode == 0, built.stderr
    from openpyxl import load_workbook

    book = load_workbook(out)
    record = next(ws for ws in book.worksheets if ws.title in ("总监考记录", "Chief's record"))
    text = [str(c.value) for row in record.iter_rows() for c in row if c.value is not None]
    assert "公交延误" in text and "密码错误被拒：1 次" in text  # the piped try had no PIN to refuse; "8513" was refused


def _first_ticket(site: Site) -> str:
    from sqlalchemy import select

    from examops.adapters.store import schema

    with site.store.read() as conn:
        return conn.execute(select(schema.candidates.c.ticket).order_by(schema.candidates.c.ticket)).first()[0]


# -- the store under a lane ----------------------------------------------------------------------
def test_a_read_only_disk_is_called_read_only_not_damaged(tmp_path):
    from examops.services.site import StoreError
    from tests.system.test_reliability import mounted

    with mounted(tmp_path / "disk", "-t", "tmpfs", "-o", "size=8m", "tmpfs") as disk:
        url = f"sqlite:///{disk / 'store.sqlite3'}"
        init_site_cli = run("--db", url, "init", "--plan", str(SAMPLE_PLAN), pin=TEST_PIN)
        assert init_site_cli.returncode == 0, init_site_cli.stderr
        subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True, capture_output=True)
        with pytest.raises(StoreError) as refused:
            Site.open(url)
        assert "read-only" in str(refused.value) and "damaged" not in str(refused.value).replace("not damaged", "")
        done = run("--db", url, "check", "21150054251571", "--lane", "A", "--staff", "李")
        assert done.returncode != 0 and "read-only" in done.stderr and "backup" not in done.stderr
        subprocess.run(["mount", "-o", "remount,rw", str(disk)], check=True)


def test_a_lane_process_whose_store_file_is_deleted_says_not_recorded(live_store, tmp_path):
    site = Site.open(live_store)
    with site.store.read() as conn:
        from sqlalchemy import select

        from examops.adapters.store import schema

        tickets = [r[0] for r in conn.execute(select(schema.candidates.c.ticket).order_by(schema.candidates.c.ticket).limit(61))]
    site.close()
    lane = subprocess.Popen([str(EXAMOPS), "--db", live_store, "check", "--stdin", "--lane", "A", "--staff", "李", "--json"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lane.stdin.write(tickets[0] + "\n")
    lane.stdin.flush()
    first = json.loads(lane.stdout.readline())
    assert first["recorded"] is True
    Path(live_store.removeprefix("sqlite:///")).unlink()
    lane.stdin.write("".join(t + "\n" for t in tickets[1:]))
    lane.stdin.close()
    answers = [json.loads(line) for line in lane.stdout]
    lane.wait(timeout=120)
    assert len(answers) == 60 and not any(a["recorded"] for a in answers)
    assert all("deleted" in a["reason"] for a in answers)


@pytest.mark.parametrize("option, value, said", [("--staff", "张" * 121, "staff name is 121 characters long"),
                                                  ("--lane", "A" * 61, "lane's name is 61 characters long")])
def test_a_too_long_lane_or_staff_is_refused_where_it_is_typed(live_store, option, value, said):
    args = {"--lane": "A", "--staff": "李"} | {option: value}
    done = run("--db", live_store, "check", "21150054251571", "--lane", args["--lane"], "--staff", args["--staff"])
    assert done.returncode == 2 and said in done.stderr
