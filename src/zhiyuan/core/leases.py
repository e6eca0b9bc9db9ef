"""Background tasks whose worker died: found by the scheduler's sweep, failed with a reason, then resumed
or given up by the task's owner.

django-tasks-db marks a task "running" when a worker claims it and never looks at it again, so a worker
killed mid-task (OOM, deploy, SIGKILL) leaves it "running" for ever. Here each worker holds a lease per task
(opened on `task_started`, closed on `task_finished`) and renews it from a heartbeat thread. The sweep
(`zhiyuan scheduler`, every tick) calls a lease's task lost when its worker's process is gone (same
host: the pid no longer runs a worker) or its heartbeat is older than ZHIYUAN_TASK_LEASE_SECONDS (any host;
generous, because on SQLite a heartbeat waits while the task holds the write lock). A lost task is marked
failed with the reason, and its owner's handler (RECOVERY) decides: roster imports run again (their work
was one transaction, rolled back with the worker) until they were lost MAX_TRIES times, then fail with a
reason the importer sees; periodic runs are marked failed (the next slot comes round anyway).
"""

from __future__ import annotations

import json
import logging
import os
import socket
import threading
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks.signals import task_finished, task_started

from zhiyuan.core.models import TaskLease

log = logging.getLogger(__name__)
HOST = socket.gethostname()
MAX_TRIES = 3  # a task lost this often is given up: something in it kills its worker
LOST = "zhiyuan.core.leases.WorkerLost"

# task path -> dotted path of `handler(*, args, kwargs, reason, tries) -> None`, run in the sweep's transaction
RECOVERY = {
    "zhiyuan.people.tasks.roster_import_run": "zhiyuan.people.tasks.roster_import_lost",
    "zhiyuan.notifications.tasks.periodic_run": "zhiyuan.notifications.periodic.run_lost",
}


class WorkerLost(Exception):
    """The worker running a task stopped (recorded as the failed task's exception class)."""


def _lease_seconds() -> int:
    return int(getattr(settings, "ZHIYUAN_TASK_LEASE_SECONDS", 600))


def _heartbeat_seconds() -> float:
    return float(getattr(settings, "ZHIYUAN_TASK_HEARTBEAT_SECONDS", 30))


def _args_key(task_path: str, args: Any) -> str:
    return f"{task_path}:{json.dumps(args, sort_keys=True, default=str)}"[:200]


class _Heartbeat:
    """Renews the leases this process holds until the task finishes (one thread per running task)."""

    def __init__(self, task_id: str) -> None:
        self.task_id = task_id
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.run, name=f"lease-{task_id}", daemon=True)

    def run(self) -> None:
        try:
            while not self.stop.wait(_heartbeat_seconds()):
                try:
                    TaskLease.objects.filter(task_id=self.task_id).update(heartbeat_at=timezone.now())
                except Exception:  # a locked SQLite file: the next beat tries again
                    log.warning("lease heartbeat for %s failed", self.task_id, exc_info=True)
                    close_old_connections()
        finally:
            connection.close()  # this thread's own connection


_beats: dict[str, _Heartbeat] = {}


def lease_open(*, task_id: str, task_path: str, args: Any) -> None:
    now = timezone.now()
    TaskLease.objects.update_or_create(
        task_id=task_id,
        defaults={
            "task_path": task_path,
            "args_key": _args_key(task_path, args),
            "worker_id": f"{HOST}:{os.getpid()}",
            "hostname": HOST,
            "pid": os.getpid(),
            "started_at": now,
            "heartbeat_at": now,
        },
    )
    beat = _Heartbeat(task_id)
    _beats[task_id] = beat
    beat.thread.start()


def lease_close(*, task_id: str) -> None:
    beat = _beats.pop(task_id, None)
    if beat is not None:
        beat.stop.set()
    TaskLease.objects.filter(task_id=task_id, lost_at__isnull=True).delete()


def _from_database_worker(sender: Any) -> bool:
    # the worker sends the backend instance, a failing task its class; only these tasks outlive a process
    return getattr(sender, "__name__", type(sender).__name__) == "DatabaseBackend"


def _on_started(sender: Any, task_result: Any, **kwargs: Any) -> None:
    if not _from_database_worker(sender):
        return
    try:
        lease_open(task_id=str(task_result.id), task_path=task_result.task.module_path, args=task_result.args)
    except Exception:  # no lease is no reason not to run the task; the sweep then goes by started_at
        log.exception("could not open a lease for task %s", task_result.id)


def _on_finished(sender: Any, task_result: Any, **kwargs: Any) -> None:
    if not _from_database_worker(sender):
        return
    try:
        lease_close(task_id=str(task_result.id))
    except Exception:
        log.exception("could not close the lease of task %s", task_result.id)


def connect() -> None:
    task_started.connect(_on_started, dispatch_uid="zhiyuan.core.leases.started")
    task_finished.connect(_on_finished, dispatch_uid="zhiyuan.core.leases.finished")


def _worker_gone(lease: TaskLease) -> bool:
    """Same host only: is the lease's process no longer a running worker?"""
    try:
        os.kill(lease.pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    cmdline = Path(f"/proc/{lease.pid}/cmdline")
    if cmdline.parent.parent.is_dir():  # a reused pid, or a zombie (empty command line), is gone too
        try:
            return b"db_worker" not in cmdline.read_bytes()
        except OSError:
            return True
    return False


@dataclass(frozen=True)
class Lost:
    task_id: str
    task_path: str
    reason: str


def tasks_sweep(*, now: Any = None) -> list[Lost]:
    """Fail every running task whose worker is gone and hand it to its owner; returns what was found."""
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    stale = now - timedelta(seconds=_lease_seconds())
    running = list(DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING))
    leases = {
        str(lease.task_id): lease for lease in TaskLease.objects.filter(task_id__in=[r.id for r in running])
    }
    found = []
    for result in running:
        lease = leases.get(str(result.id))
        if lease is None:
            if result.started_at is None or result.started_at >= stale:
                continue
            reason = f"no worker has held this task since {result.started_at:%Y-%m-%d %H:%M:%S} UTC"
        elif lease.hostname == HOST and _worker_gone(lease):
            reason = f"worker {lease.worker_id} has stopped"
        elif lease.heartbeat_at < stale:
            reason = f"worker {lease.worker_id} silent since {lease.heartbeat_at:%Y-%m-%d %H:%M:%S} UTC"
        else:
            continue
        if _recover(result, lease, reason, now):
            found.append(Lost(str(result.id), result.task_path, reason))
    return found


@transaction.atomic
def _recover(result: Any, lease: TaskLease | None, reason: str, now: Any) -> bool:
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    failed = DBTaskResult.objects.filter(pk=result.pk, status=TaskResultStatus.RUNNING).update(
        status=TaskResultStatus.FAILED, finished_at=now, exception_class_path=LOST, traceback=reason
    )
    if not failed:
        return False  # finished meanwhile, or another sweep got there first
    args = result.args_kwargs.get("args", [])
    key = _args_key(result.task_path, args)
    if lease is None:
        lease = TaskLease(task_id=result.pk, task_path=result.task_path, args_key=key, worker_id="?",
                          hostname="?", pid=0, started_at=result.started_at or now, heartbeat_at=now)  # fmt: skip
    lease.lost_at, lease.reason = now, reason[:300]
    lease.save()
    tries = TaskLease.objects.filter(args_key=key, lost_at__isnull=False).count()
    log.warning("task %s (%s) lost after try %d: %s", result.pk, result.task_path, tries, reason)
    handler = RECOVERY.get(result.task_path)
    if handler:
        import_string(handler)(
            args=args, kwargs=result.args_kwargs.get("kwargs", {}), reason=reason, tries=tries
        )
    return True
