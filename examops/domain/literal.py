"""Text from data, made safe to show: control and direction-changing characters written out.

A name, a staff name, a note or a scanned string is shown as it was given. Characters
that would act on a terminal instead of being seen (ESC and the other C0/C1 controls,
a newline inside a name) or that reorder what follows (the bidirectional overrides
such as U+202E) are written as escapes (`\\x1b`, `\\n`, `\\u202e`), so the reader sees
that they are there and nothing else on the screen changes. Markup is not this
module's business: the screens never read data as markup.
"""

from __future__ import annotations

import unicodedata

_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escaped(ch: str, keep: str) -> str:
    if ch in keep:
        return ch
    if ch in _NAMED:
        return _NAMED[ch]
    category = unicodedata.category(ch)
    if category == "Cc" or (category == "Cf" and ch not in "\u200d"):  # keep ZWJ: it joins emoji and scripts
        code = ord(ch)
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
    return ch


def shown(value: object, keep: str = "") -> str:
    """`value` as text with every control or format character escaped (except those in `keep`)."""
    if value is None:
        return ""
    text = str(value)
    if text.isprintable() and not any(unicodedata.category(ch) == "Cf" for ch in text):
        return text
    return "".join(_escaped(ch, keep) for ch in text)
