"""考核: the scoreboard selector — counts, lateness, activity in the subtree, ranking, scope, query count."""

from __future__ import annotations

import time
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from tests.factories import MembershipFactory
from tests.people_helpers import bulk_volunteers
from tests.test_reporting_fixtures import bj, campaign, daily, duty, unit, weekly
from zhiyuan.hours.services.ledger import ledger_append, ledger_correct
from zhiyuan.organizations.models import Kind
from zhiyuan.organizations.roles import Role
from zhiyuan.reporting.models import Submission
from zhiyuan.reporting.selectors.scoreboard import Cell, scoreboard
from zhiyuan.reporting.selectors.scoreboard_window import (
    month_window,
    parse_window,
    range_window,
    year_window,
)

NOW = bj(2019, 1, 23, 12, 0)


def delivered(
    rule: Any, org: Any, period: str, at: datetime, by: Any, status: str = "submitted"
) -> Submission:
    """A report as the submission service leaves it after the first submission."""
    due = bj(*map(int, period.split("-")), 15, 30)  # type: ignore[arg-type]
    late = at - due
    return Submission.objects.create(
        rule=rule,
        organization=org,
        period=period,
        due_at=due,
        status=status,
        first_submitted_at=at,
        submitted_at=at,
        on_time=late <= timedelta(0),
        late_by=late if late > timedelta(0) else None,
        revision_count=1,
        created_by=by,
    )


def serve(world: Any, volunteer: Any, org: Any, start: datetime, hours: int = 3) -> Any:
    return ledger_append(
        volunteer=volunteer,
        organization=org,
        activity="文明引导",
        starts_at=start,
        ends_at=start + timedelta(hours=hours),
        source="bulk",
        by=world.admin,
        late_allowed=True,
    )


@pytest.fixture
def scene(world: Any) -> Any:
    return build_scene(world)


def build_scene(world: Any) -> Any:
    """Two units under 郑东新区文明办 owing a daily brief, and one under 中原区."""
    c = campaign(world.city)
    a, b = unit(world.east, "甲单位"), unit(world.east, "乙单位")
    w = unit(world.west, "丙单位")
    team = unit(a, "甲单位志愿服务队", kind=Kind.TEAM)
    r = daily(c, applies_to=world.city, kinds=[Kind.UNIT], title="每日简报")
    delivered(r, a, "2019-01-21", bj(2019, 1, 21, 15, 0), world.admin)  # on time
    delivered(r, a, "2019-01-22", bj(2019, 1, 22, 16, 0), world.admin)  # 30 minutes late
    delivered(r, b, "2019-01-21", bj(2019, 1, 23, 9, 30), world.admin)  # 42 hours late
    # b's 01-22 brief is a draft only: still missing
    Submission.objects.create(rule=r, organization=b, period="2019-01-22", created_by=world.admin)
    duty(c, team, date(2019, 1, 21), status="done")
    duty(c, team, date(2019, 1, 22), status="cancelled")
    duty(c, b, date(2019, 2, 2), status="done")  # outside the window
    v1, v2 = bulk_volunteers(world.east, 2, prefix="考核")
    serve(world, v1, team, bj(2019, 1, 21, 9))
    serve(world, v2, a, bj(2019, 1, 22, 9), hours=2)
    wrong = serve(world, v2, team, bj(2019, 1, 22, 14))
    ledger_correct(by=world.admin, entry=wrong, reason="记错了")  # reversed: counts neither hours nor person
    return type("Scene", (), {"campaign": c, "rule": r, "a": a, "b": b, "w": w, "team": team})


def test_counts_lateness_activity_and_rank(world: Any, scene: Any) -> None:
    board = scoreboard(user=world.admin, window=range_window(date(2019, 1, 21), date(2019, 1, 23)), now=NOW)
    rows = {r.organization.name: r for r in board.rows}
    assert set(rows) == {"甲单位", "乙单位", "丙单位"}
    a, b, w = rows["甲单位"], rows["乙单位"], rows["丙单位"]
    assert (a.due, a.on_time, a.late, a.missing, a.pending) == (3, 1, 1, 0, 1)
    assert (b.due, b.on_time, b.late, b.missing, b.pending) == (3, 0, 1, 1, 1)
    assert (w.due, w.on_time, w.late, w.missing, w.pending) == (3, 0, 0, 2, 1)
    assert a.average_lateness == timedelta(minutes=30)
    assert b.average_lateness == timedelta(hours=42) and b.average_lateness_hours == 42.0
    assert a.on_time_percent == 50 and w.on_time_percent == 0
    # the subtree's duties and hours: the team's done duty, 3 h + 2 h, the reversed 3 h netted out
    assert (a.activity.duties_done, a.activity.volunteers, a.activity.hours) == (1, 2, Decimal("5.00"))
    assert (b.activity.duties_done, b.activity.hours) == (0, Decimal(0))
    assert [r.organization.name for r in board.rows] == ["甲单位", "乙单位", "丙单位"]
    assert [r.rank for r in board.rows] == [1, 2, 3]
    # the heat-map: one column per deadline, a cell per unit
    assert [(d.period, d.due_at) for d in board.deadlines] == [
        ("2019-01-21", bj(2019, 1, 21, 15, 30)),
        ("2019-01-22", bj(2019, 1, 22, 15, 30)),
        ("2019-01-23", bj(2019, 1, 23, 15, 30)),
    ]
    heat = {r.organization.name: cells for r, cells in board.heat_rows()}
    assert heat["甲单位"] == [Cell.ON_TIME, Cell.LATE_HOUR, Cell.PENDING]
    assert heat["乙单位"] == [Cell.LATER, Cell.MISSING, Cell.PENDING]
    assert board.totals()["missing"] == 3


def test_late_by_less_than_a_day_and_ties_share_a_place(world: Any) -> None:
    c = campaign(world.city)
    a, b = unit(world.east, "甲"), unit(world.east, "乙")
    r = daily(c, applies_to=world.city, kinds=[Kind.UNIT])
    delivered(r, a, "2019-01-21", bj(2019, 1, 22, 10, 0), world.admin)
    delivered(r, b, "2019-01-21", bj(2019, 1, 22, 10, 0), world.admin)
    board = scoreboard(user=world.admin, window=range_window(date(2019, 1, 21), date(2019, 1, 21)), now=NOW)
    assert [board.cells[(row.organization.pk, 0)] for row in board.rows] == [Cell.LATE_DAY, Cell.LATE_DAY]
    assert [row.rank for row in board.rows] == [1, 1]


def test_a_unit_officer_sees_their_subtree_and_the_city_sees_all(world: Any, scene: Any) -> None:
    window = range_window(date(2019, 1, 21), date(2019, 1, 23))
    east = scoreboard(user=world.east_officer, window=window, now=NOW)
    assert {r.organization.name for r in east.rows} == {"甲单位", "乙单位"}
    west = scoreboard(user=world.west_officer, window=window, now=NOW)
    assert {r.organization.name for r in west.rows} == {"丙单位"}
    city = MembershipFactory(organization=world.city, role=Role.OFFICER).user
    assert len(scoreboard(user=city, window=window, now=NOW).rows) == 3
    liaison = MembershipFactory(organization=scene.a, role=Role.LIAISON).user
    assert [r.organization.name for r in scoreboard(user=liaison, window=window, now=NOW).rows] == ["甲单位"]
    volunteer = MembershipFactory(organization=world.east, role=Role.VOLUNTEER).user
    assert scoreboard(user=volunteer, window=window, now=NOW).rows == []


def test_narrowing_to_a_subtree_a_campaign_and_a_rule(world: Any, scene: Any) -> None:
    window = range_window(date(2019, 1, 21), date(2019, 1, 31))
    other = campaign(world.city, "other")
    weekly(other, applies_to=world.city, kinds=[Kind.UNIT], title="周总结")
    both = scoreboard(user=world.admin, window=window, now=NOW)
    assert {d.title for d in both.deadlines} == {"每日简报", "周总结"}
    only = scoreboard(user=world.admin, window=window, campaign_id=scene.campaign.pk, now=NOW)
    assert {d.title for d in only.deadlines} == {"每日简报"}
    one = scoreboard(user=world.admin, window=window, rule_id=scene.rule.pk, now=NOW)
    assert {d.title for d in one.deadlines} == {"每日简报"}
    west = scoreboard(user=world.admin, window=window, under=world.west, now=NOW)
    assert {r.organization.name for r in west.rows} == {"丙单位"}


def _grow(world: Any, n: int) -> None:
    c = campaign(world.city, f"big{n}")
    volunteers = bulk_volunteers(world.city, n, prefix=f"规模{n}-")
    for i in range(n):
        office = unit(world.city, f"区{n}-{i}", kind=Kind.OFFICE)
        for j in range(n):
            u = unit(office, f"单位{n}-{i}-{j}")
            delivered(
                daily(c, title=f"简报{n}-{i}-{j}", applies_to=u, include_root=True),
                u,
                "2019-01-21",
                bj(2019, 1, 21, 16),
                world.admin,
            )
        weekly(c, applies_to=office, kinds=[Kind.UNIT], title=f"周报{n}-{i}")
        duty(c, office, date(2019, 1, 22), status="done")
        serve(world, volunteers[i], office, bj(2019, 1, 22, 9))


@pytest.mark.parametrize("n", [2, 6])
def test_query_count_does_not_grow_with_units_rules_or_deadlines(
    world: Any, n: int, django_assert_max_num_queries: Any
) -> None:
    _grow(world, n)
    window = month_window(2019, 1)
    scoreboard(user=world.admin, window=window, now=NOW)  # fills the holiday table for 2019 once
    city = MembershipFactory(organization=world.city, role=Role.OFFICER).user
    with django_assert_max_num_queries(15):  # 11 reads, 4 savepoints around holiday checks
        board = scoreboard(user=city, window=window, now=NOW)
    assert len(board.rows) == n * n
    assert len(board.deadlines) == n * n * 9 + n  # 9 working days from 01-21, one Friday (01-25)
    assert sum(r.activity.duties_done for r in board.rows) == 0  # duties were the offices', not the units'


def test_windows_parse_and_refuse_bad_input_at_once() -> None:
    assert month_window(2019, 12).last == date(2019, 12, 31)
    assert year_window(2019).end == bj(2020, 1, 1)
    assert parse_window(period="month", year="2019", month="2", first=None, last=None).label == "2019年2月"
    assert parse_window(
        period=None, year=None, month=None, first=None, last=None, today=date(2019, 3, 5)
    ) == (month_window(2019, 3))
    with pytest.raises(ValidationError) as bad:
        parse_window(period="month", year="1900", month="13", first=None, last=None)
    assert set(bad.value.message_dict) == {"year", "month"}
    with pytest.raises(ValidationError) as bad:
        parse_window(period="range", year=None, month=None, first="2019-13-01", last="x")
    assert set(bad.value.message_dict) == {"first", "last"}
    with pytest.raises(ValidationError):
        parse_window(period="range", year=None, month=None, first="2019-02-01", last="2019-01-01")


def test_a_city_of_500_units_over_52_weeks_in_constant_queries(
    world: Any, django_assert_max_num_queries: Any
) -> None:
    """The issue's size: 500 units × a weekly report for a year, ranked with the same queries as 4 units."""
    from tests.factories import OrganizationFactory

    units = [OrganizationFactory(parent=world.city, kind=Kind.UNIT, name=f"单位{i:03d}") for i in range(500)]
    r = weekly(None, applies_to=world.city, kinds=[Kind.UNIT], applies_to_depth=1, title="周总结")
    Submission.objects.bulk_create(
        Submission(
            rule=r,
            organization=u,
            period=f"2019-W{week:02d}",
            status="submitted",
            first_submitted_at=bj(2019, 1, 4, 14),
            on_time=True,
            created_by=world.admin,
        )
        for i, u in enumerate(units)
        for week in range(1, 1 + i % 52)
    )
    window = year_window(2019)
    scoreboard(user=world.admin, window=window, now=NOW)  # fills the holiday table once
    city = MembershipFactory(organization=world.city, role=Role.OFFICER).user
    # a year's window reads the holiday table of three years (the calendar reaches five weeks either side)
    with django_assert_max_num_queries(18):
        started = time.perf_counter()
        board = scoreboard(user=city, window=window, now=bj(2020, 1, 1))
    print(f"scoreboard, 500 units x 52 weeks: {time.perf_counter() - started:.2f} s")
    assert len(board.rows) == 500 and len(board.deadlines) == 52
    assert board.totals()["on_time"] == sum(i % 52 for i in range(500))
    assert board.rows[0].missing == 1 and board.rows[-1].missing == 52
