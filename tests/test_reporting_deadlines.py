"""The deadline engine for each kind: across a weekend, 春节 (2019 official, 2027 estimated), and the
Beijing-vs-UTC day boundary."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from tests.test_reporting_fixtures import UTC, absolute, bj, campaign, daily, weekly
from zhiyuan.core.holidays import spring_festival
from zhiyuan.reporting.models import DeadlineKind, RelativeTo, ReportRule
from zhiyuan.reporting.selectors.expected import work_calendar
from zhiyuan.reporting.services.deadlines import DutyEnd, WorkCalendar, period_for, periods


def keys(found: list[Any]) -> list[str]:
    return [p.key for p in found]


def cal(first: date, last: date) -> WorkCalendar:
    return work_calendar(first, last)


def test_absolute_deadline_is_beijing_noon_which_is_four_utc(world: Any) -> None:
    r = absolute(campaign(world.city), bj(2019, 1, 23, 12))
    assert r.due_at.astimezone(UTC) == datetime(2019, 1, 23, 4, 0, tzinfo=UTC)
    c = cal(date(2019, 1, 1), date(2019, 2, 28))
    found = periods(
        r, start=datetime(2019, 1, 23, 0, tzinfo=UTC), end=datetime(2019, 1, 23, 4, 1, tzinfo=UTC), calendar=c
    )
    assert keys(found) == ["once"] and found[0].due_at == bj(2019, 1, 23, 12)
    # the end of the window is exclusive
    assert periods(r, start=bj(2019, 1, 22), end=bj(2019, 1, 23, 12), calendar=c) == []


def test_absolute_deadline_is_not_moved_by_a_holiday(world: Any) -> None:
    r = absolute(campaign(world.city), bj(2019, 2, 5, 12))  # 正月初一
    found = periods(
        r, start=bj(2019, 2, 1), end=bj(2019, 2, 28), calendar=cal(date(2019, 1, 1), date(2019, 3, 31))
    )
    assert [p.due_at for p in found] == [bj(2019, 2, 5, 12)]


def test_daily_working_days_skip_the_weekend(world: Any) -> None:
    c = campaign(world.city, "five", date(2019, 7, 26), date(2019, 12, 31))
    r = daily(c)
    found = periods(
        r, start=bj(2019, 8, 2), end=bj(2019, 8, 6), calendar=cal(date(2019, 7, 1), date(2019, 9, 30))
    )
    assert keys(found) == ["2019-08-02", "2019-08-05"]
    assert found[0].due_at == bj(2019, 8, 2, 15, 30)
    assert found[0].due_at.astimezone(UTC) == datetime(2019, 8, 2, 7, 30, tzinfo=UTC)


def test_daily_including_weekends_is_every_day(world: Any) -> None:
    c = campaign(world.city, "five", date(2019, 7, 26), date(2019, 12, 31))
    r = daily(c, include_weekends=True)
    found = periods(
        r, start=bj(2019, 8, 2), end=bj(2019, 8, 6), calendar=cal(date(2019, 7, 1), date(2019, 9, 30))
    )
    assert keys(found) == ["2019-08-02", "2019-08-03", "2019-08-04", "2019-08-05"]


def test_daily_2019_spring_festival_rests_and_make_up_weekend_days_count(world: Any) -> None:
    r = daily(campaign(world.city))
    found = periods(
        r, start=bj(2019, 2, 1), end=bj(2019, 2, 13), calendar=cal(date(2019, 1, 1), date(2019, 3, 31))
    )
    # 2019: 2月4日–10日 放假, 2月2日（六）、3日（日）调休上班
    assert keys(found) == ["2019-02-01", "2019-02-02", "2019-02-03", "2019-02-11", "2019-02-12"]


def test_daily_2027_spring_festival_is_estimated_from_the_lunar_calendar(world: Any) -> None:
    first = spring_festival(2027)
    assert first == date(2027, 2, 6)
    c = campaign(world.city, "cy27", date(2027, 1, 20), date(2027, 3, 1))
    r = daily(c)
    found = periods(
        r, start=bj(2027, 2, 1), end=bj(2027, 2, 16), calendar=cal(date(2027, 1, 1), date(2027, 3, 31))
    )
    # 除夕 (2月5日) to 正月初六 (2月11日) rest; 13–14 is a weekend
    assert keys(found) == ["2027-02-01", "2027-02-02", "2027-02-03", "2027-02-04", "2027-02-12", "2027-02-15"]


def test_daily_deadline_before_eight_falls_on_the_previous_utc_date(world: Any) -> None:
    r = daily(campaign(world.city), at=time(7, 0))
    c = cal(date(2019, 1, 1), date(2019, 3, 31))
    # the whole UTC day of Sunday 20 January holds the deadline of Beijing's Monday 21 January
    found = periods(
        r, start=datetime(2019, 1, 20, tzinfo=UTC), end=datetime(2019, 1, 21, tzinfo=UTC), calendar=c
    )
    assert keys(found) == ["2019-01-21"]
    assert found[0].due_at.astimezone(UTC) == datetime(2019, 1, 20, 23, 0, tzinfo=UTC)
    # and a window on Beijing's Sunday has none
    assert periods(r, start=bj(2019, 1, 20), end=bj(2019, 1, 21), calendar=c) == []


def test_daily_1530_window_in_utc(world: Any) -> None:
    r = daily(campaign(world.city))
    c = cal(date(2019, 1, 1), date(2019, 3, 31))
    found = periods(
        r, start=datetime(2019, 1, 23, 7, tzinfo=UTC), end=datetime(2019, 1, 23, 8, tzinfo=UTC), calendar=c
    )
    assert keys(found) == ["2019-01-23"]


def test_daily_keeps_to_the_campaign_dates(world: Any) -> None:
    r = daily(campaign(world.city))  # 2019-01-21 .. 2019-03-01
    found = periods(
        r, start=bj(2019, 1, 15), end=bj(2019, 1, 23), calendar=cal(date(2019, 1, 1), date(2019, 3, 31))
    )
    assert keys(found) == ["2019-01-21", "2019-01-22"]


def test_weekly_friday_over_a_weekend_and_spring_festival(world: Any) -> None:
    r = weekly(campaign(world.city))
    found = periods(
        r, start=bj(2019, 1, 28), end=bj(2019, 2, 20), calendar=cal(date(2019, 1, 1), date(2019, 3, 31))
    )
    assert [(p.key, p.due_at) for p in found] == [
        ("2019-W05", bj(2019, 2, 1, 15)),
        # Friday 8 February is in the 春节 holiday: due the next working day
        ("2019-W06", bj(2019, 2, 11, 15)),
        ("2019-W07", bj(2019, 2, 15, 15)),
    ]
    assert found[0].first_day == date(2019, 1, 28) and found[0].last_day == date(2019, 2, 3)


def test_weekly_2027_spring_festival_friday_moves_to_the_next_working_day(world: Any) -> None:
    r = weekly(campaign(world.city, "cy27", date(2027, 1, 20), date(2027, 3, 1)))
    found = periods(
        r, start=bj(2027, 2, 8), end=bj(2027, 2, 20), calendar=cal(date(2027, 1, 1), date(2027, 3, 31))
    )
    # 2027: 2月5日（五）to 11日 rest. Week 5's Friday moves to Friday 12th, which is also week 6's own.
    assert [(p.key, p.due_at) for p in found] == [
        ("2027-W05", bj(2027, 2, 12, 15)),
        ("2027-W06", bj(2027, 2, 12, 15)),
        ("2027-W07", bj(2027, 2, 19, 15)),
    ]


def test_weekly_beijing_friday_1500_is_0700_utc(world: Any) -> None:
    r = weekly(campaign(world.city, "five", date(2019, 7, 26), date(2019, 12, 31)))
    found = periods(
        r,
        start=datetime(2019, 8, 2, 6, 59, tzinfo=UTC),
        end=datetime(2019, 8, 2, 7, 1, tzinfo=UTC),
        calendar=cal(date(2019, 7, 1), date(2019, 9, 30)),
    )
    assert keys(found) == ["2019-W31"]


def test_relative_to_duty_end_across_the_date_line(world: Any) -> None:
    r = ReportRule(deadline_kind=DeadlineKind.RELATIVE, relative_to=RelativeTo.DUTY_END, relative_hours=24)
    # a duty ending at 23:30 Beijing (15:30 UTC) is due 23:30 the next Beijing day
    end = bj(2019, 2, 5, 23, 30)
    found = periods(
        r, start=bj(2019, 2, 1), end=bj(2019, 2, 10), calendar=WorkCalendar(), duties=[DutyEnd(7, 3, end)]
    )
    assert [(p.key, p.due_at, p.organization_id, p.first_day) for p in found] == [
        ("duty-7", bj(2019, 2, 6, 23, 30), 3, date(2019, 2, 5))
    ]
    # relative deadlines are not moved by holidays: 24 hours are 24 hours


def test_relative_to_campaign_end(world: Any) -> None:
    c = campaign(world.city)
    r = ReportRule(
        campaign=c,
        deadline_kind=DeadlineKind.RELATIVE,
        relative_to=RelativeTo.CAMPAIGN_END,
        relative_hours=12,
    )
    found = periods(r, start=bj(2019, 3, 1), end=bj(2019, 3, 3), calendar=WorkCalendar())
    assert [(p.key, p.due_at) for p in found] == [("once", bj(2019, 3, 2, 12))]


def test_period_for_accepts_only_periods_the_rule_asks_for(world: Any) -> None:
    c = cal(date(2019, 1, 1), date(2019, 3, 31))
    d = daily(campaign(world.city))
    assert period_for(d, "2019-02-02", calendar=c) is not None  # 调休 Saturday
    assert period_for(d, "2019-01-27", calendar=c) is None  # Sunday
    assert period_for(d, "2019-02-05", calendar=c) is None  # 春节
    assert period_for(d, "2018-12-03", calendar=c) is None  # before the campaign
    assert period_for(d, "nonsense", calendar=c) is None
    w = weekly(d.campaign, title="w")
    found = period_for(w, "2019-W06", calendar=c)
    assert found is not None and found.due_at == bj(2019, 2, 11, 15)
    assert period_for(w, "2019-W30", calendar=c) is None
    assert period_for(w, "2019-W99", calendar=c) is None
    a = absolute(d.campaign, bj(2019, 1, 23, 12), title="a")
    assert period_for(a, "once", calendar=c) is not None and period_for(a, "2019-01-23", calendar=c) is None
