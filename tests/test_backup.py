"""`zhiyuan backup` / `zhiyuan restore`: a backup restored into an empty database passes `verify_ledger`
(the times the chain hashes survive to the microsecond), ID numbers still decrypt with the same key, media
come back; a restore never writes over a database that has tables, nor with the wrong ID key."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tarfile
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from tests.people_helpers import bulk_volunteers
from zhiyuan.hours.services.ledger import ledger_append

ROOT = Path(__file__).resolve().parents[1]


def _zhiyuan(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "zhiyuan.manage", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )


def _ledger(world: Any) -> Any:
    volunteer = bulk_volunteers(world.east, 1, prefix="备份")[0]
    # times with microseconds: the part `dumpdata` would cut and the hash would then miss
    start = timezone.now().replace(microsecond=123456) - timedelta(days=2)
    for day in range(2):
        ledger_append(
            volunteer=volunteer,
            organization=world.east_team,
            activity="东广场志愿服务",
            starts_at=start + timedelta(days=day),
            ends_at=start + timedelta(days=day, hours=3, microseconds=654321),
            source="bulk",
            by=world.east_officer,
        )
    return volunteer


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    upload = tmp_path / "media" / "reports" / "photo.jpg"
    upload.parent.mkdir(parents=True)
    upload.write_bytes(b"\xff\xd8 a photo")
    return upload


def _restore_and_verify(backup: Path, env: dict[str, str], tmp_path: Path, volunteer: Any) -> None:
    restored = _zhiyuan(env, "restore", str(backup))
    assert restored.returncode == 0, restored.stderr
    assert "1 media files" in restored.stdout
    verified = _zhiyuan(env, "verify_ledger")
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert "every chain intact" in verified.stdout
    # the ID numbers are still readable with the same key
    shown = _zhiyuan(
        env,
        "shell",
        "-c",
        f"from zhiyuan.people.models import Volunteer; print(Volunteer.objects.get(pk={volunteer.pk}).reveal_id_number())",
    )
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.strip().splitlines()[-1] == volunteer.reveal_id_number()
    assert (tmp_path / "restored-media" / "reports" / "photo.jpg").read_bytes() == b"\xff\xd8 a photo"


def _env(database_url: str, tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ, DATABASE_URL=database_url, MEDIA_ROOT=str(tmp_path / "restored-media"))
    return env


@pytest.mark.django_db(transaction=True)
def test_sqlite_backup_restores_into_an_empty_database_with_the_ledger_intact(
    world: Any, media: Path, tmp_path: Path
) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite path")
    volunteer = _ledger(world)
    backup = tmp_path / "zhiyuan.backup"
    call_command("backup", output=backup)
    assert backup.stat().st_mode & 0o077 == 0  # personal data: owner only
    with tarfile.open(backup) as tar:
        names = tar.getnames()
        manifest = json.loads(tar.extractfile("manifest.json").read())  # type: ignore[union-attr]
    assert {"manifest.json", "KEYS.txt", "database.sqlite3", "media/reports/photo.jpg"} <= set(names)
    assert manifest["engine"] == "sqlite" and "id_key" not in " ".join(names)
    _restore_and_verify(
        backup, _env(f"sqlite:///{tmp_path / 'restored.sqlite3'}", tmp_path), tmp_path, volunteer
    )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_postgres_backup_restores_into_an_empty_database_with_the_ledger_intact(
    world: Any, media: Path, tmp_path: Path
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the PostgreSQL path: run with DATABASE_URL=postgres://…")
    if not shutil.which("pg_dump"):
        pytest.fail("pg_dump is missing: .ci/run installs postgresql-client")
    volunteer = _ledger(world)
    backup = tmp_path / "zhiyuan.backup"
    call_command("backup", output=backup)
    conf = connection.settings_dict
    target = f"{conf['NAME']}_restore"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{target}"')
        cursor.execute(f'CREATE DATABASE "{target}"')
    try:
        auth = conf["USER"] + (f":{conf['PASSWORD']}" if conf.get("PASSWORD") else "")
        url = f"postgres://{auth}@{conf['HOST'] or '127.0.0.1'}:{conf['PORT'] or 5432}/{target}"
        _restore_and_verify(backup, _env(url, tmp_path), tmp_path, volunteer)
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)')


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_database_that_has_tables(world: Any, media: Path, tmp_path: Path) -> None:
    _ledger(world)
    backup = tmp_path / "zhiyuan.backup"
    call_command("backup", output=backup)
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(backup))


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_another_id_key(world: Any, media: Path, tmp_path: Path) -> None:
    backup = tmp_path / "zhiyuan.backup"
    call_command("backup", output=backup)
    env = _env(f"sqlite:///{tmp_path / 'restored.sqlite3'}", tmp_path)
    env["ZHIYUAN_ID_KEY"] = "a-different-key-" + "x" * 30
    if connection.vendor != "sqlite":
        pytest.skip("the engine check answers first on PostgreSQL")
    restored = _zhiyuan(env, "restore", str(backup))
    assert restored.returncode != 0
    assert "ZHIYUAN_ID_KEY" in restored.stderr
    assert not (tmp_path / "restored-media").exists()
