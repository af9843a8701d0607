"""Confirming before admission: the candidate on the card waits for the staffer, later scans wait behind.

When the site has photos the staffer compares the face with the photo before anyone is admitted. Only one
candidate waits at a time; scans made meanwhile are held in the order they came and checked one by one
after the waiting card is settled, so no scan, however fast, admits the candidate on the card. A key press
confirms only the card that was on screen when the key arrived: an Enter typed before the next card was
drawn is not a look at that card.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from typing import Generic, TypeVar

CONFIRM_MODES = ("always", "photo", "never")

Request = TypeVar("Request")


def confirms(mode: str, site_has_photos: bool) -> bool:
    """Whether a lane in `mode` waits for the staffer before admitting (`photo`: only where there are photos)."""
    if mode not in CONFIRM_MODES:
        raise ValueError(f"confirm mode must be one of {', '.join(CONFIRM_MODES)}, got {mode!r}")
    return mode == "always" or (mode == "photo" and site_has_photos)


@dataclass
class ConfirmLine(Generic[Request]):
    """The request whose card waits for the staffer, when it was shown, and the scans held behind it."""

    waiting: Request | None = None
    shown_at: float | None = None
    held: deque[Request] = field(default_factory=deque)

    def wait_for(self, request: Request, shown_at: float) -> None:
        """`request`'s card is on screen from `shown_at` (monotonic seconds) until it is settled."""
        self.waiting, self.shown_at = request, shown_at

    def confirms(self, key_at: float) -> bool:
        """A key that arrived at `key_at` settles the waiting card only if that card was already on screen."""
        return self.waiting is not None and self.shown_at is not None and key_at >= self.shown_at

    def settle(self) -> Request | None:
        """The waiting card is done with (admitted, referred, set aside): return it and wait for nobody."""
        request, self.waiting, self.shown_at = self.waiting, None, None
        return request

    def hold(self, request: Request) -> None:
        self.held.append(request)

    def next_held(self) -> Request | None:
        return self.held.popleft() if self.held else None

    @property
    def queued(self) -> int:
        """Scans held behind the waiting card (shown on screen)."""
        return len(self.held)
