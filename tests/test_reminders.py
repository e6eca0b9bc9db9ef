"""Reminders and escalation (issue 7 item 4, "Done when"): with the real worker, a liaison with a report due
in 2 hours gets exactly one reminder, an overdue report is escalated once, volunteers are reminded of their
shifts — and ticking again, a second scheduler or a restarted worker sends nothing twice."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from tests.factories import MembershipFactory, OrganizationFactory
from tests.people_helpers import bulk_volunteers
from tests.test_notifications import run_worker
from zhiyuan.campaigns.models import Shift, Signup
from zhiyuan.core import sms
from zhiyuan.notifications import periodic
from zhiyuan.notifications.jobs import reports, shifts
from zhiyuan.notifications.models import Delivery, Notification, PeriodicRun
from zhiyuan.organizations.models import Kind
from zhiyuan.organizations.roles import Role
from zhiyuan.reporting.models import DeadlineKind, Form, ReportRule, Submission
from zhiyuan.reporting.selectors import due as dues


@pytest.fixture(autouse=True)
def _memory_sms(settings):
    settings.ZHIYUAN_SMS_BACKEND = "zhiyuan.core.sms.MemoryBackend"
    sms.MemoryBackend.outbox.clear()


def tick_and_work(now=None) -> None:
    """One scheduler tick (as `zhiyuan scheduler` does) and the worker draining the queue."""
    periodic.tick(now=now)
    run_worker()


@pytest.fixture
def unit(db):
    """郑州铁路局's 联络员 and 信息上报人员, its 具体负责人 and 主管领导, and an unrelated member."""
    org = OrganizationFactory(name="郑州铁路局", kind=Kind.UNIT)
    people = {
        "liaison": MembershipFactory(
            organization=org, role=Role.LIAISON, user__email="liaison@example.cn", user__mobile="13900000001"
        ).user,
        "reporter": MembershipFactory(organization=org, role=Role.REPORTER).user,
        "in_charge": MembershipFactory(organization=org, role=Role.PERSON_IN_CHARGE).user,
        "leader": MembershipFactory(organization=org, role=Role.LEADER_IN_CHARGE).user,
        "member": MembershipFactory(organization=org, role=Role.MEMBER).user,
    }
    return org, people


def rule_due(org, due_at, title="活动方案（附件2、3、5）") -> ReportRule:
    rule = ReportRule.objects.create(
        title=title, form=Form.PLAN, deadline_kind=DeadlineKind.ABSOLUTE, due_at=due_at
    )
    rule.organizations.add(org)
    return rule


def inbox(user) -> list[str]:
    return list(Notification.objects.filter(user=user).order_by("pk").values_list("subject", flat=True))


# --- reports: the issue's "Done when" through R1's selectors and the real worker --------------------------


@pytest.mark.django_db(transaction=True)
def test_a_liaison_with_a_report_due_in_two_hours_gets_exactly_one_reminder(unit):
    org, people = unit
    rule_due(org, timezone.now() + timedelta(hours=2))
    # when the scheduler ticks and the worker runs, twice over, and a second slot comes round
    tick_and_work()
    tick_and_work()
    tick_and_work(now=timezone.now() + timedelta(minutes=5))
    # then the liaison and the reporter each have one reminder (the 2 h one, not a stale 24 h one too)
    assert inbox(people["liaison"]) == ["上报提醒：活动方案（附件2、3、5）"]
    assert inbox(people["reporter"]) == ["上报提醒：活动方案（附件2、3、5）"]
    assert inbox(people["member"]) == inbox(people["in_charge"]) == []
    assert Notification.objects.get(user=people["liaison"]).key.endswith(":before:120m")
    # and it went out by e-mail and SMS once each
    assert [m.to for m in mail.outbox] == [["liaison@example.cn"]]
    assert [m.mobile for m in sms.MemoryBackend.outbox] == ["13900000001"]
    assert set(Delivery.objects.values_list("status", flat=True)) == {"sent"}
    assert PeriodicRun.objects.filter(job="report_reminders", status="done").count() == 2


@pytest.mark.django_db(transaction=True)
def test_a_submitted_report_is_not_reminded(unit):
    org, people = unit
    rule = rule_due(org, timezone.now() + timedelta(hours=2))
    Submission.objects.create(
        rule=rule,
        organization=org,
        period="once",
        status=Submission.Status.SUBMITTED,
        created_by=people["liaison"],
    )
    tick_and_work()
    assert Notification.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_an_overdue_report_is_escalated_once(unit):
    org, people = unit
    rule_due(org, timezone.now() - timedelta(hours=1))
    tick_and_work()
    tick_and_work(now=timezone.now() + timedelta(minutes=15))  # the next escalation slot
    run_worker()  # a restarted worker
    # the unit's 具体负责人 and 主管领导 are told once; the reporters hear it is overdue
    assert (
        inbox(people["in_charge"])
        == inbox(people["leader"])
        == ["逾期未报：郑州铁路局 活动方案（附件2、3、5）"]
    )
    assert inbox(people["liaison"]) == inbox(people["reporter"]) == ["已逾期：活动方案（附件2、3、5）"]
    assert inbox(people["member"]) == []


# --- reports: the job's rules against a fake contract ----------------------------------------------------


@pytest.fixture
def fake_dues(monkeypatch, unit):
    org, people = unit
    open_: list[dues.Due] = []

    def open_dues(*, due_from, due_to, organization_ids=None):
        return [d for d in open_ if due_from <= d.due_at < due_to]

    monkeypatch.setattr(dues, "open_dues", open_dues)
    return org, people, open_


def due(org, due_at, period="2019-01-23") -> dues.Due:
    return dues.Due(
        rule_id=7, organization_id=org.pk, period=period, due_at=due_at, title="每日简报", url="/app/reports/"
    )


def test_reminders_come_at_each_lead_time_once(fake_dues):
    org, people, open_ = fake_dues
    now = timezone.now()
    open_.append(due(org, now + timedelta(hours=20)))
    reports.report_reminders(now=now)  # inside 24 h: the 24 h reminder
    reports.report_reminders(now=now + timedelta(hours=1))
    assert Notification.objects.filter(user=people["liaison"]).count() == 1
    reports.report_reminders(now=now + timedelta(hours=18, minutes=30))  # inside 2 h: the 2 h reminder
    reports.report_reminders(now=now + timedelta(hours=19))
    keys = sorted(Notification.objects.filter(user=people["liaison"]).values_list("key", flat=True))
    assert keys == [
        f"report:7:{org.pk}:2019-01-23:before:120m",
        f"report:7:{org.pk}:2019-01-23:before:1440m",
    ]
    # each period is its own reminder
    open_.append(due(org, now + timedelta(hours=20), period="2019-01-24"))
    reports.report_reminders(now=now + timedelta(hours=19))
    assert Notification.objects.filter(user=people["liaison"]).count() == 3


def test_lead_times_are_configurable(fake_dues, settings):
    org, _, open_ = fake_dues
    settings.ZHIYUAN_REPORT_REMINDER_HOURS = [1]
    now = timezone.now()
    open_.append(due(org, now + timedelta(hours=2)))
    reports.report_reminders(now=now)
    assert Notification.objects.count() == 0
    reports.report_reminders(now=now + timedelta(minutes=61))
    assert Notification.objects.filter(key__endswith=":before:60m").count() == 2  # liaison and reporter


def test_escalation_looks_back_a_week_only(fake_dues):
    org, _, open_ = fake_dues
    now = timezone.now()
    open_.append(due(org, now - timedelta(days=8), period="old"))
    open_.append(due(org, now - timedelta(minutes=1), period="new"))
    reports.report_escalation(now=now)
    assert set(Notification.objects.values_list("key", flat=True)) == {
        f"report:7:{org.pk}:new:escalated",
        f"report:7:{org.pk}:new:overdue",
    }


# --- shifts ----------------------------------------------------------------------------------------------


@pytest.fixture
def shift_world(db):
    team = OrganizationFactory(name="青年志愿服务队", kind=Kind.TEAM)
    volunteers = bulk_volunteers(team, 3, start=7100, prefix="班")

    def shift(starts_in: timedelta, title: str = "郑州火车站东广场早班") -> Shift:
        start = timezone.now() + starts_in
        return Shift.objects.create(
            organization=team, title=title, starts_at=start, ends_at=start + timedelta(hours=4), capacity=5
        )

    return volunteers, shift


@pytest.mark.django_db(transaction=True)
def test_volunteers_with_a_place_are_reminded_once_before_their_shift(shift_world):
    (accepted, waiting, cancelled), shift = shift_world
    soon = shift(timedelta(hours=2) - timedelta(minutes=1))
    later = shift(timedelta(days=3), title="三天后的班")
    Signup.objects.create(shift=soon, volunteer=accepted, status=Signup.Status.ACCEPTED)
    Signup.objects.create(shift=soon, volunteer=waiting, status=Signup.Status.WAITLISTED)
    Signup.objects.create(shift=soon, volunteer=cancelled, status=Signup.Status.CANCELLED)
    Signup.objects.create(shift=later, volunteer=accepted, status=Signup.Status.ACCEPTED)
    tick_and_work()
    call_command("scheduler", once=True, verbosity=0)
    tick_and_work(now=timezone.now() + timedelta(minutes=5))
    assert inbox(accepted.user) == ["班次提醒：郑州火车站东广场早班"]
    assert inbox(waiting.user) == inbox(cancelled.user) == []
    notification = Notification.objects.get()
    assert notification.key == f"shift:{soon.pk}:before:120m"
    assert notification.url == f"/app/shifts/{soon.pk}/"
    assert [m.mobile for m in sms.MemoryBackend.outbox] == [accepted.user.mobile]


def test_a_shift_is_reminded_at_24_hours_and_at_2_hours(shift_world):
    (volunteer, *_), shift = shift_world
    tomorrow = shift(timedelta(hours=23))
    Signup.objects.create(shift=tomorrow, volunteer=volunteer, status=Signup.Status.ACCEPTED)
    now = timezone.now()
    assert shifts.shift_reminders(now=now) == "1 told"
    assert shifts.shift_reminders(now=now + timedelta(hours=1)) == "0 told"
    assert shifts.shift_reminders(now=now + timedelta(hours=21, minutes=30)) == "1 told"
    assert shifts.shift_reminders(now=now + timedelta(hours=22)) == "0 told"
    assert shifts.shift_reminders(now=now + timedelta(hours=24)) == "0 told"  # started: nothing more
    assert sorted(Notification.objects.values_list("key", flat=True)) == [
        f"shift:{tomorrow.pk}:before:120m",
        f"shift:{tomorrow.pk}:before:1440m",
    ]


@pytest.mark.parametrize("people", [1, 3])
def test_shift_reminders_take_constant_queries(shift_world, people, django_assert_num_queries):
    volunteers, shift = shift_world
    for i in range(2):
        s = shift(timedelta(hours=1), title=f"班{i}")
        for v in volunteers[:people]:
            Signup.objects.create(shift=s, volunteer=v, status=Signup.Status.ACCEPTED)
    # the sign-ups, then per shift: savepoint, the key look-up, the preferences, one insert, one delivery
    # batch, release
    with django_assert_num_queries(1 + 2 * 6):
        assert shifts.shift_reminders() == f"{2 * people} told"
