"""Ed25519 keys (cryptography): the site's report key, and each laptop's device key that signs its events."""

from __future__ import annotations

import base64
import hashlib
import os
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

# `serialization` (with its SSH, X.509 and cipher modules) is imported only where a PEM is written or is not the
# plain PKCS#8 Ed25519 key this module writes: a one-shot `examops check` loads its device key without it.
PKCS8_ED25519_PREFIX = bytes.fromhex("302e020100300506032b657004220420")
"""The DER of an unencrypted PKCS#8 Ed25519 private key before its 32-byte seed (RFC 8410)."""
PEM_BEGIN, PEM_END = "-----BEGIN PRIVATE KEY-----", "-----END PRIVATE KEY-----"


def new_key_pem() -> str:
    """A fresh private key as PKCS#8 PEM text (kept in the owner-only store)."""
    from cryptography.hazmat.primitives import serialization

    key = Ed25519PrivateKey.generate()
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption()).decode("ascii")


def _plain_seed(pem: str) -> bytes | None:
    """The seed of a plain PKCS#8 Ed25519 PEM (what `new_key_pem` writes), or None for any other PEM."""
    text = pem.strip()
    if not (text.startswith(PEM_BEGIN) and text.endswith(PEM_END)):
        return None
    try:
        der = base64.b64decode("".join(text[len(PEM_BEGIN):-len(PEM_END)].split()), validate=True)
    except ValueError:
        return None
    if len(der) != len(PKCS8_ED25519_PREFIX) + 32 or not der.startswith(PKCS8_ED25519_PREFIX):
        return None
    return der[len(PKCS8_ED25519_PREFIX):]


def _private(pem: str) -> Ed25519PrivateKey:
    seed = _plain_seed(pem)
    if seed is not None:
        return Ed25519PrivateKey.from_private_bytes(seed)
    from cryptography.hazmat.primitives import serialization

    key = serialization.load_pem_private_key(pem.encode("ascii"), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError("the site key is not an Ed25519 key")
    return key


def public_key_b64(private_pem: str) -> str:
    return base64.b64encode(_private(private_pem).public_key().public_bytes_raw()).decode("ascii")


def fingerprint(public_b64: str) -> str:
    """A short, stable name for a public key: SHA-256 of its raw bytes, 16 hex groups of 4."""
    digest = hashlib.sha256(base64.b64decode(public_b64)).hexdigest()[:32]
    return ":".join(digest[i:i + 4] for i in range(0, 32, 4))


def sign(private_pem: str, message: bytes) -> str:
    return base64.b64encode(_private(private_pem).sign(message)).decode("ascii")


def verify(public_b64: str, message: bytes, signature_b64: str) -> bool:
    from cryptography.exceptions import InvalidSignature

    try:
        Ed25519PublicKey.from_public_bytes(base64.b64decode(public_b64)).verify(base64.b64decode(signature_b64), message)
    except (InvalidSignature, ValueError):
        return False
    return True


class DeviceKey:
    """A laptop's own Ed25519 key: made on first use, kept in an owner-only file there, never in the store."""

    def __init__(self, private: Ed25519PrivateKey):
        self._private = private
        self.public_b64 = base64.b64encode(private.public_key().public_bytes_raw()).decode("ascii")

    @classmethod
    def load_or_create(cls, path: Path) -> "DeviceKey":
        if path.exists():
            return cls(_private(path.read_text(encoding="ascii")))
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        pem = new_key_pem()
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as out:
            out.write(pem)
        return cls(_private(pem))

    def sign(self, message: bytes) -> str:
        return base64.b64encode(self._private.sign(message)).decode("ascii")
