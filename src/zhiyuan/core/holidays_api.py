"""/api/v1/holidays: the official calendar every rotation, deadline and weekly pattern reads."""

import datetime as dt
from typing import Any

from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from zhiyuan.core import holidays
from zhiyuan.core.api import AuthedRequest, Error, Strict, ValidationErrors
from zhiyuan.core.holiday_calendar import holiday_delete, holiday_update, holidays_set
from zhiyuan.core.models import Holiday
from zhiyuan.core.pagination import Paginated

router = Router(tags=["holidays"])
WRITE_ERRORS: dict[int, Any] = {403: Error, 404: Error, 422: ValidationErrors}


class HolidayOut(Schema):
    id: int
    day: dt.date
    name: str
    is_rest_day: bool = Field(description="false：调休上班的周末")
    source: str = Field(description="official 国务院公布 / estimated 按农历推算 / manual 人工维护")


class HolidayFilters(Schema):  # a query string: not Strict (its values arrive as text)
    year: int | None = Field(None, ge=2000, le=2099, description="某一年；不填为今年")


class HolidayIn(Strict):
    start: dt.date
    end: dt.date | None = Field(None, description="连续多天时的最后一天")
    name: str = Field(max_length=50, description="如 春节、国庆节、春节调休")
    is_rest_day: bool = Field(True, description="false：调休上班日")


class HolidayPatch(Strict):
    name: str | None = Field(None, max_length=50)
    is_rest_day: bool | None = None


@router.get("/holidays", response=list[HolidayOut])
@paginate(Paginated)
def list_holidays(request: AuthedRequest, filters: Query[HolidayFilters]) -> Any:
    """A year's rest days and 调休 working days, filled from chinese-calendar or the lunar estimate the
    first time the year is asked for."""
    year = filters.year or timezone.localdate().year
    holidays.holidays_ensure(year)
    return Holiday.objects.filter(day__year=year).order_by("day")


@router.post("/holidays", response={201: list[HolidayOut], **WRITE_ERRORS})
def create_holidays(request: AuthedRequest, payload: HolidayIn) -> Any:
    """Enter the published schedule: each day from start to end (city officers only)."""
    return Status(201, holidays_set(by=request.auth, **payload.dict()))


@router.patch("/holidays/{holiday_id}", response={200: HolidayOut, **WRITE_ERRORS})
def update_holiday(request: AuthedRequest, holiday_id: int, payload: HolidayPatch) -> Any:
    holiday = get_object_or_404(Holiday, pk=holiday_id)
    changes = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None}
    return holiday_update(by=request.auth, holiday=holiday, **changes)


@router.delete("/holidays/{holiday_id}", response={204: None, **WRITE_ERRORS})
def delete_holiday(request: AuthedRequest, holiday_id: int) -> Any:
    holiday_delete(by=request.auth, holiday=get_object_or_404(Holiday, pk=holiday_id))
    return Status(204, None)
