"""What a person reads in the CLI: the session named, closed sessions shown, times in site time, each verdict said once.

JSON keeps machine times (ISO 8601 with an offset); human lines never show a UTC `…Z` time.
"""

from __future__ import annotations

import json
import re

import pytest

from examops.cli.gate import _human
from examops.domain.verdict import CandidateCard, Verdict
from examops.services.clock import Clock
from tests.integration.test_cli_check import check, examops
from tests.integration.test_cli_check import cli_store as shared_cli_store  # noqa: F401 - a fixture


@pytest.fixture
def cli_store(shared_cli_store):  # noqa: ANN001, ANN201, F811 - the CLI tests' store, under its usual name
    return shared_cli_store


UTC_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z")
SITE_TIME = re.compile(r"\b08:[0-5]\d:[0-5]\d\b")  # the sample morning, 08:10 and on, in Asia/Shanghai


def human(site, *args: str, pin: bool = False):  # noqa: ANN201
    done = examops(site, *args, env={"EXAMOPS_PIN": "7392"} if pin else None)
    text = done.stdout + done.stderr
    assert not UTC_TIME.search(text), text
    assert "NOT_RECORDED" not in text and "SESSION_CLOSED" not in text, text
    return done


def test_the_check_line_names_the_session_and_says_the_first_admission_in_site_time(cli_store):
    ticket = cli_store.people[0].ticket
    admitted = human(cli_store, "check", ticket, "--lane", "A", "--staff", "甲")
    assert admitted.returncode == 0 and admitted.stdout.startswith("S1 ADMITTED at 08:1")
    again = human(cli_store, "check", ticket, "--lane", "B", "--staff", "乙")
    assert again.stdout.startswith("S1 DUPLICATE at 08:1"), again.stdout
    first_at = json.loads(check(cli_store, ticket, lane="C").stdout)["first_at"]  # JSON: the stored time, UTC
    assert first_at.endswith("Z") and f"first at {Clock('Asia/Shanghai').shown(first_at)} on lane A by 甲" in again.stdout


def test_status_shows_a_closed_session_who_when_why_and_later_refusals_say_it_in_site_time(cli_store):
    assert "CLOSED" not in human(cli_store, "status").stdout
    closed = human(cli_store, "close", "--session", "S1", "--by", "王总监", "--reason", "drill ends early", pin=True)
    assert closed.returncode == 0, closed.stderr
    assert re.match(r"session S1 closed by 王总监 at 2021-10-16 08:1\d:\d\d", closed.stdout), closed.stdout
    lines = human(cli_store, "status").stdout.splitlines()
    [s1] = [line for line in lines if line.startswith("  S1 ")]
    assert re.search(r"CLOSED by 王总监 at 2021-10-16 08:1\d:\d\d: drill ends early$", s1), s1
    assert not any("CLOSED" in line for line in lines if line.startswith("  S2 "))
    info = json.loads(examops(cli_store, "status", "--json").stdout)
    by_id = {s["id"]: s["closed"] for s in info["sessions"]}
    assert by_id["S2"] is None
    assert (by_id["S1"]["by"], by_id["S1"]["reason"]) == ("王总监", "drill ends early")
    assert re.fullmatch(r"2021-10-16T08:1\d:\d\d\+08:00", by_id["S1"]["at"]), by_id["S1"]
    assert info["now"].endswith("+08:00") and info["drill"]["clock"] == "2021-10-16T08:10"

    refused = human(cli_store, "check", cli_store.people[1].ticket, "--lane", "A", "--staff", "甲", "--session", "S1")
    assert refused.stdout.startswith(f"S1 SESSION CLOSED {cli_store.people[1].ticket}: session S1 was closed by 王总监")
    assert refused.stdout.count("NOT RECORDED") + refused.stdout.count("nothing more is recorded") == 1
    late = human(cli_store, "incident", "--session", "S1", "--room", "001", "--kind", "违纪", "--note", "n", "--by", "x")
    assert late.returncode == 2 and re.search(r"closed by 王总监 at 2021-10-16 08:1\d:\d\d", late.stderr), late.stderr


def test_the_chief_record_in_exceptions_is_in_site_time(cli_store):
    human(cli_store, "close", "--session", "S1", "--by", "王总监", "--reason", "drill", pin=True)
    granted = human(cli_store, "--override", "recorded late", "incident", "--session", "S1", "--room", "001",
                    "--kind", "违纪", "--note", "n", "--by", "x", pin=True)
    assert granted.returncode == 0, granted.stderr
    listing = human(cli_store, "exceptions").stdout
    assert re.search(r"chief's record: 2021-10-16 08:1\d:\d\d override granted by .*: recorded late", listing), listing


def test_a_verdict_that_says_it_was_not_recorded_says_it_once():
    clock = Clock("Asia/Shanghai")
    card = CandidateCard(ticket="21150054251571", name="石婷", id_number="150122200001010362", sex="F", room="001", seat=1,
                         session="S1")
    lines = [
        _human(Verdict("not_recorded", "S1", reason="the store is read-only"), clock, "21150054251571"),
        _human(Verdict("session_closed", "S1", reason="session S1 was closed by 王 at 08:05: nothing more is recorded"),
               clock, "21150054251571"),
        _human(Verdict("outside_window", "S2", card=card, reason="entry from 13:15 (NOT RECORDED: disk full)"), clock, ""),
        _human(Verdict("duplicate", "S1", card=card, first_at="2021-10-16T00:05:00.006213Z", first_lane="A",
                       first_staff="张三"), clock, ""),
    ]
    assert lines[0] == "S1 NOT RECORDED 21150054251571: the store is read-only"
    assert lines[1].startswith("S1 SESSION CLOSED 21150054251571: ") and "NOT RECORDED" not in lines[1]
    assert lines[2].count("NOT RECORDED") == 1 and lines[2].startswith("S2 OUTSIDE THE ENTRY WINDOW 21150054251571")
    assert "first at 08:05:00 on lane A by 张三" in lines[3] and lines[3].count("NOT RECORDED") == 1  # not recorded here
    assert not any(UTC_TIME.search(line) for line in lines)
