"""Screening policy: presets, evidence rules, custom TOML policies."""

from __future__ import annotations

import datetime as dt

import pytest

from examops.domain.policy import PolicyError, load_policy, parse_temperature

START = dt.datetime(2021, 10, 16, 8, 30)
COVID = load_policy("covid-2021")


def test_presets_have_the_documented_codes():
    assert set(load_policy("standard").codes) == {"late", "id_mismatch", "no_id", "prohibited_item", "wrong_site", "other"}
    assert set(COVID.codes) == set(load_policy("standard").codes) | {"health_code", "fever", "no_test_cert"}
    assert all(c.zh and c.en for c in COVID.codes.values())
    keys = [c.key for c in COVID.codes.values()]
    assert len(keys) == len(set(keys))


@pytest.mark.parametrize("evidence,action", [
    ({"temp1": "37.2"}, "admit"),
    ({"temp1": "37.3"}, "hold"),
    ({"temp1": "38.0", "temp2": "37.2"}, "admit"),
    ({"temp1": "38.0", "temp2": "37.3"}, "isolation_room"),
    ({"temp1": "38.0℃", "temp2": "38.4°C"}, "isolation_room"),
])
def test_fever_second_reading_decides(evidence, action):
    assert COVID.judge("fever", evidence, START).action == action


def test_fever_needs_a_first_reading():
    decision = COVID.judge("fever", {}, START)
    assert decision.action == "hold" and decision.missing == ("temp1",)


def test_absurd_temperature_is_refused():
    with pytest.raises(PolicyError):
        COVID.judge("fever", {"temp1": "98.6"}, START)


@pytest.mark.parametrize("sampled,action", [
    ("", "backup_room"),
    ("2021-10-14 08:30", "admit"),     # exactly 48 h before the start
    ("2021-10-14 08:29", "backup_room"),
    ("2021-10-16 07:00", "admit"),
    ("2021-10-16 09:00", "backup_room"),  # after the session starts: not a valid pre-test
    ("07:00", "admit"),                   # a bare time is on the session's day
])
def test_certificate_must_be_sampled_within_48_hours_of_the_start(sampled, action):
    assert COVID.judge("no_test_cert", {"sampled_at": sampled}, START).action == action


def test_custom_policy_extends_a_preset(tmp_path):
    text = '''extends = "standard"
[codes.calculator]
zh = "违规计算器"
en = "Unapproved calculator"
action = "admit"
key = "8"
evidence = [{ key = "model", en = "Model", required = true }]
[codes.late]
zh = "迟到"
en = "Late"
action = "hold"
'''
    policy = load_policy(None, text=text)
    assert policy.code("calculator").action == "admit"
    assert policy.code("late").action == "hold"
    assert "wrong_site" in policy.codes
    assert policy.judge("calculator", {}, START).missing == ("model",)


def test_custom_policy_with_unknown_action_is_refused():
    with pytest.raises(PolicyError, match="codes.x.action"):
        load_policy(None, text='[codes.x]\naction = "shrug"\n')


def test_unknown_code_lists_the_known_ones():
    with pytest.raises(PolicyError, match="fever"):
        COVID.code("flu")


@pytest.mark.parametrize("typed,reading", [("381", 38.1), ("365", 36.5), ("38.1", 38.1), ("37", 37.0), ("38.1℃", 38.1)])
def test_a_reading_typed_without_its_point_is_tenths(typed, reading):
    """Staff type 381 for 38.1 on a numeric pad."""
    assert parse_temperature(typed) == reading


@pytest.mark.parametrize("typed", ["986", "3810", "38..1", "x"])
def test_a_reading_that_is_no_body_temperature_is_refused(typed):
    with pytest.raises(ValueError):
        parse_temperature(typed)
