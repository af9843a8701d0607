"""The site clock: real time, or a simulated exam morning for demos, drills and tests.

`EXAMOPS_CLOCK="2021-10-16T08:05"` starts the clock at that local time and lets it run; the sample
plan's date is in the past, so a drill needs this. Every process started with the same value on
one store shares one running drill: the first records in the store when (in real time) the drill
began, later ones continue from it, so a lane screen, a scripted `examops check` and the report
agree on what happened first. Another value starts a new drill. A value ending in `!` freezes
the clock (tests).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import time
from zoneinfo import ZoneInfo

DRILL_KEY = "drill_clock"
"""The setting holding the running drill: {"clock": the EXAMOPS_CLOCK value, "began": real Unix time it began}."""

wall_clock = time.time  # real time: what a drill's progress is measured in


class Clock:
    def __init__(self, tz: str = "Asia/Shanghai", start_local: dt.datetime | None = None, frozen: bool = False):
        self.tz = ZoneInfo(tz)
        self._frozen = frozen
        self._offset = 0.0
        self.drill: str | None = None
        """The EXAMOPS_CLOCK value of the drill this clock runs in (None on real time)."""
        self.drill_began: float | None = None
        """Real Unix time the drill began (by the first process on the store that ran it)."""
        if start_local is not None:
            self._begin(start_local, wall_clock())

    def _begin(self, start_local: dt.datetime, began: float) -> None:
        start = start_local.replace(tzinfo=self.tz) if start_local.tzinfo is None else start_local
        self._offset = start.timestamp() - began
        self._start = start
        self.drill_began = began

    @classmethod
    def from_env(cls, tz: str) -> "Clock":
        """The clock EXAMOPS_CLOCK asks for, starting now in this process (see `shared_clock` for one per store)."""
        raw = os.environ.get("EXAMOPS_CLOCK", "").strip()
        if not raw:
            return cls(tz)
        frozen = raw.endswith("!")
        clock = cls(tz, dt.datetime.fromisoformat(raw.rstrip("!")), frozen=frozen)
        clock.drill = raw
        return clock

    def now(self) -> dt.datetime:
        """Now, aware, in UTC."""
        if self._frozen:
            return self._start.astimezone(dt.timezone.utc)
        return dt.datetime.fromtimestamp(wall_clock() + self._offset, dt.timezone.utc)

    def local(self, moment: dt.datetime | None = None) -> dt.datetime:
        """A moment (default now) as naive local site time, to compare with the plan."""
        return (moment or self.now()).astimezone(self.tz).replace(tzinfo=None)

    def aware(self, at: str | dt.datetime) -> dt.datetime:
        """A stored UTC time (ISO text with 'Z', or aware) in site time, with its offset."""
        moment = dt.datetime.fromisoformat(at.replace("Z", "+00:00")) if isinstance(at, str) else at
        return moment.astimezone(self.tz)

    def shown(self, at: str | dt.datetime | None, *, date: bool = False) -> str:
        """A stored time as a person reads it: local site time, `HH:MM:SS` (`YYYY-MM-DD HH:MM:SS` with `date`)."""
        if at is None or at == "":
            return "-"
        return self.aware(at).strftime("%Y-%m-%d %H:%M:%S" if date else "%H:%M:%S")

    def set(self, start_local: dt.datetime, frozen: bool = True) -> None:
        self._begin(start_local, wall_clock())
        self._frozen = frozen


def shared_clock(store, tz: str) -> Clock:  # noqa: ANN001 - a Store
    """The EXAMOPS_CLOCK drill this store runs, joined or begun here; real time without EXAMOPS_CLOCK.

    A store that cannot be written (read-only file, server gone) still gets a running clock, begun now.
    """
    clock = Clock.from_env(tz)
    raw = clock.drill
    if raw is None or clock._frozen:
        return clock
    began = _drill_began(store, raw)
    if began is not None:
        clock._begin(clock._start, began)
    return clock


def joined_clock(tz: str, recorded: str | None) -> Clock | None:
    """`shared_clock` where the store's drill setting reads `recorded`, without a write: None when this process
    would begin the drill (it records when, so only the full path does that)."""
    clock = Clock.from_env(tz)
    if clock.drill is None or clock._frozen:
        return clock
    began = _began(recorded, clock.drill)
    if began is None:
        return None
    clock._begin(clock._start, began)
    return clock


def _drill_began(store, raw: str) -> float | None:  # noqa: ANN001
    """When the drill `raw` began on this store: as recorded, or recorded now by this first process."""
    from examops.adapters.store import IntegrityError, StoreError

    recorded = _began(store.get_setting(DRILL_KEY), raw)
    if recorded is not None:
        return recorded
    for _attempt in range(2):  # two first processes at once: one records, the other reads it back
        try:
            with store.write() as conn:
                recorded = _began(store.get_setting(DRILL_KEY, conn), raw)
                if recorded is None:
                    recorded = wall_clock()
                    store.put_setting(conn, DRILL_KEY, json.dumps({"clock": raw, "began": recorded}))
            return recorded
        except IntegrityError:
            continue
        except StoreError:
            return None
    return _began(store.get_setting(DRILL_KEY), raw)


def _began(stored: str | None, raw: str) -> float | None:
    try:
        drill = json.loads(stored) if stored else None
    except ValueError:
        return None
    if isinstance(drill, dict) and drill.get("clock") == raw and isinstance(drill.get("began"), (int, float)):
        return float(drill["began"])
    return None
