"""The site: an open store with its plan and policy. `init_site` creates or updates it."""

from __future__ import annotations

import getpass
import socket
import uuid
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from examops.adapters.store import Store, StoreError, format_utc, utc_now
from examops.adapters.store import roster_queries as q
from examops.domain import pin as pins
from examops.domain.event_payloads import PinRefused
from examops.domain.events import Event, Kind, new_event_id
from examops.domain.plan import Plan, PlanError, parse_plan
from examops.domain.policy import Policy, PolicyError, load_policy
from examops.services.clock import Clock

PLAN_KEY = "plan_toml"
POLICY_KEY = "policy_toml"
PIN_KEY = "chief_pin_hash"
SIGNING_KEY = "site_signing_key"
STORE_ID_KEY = "store_id"


class SiteError(Exception):
    """A site-level problem in words for the chief proctor."""


@dataclass
class Site:
    store: Store
    plan: Plan
    policy: Policy
    clock: Clock
    override: str | None = None
    """The chief's reason for recording into a closed session (the `--override` option)."""

    @classmethod
    def open(cls, url: str | None = None, *, clock: Clock | None = None, check: bool = True) -> "Site":
        store = Store.open(url, check=check)
        plan_text = store.get_setting(PLAN_KEY)
        if plan_text is None:
            raise SiteError(f"the store at {store.location} has no exam plan: run `examops init --plan PLAN.toml`")
        plan = parse_plan(plan_text, "stored plan")
        policy = load_policy(plan.policy_preset, text=store.get_setting(POLICY_KEY))
        return cls(store, plan, policy, clock or Clock.from_env(plan.timezone))

    def close(self) -> None:
        self.store.close()

    @cached_property
    def store_id(self) -> str:
        value = self.store.get_setting(STORE_ID_KEY)
        return value or "0" * 8

    def device(self, lane: str) -> str:
        return device_id(self.store_id, lane)

    def check_pin(self, pin: str | None, *, who: str = "", purpose: str = "") -> bool:
        """True if `pin` is the chief proctor's; a wrong PIN is refused and logged."""
        stored = self.store.get_setting(PIN_KEY)
        if stored and pin and pins.verify_pin(pin, stored):
            return True
        with self.store.write() as conn:
            self.store.append(conn, self.system_event(Kind.PIN_REFUSED, PinRefused(who=who, purpose=purpose).to_payload()))
        return False

    def system_event(self, kind: str, payload: dict, *, session: str | None = None, ticket: str | None = None) -> Event:
        return Event(
            id=new_event_id(),
            kind=kind,
            at=format_utc(self.clock.now()),
            device=self.device("admin"),
            device_seq=0,
            session=session,
            ticket=ticket,
            lane=None,
            staff=getpass.getuser(),
            payload=payload,
        )


def device_id(store_id: str, lane: str) -> str:
    """This machine, this store, this lane: each keeps its own hash chain.

    The store id tells apart two laptops that share a host name (and a lane
    name) when their offline bundles meet in the site store.
    """
    return f"{socket.gethostname()}.{store_id[:8]}/{lane}"


def read_plan_file(path: str | Path) -> tuple[Plan, str | None]:
    """Parse the plan file and the custom policy it names (returned as text, to be stored)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise SiteError(f"cannot read the plan {path}: {exc.strerror}") from None
    plan = parse_plan(text, str(path))
    policy_text = None
    if plan.policy_path:
        policy_file = (path.parent / plan.policy_path).resolve()
        try:
            policy_text = policy_file.read_text(encoding="utf-8-sig")
        except OSError as exc:
            raise SiteError(f"{path}: policy.path: cannot read {policy_file}: {exc.strerror}") from None
    load_policy(plan.policy_preset, text=policy_text)  # refuse a broken policy now, not at the gate
    return plan, policy_text


def init_site(plan_path: str | Path, *, url: str | None = None, chief_pin: str | None = None) -> Site:
    """Create the store (or update its plan), store the plan, policy and PIN hash."""
    plan, policy_text = read_plan_file(plan_path)
    store = Store.open(url, create=True)
    existing_pin = store.get_setting(PIN_KEY)
    if chief_pin is None and existing_pin is None:
        raise SiteError("the chief proctor's PIN is needed: pass --chief-pin or set EXAMOPS_PIN")
    if chief_pin is not None:
        problem = pins.pin_problem(chief_pin)
        if problem:
            raise SiteError(problem)
    store_id = store.get_setting(STORE_ID_KEY) or uuid.uuid4().hex
    draft = Site(store, plan, load_policy(plan.policy_preset, text=policy_text), Clock.from_env(plan.timezone))
    draft.store_id = store_id  # before the transaction: a reader beside it would not see the new id yet
    with store.write() as conn:
        _check_plan_against_roster(conn, plan)
        Store.put_setting(conn, PLAN_KEY, plan.source_text)
        if policy_text is not None:
            Store.put_setting(conn, POLICY_KEY, policy_text)
        else:
            Store.delete_setting(conn, POLICY_KEY)
        if chief_pin is not None:
            Store.put_setting(conn, PIN_KEY, pins.hash_pin(chief_pin))
        if Store.get_setting(store, STORE_ID_KEY, conn) is None:
            Store.put_setting(conn, STORE_ID_KEY, store_id)
        if Store.get_setting(store, SIGNING_KEY, conn) is None:
            from examops.adapters.signing import new_key_pem

            Store.put_setting(conn, SIGNING_KEY, new_key_pem())
        q.replace_sessions(conn, [
            {"id": session.id, "name": session.name, "date": session.date.isoformat(),
             "start": session.start.strftime("%H:%M"), "end": session.end.strftime("%H:%M"),
             "late_entry_minutes": session.late_entry_minutes}
            for session in plan.sessions
        ])
        for room in plan.rooms + plan.backup_rooms:
            q.put_room(conn, room.id, name=room.name, capacity=room.capacity, kind=room.kind)
        Store.put_setting(conn, "initialised_at", utc_now())
        if chief_pin is not None:
            from examops.services.devices import enrol_desk_in

            enrol_desk_in(draft, conn)
        from examops.services.ledger import record_tables

        record_tables(draft, conn, "init")
    store.close()
    return Site.open(url)


def _check_plan_against_roster(conn, plan: Plan) -> None:  # noqa: ANN001
    """A plan update may not drop a session that candidates are seated in."""
    planned = {s.id for s in plan.sessions}
    used = q.seated_session_ids(conn)
    dropped = used - planned
    if dropped:
        raise SiteError(f"the new plan drops session(s) {', '.join(sorted(dropped))} that the roster seats candidates in")


def status(site: Site) -> dict:
    """The figures `examops status` shows."""
    with site.store.read() as conn:
        candidates, room_rows, seated, events_count = q.status_figures(conn)
    return {
        "exam": site.plan.exam_name,
        "site": site.plan.site,
        "policy": site.policy.name,
        "approval_levels": list(site.plan.approval_levels),
        "sessions": [
            {"id": s.id, "name": s.name, "date": s.date.isoformat(), "start": s.start.strftime("%H:%M"),
             "end": s.end.strftime("%H:%M"), "late_entry_minutes": s.late_entry_minutes}
            for s in site.plan.sessions
        ],
        "rooms": [
            {"id": r.id, "name": r.name, "kind": r.kind, "capacity": r.capacity, "candidates": seated.get(r.id, 0)}
            for r in room_rows
        ],
        "candidates": candidates,
        "events": events_count,
        "store": site.store.location,
    }


def has_chief_pin(url: str | None) -> bool:
    """True if a store exists at `url` and already holds a chief's PIN (init then keeps it unless told)."""
    try:
        store = Store.open(url, create=False)
    except StoreError:
        return False
    try:
        return store.get_setting(PIN_KEY) is not None
    except StoreError:
        return False
    finally:
        store.close()


__all__ = ["Site", "SiteError", "init_site", "status", "device_id", "has_chief_pin", "PlanError", "PolicyError", "StoreError"]
