"""--help laid out in display cells: a Chinese character takes two columns of the terminal, and a line may break between
two of them (never before a closing mark such as ，。）, never after an opening one such as （).

click counts characters and breaks only at spaces, so a Chinese help line ran twice the terminal's width. Text of
narrow characters only is left to click, so English help is laid out exactly as click does it.
"""

from __future__ import annotations

import re
import unicodedata

import click

from examops.i18n import _

CLOSING = frozenset("，。、；：！？）》」』】〕〉”’,.;:!?)]}>%…/")
"""Marks that never begin a line: they stay with the character before them."""
OPENING = frozenset("（《「『【〔〈“‘([{<")
"""Marks that never end a line: they stay with the character after them."""
CLAUSE_ENDS = "，；：、"
ELLIPSIS = "..."  # click's, and of unambiguous width (… is one cell or two depending on the terminal)
_BRACKETED = re.compile(r"\[[^\[\]\s]{1,24}\]|.", re.DOTALL)  # a short bracket is one piece, else a character


def cells(text: str) -> int:
    """Columns `text` takes on a terminal: East Asian wide and full-width characters two, combining marks none."""
    if text.isascii():
        return len(text)
    return sum(0 if unicodedata.combining(ch) else 2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _kind(ch: str) -> str:
    if ch.isspace():
        return "space"
    return "wide" if unicodedata.east_asian_width(ch) in "WF" else "narrow"


def chunks(text: str) -> list[str]:
    """The pieces a line may break between: a run of spaces, a word of narrow characters, one wide character, a short
    bracket without spaces ([默认：photo], [必填]); a closing mark joins the piece before it, an opening mark the piece
    after it."""
    pieces: list[list[str]] = []  # [kind of the piece's end, text]
    for token in _BRACKETED.findall(text):
        kind = "bracket" if len(token) > 1 else _kind(token)
        last = pieces[-1] if pieces else None
        if last is not None and (token in CLOSING and last[0] != "space" or last[1][-1] in OPENING and kind != "space"
                                 or kind == last[0] and kind in ("space", "narrow")):
            last[0], last[1] = kind, last[1] + token
        else:
            pieces.append([kind, token])
    return [piece for _kind_, piece in pieces]


def wrap(text: str, width: int, initial_indent: str = "", subsequent_indent: str = "") -> list[str]:
    """`text` (one paragraph) as lines of at most `width` cells, indents included; a piece wider than a line is cut."""
    lines: list[str] = []
    line, used = initial_indent, cells(initial_indent)
    empty = True  # nothing but the indent on the line yet

    def new_line() -> None:
        nonlocal line, used, empty
        lines.append(line.rstrip())
        line, used, empty = subsequent_indent, cells(subsequent_indent), True

    for piece in chunks(text):
        size = cells(piece)
        if piece.isspace():
            if not empty:
                line, used = line + piece, used + size
            continue
        if used + size > width and not empty:
            new_line()
        while used + size > width and len(piece) > 1:  # wider than a whole line: cut it where the line ends
            cut = _fitting(piece, width - used)
            line, used, empty = line + piece[:cut], used + cells(piece[:cut]), False
            new_line()
            piece, size = piece[cut:], cells(piece[cut:])
        line, used, empty = line + piece, used + size, False
    if not empty or not lines:
        lines.append(line.rstrip())
    return lines


def _fitting(piece: str, room: int) -> int:
    """How many leading characters of `piece` fit in `room` cells (at least one)."""
    used = 0
    for count, ch in enumerate(piece):
        used += cells(ch)
        if used > room:
            return max(count, 1)
    return len(piece)


def wrap_paragraphs(text: str, width: int, indent: str = "") -> list[str]:
    """click's paragraphs (a blank line between them; one opening with a line holding only \\b is kept as written)."""
    out: list[str] = []
    for paragraph in text.expandtabs().split("\n\n"):
        if out:
            out.append("")
        rows = paragraph.split("\n")
        if rows[0].strip() == "\b":
            out += [f"{indent}{row}" for row in rows[1:]]
        else:
            out += wrap(" ".join(row.strip() for row in rows if row.strip()), width, indent, indent)
    return out


def short_line(text: str, limit: int) -> str:
    """A command's line in a group's listing: its first sentence, cut to `limit` cells with click's ellipsis."""
    first = text.partition("\n\n")[0].replace("\n", " ").strip()
    end = first.find("。")
    first = first[:end + 1] if end >= 0 else first
    if cells(first) <= limit:
        return first
    kept, used, clause = "", 0, ""
    for piece in chunks(first):
        if used + cells(piece) + len(ELLIPSIS) > limit:
            break
        kept, used = kept + piece, used + cells(piece)
        if piece[-1] in CLAUSE_ENDS and used >= limit // 2:
            clause = kept  # a cut after a clause reads better than one inside a word (放...)
    return (clause or kept).rstrip().rstrip(CLAUSE_ENDS + ",;:") + ELLIPSIS


def _narrow(*texts: str) -> bool:
    return all(cells(text) == len(text) for text in texts)


class CellFormatter(click.HelpFormatter):
    """click's layout, measured in display cells; headings end with the catalog's colon (a full-width one in Chinese)."""

    def write_heading(self, heading: str) -> None:
        line = _("{heading}:").format(heading=heading)
        self.write(f"{'':>{self.current_indent}}{line}\n")

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        if prefix is None:
            usage = _("Usage:")
            prefix = usage if usage.endswith("：") else f"{usage} "  # a full-width colon holds its own space
        if _narrow(prog, args, prefix):
            return super().write_usage(prog, args, prefix)
        usage_prefix = f"{prefix:>{self.current_indent}}{prog} "
        if not args:
            self.write(usage_prefix.rstrip(" ") + "\n")
            return
        text_width = self.width - self.current_indent
        if text_width >= cells(usage_prefix) + 20:  # the arguments fit to the right of the prefix
            lines = wrap(args, text_width, usage_prefix, " " * cells(usage_prefix))
        else:
            indent = " " * (max(self.current_indent, cells(prefix)) + 4)
            lines = [usage_prefix.rstrip(" "), *wrap(args, text_width, indent, indent)]
        self.write("\n".join(lines) + "\n")

    def write_text(self, text: str) -> None:
        if _narrow(text):
            return super().write_text(text)
        self.write("\n".join(wrap_paragraphs(text, self.width, " " * self.current_indent)) + "\n")

    def write_dl(self, rows, col_max: int = 30, col_spacing: int = 2) -> None:  # noqa: ANN001 - click's (first, second) rows
        rows = list(rows)
        if _narrow(*(text for row in rows for text in row)):
            return super().write_dl(rows, col_max, col_spacing)
        first_col = min(max(cells(first) for first, _second in rows), col_max) + col_spacing
        margin = " " * self.current_indent
        for first, second in rows:
            self.write(f"{margin}{first}")
            if not second:
                self.write("\n")
                continue
            if cells(first) <= first_col - col_spacing:
                self.write(" " * (first_col - cells(first)))
            else:
                self.write("\n" + " " * (first_col + self.current_indent))
            lines = wrap_paragraphs(second, max(self.width - first_col - 2, 10))
            self.write("\n".join([lines[0], *(f"{margin}{' ' * first_col}{line}" if line else "" for line in lines[1:])])
                       + "\n")
