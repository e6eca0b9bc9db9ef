"""`load_seeds` brings the seeds' reporting rules, idempotently, and they produce the expected dues."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command

from tests.test_reporting_fixtures import bj
from zhiyuan.organizations.models import Organization
from zhiyuan.reporting.models import DeadlineKind, Form, ReportRule
from zhiyuan.reporting.selectors.due import open_dues


def test_seed_rules_load_once_and_give_the_seed_deadlines(db: Any) -> None:
    call_command("load_seeds")
    rules = {r.title: r for r in ReportRule.objects.select_related("campaign")}
    counts = (
        ReportRule.objects.count(),
        ReportRule.history.count(),
        ReportRule.organizations.through.objects.count(),
    )
    call_command("load_seeds")
    assert (
        ReportRule.objects.count(),
        ReportRule.history.count(),
        ReportRule.organizations.through.objects.count(),
    ) == counts
    assert {r.campaign.slug for r in rules.values()} == {"chunyun-2019", "five-hours-2019"}
    assert rules["春运活动方案（附件5）"].due_at == bj(2019, 1, 23, 12)
    assert rules["春运活动总结"].due_at == bj(2019, 3, 1, 12) and rules["春运活动总结"].photos_required
    assert rules["志愿服务活动信息上报表（附件4）"].relative_hours == 24
    assert rules["动态信息"].deadline_kind == DeadlineKind.ANY_TIME
    assert (
        rules["本周总结及下周计划"].form == Form.WEEKLY_SUMMARY and rules["本周总结及下周计划"].weekday == 4
    )
    tickets = rules["免费向外来务工人员赠票活动情况统计表（附件3）"]
    assert sorted(o.name for o in tickets.organizations.all()) == sorted(
        ["市园林局", "市文物局", "市文广新局"]
    )

    plan_dues = [
        d
        for d in open_dues(due_from=bj(2019, 1, 23), due_to=bj(2019, 1, 24))
        if d.rule_id == rules["春运活动方案（附件5）"].pk
    ]
    names = set(
        Organization.objects.filter(pk__in={d.organization_id for d in plan_dues}).values_list(
            "name", flat=True
        )
    )
    assert {"中原区文明办", "市妇联", "巾帼志愿服务支队", "郑州日报"} <= names
    assert "党政办" not in names  # a department of the IT产业园 centre is two levels down

    briefs = [
        d
        for d in open_dues(due_from=bj(2019, 8, 2), due_to=bj(2019, 8, 6))
        if d.rule_id == rules["每日简报"].pk
    ]
    departments = set(
        Organization.objects.filter(pk__in={d.organization_id for d in briefs}).values_list("name", flat=True)
    )
    assert {"党政办", "文宣办", "工会办"} <= departments
    assert {d.period for d in briefs} == {"2019-08-02", "2019-08-05"}  # not the weekend
