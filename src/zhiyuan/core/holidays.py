"""The official holiday calendar, kept in the `Holiday` table (DESIGN.md §4).

chinese-calendar knows 法定节假日 and 调休 for 2004-2026 only; for later years 春节 is estimated from the
lunar calendar (除夕 to 正月初六, the usual seven days) until an officer enters the published schedule. Code
asks this module, never chinese-calendar directly, so a 2027 春运 campaign works today.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from lunardate import LunarDate

from zhiyuan.core.models import Holiday

SPRING_FESTIVAL = "春节"
_NAMES = {
    "Spring Festival": SPRING_FESTIVAL,
    "New Year's Day": "元旦",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}


def spring_festival(year: int) -> date:
    """正月初一 of `year`, from the lunar calendar: known for any year."""
    return LunarDate(year, 1, 1).to_solar_date()


def _official(year: int) -> list[Holiday] | None:
    import chinese_calendar

    try:
        chinese_calendar.is_holiday(date(year, 1, 1))
    except NotImplementedError:
        return None
    days: list[Holiday] = []
    day = date(year, 1, 1)
    while day.year == year:
        on_holiday, name = chinese_calendar.get_holiday_detail(day)
        if name and on_holiday:
            days.append(Holiday(day=day, name=_NAMES.get(name, name), source=Holiday.Source.OFFICIAL))
        elif name and not on_holiday:  # a weekend made a working day to bridge a holiday (调休)
            days.append(
                Holiday(
                    day=day,
                    name=_NAMES.get(name, name) + "调休",
                    is_rest_day=False,
                    source=Holiday.Source.OFFICIAL,
                )
            )
        day += timedelta(days=1)
    return days


def _qingming(year: int) -> date:
    """清明 (a solar term): the usual 21st-century formula, 4/4 or 4/5."""
    y = year % 100
    return date(year, 4, int(y * 0.2422 + 4.81) - y // 4)


def _estimated(year: int) -> list[Holiday]:
    """The statutory days of a year the State Council has not published yet: 春节 from 除夕 to 正月初六 (the
    usual seven days), and the fixed and lunar festivals' own days. No 调休 is guessed: an officer enters
    the published schedule (the holidays page) and it replaces these."""
    first = spring_festival(year)
    days = [(first + timedelta(days=offset), SPRING_FESTIVAL) for offset in range(-1, 6)]
    days += [(date(year, 1, 1), "元旦"), (_qingming(year), "清明节")]
    days += [(date(year, 5, 1), "劳动节"), (date(year, 5, 2), "劳动节")]
    days += [
        (LunarDate(year, 5, 5).to_solar_date(), "端午节"),
        (LunarDate(year, 8, 15).to_solar_date(), "中秋节"),
    ]
    days += [(date(year, 10, d), "国庆节") for d in (1, 2, 3)]
    seen: dict[date, str] = {}
    for day, name in days:
        seen.setdefault(day, name)  # 中秋 can fall in 国庆: one row per day
    return [Holiday(day=d, name=n, source=Holiday.Source.ESTIMATED) for d, n in sorted(seen.items())]


@transaction.atomic
def holidays_ensure(year: int) -> int:
    """Fill `year` if the table has nothing for it yet; never overwrite what an officer entered."""
    if Holiday.objects.filter(day__year=year).exists():
        return 0
    days = _official(year) or _estimated(year)
    Holiday.objects.bulk_create(days, ignore_conflicts=True)
    return len(days)


def rest_days(start: date, end: date, name: str | None = None) -> set[date]:
    """Official rest days between `start` and `end` inclusive (optionally one festival only)."""
    for year in range(start.year, end.year + 1):
        holidays_ensure(year)
    qs = Holiday.objects.filter(day__range=(start, end), is_rest_day=True)
    if name:
        qs = qs.filter(name=name)
    return set(qs.values_list("day", flat=True))


def is_working_day(day: date) -> bool:
    holidays_ensure(day.year)
    entry = Holiday.objects.filter(day=day).first()
    if entry is not None:
        return not entry.is_rest_day
    return day.weekday() < 5


def add_working_days(start: date, count: int) -> date:
    """The date `count` working days after `start` (办法 Art. 11: records within 10 working days)."""
    # one read of the calendar for the whole stretch (a long 春节 holiday fits in twice the count plus a
    # fortnight), not one per day: a sign-out asks this for every scan
    last = start + timedelta(days=count * 2 + 14)
    for year in range(start.year, last.year + 1):
        holidays_ensure(year)
    marked = dict(Holiday.objects.filter(day__range=(start, last)).values_list("day", "is_rest_day"))
    day = start
    left = count
    while left > 0:
        day += timedelta(days=1)
        if day > last:
            return add_working_days(day - timedelta(days=1), left)
        rest = marked.get(day)
        if (not rest) if rest is not None else day.weekday() < 5:
            left -= 1
    return day
