"""The site's report key: made at `init` on the chief's desk, unlocked by the chief's PIN to sign a report.

Only its public key is in the store (and in the digests the log records), so
a lane login on a shared server reads nothing that signs. Keys retired by
the migration that took the old private key out of the store still witness
the reports they signed.
"""

from __future__ import annotations

from examops import locations
from examops.adapters import signing, site_key
from examops.adapters.store import Store
from examops.domain.said import N_, SaidError, said

PUBLIC_KEY = "site_public_key"
RETIRED_KEYS = "site_retired_keys"


class SiteKeyRefused(SaidError):
    """No report can be signed here, in words."""


def public_key(store: Store, conn=None) -> str | None:  # noqa: ANN001
    return store.get_setting(PUBLIC_KEY, conn)


def fingerprints(store: Store) -> tuple[str, set[str]]:
    """(this site's report key fingerprint or "", the fingerprints of its retired keys)."""
    current = public_key(store)
    retired = (store.get_setting(RETIRED_KEYS) or "").split()
    return (signing.fingerprint(current) if current else ""), {signing.fingerprint(k) for k in retired}


def make_in(store: Store, conn, store_id: str, pin: str) -> str:  # noqa: ANN001
    """At init, in its transaction: a new key sealed under `pin` on this laptop, its public key in the store."""
    public = site_key.create(locations.site_key_path(store_id), pin)
    Store.put_setting(conn, PUBLIC_KEY, public)
    return public


def reseal(store_id: str, old_pin: str, new_pin: str) -> None:
    """The chief changed the PIN: the key on this laptop (if it is the desk) now opens with the new one."""
    path = locations.site_key_path(store_id)
    if path.exists():
        try:
            site_key.reseal(path, old_pin, new_pin)
        except site_key.SiteKeyError as exc:
            raise SiteKeyRefused(exc.said) from None


def check_here(store: Store, store_id: str) -> str:
    """This store's report public key, if this laptop holds the key (asked before the PIN is spent on it)."""
    stored = public_key(store)
    if stored is None:
        raise SiteKeyRefused(said(N_("this store has no report key yet (a store from before keys left the database): at "
                                     "the chief's desk run `examops init --plan PLAN.toml` with the PIN to make one")))
    try:
        held = site_key.read_public(locations.site_key_path(store_id))
    except site_key.SiteKeyError as exc:
        raise SiteKeyRefused(exc.said) from None
    if held is None:
        raise SiteKeyRefused(said(N_("the site's report key is kept on the chief's desk (the laptop where `examops init` "
                                     "made it): build the report there")))
    if held != stored:
        raise SiteKeyRefused(said(N_("the report key on this laptop ({held}) is not the one this store names ({stored}): "
                                     "build the report on the chief's desk"),
                                  held=signing.fingerprint(held), stored=signing.fingerprint(stored)))
    return stored


def unlock(store: Store, store_id: str, pin: str) -> str:
    """The private key (PEM) for signing, opened with the chief's PIN (the caller has checked it)."""
    stored = check_here(store, store_id)
    try:
        pem, held = site_key.unlock(locations.site_key_path(store_id), pin)
    except site_key.SiteKeyError as exc:
        raise SiteKeyRefused(exc.said) from None
    if held != stored:
        raise SiteKeyRefused(said(N_("the report key on this laptop ({held}) is not the one this store names ({stored}): "
                                     "build the report on the chief's desk"),
                                  held=signing.fingerprint(held), stored=signing.fingerprint(stored)))
    return pem
