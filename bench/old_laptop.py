"""The "old laptop" profile: a benchmark's processes on one core at half its speed.

Three ways, the first that works here:

    taskset -c 0 systemd-run --scope -p CPUQuota=50% COMMAND       # where systemd runs the machine
    taskset -c 0 sh -c 'echo $$ > CGROUP/cgroup.procs; exec "$@"'   # a writable cgroup: the kernel's CPU quota
    taskset -c 0 COMMAND, throttled by `Throttle` below             # neither (no systemd, read-only cgroups)

The cgroup way makes its own group under the cpu controller, with `cpu.max` = "50000 100000" (cgroup v2) or
`cpu.cfs_quota_us` = 50000 of `cpu.cfs_period_us` = 100000 (cgroup v1): the scheduler then gives the command and
its children at most 50 ms of CPU in every 100 ms, as `systemd-run -p CPUQuota=50%` does. By hand:

    mkdir /sys/fs/cgroup/cpu/old-laptop && echo 50000 > /sys/fs/cgroup/cpu/old-laptop/cpu.cfs_quota_us
    taskset -c 0 sh -c 'echo $$ > /sys/fs/cgroup/cpu/old-laptop/cgroup.procs; exec examops gate'

`Throttle` is what `cpulimit` does: it stops the process (SIGSTOP) for half of every 20 ms period and lets it run
(SIGCONT) for the other half. It is the last resort: a Textual app re-enters its terminal mode on every SIGCONT,
so gate figures under it say more about that than about a slow laptop.
"""

from __future__ import annotations

import atexit
import contextlib
import itertools
import os
import shutil
import signal
import subprocess
import threading
import time
from pathlib import Path

PERIOD_S = 0.020
SHARE = 0.5
CFS_PERIOD_US = 100_000
_CGROUP_ROOTS = (Path("/sys/fs/cgroup"), Path("/sys/fs/cgroup/cpu"), Path("/sys/fs/cgroup/cpu,cpuacct"))
_made: list[Path] = []
_names = itertools.count()


def _systemd_scope_works() -> bool:
    if shutil.which("systemd-run") is None:
        return False
    done = subprocess.run(["systemd-run", "--scope", "--quiet", "-p", f"CPUQuota={SHARE:.0%}", "true"],
                          capture_output=True)
    return done.returncode == 0


def _quota_cgroup() -> Path | None:
    """A new cgroup holding its members to SHARE of one CPU, or None where none can be made."""
    quota = str(int(CFS_PERIOD_US * SHARE))
    for root in _CGROUP_ROOTS:
        v2 = (root / "cgroup.controllers").exists() and "cpu" in (root / "cgroup.controllers").read_text().split()
        v1 = (root / "cpu.cfs_quota_us").exists()
        if not (v2 or v1):
            continue
        group = root / f"examops-old-laptop-{os.getpid()}-{next(_names)}"
        try:
            group.mkdir()
            if v2:
                (group / "cpu.max").write_text(f"{quota} {CFS_PERIOD_US}")
            else:
                (group / "cpu.cfs_period_us").write_text(str(CFS_PERIOD_US))
                (group / "cpu.cfs_quota_us").write_text(quota)
        except OSError:
            with contextlib.suppress(OSError):
                group.rmdir()
            continue
        _made.append(group)
        return group
    return None


@atexit.register
def _remove_groups() -> None:
    for group in _made:
        with contextlib.suppress(OSError):  # still has members: the kernel removes nothing we did not empty
            group.rmdir()


def prefix() -> tuple[list[str], bool]:
    """(the command prefix, whether the caller must throttle the process itself with `Throttle`)."""
    one_core = ["taskset", "-c", "0"] if shutil.which("taskset") else []
    if _systemd_scope_works():
        return [*one_core, "systemd-run", "--scope", "--quiet", "-p", f"CPUQuota={SHARE:.0%}"], False
    group = _quota_cgroup()
    if group is not None:
        # $0 is the group's folder; the shell joins it, then becomes the command (same pid, same group).
        return [*one_core, "sh", "-c", 'echo $$ > "$0/cgroup.procs" && exec "$@"', str(group)], False
    return one_core, True


def describe() -> str:
    if _systemd_scope_works():
        how = "systemd CPUQuota=50%"
    elif (group := _quota_cgroup()) is not None:
        how = f"kernel CPU quota {SHARE:.0%} of one CPU (cgroup {group.parent})"
    else:
        how = "SIGSTOP/SIGCONT duty cycle, 50 % of every 20 ms (no systemd scope, no writable cgroup)"
    one_core = "taskset -c 0" if shutil.which("taskset") else "(no taskset)"
    return f"{one_core} + {how}"


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
