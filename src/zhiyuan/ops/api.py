"""GET /api/v1/ops/board — the operations board as JSON: every station now (paginated), the next 48 hours'
shifts below minimum, reports due today and overdue; GET /api/v1/ops/forecast — the staffing-gap forecast."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _
from ninja import Query, Router, Schema

from zhiyuan.core import access
from zhiyuan.core.api import AuthedRequest, Error
from zhiyuan.core.pagination import PageQuery
from zhiyuan.ops.selectors.board import board
from zhiyuan.ops.selectors.forecast import forecast
from zhiyuan.organizations.roles import Perm

router = Router(tags=["ops"])


class OnDutyOut(Schema):
    name: str
    phone: str
    since: dt.datetime
    team: str


class StationNowOut(Schema):
    id: int
    name: str
    campaign: str
    staffed: int
    needed: int
    short: bool
    on_duty: list[OnDutyOut]
    duty: str
    duty_unit: str
    incidents: int
    activations: int
    low_stock: list[str]


class GapOut(Schema):
    shift_id: int
    title: str
    station: str
    team: str
    starts_at: dt.datetime
    accepted: int
    minimum: int


class DueOut(Schema):
    rule_id: int
    organization_id: int
    period: str
    due_at: dt.datetime
    title: str
    url: str


class BoardOut(Schema):
    now: dt.datetime
    items: list[StationNowOut]
    count: int
    short_count: int
    gaps: list[GapOut]
    due_today: list[DueOut]
    overdue: list[DueOut]


def _require_operator(user: object) -> None:
    # the same bound as the page: who runs stations, not every volunteer who may look a station up
    if not access.holds_any(user, [Perm.STATION_OPERATE]):
        raise access.PermissionDenied(_("您无权查看运行看板。"))


@router.get("/ops/board", response={200: BoardOut, 403: Error}, summary="运行看板")
def get_board(request: AuthedRequest, page: Query[PageQuery]) -> dict[str, object]:
    _require_operator(request.auth)
    b = board(user=request.auth)
    return {
        "now": b.now,
        "items": b.stations[page.offset : page.offset + page.limit],
        "count": len(b.stations),
        "short_count": b.short_count,
        "gaps": b.gaps,
        "due_today": b.due_today,
        "overdue": b.overdue,
    }


class ForecastTeamOut(Schema):
    id: int
    name: str
    rate: float


class ForecastOut(Schema):
    station_id: int
    station: str
    day: dt.date
    accepted: int
    expected: float
    minimum: int
    short_by: float
    teams: list[ForecastTeamOut]


class ForecastPage(Schema):
    items: list[ForecastOut]
    count: int


@router.get("/ops/forecast", response={200: ForecastPage, 403: Error}, summary="人员缺口预测（未来两周）")
def get_forecast(request: AuthedRequest, page: Query[PageQuery]) -> dict[str, object]:
    _require_operator(request.auth)
    gaps = forecast(user=request.auth)
    return {"items": gaps[page.offset : page.offset + page.limit], "count": len(gaps)}
