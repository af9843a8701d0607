"""How long a typed name may be: the same limits on SQLite (which would take any length) and PostgreSQL (which refuses)."""

from __future__ import annotations

LIMITS = {"lane": 60, "staff": 120, "device": 120}
"""Characters: the widths of the events table's columns (`adapters/store/schema.py`)."""


class FieldTooLong(ValueError):
    """A value longer than its column: refused where it is typed, before any scan."""

    def __init__(self, name: str, value: str) -> None:
        self.name, self.limit, self.length = name, LIMITS[name], len(value)
        super().__init__(f"{name} is {self.length} characters long; at most {self.limit} fit: use a shorter {name}")


def check_field(name: str, value: str | None) -> None:
    """Refuse `value` for the field `name` when it is longer than the store keeps."""
    if value is not None and len(value) > LIMITS[name]:
        raise FieldTooLong(name, value)
