"""A lane laptop's own store, set up from the site's like a lane cache: the site's plan and id, this laptop's key."""

from __future__ import annotations

from pathlib import Path

from examops.adapters.store import Store
from examops.services.offline import COPIED_SETTINGS
from examops.services.site import Site


def lane_laptop_store(site: Site, path: Path) -> Site:
    url = f"sqlite:///{path}"
    store = Store.open(url, create=True)
    with store.write() as conn:
        for key in COPIED_SETTINGS:
            value = site.store.get_setting(key)
            if value is not None:
                Store.put_setting(conn, key, value)
    store.close()
    return Site.open(url)
