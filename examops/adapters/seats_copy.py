"""A copy of the seat rows that matched the log's record, owner-only beside the laptop's key.

It proves nothing by itself: `services.seat_edits` uses it only while its rows still make the seats digest the
log recorded, and then it names which candidate's seat differs now.
"""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path


def read_copy(path: Path) -> tuple[str, list[tuple]] | None:
    """(the digest the rows made when kept, the rows), or None when there is none or it cannot be read."""
    try:
        with gzip.open(path, "rt", encoding="utf-8") as stream:
            data = json.load(stream)
        return str(data["seats_sha256"]), [tuple(row) for row in data["rows"]]
    except (OSError, ValueError, TypeError, KeyError, EOFError):
        return None


def stored_digest(path: Path) -> str | None:
    kept = read_copy(path)
    return kept[0] if kept else None


def write_copy(path: Path, digest: str, rows: list[tuple]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    partial = path.with_name(path.name + ".part")
    fd = os.open(partial, os.O_CREAT | os.O_TRUNC | os.O_WRONLY, 0o600)
    with os.fdopen(fd, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=1) as stream:
        stream.write(json.dumps({"seats_sha256": digest, "rows": [list(r) for r in rows]}).encode("utf-8"))
    os.replace(partial, path)
