"""A SQLite site's plan, policy and clock read on SQLite's own connection: what a lane's first frame shows.

`examops gate` draws its first frame from a `SiteHead` before SQLAlchemy is imported (about a third of a lane's
start-up); the lane's worker then opens the full `Site` (`open`), takes the quick check begun for the file, and
only then says the lane is ready. Nothing is written here: a store this cannot read as `Site.open` would (no file,
a migration missing, a drill this process would begin, any error of SQLite) gives None, and the caller opens the
full `Site` first as before, which says why in its words.
"""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from examops import locations
from examops.adapters import sqlite_statements
from examops.adapters.one_shot_store import NotHere, OneShotStore
from examops.domain.plan import Plan, PlanError
from examops.domain.policy import Policy, PolicyError
from examops.services.clock import Clock
from examops.services.plain_site import read_site

if TYPE_CHECKING:
    from examops.services.site import Site

_UNREADABLE = (NotHere, PlanError, PolicyError, KeyError, ValueError, sqlite3.Error)


@dataclass
class SiteHead:
    """What a lane's screen needs before its store is open: `plan`, `policy`, `clock`, whether there are photos."""

    url: str
    plan: Plan
    policy: Policy
    clock: Clock
    has_photos: bool
    override: str | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _site: Site | None = field(default=None, repr=False)

    @classmethod
    def read(cls, db: str | None) -> SiteHead | None:
        """The head of the SQLite store `db` names, or None (the caller opens the full `Site` now)."""
        url = locations.store_url(db)
        store = OneShotStore.open(url)
        if store is None:
            return None
        try:
            read = read_site(store)
            photos = read is not None and bool(store.run(sqlite_statements.ANY_PHOTO, {}))
        except _UNREADABLE:
            return None
        finally:
            store.close()
        return None if read is None else cls(url, read.plan, read.policy, read.clock, has_photos=photos)

    def open(self) -> Site:
        """The full site (SQLAlchemy, the store's engine, the quick check begun for its file), once, on any thread.

        The quick check begins here, not before the first frame: it reads the file while SQLAlchemy is imported,
        and the first frame does not share the machine with it."""
        with self._lock:
            if self._site is None:
                from examops.adapters import quick_check

                quick_check.begin(self.url)
                from examops.services.site import Site

                self._site = Site.open(self.url, clock=self.clock, check_meanwhile=True)
            return self._site


def full_site(site: Site | SiteHead) -> Site:
    """`site` itself, or the full site of a head (opened here if not yet)."""
    return site.open() if isinstance(site, SiteHead) else site


def site_has_photos(site: Site | SiteHead) -> bool:
    """Whether the site holds a photo: a head read it with the plan; a full site asks its store."""
    if isinstance(site, SiteHead):
        return site.has_photos
    from examops.services import photos

    return photos.has_photos(site)


def quick_check_refusal(site: Site) -> Exception | None:
    """Wait for the quick check still running on `site`'s store: None for a sound store, else the refusal every
    write into it gets (a damaged store)."""
    from examops.adapters.store import WriteFailed

    try:
        site.store.await_check()
    except WriteFailed as exc:
        return exc
    return None
