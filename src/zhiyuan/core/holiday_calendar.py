"""Writes to the holiday calendar (issue 12 item 4): a city officer enters the State Council's schedule for
the next year — rest days and 调休 working days — over what chinese-calendar or the lunar estimate gave.

Only a holder of `holiday.change` at a root of the organisation tree (the city 文明办) may write: the
calendar is one for everybody, so a district officer must not move the city's deadlines.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from zhiyuan.core import access, audit, holidays
from zhiyuan.core.models import Holiday
from zhiyuan.organizations.roles import Perm

MAX_DAYS = 31  # the longest holiday entered at once (国庆 and 春节 are 8 days; a month is plenty)


def may_change(user: Any) -> bool:
    if access.is_global(user):
        return True
    return any(path.strip("/").count("/") == 0 for path in access.roots(user, Perm.HOLIDAY_CHANGE))


def _require(user: Any) -> None:
    if not may_change(user):
        raise access.PermissionDenied(_("只有市文明办的工作人员可以维护节假日安排。"))


def _problems(start: date, end: date, name: str) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not name.strip():
        errors["name"] = [_("请填写名称，如“春节”或“春节调休”。")]
    if end < start:
        errors["end"] = [_("结束日期不能早于开始日期。")]
    elif (end - start).days >= MAX_DAYS:
        errors["end"] = [_("一次最多填写%(n)d天。") % {"n": MAX_DAYS}]
    if not 2000 <= start.year <= 2099 or not 2000 <= end.year <= 2099:
        errors["start"] = [_("日期须在2000年到2099年之间。")]
    return errors


@transaction.atomic
def holidays_set(
    *, by: Any, start: date, end: date | None = None, name: str, is_rest_day: bool = True
) -> list[Holiday]:
    """Every day from `start` to `end` becomes `name`, a rest day or (is_rest_day=False) a 调休 working day,
    replacing what was there. The year is filled first, so entering one day does not stop the rest of the
    year from being known."""
    _require(by)
    end = end or start
    errors = _problems(start, end, name)
    if errors:
        raise ValidationError(errors)
    for year in range(start.year, end.year + 1):
        holidays.holidays_ensure(year)
    saved = []
    day = start
    while day <= end:
        entry = Holiday.objects.select_for_update().filter(day=day).first() or Holiday(day=day)
        entry.name, entry.is_rest_day, entry.source = name.strip(), is_rest_day, Holiday.Source.MANUAL
        audit.attribute(entry, by)
        entry.save()
        saved.append(entry)
        day += timedelta(days=1)
    return saved


@transaction.atomic
def holiday_update(*, by: Any, holiday: Holiday, **changes: Any) -> Holiday:
    _require(by)
    holiday = Holiday.objects.select_for_update().get(pk=holiday.pk)
    for key in set(changes) - {"name", "is_rest_day"}:
        raise ValidationError({key: _("此项不能修改。")})
    for key, value in changes.items():
        setattr(holiday, key, value.strip() if isinstance(value, str) else value)
    if not holiday.name:
        raise ValidationError({"name": _("请填写名称。")})
    holiday.source = Holiday.Source.MANUAL
    audit.attribute(holiday, by)
    holiday.save()
    return holiday


@transaction.atomic
def holiday_delete(*, by: Any, holiday: Holiday) -> None:
    """The day becomes an ordinary day (a weekday works, a weekend rests). The year keeps its other rows,
    so the estimate is not filled again over the officer's decision."""
    _require(by)
    audit.attribute(holiday, by)
    holiday.delete()
