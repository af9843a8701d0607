"""State folded from events, and the PIN hash."""

import pytest

from examops.domain import pin
from examops.domain.events import GENESIS, Event, Kind, seal, verify_chain
from examops.domain.state import fold_day


def ev(i, kind, **payload):
    return Event(f"e{i}", kind, f"2021-10-16T00:00:0{i}.000000Z", "d", i, "S1", "t", "A", "s", payload)


def test_admission_after_hold_wins():
    day = fold_day("S1", "t", [ev(1, Kind.EXCEPTION, action="hold", code="fever"), ev(2, Kind.ADMITTED, room="001", seat=3)])
    assert (day.status, day.room, day.seat) == ("admitted", "001", 3)


def test_voided_admission_returns_to_expected_and_counts():
    day = fold_day("S1", "t", [ev(1, Kind.ADMITTED, room="001", seat=3), ev(2, Kind.VOIDED, target="e1", target_kind=Kind.ADMITTED)])
    assert day.status == "expected" and day.voided_admissions == 1


def test_held_then_denied():
    day = fold_day("S1", "t", [ev(1, Kind.EXCEPTION, action="backup_room"), ev(2, Kind.DENIED, code="late")])
    assert day.status == "denied" and day.open_exception is None


def test_chain_of_sealed_events_verifies_and_edit_breaks_it():
    chain, prev = [], GENESIS
    for i in range(1, 4):
        sealed = seal(ev(i, Kind.ADMITTED), prev)
        chain.append(sealed)
        prev = sealed.hash
    assert verify_chain(chain) == []
    from dataclasses import replace
    chain[1] = replace(chain[1], payload={"room": "999"})
    assert [b.device_seq for b in verify_chain(chain)] == [2]


def test_pin_is_salted_and_checked():
    stored = pin.hash_pin("1234")
    assert "1234" not in stored and stored != pin.hash_pin("1234")
    assert pin.verify_pin("1234", stored) and not pin.verify_pin("1235", stored)
    assert pin.pin_problem("12") is not None


@pytest.mark.parametrize("weak, code", [("123", "short"), ("0000", "repeated"), ("777777", "repeated"), ("1234", "sequence"),
                                        ("4321", "sequence"), ("56789", "sequence"), ("2580", "common")])
def test_guessable_pins_are_named(weak, code):
    assert pin.pin_problem(weak) == code


@pytest.mark.parametrize("fine", ["7392", "3917", "5820", "804613", "pass-phrase"])
def test_pins_hard_to_guess_pass(fine):
    assert pin.pin_problem(fine) is None


def test_wrong_pins_wait_longer_and_longer_after_five():
    waits = [pin.delay_after(n) for n in range(12)]
    assert waits[:5] == [0] * 5 and all(a < b for a, b in zip(waits[4:], waits[5:]))
    assert pin.delay_after(10_000) == pin.MAX_DELAY_SECONDS


def test_field_limits_are_the_store_columns():
    from examops.domain.field_limits import FieldTooLong, check_field

    check_field("staff", "张" * 120)
    with pytest.raises(FieldTooLong, match="the staff name is 121 characters long; at most 120"):
        check_field("staff", "张" * 121)


def test_a_single_admission_folds_like_any_day():
    only = ev(1, Kind.ADMITTED, room="002", seat=7)
    day = fold_day("S1", "t", [only])
    slow = fold_day("S1", "t", [only, ev(2, Kind.DUPLICATE)])  # the general path, one harmless event more
    assert (day.status, day.room, day.seat, day.admission, day.cases) == ("admitted", "002", 7, only, [])
    assert (slow.status, slow.room, slow.seat, slow.admission) == (day.status, day.room, day.seat, day.admission)


def test_a_single_admission_at_the_chiefs_desk_awaits_its_arrival_like_any_day():
    """A move of a candidate not yet in is one desk admission (no lane): the next gate scan is an arrival, not an alarm."""
    from dataclasses import replace

    only = replace(ev(1, Kind.ADMITTED, room="B01", seat=2, via="move"), lane=None)
    day = fold_day("S1", "t", [only])
    slow = fold_day("S1", "t", [only, ev(2, Kind.INCIDENT)])
    assert day.awaiting_arrival is slow.awaiting_arrival is True
