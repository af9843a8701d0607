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

from examops.adapters.excel_in.calamine_cells import limit_self, read_frames
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
    """A calamine read under way in a limited child; the parent may work meanwhile, then call ``result``.

    The child's answer comes through a pipe in frames (`calamine_cells.write_outcome`): the parent loads each
    frame while the child writes the next, instead of waiting for the child's exit and then loading it all."""

    def __init__(self, path: Path, content_bytes: int, mode: str = "calamine") -> None:
        self._errors = tempfile.TemporaryFile()
        self._limit = address_limit(content_bytes)
        self._process = subprocess.Popen(
            child_command(path, self._limit, mode), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=self._errors
        )
        _widen(self._process.stdout)

    def result(self) -> tuple[list, bool]:
        """(sheets as ``calamine_cells`` returns them, whether hidden rows were read), or ``ReaderFailed``."""
        try:
            try:
                status, value = read_frames(self._process.stdout.read, self._limit)
            except EOFError:
                status = value = None  # the child closed its end part-way: it is ending, as its status will say
            except ValueError as exc:
                self._stop()  # not an answer: the child is not waited for
                raise ReaderFailed("error", str(exc)) from exc
            returncode = self._process.wait()
            if returncode == 0 and status is not None:
                if status == "ok":
                    return value
                raise ReaderFailed(status, value)
            # Killed by the kernel, or a Rust abort on a failed allocation (SIGABRT); or ended without a word.
            self._errors.seek(0)
            raise ReaderFailed("memory", self._errors.read()[-300:].decode("utf-8", "replace"))
        finally:
            self.close()

    def _stop(self) -> int:
        """The child's exit status once it has ended (ended now if it still runs: its answer is not wanted)."""
        if self._process.poll() is None:
            self._process.kill()
        return self._process.wait()

    def close(self) -> None:
        self._stop()
        self._process.stdout.close()
        self._errors.close()


def _widen(pipe) -> None:  # noqa: ANN001 - the child's stdout
    """A 1 MiB pipe (Linux; 64 KiB by default): the child writes a frame while the parent loads the one before."""
    try:
        import fcntl

        fcntl.fcntl(pipe.fileno(), getattr(fcntl, "F_SETPIPE_SZ", 1031), PIPE_BYTES)
    except (ImportError, OSError):
        pass  # a smaller pipe only makes the child wait for the parent's reads


PIPE_BYTES = 1 << 20


__all__ = ["ChildRead", "ReaderFailed", "address_limit", "child_command", "limit_self"]
