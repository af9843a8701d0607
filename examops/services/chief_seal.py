"""The chief's seal on each decision: the site key, opened with the PIN on the chief's desk, signs it.

`chief_sealer` is what every chief decision asks before it records: it is
refused (nothing recorded) where the site key is not on this laptop, and
where the PIN is wrong; else it returns the function that seals the events
the decision writes (`ledger.record(..., chief_seal=...)`). `problems_in`
lists the decisions in the log whose seal is missing or wrong (`examops
verify`, the figures, the chief's record on the review screen and in the
report).

Only the store's current `site_public_key` counts: keys retired by the
migration that took the private key out of the store were readable there, so
a seal by one of them proves nothing. The store's key is itself among the
digests the log records, so a key swapped in the settings is named too.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Callable, Iterable

from examops.adapters import signing
from examops.domain.chief_seal import SealProblem, seal_problems, with_seal
from examops.domain.events import Event
from examops.domain.said import N_, SaidError, said
from examops.services.site import Site
from examops.services.site_key import public_key

Sealer = Callable[[Event], Event]


class ChiefKeyRefused(SaidError):
    """No chief decision can be recorded here (no key on this laptop, or a wrong PIN), in words."""


def _held_key(site: Site) -> str:
    """The store's site key, if this laptop holds it: asked before the PIN is spent."""
    from examops import locations
    from examops.adapters import site_key as key_file  # AES-GCM and scrypt: only where a decision is made

    stored = public_key(site.store)
    if stored is None:
        raise ChiefKeyRefused(said(N_("this store has no site key yet, so no chief decision can be sealed; nothing was "
                                      "recorded. At the chief's desk run `examops init --plan PLAN.toml` with the PIN to "
                                      "make one")))
    try:
        held = key_file.read_public(locations.site_key_path(site.store_id))
    except key_file.SiteKeyError as exc:
        raise ChiefKeyRefused(exc.said) from None
    if held != stored:
        raise ChiefKeyRefused(said(N_("the chief's key is not on this laptop (it stays on the chief's desk, where `examops "
                                      "init` made it): only there can a chief decision be recorded; nothing was recorded. "
                                      "Make the decision at the chief's desk")))
    return stored


WRONG_PIN = N_("wrong PIN: only the chief proctor can do this (the attempt is logged)")


def chief_sealer(site: Site, pin: str | None, *, who: str, purpose: str, wrong_pin: str = WRONG_PIN) -> Sealer:
    """Check the PIN (logged, backed off) and open the site key with it; refuse where either fails.

    Both are scrypt (the PIN hash's and the key file's, OpenSSL's outside the GIL): they run side by side."""
    from examops import locations
    from examops.adapters import site_key as key_file

    stored = _held_key(site)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="chief-key") as pool:
        opened = pool.submit(key_file.unlock, locations.site_key_path(site.store_id), pin or "")
        if not site.check_pin(pin, who=who, purpose=purpose):
            opened.cancel()
            raise ChiefKeyRefused(said(wrong_pin))
        try:
            pem, held = opened.result()
        except key_file.SiteKeyError as exc:
            raise ChiefKeyRefused(exc.said) from None
    if held != stored:  # the file was swapped since it was read
        raise ChiefKeyRefused(said(N_("the chief's key is not on this laptop (it stays on the chief's desk, where `examops "
                                      "init` made it): only there can a chief decision be recorded; nothing was recorded. "
                                      "Make the decision at the chief's desk")))

    def seal(event: Event) -> Event:
        return with_seal(event, lambda message: signing.sign(pem, message))

    return seal


def problems_in(site: Site, events_in_order: Iterable[Event]) -> list[SealProblem]:
    """The chief decisions among `events_in_order` whose seal by this store's site key is missing or wrong."""
    return seal_problems(events_in_order, public_key(site.store), signing.verify)
