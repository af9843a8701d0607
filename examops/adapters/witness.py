"""Witnessed heads: the last (sequence, hash) of every device chain this laptop wrote or saw, kept beside its key.

The file lives outside the store, so deleting a chain's end, a whole chain,
or rolling the store back to a copy leaves a head the store no longer holds.
It is owner-only (like the key beside it); a lane adds a line after every
commit to a file it keeps open, so a scan pays for one small write.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Mapping

from examops.domain.said import N_, Said, said

Heads = dict[str, tuple[int, str]]


def read_heads(path: Path) -> tuple[Heads, Said | None]:
    """The heads this laptop witnessed, and a reason if the file is there but cannot be read.

    The file is JSON lines, one head per line, appended after each commit: a
    device's head is the highest sequence number any line gives it.
    """
    heads: Heads = {}
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return heads, None
    except OSError as exc:
        return heads, said(N_("the witness file {path} cannot be read ({error})"), path=path, error=exc.strerror)
    for number, line in enumerate(text.splitlines(), start=1):
        try:
            device, seq, hash_ = json.loads(line)
            seq = int(seq)
        except (ValueError, TypeError):
            if number == len(text.splitlines()) and not text.endswith("\n"):
                continue  # a line cut by a crash mid-write
            return heads, said(N_("the witness file {path}, line {number}, cannot be read: it was damaged or altered"),
                               path=path, number=number)
        if device not in heads or seq > heads[device][0]:
            heads[device] = (seq, str(hash_))
    return heads, None


class Witness:
    """One laptop's witness file for one store: heads appended, a device's head only ever moves forward."""

    COMPACT_AFTER_LINES = 20_000

    def __init__(self, path: Path):
        self.path = path
        self.heads, _ = read_heads(path)
        self._stream = None

    def record(self, seen: Mapping[str, tuple[int, str]]) -> None:
        fresh = {d: h for d, h in seen.items() if d not in self.heads or h[0] > self.heads[d][0]}
        if not fresh:
            return
        self.heads.update(fresh)
        stream = self._open()
        stream.write("".join(json.dumps([d, seq, hash_]) + "\n" for d, (seq, hash_) in fresh.items()))
        stream.flush()

    def _open(self):  # noqa: ANN202
        if self._stream is None:
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            if self.path.exists() and len(self.path.read_bytes().splitlines()) > self.COMPACT_AFTER_LINES:
                self._compact()
            fd = os.open(self.path, os.O_CREAT | os.O_APPEND | os.O_WRONLY, 0o600)
            self._stream = os.fdopen(fd, "a", encoding="utf-8")
        return self._stream

    def _compact(self) -> None:
        """One line per device, written aside and swapped in."""
        partial = self.path.with_name(self.path.name + ".part")
        fd = os.open(partial, os.O_CREAT | os.O_TRUNC | os.O_WRONLY, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write("".join(json.dumps([d, seq, h]) + "\n" for d, (seq, h) in sorted(self.heads.items())))
        os.replace(partial, self.path)
