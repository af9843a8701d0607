"""The site: an open store with its plan and policy. `init_site` creates or updates it."""

from __future__ import annotations

import datetime as dt
import getpass
import hashlib
import math
import time
import uuid
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from examops.adapters.store import Store, StoreError, utc_now
from examops.adapters.store import roster_queries as q
from examops.adapters.store.events import closure
from examops.domain import pin as pins
from examops.domain.event_payloads import OverrideGranted, PinChanged, PinRefused, PlanChanged, SessionClosed
from examops.domain.events import Event, Kind
from examops.domain.plan import Plan, PlanError, parse_plan
from examops.domain.policy import Policy, PolicyError, load_policy
from examops.domain.said import N_, SaidError, joined, os_reason, said
from examops.services.clock import Clock, shared_clock
from examops.services.lane_device import device_id
from examops.services.site_settings import PLAN_KEY, POLICY_KEY, STORE_ID_KEY
from examops.services.system_events import system_event

PIN_KEY = "chief_pin_hash"
PIN_REFUSED_IN_ROW_KEY = "pin_refused_in_row"
PIN_REFUSED_AT_KEY = "pin_refused_at"
"""Wall-clock seconds of the last wrong PIN: the back-off lives in the store, so a new process cannot reset it."""

wall_clock = time.time  # real time, never the drill clock: the back-off must not be frozen away

WEAK_PIN_WORDS = {
    "short": N_("the PIN needs at least 4 characters"),
    "repeated": N_("the PIN repeats one digit: choose one that is hard to guess"),
    "sequence": N_("the PIN counts up or down (like 1234): choose one that is hard to guess"),
    "common": N_("the PIN is one everyone tries first: choose one that is hard to guess"),
}


# What an `init` changes, as the chief's refusals name it.
_CHANGE_WORDS = {"the plan": N_("the plan"), "the PIN": N_("the PIN"), "the plan and the PIN": N_("the plan and the PIN")}


class SiteError(SaidError):
    """A site-level problem in words for the chief proctor (a `Said` where the words are in the catalog)."""


class PinLocked(SiteError):
    """Too many wrong PINs in a row: the next try must wait."""

    def __init__(self, refused: int, wait_seconds: int) -> None:
        super().__init__(said(N_("{refused} wrong PINs in a row: wait {seconds} s before the next try (the attempts are "
                                 "logged)"), refused=refused, seconds=wait_seconds))
        self.refused, self.wait_seconds = refused, wait_seconds


@dataclass
class Site:
    """An open store with its plan, policy and clock."""

    store: Store
    plan: Plan
    policy: Policy
    clock: Clock
    override: str | None = None
    """The chief's reason for recording into a closed session (the `--override` option)."""

    @classmethod
    def open(cls, url: str | None = None, *, clock: Clock | None = None, check: bool = True,
             check_meanwhile: bool = False) -> "Site":
        """The site in the store at `url`; `check_meanwhile`: SQLite's quick check runs while the caller starts, and
        the first write waits for it (`Store.open`)."""
        store = Store.open(url, check=check, check_meanwhile=check_meanwhile)
        plan_text = store.get_setting(PLAN_KEY)
        if plan_text is None:
            raise SiteError(said(N_("the store at {store} has no exam plan: run `examops init --plan PLAN.toml`"), store=store.location))
        plan = parse_plan(plan_text, "stored plan")
        policy = load_policy(plan.policy_preset, text=store.get_setting(POLICY_KEY))
        return cls(store, plan, policy, clock or shared_clock(store, plan.timezone))

    def close(self) -> None:
        self.store.close()

    @cached_property
    def store_id(self) -> str:
        value = self.store.get_setting(STORE_ID_KEY)
        return value or "0" * 8

    def device(self, lane: str) -> str:
        return device_id(self.store_id, lane)

    def check_pin(self, pin: str | None, *, who: str = "", purpose: str = "") -> bool:
        """True if `pin` is the chief proctor's; a wrong PIN is refused and logged.

        After `pins.FREE_GUESSES` wrong PINs in a row every try waits longer (PinLocked says how long),
        counted in the store so that starting a new process does not reset it.
        """
        if not self.store.secrets_readable():
            return self._check_pin_on_server(pin, who=who, purpose=purpose)
        refused = int(self.store.get_secret(PIN_REFUSED_IN_ROW_KEY) or 0)
        last_at = float(self.store.get_secret(PIN_REFUSED_AT_KEY) or 0)
        wait = pins.delay_after(refused) - (wall_clock() - last_at)
        if wait > 0:
            raise PinLocked(refused, math.ceil(wait))
        stored = self.store.get_secret(PIN_KEY)
        if stored and pin and pins.verify_pin(pin, stored):
            if refused:
                with self.store.write() as conn:
                    Store.put_secret(conn, PIN_REFUSED_IN_ROW_KEY, "0")
            return True
        with self.store.write() as conn:
            self._log_refused(conn, who, purpose)
            Store.put_secret(conn, PIN_REFUSED_IN_ROW_KEY, str(refused + 1))
            Store.put_secret(conn, PIN_REFUSED_AT_KEY, repr(wall_clock()))
        return False

    def _check_pin_on_server(self, pin: str | None, *, who: str, purpose: str) -> bool:
        """A lane's login on PostgreSQL cannot read the hash: it sends the digest, the owner's function compares and counts."""
        with self.store.read() as conn:
            salted = Store.pin_salt(conn)
        digest = pins.digest_for(pin, salted) if pin and salted else None
        with self.store.write() as conn:
            verdict, refused, wait = Store.pin_try(conn, digest or "")
            if verdict == "wait":
                raise PinLocked(refused, wait)
            if verdict == "ok":
                return True
            self._log_refused(conn, who, purpose)
        return False

    def _log_refused(self, conn, who: str, purpose: str) -> None:  # noqa: ANN001
        self.store.append(conn, self.system_event(Kind.PIN_REFUSED, PinRefused(who=who, purpose=purpose).to_payload()))

    def grant_override(self, reason: str, pin: str | None, *, who: str = "") -> None:
        """The chief's PIN lets this command record into closed sessions, for `reason`; the grant is logged."""
        reason = (reason or "").strip()
        if not reason:
            raise SiteError(said(N_("--override needs a reason")))
        if not self.check_pin(pin, who=who, purpose="override"):
            raise SiteError(said(N_("wrong PIN: only the chief proctor can record into a closed session (the attempt is logged)")))
        payload = OverrideGranted(reason=reason, by=who or getpass.getuser()).to_payload()
        with self.store.write() as conn:
            self.store.append(conn, self.system_event(Kind.OVERRIDE_GRANTED, payload))
        self.override = reason

    def system_event(self, kind: str, payload: dict, *, session: str | None = None, ticket: str | None = None) -> Event:
        return system_event(self.clock, self.device("admin"), kind, payload, session=session, ticket=ticket)


def read_plan_file(path: str | Path) -> tuple[Plan, str | None]:
    """Parse the plan file and the custom policy it names (returned as text, to be stored)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise SiteError(said(N_("cannot read the plan {path}: {reason}"), path=path, reason=os_reason(exc))) from None
    plan = parse_plan(text, str(path))
    policy_text = None
    if plan.policy_path:
        policy_file = (path.parent / plan.policy_path).resolve()
        try:
            policy_text = policy_file.read_text(encoding="utf-8-sig")
        except OSError as exc:
            raise SiteError(said(N_("{path}: policy.path: cannot read {file}: {reason}"), path=path, file=policy_file,
                                 reason=os_reason(exc))) from None
    load_policy(plan.policy_preset, text=policy_text)  # refuse a broken policy now, not at the gate
    return plan, policy_text


def plan_digest(plan_text: str | None, policy_text: str | None) -> str:
    """SHA-256 over the stored plan and custom policy: what a plan change record names, old and new."""
    joined = f"{plan_text or ''}\n\0policy\n{policy_text or ''}"
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()


def _refuse_weak(pin: str) -> None:
    problem = pins.pin_problem(pin)
    if problem:
        raise SiteError(said(WEAK_PIN_WORDS[problem]))


def init_site(plan_path: str | Path, *, url: str | None = None, chief_pin: str | None = None,
              new_pin: str | None = None, by: str = "", over_edits: bool = False) -> Site:
    """Create the store (or update its plan), store the plan, policy and PIN hash.

    A new store takes `new_pin` (or `chief_pin`) as the chief's PIN. A live store changes its plan,
    policy or PIN only when `chief_pin` is the current PIN, and records each change as an event. A live store whose
    tables were edited outside examops is refused (the evidence would be written over) unless `over_edits`, with the
    current PIN: the new record of the tables then names what had been edited.
    """
    from examops.services import site_key  # AES-GCM and scrypt: only where the site key is made or read

    plan, policy_text = read_plan_file(plan_path)
    if new_pin is not None:
        _refuse_weak(new_pin)  # before a store is made: a refused init leaves nothing behind
    store = Store.open(url, create=True)
    try:
        if not store.secrets_readable():
            raise SiteError(said(N_("this database login is the lanes' own: it may not change the site. Run `examops init` "
                                    "at the chief's desk with the owner's login")))
        changes = _authorised_changes(store, plan, policy_text, chief_pin, new_pin, by)
    except BaseException:
        store.close()
        raise
    store_id = store.get_setting(STORE_ID_KEY) or uuid.uuid4().hex
    draft = Site(store, plan, load_policy(plan.policy_preset, text=policy_text), shared_clock(store, plan.timezone))
    draft.store_id = store_id  # before the transaction: a reader beside it would not see the new id yet
    try:
        _refuse_over_log_edits(draft)
        edits = _edits_allowed(draft, chief_pin, by, over_edits)
    except BaseException:
        store.close()
        raise
    with store.write() as conn:
        _check_plan_against_roster(conn, plan)
        for event in changes.events:
            store.append(conn, event)
        Store.put_setting(conn, PLAN_KEY, plan.source_text)
        if policy_text is not None:
            Store.put_setting(conn, POLICY_KEY, policy_text)
        else:
            Store.delete_setting(conn, POLICY_KEY)
        if changes.pin is not None:
            Store.put_secret(conn, PIN_KEY, pins.hash_pin(changes.pin))
        if Store.get_setting(store, STORE_ID_KEY, conn) is None:
            Store.put_setting(conn, STORE_ID_KEY, store_id)
        if changes.key_pin is not None and site_key.public_key(store, conn) is None:
            site_key.make_in(store, conn, store_id, changes.key_pin)  # on this laptop: it becomes the chief's desk
        q.replace_sessions(conn, [
            {"id": session.id, "name": session.name, "date": session.date.isoformat(),
             "start": session.start.strftime("%H:%M"), "end": session.end.strftime("%H:%M"),
             "late_entry_minutes": session.late_entry_minutes}
            for session in plan.sessions
        ])
        for room in plan.rooms + plan.backup_rooms:
            q.put_room(conn, room.id, name=room.name, capacity=room.capacity, kind=room.kind)
        Store.put_setting(conn, "initialised_at", utc_now())
        if chief_pin is not None or new_pin is not None:
            from examops.services.devices import enrol_desk_in

            enrol_desk_in(draft, conn)
        from examops.services.ledger import record_tables

        record_tables(draft, conn, "init" if edits is None else edits.reason("init"))
        if changes.pin is not None and changes.key_pin != changes.pin:  # inside: a key that will not reseal keeps the old PIN
            try:
                site_key.reseal(store_id, changes.key_pin, changes.pin)
            except site_key.SiteKeyRefused as exc:
                raise SiteError(exc.said) from None
    store.close()
    return Site.open(url)


def _refuse_over_log_edits(site: Site) -> None:
    """A live store whose event log was edited behind examops keeps its plan: a new record over it would hide the cut
    (an event removed from a chain's end is followed by init's own at the same place) and the edit is evidence."""
    if site.store.count_events() == 0:
        return
    from examops.services.tamper_check import check_store

    found = check_store(site).log_findings
    if found:
        raise SiteError(said(N_("the event log was changed behind examops: {findings}. Nothing was changed, so that the "
                                "evidence stays: run `examops verify` and keep what it says for the bureau; the plan of a "
                                "store whose log was edited is not changed (--over-edits covers only the plan and roster "
                                "tables): keep this store as evidence"), findings=joined(found[:5])))


def _edits_allowed(site: Site, chief_pin: str | None, by: str, over_edits: bool):  # noqa: ANN202 - TableEdits | None
    """Tables edited outside examops since the log recorded them (None: as recorded), if `init` may go on over them:
    refused without `over_edits` and the chief's current PIN, and always where the PIN hash itself was edited."""
    from examops.services.table_edits import edits_since_record  # reads the whole roster: only where init runs

    with site.store.read() as conn:
        edits = edits_since_record(conn)
    if edits is None:
        return None
    if not over_edits:
        raise SiteError(edits.refusal(site.clock))
    if edits.pin_hash:
        raise SiteError(said(N_("the chief's PIN hash was edited outside examops: no PIN typed here can be trusted, so "
                                "nothing was changed. Keep this store as evidence and make a new one")))
    _check_pin_over_edits(site, chief_pin, by)
    return edits


def _check_pin_over_edits(site: Site, chief_pin: str | None, by: str) -> None:
    """Going on over tables edited outside examops is the chief's call: the current PIN, each attempt logged."""
    if chief_pin is None:
        raise SiteError(said(N_("going on over tables edited outside examops needs the chief proctor's current PIN; "
                                "nothing was changed")))
    if not site.check_pin(chief_pin, who=by or getpass.getuser(), purpose="init over edits outside examops"):
        raise SiteError(said(N_("wrong PIN: nothing was changed (the attempt is logged)")))


@dataclass
class _InitChanges:
    """What an `init` may change on the store."""

    pin: str | None
    events: list[Event]
    key_pin: str | None = None
    """A PIN known to be the chief's before this init (or the first one): it seals a new report key, or unseals one."""


def _authorised_changes(store: Store, plan: Plan, policy_text: str | None, current_pin: str | None,
                        new_pin: str | None, by: str) -> _InitChanges:
    """What `init` may write: a first PIN on a new store; on a live store, changes only with the current PIN."""
    from examops.services import site_key  # AES-GCM and scrypt: only where the site key is made or read

    if store.get_secret(PIN_KEY) is None:
        first = new_pin if new_pin is not None else current_pin
        if first is None:
            raise SiteError(said(N_("the chief proctor's PIN is needed: it is asked twice on a terminal, "
                                    "or read from --pin-file or EXAMOPS_PIN")))
        _refuse_weak(first)
        return _InitChanges(first, [], key_pin=first)
    old_digest = plan_digest(store.get_setting(PLAN_KEY), store.get_setting(POLICY_KEY))
    new_digest = plan_digest(plan.source_text, policy_text)
    if old_digest == new_digest and new_pin is None:
        if current_pin is None or site_key.public_key(store) is not None:
            return _InitChanges(None, [])
        live = Site(store, plan, load_policy(plan.policy_preset, text=policy_text), Clock.from_env(plan.timezone))
        if not live.check_pin(current_pin, who=by or getpass.getuser(), purpose="init: make the report key"):
            raise SiteError(said(N_("wrong PIN: no report key was made (the attempt is logged)")))
        return _InitChanges(None, [], key_pin=current_pin)
    what = "the plan" if new_pin is None else ("the PIN" if old_digest == new_digest else "the plan and the PIN")
    told = said(_CHANGE_WORDS[what])
    if current_pin is None:
        raise SiteError(said(N_("this store is in use: changing {what} needs the chief proctor's current PIN; nothing was changed"),
                            what=told))
    if new_pin is not None:
        _refuse_weak(new_pin)
    live = Site(store, plan, load_policy(plan.policy_preset, text=policy_text), shared_clock(store, plan.timezone))
    who = by or getpass.getuser()
    if not live.check_pin(current_pin, who=who, purpose="init: change " + what.removeprefix("the ")):
        raise SiteError(said(N_("wrong PIN: {what} stays as it was (the attempt is logged)"), what=told))
    events = []
    if old_digest != new_digest:
        events.append(live.system_event(Kind.PLAN_CHANGED, PlanChanged(old_digest=old_digest, new_digest=new_digest, by=who).to_payload()))
    if new_pin is not None:
        events.append(live.system_event(Kind.PIN_CHANGED, PinChanged(by=who).to_payload()))
    return _InitChanges(new_pin, events, key_pin=current_pin)


def _check_plan_against_roster(conn, plan: Plan) -> None:  # noqa: ANN001
    """A plan update may not drop a session that candidates are seated in."""
    planned = {s.id for s in plan.sessions}
    used = q.seated_session_ids(conn)
    dropped = used - planned
    if dropped:
        raise SiteError(said(N_("the new plan drops session(s) {sessions} that the roster seats candidates in"),
                            sessions=", ".join(sorted(dropped))))


def status(site: Site) -> dict:
    """The figures `examops status` shows; times in site time with their offset."""
    from examops.adapters.store import photo_queries

    with site.store.read() as conn:
        candidates, room_rows, seated, events_count = q.status_figures(conn)
        _, with_photo, photos_not_in_roster = photo_queries.counts(conn)
        closures = {s.id: closure(conn, s.id) for s in site.plan.sessions}

    def closed(event: Event | None) -> dict | None:
        if event is None:
            return None
        data = SessionClosed.from_event(event)
        return {"by": data.by, "at": site.clock.aware(event.at).isoformat(timespec="seconds"), "reason": data.reason}

    clock = site.clock
    return {
        "exam": site.plan.exam_name,
        "site": site.plan.site,
        "policy": site.policy.name,
        "approval_levels": list(site.plan.approval_levels),
        "now": clock.aware(clock.now()).isoformat(timespec="seconds"),
        "drill": None if clock.drill is None else {
            "clock": clock.drill,
            "began_at": None if clock.drill_began is None else
            clock.aware(dt.datetime.fromtimestamp(clock.drill_began, dt.timezone.utc)).isoformat(timespec="seconds"),
        },
        "sessions": [
            {"id": s.id, "name": s.name, "date": s.date.isoformat(), "start": s.start.strftime("%H:%M"),
             "end": s.end.strftime("%H:%M"), "late_entry_minutes": s.late_entry_minutes,
             "early_leave_from": s.early_leave_from.strftime("%H:%M"), "closed": closed(closures[s.id])}
            for s in site.plan.sessions
        ],
        "rooms": [
            {"id": r.id, "name": r.name, "kind": r.kind, "capacity": r.capacity, "candidates": seated.get(r.id, 0)}
            for r in room_rows
        ],
        "candidates": candidates,
        "photos": {"with_photo": with_photo, "without_photo": candidates - with_photo, "not_in_roster": photos_not_in_roster},
        "events": events_count,
        "store": site.store.location,
    }


def plan_would_change(url: str | None, plan_path: str | Path) -> bool:
    """True if `init --plan plan_path` would change the live store's plan or policy (so the current PIN is asked)."""
    try:
        plan, policy_text = read_plan_file(plan_path)
        store = Store.open(url, create=False)
    except (SiteError, PlanError, PolicyError, StoreError):
        return False  # init itself then says what is wrong
    try:
        return plan_digest(store.get_setting(PLAN_KEY), store.get_setting(POLICY_KEY)) != plan_digest(plan.source_text, policy_text)
    finally:
        store.close()


def lacks_report_key(url: str | None) -> bool:
    """True if the store at `url` holds a PIN but no report key yet (init then asks the PIN to make one)."""
    from examops.services import site_key  # AES-GCM and scrypt: only where the site key is made or read

    try:
        store = Store.open(url, create=False)
    except StoreError:
        return False
    try:
        return store.secrets_readable() and store.get_secret(PIN_KEY) is not None and site_key.public_key(store) is None
    finally:
        store.close()


def has_chief_pin(url: str | None) -> bool:
    """True if a store exists at `url` and already holds a chief's PIN (init then keeps it unless told)."""
    try:
        store = Store.open(url, create=False)
    except StoreError:
        return False
    try:
        return not store.secrets_readable() or store.get_secret(PIN_KEY) is not None  # the lanes' login: a live store
    except StoreError:
        return False
    finally:
        store.close()


__all__ = ["Site", "SiteError", "PinLocked", "plan_digest", "init_site", "status", "device_id", "has_chief_pin", "lacks_report_key", "PlanError", "PolicyError", "StoreError"]
