"""The chief's seal: proof, in each chief decision event, that the chief's own key made it.

Device keys say which laptop wrote an event, and any laptop (or anyone who
can run examops with a laptop's key file) can write an approval in the
chief's name. So each decision also carries, in its payload under
`chief_seal`, an Ed25519 signature by the site key, which is kept on the
chief's desk sealed under the PIN (the store holds only its public half).
The seal covers the event's content but its chain place (`device_seq`, the
link, the hash), which is fixed only as the event is appended; the event id
is unique in the log, so a seal cannot be moved onto another event.

The cryptography is passed in (`check_signature`): the domain stays pure.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Callable, Iterable

from examops.domain.events import Event, Kind, canonical_json
from examops.domain.said import N_, Said, said

SEAL_KEY = "chief_seal"
CHIEF_VIAS = frozenset({"approval", "resolve", "reallocation", "move"})
"""The ways an admission comes from the chief's decision rather than from a lane's screening."""
DECISION_KINDS = frozenset({Kind.APPROVED, Kind.REJECTED, Kind.RESOLVED, Kind.MOVED, Kind.VOIDED, Kind.SESSION_CLOSED,
                            Kind.ALARM_RESOLVED, Kind.ROOM_OPENED})

SignatureCheck = Callable[[str, bytes, str], bool]


def is_chief_decision(event: Event) -> bool:
    """True for an event only the chief may write: a decision on a case, a move, an admission by the chief."""
    if event.kind in DECISION_KINDS:
        return True
    return event.kind == Kind.ADMITTED and event.payload.get("via") in CHIEF_VIAS


def seal_message(event: Event) -> bytes:
    """What the site key signs: the event's content without its chain place and without the seal itself."""
    content = event.content()
    del content["device_seq"]
    content["payload"] = {k: v for k, v in content["payload"].items() if k != SEAL_KEY}
    return ("examops-chief-v1:" + canonical_json(content)).encode("utf-8")


def with_seal(event: Event, sign: Callable[[bytes], str]) -> Event:
    """The event with the chief's seal in its payload (`sign`: the site key's signature, base64)."""
    return replace(event, payload={**event.payload, SEAL_KEY: sign(seal_message(event))})


@dataclass(frozen=True)
class SealProblem:
    """A chief decision (or an admission resting on one) that the chief's key did not seal."""

    event: Event
    case: str | None  # the exception case it decides or rests on
    reason: str  # "missing", "wrong" or "rests"

    @property
    def said(self) -> Said:
        return said(_WORDS[self.reason], kind=said(KIND_WORDS.get(self.event.kind, self.event.kind)), ticket=self.event.ticket or "-",
                    case=(self.case or "-")[:8], event=self.event.id, session=self.event.session or "-")

    def __str__(self) -> str:
        return str(self.said)


KIND_WORDS = {Kind.APPROVED: N_("the approval"), Kind.REJECTED: N_("the rejection"), Kind.RESOLVED: N_("the resolution"),
              Kind.MOVED: N_("the move"), Kind.ADMITTED: N_("the admission"), Kind.VOIDED: N_("the void"),
              Kind.SESSION_CLOSED: N_("the session's close"), Kind.ALARM_RESOLVED: N_("the alarm's finding"),
              Kind.ROOM_OPENED: N_("the room opened")}
_WORDS = {
    "missing": N_("{kind} about ticket {ticket} (session {session}, case {case}, event {event}) has no "
                  "chief's seal: written in the chief's name without the chief's key, or by a version before decisions "
                  "were sealed"),
    "wrong": N_("{kind} about ticket {ticket} (session {session}, case {case}, event {event}): its chief's "
                "seal does not match: forged or altered"),
    "rests": N_("admission of ticket {ticket} (session {session}, event {event}) rests on case {case}, whose decision the "
                "chief's key did not seal"),
}


def seal_problems(events_in_order: Iterable[Event], site_key: str | None,
                  check_signature: SignatureCheck) -> list[SealProblem]:
    """Every chief decision without a valid seal by `site_key` (the store's `site_public_key`; None: none to check
    against), then every sealed chief admission whose case rests on such a decision."""
    problems: list[SealProblem] = []
    unsealed_cases: set[str] = set()
    admissions: list[Event] = []
    for event in events_in_order:
        if not is_chief_decision(event):
            continue
        case = event.payload.get("exception_id") or None
        seal = event.payload.get(SEAL_KEY)
        if not seal:
            problems.append(SealProblem(event, case, "missing"))
        elif not site_key or not check_signature(site_key, seal_message(event), str(seal)):
            problems.append(SealProblem(event, case, "wrong"))
        else:
            if event.kind == Kind.ADMITTED and case:
                admissions.append(event)
            continue
        if case:
            unsealed_cases.add(case)
    problems.extend(SealProblem(e, e.payload["exception_id"], "rests") for e in admissions
                    if e.payload["exception_id"] in unsealed_cases)
    return problems
