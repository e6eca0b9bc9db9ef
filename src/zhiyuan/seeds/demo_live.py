"""`load_demo --today DATE --size full|small`: the seeds' campaigns brought to life around `today`.

Deterministic (every choice comes from one seeded random generator) and idempotent: a campaign already
running on `today` with demo shifts is left as it is. `small` is the same story with fewer people and
days, for the test suite.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils import timezone

from zhiyuan.campaigns.models import Shift
from zhiyuan.core.models import User
from zhiyuan.organizations.models import Organization
from zhiyuan.people.models import Volunteer
from zhiyuan.seeds import demo_activity as act
from zhiyuan.seeds import orgs_five_hours_2019 as f2019
from zhiyuan.seeds.demo_clock import beijing, clock_at
from zhiyuan.seeds.demo_living import (
    emergency_pairings,
    living_campaign,
    station_details,
    stations_of,
    team_volunteers,
)
from zhiyuan.seeds.demo_reports import reports
from zhiyuan.seeds.loader import Tally


@dataclass(frozen=True)
class Size:
    behind: int  # days already happened
    ahead: int  # days laid out ahead
    crew: int  # volunteers per team


SIZES = {"full": Size(behind=28, ahead=14, crew=10), "small": Size(behind=5, ahead=2, crew=5)}


def demo_now(today: date) -> datetime:
    """The demo's present moment: now when `today` is today, else mid-morning of that day."""
    if today == timezone.localdate():
        return timezone.now()
    return beijing(today, 10, 30)


def load_living(tally: Tally, *, today: date, size: str = "full") -> None:
    spec = SIZES[size]
    officer = User.objects.get(username="officer")
    now = demo_now(today)
    first = today - timedelta(days=spec.behind)
    with clock_at(beijing(first - timedelta(days=3), 9)) as clock:
        campaigns = [
            living_campaign(tally, officer=officer, source_slug=slug, today=today)
            for slug in ("chunyun-2019", "five-hours-2019")
        ]
        if Shift.objects.filter(campaign__in=campaigns, title__endswith=act.TITLE_MARK).exists():
            tally.count("unchanged")
            return
        plan = act.Plan(clock=clock, officer=officer, rng=random.Random(f"demo-{today}"))
        squadron = Organization.objects.get(name=f2019.SQUADRON)
        crews: dict[int, list[Volunteer]] = {}
        shifts: list[Shift] = []
        for campaign in campaigns:
            station_details(tally, officer=officer, campaign=campaign)
            emergency_pairings(tally, officer=officer, campaign=campaign)
            days = [
                first + timedelta(days=i)
                for i in range(spec.behind + spec.ahead + 1)
                if campaign.starts_on <= first + timedelta(days=i) <= campaign.ends_on
            ]
            for index, station in enumerate(stations_of(campaign)):
                teams = list(station.teams.all()) or [squadron]
                for team in teams:
                    if team.pk not in crews:
                        crews[team.pk] = team_volunteers(
                            tally, officer=officer, team=team, count=spec.crew, index=len(crews)
                        )
                shifts += act.lay_out(plan, station=station, teams=teams, crews=crews, days=days, today=today)
                act.stock(plan, station=station, index=index)
                act.incidents(plan, station=station, days=days, today=today, index=index)
        window = [first + timedelta(days=i) for i in range(spec.behind)]
        act.self_reports(plan, crews=crews, days=window, today=today)
        for shift in shifts:
            act.replay_shift(plan, shift, now)
        reports(plan, campaigns=campaigns, start=beijing(first, 0), now=now)
        plan.play(until=now)
        tally.count("created")
