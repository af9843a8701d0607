"""A photo's bytes made ready to draw in a box of terminal cells: half-blocks, Sixel or Kitty graphics.

All of it is Pillow and Rich, no Textual, so the gate runs it in a worker thread and the UI thread only
hands out finished lines. Half-blocks draw two pixels per cell (▀: upper pixel in the foreground colour,
lower in the background); Sixel and Kitty send the picture itself, fitted to the box at the terminal's
cell size in pixels. Photos reached the store through `photos import`, which refuses damaged files and
decompression bombs; decoding here still refuses an absurd size rather than trust the store.
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass

from PIL import Image
from rich.color import Color
from rich.segment import Segment
from rich.style import Style

from examops.domain.said import N_, SaidError, said

MAX_PIXELS = 50_000_000
KITTY_CHUNK = 4096
_APC, _ST = "\x1b_G", "\x1b\\"
_PLACEHOLDER = "\U0010eeee"

Rgb = tuple[int, int, int]


class PhotoUnreadable(SaidError, ValueError):
    """The bytes are not an image Pillow can decode (or one far too large to): said on the card in its language."""


@dataclass(frozen=True)
class PreparedPhoto:
    """What the widget draws: `lines` of cells (half-blocks, Kitty placeholders) and `escape` sent once."""

    method: str
    width: int  # cells
    height: int  # cells
    lines: tuple[tuple[Segment, ...], ...] = ()
    escape: str = ""  # Sixel data, or the Kitty transmission and placement
    image_id: int = 0


def decode(data: bytes, box: tuple[int, int] | None = None) -> Image.Image:
    """An RGB image from JPEG or PNG bytes; with `box` (pixels) a JPEG is decoded at a reduced scale (fast)."""
    try:
        image = Image.open(io.BytesIO(data))
        if image.width * image.height > MAX_PIXELS:
            raise PhotoUnreadable(said(N_("the photo is far too large ({width}×{height} pixels): import it again"),
                                       width=image.width, height=image.height))
        if box is not None and image.format == "JPEG":
            image.draft("RGB", box)
        image.load()
    except PhotoUnreadable:
        raise
    except Exception as exc:  # noqa: BLE001 - Pillow raises many kinds for a damaged file
        raise PhotoUnreadable(said(N_("the file is damaged or not a JPEG or PNG picture ({detail})"),
                                   detail=type(exc).__name__)) from None
    return image.convert("RGB")


def fitted(size: tuple[int, int], box: tuple[int, int]) -> tuple[int, int]:
    """The largest size with `size`'s proportions inside `box` (at least 1×1)."""
    width, height = size
    scale = min(box[0] / width, box[1] / height)
    return max(1, round(width * scale)), max(1, round(height * scale))


def halfblock(image: Image.Image, cols: int, rows: int) -> PreparedPhoto:
    """Two pixels a cell: a cell is about twice as tall as wide, so each half is square."""
    width, height = fitted(image.size, (cols, rows * 2))
    small = image.resize((width, height), Image.Resampling.LANCZOS)
    pixels = small.load()
    lines = []
    for top in range(0, height, 2):
        cells: list[Segment] = []
        for x in range(width):
            upper = pixels[x, top]
            lower = pixels[x, top + 1] if top + 1 < height else None
            style = Style(color=_color(upper), bgcolor=_color(lower) if lower else None)
            if cells and cells[-1].style == style:
                cells[-1] = Segment(cells[-1].text + "▀", style)
            else:
                cells.append(Segment("▀", style))
        lines.append(tuple(cells))
    return PreparedPhoto("halfblock", width, len(lines), tuple(lines))


def sixel(image: Image.Image, cols: int, rows: int, cell: tuple[int, int], background: Rgb) -> PreparedPhoto:
    """The picture as Sixel data, fitted to the box at the terminal's cell size (textual-image encodes)."""
    from textual_image._sixel import image_to_sixels  # Pillow only; imported here to keep app start light

    width, height = fitted(image.size, (cols * cell[0], rows * cell[1]))
    small = image.resize((width, height), Image.Resampling.LANCZOS)
    data = image_to_sixels(small, background=(*background, 1.0))
    return PreparedPhoto("sixel", -(-width // cell[0]), -(-height // cell[1]), escape=data)


def kitty(image: Image.Image, cols: int, rows: int, cell: tuple[int, int], image_id: int) -> PreparedPhoto:
    """Kitty graphics with Unicode placeholders: the picture is sent once, the cells that show it are text.

    A placeholder cell is U+10EEEE with its row and column as diacritics, coloured with the image id, so
    the image moves and disappears with the cells as Textual redraws them.
    """
    from textual_image.renderable.tgp import _NUMBER_TO_DIACRITIC as DIACRITIC

    width, height = fitted(image.size, (cols * cell[0], rows * cell[1]))
    used_cols, used_rows = -(-width // cell[0]), -(-height // cell[1])
    png = io.BytesIO()
    image.resize((width, height), Image.Resampling.LANCZOS).save(png, format="PNG")
    payload = base64.b64encode(png.getvalue()).decode("ascii")
    chunks = [payload[i:i + KITTY_CHUNK] for i in range(0, len(payload), KITTY_CHUNK)] or [""]
    escape = "".join(f"{_APC}i={image_id},f=100,q=2,m={int(n < len(chunks) - 1)};{chunk}{_ST}" if n == 0 else
                     f"{_APC}m={int(n < len(chunks) - 1)};{chunk}{_ST}" for n, chunk in enumerate(chunks))
    escape += f"{_APC}a=p,U=1,i={image_id},c={used_cols},r={used_rows},q=2{_ST}"
    style = Style(color=Color.from_rgb((image_id >> 16) & 255, (image_id >> 8) & 255, image_id & 255))
    high = chr(DIACRITIC[(image_id >> 24) & 255])
    lines = tuple((Segment("".join(f"{_PLACEHOLDER}{chr(DIACRITIC[row])}{chr(DIACRITIC[col])}{high}"
                                   for col in range(used_cols)), style),) for row in range(used_rows))
    return PreparedPhoto("kitty", used_cols, used_rows, lines, escape, image_id)


def prepare(data: bytes, method: str, cols: int, rows: int, *, cell: tuple[int, int] = (10, 20),
            background: Rgb = (0, 0, 0), image_id: int = 1) -> PreparedPhoto:
    """Decode `data` and make it ready for `method` in a box of `cols`×`rows` cells."""
    cols, rows = max(1, cols), max(1, rows)
    box = (cols, rows * 2) if method == "halfblock" else (cols * cell[0], rows * cell[1])
    image = decode(data, box)
    if method == "sixel":
        return sixel(image, cols, rows, cell, background)
    if method == "kitty":
        return kitty(image, cols, rows, cell, image_id)
    return halfblock(image, cols, rows)


def _color(rgb: Rgb) -> Color:
    return Color.from_rgb(*rgb)
