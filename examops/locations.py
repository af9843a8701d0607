"""One place for paths and the store address: EXAMOPS_DB > EXAMOPS_HOME > user data dir."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path


def home() -> Path:
    """The folder for the default SQLite store and site files."""
    override = os.environ.get("EXAMOPS_HOME")
    if override:
        return Path(override).expanduser()
    from platformdirs import user_data_path

    return user_data_path("examops", appauthor=False)


def private_dir(path: str | Path) -> Path:
    """Make `path` (and any missing parents) as folders only their owner can open: they hold personal data."""
    path = Path(path)
    missing = [p for p in (path, *path.parents) if not p.exists()]
    path.mkdir(parents=True, exist_ok=True)
    for created in missing:
        os.chmod(created, 0o700)
    return path


def make_private(path: str | Path) -> None:
    """Let only the owner read and write the file at `path` (documents, bundles, caches hold names and ID numbers)."""
    os.chmod(path, 0o600)


def private_file(path: str | Path) -> Path:
    """Create (or truncate) an empty file only its owner can read, before anything personal is written into it."""
    path = Path(path)
    fd = os.open(path, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
    os.close(fd)
    make_private(path)  # an existing file keeps its old mode through O_CREAT
    return path


def default_db_path() -> Path:
    return home() / "examops.sqlite3"


def device_key_path(store_id: str) -> Path:
    """This laptop's signing key for one site's store (owner-only, next to its witnessed heads)."""
    return home() / "keys" / f"{store_id}.ed25519.pem"


def site_key_path(store_id: str) -> Path:
    """The site's report key, on the chief's desk only, sealed under the PIN (owner-only, next to the device key)."""
    return home() / "keys" / f"{store_id}.site-report-key.json"


def witness_path(store_id: str) -> Path:
    """The heads of every device chain this laptop wrote or saw in one site's store (next to its key)."""
    return home() / "keys" / f"{store_id}.heads.jsonl"


def verified_mark_path(store_id: str) -> Path:
    """How far this laptop last verified one site's store, and a digest of what it verified (next to its key)."""
    return home() / "keys" / f"{store_id}.verified.json"


def recorded_seats_path(store_id: str) -> Path:
    """The seats as the log last recorded them, kept by a clean check to name a seat edited later (next to the key)."""
    return home() / "keys" / f"{store_id}.seats.json.gz"


def default_report_path(session_id: str, date: dt.date) -> Path:
    """Where a session's signed report is offered to be saved: EXAMOPS_HOME/reports/<session>-<date>.xlsx."""
    return home() / "reports" / f"{session_id}-{date.isoformat()}.xlsx"


def default_documents_dir(session_id: str | None) -> Path:
    """Where a session's room documents are offered to be written: EXAMOPS_HOME/documents/<session>."""
    return home() / "documents" / (session_id or "")


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
