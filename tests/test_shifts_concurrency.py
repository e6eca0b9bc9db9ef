"""Capacity is never exceeded under simultaneous sign-ups (issue 5 §4): 200 sign-ups race for 20 places on
PostgreSQL, and the waiting list they leave moves up in order when places are given back at the same time.
The same race on the SQLite default runs in a child process against a file database."""

import os
import queue
import subprocess
import sys
import textwrap
import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from tests.factories import MembershipFactory
from tests.people_helpers import bulk_volunteers
from zhiyuan.campaigns.models import Shift, Signup
from zhiyuan.campaigns.selectors.shifts import roster
from zhiyuan.campaigns.services import shifts as services
from zhiyuan.organizations.roles import Role

S = Signup.Status
ATTEMPTS, PLACES = 200, 20


def pool_size(wanted: int = 50, spare: int = 10) -> int:
    """Worker threads, each holding its own connection. PostgreSQL refuses connections past
    max_connections (100 on a default install, shared with whatever else runs), so 200 simultaneous
    connections would fail for reasons that have nothing to do with sign-ups: the 200 attempts go through a
    bounded pool instead, all workers released at once by a barrier, which contends on the shift's row
    lock just the same."""
    with connection.cursor() as cursor:
        cursor.execute("SHOW max_connections")
        limit = int(cursor.fetchone()[0])
        cursor.execute("SELECT count(*) FROM pg_stat_activity")
        used = int(cursor.fetchone()[0])
    return max(4, min(wanted, limit - used - spare))


def run_pool(jobs: list, work, workers: int) -> list[str]:
    """Run `work(job)` for every job on `workers` threads started together; return the errors."""
    todo: queue.Queue = queue.Queue()
    for job in jobs:
        todo.put(job)
    barrier, errors = threading.Barrier(workers), []

    def worker() -> None:
        try:
            barrier.wait()
            while True:
                try:
                    job = todo.get_nowait()
                except queue.Empty:
                    return
                try:
                    work(job)
                except Exception as exc:  # collected and asserted on by the test
                    errors.append(repr(exc))
        finally:
            connection.close()  # each thread opened its own connection

    threads = [threading.Thread(target=worker) for _ in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_200_sign_ups_race_for_20_places_and_the_waiting_list_moves_up_in_order(world):
    if connection.vendor != "postgresql":
        pytest.skip("row locks (SELECT … FOR UPDATE) are a PostgreSQL matter; SQLite runs in the child below")
    # given a shift with 20 places and 200 volunteers
    leader = MembershipFactory(organization=world.east_team, role=Role.LEADER).user
    start = timezone.now() + timedelta(days=2)
    shift = services.shift_create(
        by=leader,
        organization=world.east_team,
        title="春运返程高峰",
        starts_at=start,
        ends_at=start + timedelta(hours=4),
        capacity=PLACES,
    )
    volunteers = bulk_volunteers(world.east, ATTEMPTS, start=4000, prefix="抢")
    workers = pool_size()
    outcomes: list[str] = []

    def sign_up(volunteer) -> None:
        signup = services.signup_create(by=volunteer.user, shift=shift, volunteer=volunteer)
        outcomes.append(signup.status)

    # when all of them sign up at once
    errors = run_pool(volunteers, sign_up, workers)
    # then exactly 20 have a place, 180 wait in a line numbered 1…180, and nothing failed
    assert errors == []
    assert (outcomes.count(S.ACCEPTED), outcomes.count(S.WAITLISTED)) == (PLACES, ATTEMPTS - PLACES)
    assert Shift.objects.get(pk=shift.pk).accepted_count == PLACES
    assert Signup.objects.filter(shift=shift, status=S.ACCEPTED).count() == PLACES
    line = [s for s in roster(shift=shift) if s.status == S.WAITLISTED]
    assert [s.position for s in line] == list(range(1, ATTEMPTS - PLACES + 1))

    # when ten of those with a place cancel at the same moment
    given_back = list(Signup.objects.filter(shift=shift, status=S.ACCEPTED).select_related("volunteer")[:10])
    errors = run_pool(given_back, lambda s: services.signup_cancel(by=s.volunteer.user, signup=s), 10)
    # then the first ten in line, and only they, moved up; the shift is still exactly full
    assert errors == []
    promoted = set(Signup.objects.filter(shift=shift, status=S.ACCEPTED).values_list("pk", flat=True))
    assert {s.pk for s in line[:10]} <= promoted and len(promoted) == PLACES
    assert Shift.objects.get(pk=shift.pk).accepted_count == PLACES
    remaining = [s for s in roster(shift=shift) if s.status == S.WAITLISTED]
    assert [s.pk for s in remaining] == [s.pk for s in line[10:]]


SQLITE_SCRIPT = textwrap.dedent(
    """
    import threading
    from datetime import timedelta
    import django
    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone
    call_command("migrate", verbosity=0)
    from tests.people_helpers import bulk_volunteers
    from zhiyuan.campaigns.models import Shift
    from zhiyuan.campaigns.services.shifts import signup_create
    from zhiyuan.organizations.models import Organization
    office = Organization.objects.create(name="并发测试市文明办", kind="office")
    start = timezone.now() + timedelta(days=2)
    shift = Shift.objects.create(
        organization=office, title="并发", starts_at=start, ends_at=start + timedelta(hours=3), capacity=5
    )
    volunteers = bulk_volunteers(office, 16, prefix="并发")
    barrier, outcomes, errors = threading.Barrier(16), [], []

    def race(volunteer):
        try:
            barrier.wait()
            outcomes.append(signup_create(by=volunteer.user, shift=shift, volunteer=volunteer).status)
        except Exception as exc:  # reported to the parent, which fails the test with it
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=race, args=(v,)) for v in volunteers]
    for t in threads: t.start()
    for t in threads: t.join()
    print("errors", len(errors), errors[:3])
    print("accepted", outcomes.count("accepted"))
    print("waitlisted", outcomes.count("waitlisted"))
    print("count", Shift.objects.get(pk=shift.pk).accepted_count)
    """
)


def test_16_sign_ups_race_for_5_places_on_sqlite(tmp_path):
    # pytest-django's SQLite test database lives in memory, where threads would meet SQLite's shared-cache
    # table locks rather than the real settings (WAL, BEGIN IMMEDIATE, busy timeout); a child process on a
    # file database runs exactly what production runs.
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(ZHIYUAN_VAR_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="zhiyuan.config.settings")
    result = subprocess.run(
        [sys.executable, "-c", SQLITE_SCRIPT], env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr[-2000:]
    lines = dict(line.split(" ", 1) for line in result.stdout.strip().splitlines())
    assert lines["errors"].startswith("0 "), lines["errors"]
    assert (lines["accepted"], lines["waitlisted"], lines["count"]) == ("5", "11", "5")
