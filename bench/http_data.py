"""The data set the HTTP bench runs against, and its cases: a city office with ten districts, 200 teams,
40 stations and 2,000 shifts, 6,000 volunteers each with an API token (one sign-up each), an officer with
a browser session; built in bulk (this is load, not a demo) in the bench's throw-away database."""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import django

VOLUNTEERS = 6000


@dataclass
class Case:
    name: str
    method: str
    path: str | Callable[[int], str]
    headers: Callable[[int], dict[str, str]] = lambda i: {}
    body: Callable[[int], bytes | None] = lambda i: None
    ok: tuple[int, ...] = (200,)


def _setup() -> None:
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)


def _session_cookie(user: Any) -> str:
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def build() -> list[Any]:
    _setup()
    from django.utils import timezone
    from tests.people_helpers import bulk_volunteers

    from zhiyuan.campaigns.models import Shift, Station
    from zhiyuan.core.models import ApiToken, User
    from zhiyuan.organizations.models import Membership, Organization

    city = Organization.objects.create(name="基准市文明办", kind="office")
    districts = [
        Organization.objects.create(name=f"基准区{i}", kind="office", parent=city) for i in range(10)
    ]
    # one by one: save() writes each organisation's materialised path
    teams = [
        Organization.objects.create(name=f"基准队{i}", kind="team", parent=districts[i % 10])
        for i in range(200)
    ]
    team = teams[0]
    stations = Station.objects.bulk_create(
        [
            Station(name=f"基准站{i}", place=f"基准地点{i}", responsible_office=districts[i % 10])
            for i in range(40)
        ]
    )
    start = timezone.now().replace(minute=0, second=0, microsecond=0) + timedelta(days=3)
    shifts = Shift.objects.bulk_create(
        [
            Shift(
                organization=team if i < 50 else teams[i % 200],
                station=stations[i % 40],
                title=f"基准班次{i}",
                starts_at=start + timedelta(hours=i),
                ends_at=start + timedelta(hours=i, minutes=50),
                capacity=100_000 if i == 0 else 20,
            )
            for i in range(2000)
        ]
    )
    officer = User.objects.create(username="bench-officer", full_name="基准某")
    Membership.objects.create(user=officer, organization=districts[0], role="officer")
    volunteers = bulk_volunteers(districts[0], VOLUNTEERS, start=0, prefix="基准")
    Membership.objects.bulk_create(
        [Membership(user_id=v.user_id, organization=team, role="volunteer") for v in volunteers]
    )
    tokens = [f"zy_bench{v.pk:012d}" for v in volunteers]
    ApiToken.objects.bulk_create(
        [
            ApiToken(user_id=v.user_id, name="bench", prefix=t[3:11], digest=ApiToken.hash(t))
            for v, t in zip(volunteers, tokens, strict=True)
        ]
    )
    _, officer_token = ApiToken.issue(user=officer, name="bench")
    cookie = {"Cookie": _session_cookie(officer)}
    bearer = {"Authorization": f"Bearer {officer_token}"}
    signup_shift = shifts[0].pk
    detail = shifts[1].pk
    taken = itertools.count()  # one volunteer per sign-up across every concurrency level

    def volunteer_token(_i: int) -> dict[str, str]:
        return {"Authorization": f"Bearer {tokens[next(taken) % VOLUNTEERS]}"}

    return [
        Case("public_home", "GET", "/"),
        Case("public_stations", "GET", "/stations/"),
        Case("officer_shift_list", "GET", "/app/shifts/", headers=lambda i: cookie),
        Case("shift_detail", "GET", f"/app/shifts/{detail}/", headers=lambda i: cookie),
        Case("api_shifts_50", "GET", "/api/v1/shifts?limit=50", headers=lambda i: bearer),
        Case("scoreboard", "GET", "/app/reports/scoreboard/", headers=lambda i: cookie),
        Case(
            "signup",
            "POST",
            f"/api/v1/shifts/{signup_shift}/signups",
            headers=volunteer_token,
            body=lambda i: json.dumps({}).encode(),
            ok=(201,),
        ),
    ]
