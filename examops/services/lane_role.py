"""`examops init` on PostgreSQL: the lanes' own login, which may add events but never change the log or read the PIN hash."""

from __future__ import annotations

import getpass
import os
import secrets

from examops import locations
from examops.adapters.store.roles import LaneRole, ensure_lane_role
from examops.services.site import Site


def default_role(site: Site) -> str:
    """`<the connecting login>_lane`: one site, one owner login (docs/several-lanes.md), so one lane role."""
    user = site.store.engine.url.username or getpass.getuser()
    return f"{user.lower()}_lane"


def lane_url(site: Site, role: str) -> str:
    """The store's URL with the lane role as its user and no password (that goes in the lanes' ~/.pgpass)."""
    return site.store.engine.url.set(username=role, password=None).render_as_string(hide_password=False)


def prepare_lane_role(site: Site, role: str | None = None) -> dict:
    """Create (if it is missing and this login may) and grant the lane role; say what the lanes connect with."""
    name = role or default_role(site)
    password = secrets.token_urlsafe(24)
    result: LaneRole = ensure_lane_role(site.store.engine, name, password)
    info = {"role": name, "created": result.created, "granted": result.granted, "url": lane_url(site, name),
            "password_file": None, "refused": result.refused, "admin_sql": result.admin_sql}
    if result.created:
        info["password_file"] = str(_write_pgpass(site, name, password))
    return info


def _write_pgpass(site: Site, role: str, password: str):  # noqa: ANN202 - a Path
    """The new role's password as a ~/.pgpass line (host:port:database:role:password), owner-only, on this laptop."""
    url = site.store.engine.url
    line = ":".join(str(part) for part in (url.host or "localhost", url.port or 5432, url.database or "*", role, password))
    path = locations.private_dir(locations.home() / "keys") / f"{site.store_id}.lane-role.pgpass"
    fd = os.open(path, os.O_CREAT | os.O_TRUNC | os.O_WRONLY, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(line + "\n")
    return path
