"""The "old laptop" profile: a benchmark's processes on one core at half its speed.

    taskset -c 0 systemd-run --scope -p CPUQuota=50% COMMAND      # where systemd runs the machine
    taskset -c 0 COMMAND, throttled by `Throttle` below           # elsewhere (containers, no systemd)

`Throttle` is what `cpulimit` does: it stops the process (SIGSTOP) for half of every 20 ms period and lets it run
(SIGCONT) for the other half, so the process never gets more than 50 % of the one core `taskset` leaves it. The
figures then say what a slow, shared laptop sees: a scan that needs 4 ms of CPU can wait up to 10 ms for its slice.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import threading
import time

PERIOD_S = 0.020
SHARE = 0.5


def _systemd_scope_works() -> bool:
    if shutil.which("systemd-run") is None:
        return False
    done = subprocess.run(["systemd-run", "--scope", "--quiet", "-p", f"CPUQuota={SHARE:.0%}", "true"],
                          capture_output=True)
    return done.returncode == 0


def prefix() -> tuple[list[str], bool]:
    """(the command prefix, whether the caller must throttle the process itself with `Throttle`)."""
    one_core = ["taskset", "-c", "0"] if shutil.which("taskset") else []
    if _systemd_scope_works():
        return [*one_core, "systemd-run", "--scope", "--quiet", "-p", f"CPUQuota={SHARE:.0%}"], False
    return one_core, True


def describe() -> str:
    cmd, throttled = prefix()
    how = "SIGSTOP/SIGCONT duty cycle, 50 % of every 20 ms (no systemd scope here)" if throttled else "systemd CPUQuota=50%"
    return f"{' '.join(cmd) or '(no taskset)'} + {how}"


class Throttle:
    """Hold a process to `SHARE` of a core by stopping and continuing it every period (a user-space CPU quota)."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"throttle-{pid}", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            while not self._stop.is_set():
                time.sleep(PERIOD_S * SHARE)
                os.kill(self.pid, signal.SIGSTOP)
                time.sleep(PERIOD_S * (1 - SHARE))
                os.kill(self.pid, signal.SIGCONT)
        except ProcessLookupError:
            return
        finally:
            try:
                os.kill(self.pid, signal.SIGCONT)
            except ProcessLookupError:
                pass

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()
