"""Several lanes, one truth: eight lane processes on one store, and other lanes' admissions seen within a second.

Each lane is a real `examops check --stdin --json` process that gets one scan
at a time and answers before the next (a scanner's rhythm), so the time from
writing a line to reading its answer is the lane's per-scan latency.
"""

from __future__ import annotations

import json
import random
import statistics
import subprocess
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

import pytest

from examops.adapters.store import schema
from examops.services.counters import session_counters
from examops.services.gate import Lane
from examops.services.live import EventWatcher
from examops.services.site import Site
from examops.tui.app import ExamopsApp
from examops.tui.screens import gate as gate_screen
from examops.tui.screens.gate import GateScreen
from tests.conftest import at_local, seed_roster
from tests.support.tui import run_async, screen_text, until
from tests.system.test_reliability import (
    PROCESS_TIMEOUT,
    WARM_UP,
    LaneProcess,
    admitted_events_per_ticket,
    count,
    examops_lane,
    verify_rc,
    wait_for,
)

FLEET = tuple(f"L{n}" for n in range(1, 9))
SCANS_PER_LANE = 2_000
ROOMS, SEATS = 200, 40  # 8,000 candidates
POOL = 6_000  # each lane draws its 2,000 from here: most tickets are scanned at two or more lanes
NOT_RECORDS = ("-", "garbage!")  # deliberate non-records: answered, never stored
UNKNOWN = "211599999999"  # on nobody's ticket: recorded as an unknown scan


@dataclass
class LaneRun:
    lane: str
    scans: list[str]
    answers: list[dict] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)
    exit_code: int | None = None
    stderr: str = ""


def lane_scans(rng: random.Random, pool: list[str]) -> list[str]:
    """2,000 lines: tickets from the shared pool, a few unknown and invalid scans among them."""
    extras = [UNKNOWN] * 10 + [NOT_RECORDS[i % 2] for i in range(10)]
    scans = rng.sample(pool, SCANS_PER_LANE - len(extras)) + extras
    rng.shuffle(scans)
    return scans


def drive(proc: subprocess.Popen, run: LaneRun, start: threading.Barrier) -> None:
    """One scan at a time: write it, wait for its answer, then the next."""
    start.wait()
    for scan in run.scans:
        sent = time.perf_counter()
        proc.stdin.write(f"{scan}\n".encode())
        proc.stdin.flush()
        answer = proc.stdout.readline()
        run.latencies.append(time.perf_counter() - sent)
        if not answer:
            return
        run.answers.append(json.loads(answer))


def run_fleet(url: str, scans: dict[str, list[str]]) -> tuple[dict[str, LaneRun], float]:
    """Start every lane, wait until each answers, then let them all scan at once; the wall time of the scanning."""
    procs = {lane: subprocess.Popen(examops_lane(url, lane), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                    stderr=subprocess.PIPE) for lane in scans}
    runs = {lane: LaneRun(lane, lane_scans) for lane, lane_scans in scans.items()}
    try:
        for proc in procs.values():
            proc.stdin.write(f"{WARM_UP}\n".encode())
            proc.stdin.flush()
        for lane, proc in procs.items():
            ready = proc.stdout.readline()
            assert ready and json.loads(ready)["verdict"] == "invalid", (lane, proc.stderr.read() if not ready else ready)
        start = threading.Barrier(len(procs) + 1)
        drivers = [threading.Thread(target=drive, args=(procs[lane], runs[lane], start)) for lane in scans]
        for driver in drivers:
            driver.start()
        start.wait()
        began = time.perf_counter()
        for driver in drivers:
            driver.join(timeout=10 * PROCESS_TIMEOUT)
        wall = time.perf_counter() - began
        for lane, proc in procs.items():
            proc.stdin.close()
            runs[lane].stderr = proc.stderr.read().decode()
            runs[lane].exit_code = proc.wait(timeout=PROCESS_TIMEOUT)
    finally:
        for proc in procs.values():
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    return runs, wall


def percentile(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


@pytest.mark.slow
def test_eight_lanes_two_thousand_scans_each_admit_every_ticket_once(site, request):
    people = seed_roster(site, n_rooms=ROOMS, seats=SEATS)
    assert len(people) >= 8_000
    url = site.store.url
    rng = random.Random(20211016)
    pool = [p.ticket for p in people[:POOL]]
    runs, wall = run_fleet(url, {lane: lane_scans(rng, pool) for lane in FLEET})

    for run in runs.values():
        assert run.exit_code == 0, (run.lane, run.stderr)
        assert "Traceback" not in run.stderr, run.stderr
        assert len(run.answers) == len(run.scans), f"lane {run.lane}: {len(run.answers)} answers to {len(run.scans)} scans"
        for scan, answer in zip(run.scans, run.answers):
            assert answer["recorded"] or answer["verdict"] == "invalid", (run.lane, scan, answer)
            assert answer["verdict"] == "invalid" if scan in NOT_RECORDS else answer["recorded"], (scan, answer)
            assert "offline" not in answer, answer  # the shared store answered throughout
    answers = [(scan, answer) for run in runs.values() for scan, answer in zip(run.scans, run.answers)]
    scanned = Counter(scan for scan, _ in answers if scan in set(pool))
    admitted = Counter(answer["ticket"] for _, answer in answers if answer["verdict"] == "admitted")
    duplicates = Counter(answer["ticket"] for _, answer in answers if answer["verdict"] == "duplicate")
    assert admitted == Counter(dict.fromkeys(scanned, 1)), "every scanned ticket admitted exactly once, at one lane"
    assert duplicates == Counter({t: n - 1 for t, n in scanned.items() if n > 1}), "every other scan of it a duplicate"
    assert sum(1 for n in scanned.values() if n > 1) > POOL // 2, "most tickets were scanned at several lanes"
    assert admitted_events_per_ticket(site, sorted(scanned)) == Counter(dict.fromkeys(scanned, 1))
    assert count(site, schema.admissions, schema.admissions.c.session_id == "S1") == len(scanned)
    rc, report = verify_rc(url)
    assert rc == 0, report

    latencies = [s for run in runs.values() for s in run.latencies]
    backend = request.node.callspec.params["store_url"]
    print(f"\n{backend}: {len(FLEET)} lanes x {SCANS_PER_LANE} scans = {len(latencies)} scans in {wall:.1f} s, "
          f"{len(latencies) / wall:.0f} scans/s; per scan p50 {percentile(latencies, 50) * 1000:.1f} ms, "
          f"p99 {percentile(latencies, 99) * 1000:.1f} ms, max {max(latencies) * 1000:.0f} ms; "
          f"{len(scanned)} tickets admitted once, {sum(duplicates.values())} duplicates")


# -- other lanes' admissions within a second -----------------------------------------

WATCH_BOUND_S = 15.0


def test_watcher_sees_another_process_admission_within_a_second(seeded_site):
    watcher = EventWatcher(seeded_site.store)
    lane = LaneProcess(seeded_site.store.url, "B")
    try:
        lane.proc.stdin.write(f"{WARM_UP}\n".encode())  # answered without touching the store: the lane is up
        lane.proc.stdin.flush()
        assert lane.first_line.wait(PROCESS_TIMEOUT), lane.finish()
        assert watcher.wait(timeout=0.2) is False, "nothing was stored yet"
        ticket = seeded_site.people[0].ticket
        lane.proc.stdin.write(f"{ticket}\n".encode())
        lane.proc.stdin.flush()
        sent = time.monotonic()
        # The bound is generous on purpose (shared CI machines); the latency itself is printed, not asserted.
        assert watcher.wait(timeout=WATCH_BOUND_S) is True
        print(f"watcher woke {1000 * (time.monotonic() - sent):.0f} ms after the scan was sent")
        with seeded_site.store.read() as conn:
            assert session_counters(conn, "S1").admitted == 1
        wait_for(lambda: len(lane.lines) == 2)
        assert lane.lines[-1]["verdict"] == "admitted"
        assert watcher.wait(timeout=0.2) is False, "one admission, one wake-up"
    finally:
        watcher.close()
        assert lane.finish() == ""


def test_gate_screen_counts_another_lanes_admission_within_a_second(seeded_site, monkeypatch):
    """Only the store watcher can refresh the figures here: the screen's periodic refresh is switched off."""
    monkeypatch.setattr(gate_screen, "PANELS_EVERY_S", 3600.0)
    gate_counts_other_lanes(seeded_site)


@run_async
async def gate_counts_other_lanes(seeded_site):
    at_local(seeded_site, "2021-10-16T08:10")
    app = ExamopsApp(seeded_site, mode="gate", lane="A", staff="staff1", lang="en")
    app.animation_level = "none"
    other = Site.open(seeded_site.store.url, check=False)
    at_local(other, "2021-10-16T08:10")
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            gate = next(s for s in app.screen_stack if isinstance(s, GateScreen))
            await until(pilot, lambda: gate.idle and "Admitted 0" in screen_text(app))
            for person in seeded_site.people[:3]:
                verdict = Lane(other, "B", "staff2").check(person.ticket, session_id="S1")
                assert verdict.verdict == "admitted"
                stored = time.monotonic()
                admitted = f"Admitted {seeded_site.people.index(person) + 1}"
                await until(pilot, lambda: admitted in screen_text(app))  # only the watcher can refresh here
                print(f"{admitted} on screen {1000 * (time.monotonic() - stored):.0f} ms after it was stored")
    finally:
        other.close()
