"""`examops verify`: the store's integrity, every device's hash chain and signatures, the order of the log, the
roster and plan against their recorded digests, and the admissions guard."""

from __future__ import annotations

from dataclasses import dataclass, field

from examops.adapters import signing
from examops.adapters.store import Store
from examops.adapters.store import events as event_log
from examops.adapters.store.digests import live_digests
from examops.domain.event_payloads import AdmissionConflict, PlanSet
from examops.domain.log_order import order_problems
from examops.domain.table_digests import table_differences
from examops.domain.events import GENESIS, ChainBreak, Kind, verify_chain
from examops.domain.signatures import signature_problems
from examops.services.site import Site


@dataclass
class VerifyReport:
    events: int = 0
    devices: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_json(self) -> dict:
        return {"ok": self.ok, "events": self.events, "devices": self.devices, "problems": self.problems}


def _table_problems(in_pos_order: list, live: dict) -> list[str]:
    """The live plan, PIN and roster tables against the last digest the log recorded of them."""
    recorded = [e for e in in_pos_order if e.kind == Kind.PLAN_SET]
    if not recorded:
        return ["the log records no digest of the plan and roster (a store from before digests, or the record was "
                "removed): run `examops init` with the chief's PIN to record them"]
    last = recorded[-1]
    return [f"{part} differs from what the log recorded at {last.at} (event {last.id}): edited outside examops"
            for part in table_differences(PlanSet.from_event(last).digests, live)]


def verify(site: Site) -> VerifyReport:
    """Check everything that can be checked from the store alone."""
    report = VerifyReport()
    if site.store.is_sqlite:
        try:
            site.store.integrity_check()
        except Exception as exc:  # noqa: BLE001 - reported, not swallowed
            report.problems.append(str(exc))
            return report
    admitted_ids: set[str] = set()
    conflicting: set[str] = set()
    with site.store.read() as conn:
        for device in event_log.devices(conn):
            chain = event_log.device_chain(conn, device)
            report.devices[device] = len(chain)
            report.events += len(chain)
            start_seq, start_prev = 1, GENESIS
            if chain and chain[0].device_seq > 1:  # an offline lane's store: links on from its anchor
                anchor_seq, anchor_prev = Store.head_anchor(conn, device)
                if anchor_seq + 1 == chain[0].device_seq:
                    start_seq, start_prev = chain[0].device_seq, anchor_prev
            breaks: list[ChainBreak] = verify_chain(chain, start_seq, start_prev)
            report.problems.extend(str(b) for b in breaks)
            admitted_ids.update(e.id for e in chain if e.kind == Kind.ADMITTED)
            conflicting.update(AdmissionConflict.from_event(e).conflicting for e in chain if e.kind == Kind.CONFLICT)
        guarded = event_log.admission_guard_ids(conn)
        in_pos_order = event_log.all_in_pos_order(conn)
        live = live_digests(conn)
    report.problems.extend(str(p) for p in signature_problems(in_pos_order, signing.verify))
    report.problems.extend(order_problems(in_pos_order))
    report.problems.extend(_table_problems(in_pos_order, live))
    for event_id in admitted_ids - guarded - conflicting:
        report.problems.append(f"admission event {event_id} has no admissions row: the uniqueness guard was bypassed")
    for event_id in guarded - admitted_ids:
        report.problems.append(f"admissions row points at event {event_id}, which is not an admission in the log")
    return report
