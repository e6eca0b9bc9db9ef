"""Nightly clean-up: finished job slots and task results would otherwise grow by a thousand rows a day.
Deliveries and notifications are kept: they are the record of who was told what."""

from __future__ import annotations

import io
from datetime import timedelta

from django.core.management import call_command
from django.utils import timezone

from zhiyuan.notifications.models import PeriodicRun


def housekeeping(days: int = 30) -> str:
    cutoff = timezone.now() - timedelta(days=days)
    runs, _ = PeriodicRun.objects.filter(status=PeriodicRun.Status.DONE, created_at__lt=cutoff).delete()
    out = io.StringIO()
    # failed task results stay longer: someone may still be looking into them
    call_command("prune_db_task_results", min_age_days=14, failed_min_age_days=90, stdout=out)
    return f"pruned {runs} runs; {out.getvalue().strip()}"[:500]
