"""Dashboards at a glance, each tile a chart (drawn by static/js/charts.js) with its table as fallback.

An office sees its subtree's hours per week and 5-hour compliance per week (from the weekly rollups, so
the cost does not grow with the ledger) and check-ins per day; a leader their team's week; a volunteer
their own weeks and stars. A person sees every tile their roles give them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from zhiyuan.core import access
from zhiyuan.hours.models import CheckIn, WeeklyRollup
from zhiyuan.hours.services.compliance import monday, my_week, quota_for, unit_compliance
from zhiyuan.organizations.models import LED_KINDS, Organization
from zhiyuan.organizations.roles import Perm
from zhiyuan.people.models import Volunteer

WEEKS = 8
DAYS = 28


@dataclass
class Tile:
    key: str
    title: str
    columns: list[str]
    rows: list[list[Any]]
    chart: dict[str, Any] = field(default_factory=dict)


@dataclass
class Dashboard:
    tiles: list[Tile]


def _bars(
    title: str, names: list[str], values: list[Any], suffix: str = "", vmax: int | None = None
) -> dict[str, Any]:
    return {
        "names": names,
        "values": [float(v) for v in values],
        "max": vmax,
        "suffix": suffix,
        "series": title,
        "label": title,
        "empty": _("暂无数据。"),
    }


def _office_tiles(user: Any, today: date) -> list[Tile]:
    orgs = access.organizations(user, Perm.VOLUNTEER_VIEW)
    first = monday(today) - timedelta(weeks=WEEKS - 1)
    weekly = list(
        WeeklyRollup.objects.filter(week__gte=first, volunteer__home_organization__in=orgs)
        .values("week")
        .annotate(
            week_hours=Sum("hours"),
            people=Count("volunteer_id"),
            met=Count("pk", filter=Q(hours__gte=quota_for(None))),
        )
        .order_by("week")
    )
    labels = [f"{r['week']:%m-%d}" for r in weekly]
    hours = Tile(
        "hours",
        _("每周服务时长（小时）"),
        [_("周"), _("小时"), _("人数")],
        [[f"{r['week']:%Y-%m-%d}", r["week_hours"], r["people"]] for r in weekly],
        _bars(_("每周服务时长（小时）"), labels, [r["week_hours"] for r in weekly]),
    )
    rates = [round(100 * r["met"] / r["people"]) if r["people"] else 0 for r in weekly]
    compliance = Tile(
        "compliance",
        _("每周五小时达标率"),
        [_("周"), _("达标人数"), _("服务人数"), _("达标率")],
        [
            [f"{r['week']:%Y-%m-%d}", r["met"], r["people"], f"{rate}%"]
            for r, rate in zip(weekly, rates, strict=True)
        ],
        _bars(_("每周五小时达标率"), labels, rates, "%", 100),
    )
    since = timezone.now() - timedelta(days=DAYS)
    daily = list(
        CheckIn.objects.filter(kind=CheckIn.Kind.IN, at__gte=since, volunteer__home_organization__in=orgs)
        .annotate(day=TruncDate("at", tzinfo=timezone.get_current_timezone()))
        .values("day")
        .annotate(n=Count("pk"))
        .order_by("day")
    )
    checkins = Tile(
        "checkins",
        _("每日签到人次"),
        [_("日期"), _("签到人次")],
        [[f"{r['day']:%Y-%m-%d}", r["n"]] for r in daily],
        _bars(_("每日签到人次"), [f"{r['day']:%m-%d}" for r in daily], [r["n"] for r in daily]),
    )
    return [hours, compliance, checkins]


def _leader_tiles(user: Any, today: date) -> list[Tile]:
    teams = Organization.objects.filter(
        memberships__user=user,
        memberships__role__in=["leader", "squadron_leader", "deputy_squadron_leader"],
        kind__in=LED_KINDS,
    ).distinct()[:5]
    tiles = []
    for team in teams:
        week = unit_compliance(user=user, organization=team, week=today)
        tiles.append(
            Tile(
                f"team-{team.pk}",
                _("%(team)s 本周达标 %(met)d/%(total)d 人")
                % {"team": team.name, "met": week.met, "total": week.total},
                [_("未达标队员"), _("本周小时"), _("还差")],
                [[r["name"], r["hours"], r["missing"]] for r in week.short[:20]],
            )
        )
    return tiles


def _volunteer_tiles(volunteer: Volunteer, today: date) -> list[Tile]:
    first = monday(today) - timedelta(weeks=WEEKS - 1)
    rows = dict(
        WeeklyRollup.objects.filter(volunteer=volunteer, week__gte=first).values_list("week", "hours")
    )
    weeks = [first + timedelta(weeks=i) for i in range(WEEKS)]
    values = [Decimal(rows.get(w, 0)) for w in weeks]
    me = my_week(volunteer, today)
    return [
        Tile(
            "my-weeks",
            _("我的每周时长 · %(stars)d 星 · 累计 %(total)s 小时") % {"stars": me.stars, "total": me.total},
            [_("周"), _("小时")],
            [[f"{w:%Y-%m-%d}", v] for w, v in zip(weeks, values, strict=True)],
            _bars(_("我的每周时长"), [f"{w:%m-%d}" for w in weeks], values),
        )
    ]


def dashboard_for(*, user: Any) -> Dashboard:
    today = timezone.localdate()
    tiles: list[Tile] = []
    if access.holds_any(user, [Perm.VOLUNTEER_VIEW]):
        tiles += _office_tiles(user, today)
        tiles += _leader_tiles(user, today)
    volunteer = Volunteer.objects.filter(user=user).first()
    if volunteer is not None:
        tiles += _volunteer_tiles(volunteer, today)
    return Dashboard(tiles)
