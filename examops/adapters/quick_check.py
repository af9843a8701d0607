"""SQLite's quick check of a store file on a thread of its own, on the driver alone (no SQLAlchemy).

A lane (`examops check`, `examops gate`) begins it as soon as it knows the store's path, before the heavy
imports: SQLite reads the file without the GIL while the interpreter imports SQLAlchemy, so a one-shot
`examops check CODE` rarely waits for it. `Store.open(check_meanwhile=True)` takes the check begun for its
file (`take`) and its first write waits for the answer; a damaged store still refuses every write.
Outside the store package on purpose: importing `examops.adapters.store` imports SQLAlchemy.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from pathlib import Path

BUSY_TIMEOUT_S = 5.0
_begun: dict[str, "QuickCheck"] = {}
_lock = threading.Lock()


def sqlite_path(url: str) -> Path | None:
    """The file of a `sqlite:///` URL, or None (another database, or SQLite in memory)."""
    prefix = "sqlite:///"
    if url.startswith(prefix) and url[len(prefix):] not in ("", ":memory:"):
        return Path(url[len(prefix):])
    return None


def identity(path: Path) -> tuple[int, int] | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_dev, info.st_ino


class QuickCheck:
    """`PRAGMA quick_check` of the file at `path`, running from construction; `wait()` gives its rows."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.identity = identity(path)
        """The file it reads (device, inode): a store that opened another file at that path does not take it."""
        self._result: list[str] = []
        self._thread = threading.Thread(target=self._run, name="quick_check", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            # mode=rw: never creates a file, as the store opened after it would not either
            conn = sqlite3.connect(f"{self.path.absolute().as_uri()}?mode=rw", uri=True, timeout=BUSY_TIMEOUT_S,
                                   isolation_level=None, check_same_thread=False)
            try:
                self._result = [row[0] for row in conn.execute("PRAGMA quick_check")]
            finally:
                conn.close()
        except sqlite3.Error as exc:
            self._result = [str(exc)]

    def wait(self) -> list[str]:
        """The check's rows (["ok"] for a sound file; SQLite's error as the one row if it could not run)."""
        self._thread.join()
        return self._result


def begin(url: str) -> None:
    """Begin the quick check of the SQLite file at `url`, if there is one (nothing for a server or a missing file)."""
    path = sqlite_path(url)
    if path is None or not path.is_file():
        return
    with _lock:
        if str(path) not in _begun:
            _begun[str(path)] = QuickCheck(path)


def take(path: Path) -> QuickCheck | None:
    """The check begun for `path` (once: the caller owns it), if it still reads the file now at that path."""
    with _lock:
        check = _begun.pop(str(path), None)
    return _still_reading(check, path)


def begun_for(path: Path) -> QuickCheck | None:
    """The check begun for `path`, left for a later `take` (the one-shot lane waits for it; if it then hands the scan
    to the full path, `Store.open` takes the same check and its answer)."""
    with _lock:
        check = _begun.get(str(path))
    return _still_reading(check, path)


def _still_reading(check: QuickCheck | None, path: Path) -> QuickCheck | None:
    if check is None or check.identity is None or check.identity != identity(path):
        return None
    return check
