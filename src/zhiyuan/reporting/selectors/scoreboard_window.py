"""The period a scoreboard covers (考核期): a Beijing month, a year or a date range, as [start, end)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from zhiyuan.reporting.services.deadlines import SHANGHAI, local_day

MAX_DAYS = 366 * 2  # two years: the longest assessment anyone asks for


@dataclass(frozen=True)
class Window:
    first: date
    last: date  # inclusive
    label: str

    @property
    def start(self) -> datetime:
        return datetime.combine(self.first, time(0, 0), tzinfo=SHANGHAI)

    @property
    def end(self) -> datetime:
        return datetime.combine(self.last + timedelta(days=1), time(0, 0), tzinfo=SHANGHAI)


def month_window(year: int, month: int) -> Window:
    first = date(year, month, 1)
    following = date(year + (month == 12), month % 12 + 1, 1)
    return Window(first, following - timedelta(days=1), _("%(y)s年%(m)s月") % {"y": year, "m": month})


def year_window(year: int) -> Window:
    return Window(date(year, 1, 1), date(year, 12, 31), _("%(y)s年") % {"y": year})


def range_window(first: date, last: date) -> Window:
    return Window(first, last, f"{first:%Y-%m-%d} — {last:%Y-%m-%d}")


def parse_window(
    *,
    period: str | None,
    year: str | int | None,
    month: str | int | None,
    first: str | None,
    last: str | None,
    today: date | None = None,
) -> Window:
    """The window a form or query string asks for; every bad field reported at once, in Chinese.
    Defaults to this Beijing month."""
    today = today or local_day(datetime.now(tz=SHANGHAI))
    kind = period or "month"
    errors: dict[str, list[str]] = {}
    if kind not in ("month", "year", "range"):
        errors["period"] = [_("考核期应为 month、year 或 range。")]
        raise ValidationError(errors)
    if kind == "range":
        try:
            start = date.fromisoformat(first or "")
        except ValueError:
            errors["first"] = [_("请填写正确的开始日期，如 2019-01-21。")]
        try:
            stop = date.fromisoformat(last or "")
        except ValueError:
            errors["last"] = [_("请填写正确的结束日期，如 2019-03-01。")]
        if not errors:
            if stop < start:
                errors["last"] = [_("结束日期不能早于开始日期。")]
            elif (stop - start).days > MAX_DAYS:
                errors["last"] = [_("时间范围不能超过两年。")]
        if errors:
            raise ValidationError(errors)
        return range_window(start, stop)
    y = _int(year, today.year)
    if y is None or not 2000 <= y <= 2100:
        errors["year"] = [_("年份应在 2000 到 2100 之间。")]
    if kind == "year":
        if errors:
            raise ValidationError(errors)
        assert y is not None
        return year_window(y)
    m = _int(month, today.month)
    if m is None or not 1 <= m <= 12:
        errors["month"] = [_("月份应在 1 到 12 之间。")]
    if errors:
        raise ValidationError(errors)
    assert y is not None and m is not None
    return month_window(y, m)


def _int(value: str | int | None, default: int) -> int | None:
    if value is None or value == "":
        return default
    if isinstance(value, int):
        return value
    return int(value) if value.strip().isdigit() else None
