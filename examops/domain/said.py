"""A sentence for a person, kept as its English catalog msgid and its fields, so the edge can say it in the site's language.

The domain and the services build `said(N_("device {device}: …"), device=…)`;
`str()` gives the English, `examops.i18n.spoken` the translation (fields that
are themselves `Said` are translated too). Fields from data (device names,
event ids, paths) stay as they are.
"""

from __future__ import annotations

from dataclasses import dataclass


def N_(message: str) -> str:
    """Mark an English msgid for the catalog (pybabel finds `N_`); it is translated where it is shown."""
    return message


@dataclass(frozen=True, slots=True)
class Said:
    """Words for a person: an English msgid and its fields, said in the site's language where shown."""

    template: str
    fields: tuple[tuple[str, object], ...] = ()

    def __str__(self) -> str:
        return self.template.format(**{key: str(value) for key, value in self.fields})

    def __contains__(self, text: str) -> bool:
        return text in str(self)


def said(template: str, **fields: object) -> Said:
    return Said(template, tuple(fields.items()))


class SaidError(Exception):
    """An exception whose message is a `Said`: `str()` is English, `spoken()` the site's language."""

    def __init__(self, message: Said | str) -> None:
        self.said = message if isinstance(message, Said) else said("{text}", text=message)
        super().__init__(str(self.said))
