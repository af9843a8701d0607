"""Who may sign the log: enrolled device keys, and the check `verify` runs over every event's signature.

The chief's desk is enrolled by `init` (its enrolment signs itself); every
later enrolment or revocation counts only when the desk's key signed it.
An event counts when its signature matches its hash, its key was enrolled
and not revoked, and the same key signs the rest of its device's chain.
The cryptography is passed in (`check_signature`): the domain stays pure.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterable

from examops.domain.event_payloads import DeviceEnrolled, DeviceRevoked
from examops.domain.events import ChainBreak, Event, Kind, signing_message
from examops.domain.said import N_, said

SignatureCheck = Callable[[str, bytes, str], bool]


UNSIGNED = N_("unsigned event (written before devices signed, or forged without a key)")

SignatureProblem = ChainBreak
"""A signature that fails at one event of a device's chain: told like a broken link of that chain (one type)."""


@dataclass
class Enrolments:
    """The keys the log enrols: public key → laptop, the desk's key, and revoked keys (with where)."""

    laptops: dict[str, str] = field(default_factory=dict)
    desk: str | None = None
    revoked: set[str] = field(default_factory=set)


def signature_problems(events_in_order: Iterable[Event], check_signature: SignatureCheck,
                       chain_keys: dict[str, str] | None = None) -> list[SignatureProblem]:
    """Every event whose signature does not hold, in the order given (the store's `pos` order).

    `chain_keys` (device → key) names the key that signed the earlier part of each chain, when only the log's
    enrolments and its newest events are given (the cheap tamper check)."""
    return _fold(events_in_order, check_signature, chain_keys)[1]


def enrolled_keys(events_in_order: Iterable[Event], check_signature: SignatureCheck) -> set[str]:
    """The keys the log enrols and has not revoked (give it at least every enrolment and revocation)."""
    enrolled = _fold(events_in_order, check_signature)[0]
    return set(enrolled.laptops) - enrolled.revoked


def _fold(events_in_order: Iterable[Event], check_signature: SignatureCheck,
          chain_keys: dict[str, str] | None = None) -> tuple[Enrolments, list[SignatureProblem]]:
    events_in_order = list(events_in_order)
    # Enrolments count from the start: init records the plan it set in the same transaction as the desk's enrolment.
    early = Enrolments()
    for event in events_in_order:
        if event.kind == Kind.DEVICE_ENROLLED and event.signature and check_signature(
                event.signer, signing_message(event.hash), event.signature):
            enrolment = DeviceEnrolled.from_event(event)
            if early.desk is None and enrolment.role == "desk" and enrolment.public_key == event.signer:
                early.desk = event.signer
            if event.signer == early.desk:
                early.laptops[enrolment.public_key] = enrolment.laptop
    enrolled = Enrolments(laptops=dict(early.laptops), desk=early.desk)
    problems: list[SignatureProblem] = []
    chain_keys = dict(chain_keys or {})  # device chain → the key that signs it

    def refuse(event: Event, reason: str) -> None:
        problems.append(SignatureProblem(event.device, event.device_seq, event.id, said(reason)))

    for event in events_in_order:
        if not event.signature or not event.signer:
            refuse(event, UNSIGNED)
            continue
        if not check_signature(event.signer, signing_message(event.hash), event.signature):
            refuse(event, N_("signature does not match the event: forged or altered"))
            continue
        if event.kind == Kind.DEVICE_ENROLLED:
            enrolment = DeviceEnrolled.from_event(event)
            if event.signer != enrolled.desk:
                refuse(event, N_("device enrolment not signed by the chief's desk: ignored"))
                continue
            else:
                enrolled.laptops[enrolment.public_key] = enrolment.laptop
                enrolled.revoked.discard(enrolment.public_key)
        elif event.kind == Kind.DEVICE_REVOKED:
            if event.signer != enrolled.desk:
                refuse(event, N_("device revocation not signed by the chief's desk: ignored"))
                continue
            enrolled.revoked.add(DeviceRevoked.from_event(event).public_key)
        laptop = enrolled.laptops.get(event.signer)
        if laptop is None:
            refuse(event, N_("signed by a device key the chief never enrolled"))
        elif event.signer in enrolled.revoked:
            refuse(event, N_("signed by a device key the chief revoked"))
        elif chain_keys.setdefault(event.device, event.signer) != event.signer:
            refuse(event, N_("signed by another key than the rest of this device's chain: forged into it"))
    return enrolled, problems
