"""Reads for the public portal: only published data, nothing personal, a fixed number of queries per page.

Which campaign is "current": the ones running today; between campaigns, the next to start; after the last,
the campaigns of the most recent year — so the portal never stands empty between 春运 seasons.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import (
    Case,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Cast
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from zhiyuan.campaigns.models import Campaign, Station
from zhiyuan.hours.models import CheckIn
from zhiyuan.outreach.models import Channel, TicketClaim, TicketDonation, Venue
from zhiyuan.outreach.services.common import normal_code

KM_PER_DEGREE = 111.195  # one degree of latitude on the mean Earth sphere


def current_campaigns(today: date | None = None) -> list[Campaign]:
    today = today or timezone.localdate()
    running = list(Campaign.objects.filter(starts_on__lte=today, ends_on__gte=today).order_by("starts_on"))
    if running:
        return running
    upcoming = Campaign.objects.filter(starts_on__gt=today).order_by("starts_on").first()
    if upcoming:
        return [upcoming]
    last = Campaign.objects.order_by("-ends_on").first()
    if last is None:
        return []
    return list(Campaign.objects.filter(starts_on__year=last.starts_on.year).order_by("starts_on"))


def staffed_now(now: datetime) -> Exists:
    """A shift at the station in progress with at least one volunteer signed in and not yet out."""
    return Exists(
        CheckIn.objects.filter(
            kind=CheckIn.Kind.IN,
            closing__isnull=True,
            shift__station=OuterRef("pk"),
            shift__starts_at__lte=now,
            shift__ends_at__gt=now,
        )
    )


@dataclass(frozen=True)
class Position:
    lat: float
    lng: float

    @classmethod
    def parse(cls, lat: Any, lng: Any) -> Position | None:
        try:
            la, ln = float(lat), float(lng)
        except (TypeError, ValueError):
            return None
        if not (math.isfinite(la) and math.isfinite(ln) and -90 <= la <= 90 and -180 <= ln <= 180):
            return None
        return cls(la, ln)


def public_stations(
    *, campaigns: list[Campaign], near: Position | None = None, now: datetime | None = None
) -> QuerySet[Station]:
    """Stations of the current campaigns and standing stations, each with `staffed` (one query for a page).

    With a position, nearest first by an equirectangular distance (exact enough within a city, and plain
    arithmetic, so SQLite and PostgreSQL order alike); stations without coordinates come last. Without one,
    grouped by the responsible office (the district)."""
    now = now or timezone.now()
    qs = (
        Station.objects.filter(Q(campaign__in=campaigns) | Q(campaign__isnull=True))
        .select_related("responsible_office")
        .annotate(staffed=staffed_now(now))
    )
    if near is None:
        return qs.order_by("responsible_office__path", "order", "pk")
    scale = math.cos(math.radians(near.lat))
    dy = ExpressionWrapper(Cast("latitude", FloatField()) - Value(near.lat), output_field=FloatField())
    dx = ExpressionWrapper(
        (Cast("longitude", FloatField()) - Value(near.lng)) * Value(scale), output_field=FloatField()
    )
    squared = ExpressionWrapper(dx * dx + dy * dy, output_field=FloatField())
    return qs.annotate(
        d2=Case(
            When(latitude__isnull=False, longitude__isnull=False, then=squared), output_field=FloatField()
        ),
    ).order_by(F("d2").asc(nulls_last=True), "pk")


def distance_km(station: Any) -> float | None:
    d2 = getattr(station, "d2", None)
    return None if d2 is None else round(math.sqrt(max(float(d2), 0.0)) * KM_PER_DEGREE, 1)


def station_public_get(*, pk: int, campaigns: list[Campaign], now: datetime | None = None) -> Station:
    station = (
        public_stations(campaigns=campaigns, now=now).prefetch_related("links__team").filter(pk=pk).first()
    )
    if station is None:
        raise Http404(_("未找到该站点。"))
    return station


def public_channels(*, campaigns: list[Campaign]) -> QuerySet[Channel]:
    return (
        Channel.objects.filter(published=True)
        .filter(Q(campaign__in=campaigns) | Q(campaign__isnull=True))
        .order_by("kind", "order", "pk")
    )


def available_donations(*, now: datetime | None = None) -> QuerySet[TicketDonation]:
    """Published donations with tickets left and claiming not closed."""
    now = now or timezone.now()
    return (
        TicketDonation.objects.filter(published=True, claimed__lt=F("quantity"))
        .filter(Q(claim_closes_at__isnull=True) | Q(claim_closes_at__gt=now))
        .select_related("venue")
        .order_by("claim_closes_at", "pk")
    )


def donation_public_get(*, pk: int) -> TicketDonation:
    donation = TicketDonation.objects.filter(published=True, pk=pk).select_related("venue").first()
    if donation is None:
        raise Http404(_("未找到这批赠票。"))
    return donation


def claim_by_code(code: str) -> TicketClaim:
    """Only the claim with this exact code: the look-up shows nothing of anyone else's."""
    claim = (
        TicketClaim.objects.filter(code=normal_code(code))
        .select_related("donation", "donation__venue")
        .first()
    )
    if claim is None:
        raise Http404(_("未找到该领取码。"))
    return claim


def public_venues() -> QuerySet[Venue]:
    return Venue.objects.filter(published=True).order_by("order", "pk")


def venue_public_get(*, pk: int) -> Venue:
    venue = public_venues().filter(pk=pk).first()
    if venue is None:
        raise Http404(_("未找到该场馆。"))
    return venue
