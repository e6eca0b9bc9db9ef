"""Background work of the people app, run by the django-tasks database worker (`make run` starts it)."""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from zhiyuan.people.models import RosterImport

log = logging.getLogger(__name__)


@task()
def roster_import_run(import_id: int) -> str:
    from zhiyuan.people.services.roster_import import roster_file_discard, roster_import_process

    job = RosterImport.objects.select_related("organization", "created_by").get(pk=import_id)
    if job.status not in (RosterImport.Status.QUEUED, RosterImport.Status.RUNNING):
        return job.status  # a restarted worker must not import twice
    RosterImport.objects.filter(pk=job.pk).update(
        status=RosterImport.Status.RUNNING, updated_at=timezone.now()
    )
    try:
        outcome = roster_import_process(job=job)
    except Exception:
        log.exception("roster import %s failed", import_id)
        RosterImport.objects.filter(pk=job.pk).update(
            status=RosterImport.Status.FAILED,
            finished_at=timezone.now(),
            errors=[{"row": 0, "column": "", "message": "处理失败，请联系管理员。"}],
        )
        roster_file_discard(job=job)
        raise
    status = RosterImport.Status.REJECTED if outcome.errors else RosterImport.Status.DONE
    RosterImport.objects.filter(pk=job.pk).update(
        status=status,
        errors=outcome.errors[:1000],
        created_volunteers=outcome.created_volunteers,
        created_memberships=outcome.created_memberships,
        unchanged_rows=outcome.unchanged,
        finished_at=timezone.now(),
    )
    roster_file_discard(job=job)  # the ID numbers in it are in the register now, encrypted, or were refused
    return status


def roster_import_lost(*, args: list[Any], kwargs: dict[str, Any], reason: str, tries: int) -> None:
    """The worker died mid-import (core.leases): nothing was written (one transaction), so run it again,
    unless it has now been lost MAX_TRIES times: then it fails with a reason the importer sees."""
    from zhiyuan.core.leases import MAX_TRIES

    import_id = args[0]
    live = RosterImport.objects.filter(
        pk=import_id, status__in=[RosterImport.Status.QUEUED, RosterImport.Status.RUNNING]
    )
    if tries < MAX_TRIES:
        if live.update(status=RosterImport.Status.QUEUED, processed_rows=0, updated_at=timezone.now()):
            transaction.on_commit(lambda: roster_import_run.enqueue(import_id))
        return
    from zhiyuan.people.services.roster_import import roster_file_discard

    message = _("处理中断：后台任务进程已停止%(n)d次，名单未导入，请检查文件后重新上传。") % {"n": tries}
    failed = live.update(
        status=RosterImport.Status.FAILED,
        finished_at=timezone.now(),
        updated_at=timezone.now(),
        errors=[{"row": 0, "column": "", "message": message}],
    )
    if failed:
        job = RosterImport.objects.get(pk=import_id)
        transaction.on_commit(lambda: roster_file_discard(job=job))
