"""The CJK fonts a PDF is set in: a system TrueType font embedded when one is installed, else the CID font STSong-Light.

STSong-Light is one of the Adobe Asian fonts every PDF reader carries, so it
needs no font file (and is not embedded). An installed TrueType CJK font (glyf
outlines; reportlab cannot embed the CFF outlines of Noto Sans CJK's .ttc) is
embedded so the document looks the same everywhere. `EXAMOPS_PDF_FONT` names
one explicitly, or `cid` to use STSong-Light only.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFError, TTFont

CID_FONT = "STSong-Light"
CANDIDATES = (
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    "/usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/noto/NotoSansSC-Regular.ttf",
    "/System/Library/Fonts/PingFang.ttc",
    "C:/Windows/Fonts/simsun.ttc",
    "C:/Windows/Fonts/msyh.ttc",
)


@dataclass(frozen=True)
class Fonts:
    body: str
    bold: str
    embedded: str | None  # the file embedded, or None when only the CID font is used


def _try_ttf(path: str) -> str | None:
    name = "EO-" + Path(path).stem
    if name in pdfmetrics.getRegisteredFontNames():
        return name
    try:
        pdfmetrics.registerFont(TTFont(name, path, subfontIndex=0))
    except (TTFError, OSError, KeyError, ValueError, AssertionError):
        return None
    return name


@cache
def fonts() -> Fonts:
    """The fonts to use on this machine (looked up once)."""
    if CID_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(CID_FONT))
    wanted = os.environ.get("EXAMOPS_PDF_FONT", "")
    if wanted.lower() == "cid":
        return Fonts(CID_FONT, CID_FONT, None)
    for path in ((wanted,) if wanted else CANDIDATES):
        if path and Path(path).is_file():
            name = _try_ttf(path)
            if name:
                return Fonts(name, name, path)
    return Fonts(CID_FONT, CID_FONT, None)
