"""How this terminal can draw a photo: Kitty graphics, Sixel, or Unicode half-blocks; asked before the app starts.

Asking a terminal what it can draw means writing a query and reading its answer from stdin, which only
works before Textual's input thread owns stdin, so `detect` runs in the CLI before the app starts and the
answer is handed to the app. tmux, screen and SSH sessions get half-blocks without asking: a multiplexer
answers for itself, not for the terminal behind it, and images over a slow link hold up the lane.
`EXAMOPS_PHOTO=kitty|sixel|halfblock` overrides the choice (a terminal that draws but does not say so).
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from typing import Mapping, TextIO

METHODS = ("kitty", "sixel", "halfblock")
DEFAULT_CELL = (10, 20)  # a VT340's cell in pixels, when the terminal does not say


@dataclass(frozen=True)
class PhotoTerminal:
    """The drawing method, the cell size in pixels (for Kitty and Sixel), and why this method."""

    method: str = "halfblock"
    cell_width: int = DEFAULT_CELL[0]
    cell_height: int = DEFAULT_CELL[1]
    why: str = "default"


def detect(env: Mapping[str, str] | None = None, stream: TextIO | None = None) -> PhotoTerminal:
    """The best method this terminal offers; call before the app starts (it may query the terminal)."""
    env = os.environ if env is None else env
    stream = sys.__stdout__ if stream is None else stream
    forced = env.get("EXAMOPS_PHOTO", "").strip().lower()
    is_tty = bool(stream) and stream.isatty()
    if forced in METHODS:
        return PhotoTerminal(forced, *(_cell_size() if is_tty else DEFAULT_CELL), f"EXAMOPS_PHOTO={forced}")
    if not is_tty:
        return PhotoTerminal(why="not a terminal")
    if env.get("TMUX") or env.get("STY") or env.get("TERM", "").startswith(("screen", "tmux")):
        return PhotoTerminal(why="inside tmux or screen")
    if env.get("SSH_CONNECTION") or env.get("SSH_TTY") or env.get("SSH_CLIENT"):
        return PhotoTerminal(why="over SSH")
    method = _probe()
    return PhotoTerminal(method, *_cell_size(), f"the terminal answered: {method}")


def _probe() -> str:
    """Ask the terminal (Sixel in its device attributes, then a Kitty graphics query); textual-image asks on import."""
    try:
        from textual_image import renderable
    except Exception:  # noqa: BLE001 - a terminal that cannot be asked draws half-blocks
        return "halfblock"
    if renderable.Image is renderable.SixelImage:
        return "sixel"
    if renderable.Image is renderable.TGPImage:
        return "kitty"
    return "halfblock"


def _cell_size() -> tuple[int, int]:
    try:
        from textual_image._terminal import get_cell_size

        size = get_cell_size()
    except Exception:  # noqa: BLE001 - a window that reports no pixel size (0 columns) gets the default
        return DEFAULT_CELL
    return (size.width, size.height) if size.width > 0 and size.height > 0 else DEFAULT_CELL
