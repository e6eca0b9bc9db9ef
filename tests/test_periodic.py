"""Periodic jobs (django-tasks has no cron): a job slot is claimed once in `PeriodicRun` and run once by the
worker — with two schedulers, two ticks in one slot, a restarted worker, or two threads at once."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, time, timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from tests.test_notifications import run_worker
from zhiyuan.notifications import periodic
from zhiyuan.notifications.models import PeriodicRun

CALLS: list[str] = []


def count_call() -> str:
    CALLS.append("ran")
    return "counted"


def explode() -> None:
    raise RuntimeError("汇总失败")


@task()
def nightly_task() -> str:
    CALLS.append("task")
    return "ok"


@pytest.fixture
def registry(monkeypatch):
    """An empty registry, so the built-in jobs do not run against the test's data."""
    monkeypatch.setattr(periodic, "REGISTRY", {})
    CALLS.clear()
    return periodic.REGISTRY


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def test_interval_slots_are_aligned_and_daily_slots_follow_beijing_wall_clock():
    every = periodic.Job("j", count_call, every=timedelta(minutes=5))
    assert every.slot(at("2026-11-23T08:04:59+00:00")) == "2026-11-23T08:00Z"
    assert every.slot(at("2026-11-23T16:05:00+08:00")) == "2026-11-23T08:05Z"
    nightly = periodic.Job("n", count_call, at=time(2, 0))
    # 01:59 in Beijing is still the previous night's slot, although it is 17:59 UTC the day before
    assert nightly.slot(at("2026-11-23T01:59:00+08:00")) == "2026-11-22@02:00"
    assert nightly.slot(at("2026-11-22T18:00:00+00:00")) == "2026-11-23@02:00"  # 02:00 Beijing
    assert nightly.slot(at("2026-11-23T23:59:00+08:00")) == "2026-11-23@02:00"


def test_register_wants_one_schedule(registry):
    with pytest.raises(ValueError):
        periodic.register("x", count_call)
    with pytest.raises(ValueError):
        periodic.register("x", count_call, every=timedelta(minutes=5), at=time(2))
    with pytest.raises(ValueError):
        periodic.register("x", count_call, every=timedelta(seconds=5))


def test_built_in_jobs_are_registered():
    assert {
        "shift_reminders",
        "report_reminders",
        "report_escalation",
        "deliveries_sweep",
        "housekeeping",
        "nightly_rollup_check",
        "ticket_claims_expire",
    } <= set(periodic.REGISTRY)


def test_housekeeping_prunes_old_finished_slots_only(db):
    from zhiyuan.notifications.jobs.housekeeping import housekeeping

    old = timezone.now() - timedelta(days=40)
    done = PeriodicRun.objects.create(job="a", slot="1", status="done")
    failed = PeriodicRun.objects.create(job="a", slot="2", status="failed")
    recent = PeriodicRun.objects.create(job="a", slot="3", status="done")
    PeriodicRun.objects.filter(pk__in=[done.pk, failed.pk]).update(created_at=old)
    assert housekeeping().startswith("pruned 1 runs")
    assert set(PeriodicRun.objects.values_list("pk", flat=True)) == {failed.pk, recent.pk}


def test_two_ticks_in_one_slot_claim_it_once(db, registry):
    periodic.register("count", count_call, every=timedelta(minutes=5))
    now = at("2026-11-23T08:01:00+00:00")
    assert [r.slot for r in periodic.tick(now=now)] == ["2026-11-23T08:00Z"]
    assert periodic.tick(now=now + timedelta(minutes=3)) == []
    assert PeriodicRun.objects.count() == 1 and DBTaskResult.objects.count() == 1
    # the next slot is claimed again
    assert [r.slot for r in periodic.tick(now=now + timedelta(minutes=5))] == ["2026-11-23T08:05Z"]


@pytest.mark.django_db(transaction=True)
def test_the_worker_runs_a_slot_once_even_restarted_or_ticked_twice(registry):
    periodic.register("count", count_call, every=timedelta(minutes=5))
    call_command("scheduler", once=True, verbosity=0)
    call_command("scheduler", once=True, verbosity=0)  # a second scheduler in the same slot
    run_worker()
    run_worker()  # a restarted worker
    assert CALLS == ["ran"]
    run = PeriodicRun.objects.get()
    assert (run.job, run.status, run.result) == ("count", "done", "counted")
    # even a duplicated task (enqueued twice by hand) runs the job once
    from zhiyuan.notifications.tasks import periodic_run

    periodic_run.enqueue(run.pk)
    run_worker()
    assert CALLS == ["ran"]


@pytest.mark.django_db(transaction=True)
def test_a_failing_job_is_recorded_and_not_rerun_in_its_slot(registry):
    periodic.register("boom", explode, every=timedelta(minutes=5))
    now = datetime.now(UTC)
    periodic.tick(now=now)
    run_worker()
    run = PeriodicRun.objects.get()
    assert (run.status, run.result) == ("failed", "RuntimeError: 汇总失败")
    assert DBTaskResult.objects.get().status == "FAILED"
    assert periodic.tick(now=now) == []  # the failed slot is not retried; the next slot runs afresh
    assert [r.job for r in periodic.tick(now=now + timedelta(minutes=5))] == ["boom"]


@pytest.mark.django_db(transaction=True)
def test_a_dotted_path_or_a_django_task_can_be_registered_nightly(registry):
    periodic.register("nightly", "tests.test_periodic.nightly_task", at=time(2, 0))
    periodic.register("dotted", "tests.test_periodic.count_call", at=time(3, 0))
    periodic.tick()
    run_worker()
    assert sorted(CALLS) == ["ran", "task"]
    assert set(PeriodicRun.objects.values_list("job", "status")) == {("nightly", "done"), ("dotted", "done")}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_schedulers_ticking_at_once_on_postgresql_claim_a_slot_once(registry):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent inserts under a unique constraint are exercised on PostgreSQL")
    for name in ("a", "b", "c"):
        periodic.register(name, count_call, every=timedelta(minutes=5))
    now = datetime.now(UTC)
    barrier = threading.Barrier(8)
    claimed: list[str] = []
    errors: list[str] = []

    def tick() -> None:
        try:
            barrier.wait()
            claimed.extend(r.job for r in periodic.tick(now=now))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=tick) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and sorted(claimed) == ["a", "b", "c"]
    assert PeriodicRun.objects.count() == 3 and DBTaskResult.objects.count() == 3
    run_worker()
    assert CALLS == ["ran", "ran", "ran"]
