"""How long a typed name may be: the same limits on SQLite (which would take any length) and PostgreSQL (which refuses)."""

from __future__ import annotations

from examops.domain.said import N_, said

LIMITS = {"lane": 60, "staff": 120, "device": 120}
"""Characters: the widths of the events table's columns (`adapters/store/schema.py`)."""


TOO_LONG_WORDS = {
    "lane": N_("the lane's name is {length} characters long; at most {limit} fit: use a shorter one"),
    "staff": N_("the staff name is {length} characters long; at most {limit} fit: use a shorter one"),
    "device": N_("the device id is {length} characters long; at most {limit} fit: use a shorter one"),
}


class FieldTooLong(ValueError):
    """A value longer than its column: refused where it is typed, before any scan. `said`: in the site's language."""

    def __init__(self, name: str, value: str) -> None:
        self.name, self.limit, self.length = name, LIMITS[name], len(value)
        self.said = said(TOO_LONG_WORDS[name], length=self.length, limit=self.limit)
        super().__init__(str(self.said))


def check_field(name: str, value: str | None) -> None:
    """Refuse `value` for the field `name` when it is longer than the store keeps."""
    if value is not None and len(value) > LIMITS[name]:
        raise FieldTooLong(name, value)
