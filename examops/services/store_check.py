"""The lane's quick check of its store begun before anything heavy is imported (see `adapters.quick_check`).

Kept free of SQLAlchemy, as the CLI calls it first: the check then runs while SQLAlchemy and the lane's code load.
"""

from __future__ import annotations


def begin_quick_check(db: str | None) -> None:
    """Begin SQLite's quick check of the store `--db`/EXAMOPS_DB names (a `check_meanwhile` open takes it)."""
    from examops import locations
    from examops.adapters import quick_check

    quick_check.begin(locations.store_url(db))
