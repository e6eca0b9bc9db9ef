"""Seed 001's reporting chain as the notice wrote it (issue 15 item 4): 各科室、各工作站 report to 文宣办 —
the roster, the daily brief by 15:30 and the weekly summary + plan by Friday 15:00. The receiving office's
reviewers see the reports in their queue and are told on submission; reporters are reminded before the
deadline; after it the unit's 负责人 and the receiving office hear that it is late."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from tests.factories import MembershipFactory, OrganizationFactory
from tests.test_reporting_fixtures import bj
from zhiyuan.notifications.jobs.reports import report_escalation, report_reminders
from zhiyuan.notifications.models import Notification
from zhiyuan.organizations.models import Kind, Organization
from zhiyuan.organizations.roles import Role
from zhiyuan.reporting.models import ReportRule
from zhiyuan.reporting.selectors.submissions import review_queue
from zhiyuan.reporting.services.reviews import submission_return
from zhiyuan.reporting.services.submissions import submission_open, submission_submit
from zhiyuan.seeds import orgs_five_hours_2019 as orgs001


@pytest.fixture
def chain(db: Any) -> dict[str, Any]:
    call_command("load_seeds")
    centre = Organization.objects.get(name=orgs001.CENTRE)
    wenxuan = Organization.objects.get(parent=centre, name="文宣办")
    # the notice names no 工作站; one like the demo's
    station = OrganizationFactory(parent=centre, kind=Kind.WORKSTATION, name="第一工作站（演示）")
    return {
        "brief": ReportRule.objects.get(campaign__slug="five-hours-2019", title="每日简报"),
        "wenxuan": wenxuan,
        "reviewer": MembershipFactory(organization=wenxuan, role=Role.OFFICER).user,
        "station": station,
        "liaison": MembershipFactory(organization=station, role=Role.LIAISON).user,
        "head": MembershipFactory(organization=station, role=Role.PERSON_IN_CHARGE).user,
    }


def test_the_seed_names_the_receiving_offices(chain: dict[str, Any]) -> None:
    rules = {r.title: r for r in ReportRule.objects.select_related("receiver", "campaign")}
    for title in ("志愿服务队人员名单", "每日简报", "本周总结及下周计划"):
        assert rules[title].receiver == chain["wenxuan"], title
    for title in ("春运活动方案（附件5）", "春运活动总结"):
        assert rules[title].receiver.name == "郑州市文明办", title


def test_a_workstations_daily_brief_lands_in_the_wenxuan_queue_and_its_reviewer_is_told(chain) -> None:
    me, reviewer = chain["liaison"], chain["reviewer"]
    s = submission_open(by=me, rule=chain["brief"], organization=chain["station"], period="2019-08-05")
    submission_submit(by=me, submission=s, text="今日开展文明引导志愿服务", now=bj(2019, 8, 5, 15, 0))
    assert list(review_queue(user=reviewer)) == [s]
    told = Notification.objects.get(user=reviewer, event="report.submitted")
    client = Client()
    client.force_login(reviewer)
    assert client.get(told.url).status_code == 200
    # and 文宣办 decides it: the liaison reads the comment in the inbox, with the link to revise
    submission_return(by=reviewer, submission=s, comment="请附活动照片")
    returned = Notification.objects.get(user=me, event="report.returned")
    assert "请附活动照片" in returned.body and returned.url == f"/app/reports/submissions/{s.pk}/"


def test_reminded_before_15_30_and_escalated_to_the_receiving_office_after(chain) -> None:
    report_reminders(now=bj(2019, 8, 5, 14, 0))  # 1 h 30 before the brief is due
    assert Notification.objects.filter(user=chain["liaison"], subject__contains="每日简报").exists()
    report_escalation(now=bj(2019, 8, 5, 16, 0))
    for who in ("head", "reviewer"):
        assert Notification.objects.filter(user=chain[who], subject__startswith="逾期未报").exists(), who
    late = Notification.objects.filter(user=chain["liaison"], subject__startswith="已逾期").first()
    assert late is not None and "已通知单位负责人" in late.body
