"""The site's report key: kept on the chief's desk only, in an owner-only file, encrypted under a key made from the PIN.

The store holds only its public half (setting `site_public_key`), so a lane's
database login can read nothing that signs a report. The private key is
sealed with AES-GCM under a key derived from the chief's PIN by scrypt; the
public key is the sealed data's associated data, so a file whose key was
swapped does not open. A 4-digit PIN guards the file against a casual
reader only: the file's owner-only mode and the desk's login are the wall,
the PIN is what makes signing a deliberate act of the chief.
"""

from __future__ import annotations

import base64
import json
import os
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from examops.domain.said import N_, SaidError, said

FORMAT = "examops-site-key"
VERSION = 1
_N, _R, _P = 2**15, 8, 1


class SiteKeyError(SaidError):
    """The key file is missing, damaged, or the PIN does not open it."""


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def _derive(pin: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return Scrypt(salt=salt, length=32, n=n, r=r, p=p).derive(pin.encode("utf-8"))


def _seal(private_pem: str, public_b64: str, pin: str) -> dict:
    salt, nonce = os.urandom(16), os.urandom(12)
    sealed = AESGCM(_derive(pin, salt, _N, _R, _P)).encrypt(nonce, private_pem.encode("ascii"), public_b64.encode("ascii"))
    return {"format": FORMAT, "version": VERSION, "public_key": public_b64, "kdf": "scrypt", "n": _N, "r": _R, "p": _P,
            "salt": _b64(salt), "nonce": _b64(nonce), "sealed": _b64(sealed)}


def _write(path: Path, content: dict) -> None:
    """Write aside, owner-only, then swap in: a crash leaves the old file or the new one, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    partial = path.with_name(path.name + ".part")
    fd = os.open(partial, os.O_CREAT | os.O_TRUNC | os.O_WRONLY, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump(content, out)
        out.flush()
        os.fsync(out.fileno())
    os.replace(partial, path)


def create(path: Path, pin: str) -> str:
    """Make a new report key sealed under `pin` at `path`; returns its public key (base64)."""
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption()).decode("ascii")
    public_b64 = _b64(key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw))
    _write(path, _seal(pem, public_b64, pin))
    return public_b64


def read_public(path: Path) -> str | None:
    """The public key a key file holds, or None when there is no file."""
    try:
        return str(json.loads(path.read_text(encoding="utf-8"))["public_key"])
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise SiteKeyError(said(N_("the report key file {path} cannot be read: {error}"), path=path, error=exc)) from None


def unlock(path: Path, pin: str) -> tuple[str, str]:
    """(private key PEM, public key base64) from the file, opened with `pin`."""
    try:
        content = json.loads(path.read_text(encoding="utf-8"))
        if content.get("format") != FORMAT or content.get("kdf") != "scrypt":
            raise ValueError("not an examops site key file")
        key = _derive(pin, base64.b64decode(content["salt"]), int(content["n"]), int(content["r"]), int(content["p"]))
        pem = AESGCM(key).decrypt(base64.b64decode(content["nonce"]), base64.b64decode(content["sealed"]),
                                  str(content["public_key"]).encode("ascii")).decode("ascii")
    except FileNotFoundError:
        raise
    except InvalidTag:
        raise SiteKeyError(said(N_("the PIN does not open the report key file {path}"), path=path)) from None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise SiteKeyError(said(N_("the report key file {path} cannot be read: {error}"), path=path, error=exc)) from None
    return pem, str(content["public_key"])


def reseal(path: Path, old_pin: str, new_pin: str) -> None:
    """The same key, sealed under the new PIN (when the chief changes it)."""
    pem, public_b64 = unlock(path, old_pin)
    _write(path, _seal(pem, public_b64, new_pin))
