"""Backups that keep the hour ledger valid: the database copied byte for byte, never re-serialised.

`dumpdata`/`loaddata` cut times to milliseconds and every hashed ledger link then breaks; so PostgreSQL is
dumped with `pg_dump --format=custom` and restored with `pg_restore`, and SQLite is copied with its online
backup API (a consistent snapshot while the site keeps writing). One tar file holds the database, the
uploaded media and a manifest. The keys are deliberately NOT in it (KEYS.txt inside says which): the
ID-number key (`ZHIYUAN_ID_KEY`) decrypts every ID number in the dump, so it is kept apart from the
backups, and a restore checks the configured key is the one the backup was written with.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from glob import glob
from pathlib import Path, PurePosixPath
from typing import Any

from django.conf import settings
from django.db import connections
from django.utils import timezone

from zhiyuan.core import crypto

FORMAT = 1
MANIFEST = "manifest.json"
KEYS_NOTE = """zhiyuan backup: what this file does NOT contain, and must be kept apart from it

ZHIYUAN_ID_KEY (or the file id_key in ZHIYUAN_KEY_DIR, by default var-keys/ beside var/): encrypts every ID number in this backup.
  Without it the ID numbers cannot be read again, and registrations cannot be checked for duplicates.
  Keep it in a password manager or a secrets store, never beside the backups: whoever holds both
  holds every volunteer's ID number. Its fingerprint is in manifest.json ("id_key_fingerprint").
SECRET_KEY (or the file secret_key): signs sessions, password-reset links and QR/poster tokens.
  A different one logs everybody out and invalidates links already sent; nothing is lost.
"""


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why and what to do."""


@dataclass(frozen=True)
class Outcome:
    path: Path
    engine: str
    media_files: int


def _engine(alias: str) -> str:
    vendor = connections[alias].vendor
    if vendor not in {"postgresql", "sqlite"}:
        raise BackupError(f"backup supports PostgreSQL and SQLite, not {vendor}")
    return vendor


def _pg_tool(name: str) -> str:
    """pg_dump/pg_restore: on PATH, else the newest PostgreSQL install (Debian keeps them per version)."""
    found = shutil.which(name) or next(
        iter(sorted(glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)), None
    )
    if not found:
        raise BackupError(f"{name} not found: install the PostgreSQL client tools (postgresql-client)")
    return found


def _pg_env(alias: str) -> dict[str, str]:
    conf = connections[alias].settings_dict
    env = dict(os.environ)
    for var, key in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER"), ("PGPASSWORD", "PASSWORD")):
        if conf.get(key):
            env[var] = str(conf[key])
    if conf.get("OPTIONS", {}).get("sslmode"):
        env["PGSSLMODE"] = conf["OPTIONS"]["sslmode"]
    return env


def _run(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {result.stderr.strip()[-2000:]}")


def _media_root() -> Path:
    return Path(settings.MEDIA_ROOT)


def backup_write(*, output: Path, alias: str = "default") -> Outcome:
    """Write database + media + manifest to `output` (mode 0600: it holds personal data)."""
    engine = _engine(alias)
    conn = connections[alias]
    output = output.resolve()
    with tempfile.TemporaryDirectory(dir=output.parent) as tmp:
        dump = Path(tmp) / ("database.pgdump" if engine == "postgresql" else "database.sqlite3")
        if engine == "postgresql":
            _run(
                [_pg_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges",
                 f"--file={dump}", conn.settings_dict["NAME"]],
                _pg_env(alias),
            )  # fmt: skip
        else:
            conn.ensure_connection()
            target = sqlite3.connect(dump)
            try:
                conn.connection.backup(target)
            finally:
                target.close()
        manifest = {
            "format": FORMAT,
            "engine": engine,
            "created_at": timezone.now().isoformat(),
            "id_key_fingerprint": crypto.key_fingerprint(),
            "migrations": _migration_heads(alias),
            "database": dump.name,
        }
        media = _media_root()
        media_files = sorted(p for p in media.rglob("*") if p.is_file()) if media.is_dir() else []
        partial = Path(tmp) / "backup.tar"
        with tarfile.open(partial, "w") as tar:
            _add_bytes(tar, MANIFEST, json.dumps(manifest, indent=2).encode())
            _add_bytes(tar, "KEYS.txt", KEYS_NOTE.encode())
            tar.add(dump, arcname=dump.name)
            for path in media_files:
                tar.add(path, arcname=f"media/{path.relative_to(media).as_posix()}")
        partial.chmod(0o600)
        os.replace(partial, output)  # a backup is either whole or absent
    return Outcome(path=output, engine=engine, media_files=len(media_files))


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(timezone.now().timestamp())
    info.mode = 0o600
    tar.addfile(info, io.BytesIO(data))


def _migration_heads(alias: str) -> dict[str, str]:
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY id")
        return {app: name for app, name in cursor.fetchall()}


def _user_tables(alias: str) -> list[str]:
    conn = connections[alias]
    with conn.cursor() as cursor:
        return [t for t in conn.introspection.table_names(cursor) if not t.startswith("sqlite_")]


def backup_read_manifest(*, source: Path) -> dict[str, Any]:
    with tarfile.open(source, "r") as tar:
        member = tar.extractfile(MANIFEST)
        if member is None:
            raise BackupError(f"{source} is not a zhiyuan backup (no {MANIFEST})")
        manifest: dict[str, Any] = json.loads(member.read())
    if manifest.get("format") != FORMAT:
        raise BackupError(f"backup format {manifest.get('format')} is not {FORMAT}")
    return manifest


def backup_restore(*, source: Path, alias: str = "default", other_key: bool = False) -> Outcome:
    """Restore `source` into an EMPTY database (never over live data) and put its media back."""
    engine = _engine(alias)
    manifest = backup_read_manifest(source=source)
    if manifest["engine"] != engine:
        raise BackupError(f"this backup is of a {manifest['engine']} database; the target is {engine}")
    if not other_key and manifest["id_key_fingerprint"] != crypto.key_fingerprint():
        raise BackupError(
            "the configured ZHIYUAN_ID_KEY is not the key this backup was written with: its ID numbers "
            "could not be decrypted. Configure that key (see KEYS.txt in the backup), or pass --other-key."
        )
    if tables := _user_tables(alias):
        raise BackupError(
            f"the target database is not empty ({len(tables)} tables): restore only into a new, empty database"
        )
    media = _media_root()
    with tarfile.open(source, "r") as tar, tempfile.TemporaryDirectory() as tmp:
        tar.extract(manifest["database"], tmp, filter="data")
        dump = Path(tmp) / manifest["database"]
        conn = connections[alias]
        if engine == "postgresql":
            _run(
                [_pg_tool("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error",
                 "--single-transaction", f"--dbname={conn.settings_dict['NAME']}", str(dump)],
                _pg_env(alias),
            )  # fmt: skip
        else:
            conn.ensure_connection()
            src = sqlite3.connect(dump)
            try:
                src.backup(conn.connection)
            finally:
                src.close()
            conn.close()  # the next query reopens with the restored schema
        count = 0
        for member in tar.getmembers():
            name = PurePosixPath(member.name)
            if name.parts[:1] != ("media",) or not member.isfile():
                continue
            # the "data" filter refuses absolute paths, `..`, links out of the tree and device files
            member.name = str(PurePosixPath(*name.parts[1:]))
            if (media / member.name).exists():
                continue  # an upload already back in place (a restore run twice)
            tar.extract(member, media, filter="data")
            count += 1
    return Outcome(path=source, engine=engine, media_files=count)
