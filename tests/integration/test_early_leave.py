"""Leaving for good before the plan allows it: refused with the time it is allowed from, unless the chief proctor
authorises it with the PIN (a sick candidate), and then recorded as authorised early, by whom.

On main any exit was accepted at any time: before the paper started or a minute after it."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from examops.cli import main
from examops.domain.event_payloads import Left
from examops.domain.events import Kind
from examops.i18n import CHINESE, spoken
from examops.services import lookup
from examops.services.chief_record import EARLY_LEAVE, chief_record
from examops.services.exits import ExitRefused, early_leave_from, record_exit
from examops.services.gate import Lane
from tests.conftest import TEST_PIN, at_local


def timeline(site, ticket):
    with site.store.read() as conn:
        return [e.kind for e in lookup.candidate_day(conn, "S1", ticket).timeline]


def pin_refusals(site) -> int:
    with site.store.read() as conn:
        from examops.adapters.store import review_queries as rq

        return len(rq.events_of_kind(conn, Kind.PIN_REFUSED, None))


def admitted(site, index: int, when: str = "2021-10-16T08:10") -> str:
    at_local(site, when)
    ticket = site.people[index].ticket
    assert Lane(site, "A", "安检员1").check(ticket).verdict == "admitted"
    return ticket


@pytest.mark.parametrize("when", ["2021-10-16T08:20", "2021-10-16T08:31", "2021-10-16T08:59:59"])
def test_an_early_leave_before_the_allowed_time_is_refused_in_the_sites_words(seeded_site, when):
    """Before the paper starts (08:20) as after it (08:31): S1 allows it from 09:00 (late_entry_minutes, 30)."""
    ticket = admitted(seeded_site, 0)
    at_local(seeded_site, when)
    assert early_leave_from(seeded_site, "S1") == "09:00"
    with pytest.raises(ExitRefused) as refused:
        record_exit(seeded_site, ticket, session="S1", reason="提前交卷", final=True, by="监考员甲")
    assert refused.value.key == "too_early" and refused.value.allowed_from == "09:00"
    assert spoken(refused.value, CHINESE) == ("09:00 起方可提前离场；此前离场只能由总监考授权（--authorised-by 姓名，"
                                              "并提供总监考密码）")
    assert "allowed from 09:00" in str(refused.value)
    assert timeline(seeded_site, ticket) == ["admitted"]


def test_from_the_allowed_time_an_early_leave_needs_no_pin(seeded_site):
    ticket = admitted(seeded_site, 1)
    at_local(seeded_site, "2021-10-16T09:00")
    assert early_leave_from(seeded_site, "S1") is None
    done = record_exit(seeded_site, ticket, session="S1", reason="提前交卷", final=True, by="监考员甲")
    assert done.authorised_early_by is None
    assert "authorised_early_by" not in done.event.payload  # written as before: the same hash for the same leave
    assert timeline(seeded_site, ticket) == ["admitted", "left"]
    assert chief_record(seeded_site).entries == []


def test_a_temporary_leave_is_allowed_at_any_time(seeded_site):
    ticket = admitted(seeded_site, 2)
    at_local(seeded_site, "2021-10-16T08:20")  # before the paper starts
    record_exit(seeded_site, ticket, session="S1", reason="如厕", final=False, by="监考员甲")
    assert timeline(seeded_site, ticket) == ["admitted", "left"]


def test_the_chief_proctor_authorises_a_sick_candidates_early_leave_with_the_pin(seeded_site):
    ticket = admitted(seeded_site, 3)
    at_local(seeded_site, "2021-10-16T08:40")
    done = record_exit(seeded_site, ticket, session="S1", reason="突发疾病", final=True, by="监考员甲",
                       authorised_by=" 王总监 ", pin=TEST_PIN)
    assert done.authorised_early_by == "王总监"
    left = Left.from_event(done.event)
    assert (left.final, left.by, left.authorised_early_by) == (True, "监考员甲", "王总监")
    assert Lane(seeded_site, "A", "安检员1").check(ticket).verdict == "no_reentry"
    [entry] = chief_record(seeded_site).entries
    assert (entry.kind, entry.by) == (EARLY_LEAVE, "王总监")
    assert entry.detail == f"S1 {ticket} (001/4): 突发疾病"


@pytest.mark.parametrize(("authorised_by", "pin", "key"), [
    ("", TEST_PIN, "too_early"),   # a PIN without the name of who authorises it
    ("王总监", "99999999", "wrong_pin"),
    ("王总监", None, "wrong_pin"),
])
def test_an_early_leave_without_the_chiefs_authorisation_records_nothing(seeded_site, authorised_by, pin, key):
    ticket = admitted(seeded_site, 4)
    at_local(seeded_site, "2021-10-16T08:45")
    refused_before = pin_refusals(seeded_site)
    with pytest.raises(ExitRefused) as refused:
        record_exit(seeded_site, ticket, session="S1", reason="突发疾病", final=True, by="监考员甲",
                    authorised_by=authorised_by, pin=pin)
    assert refused.value.key == key
    if key == "wrong_pin":
        assert spoken(refused.value, CHINESE) == "密码错误：09:00 前提前离场只能由总监考授权（本次尝试已记录）"
        assert pin_refusals(seeded_site) == refused_before + 1
    assert timeline(seeded_site, ticket) == ["admitted"]


def test_the_cli_refuses_an_early_leave_with_a_non_zero_exit_and_records_nothing(seeded_site, store_url):
    ticket = admitted(seeded_site, 5)  # the CLI's clock: EXAMOPS_CLOCK, 08:10 (conftest)
    done = CliRunner().invoke(main, ["--db", store_url, "--lang", "zh-CN", "exit", ticket, "--reason", "提前交卷",
                                     "--final", "--by", "监考员甲"])
    assert done.exit_code != 0
    assert "起方可提前离场" in done.output and "--authorised-by" in done.output
    assert timeline(seeded_site, ticket) == ["admitted"]
    no_pin = CliRunner().invoke(main, ["--db", store_url, "exit", ticket, "--reason", "突发疾病", "--final", "--by",
                                       "监考员甲", "--authorised-by", "王总监"])  # no PIN given, no terminal to ask on
    assert no_pin.exit_code != 0 and "EXAMOPS_PIN" in no_pin.output
    assert timeline(seeded_site, ticket) == ["admitted"]
    done = CliRunner().invoke(main, ["--db", store_url, "exit", ticket, "--reason", "突发疾病", "--final", "--by",
                                     "监考员甲", "--authorised-by", "王总监", "--json"], env={"EXAMOPS_PIN": TEST_PIN})
    assert done.exit_code == 0, done.output
    assert '"authorised_early_by": "王总监"' in done.output
    assert timeline(seeded_site, ticket) == ["admitted", "left"]


def test_the_bureau_report_lists_the_authorised_early_leave_in_the_chiefs_record(seeded_site, store_url, tmp_path):
    from openpyxl import load_workbook

    ticket = admitted(seeded_site, 6)
    at_local(seeded_site, "2021-10-16T08:40")
    record_exit(seeded_site, ticket, session="S1", reason="突发疾病", final=True, by="监考员甲", authorised_by="王总监",
                pin=TEST_PIN)
    out = tmp_path / "S1.xlsx"
    done = CliRunner().invoke(main, ["--db", store_url, "report", "--session", "S1", "--out", str(out), "--lang", "zh-CN"],
                              env={"EXAMOPS_PIN": TEST_PIN})
    assert done.exit_code == 0, done.output
    rows = [tuple(v for v in row if v is not None) for sheet in load_workbook(out, read_only=True).worksheets
            for row in sheet.iter_rows(values_only=True)]
    [entry] = [row for row in rows if f"S1 {ticket} (001/7): 突发疾病" in row]
    assert "王总监" in entry and "未到规定时间提前离场，经授权（场次 准考证号（考场/座位）：原因）" in entry
    verified = CliRunner().invoke(main, ["report", "verify", str(out), "--any-key"])
    assert verified.exit_code == 0, verified.output


def test_status_says_from_when_each_session_allows_an_early_leave(seeded_site):
    from examops.services.site import status

    assert [(s["id"], s["early_leave_from"]) for s in status(seeded_site)["sessions"]] == [("S1", "09:00"), ("S2", "14:30")]
