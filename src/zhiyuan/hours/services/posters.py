"""Printed posters: the long-lived signed code on paper at a station or for a shift (models/poster.py)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.core import signing
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhiyuan.campaigns.models import Shift, Station
from zhiyuan.core.errors import Refused
from zhiyuan.core.models import User
from zhiyuan.hours.models import Poster
from zhiyuan.hours.services.checkin_time import LEAVE_LATE
from zhiyuan.hours.services.ledger import SHANGHAI

POSTER_SALT = "zhiyuan.poster"
NO_CAMPAIGN_VALIDITY = timedelta(days=366)  # a station outside any campaign: a year, then reprint


def _campaign_end(campaign: object) -> datetime | None:
    ends_on = getattr(campaign, "ends_on", None)
    if ends_on is None:
        return None
    return datetime.combine(ends_on + timedelta(days=1), time.min, tzinfo=SHANGHAI)  # the whole last day


def poster_valid_until(*, shift: Shift | None = None, station: Station | None = None) -> datetime:
    """The campaign's end; a shift's poster at least until the shift is over."""
    if shift is not None:
        campaign = shift.campaign or (shift.station.campaign if shift.station else None)
        end = _campaign_end(campaign)
        return max(end, shift.ends_at + LEAVE_LATE) if end else shift.ends_at + LEAVE_LATE
    assert station is not None
    return _campaign_end(station.campaign) or timezone.now() + NO_CAMPAIGN_VALIDITY


def _live(*, shift: Shift | None, station: Station | None) -> Poster | None:
    rows = Poster.objects.filter(revoked_at__isnull=True, valid_until__gt=timezone.now())
    rows = rows.filter(shift=shift) if shift is not None else rows.filter(station=station)
    return rows.order_by("-created_at").first()


@transaction.atomic
def poster_current(*, by: User, shift: Shift | None = None, station: Station | None = None) -> Poster:
    """The poster in force for the shift (or station), issued on first use; looking at it changes nothing."""
    if (shift is None) == (station is None):
        raise TypeError("poster_current needs exactly one of shift or station")
    lock = Shift if shift is not None else Station
    target = shift if shift is not None else station
    # of=self: a station's default query joins its campaign, which PostgreSQL will not lock through
    lock.objects.select_for_update(of=("self",)).filter(pk=target.pk).first()  # type: ignore[union-attr]
    live = _live(shift=shift, station=station)
    if live is not None:
        return live
    return Poster.objects.create(
        shift=shift,
        station=station,
        issued_by=by,
        valid_until=poster_valid_until(shift=shift, station=station),
    )


@transaction.atomic
def poster_reprint(*, by: User, shift: Shift | None = None, station: Station | None = None) -> Poster:
    """Revoke the poster in force (a lost or leaked one stops working now) and issue a new one."""
    rows = Poster.objects.filter(revoked_at__isnull=True)
    rows = rows.filter(shift=shift) if shift is not None else rows.filter(station=station)
    rows.update(revoked_at=timezone.now(), revoked_by=by, updated_at=timezone.now())
    return poster_current(by=by, shift=shift, station=station)


def poster_code(poster: Poster) -> str:
    return signing.Signer(salt=POSTER_SALT).sign(f"p{poster.pk}")


def poster_from_code(token: str) -> Poster | None:
    """The poster a printed code names; None when the text is no printed code at all, a refusal when the
    poster is gone (its station or shift was deleted)."""
    try:
        value = signing.Signer(salt=POSTER_SALT).unsign(token)
    except signing.BadSignature:
        return None
    poster = Poster.objects.filter(pk=int(value[1:])).first() if value[1:].isdigit() else None
    if poster is None:
        raise Refused(_("二维码无效。"))
    return poster


def poster_valid_at(poster: Poster, at: datetime) -> bool:
    """Was the code on this poster good at `at`: printed before, not yet revoked or expired."""
    if at < poster.created_at - timedelta(minutes=5):
        return False
    if poster.revoked_at is not None and at >= poster.revoked_at:
        return False
    return at <= poster.valid_until
