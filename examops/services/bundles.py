"""Offline bundles: a device's events carried on a USB stick when there is no network at all.

A bundle is gzip'd JSON lines: a header, then every event as sealed, with its
hash chain. Merging checks every chain before anything is written, so an
altered or incomplete bundle is refused whole and a repeated one adds nothing.
"""

from __future__ import annotations

import gzip
import json
import socket
from pathlib import Path
from typing import Sequence

from examops.adapters.store import Store, utc_now
from examops.adapters.store import events as event_log
from examops.domain.events import Event
from examops.locations import private_file
from examops.services.site import Site
from examops.services.sync import MergeRefused, MergeResult, merge_events

FORMAT = "examops-bundle"
VERSION = 1
EXPORTED_PREFIX = "bundle_exported:"


class BundleError(Exception):
    pass


def _local_devices(conn, site: Site) -> list[str]:  # noqa: ANN001
    """Devices whose chains this store writes itself (this host and this store)."""
    prefix = f"{socket.gethostname()}.{site.store_id[:8]}/"
    return [d for d in event_log.devices(conn) if d.startswith(prefix)]


def export_bundle(site: Site, out: str | Path, *, everything: bool = False) -> dict:
    """Write this store's own events since its last export; remember how far it got."""
    events: list[Event] = []
    ranges = {}
    with site.store.read() as conn:
        for device in _local_devices(conn, site):
            since = 0 if everything else int(site.store.get_setting(EXPORTED_PREFIX + device, conn) or 0)
            chain = event_log.device_chain(conn, device, after_seq=since)
            if chain:
                events.extend(chain)
                ranges[device] = [chain[0].device_seq, chain[-1].device_seq]
    header = {"format": FORMAT, "version": VERSION, "site": site.plan.site, "exam": site.plan.exam_name,
              "exported_at": utc_now(), "devices": ranges, "events": len(events)}
    target = Path(out)
    partial = target.with_name(target.name + ".part")
    private_file(partial)
    with gzip.open(partial, "wt", encoding="utf-8") as stream:
        stream.write(json.dumps(header, ensure_ascii=False) + "\n")
        for event in events:
            stream.write(json.dumps({**event.content(), "prev_hash": event.prev_hash, "hash": event.hash}, ensure_ascii=False) + "\n")
    partial.replace(target)
    with site.store.write() as conn:
        for device, (_, last) in ranges.items():
            Store.put_setting(conn, EXPORTED_PREFIX + device, str(last))
    return {"out": str(target), **header}


def read_bundle(path: str | Path) -> tuple[dict, list[Event]]:
    try:
        with gzip.open(path, "rt", encoding="utf-8") as stream:
            lines = stream.read().splitlines()
    except FileNotFoundError:
        raise BundleError(f"{path}: no such file") from None
    except (OSError, EOFError, UnicodeDecodeError) as exc:
        raise BundleError(f"{path}: not a readable bundle ({exc}); export it again") from None
    try:
        header = json.loads(lines[0])
        if header.get("format") != FORMAT:
            raise ValueError("not an examops bundle")
        events = []
        for number, line in enumerate(lines[1:], start=2):
            data = json.loads(line)
            events.append(Event(data["id"], data["kind"], data["at"], data["device"], int(data["device_seq"]),
                                data.get("session"), data.get("ticket"), data.get("lane"), data.get("staff"),
                                data.get("payload") or {}, data["prev_hash"], data["hash"]))
    except (ValueError, KeyError, IndexError, TypeError) as exc:
        raise BundleError(f"{path}: damaged bundle ({exc}); export it again") from None
    if header.get("events") != len(events):
        raise BundleError(f"{path}: the header promises {header.get('events')} events, the file holds {len(events)}: truncated")
    return header, events


def merge_bundles(site: Site, paths: Sequence[str | Path]) -> list[dict]:
    """Merge bundles one by one; each is all or nothing."""
    results = []
    for path in paths:
        header, events = read_bundle(path)
        if header.get("site") != site.plan.site:
            raise BundleError(f"{path}: this bundle is from site {header.get('site')!r}, not {site.plan.site!r}")
        try:
            result: MergeResult = merge_events(site.store, events, merged_by="bundle")
        except MergeRefused as exc:
            raise BundleError(f"{path}: refused, nothing merged: {exc}") from None
        results.append({"bundle": str(path), **result.to_json()})
    return results
