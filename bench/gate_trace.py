"""Run `examops` (or any module) with a timeline of the gate's scan → card path, for bench_gate_tmux.py --trace.

    python bench/gate_trace.py TRACE_FILE -m examops gate …
    python bench/gate_trace.py TRACE_FILE -c 'CODE'

Marks go to TRACE_FILE at exit as "seconds what" lines, seconds on the monotonic clock the parent times with
(`time.perf_counter` is CLOCK_MONOTONIC, one clock for every process), so a scan's phases line up with its send
time: the driver read the Enter, the scan field took it, the lane checked it, the verdict's handler ran, a frame was
composed and written; besides, the collector's passes, the layout passes and the side panels' recount, which may
fall inside a scan. Patches are put on what the code in use has (an old checkout may lack some).
"""

from __future__ import annotations

import atexit
import functools
import runpy
import sys
import time

MARKS: list[tuple[float, str]] = []


def mark(what: str) -> None:
    MARKS.append((time.perf_counter(), what))


def _around(owner: type, name: str, label: str, when=None) -> None:  # noqa: ANN001
    original = owner.__dict__.get(name)
    if original is None:
        return
    if getattr(original, "__code__", None) is not None and original.__code__.co_flags & 0x80:  # a coroutine function
        @functools.wraps(original)
        async def wrapped(*args, **kwargs):  # noqa: ANN202
            if when is None or when(*args, **kwargs):
                mark(label + " <")
            try:
                return await original(*args, **kwargs)
            finally:
                if when is None or when(*args, **kwargs):
                    mark(label + " >")
    else:
        @functools.wraps(original)
        def wrapped(*args, **kwargs):  # noqa: ANN202
            if when is None or when(*args, **kwargs):
                mark(label + " <")
            try:
                return original(*args, **kwargs)
            finally:
                if when is None or when(*args, **kwargs):
                    mark(label + " >")
    setattr(owner, name, wrapped)


def _trace_gc() -> None:
    """The cycle collector's passes, by generation: a pass over a big heap stops every thread."""
    import gc

    def note(phase: str, info: dict) -> None:
        mark(f"gc{info['generation']} {'<' if phase == 'start' else '>'}")

    gc.callbacks.append(note)


def install() -> None:
    from textual import _xterm_parser, app, screen

    _trace_gc()
    from textual.drivers import _writer_thread

    feed = _xterm_parser.XTermParser.feed

    def traced_feed(self, data: str):  # noqa: ANN001, ANN202
        if "\r" in data:
            mark("read enter")
        return feed(self, data)

    _xterm_parser.XTermParser.feed = traced_feed
    _around(screen.Screen, "_on_timer_update", "update")
    _around(app.App, "_display", "display")
    _around(screen.Screen, "_refresh_layout", "layout")

    run = _writer_thread.WriterThread.run

    def traced_run(self) -> None:  # noqa: ANN001
        write, flush = self._file.write, self._file.flush

        class File:
            def write(_self, text: str) -> None:  # noqa: N805
                write(text)
                mark(f"written {len(text)}")

            def flush(_self) -> None:  # noqa: N805
                flush()

        original, self._file = self._file, File()
        try:
            run(self)
        finally:
            self._file = original

    _writer_thread.WriterThread.run = traced_run
    try:
        from examops.tui.screens import gate
        from examops.tui.widgets import scan_field
    except ImportError:
        return
    _around(scan_field.ScanField, "_on_key", "enter", when=lambda self, event: event.key in ("enter", "ctrl+m"))
    _around(gate.GateScreen, "on_scan_recorded", "recorded")
    _around(gate.GateScreen, "on_panels_refreshed", "panels shown")
    _around(gate.GateScreen, "queue_request", "queued")
    from examops.services import gate_view, offline

    _around(offline.ResilientLane, "check", "check")
    original_panels = gate_view.lane_panels

    def traced_panels(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        mark("panels query <")
        try:
            return original_panels(*args, **kwargs)
        finally:
            mark("panels query >")

    gate_view.lane_panels = traced_panels


def dump(path: str) -> None:
    with open(path, "w") as out:
        out.writelines(f"{at:.6f} {what}\n" for at, what in MARKS)


def main() -> None:
    """`EXAMOPS_BENCH_PROFILE=1`: the UI thread under cProfile too, its stats written to TRACE_FILE.prof."""
    import os

    path, how, target, *rest = sys.argv[1:]
    atexit.register(dump, path)
    install()
    sys.argv = [target if how == "-m" else "-c", *rest]
    profiler = None
    if os.environ.get("EXAMOPS_BENCH_PROFILE"):
        import cProfile

        profiler = cProfile.Profile()
        atexit.register(lambda: profiler.dump_stats(path + ".prof"))
        profiler.enable()
    if how == "-m":
        runpy.run_module(target, run_name="__main__", alter_sys=True)
    else:
        exec(compile(target, "<floor>", "exec"), {"__name__": "__main__"})


if __name__ == "__main__":
    main()
