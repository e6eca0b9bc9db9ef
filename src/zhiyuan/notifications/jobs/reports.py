"""Reminding reporters (联络员 / 信息上报人员) before a report deadline, and escalating an overdue report to
the unit's 具体负责人 and 主管领导, and to the rule's receiving office (seed 001: 文宣办) when it names one.
Reads the open deadlines through `zhiyuan.reporting.selectors.due`."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from zhiyuan.core import notify
from zhiyuan.notifications import audiences
from zhiyuan.notifications.jobs.leads import label, leads, stage
from zhiyuan.notifications.periodic import BEIJING
from zhiyuan.organizations.models import Organization
from zhiyuan.organizations.roles import Perm
from zhiyuan.reporting.models import ReportRule


def _key(due: object) -> str:
    return f"report:{due.rule_id}:{due.organization_id}:{due.period}"  # type: ignore[attr-defined]


def _when(moment: datetime) -> str:
    return f"{moment.astimezone(BEIJING):%m月%d日 %H:%M}"


def report_reminders(now: datetime | None = None) -> str:
    from zhiyuan.reporting.selectors import due as dues

    now = now or timezone.now()
    lead_times = leads("ZHIYUAN_REPORT_REMINDER_HOURS")
    if not lead_times:
        return "no lead times"
    told = 0
    for due in dues.open_dues(due_from=now, due_to=now + lead_times[0]):
        lead = stage(due.due_at, now, lead_times)
        if lead is None:
            continue
        told += notify.notify(
            users=dues.reporters(due.organization_id),
            subject=_("上报提醒：%(title)s") % {"title": due.title},
            body=_("“%(title)s”（%(period)s）须于 %(due)s 前提交。")
            % {"title": due.title, "period": due.period, "due": _when(due.due_at)},
            url=due.url,
            key=f"{_key(due)}:before:{label(lead)}",
        )
    return f"{told} told"


def report_escalation(now: datetime | None = None) -> str:
    """Each overdue report once: its escalation contacts are told, and its reporters that it is late.
    Deadlines further back than the look-back (default 7 days) are left to the scoreboard."""
    from zhiyuan.reporting.selectors import due as dues

    now = now or timezone.now()
    lookback = timedelta(days=float(getattr(settings, "ZHIYUAN_ESCALATION_LOOKBACK_DAYS", 7)))
    overdue = [d for d in dues.open_dues(due_from=now - lookback, due_to=now) if d.due_at <= now]
    names = dict(
        Organization.objects.filter(pk__in={d.organization_id for d in overdue}).values_list("pk", "name")
    )
    # a rule naming its receiving office (seed 001: 报文宣办) escalates to that office's reviewers too
    receivers = dict(
        ReportRule.objects.filter(pk__in={d.rule_id for d in overdue}, receiver__isnull=False).values_list(
            "pk", "receiver_id"
        )
    )
    receiving = {pk: audiences.granted([pk], Perm.REPORT_REVIEW) for pk in set(receivers.values())}
    told = 0
    for due in overdue:
        facts = {
            "title": due.title,
            "period": due.period,
            "due": _when(due.due_at),
            "unit": names.get(due.organization_id, ""),
        }
        contacts = dues.escalation_contacts(due.organization_id)
        office = receiving.get(receivers.get(due.rule_id, 0), [])
        told += notify.notify(
            users=audiences.users(*contacts, *office),
            subject=_("逾期未报：%(unit)s %(title)s") % facts,
            body=_("%(unit)s的“%(title)s”（%(period)s）已于 %(due)s 截止，至今未提交，请督促上报。") % facts,
            url=due.url,
            key=f"{_key(due)}:escalated",
        )
        told += notify.notify(
            users=dues.reporters(due.organization_id),
            subject=_("已逾期：%(title)s") % facts,
            # say who was told only when someone was: a unit without a 负责人 on file must not read that one was
            body=(
                _("“%(title)s”（%(period)s）已于 %(due)s 截止，已通知单位负责人，请尽快提交。")
                if contacts
                else _("“%(title)s”（%(period)s）已于 %(due)s 截止，请尽快提交。")
            )
            % facts,
            url=due.url,
            key=f"{_key(due)}:overdue",
        )
    return f"{told} told"
