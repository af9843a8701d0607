"""Merge two branches' zh_CN catalogs after a git conflict: the union of their messages, then re-extract and compile.

Usage (from the repository root, during a merge that conflicts in examops.po):
    python tools/merge_po.py
It reads "ours" and "theirs" from the git index (stages 2 and 3), keeps every translation either side has (where
both have one and they differ, the one changed since the common ancestor, stage 1),
updates the catalog against the source as examops/i18n/README.md does, and compiles the .mo.
"""

from __future__ import annotations

import io
import subprocess
import sys
import tempfile
from pathlib import Path

from babel.messages.pofile import read_po, write_po

PO = "examops/i18n/locale/zh_CN/LC_MESSAGES/examops.po"


def _stage(n: int):
    text = subprocess.run(["git", "show", f":{n}:{PO}"], capture_output=True, check=True).stdout
    return read_po(io.BytesIO(text), locale="zh_CN")


def _base():
    """The common ancestor's catalog (stage 1), or None where the file is new on both sides."""
    try:
        return _stage(1)
    except subprocess.CalledProcessError:
        return None


def main() -> int:
    ours, theirs, base = _stage(2), _stage(3), _base()
    for message in theirs:
        if not message.id:
            continue
        mine = ours.get(message.id, message.context)
        if mine is None:
            ours[message.id] = message
        elif not mine.string and message.string:
            mine.string = message.string
        elif message.string and message.string != mine.string and base is not None:
            # Both sides have the msgid with different Chinese: keep the side that changed it since the ancestor
            # (taking ours always once silently undid a fix made on the other side).
            old = base.get(message.id, message.context)
            if old is not None and old.string == mine.string:
                mine.string = message.string
    with open(PO, "wb") as out:
        write_po(out, ours, sort_output=True, omit_header=False, include_lineno=False)
    with tempfile.TemporaryDirectory() as tmp:
        pot = str(Path(tmp) / "examops.pot")
        run = [sys.executable, "-m", "babel.messages.frontend"]
        subprocess.run([*run, "extract", "-F", "examops/i18n/babel.cfg", "-k", "NP_:1c,2", "--no-location",
                        "--sort-output", "-o", pot, "examops"], check=True, capture_output=True)
        subprocess.run([*run, "update", "-i", pot, "-d", "examops/i18n/locale", "-D", "examops", "-l", "zh_CN",
                        "--no-fuzzy-matching"], check=True, capture_output=True)
        subprocess.run([*run, "compile", "-d", "examops/i18n/locale", "-D", "examops"], check=True, capture_output=True)
    missing = [m.id for m in read_po(open(PO, "rb"), locale="zh_CN") if m.id and not m.string]
    print(f"merged; {len(missing)} msgids without a translation" + (": " + "; ".join(map(str, missing[:10])) if missing else ""))
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
