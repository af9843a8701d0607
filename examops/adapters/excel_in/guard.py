"""Run the cell readers (calamine, xlrd) in a child process with an address-space limit.

Calamine is Rust: a malformed file can make it panic (an exception that is not
an ``Exception``) or allocate without bound, and an allocation failure aborts
the whole process. In a child, a panic is reported back and an abort or a
memory limit only ends the child; the importer stays up and refuses the file.
The child is a fresh interpreter (not a fork: the TUI imports from a worker thread).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from examops.adapters.excel_in.calamine_cells import limit_self, read_outcome
from examops.adapters.excel_in.content import MIB

# Room for the interpreter and its libraries (the 50k roster reads within 512 MiB + 12 x 19 MB) and a
# multiple of what a roster can hold; RLIMIT_AS counts reserved, not touched, memory.
BASE_ADDRESS_SPACE = 512 * MIB
PER_CONTENT_BYTE = 12


class ReaderFailed(Exception):
    """The reader refused the file, panicked or ran out of its memory allowance."""

    def __init__(self, kind: str, detail: str) -> None:
        super().__init__(detail)
        self.kind = kind  # "password", "error", "panic", "memory"
        self.detail = detail


def address_limit(content_bytes: int) -> int:
    return BASE_ADDRESS_SPACE + PER_CONTENT_BYTE * content_bytes


def child_command(path: Path, limit: int, mode: str) -> list[str]:
    """The reader child runs this very examops's `calamine_cells.py` as a script, on this process's module path
    without `site` (`-S`: no .pth file, no editable finder, ~30 ms of a bare start) and without the working
    directory (`-P`, and it is left out of the path given: a folder named `examops` where the clerk stands would
    otherwise be imported in its place); the package's own root comes first. Run as a file, not as a module of
    `excel_in`, it imports neither that package nor anything but calamine for an .xlsx."""
    here = Path(__file__).resolve().parent
    root = str(here.parents[2])
    script = str(here / "calamine_cells.py")
    path_entries = [root, *(p for p in sys.path if p != root and os.path.exists(p) and not _is_working_directory(p))]
    code = f"import sys; sys.path[:] = {path_entries!r}; import runpy; runpy.run_path({script!r}, run_name='__main__')"
    return [sys.executable, "-S", "-P", "-c", code, str(path), str(limit), mode]


def _is_working_directory(entry: str) -> bool:
    try:
        return os.path.samefile(entry, os.curdir)
    except OSError:
        return False


class ChildRead:
    """A calamine read under way in a limited child; the parent may work meanwhile, then call ``result``."""

    def __init__(self, path: Path, content_bytes: int, mode: str = "calamine") -> None:
        self._output = tempfile.TemporaryFile()
        self._errors = tempfile.TemporaryFile()
        self._process = subprocess.Popen(
            child_command(path, address_limit(content_bytes), mode), stdin=subprocess.DEVNULL, stdout=self._output, stderr=self._errors
        )

    def result(self) -> tuple[list, bool]:
        """(sheets as ``calamine_cells`` returns them, whether hidden rows were read), or ``ReaderFailed``."""
        try:
            returncode = self._process.wait()
            self._output.seek(0)
            payload = self._output.read()
            if returncode == 0 and payload:
                status, value = read_outcome(payload)
                if status == "ok":
                    return value
                raise ReaderFailed(status, value)
            # Killed by the kernel, or a Rust abort on a failed allocation (SIGABRT).
            self._errors.seek(0)
            raise ReaderFailed("memory", self._errors.read()[-300:].decode("utf-8", "replace"))
        finally:
            self.close()

    def close(self) -> None:
        if self._process.poll() is None:
            self._process.kill()
            self._process.wait()
        self._output.close()
        self._errors.close()


__all__ = ["ChildRead", "ReaderFailed", "address_limit", "child_command", "limit_self"]
