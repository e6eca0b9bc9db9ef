"""Background work of the people app, run by the django-tasks database worker (`make run` starts it)."""

from __future__ import annotations

import logging

from django.utils import timezone
from django_tasks import task

from zhiyuan.people.models import RosterImport

log = logging.getLogger(__name__)


@task()
def roster_import_run(import_id: int) -> str:
    from zhiyuan.people.services.roster_import import roster_import_process

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
    return status
