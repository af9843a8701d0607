"""The gate's forms: F-keys act on the code typed in the field, else the card; no passing value prefilled; focus comes back."""

from __future__ import annotations

from examops.tui.screens.gate import GateScreen
from tests.support.gate import gate_of, make_app, open_lane
from tests.support.tui import run_async, until


def form_open(app) -> bool:
    return app.screen.__class__.__name__ == "ExceptionForm"


@run_async
async def test_f8_takes_the_ticket_typed_in_the_field_not_the_previous_candidate(seeded_site):
    previous, typed = seeded_site.people[60], seeded_site.people[61]
    app = make_app(seeded_site)
    async with open_lane(app) as pilot:
        await pilot.press("ctrl+f", *previous.ticket)
        await until(pilot, lambda: [c.ticket for c in getattr(app.screen, "cards", [])] == [previous.ticket])
        await pilot.press("enter")
        await until(pilot, lambda: gate_of(app).card is not None)
        gate_of(app).scan_input.insert_text_at_cursor(typed.ticket)
        await pilot.press("f8")
        await until(pilot, lambda: form_open(app))
        assert app.screen.query_one("#form-ticket").value == typed.ticket
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, GateScreen))
        assert gate_of(app).scan_input.has_focus


@run_async
async def test_no_form_prefills_a_passing_value(seeded_site):
    app = make_app(seeded_site)
    async with open_lane(app) as pilot:
        for key in ("f7", "f8"):
            await pilot.press(key)
            await until(pilot, lambda: form_open(app))
            for field in app.screen.query("Input"):
                if field.id != "form-ticket":
                    assert field.value == ""
                    assert not any(ch.isdigit() for ch in field.placeholder), field.placeholder
            await pilot.press("escape")
            await until(pilot, lambda: isinstance(app.screen, GateScreen))
            assert gate_of(app).scan_input.has_focus


@run_async
async def test_an_unknown_id_number_is_masked_in_recent_scans(seeded_site):
    from tests.support.tui import screen_text

    stranger = "110105194912310021"  # an ID number whose check character fails, on nobody's roster entry
    app = make_app(seeded_site)
    async with open_lane(app) as pilot:
        gate_of(app).scan_input.insert_text_at_cursor(stranger)
        await pilot.press("enter")
        await until(pilot, lambda: gate_of(app).idle and gate_of(app).query_one("#recent").row_count == 1)
        await pilot.pause()
        text = screen_text(app)
        assert "110105********0021" in text
        assert stranger not in text
