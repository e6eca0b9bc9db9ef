"""Four weeks that happened and two ahead, replayed through the services on a moving clock.

Shifts are laid out and filled (accepted, and waiting lists where a shift is popular) a few days before
the window; then every event is played in time order — scans in and out (each sign-out writes its ledger
entry), self-reports filed in the evening and decided the next day, incidents and their resolution,
stock taken. Each team has its own show-up rate, so most volunteers reach 5 hours a week and some do not.
"""

from __future__ import annotations

import heapq
import itertools
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError

from zhiyuan.campaigns.models import Shift, Signup, Station
from zhiyuan.campaigns.services import emergency as em
from zhiyuan.campaigns.services import shifts as sh
from zhiyuan.campaigns.services import stations as ss
from zhiyuan.core.errors import Refused
from zhiyuan.core.models import User
from zhiyuan.hours.models import SelfReport
from zhiyuan.hours.services.checkin_bulk import checkin_bulk
from zhiyuan.hours.services.self_reports import self_report_create, self_report_decide
from zhiyuan.organizations.models import Organization
from zhiyuan.people.models import Volunteer
from zhiyuan.seeds.demo_clock import Clock, beijing

TITLE_MARK = "（演示）"
SLOTS = [(8, 12, "上午班"), (14, 18, "下午班")]
INCIDENTS = [
    ("旅客突发不适", "一名旅客在候车区头晕，志愿者扶至服务站休息并联系站区医务室（演示）", "medium"),
    ("儿童走失", "一名儿童与家长走散，经广播寻人10分钟后找到家长（演示）", "high"),
    ("行李遗失", "旅客遗失背包一个，已登记并移交车站失物招领处（演示）", "low"),
]


@dataclass
class Plan:
    """What the replay writes; events are (moment, order, action) played in time order."""

    clock: Clock
    officer: User
    rng: random.Random
    events: list[tuple[datetime, int, Callable[[], object]]] = field(default_factory=list)
    order: itertools.count[int] = field(default_factory=itertools.count)

    def at(self, moment: datetime, action: Callable[[], object]) -> None:
        heapq.heappush(self.events, (moment, next(self.order), action))

    def play(self, until: datetime) -> None:
        """Run the events in time order, including those an event schedules (a review the next day)."""
        while self.events and self.events[0][0] <= until:
            moment, _order, action = heapq.heappop(self.events)
            self.clock.set(moment)
            action()
        self.events.clear()


def show_up_rate(team: Organization) -> float:
    """Deterministic per team: 0.70 … 0.98, so the forecast has different teams to tell apart."""
    return 0.70 + (team.pk * 37 % 29) / 100


def _signup(plan: Plan, shift: Shift, volunteer: Volunteer) -> Signup | None:
    try:
        return sh.signup_create(by=plan.officer, shift=shift, volunteer=volunteer)
    except (Refused, ValidationError):
        return None  # a clash with another accepted shift: the volunteer simply is not on this one


def lay_out(
    plan: Plan,
    *,
    station: Station,
    teams: list[Organization],
    crews: dict[int, list[Volunteer]],
    days: list[date],
    today: date,
) -> list[Shift]:
    """Shifts every day at the station (mornings, and afternoons at weekends), owned by the linked
    teams in turn; each filled from its team, a few over capacity onto the waiting list."""
    made: list[Shift] = []
    for n, day in enumerate(days):
        for s, (start, end, label) in enumerate(SLOTS):
            if s and day.weekday() < 5:
                continue  # afternoons only at weekends, when the stations are busiest
            team = teams[(n + s) % len(teams)]
            crew = crews.get(team.pk, [])
            if not crew:
                continue
            starts = beijing(day, start)
            shift = sh.shift_create(
                by=plan.officer,
                organization=team,
                station=station,
                title=f"{station.sub_location or station.place}{label}{TITLE_MARK}",
                starts_at=starts,
                ends_at=beijing(day, end),
                capacity=4,
                minimum=3,
            )
            made.append(shift)
            ahead = (day - today).days
            # the further ahead, the fewer have signed up yet: gaps for the forecast to find
            wanted = plan.rng.randint(2, 6) if ahead < 3 else plan.rng.randint(1, 4)
            for volunteer in plan.rng.sample(crew, k=min(wanted, len(crew))):
                _signup(plan, shift, volunteer)
    return made


def replay_shift(plan: Plan, shift: Shift, now: datetime) -> None:
    """The accepted come (at their team's rate) and sign in at the start; sign out at the end if it is over."""
    rate = show_up_rate(shift.organization)
    came = sorted(
        pk
        for pk in shift.signups.filter(status=Signup.Status.ACCEPTED).values_list("volunteer_id", flat=True)
        if plan.rng.random() < rate
    )
    if not came or shift.starts_at > now:
        return
    late = timedelta(minutes=plan.rng.randint(0, 20))

    def scan_in() -> None:
        checkin_bulk(
            by=plan.officer,
            shift=shift,
            volunteer_ids=came,
            action="in",
            at=shift.starts_at,
            key=f"demo-in-{shift.pk}",
        )

    def scan_out() -> None:
        checkin_bulk(
            by=plan.officer,
            shift=shift,
            volunteer_ids=came,
            action="out",
            at=shift.ends_at,
            key=f"demo-out-{shift.pk}",
        )

    plan.at(shift.starts_at + late, scan_in)
    if shift.ends_at + late <= now:
        plan.at(shift.ends_at + late, scan_out)


def self_reports(plan: Plan, *, crews: dict[int, list[Volunteer]], days: list[date], today: date) -> None:
    """A few volunteers a week report service outside any shift (入户走访, 社区宣传); the older ones are
    approved the next day, the last days' are still pending."""
    teams = {t.pk: t for t in Organization.objects.filter(pk__in=crews)}
    for n, day in enumerate(days):
        if day >= today or n % 3:
            continue
        for team_id, crew in sorted(crews.items())[n % 4 :: 4]:
            volunteer = crew[n % len(crew)]

            def file(
                v: Volunteer = volunteer, t: Organization = teams[team_id], d: date = day, i: int = n
            ) -> None:
                report = self_report_create(
                    by=v.user,
                    volunteer=v,
                    organization=t,
                    activity="社区文明劝导（演示）",
                    place="所在社区",
                    description="在社区开展春运安全出行宣传，发放宣传页（演示）",
                    starts_at=beijing(d, 18, 30),
                    ends_at=beijing(d, 20, 30),
                )
                if d < today - timedelta(days=3):
                    plan.at(
                        beijing(d + timedelta(days=1), 10),
                        lambda: _decide(plan, report, approve=(i // 3) % 4 != 3),
                    )

            plan.at(beijing(day, 21), file)


def _decide(plan: Plan, report: SelfReport, approve: bool) -> None:
    self_report_decide(
        by=plan.officer,
        report=report,
        approve=approve,
        reason="" if approve else "时间与班次记录重叠（演示）",
    )


def incidents(plan: Plan, *, station: Station, days: list[date], today: date, index: int) -> None:
    """An incident every nine days or so at each station; yesterday's are still open."""
    for n, day in enumerate(days):
        if (n + index) % 9 or day >= today:
            continue
        kind, text, severity = INCIDENTS[(n + index) % len(INCIDENTS)]
        moment = beijing(day, 9, 30)

        def report(d: date = day, k: str = kind, t: str = text, s: str = severity) -> None:
            incident = em.incident_report(by=plan.officer, station=station, kind=k, description=t, severity=s)
            if d < today - timedelta(days=1):
                plan.at(
                    beijing(d, 11),
                    lambda: em.incident_resolve(
                        by=plan.officer, incident=incident, resolution="已妥善处置（演示）"
                    ),
                )

        plan.at(moment, report)


def stock(plan: Plan, *, station: Station, index: int) -> None:
    """热水杯 and 常用药品 at each station; every third station is running low on cups."""
    cups = ss.consumable_create(
        by=plan.officer, station=station, name="一次性热水杯", unit="个", quantity=500, low_threshold=50
    )
    ss.consumable_create(
        by=plan.officer, station=station, name="常用药品", unit="盒", quantity=40, low_threshold=10
    )
    if index % 3 == 0:
        ss.stock_move(by=plan.officer, consumable=cups, delta=-470, reason="发放给旅客（演示）")
