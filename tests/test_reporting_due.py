"""The contract the reminders rely on: open_dues, reporters, escalation_contacts."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from tests.factories import MembershipFactory, UserFactory
from tests.test_reporting_fixtures import after_duty, bj, campaign, daily, duty, unit, weekly
from zhiyuan.organizations.models import Kind
from zhiyuan.organizations.roles import Role
from zhiyuan.reporting.models import Submission
from zhiyuan.reporting.selectors.due import escalation_contacts, open_dues, reporters


def _sub(r: Any, org: Any, period: str, status: str, by: Any) -> Submission:
    return Submission.objects.create(rule=r, organization=org, period=period, status=status, created_by=by)


def test_open_dues_lists_each_unit_and_period_until_submitted(world: Any) -> None:
    c = campaign(world.city)
    a, b = unit(world.city, "甲单位"), unit(world.city, "乙单位")
    unit(a, "甲单位下属科室")  # deeper than the rule's depth: owes nothing
    r = daily(c, applies_to=world.city, kinds=[Kind.UNIT], applies_to_depth=1, title="每日简报")
    dues = open_dues(due_from=bj(2019, 1, 22), due_to=bj(2019, 1, 24))
    assert {(d.organization_id, d.period) for d in dues} == {
        (a.pk, "2019-01-22"),
        (a.pk, "2019-01-23"),
        (b.pk, "2019-01-22"),
        (b.pk, "2019-01-23"),
    }
    first = next(d for d in dues if d.organization_id == a.pk and d.period == "2019-01-23")
    assert first.due_at == bj(2019, 1, 23, 15, 30) and first.title == "每日简报"
    assert first.url == f"/app/reports/r/{r.pk}/{a.pk}/2019-01-23/"
    # submitted and accepted are done; a draft and a returned report are still open
    _sub(r, a, "2019-01-23", Submission.Status.SUBMITTED, world.admin)
    _sub(r, b, "2019-01-23", Submission.Status.RETURNED, world.admin)
    _sub(r, a, "2019-01-22", Submission.Status.ACCEPTED, world.admin)
    _sub(r, b, "2019-01-22", Submission.Status.DRAFT, world.admin)
    left = open_dues(due_from=bj(2019, 1, 22), due_to=bj(2019, 1, 24))
    assert {(d.organization_id, d.period) for d in left} == {(b.pk, "2019-01-22"), (b.pk, "2019-01-23")}


def test_open_dues_for_duties_go_to_the_responsible_unit(world: Any) -> None:
    c = campaign(world.city)
    r = after_duty(c)
    held = duty(c, world.east_team, date(2019, 1, 26))
    cancelled = duty(c, world.west_team, date(2019, 1, 26), status="cancelled")
    dues = open_dues(due_from=bj(2019, 1, 26), due_to=bj(2019, 2, 1))
    assert [(d.rule_id, d.organization_id, d.period, d.due_at) for d in dues] == [
        (r.pk, world.east_team.pk, f"duty-{held.pk}", bj(2019, 1, 28, 0, 0))
    ]
    assert cancelled.pk not in {d.period for d in dues}


def _build(world: Any, n: int) -> None:
    for i in range(n):
        c = campaign(world.city, f"c{i}")
        parent = unit(world.city, f"上级{i}", kind=Kind.OFFICE)
        for j in range(n):
            unit(parent, f"单位{i}-{j}")
        daily(c, applies_to=parent, kinds=[Kind.UNIT], title=f"d{i}")
        weekly(c, applies_to=parent, kinds=[Kind.UNIT], title=f"w{i}")
        after_duty(c, title=f"a{i}")
        duty(c, parent, date(2019, 1, 24))


@pytest.mark.parametrize("n", [2, 5])
def test_open_dues_query_count_is_constant(world: Any, n: int, django_assert_max_num_queries: Any) -> None:
    _build(world, n)
    open_dues(due_from=bj(2019, 1, 21), due_to=bj(2019, 2, 1))  # fills the holiday table once
    # rules, their units, the subtrees, duties, submissions, and the holiday calendar (2 years, savepoints)
    with django_assert_max_num_queries(13):
        dues = open_dues(due_from=bj(2019, 1, 21), due_to=bj(2019, 2, 1))
    # per campaign: n units × (9 working days 2019-01-21..31 + Friday the 25th) + 1 duty
    assert len(dues) == n * (n * (9 + 1) + 1)


def test_reporters_and_escalation_contacts_are_held_at_the_unit(world: Any) -> None:
    team = world.east_team
    liaison = MembershipFactory(organization=team, role=Role.LIAISON).user
    reporter = MembershipFactory(organization=team, role=Role.REPORTER).user
    boss = MembershipFactory(organization=team, role=Role.LEADER_IN_CHARGE).user
    person = MembershipFactory(organization=team, role=Role.PERSON_IN_CHARGE).user
    MembershipFactory(organization=world.east, role=Role.LIAISON)  # the office's liaison, not the team's
    MembershipFactory(organization=team, role=Role.MEMBER)
    gone = UserFactory(is_active=False)
    MembershipFactory(organization=team, role=Role.LIAISON, user=gone)
    assert reporters(team.pk) == [liaison, reporter]
    assert escalation_contacts(team.pk) == [boss, person]
    assert reporters(world.west_team.pk) == []
