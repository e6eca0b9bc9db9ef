"""Uploaded roster files hold ID numbers in clear text: gone once the import is over (done, rejected or
failed), purged nightly and on a data-rights deletion; the generated ID key is kept outside var/."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.people_helpers import roster_row, roster_xlsx
from zhiyuan.people.models import DeletionRequest, RosterImport, Volunteer
from zhiyuan.people.services.data_rights import deletion_request_create, deletion_request_process
from zhiyuan.people.services.roster_import import roster_import_start

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _inline_tasks_and_media(settings: Any, tmp_path: Path) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = str(tmp_path / "media")


def _files(tmp_path: Path) -> list[Path]:
    return [p for p in (tmp_path / "media").rglob("*") if p.is_file()]


def _import(world: Any, tmp_path: Path, rows: list[list[Any]], capture: Any) -> RosterImport:
    sheet = tmp_path / "名单.xlsx"
    roster_xlsx(sheet, rows)
    with capture(execute=True):
        job = roster_import_start(
            by=world.east_officer,
            organization=world.east,
            upload=SimpleUploadedFile(sheet.name, sheet.read_bytes()),
            consent_evidence="书面同意书",
        )
    job.refresh_from_db()
    return job


def test_the_file_is_deleted_once_the_import_is_done(
    world: Any, tmp_path: Path, django_capture_on_commit_callbacks: Any
) -> None:
    job = _import(world, tmp_path, [roster_row(i) for i in range(1, 6)], django_capture_on_commit_callbacks)
    assert (job.status, job.created_volunteers) == (RosterImport.Status.DONE, 5)
    assert job.file.name == "" and _files(tmp_path) == []


def test_a_rejected_files_rows_are_listed_and_the_file_is_gone(
    world: Any, tmp_path: Path, django_capture_on_commit_callbacks: Any
) -> None:
    rows = [roster_row(1), roster_row(2, 证件号码="410105198001011234")]
    job = _import(world, tmp_path, rows, django_capture_on_commit_callbacks)
    assert job.status == RosterImport.Status.REJECTED and job.errors[0]["row"] == 3
    assert _files(tmp_path) == []


def test_a_data_rights_deletion_purges_roster_files_left_behind(
    world: Any, tmp_path: Path, django_capture_on_commit_callbacks: Any
) -> None:
    # given an import finished before files were discarded, its file still under media/imports/
    _import(world, tmp_path, [roster_row(1)], django_capture_on_commit_callbacks)
    leftover = RosterImport.objects.create(
        organization=world.east,
        file=ContentFile(b"PK old roster with ID numbers", name="old.xlsx"),
        original_name="old.xlsx",
        consent_evidence="书面同意",
        created_by=world.east_officer,
        status=RosterImport.Status.DONE,
    )
    queued = RosterImport.objects.create(
        organization=world.east,
        file=ContentFile(b"PK waiting", name="waiting.xlsx"),
        original_name="waiting.xlsx",
        consent_evidence="书面同意",
        created_by=world.east_officer,
    )
    assert len(_files(tmp_path)) == 2
    # when the imported volunteer's deletion is approved
    volunteer = Volunteer.objects.get(user__full_name="名单某1")
    request = deletion_request_create(volunteer=volunteer)
    with django_capture_on_commit_callbacks(execute=True):
        deletion_request_process(by=world.east_officer, request=request, approve=True)
    # then no finished import keeps its file; the queued one still needs its own
    assert request.__class__.objects.get(pk=request.pk).status == DeletionRequest.Status.DONE
    leftover.refresh_from_db()
    assert leftover.file.name == ""
    assert [p.name for p in _files(tmp_path)] == [Path(queued.file.name).name]


def test_the_generated_id_key_lives_outside_the_var_directory(tmp_path: Path) -> None:
    var = tmp_path / "var"
    var.mkdir()
    (var / "id_key").write_text("a-key-an-older-version-generated-into-var")  # as older versions did
    env = {k: v for k, v in os.environ.items() if k not in {"ZHIYUAN_ID_KEY", "ZHIYUAN_KEY_DIR"}}
    env["ZHIYUAN_VAR_DIR"] = str(var)
    code = "from zhiyuan.core import crypto; print(crypto.key_fingerprint())"
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            f"import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'zhiyuan.config.settings'); django.setup(); {code}",
        ],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    # the old key was moved beside var/, not lost: data encrypted with it stays readable
    assert not (var / "id_key").exists()
    moved = tmp_path / "var-keys" / "id_key"
    assert moved.read_text() == "a-key-an-older-version-generated-into-var"
    assert oct((tmp_path / "var-keys").stat().st_mode & 0o777) == "0o700"
