"""Chinese typed into a form, then Tab or Enter at once: the keys land in order, in the field they were meant for.

An input method hands the terminal a whole word at once, and a quick hand presses
Tab before the screen has caught up; the terminal then delivers the word, the Tab
and the next word in one read. Here the keys go to the app the way the terminal
driver posts them, all at once with no pause between, and the form's answer is read.
"""

from __future__ import annotations

import datetime as dt

import pytest
from textual import events

from examops.tui.app import ExamopsApp
from examops.tui.widgets.exception_form import ExceptionForm
from examops.tui.widgets.review_forms import approve_form, decision_form, documents_form, room_form
from tests.conftest import at_local
from tests.support.tui import run_async, store_url, until  # noqa: F401 (store_url is a fixture)

TAB, BACKTAB, ENTER = "\t", "\x1b[Z", "\r"
_KEYS = {TAB: ("tab", "\t"), BACKTAB: ("shift+tab", None), ENTER: ("enter", "\r"), " ": ("space", " ")}


def burst(app, *parts: str) -> None:
    """Post every key of `parts` to the app back to back, as the terminal driver does with one read."""
    for part in parts:
        for ch in [part] if part in _KEYS else part:
            key, character = _KEYS.get(ch, (ch, ch))
            app.post_message(events.Key(key, character))


async def answer_of(site, form, *parts: str):
    """Open `form` over the lane screen, type `parts` in one burst and return what the form answered."""
    at_local(site, "2021-10-16T08:10")
    app = ExamopsApp(site, mode="gate", lane="A", staff="安检员1", lang="zh-CN")
    app.animation_level = "none"
    answers = []
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: app.screen.__class__.__name__ == "GateScreen")
        app.push_screen(form, answers.append)
        await until(pilot, lambda: app.screen is form and form.focused is not None)
        burst(app, *parts)
        await until(pilot, lambda: bool(answers))
    return answers[0]


CASES = {
    "approval": (lambda: approve_form(3, "省督导组", "", "王总监"), ("省督导组 赵组长", TAB, "电话批准", ENTER),
                 {"by": "省督导组 赵组长", "note": "电话批准", "recorded_by": "王总监"}),
    "approval, every field": (lambda: approve_form(3, "省督导组", "", ""), ("赵组长", TAB, "电话批准", TAB, "王总监", ENTER),
                              {"by": "赵组长", "note": "电话批准", "recorded_by": "王总监"}),
    "reject": (lambda: decision_form("reject", 1, "王总监"), (BACKTAB, "李副总", TAB, "证件与本人不符", ENTER),
               {"by": "李副总", "reason": "证件与本人不符"}),
    "resolve": (lambda: decision_form("resolve", 1, "王总监"), ("证明已送达", ENTER), {"by": "王总监", "note": "证明已送达"}),
    "room": (lambda: room_form("backup", ("backup", "isolation")), ("B02", TAB, "备用考场二", TAB, TAB, ENTER),
             {"room": "B02", "name": "备用考场二", "kind": "backup", "capacity": "30"}),
    "documents": (lambda: documents_form("/tmp/x"), ("考场文书", ENTER), {"out": "考场文书"}),
}


@pytest.mark.parametrize("case", list(CASES))
@run_async
async def test_chinese_then_tab_or_enter_at_once_fills_each_field(site, case):
    make_form, keys, expected = CASES[case]
    assert await answer_of(site, make_form(), *keys) == expected


@run_async
async def test_chinese_then_tab_at_once_in_the_gate_exception_form(site):
    code = site.policy.codes["prohibited_item"]
    form = ExceptionForm(code, "21150054251571", dt.date(2021, 10, 16))
    filled = await answer_of(site, form, "手机", TAB, "交门口保管", ENTER)
    assert (filled.ticket, filled.code, filled.evidence) == ("21150054251571", "prohibited_item",
                                                             {"item": "手机", "note": "交门口保管"})
