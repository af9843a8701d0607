"""verdict.decide: the code staff chose, and the late-entry rule after the doors close."""

from __future__ import annotations

import datetime as dt

import pytest

from examops.domain.plan import Session
from examops.domain.policy import load_policy
from examops.domain.verdict import decide

S1 = Session("S1", "Paper", dt.date(2021, 10, 16), dt.time(8, 30), dt.time(11, 30), 30)
COVID = load_policy("covid-2021")
EARLY, AT_CUTOFF, AFTER = (dt.datetime(2021, 10, 16, *hm) for hm in ((8, 5), (9, 0), (9, 1)))


@pytest.mark.parametrize("now,outcome,evidence,code,action", [
    (EARLY, None, {}, "", "admit"),
    (EARLY, "", {}, "", "admit"),
    (EARLY, "admit", {}, "", "admit"),
    (AT_CUTOFF, None, {}, "", "admit"),  # the cutoff minute itself still admits
    (AFTER, None, {}, "late", "deny"),
    (EARLY, "fever", {}, "fever", "hold"),  # no reading yet
    (EARLY, "fever", {"temp1": "38.0", "temp2": "38.1"}, "fever", "isolation_room"),
    (AFTER, "fever", {"temp1": "38.0", "temp2": "38.1"}, "late", "deny"),  # too late outranks the room
    (AFTER, "wrong_site", {}, "wrong_site", "deny"),  # a denial keeps its own code
])
def test_decide(now, outcome, evidence, code, action):
    decision = decide(COVID, S1, now, outcome, evidence)
    assert (decision.code, decision.action) == (code, action)
    if code == "late":
        assert "09:00" in decision.reason
