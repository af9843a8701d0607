"""One-typo neighbours of a typed number: what a clerk meant when one key went wrong.

A gate clerk typing a 14-digit ticket or an 18-character ID makes one slip at a
time: two neighbours swapped, one digit wrong, one left out or doubled. Every
string one such slip away is generated (a few hundred) and looked up by equality
on the indexed columns, so the roster entries one slip away are all found, on a
roster of any size, without reading it.
"""

from __future__ import annotations

from enum import IntEnum

DIGITS = "0123456789"
ID_CHARS = DIGITS + "X"


class Typo(IntEnum):
    """Which single slip turns the rostered value into the typed one; lower is likelier, shown first.

    A swap keeps every key the clerk pressed, only in the wrong order, so a rostered
    number found that way is the strongest hint; one wrong digit next; a digit
    missing or extra last (it also shifts everything after it).
    """

    SWAP = 0
    DIGIT = 1
    LENGTH = 2


def neighbours(typed: str, alphabet: str = DIGITS) -> set[str]:
    """Every string one adjacent swap, one substitution, one deletion or one insertion (from `alphabet`) away."""
    out: set[str] = set()
    for i in range(len(typed)):
        head, tail = typed[:i], typed[i + 1:]
        out.add(head + tail)
        out.update(head + ch + tail for ch in alphabet)
        if tail:
            out.add(head + tail[0] + typed[i] + tail[1:])
    for i in range(len(typed) + 1):
        out.update(typed[:i] + ch + typed[i:] for ch in alphabet)
    out.discard(typed)
    return out


def typo(typed: str, rostered: str) -> Typo | None:
    """The one slip between a rostered value and what was typed, or None when it is not one slip away."""
    if typed == rostered or not typed or not rostered:
        return None
    if len(typed) == len(rostered):
        diffs = [i for i, (a, b) in enumerate(zip(typed, rostered)) if a != b]
        if len(diffs) == 1:
            return Typo.DIGIT
        if len(diffs) == 2 and diffs[1] == diffs[0] + 1 and typed[diffs[0]] == rostered[diffs[1]] and typed[diffs[1]] == rostered[diffs[0]]:
            return Typo.SWAP
        return None
    if abs(len(typed) - len(rostered)) != 1:
        return None
    short, long_ = sorted((typed, rostered), key=len)
    cut = next((i for i, (a, b) in enumerate(zip(short, long_)) if a != b), len(short))
    return Typo.LENGTH if long_[:cut] + long_[cut + 1:] == short else None
