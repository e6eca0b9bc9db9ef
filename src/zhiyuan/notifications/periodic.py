"""Periodic jobs on top of django-tasks, which has no cron.

A job is registered with an interval (`every=timedelta(minutes=5)`) or a daily Beijing wall-clock time
(`at=time(2, 0)`). `tick()` — called by `zhiyuan scheduler` every few seconds — works out each job's current
slot and claims it by inserting a `PeriodicRun` row under a unique (job, slot) constraint, enqueueing the
job's task in the same transaction. A second scheduler, a restarted one, or two ticks in the same slot hit the
constraint and enqueue nothing; the task itself moves the run queued → running with a conditional UPDATE, so
even a duplicated task runs the job once. A scheduler that was down catches up with the current slot only.

Why a scheduler process and not a tick task that re-enqueues itself: such a chain is lost when a tick fails or
the worker is killed mid-tick (django-tasks-db never re-runs a task left "running"), and every deploy that
seeds a new chain doubles it. The loop holds no state, any number of copies are safe, and
`zhiyuan scheduler --once` works from system cron as well.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from zhiyuan.notifications.models import PeriodicRun

log = logging.getLogger(__name__)
BEIJING = ZoneInfo("Asia/Shanghai")
EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Job:
    name: str
    target: Callable[[], Any] | str  # a callable, a dotted path, or a django-tasks Task
    every: timedelta | None = None
    at: time | None = None  # Beijing wall-clock, once a day

    def slot(self, now: datetime) -> str:
        if self.every is not None:
            start = EPOCH + ((now - EPOCH) // self.every) * self.every
            return start.astimezone(UTC).strftime("%Y-%m-%dT%H:%MZ")
        assert self.at is not None
        local = now.astimezone(BEIJING)
        day: date = local.date() if local.time() >= self.at else local.date() - timedelta(days=1)
        return f"{day.isoformat()}@{self.at:%H:%M}"

    def call(self) -> Any:
        target = import_string(self.target) if isinstance(self.target, str) else self.target
        # a django-tasks Task runs its function in this worker, not as another queued task
        call = getattr(target, "call", None)
        return call() if callable(call) else target()


REGISTRY: dict[str, Job] = {}


def register(
    name: str, target: Callable[[], Any] | str, *, every: timedelta | None = None, at: time | None = None
) -> Job:
    """Run `target` every `every`, or daily at `at` (Beijing); registering a name again replaces it."""
    if (every is None) == (at is None):
        raise ValueError("give exactly one of every= or at=")
    if every is not None and every < timedelta(minutes=1):
        raise ValueError("every= must be at least a minute")
    job = Job(name=name, target=target, every=every, at=at)
    REGISTRY[name] = job
    return job


def tick(*, now: datetime | None = None) -> list[PeriodicRun]:
    """Claim and enqueue every job whose current slot has not run; returns the runs claimed here."""
    from zhiyuan.notifications.tasks import periodic_run

    now = now or timezone.now()
    slots = {job.name: job.slot(now) for job in REGISTRY.values()}
    # a read first, so a tick with nothing to do takes no write lock (SQLite has one for the whole file);
    # the unique constraint below, not this read, is what keeps two schedulers from both claiming a slot
    taken = set(
        PeriodicRun.objects.filter(job__in=slots, slot__in=set(slots.values())).values_list("job", "slot")
    )
    claimed = []
    for name, slot in slots.items():
        if (name, slot) in taken:
            continue
        try:
            with transaction.atomic():
                run = PeriodicRun.objects.create(job=name, slot=slot)
                # enqueued in the claim's transaction (the database task backend writes to the same
                # database): the slot is claimed and queued together, or neither
                periodic_run.enqueue(run.pk)
        except IntegrityError:
            continue  # this slot is someone else's
        claimed.append(run)
    return claimed


def run(run_id: int) -> str:
    now = timezone.now()
    started = PeriodicRun.objects.filter(pk=run_id, status=PeriodicRun.Status.QUEUED).update(
        status=PeriodicRun.Status.RUNNING, started_at=now, updated_at=now
    )
    if not started:
        return "skipped"
    current = PeriodicRun.objects.get(pk=run_id)
    job = REGISTRY.get(current.job)
    try:
        if job is None:
            raise LookupError(f"no periodic job named {current.job!r}")
        result = job.call()
    except Exception as exc:
        log.exception("periodic job %s (%s) failed", current.job, current.slot)
        PeriodicRun.objects.filter(pk=run_id).update(
            status=PeriodicRun.Status.FAILED,
            result=f"{type(exc).__name__}: {exc}"[:500],
            finished_at=timezone.now(),
            updated_at=timezone.now(),
        )
        raise  # the task result records the traceback too
    PeriodicRun.objects.filter(pk=run_id).update(
        status=PeriodicRun.Status.DONE,
        result=str(result if result is not None else "")[:500],
        finished_at=timezone.now(),
        updated_at=timezone.now(),
    )
    return "done"


def run_lost(*, args: list[Any], kwargs: dict[str, Any], reason: str, tries: int) -> None:
    """The worker died during a periodic run (core.leases): mark it failed; the next slot runs it again."""
    PeriodicRun.objects.filter(pk=args[0], status=PeriodicRun.Status.RUNNING).update(
        status=PeriodicRun.Status.FAILED,
        result=f"worker lost: {reason}"[:500],
        finished_at=timezone.now(),
        updated_at=timezone.now(),
    )
