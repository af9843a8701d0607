"""Gate with photos: scan → the card with the photo drawn, p50/p99 on a 50k-candidate store, half-blocks and Sixel.

    .venv/bin/python bench/bench_gate_photo.py [--candidates 50000] [--scans 200]

The store is bench_gate_ui's (bulk-inserted candidates and seats); photos are imported through
`photos import` for the tickets the bench scans (the look-up is by primary key, so the other
candidates' photos would not change it). Each variant runs in its own process: `ExamopsApp` headless
at 120×40, the lane confirming (the site has photos). For each scan: the keys, then Enter → the first
frame whose card shows the ticket with its photo prepared and drawn; then Enter admits and the next scan
waits until the lane is idle (a staffer looks at every card). Also the cost of preparing one photo
alone (read from bytes, fit, encode) per method, off the UI thread in the gate.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_gate_ui import CLOCK, FrameClock, _percentiles, _tickets, build_store, peak_rss_mb, write_tickets  # noqa: E402


def give_photos(db: str) -> float:
    """Import a synthetic photo for every ticket the bench scans, through the real import."""
    from examops.services.photos import import_photos
    from examops.services.site import Site
    from tests.support.photos import write_pack

    tickets = _tickets(db, 0) + _tickets(db, 1)
    site = Site.open(f"sqlite:///{db}")
    with tempfile.TemporaryDirectory(prefix="examops-bench-photos-") as folder:
        pack = write_pack(Path(folder) / "pack", tickets, size=(358, 441))
        started = time.perf_counter()
        report = import_photos(site, [pack], by="bench")
        took = time.perf_counter() - started
    assert not report.errors and report.imported
    site.close()
    return took


BATCH = {"halfblock": 0, "sixel": 1}


async def part_photo(db: str, method: str) -> dict:
    from textual import events

    from examops.services.site import Site
    from examops.tui.app import ExamopsApp
    from examops.tui.photo_terminal import PhotoTerminal
    from examops.tui.widgets.photo import PhotoView

    site = Site.open(f"sqlite:///{db}")
    app = ExamopsApp(site, mode="gate", lane="BENCH", staff="bench", lang="en", photo_terminal=PhotoTerminal(method, 10, 20))
    frames = FrameClock(app)
    async with app.run_test(size=(120, 40)) as pilot:
        await frames.until_frame(lambda: app.screen.__class__.__name__ == "GateScreen")
        gate = app.screen
        assert gate.confirming, "the site has photos: the lane must confirm"
        view = gate.query_one(PhotoView)
        latencies, cards = [], []
        for ticket in _tickets(db, BATCH[method]):  # each variant admits its own candidates
            while not gate.idle:
                await pilot.pause(0.005)
            for char in ticket:
                app._driver.send_message(events.Key(char, char))
            while gate.scan_input.value != ticket:
                await asyncio.sleep(0.0005)
            started = time.perf_counter()
            app._driver.send_message(events.Key("enter", "\r"))
            card_at = await frames.until_frame(lambda: gate.card is not None and gate.card.ticket == ticket, timeout=60)
            seen = card_at if view.state == "drawn" and view.ticket == ticket else await frames.until_frame(
                lambda: view.ticket == ticket and view.state == "drawn", timeout=60)
            cards.append(card_at - started)
            latencies.append(seen - started)
            assert gate.last_verdict.verdict == "to_confirm", gate.last_verdict
            app._driver.send_message(events.Key("enter", "\r"))
            while not (gate.last_verdict and gate.last_verdict.verdict == "admitted" and gate.idle):
                await pilot.pause(0.005)
    card = _percentiles(cards)
    return {"method": method, **_percentiles(latencies), "card_p50_ms": card["p50_ms"], "card_p99_ms": card["p99_ms"],
            "rss_mb": peak_rss_mb()}


def prepare_cost() -> dict:
    """One photo's preparation alone (the worker's part), per method, for a 358×441 registration photo."""
    from examops.tui.photo_render import prepare
    from tests.support.photos import synthetic_photo

    data = synthetic_photo("21150054251571", (358, 441))
    boxes = {"80x24": (20, 13), "120x40": (22, 14)}
    costs = {}
    for method in ("halfblock", "sixel", "kitty"):
        for name, (cols, rows) in boxes.items():
            samples, size = [], 0
            for _ in range(15):
                started = time.perf_counter()
                photo = prepare(data, method, cols, rows, cell=(10, 20))
                samples.append(time.perf_counter() - started)
                size = len(photo.escape) or sum(len(s.text) for line in photo.lines for s in line)
            costs[f"{method} {name}"] = {"median_ms": statistics.median(samples) * 1000, "max_ms": max(samples) * 1000,
                                          "size": size}
    return costs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--candidates", type=int, default=50_000)
    parser.add_argument("--scans", type=int, default=200)
    parser.add_argument("--part", choices=("halfblock", "sixel"))
    parser.add_argument("--db")
    args = parser.parse_args()
    import os

    os.environ["EXAMOPS_CLOCK"] = CLOCK
    if args.part:
        print(json.dumps(asyncio.run(part_photo(args.db, args.part))))
        return
    with tempfile.TemporaryDirectory(prefix="examops-bench-") as tmp:
        db = str(Path(tmp) / "bench.sqlite3")
        print(f"building a {args.candidates}-candidate store …", flush=True)
        print(f"  built in {build_store(Path(db), args.candidates):.1f} s")
        write_tickets(Path(db).with_suffix(".tickets.json"), args.candidates, args.scans)
        imported = give_photos(db)
        print(f"  {2 * args.scans} photos imported in {imported:.1f} s", flush=True)

        def run(part: str) -> dict:
            out = subprocess.run([sys.executable, __file__, "--part", part, "--db", db], capture_output=True, text=True,
                                 check=True)
            return json.loads(out.stdout.strip().splitlines()[-1])

        results = [run("halfblock"), run("sixel")]
    print(f"\n{args.scans} scans on {args.candidates} candidates; Enter → first frame with the card and its photo drawn")
    print(f"{'':12}{'p50':>10}{'p95':>10}{'p99':>10}{'max':>10}{'peak RSS':>10}   card alone p50/p99")
    for result in results:
        print(f"{result['method']:12}" + "".join(f" {result[k]:>6.0f} ms" for k in ("p50_ms", "p95_ms", "p99_ms", "max_ms"))
              + f"{result['rss_mb']:>7.0f} MB   {result['card_p50_ms']:.0f} / {result['card_p99_ms']:.0f} ms")
    print("\none photo prepared alone (decode, fit, encode; in the worker), 358×441 JPEG:")
    for name, cost in prepare_cost().items():
        print(f"  {name:18} median {cost['median_ms']:5.1f} ms  max {cost['max_ms']:5.1f} ms  {cost['size']:>7} characters")


if __name__ == "__main__":
    main()
