"""Location sanity for scans (optional, and only with the volunteer's separate 位置信息 consent).

A position far from the station flags the scan for a leader to look at; it never refuses it — phones
report poor fixes indoors and at stations, and a volunteer must not lose hours to a bad GPS reading.
Without the consent the position is dropped before anything is stored (PIPL Art. 14: a separate consent).
"""

from __future__ import annotations

import math
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from zhiyuan.campaigns.models import Station
from zhiyuan.people.models import Consent, ConsentKind, Volunteer

EARTH_RADIUS_M = 6_371_000
SIX_PLACES = Decimal("0.000001")


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle (haversine) distance in metres."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = math.radians(lat2 - lat1), math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


def location_consented(volunteer: Volunteer) -> bool:
    return Consent.objects.filter(
        volunteer=volunteer, kind=ConsentKind.LOCATION, withdrawn_at__isnull=True
    ).exists()


def position_check(latitude: float | None, longitude: float | None) -> tuple[float, float] | None:
    """The position as a pair, None when the phone sent none; both bad fields reported at once."""
    if latitude is None and longitude is None:
        return None
    errors: dict[str, list[str]] = {}
    if latitude is None or longitude is None:
        errors["longitude" if longitude is None else "latitude"] = [_("位置须同时包含纬度和经度。")]
    if latitude is not None and not -90 <= latitude <= 90:
        errors["latitude"] = [_("纬度须在 -90 到 90 之间。")]
    if longitude is not None and not -180 <= longitude <= 180:
        errors["longitude"] = [_("经度须在 -180 到 180 之间。")]
    if errors:
        raise ValidationError(errors)
    assert latitude is not None and longitude is not None
    return latitude, longitude


def distance_label(metres: float) -> str:
    if metres >= 1000:
        return _("约 %(km).1f 公里") % {"km": metres / 1000}
    return _("约 %(m)d 米") % {"m": round(metres)}


def location_flag(station: Station | None, position: tuple[float, float]) -> str:
    """The review reason for a scan at `position`, or "" when it is near enough (or cannot be judged)."""
    if station is None or station.latitude is None or station.longitude is None:
        return ""
    metres = distance_m(position[0], position[1], float(station.latitude), float(station.longitude))
    if metres <= settings.ZHIYUAN_CHECKIN_MAX_DISTANCE_M:
        return ""
    return _("距站点%(d)s，待核查") % {"d": distance_label(metres)}


def stored_position(position: tuple[float, float]) -> tuple[Decimal, Decimal]:
    return Decimal(position[0]).quantize(SIX_PLACES), Decimal(position[1]).quantize(SIX_PLACES)
