"""Byte-compile the code a benchmark times, as installing a package does (pip compiles a wheel's modules).

Where PYTHONDONTWRITEBYTECODE is set and nothing was compiled (a fresh checkout or worktree), every process compiles
examops from source, some 150 ms on the shared machine, while SQLAlchemy and click load from the .pyc files pip wrote:
the start-up rows would time the compiler, not the code. `compile_trees` writes the `__pycache__` files beside the
sources of each tree (ignored by git), the same for this checkout and for the baseline of `--src`.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def compile_trees(*roots: Path | None) -> None:
    for root in roots:
        if root is not None:
            subprocess.run([sys.executable, "-m", "compileall", "-q", str(Path(root) / "examops")], check=True,
                           stdout=subprocess.DEVNULL)
