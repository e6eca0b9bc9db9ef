"""The operations board: what is happening now at every station of the office's subtree.

Each part is one query over all the stations in scope (never one per station), so the board costs the
same at 10 and at 1,000 stations: the stations, shifts running now, open sign-ins with their people,
today's rotation duties, open incidents, open activations, low stock, and the next 48 hours' shifts below
their minimum. Reports due today and overdue come from the deadline engine for the same subtree.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils import timezone

from zhiyuan.campaigns.models import Activation, Consumable, Duty, Incident, Shift, Station
from zhiyuan.campaigns.selectors import shifts as shift_selectors
from zhiyuan.campaigns.selectors.stations import visible_stations
from zhiyuan.core import access
from zhiyuan.core.phones import mask_mobile
from zhiyuan.hours.models import CheckIn
from zhiyuan.organizations.roles import Perm
from zhiyuan.reporting.selectors.due import Due, open_dues

OPEN_SCAN_MAX = timedelta(hours=16)  # an older sign-in without its sign-out is a forgotten one, not "on duty"
LOOKAHEAD = timedelta(hours=48)
OVERDUE_WINDOW = timedelta(days=7)


@dataclass
class OnDuty:
    name: str
    phone: str  # masked unless the reader may manage the shift's team
    since: datetime
    team: str


@dataclass
class StationNow:
    id: int
    name: str
    campaign: str
    staffed: int = 0
    needed: int = 0
    on_duty: list[OnDuty] = field(default_factory=list)
    duty: str = ""  # today's rotation duty: its content or place
    duty_unit: str = ""
    incidents: int = 0
    activations: int = 0
    low_stock: list[str] = field(default_factory=list)

    @property
    def short(self) -> bool:
        return self.staffed < self.needed


@dataclass
class Gap:
    shift_id: int
    title: str
    station: str
    team: str
    starts_at: datetime
    accepted: int
    minimum: int


@dataclass
class Board:
    now: datetime
    stations: list[StationNow]
    gaps: list[Gap]
    due_today: list[Due]
    overdue: list[Due]

    @property
    def short_count(self) -> int:
        return sum(s.short for s in self.stations)


def board_stations(user: Any, now: datetime) -> QuerySet[Station]:
    """Stations of campaigns running today (and standing ones without a campaign) the user may see."""
    today = timezone.localdate(now)
    return (
        visible_stations(user, Perm.STATION_VIEW)
        .filter(Q(campaign=None) | Q(campaign__starts_on__lte=today, campaign__ends_on__gte=today))
        .select_related("campaign")
        .order_by("campaign__starts_on", "order", "pk")
    )


def _on_duty(user: Any, ids: QuerySet[Any], now: datetime, rows: dict[int, StationNow]) -> None:
    scans = (
        CheckIn.objects.filter(Q(station__in=ids) | Q(shift__station__in=ids))
        .filter(kind=CheckIn.Kind.IN, closing__isnull=True, at__gte=now - OPEN_SCAN_MAX, at__lte=now)
        .select_related("volunteer__user", "shift__organization")
        .order_by("at", "pk")
    )
    for scan in scans:
        station_id = scan.station_id or (scan.shift.station_id if scan.shift else None)
        row = rows.get(station_id or 0)
        if row is None:
            continue
        team = scan.shift.organization if scan.shift else None
        mobile = scan.volunteer.user.mobile
        reveal = team is not None and access.can(user, Perm.VOLUNTEER_CHANGE, team)
        row.staffed += 1
        row.on_duty.append(
            OnDuty(
                name=scan.volunteer.user.display_name,
                phone=mobile if reveal else mask_mobile(mobile),
                since=scan.at,
                team=team.name if team else "",
            )
        )


def board(*, user: Any, now: datetime | None = None) -> Board:
    now = now or timezone.now()
    today = timezone.localdate(now)
    stations = board_stations(user, now)
    rows = {
        s.pk: StationNow(id=s.pk, name=s.name, campaign=s.campaign.title if s.campaign else "")
        for s in stations
    }
    ids = stations.values("pk")
    for station_id, needed in (
        Shift.objects.filter(station__in=ids, starts_at__lte=now, ends_at__gt=now)
        .values_list("station_id")
        .annotate(needed=Sum("minimum"))
    ):
        rows[station_id].needed = needed or 0
    _on_duty(user, ids, now, rows)
    for duty in (
        Duty.objects.filter(station__in=ids, date=today).select_related("responsible").order_by("order")
    ):
        row = rows[duty.station_id]  # type: ignore[index]
        row.duty = duty.content or duty.place
        row.duty_unit = duty.responsible.name if duty.responsible else duty.responsible_label
    for station_id, n in (
        Incident.objects.filter(station__in=ids)
        .exclude(status=Incident.Status.RESOLVED)
        .values_list("station_id")
        .annotate(n=Count("pk"))
    ):
        rows[station_id].incidents = n
    for station_id, n in (
        Activation.objects.filter(plan__pairing__station__in=ids, closed_at=None)
        .values_list("plan__pairing__station_id")
        .annotate(n=Count("pk"))
    ):
        rows[station_id].activations = n
    for c in Consumable.objects.filter(station__in=ids, quantity__lte=F("low_threshold")).order_by("name"):
        rows[c.station_id].low_stock.append(f"{c.name} {c.quantity}{c.unit}")
    gaps = [
        Gap(
            shift_id=s.pk,
            title=s.title,
            station=s.station.name if s.station else "",
            team=s.organization.name,
            starts_at=s.starts_at,
            accepted=s.accepted_count,
            minimum=s.minimum,
        )
        # only shifts the viewer may open: the board links each one
        for s in Shift.objects.filter(
            shift_selectors.visible_q(user),
            station__in=ids,
            starts_at__gte=now,
            starts_at__lt=now + LOOKAHEAD,
            accepted_count__lt=F("minimum"),
        )
        .select_related("station", "organization")
        .order_by("starts_at", "pk")
    ]
    due_today, overdue = _dues(user, now)
    return Board(now=now, stations=list(rows.values()), gaps=gaps, due_today=due_today, overdue=overdue)


def _dues(user: Any, now: datetime) -> tuple[list[Due], list[Due]]:
    """Reports of the subtree still open: those due later today, and those already past their deadline."""
    if not access.holds_any(user, [Perm.REPORT_VIEW]):
        return [], []
    local = timezone.localtime(now)
    end_of_day = local.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)
    org_ids = (
        None
        if access.is_global(user)
        else set(access.organizations(user, Perm.REPORT_VIEW).values_list("pk", flat=True))
    )
    dues = open_dues(due_from=now - OVERDUE_WINDOW, due_to=end_of_day, organization_ids=org_ids)
    by_time: dict[bool, list[Due]] = defaultdict(list)
    for d in dues:
        by_time[d.due_at < now].append(d)
    return by_time[False], by_time[True]
