"""What the site key signs for a report: the canonical text of the signed fields, and the QR code's payload."""

from __future__ import annotations

from examops.domain.events import canonical_json

FORMAT = "examops-report/1"
SIGNED_FIELDS = ("format", "exam", "site", "sessions", "generated_at", "figures_sha256", "chain_heads_sha256", "cells_sha256")
"""The fields the signature covers; the three digests stand for the report's contents."""


def signed_message(fields: dict) -> bytes:
    """The bytes signed and verified: the signed fields (missing ones as null) as canonical JSON."""
    return canonical_json({key: fields.get(key) for key in SIGNED_FIELDS}).encode("utf-8")


def qr_payload(fingerprint: str, signature: str, figures_sha256: str) -> str:
    """The text of the report's QR code: format, key fingerprint, signature and figures digest."""
    return f"{FORMAT};fp={fingerprint};sig={signature};fig={figures_sha256}"
