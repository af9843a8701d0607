"""Run `examops …` (or, with `--floor`, the floor app) and note the CPU spent when the first frame showing the lane
is written: `bench_gate_ui.py --part start` times it from outside, where the CPU it reads from /proc includes what
the process did after that write until the parent read it (on a loaded machine, the lane worker's start).

    python bench/first_frame_cpu.py OUT_FILE [--floor | examops arguments…]

Appends "wall_ms process_cpu_ms main_thread_cpu_ms" to OUT_FILE at that write, then runs on as usual; wall from this
script's start (after the interpreter's own start-up, the same for every variant).
"""

from __future__ import annotations

import sys
import time

STARTED = time.perf_counter()
MARK = "Lane START"
FLOOR_APP = """
from textual.app import App
from textual.widgets import Input, Static

class Floor(App):
    def compose(self):
        yield Static("Lane START · Staff bench · Session S1")
        yield Input(id="scan")
        yield Static("Ready — scan the next candidate", id="banner")

Floor().run()
"""
"""The physical floor of a lane's first frame: Textual's imports, start and one small layout, in the same run."""


def main() -> None:
    out, args = sys.argv[1], sys.argv[2:]
    import textual.drivers.linux_driver as linux_driver

    write = linux_driver.LinuxDriver.write

    noted = []

    def timed_write(self, data: str) -> None:  # noqa: ANN001
        write(self, data)
        if MARK in data and not noted:  # then on as usual: the bench quits it (exiting here loses the pty's output)
            noted.append(True)
            with open(out, "a") as file:
                file.write(f"{(time.perf_counter() - STARTED) * 1000:.1f} {time.process_time() * 1000:.1f} "
                           f"{time.thread_time() * 1000:.1f}\n")

    linux_driver.LinuxDriver.write = timed_write
    if args == ["--floor"]:
        exec(compile(FLOOR_APP, "floor", "exec"), {"__name__": "floor"})  # noqa: S102 - the bench's own floor app
        return
    sys.argv = ["examops", *args]
    from examops.cli import main as examops_main

    examops_main()


if __name__ == "__main__":
    main()
