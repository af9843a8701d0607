"""A lane's device name: the chain its events are sealed on (free of the store, for the one-shot lane too)."""

from __future__ import annotations

import socket


def device_id(store_id: str, lane: str) -> str:
    """This machine, this store, this lane: each keeps its own hash chain.

    The store id tells apart two laptops that share a host name (and a lane
    name) when their offline bundles meet in the site store.
    """
    return f"{socket.gethostname()}.{store_id[:8]}/{lane}"
