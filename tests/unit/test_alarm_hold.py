"""The alarm on screen holds the cards of scans typed before it was drawn; a later key goes on."""

from __future__ import annotations

from examops.domain.alarm_hold import AlarmHold


def test_no_alarm_holds_nothing():
    hold: AlarmHold[str] = AlarmHold()
    assert not hold.holding and not hold.holds(1.0) and hold.next() is None
    hold.shown(5.0, alarm=False)  # a plain card never holds
    assert not hold.holding and not hold.holds(1.0)


def test_a_scan_typed_before_the_alarm_was_drawn_waits_one_typed_after_goes_on():
    hold: AlarmHold[str] = AlarmHold()
    hold.shown(10.0, alarm=True)
    assert hold.holding
    assert hold.holds(9.99)  # its Enter came before the alarm's frame
    assert not hold.holds(10.0) and not hold.holds(11.0)  # a look at the alarm
    assert not hold.holds(None)  # made by a key handled just now


def test_waiting_cards_come_in_order_an_alarm_alone_a_run_of_admissions_as_its_last():
    hold: AlarmHold[str] = AlarmHold()
    hold.shown(10.0, alarm=True)
    for item, alarm in (("a1", False), ("a2", False), ("dup", True), ("a3", False)):
        hold.wait(item, alarm=alarm)
    assert hold.queued == 4
    assert hold.next() == ("a2", False, 1)  # a1 passed over, said as "1 more admitted"
    hold.shown(12.0, alarm=False)
    assert hold.holding and hold.holds(11.0)  # the duplicate still waits: this plain card holds too
    assert hold.next() == ("dup", True, 0)  # another alarm comes alone and holds again
    hold.shown(13.0, alarm=True)
    assert hold.holding and hold.queued == 1
    assert hold.next() == ("a3", False, 0)
    hold.shown(14.0, alarm=False)
    assert not hold.holding and hold.next() is None


def test_release_lets_go():
    hold: AlarmHold[str] = AlarmHold()
    hold.shown(3.0, alarm=True)
    hold.release()
    assert not hold.holding and not hold.holds(1.0)


def test_the_first_alarm_of_a_burst_rings_the_rest_of_it_do_not_a_later_one_does():
    hold: AlarmHold[str] = AlarmHold()
    assert hold.rings(1.0, alarm=True)  # nothing holds: the alarm is known now, it rings
    assert not hold.rings(1.0, alarm=False)  # a plain verdict never rings
    hold.shown(2.0, alarm=True)
    assert not hold.rings(1.5, alarm=True)  # typed before the alarm was drawn: its burst rang already
    assert hold.rings(2.5, alarm=True)  # typed after it was drawn: a new alarm, its own bell
    assert hold.rings(None, alarm=True)  # made by a key just now (Enter on a card): its own bell
    hold.release()
    assert hold.rings(1.5, alarm=True)  # once the staffer went past the alarm, any new one rings
