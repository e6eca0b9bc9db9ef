"""每周班次: a weekly pattern (seed 001's 五小时 rhythm, e.g. every Saturday 9:00-14:00) that generates the
shifts of a period. Generating again adds only the days still missing, so it can run after the period is
extended or a day was deleted by mistake, and never doubles a shift.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from zhiyuan.campaigns.models import RecurringShift, Shift
from zhiyuan.campaigns.selectors import shifts as selectors
from zhiyuan.core import access, audit, holidays
from zhiyuan.core.models import User
from zhiyuan.organizations.models import Organization
from zhiyuan.organizations.roles import Perm

# Beijing wall-clock: "每周六 9:00" means 9:00 Asia/Shanghai on each of those days, whatever the server's zone.
SHANGHAI = ZoneInfo("Asia/Shanghai")
MAX_DAYS = 366
WEEKDAYS = range(1, 8)  # ISO: 1 = 周一 … 7 = 周日
Errors = dict[str, list[str]]


def _add(errors: Errors, field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def _require_manage(user: User, organization: Organization) -> None:
    if not selectors.can_manage(user, organization):
        raise access.PermissionDenied()


def recurring_problems(*, by: User, recurring: RecurringShift) -> Errors:
    r = recurring
    errors: Errors = {}
    r.title = (r.title or "").strip()
    if not r.title:
        _add(errors, "title", _("请填写班次名称。"))
    if not r.organization_id:
        _add(errors, "organization", _("请选择组织单位。"))
    elif not selectors.can_manage(by, r.organization):
        _add(errors, "organization", _("所选组织不存在或您无权为其安排班次。"))
    if r.station_id and not selectors.station_choices(user=by).filter(pk=r.station_id).exists():
        _add(errors, "station", _("所选站点不存在。"))
    days = list(r.weekdays or [])
    if not days:
        _add(errors, "weekdays", _("请选择星期几。"))
    elif any(not isinstance(d, int) or d not in WEEKDAYS for d in days):
        _add(errors, "weekdays", _("星期应为1（周一）到7（周日）。"))
    if not r.start_time:
        _add(errors, "start_time", _("请填写开始时间。"))
    if not r.end_time:
        _add(errors, "end_time", _("请填写结束时间。"))
    elif r.start_time and r.end_time <= r.start_time:
        _add(errors, "end_time", _("结束时间须晚于开始时间（跨夜的班次请分成两个）。"))
    if not r.valid_from:
        _add(errors, "valid_from", _("请填写起始日期。"))
    if not r.valid_until:
        _add(errors, "valid_until", _("请填写截止日期。"))
    elif r.valid_from and r.valid_until < r.valid_from:
        _add(errors, "valid_until", _("截止日期不能早于起始日期。"))
    elif r.valid_from and (r.valid_until - r.valid_from).days >= MAX_DAYS:
        _add(errors, "valid_until", _("一次最多安排一年，请分段生成。"))
    if r.capacity is None or r.capacity < 1:
        _add(errors, "capacity", _("名额至少为1人。"))
    try:
        r.full_clean(exclude=[*errors, "organization", "station"], validate_constraints=False)
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    return errors


@transaction.atomic
def recurring_create(
    *,
    by: User,
    organization: Organization | None,
    title: str,
    weekdays: Iterable[int],
    start_time: time,
    end_time: time,
    valid_from: date,
    valid_until: date,
    capacity: int,
    station: Any = None,
) -> RecurringShift:
    if organization is not None and access.can(by, Perm.ORG_VIEW, organization):
        _require_manage(by, organization)  # visible but not theirs to lay out: 403
    r = RecurringShift(
        organization=organization,
        station=station,
        title=title,
        weekdays=sorted(set(weekdays)),
        start_time=start_time,
        end_time=end_time,
        valid_from=valid_from,
        valid_until=valid_until,
        capacity=capacity,
    )
    errors = recurring_problems(by=by, recurring=r)
    if errors:
        raise ValidationError(errors)
    audit.attribute(r, by)
    r.save()
    return r


def _days(r: RecurringShift, skip_holidays: bool) -> list[date]:
    rest = holidays.rest_days(r.valid_from, r.valid_until) if skip_holidays else set()
    days, day = [], r.valid_from
    while day <= r.valid_until:
        if day.isoweekday() in r.weekdays and day not in rest:
            days.append(day)
        day += timedelta(days=1)
    return days


def _at(day: date, moment: time) -> datetime:
    return datetime.combine(day, moment, tzinfo=SHANGHAI)


@transaction.atomic
def recurring_generate(*, by: User, recurring: RecurringShift, skip_holidays: bool = True) -> list[Shift]:
    """Create the pattern's shifts for valid_from..valid_until on its weekdays, skipping official rest days
    (法定节假日, from core.holidays) unless told otherwise, days already past, and days that already have a
    shift of this pattern. Returns the shifts created."""
    _require_manage(by, recurring.organization)
    # the row lock makes two generations at once add each day once
    r = RecurringShift.objects.select_for_update(of=("self",)).select_related("station").get(pk=recurring.pk)
    have = {
        timezone.localtime(starts).date()
        for starts in Shift.objects.filter(recurrence=r).values_list("starts_at", flat=True)
    }
    now = timezone.now()
    campaign_id = r.station.campaign_id if r.station is not None else None
    shifts = [
        Shift(
            organization_id=r.organization_id,
            station_id=r.station_id,
            campaign_id=campaign_id,
            recurrence=r,
            title=r.title,
            starts_at=_at(day, r.start_time),
            ends_at=_at(day, r.end_time),
            capacity=r.capacity,
        )
        for day in _days(r, skip_holidays)
        if day not in have and _at(day, r.start_time) > now
    ]
    if not shifts:
        return []
    return bulk_create_with_history(shifts, Shift, batch_size=500, default_user=by)
