"""Enrolled devices: which laptops' keys may sign this site's log (`examops device ...`, and `init` for the desk)."""

from __future__ import annotations

import getpass
import socket

from examops.adapters.store import events as event_log
from examops.domain.event_payloads import DeviceEnrolled, DeviceRevoked
from examops.domain.events import Event, Kind
from examops.domain.said import N_, said
from examops.services.site import Site, SiteError


def this_laptop() -> str:
    return socket.gethostname()


def this_laptop_key(site: Site) -> str:
    """This laptop's public key for the site (made on first use)."""
    with site.store.read() as conn:
        return site.store.device_key(conn).public_b64


def this_laptop_identity(site: Site) -> dict:
    """What a lane shows the chief to be enrolled: its laptop name, public key and the key's fingerprint."""
    from examops.adapters.signing import fingerprint

    key = this_laptop_key(site)
    return {"laptop": this_laptop(), "public_key": key, "fingerprint": fingerprint(key)}


def enrolments(site: Site) -> list[DeviceEnrolled]:
    with site.store.read() as conn:
        return [DeviceEnrolled.from_event(e) for e in event_log.events_of_kind(conn, Kind.DEVICE_ENROLLED)]


def enrol_desk_in(site: Site, conn) -> None:  # noqa: ANN001
    """At `init`, inside its transaction (the chief's PIN given): the first laptop becomes the chief's desk."""
    if any(DeviceEnrolled.from_event(e).role == "desk" for e in event_log.events_of_kind(conn, Kind.DEVICE_ENROLLED)):
        return
    key = site.store.device_key(conn).public_b64
    site.store.append(conn, site.system_event(Kind.DEVICE_ENROLLED, DeviceEnrolled(
        public_key=key, laptop=this_laptop(), role="desk", by=getpass.getuser()).to_payload()))


def enrol(site: Site, public_key: str, laptop: str, *, by: str) -> Event:
    """Enrol a lane laptop's key; only the desk's key can sign this (the caller has checked the PIN)."""
    _require_desk(site)
    if any(e.public_key == public_key for e in enrolments(site)):
        raise SiteError(said(N_("that key is already enrolled")))
    return _record(site, Kind.DEVICE_ENROLLED,
                   DeviceEnrolled(public_key=public_key, laptop=laptop, role="lane", by=by).to_payload())


def revoke(site: Site, public_key: str, *, reason: str, by: str) -> Event:
    _require_desk(site)
    return _record(site, Kind.DEVICE_REVOKED, DeviceRevoked(public_key=public_key, reason=reason, by=by).to_payload())


def _require_desk(site: Site) -> None:
    desk = [e for e in enrolments(site) if e.role == "desk"]
    if not desk or desk[0].public_key != this_laptop_key(site):
        raise SiteError(said(N_("devices are enrolled at the chief's desk: run this on the laptop `examops init` ran on")))


def _record(site: Site, kind: str, payload: dict) -> Event:
    with site.store.write() as conn:
        stored, _ = site.store.append(conn, site.system_event(kind, payload))
    return stored
