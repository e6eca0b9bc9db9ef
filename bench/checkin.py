"""Bench case: POST /api/v1/checkins — the real endpoint with a bearer token, a fresh idempotency key per
request, alternating sign-in and sign-out so every second request writes a ledger entry — against a
hello-world JSON view served through the same client, handler and middleware, in the same run."""

from __future__ import annotations

import json
import time
import uuid
from datetime import timedelta
from typing import Any

REQUESTS = 400  # 200 sign-ins, 200 sign-outs: 200 ledger entries
REPEAT = 3


def cases() -> list[tuple[str, float, float, str]]:
    from django.test import Client, override_settings
    from django.utils import timezone
    from tests.people_helpers import bulk_volunteers

    from zhiyuan.campaigns.models import Shift, Signup
    from zhiyuan.core.models import ApiToken
    from zhiyuan.hours.models import CheckIn, LedgerEntry
    from zhiyuan.hours.services.checkin import poster_token
    from zhiyuan.organizations.models import Organization

    team = Organization.objects.create(name="基准签到队", kind="office")
    now = timezone.now()
    volunteers = bulk_volunteers(team, REPEAT, start=800_000, prefix="基准签到")
    shift = Shift.objects.create(
        organization=team,
        title="基准签到班次",
        starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(hours=12),
        capacity=REPEAT,
    )
    Signup.objects.bulk_create(
        [Signup(shift=shift, volunteer=v, status=Signup.Status.ACCEPTED) for v in volunteers]
    )
    client = Client()
    runs = iter(volunteers)  # a volunteer per run: each run's sign-ins and sign-outs pair up among themselves

    def post(path: str, body: dict[str, Any], auth: dict[str, str]) -> int:
        return client.post(path, data=json.dumps(body), content_type="application/json", **auth).status_code

    def checkins() -> float:
        volunteer = next(runs)
        _, token = ApiToken.issue(user=volunteer.user)
        auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
        qr = poster_token(shift=shift)
        before = LedgerEntry.objects.filter(volunteer=volunteer).count()
        start = time.perf_counter()
        for i in range(REQUESTS):
            body = {"key": uuid.uuid4().hex, "kind": "in" if i % 2 == 0 else "out", "token": qr}
            status = post("/api/v1/checkins", body, auth)
            if status != 201:
                raise RuntimeError(f"check-in bench: request {i} answered {status}")
        elapsed = time.perf_counter() - start
        written = LedgerEntry.objects.filter(volunteer=volunteer).count() - before
        if written != REQUESTS // 2 or CheckIn.objects.filter(volunteer=volunteer).count() != REQUESTS:
            raise RuntimeError(f"check-in bench: {written} ledger entries for {REQUESTS // 2} sign-outs")
        return elapsed

    def hellos() -> float:
        _, token = ApiToken.issue(user=volunteers[0].user)
        auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
        start = time.perf_counter()
        for i in range(REQUESTS):
            body = {"key": uuid.uuid4().hex, "kind": "in" if i % 2 == 0 else "out", "token": "x"}
            if post("/bench/hello", body, auth) != 200:
                raise RuntimeError("hello-world bench view failed")
        return time.perf_counter() - start

    with override_settings(ROOT_URLCONF="bench.urls"):
        value = sorted(checkins() for _ in range(REPEAT))[REPEAT // 2]
        baseline = sorted(hellos() for _ in range(REPEAT))[REPEAT // 2]
    per = 1000 / REQUESTS
    return [(f"checkin_post_{REQUESTS}_vs_hello_json", value * per, baseline * per, "ms")]


def main() -> int:
    import os
    import sys

    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    from django.core.management import call_command

    from bench import run  # noqa: F401  (sets up Django on a throw-away SQLite database, like every case)

    call_command("migrate", verbosity=0)
    for name, value, baseline, unit in cases():
        print(
            f"{name:40} {value:10.2f}{unit:>2} {baseline:10.2f}{unit:>2} {value / baseline:7.2f}", flush=True
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
