"""An alarm stays on screen until the staffer has seen it: cards of scans typed before it wait behind.

A wedge scanner sends a burst with no gap; each scan is checked and recorded as it comes, but a card that
replaced an impersonation alarm a few milliseconds after it was drawn would hide it. So while an alarm is
on screen, the verdict of every scan whose Enter arrived before the alarm was drawn waits here (already
recorded) until a key goes on; a scan typed after the alarm was drawn is a look at it and goes on. As in
`ConfirmLine`, times are monotonic seconds: a key's arrival against the frame's.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from typing import Generic, TypeVar

ALARM_VERDICTS = ("duplicate", "denied", "not_recorded")
PASSED_OVER = ("admitted", "arrived", "returned")  # waiting behind an alarm, a run of these is shown as its last one

Item = TypeVar("Item")


@dataclass
class AlarmHold(Generic[Item]):
    """When the card that holds was drawn, and the recorded verdicts waiting behind it, in order."""

    shown_at: float | None = None
    waiting: deque[tuple[Item, bool]] = field(default_factory=deque)  # (item, is it an alarm)

    @property
    def holding(self) -> bool:
        return self.shown_at is not None

    def shown(self, at: float, *, alarm: bool) -> None:
        """A card was drawn at `at`: an alarm holds from now; so does any card while an alarm still waits."""
        self.shown_at = at if alarm or self.waiting else None

    def holds(self, key_at: float | None) -> bool:
        """The verdict of a scan whose key came at `key_at` waits: typed before the holding card was drawn.

        A request with no key time was made by a key handled just now, after the card was drawn.
        """
        return self.shown_at is not None and key_at is not None and key_at < self.shown_at

    def rings(self, key_at: float | None, *, alarm: bool) -> bool:
        """A verdict has just come: True when it rings the bell, the moment the alarm is known, whether its card is
        drawn now or waits.

        Once for a burst: an alarm whose scan was typed before the holding card was drawn is of a burst whose first
        alarm already rang and that the staffer has not gone past yet (the bells of one burst, a few milliseconds
        apart, would sound as one anyway). Drawing a waiting alarm later never rings: the staffer pressed the key.
        """
        return alarm and not self.holds(key_at)

    def wait(self, item: Item, *, alarm: bool) -> None:
        self.waiting.append((item, alarm))

    def next(self) -> tuple[Item, bool, int] | None:
        """The next card to show (item, alarm, how many plain verdicts before it were passed over).

        An alarm comes alone; a run of plain verdicts up to the next alarm is shown as its last one.
        """
        if not self.waiting:
            return None
        item, alarm = self.waiting.popleft()
        passed = 0
        while not alarm and self.waiting and not self.waiting[0][1]:
            item, alarm = self.waiting.popleft()
            passed += 1
        return item, alarm, passed

    def release(self) -> None:
        """The staffer went on and nothing waits: no card holds."""
        self.shown_at = None

    @property
    def queued(self) -> int:
        return len(self.waiting)
