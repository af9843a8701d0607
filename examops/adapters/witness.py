"""Witnessed heads: the last (sequence, hash) of every device chain this laptop wrote or saw, kept beside its key.

The file lives outside the store, so deleting a chain's end, a whole chain,
or rolling the store back to a copy leaves a head the store no longer holds.
It is written owner-only, replaced atomically, and signed by this laptop's
key so `verify` can tell it was written by examops on this laptop.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Mapping

from examops.adapters import signing
from examops.domain.events import canonical_json

Heads = dict[str, tuple[int, str]]


def _message(heads: Mapping[str, tuple[int, str]]) -> bytes:
    return ("examops-witness-v1:" + canonical_json({d: list(h) for d, h in heads.items()})).encode("utf-8")


def read_heads(path: Path) -> tuple[Heads, str | None]:
    """The heads this laptop witnessed, and a reason if the file is there but cannot be trusted."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}, None
    except (OSError, ValueError) as exc:
        return {}, f"the witness file {path} cannot be read ({exc})"
    heads = {d: (int(h[0]), str(h[1])) for d, h in (data.get("heads") or {}).items()}
    if not signing.verify(data.get("signer", ""), _message(heads), data.get("signature", "")):
        return heads, f"the witness file {path} is not signed by its laptop's key: altered"
    return heads, None


def record_heads(path: Path, seen: Mapping[str, tuple[int, str]], key) -> None:  # noqa: ANN001 - a DeviceKey
    """Merge `seen` into the witness file: a device's head only ever moves forward."""
    heads, _ = read_heads(path)
    changed = False
    for device, (seq, hash_) in seen.items():
        if device not in heads or seq > heads[device][0]:
            heads[device] = (seq, hash_)
            changed = True
    if not changed:
        return
    body = {"heads": {d: list(h) for d, h in sorted(heads.items())}, "signer": key.public_b64,
            "signature": key.sign(_message(heads))}
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    partial = path.with_name(path.name + ".part")
    fd = os.open(partial, os.O_CREAT | os.O_TRUNC | os.O_WRONLY, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(json.dumps(body, ensure_ascii=False))
    os.replace(partial, path)
