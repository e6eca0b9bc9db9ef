"""GET /api/v1/shifts/{id}/poster, /stations/{id}/poster — the printed code (valid for the campaign) — and
/shifts/{id}/kiosk — the live code a screen shows, rotating every five minutes."""

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema

from zhiyuan.campaigns.selectors import shifts as shift_selectors
from zhiyuan.campaigns.selectors import stations as station_selectors
from zhiyuan.core import access
from zhiyuan.core.api import AuthedRequest, Error
from zhiyuan.hours.services.checkin_tokens import TOKEN_MAX_AGE, TOKEN_WINDOW, poster_token
from zhiyuan.hours.services.posters import poster_code, poster_current
from zhiyuan.hours.views.checkin import scan_url

router = Router(tags=["hours"])


class PosterOut(Schema):
    code: str
    url: str
    valid_until: dt.datetime


def _out(code: str, valid_until: dt.datetime) -> dict[str, Any]:
    return {"code": code, "url": scan_url(code), "valid_until": valid_until}


def _shift(request: AuthedRequest, shift_id: int) -> Any:
    shift = shift_selectors.shift_get(user=request.auth, pk=shift_id)
    if not shift_selectors.can_manage(request.auth, shift.organization):
        raise access.PermissionDenied(_("只有班次的组织单位可以打印签到二维码。"))
    return shift


@router.get("/shifts/{shift_id}/poster", response={200: PosterOut, 403: Error, 404: Error})
def shift_poster(request: AuthedRequest, shift_id: int) -> Any:
    """The printed poster in force; `valid_until` is the campaign's end (at least the shift's)."""
    printed = poster_current(by=request.auth, shift=_shift(request, shift_id))
    return _out(poster_code(printed), printed.valid_until)


@router.get("/shifts/{shift_id}/kiosk", response={200: PosterOut, 403: Error, 404: Error})
def shift_kiosk(request: AuthedRequest, shift_id: int) -> Any:
    """The live code for a screen: good for a quarter of an hour after it is shown."""
    shift = _shift(request, shift_id)
    now = timezone.now()
    shown = dt.datetime.fromtimestamp(
        now.timestamp() // TOKEN_WINDOW.total_seconds() * TOKEN_WINDOW.total_seconds(), tz=dt.UTC
    )
    return _out(poster_token(shift=shift, now=now), shown + TOKEN_MAX_AGE)


@router.get("/stations/{station_id}/poster", response={200: PosterOut, 403: Error, 404: Error})
def station_poster(request: AuthedRequest, station_id: int) -> Any:
    station = station_selectors.station_get(user=request.auth, pk=station_id)
    if not station_selectors.rights(request.auth, station).operate:
        raise access.PermissionDenied(_("只有站点的责任单位或联动队伍可以打印签到二维码。"))
    printed = poster_current(by=request.auth, station=station)
    return _out(poster_code(printed), printed.valid_until)
