"""Every dialog opens where the eye is: centred, inside an 80×24 terminal, with all of its content showing.

Each modal screen of examops.tui is opened over the lane screen, in both languages,
with the most it holds (the fever form's four fields, a full search, twelve moves).
The F2 roster import dialog is left to its own change (it is being reworked).
"""

from __future__ import annotations

import base64
import datetime as dt

import pytest

from examops.domain.reallocation import AllocationPlan, Move
from examops.domain.signed_message import qr_payload
from examops.tui.app import ExamopsApp
from examops.tui.messages import ReportBuilt
from examops.tui.screens.report import ReportQRCode, qr_blocks
from examops.tui.widgets.exception_form import CodePicker, ExceptionForm
from examops.tui.widgets.exit_form import EarlyLeaveAuthorisation, ExitForm
from examops.tui.widgets.pin_modal import PinModal
from examops.tui.widgets.review_forms import ReallocationPreview, approve_form, decision_form, documents_form, room_form
from examops.tui.widgets.search import SearchModal
from tests.conftest import at_local
from tests.support.tui import run_async, store_url, until  # noqa: F401 (store_url is a fixture)

SMALL = (80, 24)


def _built() -> ReportBuilt:
    payload = qr_payload(":".join(["a1b2"] * 8), base64.b64encode(bytes(64)).decode(), "f" * 64)
    return ReportBuilt("/home/chief/examops/reports/S1_2021-10-16_bureau_report.xlsx", ":".join(["a1b2"] * 8), "f" * 64,
                       payload, qr_blocks(payload))


def _plan() -> AllocationPlan:
    return AllocationPlan([Move(f"case-{n}", f"211500542515{n:02d}", "欧阳明月", f"{n:03d}", n, "B01", n) for n in range(1, 13)])


DIALOGS = {
    "pin": lambda site: PinModal("seat 12 candidate(s) in backup/isolation rooms"),
    "approval": lambda site: approve_form(12, "supervisor", "省督导组 赵组长", "王总监"),
    "reject": lambda site: decision_form("reject", 3, "王总监"),
    "resolve": lambda site: decision_form("resolve", 3, "王总监"),
    "room": lambda site: room_form("backup", ("backup", "isolation")),
    "documents": lambda site: documents_form("/home/chief/.local/share/examops/documents/S1"),
    "preview": lambda site: ReallocationPreview(_plan(), str),
    "fever form": lambda site: ExceptionForm(site.policy.codes["fever"], "21150054251571", dt.date(2021, 10, 16)),
    "codes": lambda site: CodePicker(site.policy),
    "search": lambda site: SearchModal(site, "S1"),
    "report QR": lambda site: _built(),
    "early leave": lambda site: ExitForm("21150054251571", final=True, about="欧阳明月 · 21150054251571",
                                         early_from="2021-10-17 09:00"),
    "early leave PIN": lambda site: EarlyLeaveAuthorisation("2021-10-17 09:00", "欧阳明月 · 21150054251571"),
}


def _inside(inner, outer) -> bool:
    return outer.x <= inner.x and outer.y <= inner.y and inner.right <= outer.right and inner.bottom <= outer.bottom


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
@pytest.mark.parametrize("name", list(DIALOGS))
@run_async
async def test_every_dialog_is_centred_and_whole_at_80x24(seeded_site, name, lang):
    at_local(seeded_site, "2021-10-16T08:10")
    app = ExamopsApp(seeded_site, mode="gate", lane="A", staff="安检员1", lang=lang)
    app.animation_level = "none"
    async with app.run_test(size=SMALL) as pilot:
        await until(pilot, lambda: app.screen.__class__.__name__ == "GateScreen")
        made = DIALOGS[name](seeded_site)
        dialog = ReportQRCode(made) if isinstance(made, ReportBuilt) else made
        app.push_screen(dialog)
        await until(pilot, lambda: app.screen is dialog)
        if name == "search":
            await pilot.press(*seeded_site.people[0].ticket[:9])  # the most results a search shows
            await until(pilot, lambda: len(dialog.cards) == dialog.limit)
        await pilot.pause()
        await pilot.pause()
        box = dialog.children[0]
        screen = app.screen.region
        assert _inside(box.region, screen), f"{name}: {box.region} is not inside {screen}"
        left, right = box.region.x, screen.right - box.region.right
        top, bottom = box.region.y, screen.bottom - box.region.bottom
        assert abs(left - right) <= 1 and abs(top - bottom) <= 1, f"{name} is not centred: {box.region}"
        for widget in box.query("*"):
            if widget.display and widget.region.area:
                assert _inside(widget.region, box.region), f"{name}: {widget!r} at {widget.region} is cut off"
        for widget in box.query("Input, Select, DataTable, OptionList"):
            if widget.display:
                assert widget.region.area, f"{name}: {widget!r} is not on screen"
