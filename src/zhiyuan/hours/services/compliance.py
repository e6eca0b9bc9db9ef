"""The 5-hour week (每周五小时) and star levels, read from the weekly rollups — never from the ledger."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import DecimalField, Exists, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from zhiyuan.core import access
from zhiyuan.hours.models import StarThreshold, WeeklyQuota, WeeklyRollup
from zhiyuan.hours.services.ledger import volunteer_total
from zhiyuan.organizations.models import Membership, Organization
from zhiyuan.organizations.roles import Perm
from zhiyuan.people.models import Volunteer

DEFAULT_QUOTA = Decimal(5)  # seed 001: five hours a week
STREAK_LOOKBACK_WEEKS = 260


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _path_ids(organization: Organization | None) -> list[int]:
    if organization is None:
        return []
    return [int(p) for p in organization.path.strip("/").split("/") if p]


def quota_for(organization: Organization | None) -> Decimal:
    """The nearest WeeklyQuota on the organisation's path (its own first), else the default."""
    ids = _path_ids(organization)
    if not ids:
        return DEFAULT_QUOTA
    found = dict(WeeklyQuota.objects.filter(organization_id__in=ids).values_list("organization_id", "hours"))
    for pk in reversed(ids):
        if pk in found:
            return Decimal(found[pk])
    return DEFAULT_QUOTA


def star_thresholds(organization: Organization | None) -> dict[int, Decimal]:
    """{stars: hours}: the defaults, each overridden by the nearest organisation on the path."""
    ids = _path_ids(organization)
    depth = {pk: i for i, pk in enumerate(ids)}
    rows = StarThreshold.objects.filter(organization__isnull=True) | StarThreshold.objects.filter(
        organization_id__in=ids
    )
    chosen: dict[int, tuple[int, Decimal]] = {}
    for org_id, stars, hours in rows.values_list("organization_id", "stars", "hours"):
        rank = -1 if org_id is None else depth[org_id]
        if stars not in chosen or rank > chosen[stars][0]:
            chosen[stars] = (rank, Decimal(hours))
    return {stars: hours for stars, (_, hours) in sorted(chosen.items())}


def star_level(volunteer: Volunteer, total: Decimal | None = None) -> int:
    total = volunteer_total(volunteer) if total is None else total
    reached = [s for s, h in star_thresholds(volunteer.home_organization).items() if total >= h]
    return max(reached, default=0)


@dataclass(frozen=True)
class MyWeek:
    week: date
    hours: Decimal
    quota: Decimal
    remaining: Decimal
    streak: int
    total: Decimal
    stars: int
    next_star_hours: Decimal | None

    @property
    def percent(self) -> int:
        if not self.quota:
            return 100
        return min(100, int(self.hours * 100 / self.quota))


def my_week(volunteer: Volunteer, today: date | None = None) -> MyWeek:
    today = today or timezone.localdate()
    this_monday = monday(today)
    quota = quota_for(volunteer.home_organization)
    rows = dict(
        WeeklyRollup.objects.filter(
            volunteer=volunteer, week__gte=this_monday - timedelta(weeks=STREAK_LOOKBACK_WEEKS)
        ).values_list("week", "hours")
    )
    hours = Decimal(rows.get(this_monday, 0))
    streak, week = 0, this_monday - timedelta(weeks=1)
    while Decimal(rows.get(week, 0)) >= quota and quota > 0:
        streak += 1
        week -= timedelta(weeks=1)
    total = volunteer_total(volunteer)
    thresholds = star_thresholds(volunteer.home_organization)
    stars = max((s for s, h in thresholds.items() if total >= h), default=0)
    upcoming = [h for s, h in thresholds.items() if s > stars]
    return MyWeek(
        week=this_monday,
        hours=hours,
        quota=quota,
        remaining=max(Decimal(0), quota - hours),
        streak=streak,
        total=total,
        stars=stars,
        next_star_hours=min(upcoming) if upcoming else None,
    )


@dataclass
class UnitWeek:
    organization: Organization
    week: date
    quota: Decimal
    total: int
    met: int
    short: list[dict[str, Any]] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return round(self.met / self.total, 4) if self.total else 0.0

    @property
    def percent(self) -> int:
        return round(self.rate * 100)


def _members(organization: Organization) -> Any:
    in_subtree = Membership.objects.filter(
        user_id=OuterRef("user_id"), organization__path__startswith=organization.path
    )
    return Volunteer.objects.filter(Exists(in_subtree)).exclude(status=Volunteer.Status.ANONYMISED)


def unit_compliance(*, user: Any, organization: Organization, week: date) -> UnitWeek:
    """Who in the organisation's subtree met the quota in `week`; one aggregated query for the members."""
    access.require(user, Perm.HOURS_VIEW, organization)
    week = monday(week)
    quota = quota_for(organization)
    hours = Subquery(WeeklyRollup.objects.filter(volunteer_id=OuterRef("pk"), week=week).values("hours")[:1])
    rows = list(
        _members(organization)
        .annotate(week_hours=Coalesce(hours, Value(Decimal(0)), output_field=DecimalField()))
        .values("pk", "number", "user__full_name", "week_hours")
        .order_by()
    )
    short = sorted(
        (
            {
                "id": r["pk"],
                "number": r["number"],
                "name": r["user__full_name"],
                "hours": Decimal(r["week_hours"]),
                "missing": quota - Decimal(r["week_hours"]),
            }
            for r in rows
            if Decimal(r["week_hours"]) < quota
        ),
        key=lambda r: (r["hours"], r["number"]),
    )
    return UnitWeek(organization, week, quota, len(rows), len(rows) - len(short), short)


def month_weeks(year: int, month: int) -> list[date]:
    """The Mondays of the weeks that start in the month."""
    day = date(year, month, 1)
    first = day + timedelta(days=(7 - day.weekday()) % 7)
    weeks = []
    while first.month == month:
        weeks.append(first)
        first += timedelta(weeks=1)
    return weeks


def unit_compliance_month(*, user: Any, organization: Organization, year: int, month: int) -> list[UnitWeek]:
    return [unit_compliance(user=user, organization=organization, week=w) for w in month_weeks(year, month)]
