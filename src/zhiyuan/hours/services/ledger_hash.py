"""The ledger's keyed hash chain: each entry's hash is an HMAC-SHA256, under a key kept outside the
database (`ZHIYUAN_LEDGER_KEY`, else generated once into var/ledger_key for the demo), of its canonical
fields and the previous entry's hash. Whoever can write to the database but does not hold the key cannot
re-hash a chain they altered.

Rotation: a new key goes into `ZHIYUAN_LEDGER_KEY`, the previous ones into `ZHIYUAN_LEDGER_OLD_KEYS`
(comma-separated); every entry names the key it was hashed under (`key_id`, a fingerprint, never the key),
so old entries keep verifying, and `zhiyuan rekey_ledger` re-hashes every chain under the new key once it
has verified them under the old ones.

Canonical fields survive serialisation (a backup's JSON, another database): hours as a fixed two-decimal
string, times as UTC ISO 8601 to the second.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from django.conf import settings

from zhiyuan.config.env import secret

TWO = Decimal("0.01")


def _fingerprint(key: str) -> str:
    return hashlib.sha256(b"zhiyuan-ledger-key:" + key.encode()).hexdigest()[:12]


def current_key() -> tuple[str, bytes]:
    """(key id, key) new entries are hashed under."""
    key = str(getattr(settings, "ZHIYUAN_LEDGER_KEY", "") or secret("ZHIYUAN_LEDGER_KEY", "ledger_key"))
    return _fingerprint(key), key.encode()


def known_keys() -> dict[str, bytes]:
    """Every key an entry may have been hashed under: the current one and the retired ones."""
    keys = {_fingerprint(k): k.encode() for k in getattr(settings, "ZHIYUAN_LEDGER_OLD_KEYS", []) if k}
    key_id, key = current_key()
    keys[key_id] = key
    return keys


def canonical_time(value: datetime) -> str:
    return value.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def canonical_hours(value: Any) -> str:
    return str(Decimal(value).quantize(TWO))


def entry_payload(entry: Any) -> str:
    """The canonical text an entry's hash covers: every field that gives it meaning, and the link."""
    return json.dumps(
        [
            entry.key_id,
            entry.volunteer_id,
            entry.seq,
            entry.kind,
            entry.organization_id,
            entry.shift_id,
            entry.station_id,
            entry.activity,
            entry.place,
            entry.content,
            entry.responsible_name,
            canonical_time(entry.starts_at),
            canonical_time(entry.ends_at),
            canonical_hours(entry.hours),
            entry.source,
            entry.recorded_by_id,
            entry.approved_by_id,
            entry.reverses_id,
            entry.reason,
            entry.prev_hash,
            canonical_time(entry.created_at),
        ],
        ensure_ascii=False,
        separators=(",", ":"),
    )


def entry_hash(entry: Any, key: bytes) -> str:
    return hmac.new(key, entry_payload(entry).encode(), hashlib.sha256).hexdigest()


def entry_hash_matches(entry: Any) -> str:
    """ "" when the entry's hash is right under the key it names, else what is wrong."""
    if not entry.key_id:
        return "unkeyed (legacy SHA-256) hash: run `zhiyuan migrate` / `zhiyuan rekey_ledger`"
    key = known_keys().get(entry.key_id)
    if key is None:
        return f"hashed under unknown key {entry.key_id}: add it to ZHIYUAN_LEDGER_OLD_KEYS"
    if not hmac.compare_digest(entry.hash, entry_hash(entry, key)):
        return "entry altered: hash does not match its contents"
    return ""


def legacy_hash(entry: Any) -> str:
    """The unkeyed SHA-256 the ledger used before the keyed chain (kept for the migration both ways)."""

    def iso(value: datetime) -> str:
        return value.astimezone(UTC).isoformat()

    payload = json.dumps(
        [
            entry.volunteer_id,
            entry.seq,
            entry.kind,
            entry.organization_id,
            entry.shift_id,
            entry.station_id,
            entry.activity,
            entry.place,
            entry.content,
            entry.responsible_name,
            iso(entry.starts_at),
            iso(entry.ends_at),
            canonical_hours(entry.hours),
            entry.source,
            entry.recorded_by_id,
            entry.reverses_id,
            entry.reason,
            entry.prev_hash,
            iso(entry.created_at),
        ],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def rehash_chain(entries: list[Any], *, check: Any, make: Any, key_id: str) -> list[tuple[int, str, str]]:
    """[(pk, prev_hash, hash)] for one volunteer's chain (in seq order) re-hashed by `make(entry)`, or []
    when `check(entry)` finds any link broken: a broken chain is left as it is, as evidence, never
    laundered into an intact one."""
    previous = "0" * 64
    for entry in entries:
        if entry.prev_hash != previous or not check(entry):
            return []
        previous = entry.hash
    out, previous = [], "0" * 64
    for entry in entries:
        entry.prev_hash, entry.key_id = previous, key_id
        entry.hash = make(entry)
        out.append((entry.pk, entry.prev_hash, entry.hash))
        previous = entry.hash
    return out
