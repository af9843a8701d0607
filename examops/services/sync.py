"""Merging events written elsewhere (an offline lane, a bundle): idempotent, chain-checked, conflicts flagged.

An event keeps the id, sequence number and hash it was sealed with; it is
only accepted where it links onto what this store already holds of its
device's chain. An admission that collides with another lane's admission is
kept, and an `admission_conflict` event flags the candidate for the chief.
"""

from __future__ import annotations

from typing import Iterable

from examops.adapters import signing
from examops.adapters.store import Store
from examops.adapters.store import events as event_log
from examops.adapters.store.merge import MergeRefused, MergeResult, apply_chains
from examops.domain.events import ChainBreak, Event, signing_message, verify_chain
from examops.domain.said import N_, said
from examops.domain.signatures import enrolled_keys

__all__ = ["MergeRefused", "MergeResult", "check_chains", "merge_events"]


def _by_device(events: Iterable[Event]) -> dict[str, list[Event]]:
    chains: dict[str, list[Event]] = {}
    for event in events:
        chains.setdefault(event.device, []).append(event)
    for chain in chains.values():
        chain.sort(key=lambda e: e.device_seq)
    return chains


def check_chains(events: Iterable[Event]) -> dict[str, list[Event]]:
    """Each device's events must form an unbroken, unaltered chain segment."""
    chains = _by_device(events)
    for device, chain in chains.items():
        breaks: list[ChainBreak] = verify_chain(chain, chain[0].device_seq, chain[0].prev_hash)
        if breaks:
            raise MergeRefused(said(N_("chain broken: {problem}"), problem=breaks[0].said))
    return chains


def site_keys(store: Store) -> set[str]:
    """The device keys this store's log enrols (by the chief's desk) and has not revoked."""
    with store.read() as conn:
        return enrolled_keys(event_log.enrolment_events(conn), signing.verify)


def check_signers(store: Store, chains: dict[str, list[Event]]) -> None:
    """Every event must carry a matching signature by a key this store enrols (the chief's PIN enrolled it)."""
    enrolled = site_keys(store)
    for device, chain in chains.items():
        for event in chain:
            if not event.signature or not event.signer:
                raise MergeRefused(said(N_("event {event} of {device} (seq {seq}) is unsigned: forged, or written without a "
                                           "device key"), event=event.id, device=device, seq=event.device_seq))
            if not signing.verify(event.signer, signing_message(event.hash), event.signature):
                raise MergeRefused(said(N_("event {event} of {device} (seq {seq}): signature does not match: forged or altered"),
                                        event=event.id, device=device, seq=event.device_seq))
            if event.signer not in enrolled:
                raise MergeRefused(said(N_("{device} signs with key {key}, which this site never enrolled (or revoked): enrol "
                                           "the laptop at the chief's desk (`examops device enrol`), then merge again"),
                                        device=device, key=signing.fingerprint(event.signer)))


def merge_events(store: Store, events: Iterable[Event], *, merged_by: str = "sync") -> MergeResult:
    """Merge events into `store` in one transaction; re-merging the same events changes nothing."""
    result = MergeResult()
    chains = check_chains(events)
    check_signers(store, chains)
    result.received = sum(len(c) for c in chains.values())
    return apply_chains(store, chains, result, merged_by=merged_by)
