"""`examops verify`: the store's integrity, every device's hash chain and signatures, the chief's seal on each chief
decision, the order of the log, the roster and plan against their recorded digests, and the admissions guard."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from examops.adapters import signing
from examops.adapters.store import Store
from examops.adapters.store import events as event_log
from examops.adapters.store.digests import live_digests
from examops.adapters.store.photo_queries import live_photo_digests
from examops.domain.event_payloads import AdmissionConflict, PlanSet
from examops.domain.events import GENESIS, ChainBreak, Kind, verify_chain
from examops.domain.log_order import order_problems
from examops.domain.photo_pack import photo_differences, recorded_photos
from examops.domain.said import N_, Said, said
from examops.domain.signatures import signature_problems
from examops.domain.table_digests import table_differences
from examops.services.chief_seal import problems_in as unsealed_decisions
from examops.services.site import Site

LANE_CACHE_KEY = "lane_cache_roster"  # set in a lane's offline cache, whose chains link on from an anchor


@dataclass
class VerifyReport:
    events: int = 0
    devices: dict[str, int] = field(default_factory=dict)
    findings: list[Said] = field(default_factory=list)
    """Each problem as a sentence the edge says in the site's language (`examops.i18n.spoken`)."""

    @property
    def problems(self) -> list[str]:
        """The problems in English (JSON, tests)."""
        return [str(f) for f in self.findings]

    @property
    def ok(self) -> bool:
        return not self.findings

    def to_json(self) -> dict:
        return {"ok": self.ok, "events": self.events, "devices": self.devices, "problems": self.problems}


def _table_problems(in_pos_order: list, live: dict, clock) -> list[Said]:  # noqa: ANN001 - the site's Clock
    """The live plan, PIN and roster tables against the last digest the log recorded of them."""
    recorded = [e for e in in_pos_order if e.kind == Kind.PLAN_SET]
    if not recorded:
        return [said(N_("the log records no digest of the plan and roster (a store from before digests, or the record "
                        "was removed): run `examops init` with the chief's PIN to record them"))]
    last = recorded[-1]
    return [said(N_("{part} differs from what the log recorded at {at} (event {event}): edited outside examops"),
                 part=part, at=clock.shown(last.at, date=True), event=last.id)
            for part in table_differences(PlanSet.from_event(last).digests, live)]


_PHOTO_WORDS = {
    "differs": N_("the photo of ticket {ticket} differs from the one the log recorded at {at} (event {event}): swapped or "
                  "edited outside examops"),
    "missing": N_("the photo of ticket {ticket} the log recorded at {at} (event {event}) is missing from the store: removed "
                  "outside examops"),
    "unrecorded": N_("the store holds a photo of ticket {ticket} that the log never recorded: put there outside examops"),
}


def _photo_problems(in_pos_order: list, live: dict) -> list[Said]:
    """The stored photos' bytes against the digests the photo imports logged (a purge clears them)."""
    return [said(_PHOTO_WORDS[what], ticket=ticket, at=event.at if event else "", event=event.id if event else "")
            for ticket, what, event in photo_differences(recorded_photos(in_pos_order), live)]


def verify(site: Site, reports: Sequence[str | Path] = ()) -> VerifyReport:
    """Check everything the store, this laptop's witness file and the given signed reports can tell."""
    report = VerifyReport()
    if site.store.is_sqlite:
        try:
            site.store.integrity_check()
        except Exception as exc:  # noqa: BLE001 - reported, not swallowed
            report.findings.append(said(N_("the store failed its integrity check: {detail}"), detail=exc))
            return report

    admitted_ids: set[str] = set()
    conflicting: set[str] = set()
    lane_cache = site.store.get_setting(LANE_CACHE_KEY) is not None
    with site.store.read() as conn:
        for device in event_log.devices(conn):
            chain = event_log.device_chain(conn, device)
            report.devices[device] = len(chain)
            report.events += len(chain)
            start_seq, start_prev = 1, GENESIS
            if chain and chain[0].device_seq > 1:
                anchor_seq, anchor_prev = Store.head_anchor(conn, device)
                if not lane_cache:
                    template = (N_("device {device}: its chain starts at seq {seq}: its first events were removed (and an "
                                   "anchor setting forged)") if anchor_seq else
                                N_("device {device}: its chain starts at seq {seq}: its first events were removed"))
                    report.findings.append(said(template, device=device, seq=chain[0].device_seq))
                    start_seq, start_prev = chain[0].device_seq, chain[0].prev_hash
                elif anchor_seq + 1 == chain[0].device_seq:  # an offline lane's cache links on from its anchor
                    start_seq, start_prev = chain[0].device_seq, anchor_prev
            breaks: list[ChainBreak] = verify_chain(chain, start_seq, start_prev)
            report.findings.extend(b.said for b in breaks)
            admitted_ids.update(e.id for e in chain if e.kind == Kind.ADMITTED)
            conflicting.update(AdmissionConflict.from_event(e).conflicting for e in chain if e.kind == Kind.CONFLICT)
        guarded = event_log.admission_guard_ids(conn)
        in_pos_order = event_log.all_in_pos_order(conn)
        live = live_digests(conn)
        live_photos = live_photo_digests(conn)
    report.findings.extend(p.said for p in signature_problems(in_pos_order, signing.verify))
    report.findings.extend(p.said for p in unsealed_decisions(site, in_pos_order))  # decisions in the chief's name
    report.findings.extend(order_problems(in_pos_order))
    report.findings.extend(_table_problems(in_pos_order, live, site.clock))
    report.findings.extend(_photo_problems(in_pos_order, live_photos))
    with site.store.read() as conn:
        heads = {device: (seq, hash_) for device, seq, hash_ in event_log.chain_heads(conn)}
        witnessed, distrust = site.store.witnessed()
        report.findings.extend(witness_problems(conn, witnessed, said(N_("this laptop's witness file"))))
        for path in reports:
            report.findings.extend(_report_problems(site, conn, path))
    if distrust:
        report.findings.append(distrust)
    for event_id in admitted_ids - guarded - conflicting:
        report.findings.append(said(N_("admission event {event} has no admissions row: the uniqueness guard was bypassed"),
                                    event=event_id))
    for event_id in guarded - admitted_ids:
        report.findings.append(said(N_("admissions row points at event {event}, which is not an admission in the log"),
                                    event=event_id))
    if report.ok:
        site.store.witness(heads)  # what this laptop has now seen, for the next verify
    return report


def witness_problems(conn, witnessed: dict, witness: Said) -> list[Said]:  # noqa: ANN001
    """Each head a witness recorded must still be in the store, as recorded."""
    problems = []
    for device, (seq, hash_) in sorted(witnessed.items()):
        held = event_log.chain_heads_of(conn, device)
        stored = event_log.hash_at(conn, device, seq)
        if held is None:
            problems.append(said(N_("device {device}: {witness} witnessed its chain up to seq {seq}; the store holds none "
                                    "of it: the whole chain was deleted"), device=device, witness=witness, seq=seq))
        elif stored is None:
            problems.append(said(N_("device {device}: {witness} witnessed seq {seq}; the store holds only up to seq {held}: "
                                    "events were removed (cut short or rolled back)"),
                                 device=device, witness=witness, seq=seq, held=held))
        elif stored != hash_:
            problems.append(said(N_("device {device}, seq {seq}: {witness} witnessed another event there: the chain was "
                                    "rewritten"), device=device, seq=seq, witness=witness))
    return problems


def _report_problems(site: Site, conn, path) -> list[Said]:  # noqa: ANN001
    """A signed report is a witness: the store must still hold and extend every chain head it recorded."""
    from examops.adapters.excel_out.report_reader import load_cells, signature_cells
    from examops.services.report import ReportRefused, verify_report

    try:
        checked = verify_report(path)
        stated = signature_cells(load_cells(path))
    except (ReportRefused, OSError, ValueError) as exc:
        return [said(N_("{path}: cannot be read as a witness: {error}"), path=path, error=exc)]
    if stated is None or not checked.signature_valid:
        return [said(N_("{path}: not a validly signed examops report: it cannot witness this store"), path=path)]
    current, retired = site_fingerprints(site)
    if checked.fingerprint != current and checked.fingerprint not in retired:
        return [said(N_("{path}: signed by key {key}, not this site's: it cannot witness this store"), path=path,
                     key=checked.fingerprint)]
    heads = {str(device): (int(seq), str(hash_)) for device, seq, hash_ in stated.chain_heads if device}
    return witness_problems(conn, heads, said(N_("the report {name}"), name=Path(path).name))


def site_report_key(site: Site) -> dict:
    """The public key this site signs its reports with: what the bureau puts on its trust list before the exam."""
    from examops.services.site_key import public_key

    public = public_key(site.store)
    if not public:
        return {"site": site.plan.site, "public_key": None, "fingerprint": None}
    return {"site": site.plan.site, "public_key": public, "fingerprint": signing.fingerprint(public)}


def site_fingerprints(site: Site) -> tuple[str, set[str]]:
    """This site's report key, and the keys it retired (their reports still witness the store)."""
    from examops.services.site_key import fingerprints

    return fingerprints(site.store)
