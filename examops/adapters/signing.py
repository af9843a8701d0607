"""The site's Ed25519 key: made at `init`, signs the bureau reports (cryptography)."""

from __future__ import annotations

import base64
import hashlib

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey


def new_key_pem() -> str:
    """A fresh private key as PKCS#8 PEM text (kept in the owner-only store)."""
    key = Ed25519PrivateKey.generate()
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption()).decode("ascii")


def _private(pem: str) -> Ed25519PrivateKey:
    key = serialization.load_pem_private_key(pem.encode("ascii"), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError("the site key is not an Ed25519 key")
    return key


def public_key_b64(private_pem: str) -> str:
    raw = _private(private_pem).public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode("ascii")


def fingerprint(public_b64: str) -> str:
    """A short, stable name for a public key: SHA-256 of its raw bytes, 16 hex groups of 4."""
    digest = hashlib.sha256(base64.b64decode(public_b64)).hexdigest()[:32]
    return ":".join(digest[i:i + 4] for i in range(0, 32, 4))


def sign(private_pem: str, message: bytes) -> str:
    return base64.b64encode(_private(private_pem).sign(message)).decode("ascii")


def verify(public_b64: str, message: bytes, signature_b64: str) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(base64.b64decode(public_b64)).verify(base64.b64decode(signature_b64), message)
    except (InvalidSignature, ValueError):
        return False
    return True
