"""Tasks whose worker died (core.leases): the scheduler's sweep fails them with a reason, roster imports run
again (a few times, then fail with a reason the importer sees), periodic runs are marked failed. The end
to end case kills a real `db_worker` in the middle of a 12,000-row roster import."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from tests.people_helpers import roster_row, roster_xlsx
from zhiyuan.core import leases
from zhiyuan.core.models import TaskLease
from zhiyuan.notifications.models import PeriodicRun
from zhiyuan.people.models import RosterImport
from zhiyuan.people.tasks import roster_import_run

ROOT = Path(__file__).resolve().parents[1]
# these run real processes on a SQLite file of their own, whatever the suite's database: once per CI run
own_database = pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="runs in the SQLite pass"
)


def _dead_pid() -> int:
    proc = subprocess.Popen(["true"])
    proc.wait()  # reaped: the pid runs nothing now
    return proc.pid


def _claimed(task: Any, *args: Any) -> DBTaskResult:
    result = DBTaskResult.objects.get(pk=task.enqueue(*args).id)
    result.claim("test-worker")
    return result


def _lease(result: DBTaskResult, *, pid: int, host: str = leases.HOST, beat_ago: int = 0) -> None:
    at = timezone.now() - timedelta(seconds=beat_ago)
    TaskLease.objects.create(task_id=result.pk, task_path=result.task_path, args_key=leases._args_key(
        result.task_path, result.args_kwargs["args"]), worker_id=f"{host}:{pid}", hostname=host, pid=pid,
        started_at=at, heartbeat_at=at)  # fmt: skip


@pytest.fixture
def roster(world: Any, settings: Any, tmp_path: Path) -> RosterImport:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return RosterImport.objects.create(
        organization=world.east,
        file=ContentFile(b"PK", name="roster.xlsx"),
        original_name="roster.xlsx",
        consent_evidence="书面同意",
        created_by=world.east_officer,
        status=RosterImport.Status.RUNNING,
    )


def test_a_dead_workers_roster_import_is_failed_with_a_reason_and_queued_again(
    roster: RosterImport, django_capture_on_commit_callbacks: Any
) -> None:
    # given an import whose worker process has exited while holding it
    result = _claimed(roster_import_run, roster.pk)
    _lease(result, pid=_dead_pid())
    # when the scheduler sweeps
    with django_capture_on_commit_callbacks(execute=True):
        lost = leases.tasks_sweep()
    # then the task is failed with the reason, and the import queued again for a live worker
    assert [item.task_id for item in lost] == [str(result.pk)]
    result.refresh_from_db()
    assert result.status == TaskResultStatus.FAILED and "has stopped" in result.traceback
    roster.refresh_from_db()
    assert roster.status == RosterImport.Status.QUEUED
    again = DBTaskResult.objects.filter(task_path=result.task_path, status=TaskResultStatus.READY)
    assert again.count() == 1 and again.get().args_kwargs["args"] == [roster.pk]
    assert leases.tasks_sweep() == []  # swept once


def test_an_import_lost_three_times_fails_with_a_reason_the_importer_sees(
    roster: RosterImport, django_capture_on_commit_callbacks: Any
) -> None:
    for _ in range(leases.MAX_TRIES):
        RosterImport.objects.filter(pk=roster.pk).update(status=RosterImport.Status.RUNNING)
        DBTaskResult.objects.filter(status=TaskResultStatus.READY).delete()
        _lease(_claimed(roster_import_run, roster.pk), pid=_dead_pid())
        with django_capture_on_commit_callbacks(execute=True):
            leases.tasks_sweep()
    roster.refresh_from_db()
    assert roster.status == RosterImport.Status.FAILED
    assert "后台任务进程已停止3次" in roster.errors[0]["message"]
    assert not DBTaskResult.objects.filter(status=TaskResultStatus.READY).exists()


def test_a_silent_worker_on_another_host_is_lost_after_the_lease_and_a_live_one_is_not(
    roster: RosterImport, settings: Any
) -> None:
    settings.ZHIYUAN_TASK_LEASE_SECONDS = 600
    silent = _claimed(roster_import_run, roster.pk)
    _lease(silent, pid=1234, host="worker-2", beat_ago=601)
    alive = _claimed(roster_import_run, roster.pk)
    _lease(alive, pid=os.getpid(), host="worker-3", beat_ago=30)
    lost = leases.tasks_sweep()
    assert [item.task_id for item in lost] == [str(silent.pk)]
    assert "silent since" in lost[0].reason
    alive.refresh_from_db()
    assert alive.status == TaskResultStatus.RUNNING


def test_a_periodic_run_whose_worker_died_is_marked_failed(db: Any) -> None:
    from zhiyuan.notifications.tasks import periodic_run

    run = PeriodicRun.objects.create(job="shift-reminders", slot="2026-12-04T10:00Z", status="running")
    _lease(_claimed(periodic_run, run.pk), pid=_dead_pid())
    leases.tasks_sweep()
    run.refresh_from_db()
    assert run.status == PeriodicRun.Status.FAILED and run.result.startswith("worker lost")


def _zhiyuan(env: dict[str, str], *args: str, **kw: Any) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "zhiyuan.manage", *args], cwd=ROOT, env=env, start_new_session=True, **kw
    )


def _status(db: Path) -> tuple[str, int, str]:
    with sqlite3.connect(db, timeout=30) as conn:
        row = conn.execute("select status, created_volunteers, errors from people_rosterimport").fetchone()
    return row if row else ("", 0, "")


@own_database
def test_a_worker_killed_during_a_12000_row_import_ends_done_after_a_restart(
    migrated_sqlite: Path, tmp_path: Path
) -> None:
    db = tmp_path / "db.sqlite3"
    db.write_bytes(migrated_sqlite.read_bytes())
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{db}", MEDIA_ROOT=str(tmp_path / "media"))
    env.pop("REDIS_URL", None)
    sheet = tmp_path / "roster.xlsx"
    roster_xlsx(sheet, [roster_row(i) for i in range(1, 12_001)])
    # given a city office, its officer and a 12,000-row roster queued for import
    setup = (
        "from django.core.files import File; from zhiyuan.core.models import User; "
        "from zhiyuan.organizations.models import Organization, Kind; from zhiyuan.people.models import RosterImport; "
        "from zhiyuan.people.tasks import roster_import_run; "
        "org = Organization.objects.create(name='郑州市文明办', kind=Kind.OFFICE); "
        "from zhiyuan.organizations.models import Membership; from zhiyuan.organizations.roles import Role; "
        "user = User.objects.create(username='officer', full_name='王某'); "
        "Membership.objects.create(user=user, organization=org, role=Role.OFFICER); "
        f"job = RosterImport.objects.create(organization=org, file=File(open({str(sheet)!r}, 'rb'), name='roster.xlsx'), "
        "original_name='roster.xlsx', consent_evidence='书面同意', created_by=user); "
        "roster_import_run.enqueue(job.pk)"
    )
    assert _zhiyuan(env, "shell", "-c", setup).wait(timeout=120) == 0
    # when a worker takes it and is killed in the middle
    worker = _zhiyuan(env, "db_worker", "--interval", "0.2", "--no-startup-delay", "--no-reload")
    deadline = time.monotonic() + 120
    while _status(db)[0] != "running":
        assert time.monotonic() < deadline, "the worker never started the import"
        time.sleep(0.2)
    time.sleep(1.0)
    os.killpg(worker.pid, signal.SIGKILL)
    worker.wait()
    assert _status(db)[0] == "running"  # killed mid-import: nothing written, stuck as django-tasks leaves it
    # then, with a worker restarted and the scheduler sweeping every 2 s, the import ends within the interval
    restarted = _zhiyuan(env, "db_worker", "--interval", "0.2", "--no-startup-delay", "--no-reload")
    scheduler = _zhiyuan(env, "scheduler", "--interval", "2", stdout=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 300
        while (state := _status(db))[0] not in {"done", "failed", "rejected"}:
            assert time.monotonic() < deadline, f"the import is still {state[0]}"
            time.sleep(0.5)
    finally:
        for proc in (restarted, scheduler):
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=60)
    status, created, errors = _status(db)
    assert (status, created) == ("done", 12_000), errors[:300]
    assert b"lost zhiyuan.people.tasks.roster_import_run" in (
        scheduler.stdout.read() if scheduler.stdout else b""
    )
