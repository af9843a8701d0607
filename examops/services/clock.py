"""The site clock: real time, or a simulated exam morning for demos, drills and tests.

`EXAMOPS_CLOCK="2021-10-16T08:05"` starts the clock at that local time and lets
it run; the sample plan's date is in the past, so a drill needs this.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from zoneinfo import ZoneInfo


class Clock:
    def __init__(self, tz: str = "Asia/Shanghai", start_local: dt.datetime | None = None, frozen: bool = False):
        self.tz = ZoneInfo(tz)
        self._frozen = frozen
        self._offset = 0.0
        if start_local is not None:
            start = start_local.replace(tzinfo=self.tz) if start_local.tzinfo is None else start_local
            self._offset = start.timestamp() - time.time()
            self._start = start

    @classmethod
    def from_env(cls, tz: str) -> "Clock":
        raw = os.environ.get("EXAMOPS_CLOCK", "").strip()
        if not raw:
            return cls(tz)
        frozen = raw.endswith("!")
        return cls(tz, dt.datetime.fromisoformat(raw.rstrip("!")), frozen=frozen)

    def now(self) -> dt.datetime:
        """Now, aware, in UTC."""
        if self._frozen:
            return self._start.astimezone(dt.timezone.utc)
        return dt.datetime.fromtimestamp(time.time() + self._offset, dt.timezone.utc)

    def local(self, moment: dt.datetime | None = None) -> dt.datetime:
        """A moment (default now) as naive local site time, to compare with the plan."""
        return (moment or self.now()).astimezone(self.tz).replace(tzinfo=None)

    def set(self, start_local: dt.datetime, frozen: bool = True) -> None:
        start = start_local.replace(tzinfo=self.tz) if start_local.tzinfo is None else start_local
        self._start = start
        self._offset = start.timestamp() - time.time()
        self._frozen = frozen
