"""The verified mark: how far this laptop last verified a store's event log, and a digest of that prefix as stored.

Kept beside the laptop's key and witness file (owner-only, outside the store): an insider who can edit the store
cannot move the mark to cover an edit. `examops verify` writes it after a clean run; the cheap tamper check
(`services.tamper_check`) moves it on after it has verified the events written since.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class VerifiedMark:
    pos: int
    """The last event (by the store's `pos`) verified."""
    rows: int
    """How many events the store held up to `pos`."""
    events_sha256: str
    """`row_digests.events_digest` of those events, every column as stored."""
    heads: dict[str, tuple[int, str]] = field(default_factory=dict)
    """Each device's last verified (seq, hash)."""
    plan_set: str = ""
    """The id of the log's last record of the tables (PLAN_SET) they were verified against."""
    roster_sha256: str = ""
    """`row_digests.roster_digest` of the candidates and seats when they matched that record."""
    file_state: list | None = None
    """`Store.file_state` before that check read the store: while it is the same, no byte of the store was written."""


def read_mark(path: Path) -> VerifiedMark | None:
    """The mark, or None when there is none or it cannot be read (the check then verifies everything)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        data["heads"] = {str(d): (int(seq), str(h)) for d, (seq, h) in data.get("heads", {}).items()}
        return VerifiedMark(**data)
    except (OSError, ValueError, TypeError, KeyError):
        return None


def write_mark(path: Path, mark: VerifiedMark) -> None:
    """Written aside and swapped in, owner-only: a crash leaves the old mark or the new, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    partial = path.with_name(path.name + ".part")
    fd = os.open(partial, os.O_CREAT | os.O_TRUNC | os.O_WRONLY, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump(asdict(mark), out)
    os.replace(partial, path)
