"""A sentence for a person, kept as its English catalog msgid and its fields, so the edge can say it in the site's language.

The domain and the services build `said(N_("device {device}: …"), device=…)`;
`str()` gives the English, `examops.i18n.spoken` the translation (fields that
are themselves `Said` are translated too). Fields from data (device names,
event ids, paths) stay as they are.
"""

from __future__ import annotations

import errno
from dataclasses import dataclass
from typing import Sequence


def N_(message: str) -> str:
    """Mark an English msgid for the catalog (pybabel finds `N_`); it is translated where it is shown."""
    return message


@dataclass(frozen=True, slots=True)
class ContextMessage:
    """A msgid whose Chinese depends on where it stands (one English word, two Chinese ones)."""

    context: str
    message: str

    def __str__(self) -> str:
        return self.message


def NP_(context: str, message: str) -> ContextMessage:
    """`N_` with a context (pybabel's `NP_:1c,2`): translated with pgettext where it is shown."""
    return ContextMessage(context, message)


@dataclass(frozen=True, slots=True)
class Said:
    """Words for a person: an English msgid and its fields, said in the site's language where shown."""

    template: str | ContextMessage
    fields: tuple[tuple[str, object], ...] = ()

    def __str__(self) -> str:
        return str(self.template).format(**{key: str(value) for key, value in self.fields})

    def __contains__(self, text: str) -> bool:
        return text in str(self)


def said(template: str | ContextMessage, **fields: object) -> Said:
    return Said(template, tuple(fields.items()))


def joined(parts: Sequence[Said | str], separator: Said | str | None = None) -> Said:
    """Sentences one after another (`; ` between them, said in the site's language), each said in turn."""
    if not parts:
        return said("{text}", text="")  # never an empty msgid: gettext("") is the catalog's header
    fields = {f"part{index}": part for index, part in enumerate(parts)}
    template = "{separator}".join("{" + key + "}" for key in fields)  # not a msgid: gettext gives it back as it is
    return said(template, separator=said(N_("; ")) if separator is None else separator, **fields)


class SaidError(Exception):
    """An exception whose message is a `Said`: `str()` is English, `spoken()` the site's language."""

    def __init__(self, message: Said | str) -> None:
        self.said = message if isinstance(message, Said) else said("{text}", text=message)
        super().__init__(str(self.said))


_OS_REASONS = {
    errno.ENOENT: N_("no such file or folder"),
    errno.EACCES: N_("permission denied"),
    errno.EPERM: N_("permission denied"),
    errno.EISDIR: N_("that is a folder, not a file"),
    errno.ENOTDIR: N_("a part of the path is not a folder"),
    errno.ENOSPC: N_("the disk is full"),
    errno.EROFS: N_("the disk is read-only"),
    errno.EIO: N_("the disk reported an input/output error"),
}


def os_reason(exc: OSError) -> Said | str:
    """Why the system refused a file, in the catalog's words where the catalog has them (else the system's own)."""
    words = _OS_REASONS.get(exc.errno)
    return said(words) if words is not None else (exc.strerror or str(exc))
