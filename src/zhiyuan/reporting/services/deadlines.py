"""The deadline engine: which periods a rule asks for between two instants, and when each is due.

Pure functions of the rule, a working-day calendar and the duties' end times: no database access, so the
same code serves the "my reports due" page, the reminders and the scoreboard. Deadlines are Beijing
wall-clock times ("每天下午3点半前" is 15:30 Asia/Shanghai wherever the server or the user is), returned
as aware datetimes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from zhiyuan.reporting.models import DeadlineKind, RelativeTo, ReportRule

SHANGHAI = ZoneInfo("Asia/Shanghai")
ONCE = "once"
_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
_DUTY = re.compile(r"^duty-(\d+)$")


@dataclass(frozen=True)
class WorkCalendar:
    """Working days: Monday to Friday, minus official rest days, plus 调休 weekend working days."""

    rest_days: frozenset[date] = frozenset()
    working_weekends: frozenset[date] = frozenset()

    def is_working(self, day: date) -> bool:
        if day in self.rest_days:
            return False
        return day.weekday() < 5 or day in self.working_weekends

    def next_working(self, day: date) -> date:
        while not self.is_working(day):
            day += timedelta(days=1)
        return day


@dataclass(frozen=True)
class DutyEnd:
    duty_id: int
    organization_id: int
    ends_at: datetime


@dataclass(frozen=True)
class Period:
    key: str
    due_at: datetime
    # the days whose data the report covers (a daily brief: that day; a weekly summary: Monday to Sunday)
    first_day: date | None = None
    last_day: date | None = None
    duty_id: int | None = None
    # set only for duty-relative periods: the one organisation that reports
    organization_id: int | None = None


def beijing(day: date, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=SHANGHAI)


def local_day(moment: datetime) -> date:
    return moment.astimezone(SHANGHAI).date()


def active_window(rule: ReportRule) -> tuple[date | None, date | None]:
    campaign = rule.campaign if rule.campaign_id else None
    first = rule.active_from or (campaign.starts_on if campaign else None)
    last = rule.active_to or (campaign.ends_on if campaign else None)
    return first, last


def _days(first: date, last: date) -> Iterator[date]:
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


def duty_end(day: date, last_shift_end: datetime | None) -> datetime:
    """A duty ends with its last shift, or at midnight after its date when it has no shifts."""
    return last_shift_end or beijing(day + timedelta(days=1), time(0, 0))


def _within(moment: datetime, start: datetime, end: datetime) -> bool:
    return start <= moment < end


def periods(
    rule: ReportRule,
    *,
    start: datetime,
    end: datetime,
    calendar: WorkCalendar,
    duties: Iterable[DutyEnd] = (),
) -> list[Period]:
    """Every period of `rule` whose deadline falls in [start, end), in deadline order."""
    kind = rule.deadline_kind
    found: list[Period] = []
    if kind == DeadlineKind.ABSOLUTE and rule.due_at and _within(rule.due_at, start, end):
        found.append(Period(ONCE, rule.due_at))
    elif kind == DeadlineKind.RELATIVE and rule.relative_hours is not None:
        hours = timedelta(hours=rule.relative_hours)
        if rule.relative_to == RelativeTo.DUTY_END:
            for d in duties:
                due = d.ends_at + hours
                if _within(due, start, end):
                    day = local_day(d.ends_at - timedelta(microseconds=1))
                    found.append(Period(f"duty-{d.duty_id}", due, day, day, d.duty_id, d.organization_id))
        elif rule.relative_to == RelativeTo.CAMPAIGN_END and rule.campaign_id and rule.campaign:
            c = rule.campaign
            due = beijing(c.ends_on + timedelta(days=1), time(0, 0)) + hours
            if _within(due, start, end):
                found.append(Period(ONCE, due, c.starts_on, c.ends_on))
    elif kind == DeadlineKind.DAILY and rule.due_time is not None:
        found = _daily(rule, start, end, calendar)
    elif kind == DeadlineKind.WEEKLY and rule.due_time is not None and rule.weekday is not None:
        found = _weekly(rule, start, end, calendar)
    return sorted(found, key=lambda p: (p.due_at, p.key))


def _clip(rule: ReportRule, first: date, last: date) -> tuple[date, date]:
    active_from, active_to = active_window(rule)
    return max(first, active_from or first), min(last, active_to or last)


def _daily(rule: ReportRule, start: datetime, end: datetime, calendar: WorkCalendar) -> list[Period]:
    assert rule.due_time is not None
    first, last = _clip(rule, local_day(start) - timedelta(days=1), local_day(end) + timedelta(days=1))
    found = []
    for day in _days(first, last):
        if not (rule.include_weekends or calendar.is_working(day)):
            continue
        due = beijing(day, rule.due_time)
        if _within(due, start, end):
            found.append(Period(day.isoformat(), due, day, day))
    return found


def _weekly_due(rule: ReportRule, monday: date, calendar: WorkCalendar) -> datetime:
    """The week's weekday at the set time; when that is a rest day (a Friday in 春节), the deadline moves to
    the next working day, as a deadline falling on a holiday does (民法典 Art. 203)."""
    assert rule.due_time is not None and rule.weekday is not None
    day = monday + timedelta(days=rule.weekday)
    if not rule.include_weekends:
        day = calendar.next_working(day)
    return beijing(day, rule.due_time)


def week_key(monday: date) -> str:
    year, week, _ = monday.isocalendar()
    return f"{year}-W{week:02d}"


def _weekly(rule: ReportRule, start: datetime, end: datetime, calendar: WorkCalendar) -> list[Period]:
    assert rule.weekday is not None
    # a deadline moved past a long holiday can land two weeks on, so look one more week back
    first = local_day(start) - timedelta(days=local_day(start).weekday() + 21)
    last = local_day(end) + timedelta(days=7)
    active_from, active_to = active_window(rule)
    found = []
    monday = first
    while monday <= last:
        nominal = monday + timedelta(days=rule.weekday)
        in_window = (active_from is None or nominal >= active_from) and (
            active_to is None or nominal <= active_to
        )
        due = _weekly_due(rule, monday, calendar)
        if in_window and _within(due, start, end):
            found.append(Period(week_key(monday), due, monday, monday + timedelta(days=6)))
        monday += timedelta(days=7)
    return found


def key_moment(key: str) -> datetime | None:
    """Roughly when a daily or weekly period key lies (its day, or its week's Monday), else None."""
    try:
        return beijing(date.fromisoformat(key), time(12))
    except ValueError:
        pass
    match = _WEEK.match(key)
    if match:
        try:
            return beijing(date.fromisocalendar(int(match.group(1)), int(match.group(2)), 1), time(12))
        except ValueError:
            return None
    return None


def period_for(
    rule: ReportRule, key: str, *, calendar: WorkCalendar, duty: DutyEnd | None = None
) -> Period | None:
    """The period a key names, or None when the rule never asks for it (a Sunday for a working-day rule,
    a week outside the campaign, a duty of another campaign). Any-time rules have no deadline."""
    kind = rule.deadline_kind
    if kind == DeadlineKind.ABSOLUTE:
        return Period(ONCE, rule.due_at) if key == ONCE and rule.due_at else None
    if kind == DeadlineKind.RELATIVE:
        if rule.relative_to == RelativeTo.DUTY_END:
            match = _DUTY.match(key)
            if not (match and duty and duty.duty_id == int(match.group(1))):
                return None
            found = periods(
                rule,
                start=duty.ends_at,
                end=duty.ends_at + timedelta(days=3650),
                calendar=calendar,
                duties=[duty],
            )
            return found[0] if found else None
        if key != ONCE:
            return None
        found = periods(
            rule,
            start=datetime.min.replace(tzinfo=SHANGHAI),
            end=datetime.max.replace(tzinfo=SHANGHAI),
            calendar=calendar,
        )
        return found[0] if found else None
    if kind == DeadlineKind.DAILY and rule.due_time is not None:
        try:
            day = date.fromisoformat(key)
        except ValueError:
            return None
        due = beijing(day, rule.due_time)
        found = _daily(rule, due, due + timedelta(seconds=1), calendar)
        return found[0] if found else None
    if kind == DeadlineKind.WEEKLY and rule.weekday is not None:
        match = _WEEK.match(key)
        if not match:
            return None
        try:
            monday = date.fromisocalendar(int(match.group(1)), int(match.group(2)), 1)
        except ValueError:
            return None
        due = _weekly_due(rule, monday, calendar)
        found = [p for p in _weekly(rule, due, due + timedelta(seconds=1), calendar) if p.key == key]
        return found[0] if found else None
    return None
