"""Offline bundles: a device's events carried on a USB stick when there is no network at all.

A bundle is gzip'd JSON lines: a header, then every event as sealed and
signed, with its hash chain. The header names each chain's head and a digest
of the event lines, and the exporting laptop signs it: a bundle cut short, or
one whose events were swapped, is refused. Merging checks every chain and
every signature before anything is written, so an altered, forged or
incomplete bundle is refused whole and a repeated one adds nothing.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import socket
from pathlib import Path
from typing import Sequence

from examops.adapters import signing
from examops.adapters.store import Store, utc_now
from examops.adapters.store import events as event_log
from examops.domain.events import Event, canonical_json
from examops.domain.said import N_, Said, SaidError, said
from examops.locations import private_file
from examops.services.site import Site
from examops.services.sync import MergeRefused, MergeResult, merge_events, site_keys

FORMAT = "examops-bundle"
VERSION = 2  # 2: signed events and a signed header
EXPORTED_PREFIX = "bundle_exported:"


class BundleError(SaidError):
    """A bundle that cannot be read or is refused whole, in words for the chief."""


def _refused(path, reason: Said) -> BundleError:  # noqa: ANN001
    return BundleError(said(N_("{path}: refused, nothing merged: {reason}"), path=path, reason=reason))


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
        key = site.store.device_key(conn)
    lines = [json.dumps({**event.content(), "prev_hash": event.prev_hash, "hash": event.hash,
                         "signer": event.signer, "signature": event.signature}, ensure_ascii=False) for event in events]
    heads = {}
    for event in events:
        heads[event.device] = [event.device_seq, event.hash]
    header = {"format": FORMAT, "version": VERSION, "site": site.plan.site, "exam": site.plan.exam_name,
              "exported_at": utc_now(), "devices": ranges, "events": len(events), "heads": heads,
              "lines_sha256": _lines_digest(lines), "signer": key.public_b64}
    header["signature"] = key.sign(_header_message(header))
    target = Path(out)
    partial = target.with_name(target.name + ".part")
    private_file(partial)
    with gzip.open(partial, "wt", encoding="utf-8") as stream:
        stream.write(json.dumps(header, ensure_ascii=False) + "\n")
        for line in lines:
            stream.write(line + "\n")
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
        raise BundleError(said(N_("{path}: no such file"), path=path)) from None
    except (OSError, EOFError, UnicodeDecodeError) as exc:
        raise BundleError(said(N_("{path}: not a readable bundle ({error}); export it again"), path=path, error=exc)) from None
    try:
        header = json.loads(lines[0])
        if header.get("format") != FORMAT:
            raise ValueError("not an examops bundle")
        events = []
        for number, line in enumerate(lines[1:], start=2):
            data = json.loads(line)
            events.append(Event(data["id"], data["kind"], data["at"], data["device"], int(data["device_seq"]),
                                data.get("session"), data.get("ticket"), data.get("lane"), data.get("staff"),
                                data.get("payload") or {}, data["prev_hash"], data["hash"],
                                data.get("signer") or "", data.get("signature") or ""))
    except (ValueError, KeyError, IndexError, TypeError) as exc:
        raise BundleError(said(N_("{path}: damaged bundle ({error}); export it again"), path=path, error=exc)) from None
    if header.get("events") != len(events):
        raise BundleError(said(N_("{path}: the header promises {promised} events, the file holds {held}: truncated"),
                               path=path, promised=header.get("events"), held=len(events)))
    _check_header(path, header, lines[1:], events)
    return header, events


def _lines_digest(lines: Sequence[str]) -> str:
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def _header_message(header: dict) -> bytes:
    return ("examops-bundle-v2:" + canonical_json({k: v for k, v in header.items() if k != "signature"})).encode("utf-8")


def _check_header(path, header: dict, lines: Sequence[str], events: Sequence[Event]) -> None:  # noqa: ANN001
    """The exporting laptop signed the header, which names every chain's head and a digest of the events."""
    if not header.get("signature") or not header.get("signer"):
        raise _refused(path, said(N_("the bundle is not signed by the laptop that exported it (forged, or exported by an "
                                     "older examops: export it again)")))
    if not signing.verify(header["signer"], _header_message(header), header["signature"]):
        raise _refused(path, said(N_("the bundle's signature does not match its header: altered or forged")))
    if header.get("lines_sha256") != _lines_digest(lines):
        raise _refused(path, said(N_("the events do not match the signed header: cut short or altered")))
    heads = {}
    for event in events:
        heads[event.device] = [event.device_seq, event.hash]
    if heads != header.get("heads"):
        raise _refused(path, said(N_("the chains' last events are not the heads the header signed: cut short")))


def merge_bundles(site: Site, paths: Sequence[str | Path]) -> list[dict]:
    """Merge bundles one by one; each is all or nothing."""
    results = []
    for path in paths:
        header, events = read_bundle(path)
        if header.get("site") != site.plan.site:
            raise BundleError(said(N_("{path}: this bundle is from site {theirs}, not {ours}"), path=path,
                                   theirs=repr(header.get("site")), ours=repr(site.plan.site)))
        if header["signer"] not in site_keys(site.store):
            raise _refused(path, said(N_("exported by a laptop whose key {key} this site never enrolled (or revoked): enrol "
                                         "it at the chief's desk (`examops device enrol`), then merge again"),
                                      key=signing.fingerprint(header["signer"])))
        try:
            result: MergeResult = merge_events(site.store, events, merged_by="bundle")
        except MergeRefused as exc:
            raise _refused(path, exc.said) from None
        results.append({"bundle": str(path), **result.to_json()})
    return results
