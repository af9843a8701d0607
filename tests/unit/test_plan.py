"""The exam plan: the sample parses; every malformed plan names the key and its line."""

from __future__ import annotations

import datetime as dt

import pytest

from examops.domain.plan import PlanError, parse_plan
from tests.conftest import SAMPLE_PLAN

GOOD = SAMPLE_PLAN.read_text(encoding="utf-8")


def test_sample_plan_parses():
    plan = parse_plan(GOOD)
    assert plan.site == "包头市第一中学考点"
    assert [s.id for s in plan.sessions] == ["S1", "S2"]
    assert plan.approval_levels == ("chief", "deputy", "supervisor")
    s1 = plan.session("S1")
    assert s1.entry_closes_at == dt.datetime(2021, 10, 16, 9, 0)
    assert {r.kind for r in plan.backup_rooms} == {"backup", "isolation"}
    assert plan.session_aliases()["试卷二"] == "S2"


def _line(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


@pytest.mark.parametrize("old,new,key", [
    ('start = "08:30"', 'start = "8h30"', "sessions[0].start"),
    ('date = "2021-10-16"', 'date = "16/10/2021"', "sessions[0].date"),
    ("late_entry_minutes = 30", 'late_entry_minutes = "thirty"', "sessions[0].late_entry_minutes"),
    ('capacity = 30', 'capacity = 0', "backup_rooms[0].capacity"),
    ('\nkind = "backup"', '\nkind = "spare"', "backup_rooms[0].kind"),
])
def test_bad_value_names_key_and_line(old, new, key):
    text = GOOD.replace(old, new, 1)
    with pytest.raises(PlanError) as info:
        parse_plan(text, "plan.toml")
    message = str(info.value)
    assert key in message
    assert f"line {_line(text, new.strip())}" in message


def test_session_ending_before_start_is_refused():
    with pytest.raises(PlanError, match=r"sessions\[0\].end"):
        parse_plan(GOOD.replace('end = "11:30"', 'end = "07:00"', 1))


def test_missing_site_is_named():
    with pytest.raises(PlanError, match="exam.site: missing"):
        parse_plan(GOOD.replace('site = "包头市第一中学考点"', ""))


def test_toml_syntax_error_has_a_line():
    with pytest.raises(PlanError, match="line"):
        parse_plan(GOOD + "\n[exam\n")


def test_duplicate_approval_level_is_refused():
    with pytest.raises(PlanError, match="approval.levels"):
        parse_plan(GOOD.replace('levels = ["chief", "deputy", "supervisor"]', 'levels = ["chief", "chief"]'))


def test_current_session_follows_the_clock():
    plan = parse_plan(GOOD)
    assert plan.current_session(dt.datetime(2021, 10, 16, 8, 0)).id == "S1"
    assert plan.current_session(dt.datetime(2021, 10, 16, 12, 0)).id == "S2"
    assert plan.current_session(dt.datetime(2021, 10, 16, 18, 0)).id == "S2"
