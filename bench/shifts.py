"""Bench case: contended sign-up. N volunteers sign up for one shift from N threads released together
(each its own SQLite connection, queuing on BEGIN IMMEDIATE under WAL), against the same N sign-ups one
after the other. The ratio is what contention costs; every contended run must also end exactly full, with
the rest waitlisted and no "database is locked"."""

from __future__ import annotations

import statistics
import threading
import time
from datetime import timedelta
from typing import Any

THREADS = 40
CAPACITY = 10
REPEAT = 3


def _shift(office: Any, day: int) -> Any:
    from django.utils import timezone

    from zhiyuan.campaigns.models import Shift

    start = timezone.now() + timedelta(days=2 + day)  # a day per run: no clash with the runs before
    return Shift.objects.create(
        organization=office,
        title=f"基准班次{day}",
        starts_at=start,
        ends_at=start + timedelta(hours=3),
        capacity=CAPACITY,
    )


def _check(shift: Any, outcomes: list[str], errors: list[str]) -> None:
    from zhiyuan.campaigns.models import Shift

    accepted = Shift.objects.get(pk=shift.pk).accepted_count
    if errors or accepted != CAPACITY or outcomes.count("waitlisted") != THREADS - CAPACITY:
        raise RuntimeError(f"contended sign-up went wrong: {accepted} accepted, errors {errors[:3]}")


def cases() -> list[tuple[str, float, float, str]]:
    from django.db import connection
    from tests.people_helpers import bulk_volunteers

    from zhiyuan.campaigns.services.shifts import signup_create
    from zhiyuan.organizations.models import Organization

    office = Organization.objects.create(name="基准班次文明办", kind="office")
    volunteers = bulk_volunteers(office, THREADS, start=900_000, prefix="基准报名")
    runs = iter(range(2 * REPEAT))

    def sequential() -> float:
        shift, outcomes = _shift(office, next(runs)), []
        start = time.perf_counter()
        for v in volunteers:
            outcomes.append(signup_create(by=v.user, shift=shift, volunteer=v).status)
        elapsed = time.perf_counter() - start
        _check(shift, outcomes, [])
        return elapsed

    def contended() -> float:
        shift, outcomes, errors = _shift(office, next(runs)), [], []
        barrier = threading.Barrier(THREADS + 1)

        def sign_up(volunteer: Any) -> None:
            try:
                barrier.wait()
                outcomes.append(signup_create(by=volunteer.user, shift=shift, volunteer=volunteer).status)
            except Exception as exc:  # reported by _check
                errors.append(repr(exc))
            finally:
                connection.close()

        threads = [threading.Thread(target=sign_up, args=(v,)) for v in volunteers]
        for t in threads:
            t.start()
        start = time.perf_counter()
        barrier.wait()  # the clock starts when every thread is released
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - start
        _check(shift, outcomes, errors)
        return elapsed

    baseline = statistics.median(sequential() for _ in range(REPEAT))
    value = statistics.median(contended() for _ in range(REPEAT))
    return [(f"shift_signup_{THREADS}_threads_vs_sequential", value * 1000, baseline * 1000, "ms")]
