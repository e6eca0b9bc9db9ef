"""Staffing-gap forecast: per station and day for the coming two weeks, the turnout to expect.

expected = Σ over the day's shifts of (accepted sign-ups × the shift team's observed show-up rate), the
rate being sign-ins ÷ accepted sign-ups on the team's shifts that ended in the last eight weeks. A day
whose expected turnout is below the shifts' summed minimum is a gap; it lists the station's linked teams
(and its emergency pairing) that could fill it, the most reliable first.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Count, QuerySet
from django.utils import timezone

from zhiyuan.campaigns.models import EmergencyPairing, Shift, Signup, StationLink
from zhiyuan.hours.models import CheckIn
from zhiyuan.ops.selectors.board import board_stations

HORIZON_DAYS = 14
HISTORY = timedelta(weeks=8)
DEFAULT_RATE = 0.9  # a team with no attendance history yet: assume most come, but not all


@dataclass
class TeamRate:
    id: int
    name: str
    rate: float


@dataclass
class DayGap:
    station_id: int
    station: str
    day: date
    accepted: int
    expected: float
    minimum: int
    teams: list[TeamRate] = field(default_factory=list)

    @property
    def short_by(self) -> float:
        return round(self.minimum - self.expected, 1)


def show_up_rates(team_ids: set[int], now: datetime) -> dict[int, float]:
    """Observed show-up per team over its ended shifts of the last eight weeks (two queries)."""
    ended = {
        "shift__ends_at__gte": now - HISTORY,
        "shift__ends_at__lt": now,
        "shift__organization_id__in": team_ids,
    }
    booked = dict(
        Signup.objects.filter(status=Signup.Status.ACCEPTED, **ended)
        .values_list("shift__organization_id")
        .annotate(n=Count("pk"))
    )
    came = dict(
        CheckIn.objects.filter(kind=CheckIn.Kind.IN, **ended)
        .values_list("shift__organization_id")
        .annotate(n=Count("pk"))
    )
    return {t: min(came.get(t, 0) / booked[t], 1.0) if booked.get(t) else DEFAULT_RATE for t in team_ids}


def _upcoming(stations: QuerySet[Any], now: datetime) -> QuerySet[Shift]:
    today = timezone.localdate(now)
    return Shift.objects.filter(
        station__in=stations.values("pk"),
        starts_at__gte=now,
        starts_at__date__lt=today + timedelta(days=HORIZON_DAYS),
    ).select_related("organization", "station")


def forecast(*, user: Any, now: datetime | None = None) -> list[DayGap]:
    """The gaps only, soonest first."""
    now = now or timezone.now()
    stations = board_stations(user, now)
    shifts = list(_upcoming(stations, now))
    candidates: dict[int, dict[int, str]] = defaultdict(dict)
    for link in StationLink.objects.filter(station__in=stations.values("pk")).select_related("team"):
        candidates[link.station_id][link.team_id] = link.team.name
    for pairing in EmergencyPairing.objects.filter(station__in=stations.values("pk")).select_related("team"):
        candidates[pairing.station_id].setdefault(pairing.team_id, pairing.team.name)
    team_ids = {s.organization_id for s in shifts} | {t for c in candidates.values() for t in c}
    rates = show_up_rates(team_ids, now)
    days: dict[tuple[int, date], DayGap] = {}
    for s in shifts:
        assert s.station is not None
        day = timezone.localdate(s.starts_at)
        gap = days.setdefault((s.station_id, day), DayGap(s.station_id, s.station.name, day, 0, 0.0, 0))  # type: ignore[arg-type]
        gap.accepted += s.accepted_count
        gap.expected += s.accepted_count * rates.get(s.organization_id, DEFAULT_RATE)
        gap.minimum += s.minimum
    gaps = []
    for gap in days.values():
        gap.expected = round(gap.expected, 1)
        if gap.expected < gap.minimum:
            gap.teams = sorted(
                (
                    TeamRate(t, name, round(rates.get(t, DEFAULT_RATE), 2))
                    for t, name in candidates[gap.station_id].items()
                ),
                key=lambda r: (-r.rate, r.id),
            )
            gaps.append(gap)
    return sorted(gaps, key=lambda g: (g.day, g.station_id))
