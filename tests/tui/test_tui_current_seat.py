"""The search rows (Ctrl+F, the rooms overview) and the verdict banner show where the candidate must go now."""

from __future__ import annotations

from examops.domain.policy import load_policy
from examops.domain.verdict import CandidateCard, Placement, Verdict
from examops.i18n import set_language
from examops.tui.widgets.search import card_line
from examops.tui.widgets.verdict import describe

CARD = CandidateCard("21150054251573", "陆鸣", "150202199508286175", "M", "001", 3, "S1",
                     Placement("B01", 1, "001", 3, "reallocation"), "admitted")


def test_a_search_row_shows_the_seat_now_where_it_came_from_and_the_state():
    set_language("zh_CN")
    try:
        line = card_line(CARD).plain
    finally:
        set_language("en")
    assert "B01" in line and "原座位 001-3（调配）" in line and "已入场" in line
    assert "考场 001" not in line


def test_an_arrival_and_a_desk_admission_say_where_to_go_and_who_decided():
    policy = load_policy("covid-2021")
    arrived = describe(Verdict("arrived", "S1", card=CARD, go_room="B01", go_seat=1, recorded=True), policy, lambda at: "08:10")
    assert arrived.style == "admitted" and "B01" in arrived.subtitle
    duplicate = describe(Verdict("duplicate", "S1", card=CARD, first_via="reallocation", first_by="王总监",
                                 first_at="x", recorded=True), policy, lambda at: "08:10")
    assert "王总监" in duplicate.subtitle and "?" not in duplicate.subtitle
    outside = describe(Verdict("outside_window", "S1", card=CARD, window="other_day", opens_at="2021-10-16T07:45",
                               closes_at="2021-10-16T09:00", recorded=True), policy, lambda at: "")
    assert outside.subtitle == "S1 is on 2021-10-16, entry from 07:45"
