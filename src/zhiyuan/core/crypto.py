"""Encryption of ID numbers at rest, and a keyed digest that lets the database enforce uniqueness.

One secret (`ZHIYUAN_ID_KEY`, else generated into var-keys/id_key beside var/ for the demo) yields two keys through HKDF:
one for Fernet (AES-128-CBC + HMAC-SHA256, authenticated), one for HMAC-SHA256 digests. The digest is
deterministic, so `UNIQUE(id_digest)` refuses a second registration of the same number without the
database ever seeing it; without the key it cannot be reversed by hashing all 10^17 candidates.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from functools import cache

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from zhiyuan.config.env import KEY_DIR, secret


@cache
def _keys() -> tuple[Fernet, bytes]:
    master = secret("ZHIYUAN_ID_KEY", "id_key", KEY_DIR).encode()

    def derive(info: bytes) -> bytes:
        return HKDF(algorithm=hashes.SHA256(), length=32, salt=b"zhiyuan-id", info=info).derive(master)

    return Fernet(base64.urlsafe_b64encode(derive(b"encrypt"))), derive(b"digest")


def encrypt(value: str) -> str:
    return _keys()[0].encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _keys()[0].decrypt(token.encode()).decode()
    except InvalidToken:
        # a wrong or rotated key must fail loudly rather than show garbage as someone's ID number
        raise ValueError("ID number cannot be decrypted with the configured ZHIYUAN_ID_KEY") from None


def digest(value: str) -> str:
    return hmac.new(_keys()[1], value.encode(), hashlib.sha256).hexdigest()


def key_fingerprint() -> str:
    """A short public name for the configured ID key (a digest under it; it reveals nothing of the key), so a
    backup can say which key it needs and a restore can refuse a database the configured key cannot read."""
    return digest("zhiyuan key fingerprint")[:16]
