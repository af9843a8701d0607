"""Synthetic registration photos for the sample site, the demo and the tests: a plain grey silhouette with the ticket
number drawn on it. No real face ever enters the repository."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Iterable

from PIL import Image, ImageDraw, ImageFont


def _font(size: int) -> ImageFont.ImageFont:
    try:
        return ImageFont.load_default(size=size)
    except TypeError:  # Pillow before 10.1 has one bitmap size
        return ImageFont.load_default()


def synthetic_photo(ticket: str, size: tuple[int, int] = (240, 320), *, fmt: str = "JPEG", shade: int = 0) -> bytes:
    """A registration-photo-shaped image: light background, grey head and shoulders, the ticket number below.

    `shade` varies the greys, so two photos of one ticket differ in their bytes (a replacement, a swap).
    """
    width, height = size
    image = Image.new("RGB", size, (226 - shade % 64, 232, 240))
    draw = ImageDraw.Draw(image)
    grey = (128 + shade % 64,) * 3
    head_w, head_h = width * 0.36, height * 0.34
    cx, top = width / 2, height * 0.14
    draw.ellipse((cx - head_w / 2, top, cx + head_w / 2, top + head_h), fill=grey)
    draw.pieslice((width * 0.08, top + head_h * 0.92, width * 0.92, top + head_h * 0.92 + height * 0.7), 180, 360, fill=grey)
    font = _font(max(10, width // 14))
    text = str(ticket)
    box = draw.textbbox((0, 0), text, font=font)
    band = height - int(height * 0.14)
    draw.rectangle((0, band, width, height), fill=(255, 255, 255))
    draw.text(((width - (box[2] - box[0])) / 2, band + (height - band - (box[3] - box[1])) / 2 - box[1]), text,
              fill=(20, 20, 20), font=font)
    out = io.BytesIO()
    image.save(out, format=fmt, **({"quality": 85} if fmt == "JPEG" else {}))
    return out.getvalue()


def write_photo_pack(folder: Path, tickets: Iterable[str], *, suffix: str = ".jpg", **photo_options) -> Path:
    """A folder of photos named by ticket, as an exam office exports them."""
    folder.mkdir(parents=True, exist_ok=True)
    fmt = "PNG" if suffix.lower() == ".png" else "JPEG"
    for ticket in tickets:
        (folder / f"{ticket}{suffix}").write_bytes(synthetic_photo(ticket, fmt=fmt, **photo_options))
    return folder
