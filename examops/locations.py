"""One place for paths and the store address: EXAMOPS_DB > EXAMOPS_HOME > user data dir."""

from __future__ import annotations

import os
from pathlib import Path


def home() -> Path:
    """The folder for the default SQLite store and site files."""
    override = os.environ.get("EXAMOPS_HOME")
    if override:
        return Path(override).expanduser()
    from platformdirs import user_data_path

    return user_data_path("examops", appauthor=False)


def default_db_path() -> Path:
    return home() / "examops.sqlite3"


def store_url(explicit: str | None = None) -> str:
    """The SQLAlchemy URL of the store to use."""
    url = explicit or os.environ.get("EXAMOPS_DB")
    if url:
        if "://" not in url:
            return f"sqlite:///{Path(url).expanduser().resolve()}"
        return url
    return f"sqlite:///{default_db_path()}"


def describe(url: str) -> str:
    """A store location for people: the file path for SQLite, the URL without password otherwise."""
    if url.startswith("sqlite:///"):
        return url[len("sqlite:///"):]
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)
