"""Merging events written elsewhere (an offline lane, a bundle): idempotent, chain-checked, conflicts flagged.

An event keeps the id, sequence number and hash it was sealed with; it is
only accepted where it links onto what this store already holds of its
device's chain. An admission that collides with another lane's admission is
kept, and an `admission_conflict` event flags the candidate for the chief.
"""

from __future__ import annotations

from typing import Iterable

from examops.adapters.store import Store
from examops.adapters.store.merge import MergeRefused, MergeResult, apply_chains
from examops.domain.events import ChainBreak, Event, verify_chain

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
            raise MergeRefused(f"chain broken: {breaks[0]}")
    return chains


def merge_events(store: Store, events: Iterable[Event], *, merged_by: str = "sync") -> MergeResult:
    """Merge events into `store` in one transaction; re-merging the same events changes nothing."""
    result = MergeResult()
    chains = check_chains(events)
    result.received = sum(len(c) for c in chains.values())
    return apply_chains(store, chains, result, merged_by=merged_by)
